"""Deletion that deletes: after a call is deleted, none of its sentences is in the database's files."""

from __future__ import annotations

from pathlib import Path

import pytest

from copilot.core.events import Flag, Segment, SpeechSpan, SupportiveLine
from copilot.core.talk import TalkSummary
from copilot.store.sqlite import SessionStore

SECRET = "my card number is four one one one and the zebra quartz manifesto"
KEPT = "the other call that stays untouched"


def store_call(store: SessionStore, sentence: str) -> str:
    return store.save_analysis(
        "call.opus", "analyze", "tiny.en", 60.0, TalkSummary(rep_s=30.0, prospect_s=30.0, rep_share=0.5),
        [SpeechSpan("rep", 0.0, 5.0)], [Segment("rep", 0.0, 5.0, sentence)],
        [Flag("rep", 0.0, 5.0, "owning_the_path", sentence, sentence, "What next?")], [],
        supportive=[SupportiveLine("rep", 0.0, 5.0, "your call", sentence)])


def on_disk(store: SessionStore) -> bytes:
    """Every byte of the store's files (the database, its write-ahead log and shared memory)."""
    return b"".join(p.read_bytes() for p in store.files())


@pytest.mark.parametrize(("secure", "checkpoint"), [(True, True), (False, True), (True, False)],
                         ids=["secure-delete", "without-secure-delete", "without-checkpoint"])
def test_a_deleted_calls_sentences_are_nowhere_in_the_database_files(tmp_path: Path, secure: bool, checkpoint: bool,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    if not checkpoint:  # the deleted rows stay in the write-ahead log as they were written, until it is folded in
        monkeypatch.setattr(SessionStore, "checkpoint", lambda self: True)
    with SessionStore(tmp_path / "sessions.db") as store:
        if not secure:  # what a SQLite built without secure delete and a store that never asked would do
            store.db.execute("PRAGMA secure_delete = OFF")
        assert store.db.execute("PRAGMA secure_delete").fetchone()[0] == int(secure)
        sid = store_call(store, SECRET)
        other = store_call(store, KEPT)
        assert SECRET.encode() in on_disk(store)
        store.delete(sid)
        assert [r.id for r in store.sessions()] == [other]
        left_open = on_disk(store)
    # The test can fail: without secure delete the text stays in the database file's free space, without the
    # checkpoint in the write-ahead log (while the store is open: closing it folds the log in).
    assert (SECRET.encode() in left_open) is not (secure and checkpoint)
    left_closed = b"".join(p.read_bytes() for p in tmp_path.iterdir())
    assert (SECRET.encode() in left_closed) is not secure
    assert KEPT.encode() in left_closed


def test_the_store_asks_for_secure_delete_on_every_connection(tmp_path: Path) -> None:
    with SessionStore(tmp_path / "s.db") as store:
        assert store.db.execute("PRAGMA secure_delete").fetchone()[0] == 1


def test_deleting_every_call_empties_the_store_and_its_files(tmp_path: Path) -> None:
    with SessionStore(tmp_path / "sessions.db") as store:
        for n in range(5):
            store_call(store, f"{SECRET} {n}")
        audio = tmp_path / "audio"
        audio.mkdir()
        (audio / "x.rep.wav").write_bytes(b"RIFF")
        (audio / "x.prospect.wav").write_bytes(b"RIFF")
        store.set_audio(store.sessions()[0].id, str(audio / "x"))
        assert store.delete_all() == 5
        assert store.sessions() == []
        assert b"zebra quartz" not in on_disk(store)
        assert not list(audio.iterdir())
