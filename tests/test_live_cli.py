"""`copilot live --replay` as a user runs it: the real model on the sample call, through the live path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from copilot.bench.truth import load_truth, score_flags
from copilot.core.events import Flag
from tests.test_analyze_cli import one_line_error
from tests.test_cli import copilot
from tests.wavs import SAMPLE


@pytest.mark.e2e
def test_replaying_the_sample_call_flags_its_directive_lines_as_they_happen(tmp_path: Path) -> None:
    events_path, db = tmp_path / "events.jsonl", tmp_path / "s.db"
    r = copilot("live", "--replay", str(SAMPLE), "--speed", "2", "--headless", "--events", str(events_path),
                "--db", str(db), timeout=600)
    assert r.returncode == 0, r.stderr
    events = [json.loads(line) for line in events_path.read_text().splitlines()]
    assert {"speech", "talk", "partial", "segment", "flag", "prompt"} <= {e["type"] for e in events}
    assert all("t" in e and "wall" in e for e in events)
    flags = [Flag(e["speaker"], e["start"], e["end"], e["category"], e["match"], e["text"], "") for e in events
             if e["type"] == "flag"]
    score = score_flags(load_truth(SAMPLE), flags)
    assert score.recall >= 0.75, score.missed
    assert ">>" in r.stdout and "talk, last 2 min" in r.stdout  # prompts and talk lines in the terminal
    listed = json.loads(copilot("sessions", "--db", str(db), "--json").stdout)
    assert len(listed) == 1 and listed[0]["kind"] == "live"
    truth_share = load_truth(SAMPLE).talk()["rep_share"]
    assert abs(listed[0]["rep_share"] - truth_share) < 0.02


def test_live_input_mistakes_are_one_sentence(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    assert "--speed" in one_line_error("live", "--replay", str(SAMPLE), "--speed", "0", "--db", db)
    assert "does not exist" in one_line_error("live", "--replay", str(tmp_path / "nope.wav"), "--db", db)
