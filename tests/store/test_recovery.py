"""A session whose recording process died is finished from what was stored, the next time a store opens."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

from copilot.core.events import Segment, SpeechSpan
from copilot.store.recovery import is_running, recording, this_process
from copilot.store.sqlite import SessionStore


def dead_owner() -> str:
    """The host:pid of a process that has already ended."""
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                           check=True)
    return f"{socket.gethostname()}:{child.stdout.strip()}"


def record_some(store: SessionStore, owner: str) -> str:
    """A live session with 40 s of speech written, never finished (as after kill -9), owned by ``owner``."""
    sid = store.create_session("Built-in Microphone + Monitor of Speakers", "live", "tiny.en (bundled)")
    store.db.execute("UPDATE sessions SET owner = ? WHERE id = ?", (owner, sid))
    spans = [SpeechSpan("rep", 0.0, 25.0), SpeechSpan("prospect", 26.0, 36.0), SpeechSpan("rep", 37.0, 41.0)]
    store.add(sid, spans=spans, segments=[Segment("rep", 37.0, 41.0, "What do you want to do next?")])
    return sid


def test_a_session_whose_process_died_is_finished_with_its_length_and_share(tmp_path: Path) -> None:
    with SessionStore(tmp_path / "s.db") as store:
        sid = record_some(store, dead_owner())
    with SessionStore(tmp_path / "s.db") as store:  # the next `copilot sessions`, or the app starting
        (row,) = store.sessions()
        stored = store.load(sid)
    assert row.ended_unexpectedly and row.as_json()["ended"] == "unexpectedly"
    assert row.duration_s == 41.0 and row.rep_share is not None and abs(row.rep_share - 29 / 39) < 1e-3
    assert stored.talk is not None and stored.talk.rep_questions == 1 and len(stored.segments) == 1


def test_a_session_still_being_recorded_is_left_alone(tmp_path: Path) -> None:
    with SessionStore(tmp_path / "s.db") as store:
        sid = record_some(store, this_process())
    with recording(sid), SessionStore(tmp_path / "s.db") as store:  # this process is still recording it
        row = store.sessions()[0]
    assert row.id == sid and row.ended == "" and row.rep_share is None and row.as_json()["ended"] == "recording"


def test_a_session_this_process_stopped_recording_without_finishing_is_finished(tmp_path: Path) -> None:
    with SessionStore(tmp_path / "s.db") as store:
        sid = record_some(store, this_process())  # its end could not be written (a full disk); the app runs on
    with SessionStore(tmp_path / "s.db") as store:  # the rep opens the list of calls
        row = store.sessions()[0]
    assert row.id == sid and row.ended_unexpectedly and row.duration_s == 41.0


def test_a_finished_session_stays_as_it_was(tmp_path: Path) -> None:
    from copilot.core.talk import TalkSummary

    with SessionStore(tmp_path / "s.db") as store:
        sid = record_some(store, dead_owner())
        store.finish_session(sid, 50.0, TalkSummary(rep_share=0.5))
    with SessionStore(tmp_path / "s.db") as store:
        row = store.sessions()[0]
    assert row.ended == "finished" and row.duration_s == 50.0 and row.rep_share == 0.5


def test_only_a_process_that_has_ended_counts_as_gone() -> None:
    assert is_running(this_process())
    assert not is_running(this_process(), "20260101-120000-abcd")  # this process, but not recording that one
    assert not is_running(dead_owner())
    assert not is_running("")  # written before sessions named their process
    assert is_running("another-machine:1")  # not ours to judge


def test_the_lists_and_the_review_say_a_session_ended_unexpectedly(tmp_path: Path) -> None:
    from copilot.core.rulebook import Rulebook
    from copilot.report.review import build_review

    with SessionStore(tmp_path / "s.db") as store:
        sid = record_some(store, dead_owner())
    with SessionStore(tmp_path / "s.db") as store:
        row = store.sessions()[0]
        review = build_review(store.load(sid), Rulebook.load())
    assert row.label.endswith("(ended unexpectedly)")
    assert "ended unexpectedly" in review.meta and "0:41" in review.meta


def test_a_store_on_a_full_disk_still_opens_to_be_read_and_finishes_the_call_later(tmp_path: Path) -> None:
    with SessionStore(tmp_path / "s.db") as store:
        sid = record_some(store, dead_owner())
        store.db.execute("CREATE TRIGGER full BEFORE UPDATE ON sessions "
                         "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END")
    with SessionStore(tmp_path / "s.db") as store:  # the list of calls, on a full disk
        assert store.sessions()[0].ended == ""
        store.db.execute("DROP TRIGGER full")  # space was freed
    with SessionStore(tmp_path / "s.db") as store:
        assert store.sessions()[0].id == sid and store.sessions()[0].ended_unexpectedly
