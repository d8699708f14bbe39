"""The session store: every analysed or live call, kept in one local SQLite file.

One row per session, with its speech spans, transcript segments, flags and prompts in
their own tables. WAL mode lets the live app write while the review reads. The schema is
versioned with ``PRAGMA user_version`` and upgraded in place by :data:`MIGRATIONS`.
Anything that goes wrong with the file itself (not a database, disk full, no permission)
becomes a :class:`StoreError` with one sentence; nothing half-written is left behind.
"""

from __future__ import annotations

import json
import secrets
import shutil
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal

from copilot.core.events import SPEAKERS, Answer, Flag, Prompt, Segment, Speaker, SpeechSpan, SupportiveLine, Word
from copilot.core.marks import Mark
from copilot.core.redact import Hidden
from copilot.core.talk import TalkSummary
from copilot.errors import UserError
from copilot.store.private import create_private, data_folder, private_dir, tighten
from copilot.store.progress import CallRow, PromptInputs, call_rows, flags_of, prompt_inputs, unknown_supportive
from copilot.store.recovery import finish_unfinished, this_process
from copilot.store.retention import Expired
from copilot.store.retention import expire_transcripts as expire_words

__all__ = ["StoreError", "SessionRow", "StoredSession", "SessionStore", "default_db_path", "MIGRATIONS", "HiddenLater"]


HiddenLater = Literal["off", "later"]  # a session's text kept as heard, or to be hidden whenever it is read

# How long a writer waits for another to finish before the store counts as locked. The longest
# write here (an hour-long call's analysis) holds the store about 50 ms; the wait covers several
# writers at once (the app recording a call while `copilot analyze` saves and `copilot report`
# reads) on a machine busy with the call itself: `copilot bench store` (docs/faults.md).
BUSY_TIMEOUT_S = 10.0
CHECKPOINT_WAIT_S = 1.0  # how long emptying the write-ahead log after a deletion waits for readers

MIGRATIONS: tuple[str, ...] = (
    # 1: the first schema
    """
    CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        started TEXT NOT NULL,          -- ISO 8601, UTC
        duration_s REAL NOT NULL DEFAULT 0,
        source TEXT NOT NULL,
        kind TEXT NOT NULL,             -- 'analyze' or 'live'
        model TEXT NOT NULL DEFAULT '',
        name TEXT NOT NULL DEFAULT '',
        rep_share REAL,
        talk TEXT NOT NULL DEFAULT '{}' -- the talk object of the analysis JSON
    );
    CREATE TABLE speech_spans (
        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        speaker TEXT NOT NULL, start REAL NOT NULL, "end" REAL NOT NULL
    );
    CREATE TABLE segments (
        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        speaker TEXT NOT NULL, start REAL NOT NULL, "end" REAL NOT NULL, text TEXT NOT NULL,
        words TEXT NOT NULL DEFAULT '[]'  -- [[text, start, end], ...]
    );
    CREATE TABLE flags (
        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        speaker TEXT NOT NULL, start REAL NOT NULL, "end" REAL NOT NULL, category TEXT NOT NULL,
        match TEXT NOT NULL, text TEXT NOT NULL, prompt TEXT NOT NULL
    );
    CREATE TABLE prompts (
        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        time REAL NOT NULL, kind TEXT NOT NULL, text TEXT NOT NULL, category TEXT NOT NULL,
        reason TEXT NOT NULL
    );
    CREATE INDEX speech_spans_session ON speech_spans(session_id, start);
    CREATE INDEX segments_session ON segments(session_id, start);
    CREATE INDEX flags_session ON flags(session_id, start);
    CREATE INDEX prompts_session ON prompts(session_id, time);
    """,
    # 2: where the call's audio is kept ('' = not kept): the base of <base>.rep.wav and <base>.prospect.wav
    """
    ALTER TABLE sessions ADD COLUMN audio TEXT NOT NULL DEFAULT '';
    """,
    # 3: who records a session (host:pid), and how it ended: '' while recording, 'finished', or
    # 'unexpectedly' (the recording process died; finished later from what was stored)
    """
    ALTER TABLE sessions ADD COLUMN owner TEXT NOT NULL DEFAULT '';
    ALTER TABLE sessions ADD COLUMN ended TEXT NOT NULL DEFAULT '';
    UPDATE sessions SET ended = 'finished' WHERE talk != '{}';
    """,
    # 4: a mixed recording's voices (1-based) and their turns, and which voice is the rep (0: not mixed)
    """
    CREATE TABLE voices (
        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        voice INTEGER NOT NULL, start REAL NOT NULL, "end" REAL NOT NULL
    );
    CREATE INDEX voices_session ON voices(session_id, start);
    ALTER TABLE sessions ADD COLUMN rep_voice INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE sessions ADD COLUMN rep_guessed INTEGER NOT NULL DEFAULT 0;
    """,
    # 5: the rep's autonomy-supportive lines, kept like the flags (Progress counts them without running the
    # detector again); supportive_known = 1 once a session's lines are written (sessions stored before this
    # have none until they are found again from their transcript, store/progress.py); excluded = 1: the rep
    # left the call out of Progress (an internal meeting)
    """
    CREATE TABLE supportive (
        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        speaker TEXT NOT NULL, start REAL NOT NULL, "end" REAL NOT NULL, match TEXT NOT NULL, text TEXT NOT NULL
    );
    CREATE INDEX supportive_session ON supportive(session_id, start);
    ALTER TABLE sessions ADD COLUMN supportive_known INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE sessions ADD COLUMN excluded INTEGER NOT NULL DEFAULT 0;
    """,
    # 6: the day a session's transcript was deleted by the rep's retention setting ('' = still there); its
    # numbers stay (store/retention.py)
    """
    ALTER TABLE sessions ADD COLUMN transcript_removed TEXT NOT NULL DEFAULT '';
    """,
    # 7: what was hidden before the session's text was kept (card and bank numbers, ID numbers, e-mail addresses,
    # phone numbers): a JSON object of counts by kind ('{}': hidden, none found), 'off' (the rep kept them as
    # heard), or NULL: stored before anything was hidden, so it is hidden when read (_hidden_on_read)
    """
    ALTER TABLE sessions ADD COLUMN hidden TEXT;
    """,
    # 8: the rep's words the detector would flag that answered the buyer's request for advice (core/asked.py): not
    # counted, kept so the review can say why; asked_at: when the buyer asked (NULL: not known)
    """
    CREATE TABLE answers (
        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        speaker TEXT NOT NULL, start REAL NOT NULL, "end" REAL NOT NULL, category TEXT NOT NULL,
        match TEXT NOT NULL, text TEXT NOT NULL, prompt TEXT NOT NULL, asked_at REAL
    );
    CREATE INDEX answers_session ON answers(session_id, start);
    """,
    # 9: what an analysed recording's bytes hash to ('' = not known: a live call, or analysed before this), so a
    # recording analysed again replaces its earlier analysis instead of counting twice in Progress; why its
    # recording looks cut short ('' = it looks whole, or not known), so the review says its numbers are partial;
    # and what its first bytes hash to, so the whole file analysed after a cut copy of it replaces that one
    """
    ALTER TABLE sessions ADD COLUMN recording TEXT NOT NULL DEFAULT '';
    CREATE INDEX sessions_recording ON sessions(recording) WHERE recording != '';
    ALTER TABLE sessions ADD COLUMN cut_short TEXT NOT NULL DEFAULT '';
    ALTER TABLE sessions ADD COLUMN recording_head TEXT NOT NULL DEFAULT '';
    """,
)


