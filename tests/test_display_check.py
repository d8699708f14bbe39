"""Before Qt starts: a desktop without the X libraries, or a display that does not answer, is one sentence."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from copilot.checkup import display as display_check
from copilot.checkup.display import display_problem, missing_libraries, package_of
from tests.wavs import ROOT

LDD_OF_A_MINIMAL_DESKTOP = """\
\tlinux-vdso.so.1 (0x00007ffd5a1f2000)
\tlibQt6XcbQpa.so.6 => /opt/PySide6/Qt/lib/libQt6XcbQpa.so.6 (0x00007f1a2c000000)
\tlibxkbcommon-x11.so.0 => not found
\tlibxcb-cursor.so.0 => not found
\tlibxcb.so.1 => /lib/x86_64-linux-gnu/libxcb.so.1 (0x00007f1a2b000000)
\tlibxcb-cursor.so.0 => not found
"""
NOBODY_THERE = ":87"  # no X server listens on display 87 on a test machine


def test_the_missing_libraries_are_read_from_the_linker_once_each() -> None:
    assert missing_libraries(LDD_OF_A_MINIMAL_DESKTOP) == ["libxkbcommon-x11.so.0", "libxcb-cursor.so.0"]


def test_each_library_is_named_by_the_package_that_ships_it() -> None:
    assert package_of("libxcb-cursor.so.0") == "libxcb-cursor0"
    assert package_of("libxkbcommon-x11.so.0") == "libxkbcommon-x11-0"
    assert package_of("libxcb-render-util.so.0") == "libxcb-render-util0"
    assert package_of("libX11-xcb.so.1") == "libx11-xcb1"
    assert package_of("libEGL.so.1") == "libegl1"


def test_missing_libraries_are_one_sentence_with_the_apt_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(display_check, "missing_libraries", lambda: ["libxcb-cursor.so.0", "libxkbcommon-x11.so.0"])
    problem = display_problem({"DISPLAY": ":0"})
    assert problem is not None and "\n" not in problem
    assert problem.endswith("sudo apt install libxcb-cursor0 libxkbcommon-x11-0")


def test_a_display_nobody_answers_on_is_one_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(display_check, "missing_libraries", lambda: [])
    problem = display_problem({"DISPLAY": NOBODY_THERE})
    if problem is not None and "libxcb" in problem:
        pytest.skip("libxcb itself is missing here")
    assert problem == (f"The display {NOBODY_THERE} cannot be opened "
                       "(no X server answers there, or it refuses this user)")


def test_a_chosen_qt_platform_or_a_wayland_session_is_left_to_qt() -> None:
    assert display_problem({"QT_QPA_PLATFORM": "offscreen"}) is None
    assert display_problem({"WAYLAND_DISPLAY": "wayland-0"}) is None
    assert display_problem({}) == "There is no display here, so the app cannot open"


def run_app(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    return subprocess.run([sys.executable, "-m", "copilot", *args], capture_output=True, text=True, cwd=ROOT,
                          env=clean | env, timeout=60)


def test_copilot_on_a_display_that_does_not_answer_says_so_without_qts_abort(tmp_path: Path) -> None:
    r = run_app({"DISPLAY": NOBODY_THERE}, "app", "--db", str(tmp_path / "s.db"))
    assert r.returncode == 2 and r.stderr.startswith("copilot: ") and r.stderr.count("\n") == 1, r.stderr
    assert "qt.qpa" not in r.stderr and "Aborted" not in r.stderr


def test_copilot_on_a_desktop_without_the_x_libraries_names_the_packages(tmp_path: Path) -> None:
    fake = fake_ldd(tmp_path / "bin")  # what the linker says on a minimal desktop
    r = run_app({"DISPLAY": ":0", "PATH": f"{fake}{os.pathsep}{os.environ['PATH']}"}, "app",
                "--db", str(tmp_path / "s.db"))
    assert r.returncode == 2 and r.stderr.count("\n") == 1, r.stderr
    assert "libxcb-cursor.so.0" in r.stderr and "sudo apt install libxcb-cursor0" in r.stderr


def fake_ldd(folder: Path) -> Path:
    """A folder with an ``ldd`` that reports what a minimal desktop lacks."""
    folder.mkdir(exist_ok=True)
    ldd = folder / "ldd"
    ldd.write_text("#!/bin/sh\nprintf '\\tlibxcb-cursor.so.0 => not found\\n'\n", encoding="utf-8")
    ldd.chmod(0o755)
    return folder


@pytest.mark.e2e
@pytest.mark.parametrize("desktop", ["no X server", "no X libraries"])
def test_the_demo_on_a_desktop_that_cannot_open_it_runs_in_the_terminal(tmp_path: Path, desktop: str) -> None:
    clean = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env = clean | {"DISPLAY": NOBODY_THERE}
    if desktop == "no X libraries":
        env["PATH"] = f"{fake_ldd(tmp_path / 'bin')}{os.pathsep}{os.environ['PATH']}"
    proc = subprocess.Popen([sys.executable, "-m", "copilot", "demo", "--db", str(tmp_path / "s.db")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env)
    try:
        assert proc.stderr is not None and proc.stdout is not None
        first = proc.stderr.readline()
        if desktop == "no X libraries":
            assert "sudo apt install libxcb-cursor0" in first
        else:
            assert first.startswith(f"The display {NOBODY_THERE} cannot be opened") or "sudo apt install" in first
        assert "The demo runs in the terminal instead" in first and "qt.qpa" not in first
        deadline = time.monotonic() + 90
        line = ""
        while time.monotonic() < deadline and "talk, last 2 min" not in line:
            line = proc.stdout.readline()
        assert "talk, last 2 min" in line  # the terminal demo is running
    finally:
        proc.kill()
        proc.communicate(timeout=30)
