"""The store under faults: a full disk, several processes at once, a damaged file, two ids drawn alike.

A live call beside analyses and readers, and a writer killed mid-write, are short runs of
``copilot bench store`` in tests/bench/test_store.py (docs/faults.md).
"""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from copilot.core.events import Segment, SpeechSpan
from copilot.core.talk import TalkSummary
from copilot.store.sqlite import SessionStore, StoreError
from tests.store.opening import open_and_save


def fill_disk(store: SessionStore) -> None:
    """The database may not grow by a page more: SQLite's own "disk is full", as on a full disk."""
    pages = store.db.execute("PRAGMA page_count").fetchone()[0]
    store.db.execute(f"PRAGMA max_page_count = {pages}")


def test_a_full_disk_is_one_sentence_and_writing_works_again_once_there_is_room(tmp_path: Path) -> None:
    with SessionStore(tmp_path / "s.db") as store:
        sid = store.create_session("call", "live")
        fill_disk(store)
        text = [Segment("rep", i, i + 1.0, "So what would you need to see on your side? " * 20) for i in range(50)]
        with pytest.raises(StoreError) as e:
            store.add(sid, segments=text)
        assert "the disk is full" in str(e.value) and "\n" not in str(e.value)
        assert not store.db.in_transaction  # nothing left half open to block the next write
        store.db.execute("PRAGMA max_page_count = 1073741823")  # space was freed
        store.add(sid, segments=text)
        assert len(store.segments(sid)) == 50


def test_replacing_a_sessions_results_is_all_or_nothing(tmp_path: Path) -> None:
    with SessionStore(tmp_path / "s.db") as store:
        sid = store.save_analysis("call.m4a", "analyze", "tiny.en", 10.0, TalkSummary(rep_share=0.5),
                                  [SpeechSpan("rep", 0.0, 4.0)], [Segment("rep", 0.0, 4.0, "Hello there.")], [], [])
        store.db.execute("CREATE TRIGGER full BEFORE INSERT ON segments BEGIN SELECT RAISE(ABORT, 'disk is full'); END")
        with pytest.raises(StoreError, match="disk is full"):
            store.replace_results(sid, TalkSummary(rep_share=0.2), [SpeechSpan("prospect", 0.0, 4.0)],
                                  [Segment("prospect", 0.0, 4.0, "Hello there.")], [], [], rep_voice=2)
        kept = store.load(sid)
    assert [s.speaker for s in kept.spans] == ["rep"] and kept.segments[0].speaker == "rep"
    assert kept.row.rep_share == 0.5  # the old results, whole


def test_processes_opening_a_new_store_at_the_same_moment_all_open_it(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    said: list[str] = []
    for n in range(3):
        db, go, out = str(tmp_path / f"s{n}.db"), ctx.Event(), ctx.Queue()
        procs = [ctx.Process(target=open_and_save, args=(db, go, out)) for _ in range(4)]
        for p in procs:
            p.start()
        go.set()
        said += [out.get(timeout=60) for _ in procs]
        for p in procs:
            p.join()
        with SessionStore(db) as store:
            assert len(store.sessions()) == 4
    assert said == ["ok"] * 12


def test_another_programs_database_is_one_sentence_and_is_left_alone(tmp_path: Path) -> None:
    import sqlite3

    other = tmp_path / "cookies.sqlite"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE sessions (id INTEGER PRIMARY KEY, cookie TEXT)")
    con.commit()
    con.close()
    with pytest.raises(StoreError) as e:
        SessionStore(other)
    assert "another program's database" in str(e.value) and "\n" not in str(e.value)
    con = sqlite3.connect(other)
    assert [r[0] for r in con.execute("SELECT name FROM sqlite_master")] == ["sessions"]  # nothing added


def test_a_database_whose_schema_is_garbled_is_one_sentence(tmp_path: Path) -> None:
    import sqlite3

    bad = tmp_path / "s.db"
    con = sqlite3.connect(bad)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.execute("PRAGMA writable_schema = ON")
    # Bytes that are not UTF-8 in the table's definition: SQLite quotes them back in its error.
    con.execute("UPDATE sqlite_master SET sql = CAST(x'435245415445205441424c4520748081fe287829' AS TEXT)")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="not a session database or it is damaged"):
        SessionStore(bad)


@pytest.mark.parametrize("damage", [
    "UPDATE sessions SET started = 'yesterday-ish'",
    "UPDATE sessions SET duration_s = 'long'",
    "UPDATE speech_spans SET speaker = 'bob'",
    "UPDATE segments SET start = x'00ff'",
    "PRAGMA user_version = -7",
    "UPDATE segments SET text = CAST(x'476f7420697420c32820' AS TEXT)",  # text that is not UTF-8
])
def test_a_damaged_row_or_header_is_one_sentence_not_a_traceback(tmp_path: Path, damage: str) -> None:
    with SessionStore(tmp_path / "s.db") as store:
        sid = store.save_analysis("call.wav", "analyze", "tiny.en", 10.0, TalkSummary(rep_share=0.5),
                                  [SpeechSpan("rep", 0.0, 4.0)], [Segment("rep", 0.0, 4.0, "Hello there.")], [], [])
        store.db.execute(damage)
    with pytest.raises(StoreError) as e:
        with SessionStore(tmp_path / "s.db") as store:
            store.sessions()
            store.load(sid)
    assert "it is not a session database or it is damaged" in str(e.value) and "\n" not in str(e.value)


def test_two_sessions_begun_in_the_same_second_with_the_same_digits_both_get_saved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import secrets
    from datetime import datetime, timezone

    draws = iter(["abcd", "abcd", "ef01"])
    monkeypatch.setattr(secrets, "token_hex", lambda n: next(draws))
    when = datetime(2026, 12, 5, 10, 0, 0, tzinfo=timezone.utc)
    with SessionStore(tmp_path / "s.db") as store:
        first = store.create_session("call", "live", started=when)
        second = store.save_analysis("call.wav", "analyze", "tiny.en", 1.0, TalkSummary(), [], [], [], [],
                                     started=when)
        assert (first, second) == ("20261205-100000-abcd", "20261205-100000-ef01")
        assert len(store.sessions()) == 2


def test_deleting_a_call_while_another_program_reads_waits_briefly_not_the_writers_busy_wait(tmp_path: Path) -> None:
    import sqlite3
    import time

    from copilot.store.sqlite import BUSY_TIMEOUT_S

    with SessionStore(tmp_path / "s.db") as store:
        sid = store.save_analysis("call.wav", "analyze", "tiny.en", 4.0, TalkSummary(rep_share=0.5),
                                  [SpeechSpan("rep", 0.0, 4.0)], [Segment("rep", 0.0, 4.0, "Hello there.")], [], [])
        reader = sqlite3.connect(tmp_path / "s.db", isolation_level=None)
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM segments").fetchone()  # in the middle of reading (an export, say)
        took = time.monotonic()
        assert store.delete(sid) is False  # the log is emptied once that program is done
        assert time.monotonic() - took < BUSY_TIMEOUT_S / 2
        reader.execute("COMMIT")
        reader.close()
        assert store.sessions() == [] and store.checkpoint() is True
