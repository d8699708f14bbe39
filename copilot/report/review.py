"""One stored call made ready for review: its numbers, timeline data and marked-up transcript.

The review window and the HTML report both start from :func:`review_of` (or :func:`build_review`
of a session already read), so they show the same things (the transcript both render is in
``transcript.py``). Both read the call from the store and judge nothing again: no model is
loaded to review a call. Both show the call as the rep judged it: the flags they marked "not
pushy" left out of its numbers and marks, the lines they marked as missed added (``core/marks.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from copilot.core.events import Flag, SupportiveLine
from copilot.core.marks import Mark, marked_flags, marks_flag
from copilot.core.phrases import PhraseDetector
from copilot.core.prompt_effect import CallEffects, call_effects
from copilot.core.redact import hidden_sentence
from copilot.core.retention import expired_note
from copilot.core.rulebook import Category, Rulebook
from copilot.core.scorecard import (
    FlaggedLine,
    Number,
    clock,
    flagged_lines,
    numbers,
    rolling_share,
    supportive_count,
    supportive_lines,
    whole_sentences,
)
from copilot.core.session import analysis_json
from copilot.store.sqlite import SessionStore, StoredSession, StoreError

__all__ = ["Review", "review_of", "build_review", "remarked", "stored_json", "started_local", "call_length",
           "stored_effects"]


@dataclass(frozen=True)
class Review:
    """Everything the review shows about one call."""

    stored: StoredSession  # its flags as the rep judged them (see :func:`remarked`)
    numbers: list[Number]
    share: list[tuple[float, float | None]]  # rolling two-minute rep share, every 5 s
    lines: list[FlaggedLine]
    supportive: list[SupportiveLine]
    marks: tuple[Mark, ...] = ()  # the rep's marks on this call
    found: tuple[Flag, ...] = ()  # the flags as the call found them, before the rep's marks
    cleared: tuple[Flag, ...] = ()  # the flags the rep marked "not pushy"
    categories: tuple[Category, ...] = ()  # the directive categories a missed line may be marked as
    effects: CallEffects = CallEffects((), (), live=False)  # what each prompt shown live did
    words_left_out: str = ""  # the one line shown instead of the transcript: deleted (retention) or numbers only

    @property
    def title(self) -> str:
        """The session's name, or where it came from."""
        return self.stored.row.name or self.stored.row.source

    @property
    def when(self) -> str:
        """When the call started, in local time."""
        return started_local(self.stored.row.started)

    @property
    def meta(self) -> str:
        """When, how long, what kind of session, and how it ended if it did not end normally."""
        row = self.stored.row
        ended = (" · ended unexpectedly (its numbers are from what was saved before)" if row.ended_unexpectedly
                 else " · still being recorded" if row.ended == "" else "")
        cut = " · its recording looks cut short (the numbers cover what was there)" if self.stored.cut_short else ""
        return f"{self.when} · {clock(self.duration_s)} · {row.kind} session{ended}{cut}"

    @property
    def hidden(self) -> str:
        """What was hidden from this call's text ("1 card-like number, 1 phone number hidden."), or that it was
        kept as heard; '' when hiding found nothing."""
        return hidden_sentence(self.stored.hidden)

    @property
    def duration_s(self) -> float:
        """Length of the call."""
        return call_length(self.stored)

    @property
    def flags(self) -> list[Flag]:
        """Every directive phrase flagged in the call (as the rep judged it)."""
        return self.stored.flags

    def mark_of(self, flag: Flag) -> Mark | None:
        """The rep's mark that cleared or added ``flag``, if any (to undo it)."""
        return next((m for m in reversed(self.marks) if marks_flag(m, flag)), None)


def started_local(iso: str) -> str:
    """A stored UTC start time as the rep's local date and time."""
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso


def call_length(stored: StoredSession) -> float:
    """Length of the call: as recorded, or to the last thing heard if the session ended abruptly."""
    ends = [s.end for s in stored.spans] + [s.end for s in stored.segments]
    return max([stored.row.duration_s, *ends])


def review_of(store: SessionStore, session_id: str, rulebook: Rulebook, marks: Sequence[Mark] | None = None) -> Review:
    """The review of a stored session, read from the store: nothing in it is judged again (no model is loaded).

    A finished session stored before its supportive lines were kept (schema 5), or one a crash left without
    them, has them found by ``rulebook``'s patterns (the rep's rulebook: those are all that find them) and
    kept, once."""
    stored = store.load(session_id)
    if stored.supportive is None and stored.row.ended:
        found = supportive_lines(stored.segments, PhraseDetector(rulebook))
        stored = replace(stored, supportive=found)
        try:
            store.set_supportive(session_id, found)
        except StoreError:
            pass  # the store is busy or full: the review is right all the same, and they are kept next time
    return build_review(stored, rulebook, marks)