@dataclass(frozen=True)
class StoredSession:
    """One session as kept: its listing row, talk numbers, speech, transcript, flags and prompts."""

    row: SessionRow
    talk: TalkSummary | None  # None: the session never finished (the app ended mid-call)
    spans: list[SpeechSpan]
    segments: list[Segment]
    flags: list[Flag]
    prompts: list[Prompt]
    audio: str = ""  # where the call's audio was kept, if the rep opted in
    voice_turns: list[tuple[int, float, float]] = field(default_factory=list)  # a mixed recording: (voice, start, end)
    rep_voice: int = 0  # a mixed recording: the rep's voice (1-based); 0 for two-channel calls
    rep_guessed: bool = False  # a mixed recording whose rep voice nothing said: the numbers are a guess
    supportive: list[SupportiveLine] | None = None  # None: not known (stored before they were kept)
    transcript_removed: str = ""  # the day its words were deleted (retention); "" while they are kept
    hidden: Hidden | None = field(default_factory=dict)  # how many of each kind were hidden; None: hiding was off
    answers: list[Answer] = field(default_factory=list)  # advice the buyer asked for: not counted, said why
    cut_short: str = ""  # why an analysed recording looks cut short ("" = whole, or not known)


def _talk(text: str) -> TalkSummary | None:
    try:
        data = json.loads(text)
    except ValueError:
        return None
    return TalkSummary.from_json(data) if isinstance(data, dict) and data else None


def _words(text: str) -> list[tuple[str, float, float]]:
    try:
        data = json.loads(text)
        return [(str(w), float(a), float(b)) for w, a, b in data]
    except (ValueError, TypeError):
        return []


def _hidden_column(hidden: Hidden | HiddenLater) -> str | None:
    if hidden == "later":
        return None
    return "off" if hidden == "off" else json.dumps(hidden)


def _hidden_counts(text: str | None) -> Hidden | None:
    """The hidden column read back: counts by kind; None when hiding was off (or the column cannot be read)."""
    if text is None or text == "off":
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    return {str(k): int(v) for k, v in data.items()} if isinstance(data, dict) else None


def _hidden_on_read(stored: StoredSession) -> StoredSession:
    """A session kept by a version that hid nothing (its ``hidden`` column NULL), hidden on the way out: its
    review, report, JSON and export show no more than a new call would keep. The file is left as it was (nothing
    rewrites a rep's calls behind their back); deleting the call, or retention, removes its text for good."""
    from copilot.redaction import redactor

    kept = redactor().call(stored.segments, stored.flags, stored.supportive or (), stored.prompts, stored.answers)
    return replace(stored, segments=kept.segments, flags=kept.flags, prompts=kept.prompts,
                   supportive=kept.supportive if stored.supportive is not None else None, hidden=kept.hidden,
                   answers=kept.answers)


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _speaker(value: object) -> Speaker:
    if value not in SPEAKERS:
        raise ValueError(f"a speaker {value!r}")  # a damaged row: said as the store being damaged
    return value


