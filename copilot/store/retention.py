"""Removing the words of old calls from the store, keeping their numbers (``core/retention.py`` says what goes).

Each expired session loses, in a transaction of its own: its segments' text and word timings (the
segments stay, with their speakers and times), its flags' sentences and phrases, its
supportive lines' text, its answers to the buyer's requests for advice (whole: they count for
nothing), the quoted phrase in its phrase prompts' reasons, and its kept audio files (removed
once the transaction is in). It is marked with the day it happened, so the review says the
transcript went rather than showing an empty one.

The numbers must not move when the words go. Two things read the words to count. The
rep's marks find their flags again by the phrase (``core/marks.py``): a flag marked "not
pushy", and a flag that stands for a line the rep marked as missed, are deleted here (the
review shows both from the rep's marks, as it did, and counts them as it did). Sessions
stored before supportive lines were kept find them in the transcript, so the caller finds
those first (``report/progress.py``'s ``find_supportive``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from copilot.core.events import Flag
from copilot.core.marks import Mark, settles
from copilot.core.retention import WORDS_GONE_REASON

__all__ = ["Expired", "expire_transcripts"]


@dataclass(frozen=True)
class Expired:
    """What one pass of retention removed."""

    sessions: tuple[str, ...]
    segments: int  # transcript lines emptied
    flags: int  # flags whose sentence went (or, marked "not pushy", went whole)
    supportive: int
    audio_files: int

    def sentence(self, kept: str, given: bool = False) -> str:
        """What was removed, in one sentence (``kept``: the setting in words, "kept 90 days"; ``given``: the days
        were given for this once, ``--keep-days``, not the rep's setting)."""
        days = kept.removeprefix("kept ")
        older = f"older than {days}" if given else f"older than your setting (transcripts are {kept})"
        if not self.sessions:
            return (f"No transcript was older than {days}; nothing was deleted." if given
                    else f"No transcript was old enough to delete (transcripts are {kept}).")
        n = len(self.sessions)
        audio = f" and {self.audio_files} audio file{'s' if self.audio_files != 1 else ''}" if self.audio_files else ""
        return (f"Deleted the transcripts of {n} call{'s' if n != 1 else ''} {older}: {self.segments:,} lines, the "
                f"sentences of {self.flags:,} flags and {self.supportive:,} supportive lines{audio}; their numbers "
                "are kept.")


def expire_transcripts(db: sqlite3.Connection, before: str, marks: Sequence[Mark], today: str) -> Expired:
    """Remove the words of every finished session started before ``before`` (ISO 8601 UTC) whose words are
    still there, then their kept audio; ``marks``: the rep's marks (all calls).

    One transaction a session, so a live session recording beside it waits a few milliseconds
    at most, never for the whole pass (the first pass over a year of calls takes seconds)."""
    from copilot.audio.kept import kept_files

    rows = db.execute("SELECT id, audio FROM sessions WHERE started < ? AND ended != '' "
                      "AND transcript_removed = '' ORDER BY started", (before,)).fetchall()
    segments = flags = supportive = removed = 0
    done: list[str] = []
    for sid, audio in rows:
        db.execute("BEGIN IMMEDIATE")
        try:
            if db.execute("SELECT transcript_removed FROM sessions WHERE id = ?", (sid,)).fetchone() != ("",):
                db.execute("ROLLBACK")  # deleted, or done by another window, meanwhile
                continue
            n = _empty(db, sid, [m for m in marks if m.session == sid], today)
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
        segments, flags, supportive = segments + n[0], flags + n[1], supportive + n[2]
        done.append(str(sid))
        for path in kept_files(audio).values() if audio else ():
            if path.exists():
                path.unlink()
                removed += 1
    return Expired(tuple(done), segments, flags, supportive, removed)


def _empty(db: sqlite3.Connection, sid: str, marks: list[Mark], today: str) -> tuple[int, int, int]:
    """Inside a transaction: one session's words removed; (lines, flags, supportive lines) emptied."""
    flags = _drop_settled_flags(db, sid, marks)
    segments = db.execute("UPDATE segments SET text = '', words = '[]' WHERE session_id = ?", (sid,)).rowcount
    flags += db.execute("UPDATE flags SET text = '', match = '' WHERE session_id = ?", (sid,)).rowcount
    supportive = db.execute("UPDATE supportive SET text = '', match = '' WHERE session_id = ?", (sid,)).rowcount
    # The answers to the buyer's requests for advice count for nothing: without their words they go whole.
    db.execute("DELETE FROM answers WHERE session_id = ?", (sid,))
    db.execute("UPDATE prompts SET reason = ? WHERE session_id = ? AND kind = 'phrase'", (WORDS_GONE_REASON, sid))
    db.execute("UPDATE sessions SET transcript_removed = ?, audio = '' WHERE id = ?", (today, sid))
    return segments, flags, supportive


def _drop_settled_flags(db: sqlite3.Connection, sid: str, marks: list[Mark]) -> int:
    """Delete the flags the rep's marks decide (found by their phrase, which is about to go)."""
    if not marks:
        return 0
    settled = [rowid for rowid, *f in db.execute('SELECT rowid, speaker, start, "end", category, match, text, prompt '
                                                 "FROM flags WHERE session_id = ?", (sid,))
               if any(settles(m, Flag(*f)) for m in marks)]
    db.executemany("DELETE FROM flags WHERE rowid = ?", [(r,) for r in settled])
    return len(settled)
