"""The `copilot` command line as a user runs it: stdin in, JSON lines out (a real process where the process is
what is tested: its start, its exit, what it loads, a display that is not there)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from copilot.cli import main
from tests.command_line import ROOT, copilot, copilot_process


def test_detect_flags_the_first_line_and_not_the_second() -> None:
    r = copilot_process("detect", stdin="What makes sense here is to start the pilot.\nWhat makes sense for you?\n")
    assert r.returncode == 0, r.stderr
    first, second = (json.loads(line) for line in r.stdout.splitlines())
    assert first["flagged"] is True
    assert first["category"] == "telling_what_makes_sense"
    assert first["match"] == "What makes sense here is"
    assert first["prompt"]
    assert second["flagged"] is False
    assert second["category"] is None and second["match"] is None and second["prompt"] is None
    assert {"text", "flagged", "category", "match", "prompt"} <= set(first)


def test_detect_writes_one_line_per_input_line_even_blank_ones() -> None:
    r = copilot("detect", stdin="You should sign.\n\nThanks!\n")
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    assert [row["text"] for row in rows] == ["You should sign.", "", "Thanks!"]


def test_detect_reads_a_file_in_another_encoding_without_a_traceback() -> None:
    r = subprocess.run(
        [sys.executable, "-m", "copilot", "detect"],
        input="Caf\u00e9 talk: you should sign today.\n".encode("latin-1"),
        capture_output=True,
        cwd=ROOT,
        timeout=60,
    )
    assert r.returncode == 0 and b"Traceback" not in r.stderr
    assert json.loads(r.stdout)["flagged"] is True


def test_detect_runs_the_example_script_of_the_main_command() -> None:
    script = (ROOT / "assets" / "examples" / "rep_script.txt").read_text(encoding="utf-8")
    r = copilot("detect", stdin=script)
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    assert len(rows) == len(script.splitlines())
    assert 3 <= sum(row["flagged"] for row in rows) < len(rows)


def test_detect_with_an_edited_rulebook(tmp_path: Path) -> None:
    rules = tmp_path / "mine.toml"
    rules.write_text('[categories.hype]\nprompts = ["Slow down."]\npatterns = ["game changer"]\n')
    r = copilot("detect", "--rules", str(rules), stdin="This is a game changer.\nThe next step is a call.\n")
    first, second = (json.loads(line) for line in r.stdout.splitlines())
    assert first["category"] == "hype" and first["prompt"] == "Slow down."
    assert second["flagged"] is False


def test_a_broken_rulebook_exits_non_zero_with_one_line(tmp_path: Path) -> None:
    rules = tmp_path / "broken.toml"
    rules.write_text('[categories.hype]\nprompts = ["Slow down."]\npatterns = ["game (changer"]\n')
    r = copilot("detect", "--rules", str(rules), stdin="anything\n")
    assert r.returncode != 0
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "broken.toml" in lines[0] and "line 3" in lines[0] and "category 'hype'" in lines[0]
    assert "Traceback" not in r.stderr


def test_a_missing_rulebook_is_one_clear_line(tmp_path: Path) -> None:
    r = copilot("detect", "--rules", str(tmp_path / "nope.toml"), stdin="x\n")
    assert r.returncode != 0
    assert "no such rulebook file" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize(("args", "allowed"), [
    (["detect", "--rules-only"], ()),
    (["detect"], ("numpy",)),  # the model layer: numpy and onnxruntime, nothing of speech, sound, Qt or SQL
])
def test_detect_and_the_core_import_no_heavy_library(args: list[str], allowed: tuple[str, ...]) -> None:
    code = (
        "import sys, io\n"
        "sys.stdin = io.StringIO('You should sign today.\\n')\n"
        "from copilot.cli import main\n"
        "import copilot.core\n"
        f"main({args!r})\n"
        "heavy = [m for m in ('faster_whisper', 'sounddevice', 'PySide6', 'ctranslate2', 'numpy', 'sqlite3')"
        f" if m in sys.modules and m not in {allowed!r}]\n"
        "print('HEAVY', heavy)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert r.returncode == 0, r.stderr
    assert "HEAVY []" in r.stdout


def test_help_lists_the_commands() -> None:
    r = copilot("--help")
    assert r.returncode == 0
    assert all(name in r.stdout for name in ("detect", "analyze", "live", "demo", "app"))


def test_no_arguments_opens_the_app_and_without_a_display_says_so_in_one_sentence() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    r = copilot_process(env=env)
    assert r.returncode == 2
    assert r.stderr.startswith("copilot: There is no display here") and r.stderr.count("\n") == 1
    assert "Traceback" not in r.stderr


@pytest.mark.parametrize("command", [
    ["sessions"], ["sessions", "rename", "2026", "Acme"], ["sessions", "delete", "--all", "--yes"],
    ["sessions", "prune"], ["sessions", "exclude", "2026"], ["progress"], ["export", "--out", "{tmp}/out"],
    ["report", "2026", "--html", "{tmp}/r.html"],
])
def test_a_mistyped_db_is_said_and_nothing_is_made(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                     command: list[str]) -> None:
    typo = tmp_path / "typo" / "calls.db"
    args = [a.replace("{tmp}", str(tmp_path)) for a in command]
    assert main([*args, "--db", str(typo)]) == 2
    err = capsys.readouterr().err.strip()
    assert err == (f"copilot: There is no session database at {typo}; check the name (`copilot analyze` and "
                   "`copilot live` make one).")
    assert not typo.parent.exists()


def test_an_option_the_command_does_not_take_is_said_with_its_usage_and_the_one_meant(
        capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as e:
        main(["analyze", "call.wav", "--rep-chanel", "left"])
    err = capsys.readouterr().err
    assert e.value.code == 2 and err.startswith("usage: copilot analyze")
    assert err.strip().endswith("unrecognized arguments: --rep-chanel left (did you mean --rep-channel?)")
    with pytest.raises(SystemExit):
        main(["sessions", "--db", "x.db", "rename", "ID", "name", "--colour", "red"])
    err = capsys.readouterr().err
    assert "usage: copilot sessions rename" in err and "did you mean" not in err