def _session_row(r: Sequence[Any]) -> SessionRow:
    """A listing row from the database, each value of the kind it must be (ValueError or TypeError if the
    file is damaged: said as one sentence by the caller)."""
    datetime.fromisoformat(str(r[1]))  # every list and export reads the start as a time
    return SessionRow(str(r[0]), str(r[1]), float(r[2]), str(r[3]), str(r[4]), str(r[5]), str(r[6]),
                      None if r[7] is None else float(r[7]), str(r[8]), bool(r[9]), bool(r[10]))


_FULL_BELOW = 1 << 20  # bytes free under which a failed write is the disk being full
_DAMAGED = "it is not a session database or it is damaged; move it aside or pass --db with another file"
_REASONS = {"SQLITE_FULL": "the disk is full; free some space and try again", "SQLITE_NOTADB": _DAMAGED,
            "SQLITE_CORRUPT": _DAMAGED, "SQLITE_BUSY": "another program holds it locked; close it and try again",
            "SQLITE_LOCKED": "another program holds it locked; close it and try again",
            "SQLITE_READONLY": "it cannot be written here; check the folder's permissions or pass --db",
            "SQLITE_CANTOPEN": "it cannot be opened here; check the folder's permissions or pass --db"}


def _no_room(path: Path) -> bool:
    """The disk holding ``path`` is full (under a megabyte free): what SQLite's own words may not say."""
    try:
        return shutil.disk_usage(path.parent if path.parent.exists() else Path.cwd()).free < _FULL_BELOW
    except OSError:
        return False


def _reason(e: sqlite3.DatabaseError) -> str:
    """What went wrong with the file, in the rep's words: by SQLite's error code, else by its message
    (which may quote a damaged row back, so it is never shown whole)."""
    known = _REASONS.get(getattr(e, "sqlite_errorname", None) or "")
    if known:
        return known
    msg = str(e).lower()
    if "could not decode" in msg or "not a database" in msg or "malformed" in msg:
        return _DAMAGED
    if "full" in msg:
        return _REASONS["SQLITE_FULL"]
    if "locked" in msg or "busy" in msg:
        return _REASONS["SQLITE_BUSY"]
    if "readonly" in msg or "unable to open" in msg:
        return _REASONS["SQLITE_READONLY"]
    text = " ".join(str(e).split())
    return text if len(text) <= 120 else text[:119] + "\u2026"


class StoreError(UserError):
    """The session database cannot be used; the message says which file and what to do."""


@dataclass(frozen=True)
class SessionRow:
    """One stored session as listed by ``copilot sessions``."""

    id: str
    started: str
    duration_s: float
    source: str
    kind: str
    model: str
    name: str
    rep_share: float | None
    ended: str = "finished"  # '' while it is being recorded; 'unexpectedly' if the recording died
    rep_guessed: bool = False  # a mixed recording whose rep voice was guessed: its share is a guess
    excluded: bool = False  # the rep left it out of Progress (an internal meeting, say)

    @property
    def ended_unexpectedly(self) -> bool:
        """The app or the command recording it died; its numbers were worked out from what was stored."""
        return self.ended == "unexpectedly"

    @property
    def label(self) -> str:
        """How a list of calls names it: its name or where it came from, and how it ended if not normally."""
        ended = " (ended unexpectedly)" if self.ended_unexpectedly else " (recording)" if self.ended == "" else ""
        return (self.name or self.source) + ended

    def as_json(self) -> dict[str, Any]:
        """The listing fields of ``copilot sessions --json``."""
        return {"id": self.id, "started": self.started, "duration_s": round(self.duration_s, 2),
                "source": self.source, "kind": self.kind, "name": self.name, "rep_share": self.rep_share,
                "ended": self.ended or "recording", "excluded": self.excluded}


def default_db_path() -> Path:
    """sessions.db in the user's data folder (e.g. ~/.local/share/live-call-copilot on Linux)."""
    return data_folder() / "sessions.db"