def build_review(stored: StoredSession, rulebook: Rulebook, marks: Sequence[Mark] | None = None) -> Review:
    """The review of a stored session with the rep's ``marks`` on it (None: the ones kept in their examples
    file, ``store/my_examples.py``; an ExamplesError if it cannot be read). ``rulebook`` is the rep's: its
    directive categories are what a missed line may be marked as."""
    if marks is None:
        from copilot.store.my_examples import MyExamples

        marks = MyExamples.load().of(stored.row.id)
    # Kept with the session since schema 5; one still being recorded has them found from its transcript so far,
    # by the patterns alone (supportive phrasing has no model layer).
    supportive = (stored.supportive if stored.supportive is not None
                  else supportive_lines(stored.segments, PhraseDetector(rulebook)))
    categories = tuple(c for c in rulebook.categories if c.kind == "directive")
    found = Review(stored, [], rolling_share(stored.spans, call_length(stored)), [], supportive,
                   found=tuple(stored.flags), categories=categories,
                   effects=stored_effects(stored, supportive),
                   words_left_out=expired_note(stored.transcript_removed) if stored.transcript_removed else "")
    return remarked(found, marks)


def stored_effects(stored: StoredSession, supportive: Sequence[SupportiveLine]) -> CallEffects:
    """What each prompt of a stored call did, with its ``supportive`` (hand-back) lines. The flags are taken as
    the call raised them, before the rep's marks: those were the live triggers. Only a live session showed its
    prompts to anyone."""
    return call_effects(stored.spans, stored.prompts, stored.flags, supportive, call_length(stored),
                        live=stored.row.kind == "live")


def remarked(review: Review, marks: Sequence[Mark]) -> Review:
    """The review with the rep's ``marks`` on this call applied to the flags it found (after a mark or an undo):
    its numbers, flags and transcript follow."""
    flags, cleared = marked_flags(review.found, marks)
    stored = replace(review.stored, flags=flags)
    lines = ([] if review.words_left_out
             else flagged_lines(whole_sentences(stored.segments), flags, cleared, stored.answers, review.supportive))
    handed_back = supportive_count(review.supportive, stored.segments)
    return replace(review, stored=stored, numbers=_numbers(stored, handed_back), lines=lines,
                   marks=tuple(marks), cleared=tuple(cleared))


def _numbers(stored: StoredSession, supportive: int) -> list[Number]:
    heads = numbers(stored.talk, stored.flags, supportive)
    if stored.voice_turns:
        heads = [*heads, _voices_number(stored)]
        if stored.rep_guessed:  # said where the share is read, not only at the bottom
            heads = [replace(n, label=f"{n.label} — a guess") if n.label.startswith("Talk share") else n
                     for n in heads]
    return heads


def stored_json(stored: StoredSession, marks: Sequence[Mark] = (),
                effects: CallEffects | None = None) -> dict[str, Any]:
    """A stored session in the ``copilot analyze --json`` contract (DESIGN.md), with ``hidden``: how many card
    and bank numbers, ID numbers, e-mail addresses and phone numbers were hidden, by kind (null: kept as heard).
    A flag the rep added in the review says ``"added_by_rep": true``; the rep's ``marks`` on the call, if any,
    are listed under ``"marks"``; a live call's ``effects`` (what each prompt did) under ``"prompt_effect"``."""
    row = stored.row
    out = analysis_json(row.id, row.duration_s, row.source, row.model, stored.talk, stored.segments, stored.flags,
                        stored.prompts, stored.answers)
    out["hidden"] = stored.hidden
    for f, data in zip(stored.flags, out["flags"], strict=True):
        if f.added:
            data["added_by_rep"] = True
    if marks:
        out["marks"] = [{"kind": m.kind, "start": round(m.start, 2), "end": round(m.end, 2), "category": m.category,
                         "sentence": m.sentence, "marked": m.marked} for m in marks]
    if stored.voice_turns:
        from copilot.report.voices import voice_shares

        out["voices"] = {"rep_voice": stored.rep_voice, "rep_guessed": stored.rep_guessed,
                         "voices": [{"voice": v, "share": round(s, 4)} for v, s in voice_shares(stored)]}
    if effects is not None and effects.live:
        out["prompt_effect"] = effects.as_json()
    if stored.transcript_removed:
        out["transcript_removed"] = stored.transcript_removed
    if stored.cut_short:
        out["cut_short"] = stored.cut_short
    return out


def _voices_number(stored: StoredSession) -> Number:
    """A mixed recording's voices: which one is the rep's, and each one's share of the talk."""
    from copilot.report.voices import voice_shares

    you = "you (a guess): " if stored.rep_guessed else "you: "
    parts = [f"{you if v == stored.rep_voice else ''}voice {v} {share:.0%}" for v, share in voice_shares(stored)]
    said = ("nothing said which voice is you, so every number here is a guess: \"This is me…\" in the review, "
            "or `copilot sessions me ID N`, to say it"
            if stored.rep_guessed else "told apart by voice (your voice profile is a voiceprint kept only on this "
            "computer: `copilot voice`); if you are another voice: \"This is me…\"")
    return Number("Voices (mixed recording)", " · ".join(parts), said, "watch" if stored.rep_guessed else "")
