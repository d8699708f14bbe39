"""Stored calls as plain tables, for a manager, a spreadsheet or a notebook (``copilot export``).

One row per call in ``sessions`` (the numbers the review shows, beside its benchmarks there),
one per stretch of voice activity in ``turns`` (who spoke when: the spans the talk share is
worked out from, not merged, so a notebook can merge them its own way), one per flag in
``flags`` and one per prompt shown in ``prompts``. What was said stays out unless the rep
asks for it: then ``segments`` (the transcript) is added and each flag carries its sentence.

A flag the rep marked "not pushy" in the review stays in ``flags``, marked, with ``counted``
false; a line they marked as missed is there as ``added_by_rep``. So the flags a table counts
(``counted``) are the ones the review counts, and ``sessions.directive_phrases`` is their sum.
Column names, types and meanings are listed in docs/export.md; ``tests/test_export.py`` holds
the two to each other.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from copilot.core.events import Flag, Prompt
from copilot.core.marks import Mark, flag_sentence, marked_flags
from copilot.core.phrases import PhraseDetector
from copilot.core.retention import WORDS_GONE_REASON
from copilot.core.scorecard import supportive_count
from copilot.core.taught import normalised
from copilot.report.review import call_length
from copilot.store.sqlite import StoredSession

__all__ = ["ColumnType", "Value", "Column", "Table", "ExportTables",
           "SESSIONS", "TURNS", "FLAGS", "FLAG_SENTENCE", "PROMPTS", "SEGMENTS"]

_SHORT_WORDS = 4  # a whole sentence this short ("You should.") says nothing of the call but the phrase
_SAID = "you said:"

ColumnType = Literal["str", "float", "int", "bool", "timestamp", "date"]
Value = str | float | int | bool | datetime | date | None


@dataclass(frozen=True)
class Column:
    """One column of an exported table: its name and the kind of value it holds."""

    name: str
    type: ColumnType


def _columns(*spec: str) -> tuple[Column, ...]:
    """Columns written as "name:type"."""
    out = []
    for s in spec:
        name, kind = s.split(":")
        out.append(Column(name, kind))  # type: ignore[arg-type]  # the spec below holds only ColumnType names
    return tuple(out)


SESSIONS = _columns(
    "session_id:str", "started:timestamp", "date:date", "duration_s:float", "kind:str", "source:str", "name:str",
    "model:str", "ended:str", "mixed:bool", "rep_guessed:bool",
    "rep_s:float", "prospect_s:float", "rep_share:float", "prospect_share:float",
    "longest_rep_monologue_s:float", "longest_prospect_monologue_s:float", "patience_s:float",
    "interruptions:int", "rep_questions:int", "directive_phrases:int", "directive_per_10_min:float",
    "flags_not_pushy:int", "flags_added_by_rep:int", "supportive_lines:int", "prompts:int", "excluded:bool",
    "hidden:int",
)
TURNS = _columns("session_id:str", "speaker:str", "start_s:float", "end_s:float", "duration_s:float")
FLAGS = _columns("session_id:str", "speaker:str", "start_s:float", "end_s:float", "category:str", "match:str",
                 "say_instead:str", "marked:str", "counted:bool")
FLAG_SENTENCE = Column("sentence", "str")  # only with the transcripts
PROMPTS = _columns("session_id:str", "time_s:float", "kind:str", "category:str", "reason:str", "text:str")
SEGMENTS = _columns("session_id:str", "speaker:str", "start_s:float", "end_s:float", "text:str")


@dataclass
class Table:
    """One exported table: its name (the file's), its columns and its rows (values in column order)."""

    name: str
    columns: tuple[Column, ...]
    rows: list[tuple[Value, ...]] = field(default_factory=list)

    def column(self, name: str) -> list[Value]:
        """Every value of one column, top to bottom."""
        i = [c.name for c in self.columns].index(name)
        return [r[i] for r in self.rows]


class ExportTables:
    """The tables of an export, filled one stored call at a time (only the rows are kept, not the calls)."""

    def __init__(self, detector: PhraseDetector, transcripts: bool = False) -> None:
        self.detector = detector  # finds the rep's autonomy-supportive lines, as the review does
        self.transcripts = transcripts
        self.sessions = Table("sessions", SESSIONS)
        self.turns = Table("turns", TURNS)
        self.flags = Table("flags", FLAGS + ((FLAG_SENTENCE,) if transcripts else ()))
        self.prompts = Table("prompts", PROMPTS)
        self.segments = Table("segments", SEGMENTS) if transcripts else None

    @property
    def tables(self) -> list[Table]:
        """The tables in the order they are written and listed."""
        out = [self.sessions, self.turns, self.flags, self.prompts]
        return out + [self.segments] if self.segments is not None else out

    def add(self, stored: StoredSession, marks: Sequence[Mark] = ()) -> None:
        """One stored call, with the rep's ``marks`` on it (the flags they judged in the review)."""
        sid = stored.row.id
        # As the review shows them: a flag marked "not pushy" that the call no longer has (worked out again after
        # "This is me…") still shows there, as the rep's mark, so it is a row here too.
        kept, not_pushy = marked_flags(stored.flags, marks)
        # As the review counts them: kept with the call; a call stored before they were kept has them found again
        # from its transcript (core/scorecard.py supportive_lines), without building each line.
        supportive = (supportive_count(stored.supportive, stored.segments) if stored.supportive is not None
                      else sum(1 for g in stored.segments
                               if g.speaker == "rep" and self.detector.count_supportive(g.text)))
        self.sessions.rows.append(_session_row(stored, kept, len(not_pushy), supportive))
        self.turns.rows += [(sid, s.speaker, _t(s.start), _t(s.end), _t(s.end - s.start))
                            for s in sorted(stored.spans, key=lambda s: (s.start, s.speaker))]
        flags = [(f, "added_by_rep" if f.added else "") for f in kept] + [(f, "not_pushy") for f in not_pushy]
        quoted: set[str] = set()  # the phrases kept, which a prompt's reason may quote
        for f, mark in sorted(flags, key=lambda fm: fm[0].start):
            match = f.match if self.transcripts or _a_phrase(f) else ""
            quoted.add(normalised(match))
            row: tuple[Value, ...] = (sid, f.speaker, _t(f.start), _t(f.end), f.category, match, f.prompt, mark,
                                      _counted(f, mark))
            self.flags.rows.append(row + ((flag_sentence(f),) if self.transcripts else ()))
        self.prompts.rows += [(sid, _t(p.time), p.kind, p.category,
                               p.reason if self.transcripts or _quotes_only(p, quoted) else WORDS_GONE_REASON, p.text)
                              for p in stored.prompts]
        if self.segments is not None:
            self.segments.rows += [(sid, g.speaker, _t(g.start), _t(g.end), g.text) for g in stored.segments]

    def counts(self) -> dict[str, int]:
        """Rows per table, by name."""
        return {t.name: len(t.rows) for t in self.tables}


def _a_phrase(flag: Flag) -> bool:
    """A flag's words are a rulebook phrase ("the next step is"), kept without the transcripts; not a sentence of
    the call (the model layer flags a whole sentence, and a line the rep marked is theirs), which is what was said."""
    if flag.added:
        return False
    return len(flag.match.split()) <= _SHORT_WORDS or normalised(flag.match) != normalised(flag_sentence(flag))


def _quotes_only(prompt: Prompt, kept: set[str]) -> bool:
    """A prompt's reason quotes no more of the call than the phrases kept ("you said: 'the next step is'")."""
    if prompt.kind != "phrase" or not prompt.reason.startswith(_SAID):
        return True
    return normalised(prompt.reason[len(_SAID):].strip().strip("'")) in kept - {""}


def _counted(flag: Flag, mark: str) -> bool:
    """The flag is in the review's count of directive phrases: the rep's own, and not marked "not pushy"."""
    return flag.speaker == "rep" and mark != "not_pushy"


def _session_row(stored: StoredSession, kept: Iterable[Flag], not_pushy: int, supportive: int) -> tuple[Value, ...]:
    row, talk = stored.row, stored.talk
    kept = list(kept)
    directive = sum(1 for f in kept if _counted(f, ""))
    started = _started(row.started)
    numbers: tuple[Value, ...]
    if talk is None:  # still being recorded: no numbers yet (the review shows zeros)
        numbers = (None,) * 9
    else:
        total = talk.rep_s + talk.prospect_s
        numbers = (talk.rep_s, talk.prospect_s, talk.rep_share, round(1.0 - talk.rep_share, 4) if total > 0 else 0.0,
                   talk.longest_rep_monologue_s, talk.longest_prospect_monologue_s, talk.patience_s,
                   talk.interruptions, talk.rep_questions)
    rep_s = talk.rep_s if talk is not None else 0.0
    # As the review's "Directive phrases" number: per 10 minutes of the rep's own talk.
    per_10 = round(directive / (rep_s / 600.0), 2) if rep_s > 0 else 0.0
    return (row.id, started, started.astimezone().date() if started else None, round(call_length(stored), 2),
            row.kind, row.source, row.name, row.model, row.as_json()["ended"], bool(stored.voice_turns),
            stored.rep_guessed, *numbers, directive, per_10, not_pushy, sum(1 for f in kept if f.added), supportive,
            len(stored.prompts), row.excluded,
            sum(stored.hidden.values()) if stored.hidden is not None else None)


def _started(iso: str) -> datetime | None:
    try:
        return datetime.fromisoformat(iso)
    except ValueError:
        return None


def _t(seconds: float) -> float:
    """A time on the call's audio clock, to the millisecond (as precise as voice activity is)."""
    return round(seconds, 3)