class SessionStore:
    """Read and write sessions in one SQLite file; use as a context manager."""

    def __init__(self, path: str | Path | None = None, existing: bool = False) -> None:
        """Open (or make) the store at ``path`` (default: the rep's own). ``existing``: a command that only reads
        or changes stored calls; a ``path`` named that is not there is said, not made (a mistyped --db would
        otherwise show an empty store, as if the calls were gone). The rep's own store may not exist yet."""
        self.path = Path(path) if path is not None else default_db_path()
        if existing and path is not None and not self.path.exists():
            raise StoreError(f"There is no session database at {self.path}; check the name (`copilot analyze` and "
                             "`copilot live` make one).")
        with self._errors("open"):
            if self.path.is_dir():
                raise StoreError(f"{self.path} is a folder; --db needs a file name.")
            # Owner-only from the start: SQLite gives the -wal and -shm files the database file's own mode.
            private_dir(self.path.parent)
            create_private(self.path)
            self.db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False,
                                      timeout=BUSY_TIMEOUT_S)
            # What is deleted is overwritten, not left in free pages (SQLite's default is off; some builds turn it on).
            self.db.execute("PRAGMA secure_delete = ON")
            self.db.execute("PRAGMA foreign_keys = ON")
            self._wal()
            # Each commit reaches the disk before it returns: a session the app said was saved
            # survives a power cut (in WAL mode a commit costs one sync of the log, ~0.3 ms here).
            self.db.execute("PRAGMA synchronous = FULL")
            self._migrate()
            for path in self.files():  # made readable by an older version
                tighten(path, 0o600)
            finish_unfinished(self.db)

    def __enter__(self) -> SessionStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the file (idempotent)."""
        if getattr(self, "db", None) is not None:
            self.db.close()
            self.db = None  # type: ignore[assignment]

    # ---- writing -----------------------------------------------------------------

    def create_session(self, source: str, kind: str, model: str = "", started: datetime | None = None,
                       hidden: Hidden | HiddenLater = "later") -> str:
        """A new, empty session; returns its id (date and time, then four random hex digits). ``hidden`` says
        how its text comes: with what must not be kept already hidden (how many of each kind), ``"off"`` (the
        rep turned hiding off: kept as heard), or ``"later"`` (not said: hidden whenever it is read)."""
        with self._errors("save the session to"), self._tx():
            return self._new_session(source, kind, model, started, hidden)

    def add(self, session_id: str, *, spans: Sequence[SpeechSpan] = (), segments: Sequence[Segment] = (),
            flags: Sequence[Flag] = (), prompts: Sequence[Prompt] = (), hidden: Hidden | None = None) -> None:
        """Append results to a session in one transaction (all or nothing); ``hidden``: how many of each kind
        were hidden in the session so far (the count kept with it).

        A segment that ``replaces`` a stretch (a live revision) first removes the stored finals
        of its speaker whose middle lies in that stretch."""
        with self._errors("save the session to"), self._tx():
            if hidden is not None:
                self.db.execute("UPDATE sessions SET hidden = ? WHERE id = ?", (json.dumps(hidden), session_id))
            self._add_rows(session_id, spans, segments, flags, prompts)

    def finish_session(self, session_id: str, duration_s: float, talk: TalkSummary,
                       supportive: Sequence[SupportiveLine] | None = None, hidden: Hidden | None = None,
                       answers: Sequence[Answer] | None = None) -> None:
        """Record the call's length and talk numbers, its autonomy-supportive lines if given, how many of each
        kind were hidden in it if given, and the rep's answers to the buyer's requests for advice if given."""
        with self._errors("save the session to"), self._tx():
            self._finish(session_id, duration_s, talk, supportive, hidden)
            if answers is not None:
                self._put_answers(session_id, answers)

    def set_supportive(self, session_id: str, supportive: Sequence[SupportiveLine]) -> None:
        """A session's autonomy-supportive lines, replacing any kept before (one transaction)."""
        with self._errors("save the session to"), self._tx():
            self._put_supportive(session_id, supportive)

    def set_excluded(self, session_id: str, excluded: bool) -> None:
        """Leave a call out of Progress (an internal meeting), or count it again."""
        with self._errors("save the session to"), self._tx():
            if self.db.execute("UPDATE sessions SET excluded = ? WHERE id = ?",
                               (int(excluded), session_id)).rowcount != 1:
                raise StoreError(f"There is no session {session_id} in {self.path}.")

    def save_analysis(self, source: str, kind: str, model: str, duration_s: float, talk: TalkSummary,
                      spans: Sequence[SpeechSpan], segments: Sequence[Segment], flags: Sequence[Flag],
                      prompts: Sequence[Prompt], voice_turns: Sequence[tuple[int, float, float]] = (),
                      rep_voice: int = 0, rep_guessed: bool = False,
                      supportive: Sequence[SupportiveLine] | None = None, started: datetime | None = None,
                      hidden: Hidden | HiddenLater = "later", answers: Sequence[Answer] = (),
                      recording: str = "", replaces: str | None = None, cut_short: str = "",
                      recording_head: str = "") -> str:
        """A whole finished analysis as one session, written in one transaction: a crash or a full disk leaves
        all of it or none (``supportive``: its autonomy-supportive lines; None: not known, found later from the
        transcript; ``started``: when the call began, if not now: a call analysed from a recording, or a store
        made for a test or a measurement; ``hidden``: as for :meth:`create_session`; ``answers``: the rep's
        answers to the buyer's requests for advice; ``recording`` and ``recording_head``: what the recording and
        its first bytes hash to, see :meth:`analysed_before`; ``cut_short``: why the recording looks cut short, ''
        if it looks whole).

        ``replaces``: the id of an earlier analysis of the same recording. It goes, and this one takes its id
        (the rep's marks name it), its name, whether it is left out of Progress and, without ``started``, its
        date. One deleted meanwhile replaces nothing: this one is stored as a new call."""
        with self._errors("save the session to"), self._tx():
            kept: tuple[Any, ...] = ("", 0)
            before = (None if replaces is None else
                      self.db.execute("SELECT name, excluded, started FROM sessions WHERE id = ?",
                                      (replaces,)).fetchone())
            if before is None:
                replaces = None
            else:
                kept = tuple(before[:2])
                started = started or datetime.fromisoformat(str(before[2]))
                self.db.execute("DELETE FROM sessions WHERE id = ?", (replaces,))
            sid = self._new_session(source, kind, model, started, hidden, sid=replaces)
            self.db.execute("UPDATE sessions SET recording = ?, recording_head = ?, cut_short = ?, name = ?, "
                            "excluded = ? WHERE id = ?", (recording, recording_head, cut_short, *kept, sid))
            self._add_rows(sid, spans, segments, flags, prompts)
            self._put_answers(sid, answers)
            if voice_turns:
                self.db.executemany('INSERT INTO voices VALUES (?, ?, ?, ?)',
                                    [(sid, v, a, b) for v, a, b in voice_turns])
                self.db.execute("UPDATE sessions SET rep_voice = ?, rep_guessed = ? WHERE id = ?",
                                (rep_voice, int(rep_guessed), sid))
            self._finish(sid, duration_s, talk, supportive)
        if replaces is not None:
            self.checkpoint()  # the earlier analysis's words leave the write-ahead log too
        return sid

    def analysed_before(self, recording: str, head: str = "") -> tuple[SessionRow, bool] | None:
        """The stored analysis of a recording with these bytes (``recording``: what they hash to), or else of a
        copy of it that was cut short (``head``: what its first bytes hash to), if any; and whether it was that."""
        if not recording:
            return None
        columns = "id, started, duration_s, source, kind, model, name, rep_share, ended, rep_guessed, excluded"
        with self._errors("read"):
            row = self.db.execute(f"SELECT {columns} FROM sessions WHERE recording = ? "
                                  "ORDER BY started DESC, id DESC", (recording,)).fetchone()
            if row is not None:
                return _session_row(row), False
            row = (self.db.execute(f"SELECT {columns} FROM sessions WHERE recording_head = ? AND cut_short != '' "
                                   "ORDER BY started DESC, id DESC", (head,)).fetchone() if head else None)
            return None if row is None else (_session_row(row), True)

    def rep_voice_said(self, session_id: str) -> int | None:
        """The voice of a mixed recording the rep said was theirs ("This is me", ``sessions me``, --rep-speaker,
        a voice sample or profile: not a guess), or None."""
        with self._errors("read"):
            row = self.db.execute("SELECT rep_voice, rep_guessed FROM sessions WHERE id = ?", (session_id,)).fetchone()
        return int(row[0]) if row is not None and int(row[0]) > 0 and not row[1] else None

    def replace_results(self, session_id: str, talk: TalkSummary, spans: Sequence[SpeechSpan],
                        segments: Sequence[Segment], flags: Sequence[Flag], prompts: Sequence[Prompt],
                        rep_voice: int, supportive: Sequence[SupportiveLine] | None = None,
                        hidden: Hidden | None = None, answers: Sequence[Answer] = ()) -> None:
        """A session's speech, transcript, flags, prompts, supportive lines and numbers worked out again (the rep
        said which voice of a mixed recording is theirs), in one transaction (``supportive`` None: not known,
        found again later from the new transcript; ``hidden``: how many of each kind were hidden in the new text,
        None: the count stays, as when the stored text is worked out again; ``answers``: as for
        :meth:`save_analysis`)."""
        with self._errors("save the session to"), self._tx():
            self._put_answers(session_id, answers)
            for table in ("speech_spans", "segments", "flags", "prompts"):
                self.db.execute(f"DELETE FROM {table} WHERE session_id = ?", (session_id,))
            self.db.execute("UPDATE sessions SET rep_voice = ?, rep_guessed = 0, rep_share = ?, talk = ? WHERE id = ?",
                            (rep_voice, talk.rep_share, json.dumps(talk.as_json()), session_id))
            if hidden is not None:
                self.db.execute("UPDATE sessions SET hidden = ? WHERE id = ?", (json.dumps(hidden), session_id))
            self._put_supportive(session_id, supportive)
            self._add_rows(session_id, spans, segments, flags, prompts)

    # ---- reading -----------------------------------------------------------------

    def sessions(self) -> list[SessionRow]:
        """All sessions, newest first."""
        with self._errors("read"):
            rows = self.db.execute("SELECT id, started, duration_s, source, kind, model, name, rep_share, ended, "
                                   "rep_guessed, excluded "
                                   "FROM sessions ORDER BY started DESC, id DESC").fetchall()
            return [_session_row(r) for r in rows]

    def load(self, session_id: str, words: bool = True) -> StoredSession:
        """Everything kept of one session (for the review and the report); StoreError if there is none.
        ``words=False`` leaves out each segment's word timings (an export of many calls does not need them)."""
        with self._errors("read"), self._snapshot():
            row = self.db.execute("SELECT id, started, duration_s, source, kind, model, name, rep_share, ended, "
                                  "talk, audio, rep_voice, rep_guessed, excluded, supportive_known, "
                                  "transcript_removed, hidden, cut_short FROM sessions WHERE id = ?",
                                  (session_id,)).fetchone()
            if row is None:
                raise StoreError(f"There is no session {session_id} in {self.path}; "
                                 "`copilot sessions` lists the ones there are.")
            spans = self.db.execute('SELECT speaker, start, "end" FROM speech_spans WHERE session_id = ? '
                                    "ORDER BY start", (session_id,)).fetchall()
            segments = self.db.execute(f'SELECT speaker, start, "end", text, {"words" if words else "NULL"} '
                                       "FROM segments WHERE session_id = ? ORDER BY start", (session_id,)).fetchall()
            flags = self.db.execute('SELECT speaker, start, "end", category, match, text, prompt FROM flags '
                                    "WHERE session_id = ? ORDER BY start", (session_id,)).fetchall()
            prompts = self.db.execute("SELECT time, kind, text, category, reason FROM prompts "
                                      "WHERE session_id = ? ORDER BY time", (session_id,)).fetchall()
            voices = self.db.execute('SELECT voice, start, "end" FROM voices WHERE session_id = ? ORDER BY start',
                                     (session_id,)).fetchall()
            supportive = self.db.execute('SELECT speaker, start, "end", match, text FROM supportive '
                                         "WHERE session_id = ? ORDER BY start", (session_id,)).fetchall()
            answers = self.db.execute('SELECT speaker, start, "end", category, match, text, prompt, asked_at '
                                      "FROM answers WHERE session_id = ? ORDER BY start", (session_id,)).fetchall()
            stored = StoredSession(
                _session_row((*row[:9], row[12], row[13])), _talk(str(row[9])),
                [SpeechSpan(_speaker(sp), float(a), float(b)) for sp, a, b in spans],
                [Segment(_speaker(sp), float(a), float(b), str(text), True,
                         tuple(Word(*w) for w in _words(str(timed))) if timed else ())
                 for sp, a, b, text, timed in segments],
                [Flag(_speaker(sp), float(a), float(b), str(category), str(match), str(text), str(prompt))
                 for sp, a, b, category, match, text, prompt in flags],
                [Prompt(float(t), str(kind), str(text), str(category), str(reason), float(t))  # type: ignore[arg-type]
                 for t, kind, text, category, reason in prompts],
                str(row[10]),
                [(int(v), float(a), float(b)) for v, a, b in voices],
                int(row[11]),
                bool(row[12]),
                [SupportiveLine(_speaker(sp), float(a), float(b), str(m), str(t)) for sp, a, b, m, t in supportive]
                if row[14] else None,
                str(row[15]),
                _hidden_counts(row[16]),
                [Answer(Flag(_speaker(sp), float(a), float(b), str(category), str(match), str(text), str(prompt)),
                        float(asked) if asked is not None else None)
                 for sp, a, b, category, match, text, prompt, asked in answers],
                str(row[17]),
            )
        # Outside the reads: hiding an older session's text is no damaged row if it fails.
        return _hidden_on_read(stored) if row[16] is None else stored

    def find(self, prefix: str) -> str:
        """The id of the one session whose id starts with ``prefix`` (ids are long to type)."""
        with self._errors("read"):
            ids = [r[0] for r in self.db.execute("SELECT id FROM sessions WHERE id LIKE ? ESCAPE '\\' "
                                                 "ORDER BY id", (_like(prefix) + "%",)).fetchall()]
        if prefix in ids or len(ids) == 1:
            return prefix if prefix in ids else str(ids[0])
        if not ids:
            raise StoreError(f"There is no session {prefix} in {self.path}; "
                             "`copilot sessions` lists the ones there are.")
        raise StoreError(f"{len(ids)} sessions start with {prefix}; give more of the id.")

    def rename(self, session_id: str, name: str) -> None:
        """Give a session a name of the rep's choosing (empty: back to none)."""
        with self._errors("save the session to"), self._tx():
            if self.db.execute("UPDATE sessions SET name = ? WHERE id = ?", (name.strip(), session_id)).rowcount != 1:
                raise StoreError(f"There is no session {session_id} in {self.path}.")

    def set_audio(self, session_id: str, base: str) -> None:
        """Note where the call's audio is being kept."""
        with self._errors("save the session to"), self._tx():
            self.db.execute("UPDATE sessions SET audio = ? WHERE id = ?", (base, session_id))

    def delete(self, session_id: str) -> bool:
        """Remove a session and everything kept of it, its audio too; the other sessions are untouched.

        Its text is overwritten in the database file (secure delete) and the write-ahead log is
        folded in and emptied, so none of its sentences stays in the files here. False if another
        program reading the store (an open review) holds part of the log: it is emptied when that is done."""
        from copilot.audio.kept import kept_files

        with self._errors("save the session to"), self._tx():
            found = self.db.execute("SELECT audio FROM sessions WHERE id = ?", (session_id,)).fetchone()
            if found is None:
                raise StoreError(f"There is no session {session_id} in {self.path}.")
            self.db.execute("DELETE FROM sessions WHERE id = ?", (session_id,))
        for path in kept_files(found[0]).values() if found[0] else ():
            path.unlink(missing_ok=True)
        return self.checkpoint()

    def delete_all(self) -> int:
        """Empty the store: every session and its kept audio; the file is rewritten small. Returns how many."""
        from copilot.audio.kept import kept_files

        with self._errors("save the session to"):
            with self._tx():
                kept = [str(a) for (a,) in self.db.execute("SELECT audio FROM sessions WHERE audio != ''")]
                n = int(self.db.execute("SELECT count(*) FROM sessions").fetchone()[0])
                self.db.execute("DELETE FROM sessions")
            self.db.execute("VACUUM")
        for base in kept:
            for path in kept_files(base).values():
                path.unlink(missing_ok=True)
        self.checkpoint()
        return n

    def expire_transcripts(self, before: datetime, marks: Sequence[Mark] = ()) -> Expired:
        """Delete the words of every finished call started before ``before``, keeping its numbers (``marks``: the
        rep's, so the numbers stay as they judged them; store/retention.py), then empty the write-ahead log."""
        cutoff = before.astimezone(timezone.utc).isoformat(timespec="seconds")
        today = datetime.now(timezone.utc).date().isoformat()
        with self._errors("save the session to"):
            expired = expire_words(self.db, cutoff, marks, today)
        if expired.sessions:
            self.checkpoint()
        return expired

    def checkpoint(self) -> bool:
        """Fold the write-ahead log into the database file and empty it (after a deletion: the log still holds
        the deleted rows as they were written). False if another program reading the store kept part of the
        log in use; it is emptied when that program is done."""
        with self._errors("save the session to"):
            # Emptying the log waits for every reader, and a program in the middle of reading does not finish
            # soon: a short wait (a writer's commit takes milliseconds), not the busy wait of a write, so
            # deleting a call in the review window never holds the window BUSY_TIMEOUT_S.
            self.db.execute(f"PRAGMA busy_timeout = {round(CHECKPOINT_WAIT_S * 1000)}")
            try:
                busy, _log, _moved = self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            finally:
                self.db.execute(f"PRAGMA busy_timeout = {round(BUSY_TIMEOUT_S * 1000)}")
        return not busy

    def files(self) -> list[Path]:
        """The store's files on disk: the database, and its write-ahead log and shared memory while open."""
        return [p for p in (self.path, Path(f"{self.path}-wal"), Path(f"{self.path}-shm")) if p.exists()]

    def segments(self, session_id: str) -> list[tuple[str, float, float, str]]:
        """(speaker, start, end, text) of a session's transcript, in time order."""
        with self._errors("read"):
            rows = self.db.execute('SELECT speaker, start, "end", text FROM segments WHERE session_id = ? '
                                   "ORDER BY start", (session_id,)).fetchall()
        return [(str(a), float(b), float(c), str(d)) for a, b, c, d in rows]

    # ---- Progress (store/progress.py) ------------------------------------------------

    def call_rows(self, since: str | None = None, until: str | None = None) -> list[CallRow]:
        """Every finished call started in [since, until) (ISO 8601 UTC) with its numbers, in one query."""
        with self._errors("read"):
            return call_rows(self.db, since, until)

    def flags_of(self, session_ids: Iterable[str]) -> dict[str, list[Flag]]:
        """The flags of a few sessions, by session."""
        with self._errors("read"):
            return flags_of(self.db, session_ids)

    def prompt_inputs(self, session_ids: Iterable[str]) -> dict[str, PromptInputs]:
        """What "what the prompts did" needs of many sessions (no transcripts), by session."""
        with self._errors("read"):
            return prompt_inputs(self.db, session_ids)

    def unknown_supportive(self) -> list[str]:
        """Finished sessions whose autonomy-supportive lines were never kept."""
        with self._errors("read"):
            return unknown_supportive(self.db)

    # ---- internals ---------------------------------------------------------------

    def _new_session(self, source: str, kind: str, model: str, started: datetime | None,
                     hidden: Hidden | HiddenLater, sid: str | None = None) -> str:
        """Inside a transaction: a new, empty session row, owned by this process; its id (``hidden``: as for
        :meth:`create_session`; ``sid``: the id to give it, one just freed; None: a new one)."""
        when = (started or datetime.now(timezone.utc)).astimezone(timezone.utc)
        given = sid
        for _ in range(1 if given is not None else 20):
            sid = given or f"{when:%Y%m%d-%H%M%S}-{secrets.token_hex(2)}"
            try:
                self.db.execute("INSERT INTO sessions (id, started, source, kind, model, owner, hidden) "
                                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                                (sid, when.isoformat(timespec="seconds"), source, kind, model, this_process(),
                                 _hidden_column(hidden)))
                return sid
            except sqlite3.IntegrityError:
                # Two sessions begun in the same second drew the same four hex digits (1 in 65,536;
                # `copilot bench store` writes dozens a second and met it): draw again.
                continue
        raise StoreError(f"Could not save the session to {self.path}: no free session id in this second.")

    def _add_rows(self, session_id: str, spans: Sequence[SpeechSpan], segments: Sequence[Segment],
                  flags: Sequence[Flag], prompts: Sequence[Prompt]) -> None:
        """Inside a transaction: results appended to a session (a live revision first removes what it replaces)."""
        self.db.executemany('DELETE FROM segments WHERE session_id = ? AND speaker = ? '
                            'AND (start + "end") / 2 BETWEEN ? AND ?',
                            [(session_id, s.speaker, *s.replaces) for s in segments if s.replaces])
        self.db.executemany('INSERT INTO speech_spans VALUES (?, ?, ?, ?)',
                            [(session_id, s.speaker, s.start, s.end) for s in spans])
        self.db.executemany("INSERT INTO segments VALUES (?, ?, ?, ?, ?, ?)",
                            [(session_id, s.speaker, s.start, s.end, s.text,
                              json.dumps([[w.text, round(w.start, 3), round(w.end, 3)] for w in s.words]))
                             for s in segments if s.final])
        self.db.executemany("INSERT INTO flags VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                            [(session_id, f.speaker, f.start, f.end, f.category, f.match, f.text, f.prompt)
                             for f in flags])
        self.db.executemany("INSERT INTO prompts VALUES (?, ?, ?, ?, ?, ?)",
                            [(session_id, p.time, p.kind, p.text, p.category, p.reason) for p in prompts])

    def _finish(self, session_id: str, duration_s: float, talk: TalkSummary,
                supportive: Sequence[SupportiveLine] | None, hidden: Hidden | None = None) -> None:
        """Inside a transaction: the session's length and numbers (and how many of each kind were hidden in it,
        if given), and it is marked finished."""
        self.db.execute("UPDATE sessions SET duration_s = ?, rep_share = ?, talk = ?, ended = 'finished' "
                        "WHERE id = ?", (duration_s, talk.rep_share, json.dumps(talk.as_json()), session_id))
        if hidden is not None:
            self.db.execute("UPDATE sessions SET hidden = ? WHERE id = ?", (json.dumps(hidden), session_id))
        if supportive is not None:
            self._put_supportive(session_id, supportive)

    def _wal(self) -> None:
        """Write-ahead logging, so the review reads while the app writes. Two processes opening a new
        store at once both try to switch it, and SQLite answers "locked" at once instead of waiting."""
        deadline = time.monotonic() + BUSY_TIMEOUT_S
        while True:
            try:
                self.db.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as e:
                if "locked" not in str(e) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def _put_answers(self, session_id: str, answers: Sequence[Answer]) -> None:
        """Inside a transaction: the session's answers to the buyer's requests for advice replaced."""
        self.db.execute("DELETE FROM answers WHERE session_id = ?", (session_id,))
        self.db.executemany("INSERT INTO answers VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            [(session_id, a.flag.speaker, a.flag.start, a.flag.end, a.flag.category, a.flag.match,
                              a.flag.text, a.flag.prompt, a.asked_at) for a in answers])

    def _put_supportive(self, session_id: str, supportive: Sequence[SupportiveLine] | None) -> None:
        """Inside a transaction: the session's supportive lines replaced (None: not known)."""
        self.db.execute("DELETE FROM supportive WHERE session_id = ?", (session_id,))
        if supportive is not None:
            self.db.executemany("INSERT INTO supportive VALUES (?, ?, ?, ?, ?, ?)",
                                [(session_id, x.speaker, x.start, x.end, x.match, x.text) for x in supportive])
        self.db.execute("UPDATE sessions SET supportive_known = ? WHERE id = ?",
                        (int(supportive is not None), session_id))

    def _migrate(self) -> None:
        version = int(self.db.execute("PRAGMA user_version").fetchone()[0])
        if version < 0:
            raise StoreError(f"Could not open {self.path}: it is not a session database or it is damaged; "
                             "move it aside or pass --db with another file.")
        if version > len(MIGRATIONS):
            raise StoreError(f"{self.path} was written by a newer version of Live Call Copilot "
                             f"(schema {version}); update the app to read it.")
        if version == len(MIGRATIONS):
            return
        with self._tx():
            # Read again under the write lock: another process may have upgraded it meanwhile.
            version = int(self.db.execute("PRAGMA user_version").fetchone()[0])
            if version == 0 and self.db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                raise StoreError(f"{self.path} is another program's database, not a session database; "
                                 "pass --db with another file.")
            for n in range(version, len(MIGRATIONS)):
                for statement in MIGRATIONS[n].split(";"):
                    if statement.strip():
                        self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version = {n + 1}")

    @contextmanager
    def _tx(self) -> Iterator[None]:
        """One write transaction: the write lock taken first (BEGIN IMMEDIATE: a read that turns
        into a write could deadlock with another writer), all of it or nothing."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
            self.db.execute("COMMIT")
        except BaseException:
            # A full disk may have rolled it back already, and a failed COMMIT leaves it open.
            if self.db.in_transaction:
                try:
                    self.db.execute("ROLLBACK")
                except sqlite3.Error:
                    pass  # the first error is the one to tell
            raise

    @contextmanager
    def _snapshot(self) -> Iterator[None]:
        """Several reads that see the store at one moment (a writer may commit in between)."""
        self.db.execute("BEGIN")
        try:
            yield
        finally:
            if self.db.in_transaction:
                self.db.execute("COMMIT")

    @contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        """sqlite and file errors as one sentence naming the database file."""
        try:
            yield
        except StoreError:
            raise
        except UnicodeDecodeError:  # SQLite quoting a garbled schema back in bytes that are not UTF-8
            raise StoreError(f"Could not {doing} {self.path}: it is not a session database or it is damaged; "
                             "move it aside or pass --db with another file.") from None
        except (ValueError, TypeError, OverflowError):
            if doing not in ("read", "open"):
                raise
            # A damaged row read back: a time that is not a number, a speaker nobody is.
            raise StoreError(f"Could not {doing} {self.path}: it is not a session database or it is damaged; "
                             "move it aside or pass --db with another file.") from None
        except sqlite3.DatabaseError as e:
            # With the disk full SQLite may only say "disk I/O error" (making its shared-memory file, say).
            name = getattr(e, "sqlite_errorname", None) or ""
            io = name.startswith(("SQLITE_IOERR", "SQLITE_CANTOPEN")) or "disk i/o" in str(e).lower()
            why = _REASONS["SQLITE_FULL"] if io and _no_room(self.path) else _reason(e)
            raise StoreError(f"Could not {doing} {self.path}: {why}.") from None
        except OSError as e:
            why = _REASONS["SQLITE_FULL"] if _no_room(self.path) else (e.strerror or str(e))
            raise StoreError(f"Could not {doing} {self.path}: {why}.") from None
