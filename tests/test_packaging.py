"""What the archive carries beside the program: the Linux menu entry, its installer, the names."""

from __future__ import annotations

import importlib.util
import os
import platform
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from copilot import __version__
from copilot.ui.app_icon import DESKTOP_ID

ROOT = Path(__file__).resolve().parent.parent
LINUX = ROOT / "packaging" / "linux"


def fake_unpacked(tmp_path: Path) -> Path:
    """A folder laid out like the unpacked archive (the program, its icons, the two extras)."""
    folder = tmp_path / "Live Call Copilot 0.1.0"  # a space in the path: the Exec line must quote it
    icons = folder / "_internal" / "copilot" / "assets" / "icons"
    shutil.copytree(ROOT / "assets" / "icons", icons)
    for name in ("live-call-copilot.desktop", "install.sh"):
        shutil.copy2(LINUX / name, folder / name)
    exe = folder / "copilot"
    exe.write_text("#!/bin/sh\n", encoding="utf-8")
    exe.chmod(0o755)
    return folder


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux menu entry")
def test_install_sh_puts_the_app_in_the_menu_with_its_icon_and_takes_it_out(tmp_path: Path) -> None:
    folder = fake_unpacked(tmp_path)
    data = tmp_path / "data"
    env = {**os.environ, "XDG_DATA_HOME": str(data), "HOME": str(tmp_path)}
    r = subprocess.run([str(folder / "install.sh")], capture_output=True, text=True, env=env, timeout=30)
    assert r.returncode == 0, r.stderr
    entry = (data / "applications" / f"{DESKTOP_ID}.desktop").read_text(encoding="utf-8")
    assert f'Exec="{folder}/copilot"' in entry and f"Icon={DESKTOP_ID}" in entry
    for size in (16, 32, 48, 256, 512):
        assert (data / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{DESKTOP_ID}.png").is_file()
    assert (data / "icons" / "hicolor" / "scalable" / "apps" / f"{DESKTOP_ID}.svg").is_file()
    r = subprocess.run([str(folder / "install.sh"), "--remove"], capture_output=True, text=True, env=env, timeout=30)
    assert r.returncode == 0 and not (data / "applications" / f"{DESKTOP_ID}.desktop").exists()
    assert not list((data / "icons").rglob("*.png"))


def test_install_sh_outside_the_unpacked_folder_says_so(tmp_path: Path) -> None:
    alone = tmp_path / "install.sh"
    shutil.copy2(LINUX / "install.sh", alone)
    r = subprocess.run([str(alone)], capture_output=True, text=True, timeout=30,
                       env={**os.environ, "XDG_DATA_HOME": str(tmp_path / "d")})
    assert r.returncode == 1 and "run me from the unpacked Live Call Copilot folder" in r.stderr


def test_the_desktop_entry_names_the_icon_the_windows_use() -> None:
    lines = dict(line.split("=", 1) for line in (LINUX / "live-call-copilot.desktop").read_text().splitlines()
                 if "=" in line)
    assert lines["Type"] == "Application" and lines["Name"] == "Live Call Copilot"
    assert lines["Icon"] == DESKTOP_ID and lines["Exec"] == "@EXEC@" and lines["Terminal"] == "false"


def test_the_archive_is_named_for_the_version_and_platform() -> None:
    spec = importlib.util.spec_from_file_location("dist_build", ROOT / "packaging" / "build.py")
    assert spec is not None and spec.loader is not None
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    found = re.search(r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.M)
    assert found is not None
    declared = found.group(1)
    assert __version__ == declared  # the frozen app has no package metadata: copilot.__version__ is what it says
    if sys.platform.startswith("linux"):
        assert build.archive_path().name == f"live-call-copilot-{declared}-linux-{platform.machine().lower()}.tar.gz"


def test_every_icon_size_the_app_loads_is_made() -> None:
    from copilot.ui import app_icon

    for size in app_icon.ICON_SIZES:
        assert (ROOT / "assets" / "icons" / f"live-call-copilot-{size}.png").is_file()
    assert (ROOT / "assets" / "icons" / "live-call-copilot.ico").is_file()
    assert (ROOT / "assets" / "icons" / "live-call-copilot.icns").is_file()


@pytest.mark.parametrize("what", [["live"], ["analyze"], ["detect"], ["review"]])
def test_without_the_benchmarks_as_in_the_packaged_app_bench_says_so_in_one_sentence(
        what: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from copilot.cli import main

    for name in [m for m in sys.modules if m == "copilot.bench" or m.startswith("copilot.bench.")] + ["copilot.bench"]:
        monkeypatch.setitem(sys.modules, name, None)  # as the spec leaves it out: importing it fails
    assert main(["bench", *what]) == 2
    said = capsys.readouterr().err.strip()
    assert said == ("copilot: The benchmarks are not part of the packaged app; run `copilot bench` from the source "
                    "install (`pip install -e .` in the project's folder).")


def test_the_spec_leaves_the_benchmarks_and_the_scripted_calls_out() -> None:
    # The build carries what a rep runs (docs/house.md); `make dist-check` runs the frozen `copilot bench`.
    from tests.test_layout import MEASURING

    spec = (ROOT / "packaging" / "live-call-copilot.spec").read_text(encoding="utf-8")
    assert f"MEASURING = {MEASURING!r}".replace("'", '"') in spec
    assert "collect_submodules(\"copilot\", filter=lambda name: not name.startswith(MEASURING))" in spec
    assert "*MEASURING" in spec.split("excludes = [", 1)[1].split("]", 1)[0]
