"""Progress read from the store: every counted call's numbers as the rep judged them, for any date range.

The terminal (``copilot progress``), the HTML page (``copilot report --progress``) and the
app's Progress view all start from :func:`load_progress`. The numbers are the store's own
(its talk column, its flags, its supportive lines), so they follow a renamed or deleted
call, "This is me…" and a schema upgrade; the flags a rep marked "not pushy" are left out
and the lines they marked as missed are counted, as in the review (``core/marks.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime, time, timedelta, timezone

from copilot.core.events import Flag, Segment, Speaker
from copilot.core.marks import Mark, marked_flags
from copilot.core.phrases import PhraseDetector
from copilot.core.progress import CallNumbers, Progress, progress
from copilot.core.scorecard import supportive_lines
from copilot.errors import UserError
from copilot.report.prompt_progress import pooled_effects
from copilot.store.progress import CallRow
from copilot.store.sqlite import SessionStore

__all__ = ["load_progress", "find_supportive", "date_bounds", "parse_day", "call_numbers"]


def parse_day(text: str, what: str) -> date:
    """A date the rep typed (2026-01-31) for ``what`` (--since); one sentence if it is not one."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UserError(f"{what} takes a date as YEAR-MONTH-DAY (2026-01-31), not {text!r}.") from None


def date_bounds(since: date | None, until: date | None) -> tuple[str | None, str | None]:
    """The rep's local days [since, until] (both included) as the store's UTC start times [from, to)."""
    if since is not None and until is not None and until < since:
        raise UserError(f"The range ends ({until}) before it starts ({since}); swap the dates.")

    def utc(day: date) -> str:
        local = datetime.combine(day, time()).astimezone()  # the rep's midnight, in their time zone
        return local.astimezone(timezone.utc).isoformat(timespec="seconds")

    return (utc(since) if since else None, utc(until + timedelta(days=1)) if until else None)


def find_supportive(store: SessionStore, detector: PhraseDetector | str | None = None,
                    said: Callable[[int], None] | None = None) -> int:
    """Once per session stored before supportive lines were kept: find them in its transcript and keep them.

    The supportive category is the rulebook's patterns alone (the model layer judges only
    directive phrasing), so the rules of ``detector`` (or of the rulebook file it names; None:
    the bundled one, loaded only if a session needs it) find exactly what the review found.
    ``said`` is told how many sessions there are first (to say why this first run is slower).
    Returns how many sessions were done."""
    todo = store.unknown_supportive()
    if not todo:
        return 0
    if said is not None:
        said(len(todo))
    if not isinstance(detector, PhraseDetector):
        from copilot.core.rulebook import Rulebook

        detector = PhraseDetector(Rulebook.load(detector))
    for sid in todo:
        segments = [Segment(_speaker(sp), a, b, text) for sp, a, b, text in store.segments(sid)]
        store.set_supportive(sid, supportive_lines(segments, detector))
    return len(todo)


def _speaker(text: str) -> Speaker:
    return "rep" if text == "rep" else "prospect"


def call_numbers(row: CallRow, marks: Sequence[Mark] = (), flags: Sequence[Flag] = ()) -> CallNumbers:
    """One stored call as Progress counts it; with the rep's ``marks`` on it, its directive phrases as they
    judged them (``flags``: the call's stored flags, needed only when it has marks)."""
    directive = row.rep_flags
    if marks:
        kept, _cleared = marked_flags(flags, marks)
        directive = sum(1 for f in kept if f.speaker == "rep")
    t = row.talk
    return CallNumbers(row.id, row.started, row.name or row.source, row.kind, row.duration_s, t.rep_s, t.prospect_s,
                       t.rep_share, t.longest_rep_monologue_s, directive, t.rep_questions, t.patience_s,
                       row.supportive, row.mixed, row.guessed, row.excluded)


def load_progress(store: SessionStore, marks: Sequence[Mark], since: date | None = None,
                  until: date | None = None) -> Progress:
    """Progress over the calls started on the rep's days [since, until], their ``marks`` applied."""
    lo, hi = date_bounds(since, until)
    rows = store.call_rows(lo, hi)
    by_session: dict[str, list[Mark]] = {}
    for m in marks:
        by_session.setdefault(m.session, []).append(m)
    marked = [r.id for r in rows if r.id in by_session]
    flags = store.flags_of(marked) if marked else {}
    counted = progress([call_numbers(r, by_session.get(r.id, ()), flags.get(r.id, ())) for r in rows])
    # What the prompts did, over the same calls (a call left out is left out here too).
    return replace(counted, prompts=pooled_effects(store, counted.calls), ranged=since is not None or until is not None)
