"""What Progress reads from the session store: every finished call's numbers in one query.

Progress must answer for a thousand calls in well under a second, so it never loads a
session whole: the talk numbers are the ``talk`` column each session keeps, and the rep's
flags and autonomy-supportive lines are counted in the same query. Only the calls the rep
marked flags in have those flags read (to leave out the ones marked "not pushy", as the
review does), and only sessions stored before supportive lines were kept (schema 5) have
their transcript read, once, to find them (:func:`unknown_supportive`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from copilot.core.events import Flag, Prompt, SpeechSpan, SupportiveLine
from copilot.core.scorecard import LINE_SLACK_S
from copilot.core.talk import TalkSummary

__all__ = ["CallRow", "PromptInputs", "call_rows", "flags_of", "prompt_inputs", "unknown_supportive"]


@dataclass(frozen=True)
class CallRow:
    """One finished call as stored: its listing fields, talk numbers and counts."""

    id: str
    started: str
    name: str
    source: str
    kind: str
    duration_s: float
    talk: TalkSummary  # the numbers Progress follows (the others are zero here: the review has them)
    mixed: bool
    guessed: bool
    excluded: bool
    rep_flags: int  # directive phrases flagged in the rep's talk, before the rep's marks
    supportive: int | None  # None: not known (stored before schema 5 and not yet found again)


def _number(key: str) -> str:
    """A number of the talk column, read by SQLite itself (a thousand rows of JSON are not parsed in Python);
    missing, not a number or a talk column that is not JSON: 0, as ``TalkSummary.from_json`` reads it."""
    value = f"json_extract(s.talk, '$.{key}')"
    return (f"CASE WHEN json_valid(s.talk) AND json_type(s.talk, '$.{key}') IN ('integer', 'real') "
            f"THEN {value} ELSE 0 END")


_CALLS = f"""
SELECT s.id, s.started, s.name, s.source, s.kind, s.duration_s, s.rep_voice, s.rep_guessed, s.excluded,
       s.supportive_known,
       (SELECT count(*) FROM flags f WHERE f.session_id = s.id AND f.speaker = 'rep'),
       (SELECT count(DISTINCT coalesce(
            (SELECT g.rowid FROM segments g WHERE g.session_id = x.session_id AND g.speaker = 'rep'
             AND x.start BETWEEN g.start - {LINE_SLACK_S} AND g."end" + {LINE_SLACK_S} ORDER BY g.start LIMIT 1),
            -x.rowid))
        FROM supportive x WHERE x.session_id = s.id AND x.speaker = 'rep'),
       {_number("rep_s")}, {_number("prospect_s")}, {_number("rep_share")}, {_number("longest_rep_monologue_s")},
       {_number("patience_s")}, {_number("rep_questions")}
FROM sessions s
WHERE s.ended != '' AND s.talk != '{{}}' AND (:since IS NULL OR s.started >= :since)
      AND (:until IS NULL OR s.started < :until)
