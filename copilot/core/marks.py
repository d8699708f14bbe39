"""The rep's own word on a call: "that wasn't pushy", or "that was pushy and you missed it".

In the review a rep marks a flag wrong, or a line of theirs that should have been flagged.
Each mark does two things:

- **this call**: a flag marked wrong is left out of the call's numbers, timeline and report;
  a missed line is added to its flags, marked as added by the rep (:func:`marked_flags`);
- **from then on**: the sentence teaches the rep's own detector, as a not-example or an
  example of a directive category merged into the rulebook (:func:`taught`), so live
  sessions, ``copilot analyze``, ``copilot detect`` and "this is me" all judge with it.

Marks are found again by the phrase and its time, not by a row number, so they survive the
call being worked out again ("this is me" recomputes its flags). Pure: where marks are kept
is ``store/my_examples.py``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from copilot.core.events import Flag, Segment
from copilot.core.phrases import sentence_at
from copilot.core.rulebook import Rulebook
from copilot.core.taught import normalised

__all__ = ["Mark", "MarkKind", "taught", "marked_flags", "marks_flag", "settles", "flag_sentence", "wrong_mark",
           "missed_mark", "sentences_of", "parts_of"]

MarkKind = Literal["example", "not_example"]
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")  # as the detector splits: . ! ? then a space
_SAME_TIME_S = 1.0  # a flag worked out again from the same words lands within this of where it was
# Where a sentence joins two clauses: ", and" / ", but" / ", so" / ", because" / ", which", a semicolon, a dash.
_CLAUSE_JOIN = re.compile(r",\s+(?:and|but|so)\s+|,\s+(?=(?:because|which|though)\b)|;\s+|\s+[-–—]+\s+|\s*[–—]\s*",
                          re.IGNORECASE)
_CLAUSE_WORDS = 3  # a part shorter than this ("and so on") is not offered on its own


@dataclass(frozen=True)
class Mark:
    """One line the rep judged in the review: a flag that wasn't pushy (a not-example), or a missed one (an example)."""

    kind: MarkKind
    sentence: str  # what the detector learns from
    category: str  # the flag's category, or the one the rep picked for a missed line
    session: str  # the call it was marked in
    start: float  # the flag's time (a not-example), or the line's (an example)
    end: float
    match: str = ""  # the flagged phrase (a not-example), or the sentence (an example)
    line: str = ""  # the transcript line it was said in
    prompt: str = ""  # the line the rep could have said instead (shown beside an added flag)
    marked: str = ""  # when (ISO 8601, UTC)

    @property
    def key(self) -> str:
        """The sentence as its words only: two marks of the same sentence are one lesson."""
        return normalised(self.sentence)


def flag_sentence(flag: Flag, line: str = "") -> str:
    """The sentence a flag was raised on: found in its transcript ``line`` if given, else in the flag's own text."""
    for text in (line, flag.text):
        at = text.lower().find(flag.match.lower()) if flag.match else -1
        if at >= 0:
            return sentence_at(text, at)
    return flag.match.strip()


