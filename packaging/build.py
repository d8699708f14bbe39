"""Build the frozen app and its archive for this platform (``make dist`` runs it).

Runs PyInstaller on ``packaging/live-call-copilot.spec`` into ``dist/build/``, adds what a rep
needs beside the program (the Linux menu entry and its install script, a short read-me), then
packs the folder: ``dist/live-call-copilot-<version>-<os>-<arch>.tar.gz`` on Linux and macOS,
``.zip`` on Windows. Prints the folder's and the archive's sizes.

    python packaging/build.py [--no-archive]
"""

from __future__ import annotations

import argparse
import platform
import shutil
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from copilot import __version__  # noqa: E402

DIST = ROOT / "dist"
BUILD = DIST / "build"
FOLDER = f"live-call-copilot-{__version__}"

READ_ME = """Live Call Copilot {version}

Run it:
  {run}              the app (control window and overlay)
  {run} --self-test  check this install: models, a few seconds of the sample call, your audio inputs
  {run} analyze FILE a recorded call's talk ratio and directive phrases

Nothing you say leaves this computer. Your calls are kept in your user data folder.
{extra}"""

_LINUX_EXTRA = """
Add it to your application menu (and give it its icon): ./install.sh
Take it out again: ./install.sh --remove
Needs a desktop with PulseAudio or PipeWire (every current distribution has one).
"""


def platform_tag() -> str:
    """``linux-x86_64``, ``windows-amd64``, ``macos-arm64``: the archive's platform part."""
    system = {"linux": "linux", "win32": "windows", "darwin": "macos"}.get(sys.platform, sys.platform)
    return f"{system}-{platform.machine().lower()}"


def archive_path() -> Path:
    """Where this platform's archive lands."""
    suffix = ".zip" if sys.platform == "win32" else ".tar.gz"
    return DIST / f"live-call-copilot-{__version__}-{platform_tag()}{suffix}"


def folder_mb(path: Path) -> float:
    """Size of every file under ``path``, in MB."""
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink()) / 1e6


def build() -> Path:
    """The one-folder build (PyInstaller), with the extras a rep needs beside the program."""
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                    "--distpath", str(BUILD), "--workpath", str(ROOT / "build" / "pyinstaller"),
                    str(ROOT / "packaging" / "live-call-copilot.spec")], check=True, cwd=ROOT)
    out = BUILD / FOLDER
    run = "copilot.exe" if sys.platform == "win32" else "./copilot"
    extra = ""
    if sys.platform.startswith("linux"):
        for name in ("live-call-copilot.desktop", "install.sh"):
            shutil.copy2(ROOT / "packaging" / "linux" / name, out / name)
        extra = _LINUX_EXTRA
    (out / "README.txt").write_text(READ_ME.format(version=__version__, run=run, extra=extra), encoding="utf-8")
    print(f"built {out.relative_to(ROOT)} in {time.perf_counter() - t0:.0f} s: {folder_mb(out):.0f} MB")
    return out


def archive(folder: Path) -> Path:
    """The folder packed for download (unpacks to one folder holding the ``copilot`` program; on
    macOS the ``.app`` bundle, with the program in ``Contents/MacOS``)."""
    path = archive_path()
    if sys.platform == "darwin":
        folder = BUILD / "Live Call Copilot.app"
    if sys.platform == "win32":
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for f in sorted(folder.rglob("*")):
                z.write(f, Path(folder.name) / f.relative_to(folder))
    else:
        with tarfile.open(path, "w:gz", compresslevel=6) as t:
            t.add(folder, arcname=folder.name)
    print(f"archive {path.relative_to(ROOT)}: {path.stat().st_size / 1e6:.0f} MB")
    return path


def main() -> int:
    """Build, then pack unless ``--no-archive``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-archive", action="store_true", help="the build folder only")
    args = parser.parse_args()
    folder = build()
    if not args.no_archive:
        archive(folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