ORDER BY s.started, s.id
"""


def call_rows(db: sqlite3.Connection, since: str | None = None, until: str | None = None) -> list[CallRow]:
    """Every finished call started in [since, until) (ISO 8601 UTC; None: no bound), oldest first.

    A call still being recorded is not one yet; a call that ended unexpectedly was finished
    from what was stored (``recovery.py``) and counts."""
    out: list[CallRow] = []
    for (sid, started, name, source, kind, duration, rep_voice, guessed, excluded, known, flags, supportive,
         rep_s, prospect_s, share, mono, patience, questions) in db.execute(_CALLS, {"since": since, "until": until}):
        talk = TalkSummary(rep_s=float(rep_s), prospect_s=float(prospect_s), rep_share=float(share),
                           longest_rep_monologue_s=float(mono), patience_s=float(patience),
                           rep_questions=int(questions))
        out.append(CallRow(sid, started, name, source, kind, duration, talk, bool(rep_voice), bool(guessed),
                           bool(excluded), flags, supportive if known else None))
    return out


def flags_of(db: sqlite3.Connection, session_ids: Iterable[str]) -> dict[str, list[Flag]]:
    """The flags of a few sessions (those the rep marked flags in), by session, in time order."""
    ids = list(dict.fromkeys(session_ids))
    out: dict[str, list[Flag]] = {sid: [] for sid in ids}
    for i in range(0, len(ids), 500):  # SQLite allows so many parameters a statement
        chunk = ids[i:i + 500]
        marks = ",".join("?" * len(chunk))
        for sid, *f in db.execute('SELECT session_id, speaker, start, "end", category, match, text, prompt '
                                  f"FROM flags WHERE session_id IN ({marks}) ORDER BY session_id, start", chunk):
            out[str(sid)].append(Flag(*f))
    return out


def unknown_supportive(db: sqlite3.Connection) -> list[str]:
    """Finished sessions whose autonomy-supportive lines were never kept (stored before schema 5, or a live
    session that ended unexpectedly before its end was written)."""
    return [str(r[0]) for r in db.execute("SELECT id FROM sessions WHERE supportive_known = 0 AND ended != '' "
                                          "ORDER BY started")]


@dataclass(frozen=True)
class PromptInputs:
    """What "what the prompts did" needs of one call, without its transcript: who spoke when, the prompts
    shown, the flags raised live (the triggers) and the rep's hand-back lines."""

    length_s: float  # as recorded, or to the last speech heard
    spans: list[SpeechSpan]
    prompts: list[Prompt]
    flags: list[Flag]
    supportive: list[SupportiveLine]  # empty for a call whose lines were never kept


def _chunks(ids: list[str], size: int = 500) -> Iterable[tuple[list[str], str]]:
    for i in range(0, len(ids), size):  # SQLite allows so many parameters a statement
        chunk = ids[i:i + size]
        yield chunk, ",".join("?" * len(chunk))


def prompt_inputs(db: sqlite3.Connection, session_ids: Iterable[str]) -> dict[str, PromptInputs]:
    """The prompt-effect inputs of many sessions, a few queries per 500 (a thousand calls load in a fraction
    of a second, where loading each session whole with its transcript takes seconds)."""
    ids = list(dict.fromkeys(session_ids))
    spans: dict[str, list[SpeechSpan]] = {sid: [] for sid in ids}
    prompts: dict[str, list[Prompt]] = {sid: [] for sid in ids}
    flags: dict[str, list[Flag]] = {sid: [] for sid in ids}
    supportive: dict[str, list[SupportiveLine]] = {sid: [] for sid in ids}
    duration: dict[str, float] = {}
    for chunk, marks in _chunks(ids):
        duration.update((str(sid), float(d)) for sid, d in
                        db.execute(f"SELECT id, duration_s FROM sessions WHERE id IN ({marks})", chunk))
        for sid, who, a, b in db.execute(f'SELECT session_id, speaker, start, "end" FROM speech_spans '
                                         f"WHERE session_id IN ({marks}) ORDER BY session_id, start", chunk):
            spans[str(sid)].append(SpeechSpan(who, a, b))
        for sid, t, kind, text, category, reason in db.execute(
                f"SELECT session_id, time, kind, text, category, reason FROM prompts "
                f"WHERE session_id IN ({marks}) ORDER BY session_id, time", chunk):
            prompts[str(sid)].append(Prompt(t, kind, text, category, reason, t))
        for sid, *f in db.execute('SELECT session_id, speaker, start, "end", category, match, text, prompt '
                                  f"FROM flags WHERE session_id IN ({marks}) ORDER BY session_id, start", chunk):
            flags[str(sid)].append(Flag(*f))
        for sid, *x in db.execute('SELECT session_id, speaker, start, "end", match, text FROM supportive '
                                  f"WHERE session_id IN ({marks}) ORDER BY session_id, start", chunk):
            supportive[str(sid)].append(SupportiveLine(*x))
    return {sid: PromptInputs(max([duration[sid], *(s.end for s in spans[sid])]), spans[sid], prompts[sid],
                              flags[sid], supportive[sid])
            for sid in ids if sid in duration}