def sentences_of(text: str) -> list[str]:
    """The sentences of a transcript line (the rep picks the pushy one when a line has several)."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def parts_of(text: str) -> list[str]:
    """What the rep can mark as pushy in a transcript line: each sentence, and after it the clauses it joins
    ("…two weeks ahead, and the slots for next month are almost gone"). The rep's example is learnt by
    resemblance: a whole sentence marked for its second half also catches plain lines like its first half
    ("Our onboarding team plans two weeks ahead." is 0.78 like the whole sentence, 0.33 like its pushy clause)."""
    out: list[str] = []
    for sentence in sentences_of(text):
        out.append(sentence)
        clauses = [c.strip(" ,;-–—") for c in _CLAUSE_JOIN.split(sentence)]
        if len(clauses) > 1 and all(len(c.split()) >= _CLAUSE_WORDS for c in clauses):
            out += [c for c in clauses if c not in out]
    return out


def wrong_mark(flag: Flag, session: str, line: str = "", when: str = "") -> Mark:
    """The rep says ``flag`` was not pushy."""
    return Mark("not_example", flag_sentence(flag, line), flag.category, session, flag.start, flag.end, flag.match,
                line or flag.text, flag.prompt, when)


def missed_mark(segment: Segment, sentence: str, category: str, prompt: str, session: str, when: str = "") -> Mark:
    """The rep says ``sentence`` of their line ``segment`` was pushy, of ``category``, and the detector missed it."""
    return Mark("example", sentence.strip(), category, session, segment.start, segment.end, sentence.strip(),
                segment.text, prompt, when)


def marks_flag(mark: Mark, flag: Flag) -> bool:
    """``mark`` is about ``flag``: the same phrase at (about) the same time."""
    if mark.kind == "not_example":
        return (normalised(flag.match) == normalised(mark.match) and abs(flag.start - mark.start) <= _SAME_TIME_S)
    return flag.added and _covers(flag, mark)


def settles(mark: Mark, flag: Flag) -> bool:
    """``mark`` decides what becomes of the stored ``flag`` in the review: it clears it ("not pushy"), or the flag
    stands for the line the rep marked as missed (the detector flagged it since)."""
    return marks_flag(mark, flag) if mark.kind == "not_example" else _covers(flag, mark)


def marked_flags(flags: Sequence[Flag], marks: Sequence[Mark]) -> tuple[list[Flag], list[Flag]]:
    """A call's flags as the rep judged them, in time order, and the flags they marked wrong (left out).

    Of two marks of one sentence at one moment the later stands, as in :func:`taught`. A missed line the call's
    flags cover (the call was analysed again by a detector that had learnt it) is shown as the rep's, so the
    review offers its Undo, not "Not pushy" on their own example."""
    marks = _latest(marks)
    wrong = [m for m in marks if m.kind == "not_example"]
    kept: list[Flag] = []
    cleared: list[Flag] = []
    for f in flags:
        (cleared if any(marks_flag(m, f) for m in wrong) else kept).append(f)
    # A call worked out again by the rep's detector no longer flags what they marked: the mark still shows (to undo).
    cleared += [Flag("rep", m.start, m.end, m.category, m.match, m.line, m.prompt) for m in wrong
                if not any(marks_flag(m, f) for f in cleared)]
    for m in marks:
        if m.kind != "example":
            continue
        at = next((i for i, f in enumerate(kept) if _covers(f, m)), None)
        if at is None:
            kept.append(Flag("rep", m.start, m.end, m.category, m.match, m.line, m.prompt, added=True))
        else:
            kept[at] = replace(kept[at], added=True)
    return sorted(kept, key=lambda f: f.start), cleared


def _latest(marks: Sequence[Mark]) -> list[Mark]:
    """The marks without those a later mark of the same sentence at the same moment overrides ("pushy", then "not
    pushy"); two phrases of one sentence marked not pushy both stand."""
    out: list[Mark] = []
    for m in marks:
        out = [x for x in out if not _overrides(m, x)] + [m]
    return out


def _overrides(later: Mark, mark: Mark) -> bool:
    same = later.key == mark.key and later.session == mark.session and abs(later.start - mark.start) <= _SAME_TIME_S
    both_phrases = later.kind == mark.kind == "not_example" and normalised(later.match) != normalised(mark.match)
    return same and not both_phrases


def taught(rulebook: Rulebook, marks: Sequence[Mark]) -> Rulebook:
    """The rulebook with the rep's marks in it: each missed line an example of its category, each flag marked
    wrong a not-example. A later mark of the same sentence wins; an example of a category this rulebook does
    not have is left out (it was marked with another rulebook). A not-example excuses only the phrases marked
    in it (``Rulebook.mine_phrases``): "I'll send over the agreement" marked leaves "The next step is" of the
    same sentence flagged."""
    latest: dict[str, Mark] = {}
    phrases: dict[str, set[str]] = {}  # each sentence's phrases marked not pushy since it was last marked pushy
    for m in marks:
        if m.key:
            latest.pop(m.key, None)
            latest[m.key] = m
            if m.kind == "not_example":
                phrases.setdefault(m.key, set()).add(normalised(m.match) or m.key)
            else:
                phrases.pop(m.key, None)
    directive = [c.name for c in rulebook.categories if c.kind == "directive"]
    examples: dict[str, list[str]] = {}
    not_examples: dict[str, list[str]] = {}
    mine: set[str] = set()
    for m in latest.values():
        if m.kind == "example" and m.category in directive:
            examples.setdefault(m.category, []).append(m.sentence)
        elif m.kind == "not_example":
            # Any category will do: a not-example holds for all of them.
            home = m.category if m.category in directive else directive[0]
            not_examples.setdefault(home, []).append(m.sentence)
        else:
            continue
        mine.add(m.sentence)
    if not mine:
        return rulebook
    categories = tuple(replace(c, examples=c.examples + tuple(examples.get(c.name, ())),
                               not_examples=c.not_examples + tuple(not_examples.get(c.name, ())))
                       for c in rulebook.categories)
    # A sentence marked whole (the model's flag is the sentence) is excused whole, whatever else was marked in it.
    scoped = frozenset((key, p) for key, ps in phrases.items() if key not in ps for p in ps)
    return replace(rulebook, categories=categories, mine=rulebook.mine | frozenset(mine),
                   mine_phrases=rulebook.mine_phrases | scoped)


def _covers(flag: Flag, mark: Mark) -> bool:
    """An existing flag already stands for the missed line (the detector has learnt it since)."""
    return (flag.speaker == "rep" and flag.start < mark.end + _SAME_TIME_S and mark.start - _SAME_TIME_S < flag.end
            # no phrase (its words deleted): covers none; a part of a sentence marked is covered by a flag of it whole
            and bool(flag.match) and (_within(normalised(flag.match), mark.key) or _within(mark.key,
                                                                                           normalised(flag.match))))


def _within(part: str, whole: str) -> bool:
    """``part``'s words are words of ``whole``, in a row ("sign today" is not in "design today")."""
    return f" {part} " in f" {whole} "
