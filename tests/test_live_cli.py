"""`copilot live --replay` as a user runs it: the real model on the sample call, through the live path."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from copilot.core.consent import consent_line
from copilot.core.events import Flag
from copilot.core.rulebook import Rulebook
from copilot.report.review import build_review
from copilot.report.transcript import transcript_html
from copilot.scripted.truth import load_truth, score_flags
from copilot.store.sqlite import SessionStore
from tests.command_line import copilot_process
from tests.test_analyze_cli import one_line_error
from tests.wavs import ROOT, SAMPLE


@pytest.fixture(scope="module")
def replayed(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path, Path]:
    """The sample call replayed through the live path once: the run, its event log and its store."""
    tmp = tmp_path_factory.mktemp("replay")
    events_path, db = tmp / "events.jsonl", tmp / "s.db"
    r = copilot_process("live", "--replay", str(SAMPLE), "--speed", "2", "--headless", "--events", str(events_path),
                "--db", str(db), timeout=600)
    return r, events_path, db


@pytest.mark.e2e
def test_replaying_the_sample_call_flags_its_directive_lines_as_they_happen(
        replayed: tuple[subprocess.CompletedProcess[str], Path, Path]) -> None:
    r, events_path, db = replayed
    assert r.returncode == 0, r.stderr
    events = [json.loads(line) for line in events_path.read_text().splitlines()]
    assert {"speech", "talk", "partial", "segment", "flag", "prompt"} <= {e["type"] for e in events}
    assert all("t" in e and "wall" in e for e in events)
    flags = [Flag(e["speaker"], e["start"], e["end"], e["category"], e["match"], e["text"], "") for e in events
             if e["type"] == "flag"]
    score = score_flags(load_truth(SAMPLE), flags)
    assert score.recall >= 0.75, score.missed
    assert ">>" in r.stdout and "talk, last 2 min" in r.stdout  # prompts and talk lines in the terminal
    assert consent_line() in r.stderr  # what to tell the other side, printed as the session starts
    listed = json.loads(copilot_process("sessions", "--db", str(db), "--json").stdout)
    assert len(listed) == 1 and listed[0]["kind"] == "live"
    truth_share = load_truth(SAMPLE).talk()["rep_share"]
    assert abs(listed[0]["rep_share"] - truth_share) < 0.02


@pytest.mark.e2e
def test_a_replayed_call_reads_in_whole_sentences_in_the_store_and_the_review(
        replayed: tuple[subprocess.CompletedProcess[str], Path, Path]) -> None:
    # Before, the review read "You  What makes sense here is to start a pilot with your whole team next",
    # the buyer's answer, then "You  week. Other clients in your position…" ("You" is the rep's label).
    r, _, db = replayed
    assert r.returncode == 0, r.stderr
    store = SessionStore(db)
    stored = store.load(store.sessions()[0].id)
    review = build_review(stored, Rulebook.load(), marks=())
    for lines in ([s for s in stored.segments], [line.segment for line in review.lines]):
        last: dict[str, str] = {}
        for seg in lines:
            unfinished = not last.get(seg.speaker, ".").rstrip().endswith((".", "?", "!"))
            assert not (unfinished and seg.text.lstrip()[:1].islower()), (last[seg.speaker], seg.text)
            last[seg.speaker] = seg.text
        (pilot,) = [s.text for s in lines if "whole team next" in s.text]
        assert "whole team next week" in pilot
    html = transcript_html(review.lines)
    assert not re.search(r'class="who">You</span> [a-z]', html.replace("<span class=\"flagged\">", ""))
    store.close()


def test_live_input_mistakes_are_one_sentence(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    assert "--speed" in one_line_error("live", "--replay", str(SAMPLE), "--speed", "0", "--db", db)
    assert "does not exist" in one_line_error("live", "--replay", str(tmp_path / "nope.wav"), "--db", db)


def start_live(db: Path, events: Path) -> subprocess.Popen[str]:
    """`copilot live` on the sample at twice real time, as a rep would start it from a terminal."""
    return subprocess.Popen([sys.executable, "-m", "copilot", "live", "--replay", str(SAMPLE), "--speed", "2",
                             "--headless", "--db", str(db), "--events", str(events)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)


def wait_for_audio_time(events: Path, seconds: float, limit_s: float = 120.0) -> None:
    """Until the event log has reached ``seconds`` of the call's audio."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if events.exists():
            lines = events.read_text(encoding="utf-8").splitlines()
            if any(json.loads(line)["t"] >= seconds for line in lines[-20:] if line.endswith("}")):
                return
        time.sleep(0.2)
    raise AssertionError(f"the session never reached {seconds} s of audio")


@pytest.mark.e2e
@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_or_sigterm_ends_the_session_and_keeps_it_whole(tmp_path: Path, how: signal.Signals) -> None:
    db, events = tmp_path / "s.db", tmp_path / "events.jsonl"
    proc = start_live(db, events)
    wait_for_audio_time(events, 30.0)
    proc.send_signal(how)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "Traceback" not in err and "of the talk" in out  # the summary line
    (row,) = json.loads(copilot_process("sessions", "--db", str(db), "--json").stdout)
    assert row["ended"] == "finished" and 30.0 <= row["duration_s"] < 100.0 and row["rep_share"] is not None


@pytest.mark.e2e
def test_after_kill_9_the_next_command_finishes_the_session_from_what_was_stored(tmp_path: Path) -> None:
    db, events = tmp_path / "s.db", tmp_path / "events.jsonl"
    proc = start_live(db, events)
    wait_for_audio_time(events, 40.0)
    proc.kill()
    proc.communicate(timeout=30)
    (row,) = json.loads(copilot_process("sessions", "--db", str(db), "--json").stdout)
    assert row["ended"] == "unexpectedly" and row["duration_s"] >= 30.0 and row["rep_share"] is not None
    assert "(ended unexpectedly)" in copilot_process("sessions", "--db", str(db)).stdout


def test_a_broken_examples_file_coaches_the_call_without_the_marks_and_says_so(tmp_path: Path) -> None:
    import os

    from tests.wavs import tone, write_wav

    examples = Path(os.environ["XDG_DATA_HOME"]) / "live-call-copilot" / "my_examples.json"
    examples.parent.mkdir(parents=True, exist_ok=True)
    examples.write_text('{"marks": [ {"kind": "not_exam', encoding="utf-8")  # cut off as an editor might leave it
    call = write_wav(tmp_path / "call.wav", [tone(2.0, 16_000), tone(2.0, 16_000, hz=330.0)], 16_000)
    try:
        r = copilot_process("live", "--replay", str(call), "--speed", "4", "--headless", "--rules-only",
                            "--db", str(tmp_path / "s.db"), timeout=300)
        assert r.returncode == 0, r.stderr
        assert "Coaching this call without your marks. Your examples file" in r.stderr
        assert "nothing in it was changed" in r.stderr and "Traceback" not in r.stderr
        assert examples.read_text(encoding="utf-8") == '{"marks": [ {"kind": "not_exam'
        assert "0 directive phrases, 0 prompts" in r.stdout and "The review: `copilot review " in r.stdout
    finally:
        examples.unlink()
