"""`copilot analyze` and `copilot sessions` as a rep runs them: the real model on the sample call."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from copilot.core.events import Flag
from copilot.scripted.truth import load_truth, score_flags
from tests.command_line import ROOT, copilot, copilot_process
from tests.wavs import SAMPLE, tone, write_wav


@pytest.fixture(scope="module")
def analysed(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, str, Path]:  # type: ignore[type-arg]
    tmp = tmp_path_factory.mktemp("analyze")
    db, out = tmp / "sessions.db", tmp / "call.json"
    r = copilot_process("analyze", str(SAMPLE), "--db", str(db), "--json", str(out))
    assert r.returncode == 0, r.stderr
    return json.loads(out.read_text()), r.stdout, db


@pytest.mark.e2e
def test_the_sample_call_talk_share_is_within_two_points_of_the_truth(analysed) -> None:  # type: ignore[no-untyped-def]
    data, _, _ = analysed
    truth = load_truth(SAMPLE).talk()
    assert abs(data["talk"]["rep_share"] - truth["rep_share"]) <= 0.02
    assert abs(data["talk"]["longest_rep_monologue_s"] - truth["longest_rep_monologue_s"]) <= 2.0


@pytest.mark.e2e
def test_the_sample_calls_directive_lines_are_flagged(analysed) -> None:  # type: ignore[no-untyped-def]
    data, _, _ = analysed
    flags = [Flag(f["speaker"], f["start"], f["end"], f["category"], f["match"], f["text"], f["prompt"])
             for f in data["flags"]]
    score = score_flags(load_truth(SAMPLE), flags)
    assert score.recall >= 0.8, score.missed
    assert score.false_flags <= 1, score.false


@pytest.mark.e2e
def test_the_transcript_is_close_to_the_script(analysed) -> None:  # type: ignore[no-untyped-def]
    from copilot.scripted.wer import wer

    data, _, _ = analysed
    truth = load_truth(SAMPLE)
    rep = " ".join(s["text"] for s in data["segments"] if s["speaker"] == "rep")
    assert wer(truth.text("rep"), rep) < 0.25


@pytest.mark.e2e
def test_the_summary_names_the_benchmark_and_each_flag_with_a_line_to_say(analysed) -> None:  # type: ignore[no-untyped-def]
    data, stdout, _ = analysed
    assert "43:57" in stdout and "monologue" in stdout and "Patience" in stdout
    for f in data["flags"]:
        assert f["match"] in stdout and f["prompt"] in stdout


@pytest.mark.e2e
def test_the_session_is_stored_and_listed(analysed) -> None:  # type: ignore[no-untyped-def]
    data, _, db = analysed
    r = copilot_process("sessions", "--db", str(db), "--json")
    assert r.returncode == 0, r.stderr
    (row,) = json.loads(r.stdout)
    assert row["id"] == data["session_id"]
    assert row["rep_share"] == data["talk"]["rep_share"]
    table = copilot_process("sessions", "--db", str(db))
    assert data["session_id"] in table.stdout and "discovery_call.opus" in table.stdout


def one_line_error(*args: str) -> str:
    r = copilot(*args)
    assert r.returncode != 0
    assert "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    return lines[0]


def test_bad_inputs_get_one_sentence_each(tmp_path: Path) -> None:
    mono = write_wav(tmp_path / "mono.wav", [tone(1.0, 16_000)], 16_000)
    silent = write_wav(tmp_path / "silent.wav", [tone(1.0, 16_000), np.zeros(16_000)], 16_000)
    text = tmp_path / "notes.m4a"
    text.write_text("not audio")
    empty = write_wav(tmp_path / "zero.wav", [np.zeros(0), np.zeros(0)], 16_000)
    db = str(tmp_path / "s.db")
    assert "silent" in one_line_error("analyze", str(silent), "--db", db)
    assert "could not be read as audio" in one_line_error("analyze", str(text), "--db", db)
    assert "no audio samples" in one_line_error("analyze", str(empty), "--db", db)
    assert "does not exist" in one_line_error("analyze", str(tmp_path / "gone.wav"), "--db", db)
    assert "--rep and --prospect go together" in one_line_error("analyze", "--rep", str(mono), "--db", db)
    assert "No recording given" in one_line_error("analyze", "--db", db)


def test_what_the_rep_got_wrong_is_said_before_any_model_loads(tmp_path: Path) -> None:
    """A recording that is not there is one sentence in a fraction of a second: the sentence model (and Whisper)
    load only once the rulebook, the recording, the model's name and the database are all right."""
    rules = tmp_path / "broken.toml"
    rules.write_text('[categories.hype]\nprompts = ["Slow down."]\npatterns = ["game (changer"]\n')
    code = ("import sys\nfrom copilot.cli import main\n"
            f"assert main(['analyze', {str(tmp_path / 'gone.wav')!r}, '--db', {str(tmp_path / 's.db')!r}]) == 2\n"
            f"assert main(['analyze', {str(tmp_path / 'gone.wav')!r}, '--rules', {str(rules)!r}]) == 2\n"
            "print('MODEL', sorted(m for m in sys.modules if m.startswith(('onnxruntime', 'faster_whisper', "
            "'ctranslate2', 'copilot.meaning'))))\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert r.returncode == 0, r.stderr
    assert "MODEL []" in r.stdout
    gone, broken = r.stderr.strip().splitlines()
    assert "does not exist" in gone and "broken.toml" in broken  # a broken rulebook is said first


def test_a_mono_recording_is_analysed_as_a_mixed_one_and_says_so(tmp_path: Path) -> None:
    mono = write_wav(tmp_path / "mono.wav", [tone(1.0, 16_000)], 16_000)
    r = copilot("analyze", str(mono), "--db", str(tmp_path / "s.db"), "--voice-profile", str(tmp_path / "v.json"))
    assert r.returncode == 0 and "Traceback" not in r.stderr
    assert "Mixed recording" in r.stdout and "no voices to tell apart" in r.stdout


def test_a_recording_analysed_weeks_later_is_dated_by_its_file_and_says_so(tmp_path: Path) -> None:
    import os
    from datetime import datetime

    old = write_wav(tmp_path / "old.wav", [tone(1.0, 16_000)], 16_000)
    written = datetime(2026, 10, 1, 15, 30).astimezone()
    os.utime(old, (written.timestamp(), written.timestamp()))
    db = str(tmp_path / "s.db")
    r = copilot("analyze", str(old), "--db", db, "--voice-profile", str(tmp_path / "v.json"))
    assert r.returncode == 0 and "Dated 2026-10-01 15:29 from the recording's file time (a guess)" in r.stdout
    other = write_wav(tmp_path / "other.wav", [tone(1.5, 16_000)], 16_000)
    r = copilot("analyze", str(other), "--db", db, "--voice-profile", str(tmp_path / "v.json"),
                "--started", "2026-09-15 10:00")
    assert r.returncode == 0 and "Dated" not in r.stdout and "analysed before" not in r.stdout
    rows = json.loads(copilot("sessions", "--db", db, "--json").stdout)
    assert sorted(datetime.fromisoformat(row["started"]).astimezone().strftime("%Y-%m-%d %H:%M") for row in rows) == [
        "2026-09-15 10:00", "2026-10-01 15:29"]


def test_a_recording_analysed_again_replaces_its_analysis_and_keeps_name_date_and_exclusion(tmp_path: Path) -> None:
    import shutil
    from datetime import datetime

    call = write_wav(tmp_path / "call.wav", [tone(1.0, 16_000)], 16_000)
    db, profile = str(tmp_path / "s.db"), str(tmp_path / "v.json")
    assert copilot("analyze", str(call), "--db", db, "--voice-profile", profile,
                   "--started", "2026-11-02 09:30").returncode == 0
    first = json.loads(copilot("sessions", "--db", db, "--json").stdout)[0]["id"]
    assert copilot("sessions", "--db", db, "rename", first, "Acme discovery").returncode == 0
    assert copilot("sessions", "--db", db, "exclude", first).returncode == 0
    copy = shutil.copy(call, tmp_path / "renamed copy.wav")  # the same call under another name
    for again in (str(call), str(copy)):
        r = copilot("analyze", again, "--db", db, "--voice-profile", profile)
        assert r.returncode == 0, r.stderr
        assert f'analysed before (call {first} "Acme discovery"); this analysis replaced that one' in r.stdout
        assert "Dated" not in r.stdout  # the date the rep gave stays; the file time is not guessed
        rows = json.loads(copilot("sessions", "--db", db, "--json").stdout)
        assert [(row["id"], row["name"], row["excluded"]) for row in rows] == [(first, "Acme discovery", True)]
        assert datetime.fromisoformat(rows[0]["started"]).astimezone().strftime("%Y-%m-%d %H:%M") == "2026-11-02 09:30"
    r = copilot("analyze", str(call), "--db", db, "--voice-profile", profile, "--started", "2026-11-03 10:00")
    assert r.returncode == 0 and "analysed before" in r.stdout and "Its name and your marks on it stay." in r.stdout
    rows = json.loads(copilot("sessions", "--db", db, "--json").stdout)
    assert [datetime.fromisoformat(row["started"]).astimezone().strftime("%Y-%m-%d %H:%M") for row in rows] == [
        "2026-11-03 10:00"]  # a date given now wins
    cut = write_wav(tmp_path / "cut.wav", [tone(0.5, 16_000)], 16_000)  # other bytes: another call
    r = copilot("analyze", str(cut), "--db", db, "--voice-profile", profile)
    assert r.returncode == 0 and "analysed before" not in r.stdout
    assert len(json.loads(copilot("sessions", "--db", db, "--json").stdout)) == 2


def test_a_recording_cut_short_is_analysed_as_far_as_it_goes_and_says_so(tmp_path: Path) -> None:
    whole = write_wav(tmp_path / "whole.wav", [tone(6.0, 16_000), tone(6.0, 16_000, hz=330.0)], 16_000)
    cut = tmp_path / "call.wav"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    r = copilot("analyze", str(cut), "--db", str(tmp_path / "s.db"))
    assert r.returncode == 0, r.stderr
    assert "call.wav ends at 0:03 though its header says 0:06: it looks cut short" in r.stdout
    sid = json.loads(copilot("sessions", "--db", str(tmp_path / "s.db"), "--json").stdout)[0]["id"]
    kept = json.loads(copilot("report", sid, "--db", str(tmp_path / "s.db"), "--json", "-").stdout)
    assert kept["cut_short"].startswith("call.wav ends at 0:03")  # the review says it too, not only the analysis
    cut.write_bytes(whole.read_bytes())  # the copy finished: the same file, whole, analysed again
    r = copilot("analyze", str(cut), "--db", str(tmp_path / "s.db"))
    assert r.returncode == 0 and "ends at" not in r.stdout
    assert f"analysed before while it was cut short (call {sid}" in r.stdout
    rows = json.loads(copilot("sessions", "--db", str(tmp_path / "s.db"), "--json").stdout)
    assert [(row["id"], round(row["duration_s"])) for row in rows] == [(sid, 6)]


def test_a_recording_of_a_call_also_coached_live_is_said_to_count_twice(tmp_path: Path) -> None:
    from datetime import datetime

    from copilot.core.talk import TalkSummary
    from copilot.store.sqlite import SessionStore

    db = tmp_path / "s.db"
    with SessionStore(db) as store:  # the app coached the call live from 14:00
        live = store.create_session("mic + call", "live", "tiny.en", started=datetime(2026, 11, 2, 14, 0).astimezone())
        with store.db:
            store.finish_session(live, 8.0, TalkSummary(rep_s=4.0, prospect_s=3.0, rep_share=0.57), None)
    call = write_wav(tmp_path / "call.wav", [tone(6.0, 16_000), tone(6.0, 16_000, hz=330.0)], 16_000)
    r = copilot("analyze", str(call), "--db", str(db), "--started", "2026-11-02 14:00")
    assert r.returncode == 0, r.stderr
    assert f"A live session was coached at that time (call {live}, 2026-11-02 14:00)" in r.stdout
    r = copilot("analyze", str(call), "--db", str(db), "--started", "2026-11-03 09:00")
    assert r.returncode == 0 and "A live session" not in r.stdout


def test_a_broken_database_is_reported_before_any_transcription(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    db.write_text("garbage" * 200)
    assert "not a session database" in one_line_error("analyze", str(SAMPLE), "--db", str(db))
    assert "not a session database" in one_line_error("sessions", "--db", str(db))


def test_a_missing_recording_is_said_before_a_damaged_database(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    db.write_text("garbage" * 200)
    assert "No recording given" in one_line_error("analyze", "--db", str(db))
    both = one_line_error("analyze", str(SAMPLE), "--rep", str(SAMPLE), "--prospect", str(SAMPLE), "--db", str(db))
    assert "not both" in both


def test_an_unknown_model_is_one_sentence(tmp_path: Path) -> None:
    message = one_line_error("analyze", str(SAMPLE), "--model", "enormous.en", "--db", str(tmp_path / "s.db"))
    assert "Unknown model" in message
    # Said before the recording is decoded (an hour of it takes seconds): even a missing one comes second.
    gone = one_line_error("analyze", str(tmp_path / "gone.wav"), "--model", "enormous.en",
                          "--db", str(tmp_path / "s.db"))
    assert "Unknown model" in gone
    # A recording that is not there is said before the database is made: nothing is left behind.
    assert "does not exist" in one_line_error("analyze", str(tmp_path / "gone.wav"), "--db", str(tmp_path / "new.db"))
    assert not (tmp_path / "new.db").exists()


@pytest.mark.e2e
def test_when_the_session_cannot_be_saved_the_analysis_is_still_printed_and_written(tmp_path: Path) -> None:
    from copilot.store.sqlite import SessionStore

    db, out = tmp_path / "s.db", tmp_path / "call.json"
    with SessionStore(db) as store:  # a database whose disk "fills up" at the first flag
        store.db.execute("CREATE TRIGGER full BEFORE INSERT ON flags BEGIN SELECT RAISE(ABORT, 'disk is full'); END")
    r = copilot_process("analyze", str(SAMPLE), "--db", str(db), "--json", str(out))
    assert r.returncode == 1
    assert "Traceback" not in r.stderr and "not saved" in r.stderr and "disk is full" in r.stderr
    assert "43:57" in r.stdout
    data = json.loads(out.read_text())
    assert data["session_id"] is None and data["flags"]
