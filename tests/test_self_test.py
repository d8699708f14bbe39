"""The self-test a rep (or CI, on the frozen build) runs: one line per check, exit 1 on a failure."""

from __future__ import annotations

import pytest

from copilot.checkup import checks as self_test
from tests.command_line import copilot_process


def test_a_failing_part_is_one_line_and_the_exit_code_says_so(monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    from copilot.commands.self_test import run_self_test

    def broken() -> str:
        raise FileNotFoundError("the bundled tiny.en model is missing: reinstall the app\nsecond line")

    def absent() -> str:
        raise self_test.Note("no microphone is visible")

    rulebook = dict(self_test.CHECKS)["rulebook"]
    monkeypatch.setattr(self_test, "CHECKS", [("speech model", broken), ("audio inputs", absent),
                                              ("rulebook", rulebook)])
    assert run_self_test(None) == 1  # type: ignore[arg-type]
    out = capsys.readouterr().out.splitlines()
    assert out[1] == "FAIL  speech model: the bundled tiny.en model is missing: reinstall the app"
    assert out[2] == "NOTE  audio inputs: no microphone is visible"
    assert out[3].startswith("OK    rulebook: the bundled rulebook, 5 directive categories")
    assert out[-1].startswith("1 check failed")


def test_notes_alone_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    from copilot.commands.self_test import run_self_test

    def absent() -> str:
        raise self_test.Note("no display here")

    monkeypatch.setattr(self_test, "CHECKS", [("display", absent)])
    assert run_self_test(None) == 0  # type: ignore[arg-type]


@pytest.mark.e2e
def test_the_self_test_passes_on_this_install() -> None:
    r = copilot_process("--self-test", timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    lines = r.stdout.splitlines()
    names = [line[6:].split(":")[0] for line in lines[1:-1]]
    assert names == ["speech model", "voice activity", "rulebook", "detector", "voiceprints", "session store",
                     "live pipeline", "audio inputs", "display"]
    assert all(line.startswith(("OK ", "NOTE ")) for line in lines[1:-1])
    assert "live pipeline: 12 s of the sample call heard live" in r.stdout
    assert lines[-1].startswith("All checks passed")
