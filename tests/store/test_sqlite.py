"""The session store: round trip, WAL, schema versions, and clear errors for a bad file."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from copilot.core.events import Flag, Prompt, Segment, SpeechSpan, Word
from copilot.core.talk import TalkSummary
from copilot.store.sqlite import MIGRATIONS, SessionStore, StoreError, default_db_path

TALK = TalkSummary(rep_s=60.0, prospect_s=40.0, rep_share=0.6)


def save(store: SessionStore, source: str = "call.opus") -> str:
    return store.save_analysis(
        source, "analyze", "tiny.en", 123.4, TALK,
        [SpeechSpan("rep", 0.5, 3.0), SpeechSpan("prospect", 3.5, 6.0)],
        [Segment("rep", 0.5, 3.0, "The next step is a pilot.", True, (Word(" The", 0.5, 0.7),)),
         Segment("rep", 3.0, 3.5, "partial", False)],
        [Flag("rep", 0.5, 1.5, "owning_the_path", "The next step is", "The next step is a pilot.", "What next?")],
        [Prompt(3.0, "phrase", "What do you want to do next?", "owning_the_path", "you said", 11.0)],
    )


def test_a_saved_analysis_is_listed_with_its_numbers(tmp_path: Path) -> None:
    with SessionStore(tmp_path / "s.db") as store:
        sid = save(store)
        (row,) = store.sessions()
        assert row.id == sid and row.duration_s == 123.4 and row.rep_share == 0.6 and row.kind == "analyze"
        assert store.segments(sid) == [("rep", 0.5, 3.0, "The next step is a pilot.")]  # partials are not kept
        assert set(row.as_json()) == {"id", "started", "duration_s", "source", "kind", "name", "rep_share", "ended",
                                      "excluded"}
        assert row.as_json()["ended"] == "finished"


def test_sessions_are_listed_newest_first_and_survive_reopening(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    with SessionStore(db) as store:
        first = save(store, "a.opus")
        second = save(store, "b.opus")
    with SessionStore(db) as store:
        ids = [r.id for r in store.sessions()]
    assert set(ids) == {first, second} and len(ids) == 2


def test_the_database_is_in_wal_mode_at_the_current_schema(tmp_path: Path) -> None:
    with SessionStore(tmp_path / "s.db") as store:
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        tables = {r[0] for r in store.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"sessions", "speech_spans", "segments", "flags", "prompts"} <= tables


def test_words_are_kept_for_the_review(tmp_path: Path) -> None:
    with SessionStore(tmp_path / "s.db") as store:
        sid = save(store)
        (words,) = store.db.execute("SELECT words FROM segments WHERE session_id = ?", (sid,)).fetchone()
    assert json.loads(words) == [[" The", 0.5, 0.7]]


def test_a_file_that_is_not_a_database_is_one_sentence_and_is_left_alone(tmp_path: Path) -> None:
    bad = tmp_path / "s.db"
    bad.write_bytes(b"these are not the sessions you are looking for" * 100)
    before = bad.read_bytes()
    with pytest.raises(StoreError) as e:
        SessionStore(bad)
    assert "not a session database" in str(e.value) and "\n" not in str(e.value)
    assert bad.read_bytes() == before


def test_a_database_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    con = sqlite3.connect(db)
    con.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    con.close()
    with pytest.raises(StoreError, match="newer version"):
        SessionStore(db)


def test_a_folder_as_database_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="folder"):
        SessionStore(tmp_path)


def test_a_failed_save_leaves_no_half_session(tmp_path: Path) -> None:
    with SessionStore(tmp_path / "s.db") as store:
        store.db.execute(
            "CREATE TRIGGER no_flags BEFORE INSERT ON flags BEGIN SELECT RAISE(ABORT, 'disk is full'); END"
        )
        with pytest.raises(StoreError, match="disk is full"):
            save(store)
        assert store.sessions() == []
        assert store.db.execute("SELECT count(*) FROM speech_spans").fetchone()[0] == 0


def test_the_default_location_is_the_user_data_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_db_path() == tmp_path / "live-call-copilot" / "sessions.db"


def test_a_revision_replaces_the_stored_finals_of_its_stretch_only(tmp_path: Path) -> None:
    with SessionStore(tmp_path / "s.db") as store:
        sid = store.create_session("live", "live")
        store.add(sid, segments=[Segment("rep", 1.0, 2.0, "Next stop."), Segment("rep", 2.5, 3.0, "Okay."),
                                 Segment("prospect", 1.5, 2.5, "Hm."), Segment("rep", 9.0, 10.0, "Later.")])
        store.add(sid, segments=[Segment("rep", 1.0, 3.0, "The next step. Okay.", replaces=(0.9, 3.1))])
        assert store.segments(sid) == [("rep", 1.0, 3.0, "The next step. Okay."), ("prospect", 1.5, 2.5, "Hm."),
                                       ("rep", 9.0, 10.0, "Later.")]


def test_a_stored_session_loads_whole_and_can_be_renamed_found_and_deleted_alone(tmp_path: Path) -> None:
    with SessionStore(tmp_path / "s.db") as store:
        keep, gone = save(store, "a.opus"), save(store, "b.opus")
        loaded = store.load(keep)
        assert loaded.row.id == keep and loaded.talk == TALK and len(loaded.spans) == 2
        assert [s.text for s in loaded.segments] == ["The next step is a pilot."]  # partials are not kept
        assert loaded.segments[0].words == (Word(" The", 0.5, 0.7),)
        assert loaded.flags[0].match == "The next step is" and loaded.prompts[0].kind == "phrase"
        store.rename(keep, "  Acme discovery ")
        assert store.find(keep) == keep
        store.delete(gone)
        assert [r.id for r in store.sessions()] == [keep] and store.sessions()[0].name == "Acme discovery"
        with pytest.raises(StoreError, match="no session"):
            store.load(gone)
        with pytest.raises(StoreError, match="no session"):
            store.delete(gone)
        assert store.find(keep[:8]) == keep  # one session left: a prefix is enough


def test_an_analysis_that_replaces_an_earlier_one_takes_its_id_name_date_and_exclusion(tmp_path: Path) -> None:
    from datetime import datetime, timezone

    when = datetime(2026, 11, 2, 9, 30, tzinfo=timezone.utc)
    with SessionStore(tmp_path / "s.db") as store:
        other = save(store, "other.opus")
        first = store.save_analysis("call.opus", "analyze", "tiny.en", 10.0, TALK, [], [], [], [],
                                    started=when, recording="sha256:ab")
        store.rename(first, "Acme")
        store.set_excluded(first, True)
        found = store.analysed_before("sha256:ab")
        assert found is not None and found[0].id == first and not found[1] and store.analysed_before("") is None
        assert store.analysed_before("sha256:cd") is None
        cut = store.save_analysis("cut.opus", "analyze", "tiny.en", 3.0, TALK, [], [], [], [], recording="sha256:c1",
                                  recording_head="sha256:h", cut_short="cut.opus ends at 0:03 ...")
        found = store.analysed_before("sha256:whole", "sha256:h")  # the whole file, after its cut copy
        assert found is not None and found[0].id == cut and found[1]
        store.delete(cut)
        whole = store.save_analysis("w.opus", "analyze", "tiny.en", 3.0, TALK, [], [], [], [], recording="sha256:w2",
                                    recording_head="sha256:h2")
        assert store.analysed_before("sha256:other", "sha256:h2") is None  # a whole one: only its bytes match
        store.delete(whole)
        again = store.save_analysis("call copy.opus", "analyze", "small.en", 11.0, TALK, [],
                                    [Segment("rep", 0.5, 3.0, "Hello there.", True)], [], [],
                                    recording="sha256:ab", replaces=first)
        assert again == first
        rows = {r.id: r for r in store.sessions()}
        assert set(rows) == {first, other}
        row = rows[first]
        assert (row.name, row.excluded, row.model, row.source, row.duration_s) == (
            "Acme", True, "small.en", "call copy.opus", 11.0)
        assert datetime.fromisoformat(row.started) == when
        assert store.segments(first) == [("rep", 0.5, 3.0, "Hello there.")]
        assert store.segments(other) == [("rep", 0.5, 3.0, "The next step is a pilot.")]
        # The earlier analysis deleted while this one ran: this one is a new call, not lost.
        new = store.save_analysis("x", "analyze", "tiny.en", 1.0, TALK, [], [], [], [], replaces="nope")
        assert new not in (first, other) and len(store.sessions()) == 3


def test_a_prefix_shared_by_two_sessions_asks_for_more(tmp_path: Path) -> None:
    with SessionStore(tmp_path / "s.db") as store:
        save(store), save(store)
        with pytest.raises(StoreError, match="2 sessions start with"):
            store.find("2")
        with pytest.raises(StoreError, match="no session"):
            store.find("x%")


def test_a_database_from_the_first_version_is_upgraded_in_place_and_keeps_its_sessions(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = sqlite3.connect(path)
    db.executescript(MIGRATIONS[0])
    db.execute("INSERT INTO sessions (id, started, source, kind, talk) VALUES ('old-1', '2026-01-01T10:00:00+00:00', "
               "'call.opus', 'analyze', '{\"rep_share\": 0.5}')")
    db.execute("INSERT INTO sessions (id, started, source, kind) VALUES ('old-2', '2026-01-02T10:00:00+00:00', "
               "'Built-in Microphone + Monitor', 'live')")  # a call whose app died before this version
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    with SessionStore(path) as store:
        assert store.load("old-1").audio == "" and store.load("old-1").row.ended == "finished"
        assert store.load("old-2").row.ended_unexpectedly  # finished now, from what it had
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)


def test_a_recording_cut_short_is_kept_with_its_call_and_the_review_says_so(tmp_path: Path) -> None:
    from copilot.core.rulebook import Rulebook
    from copilot.report.review import build_review

    with SessionStore(tmp_path / "s.db") as store:
        cut = store.save_analysis("call.wav", "analyze", "tiny.en", 41.0, TALK, [], [], [], [],
                                  cut_short="call.wav ends at 0:41 though its header says 2:03: it looks cut short.")
        whole = save(store)
        assert store.load(cut).cut_short.startswith("call.wav ends at 0:41") and store.load(whole).cut_short == ""
        said = build_review(store.load(cut), Rulebook.load(), []).meta
        assert said.endswith(" · its recording looks cut short (the numbers cover what was there)")
        assert "cut short" not in build_review(store.load(whole), Rulebook.load(), []).meta


def test_a_disk_io_error_on_a_full_disk_says_the_disk_is_full(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil
    from collections import namedtuple

    with SessionStore(tmp_path / "s.db") as store:
        sid = save(store)
        usage = namedtuple("usage", "total used free")
        monkeypatch.setattr(shutil, "disk_usage", lambda _p: usage(10**9, 10**9, 0))

        def io_error(*_a: object) -> None:
            e = sqlite3.OperationalError("disk I/O error")
            e.sqlite_errorname = "SQLITE_IOERR_WRITE"
            raise e

        monkeypatch.setattr(store, "db", _Failing(store.db, io_error))
        with pytest.raises(StoreError, match="the disk is full; free some space"):
            store.rename(sid, "Acme")


class _Failing:
    """A connection whose every statement fails as ``fail`` says."""

    def __init__(self, db: sqlite3.Connection, fail: object) -> None:
        self._db, self._fail = db, fail

    def execute(self, *a: object) -> None:
        self._fail()  # type: ignore[operator]

    def __getattr__(self, name: str) -> object:
        return getattr(self._db, name)
