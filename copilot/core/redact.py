"""Hiding what must not be kept in a call: its transcript, flags, supportive lines and prompts.

A number read out with a pause in it arrives as two lines of the same speaker, maybe with
the other side's "mm-hmm" between them. So a speaker's lines that follow each other within
:data:`JOIN_GAP_S` are read as one text; what :func:`~copilot.core.sensitive.find` hides in
it is hidden in each line it reaches (each part shows the placeholder) and counted once.
A flag's or supportive line's sentence is a line of the transcript, so it is hidden the
same way as the line it came from; the word timings follow the text.

:class:`Redactor` does this for a whole call (an analysis, a stored call read again);
:class:`LiveRedaction` does it as a live call goes: a line whose end may be the start of a
number is held back until the speaker's next line, or until they have been quiet for
:data:`JOIN_GAP_S`, so that the store, the event log and the terminal only ever see what
is left after hiding.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Generic, TypeVar

from copilot.core.events import Answer, Flag, Prompt, Segment, Speaker, SupportiveLine, Word
from copilot.core.sensitive import KINDS, Checks, Finding, find, hide, open_tail, placeholder

__all__ = ["JOIN_GAP_S", "Hidden", "RedactedCall", "Redactor", "LiveRedaction", "hidden_sentence", "add_hidden"]

JOIN_GAP_S = 6.0  # a pause this long or shorter between a speaker's lines may fall inside one number read out

Hidden = dict[str, int]  # how many of each kind were hidden, by kind ("card": 3)

T = TypeVar("T")

_NAMES: dict[str, tuple[str, str]] = {
    "card": ("card-like number", "card-like numbers"), "account": ("bank account number", "bank account numbers"),
    "routing": ("routing number", "routing numbers"), "id": ("ID number", "ID numbers"),
    "email": ("e-mail address", "e-mail addresses"), "phone": ("phone number", "phone numbers"),
    "number": ("other long number", "other long numbers"),
}


def hidden_sentence(hidden: Hidden | None) -> str:
    """What the review says about hiding: "3 card-like numbers, 1 e-mail address hidden." ('' when nothing was;
    ``None``: the rep turned hiding off for this call)."""
    if hidden is None:
        return "Card numbers, e-mail addresses and phone numbers were kept as heard (hiding was turned off)."
    parts = [f"{hidden[k]} {_NAMES[k][hidden[k] != 1]}" for k in KINDS if hidden.get(k)]
    return f"{', '.join(parts)} hidden." if parts else ""


def add_hidden(a: Hidden, b: Hidden) -> Hidden:
    """Two counts of hidden things added up."""
    total = Counter(a)
    total.update(b)
    return {k: total[k] for k in KINDS if total[k]}


@dataclass(frozen=True)
class RedactedCall:
    """A call's kept parts with everything sensitive hidden, and how many of each kind were."""

    segments: list[Segment]
    flags: list[Flag]
    supportive: list[SupportiveLine]
    prompts: list[Prompt]
    hidden: Hidden = field(default_factory=dict)
    answers: list[Answer] = field(default_factory=list)  # the rep's answers to the buyer's requests for advice


@dataclass(frozen=True)
class _Line:
    """One transcript line as heard, and the stretches of it to hide."""

    segment: Segment
    findings: list[Finding]


class Redactor:
    """Hides card and bank numbers, ID numbers, e-mail addresses and phone numbers in a call's text."""

    def __init__(self, checks: Checks, join_gap_s: float = JOIN_GAP_S) -> None:
        self.checks = checks
        self.join_gap_s = join_gap_s

    def text(self, text: str, open_end: bool = False) -> tuple[str, Hidden]:
        """One piece of text on its own (``open_end``: it may be cut off mid-number)."""
        found = find(text, self.checks, open_end)
        return hide(text, found), _count(found)

    def call(self, segments: Sequence[Segment], flags: Sequence[Flag] = (),
             supportive: Sequence[SupportiveLine] = (), prompts: Sequence[Prompt] = (),
             answers: Sequence[Answer] = ()) -> RedactedCall:
        """A whole call: each speaker's lines read together across short pauses."""
        lines, hidden = self._lines(segments)
        by_speaker: dict[Speaker, list[_Line]] = {}
        for line in lines:
            by_speaker.setdefault(line.segment.speaker, []).append(line)
        new_flags = [self._flag(f, by_speaker.get(f.speaker, [])) for f in flags]
        new_supportive = [self._supportive(x, by_speaker.get(x.speaker, [])) for x in supportive]
        new_prompts = [self.prompt(p) for p in prompts]
        new_answers = [replace(a, flag=self._flag(a.flag, by_speaker.get(a.flag.speaker, []))) for a in answers]
        kept = {id(line.segment): _hidden_segment(line) for line in lines}
        return RedactedCall([kept[id(s)] for s in segments], new_flags, new_supportive, new_prompts, hidden,
                            new_answers)

    def prompt(self, prompt: Prompt) -> Prompt:
        """A prompt whose reason ("you said: '…'") shows nothing sensitive."""
        reason, found = self.text(prompt.reason)
        return replace(prompt, reason=reason) if found else prompt

    # ---- internals ---------------------------------------------------------------

    def _lines(self, segments: Sequence[Segment]) -> tuple[list[_Line], Hidden]:
        """Each line with what to hide in it, each speaker's lines read in groups across short pauses."""
        out: list[_Line] = []
        hidden: Counter[str] = Counter()
        for speaker in {s.speaker for s in segments}:
            group: list[Segment] = []
            group_end = 0.0
            for seg in sorted((s for s in segments if s.speaker == speaker), key=lambda s: s.start):
                if group and seg.start - group_end > self.join_gap_s:
                    out += self._group(group, hidden)
                    group = []
                group.append(seg)
                group_end = max(group_end, seg.end) if len(group) > 1 else seg.end
            out += self._group(group, hidden)
        return out, dict(hidden)

    def _group(self, group: list[Segment], hidden: Counter[str]) -> list[_Line]:
        """Lines of one speaker read as one text; what is found is counted once, however many lines it spans."""
        if not group:
            return []
        texts = [s.text for s in group]
        joined = " ".join(texts)
        found = find(joined, self.checks)  # in order, none overlapping: their ends are in order too
        hidden.update(f.kind for f in found)
        starts, ends = [f.start for f in found], [f.end for f in found]
        out = []
        at = 0
        for seg, text in zip(group, texts, strict=True):
            reach = found[bisect_right(ends, at):bisect_left(starts, at + len(text))]
            out.append(_Line(seg, _clip(reach, at, at + len(text))))
            at += len(text) + 1
        return out

    def _flag(self, flag: Flag, lines: list[_Line]) -> Flag:
        text, match = self._sentence(flag.text, flag.match, flag.start, flag.end, lines)
        return replace(flag, text=text, match=match) if (text, match) != (flag.text, flag.match) else flag

    def _supportive(self, line: SupportiveLine, lines: list[_Line]) -> SupportiveLine:
        text, match = self._sentence(line.text, line.match, line.start, line.end, lines)
        return replace(line, text=text, match=match) if (text, match) != (line.text, line.match) else line

    def _sentence(self, text: str, match: str, start: float, end: float, lines: list[_Line]) -> tuple[str, str]:
        """A flagged or supportive sentence and its matched phrase, hidden as the line they came from (a
        sentence heard only as a live guess, in no kept line, is hidden on its own)."""
        for line in lines:
            seg = line.segment
            if seg.start - 1.0 <= end and start <= seg.end + 1.0:
                at = seg.text.find(text) if text else -1
                if at >= 0:
                    local = _clip(line.findings, at, at + len(text))
                    m = text.find(match) if match else -1
                    hidden_match = hide(match, _clip(local, m, m + len(match))) if m >= 0 else self.text(match)[0]
                    return hide(text, local), hidden_match
        found = find(text, self.checks, open_end=True)
        m = text.find(match) if match else -1
        return hide(text, found), (hide(match, _clip(found, m, m + len(match))) if m >= 0
                                   else hide(match, find(match, self.checks, open_end=True)))


class LiveRedaction(Generic[T]):
    """Hiding as a live call goes: events in, the same events hidden out (some a few seconds later).

    Each event comes with a ``tag`` the caller gets back with it (the pipeline's wall-clock stamp).
    A final line whose end may start a number or an address is held, with the flags raised on
    it, until the speaker's next line, or until :data:`JOIN_GAP_S` of the call has passed; a
    live guess (a partial) and a prompt go straight out, hidden with what is held before them.
    """

    def __init__(self, redactor: Redactor) -> None:
        self.redactor = redactor
        self.hidden: Hidden = {}
        self._held: dict[Speaker, list[tuple[Segment, T]]] = {}
        self._held_flags: dict[Speaker, list[tuple[Flag, T]]] = {}
        self._recent: dict[Speaker, list[_Line]] = {}  # the speaker's last released lines, for late flags

    def push(self, event: object, tag: T, now: float) -> list[tuple[object, T]]:
        """One event at audio time ``now``: what may go out now, in order."""
        out: list[tuple[object, T]] = []
        if isinstance(event, Segment) and event.final:
            held = self._held.setdefault(event.speaker, [])
            if held and event.start - max(s.end for s, _ in held) > self.redactor.join_gap_s:
                out += self._release(event.speaker)
            self._held.setdefault(event.speaker, []).append((event, tag))
            if not open_tail(event.text):
                out += self._release(event.speaker)
        elif isinstance(event, Segment):
            out.append((self._partial(event), tag))
        elif isinstance(event, Flag):
            if any(s.text.find(event.text) >= 0 for s, _ in self._held.get(event.speaker, [])):
                self._held_flags.setdefault(event.speaker, []).append((event, tag))
            else:
                out.append((self.redactor._flag(event, self._recent.get(event.speaker, [])), tag))
        elif isinstance(event, SupportiveLine):
            out.append((self.redactor._supportive(event, self._recent.get(event.speaker, [])), tag))
        elif isinstance(event, Prompt):
            out.append((self.redactor.prompt(event), tag))
        else:
            out.append((event, tag))
        for speaker, held in list(self._held.items()):
            if held and now - max(s.end for s, _ in held) > self.redactor.join_gap_s:
                out += self._release(speaker)
        return out

    def flush(self) -> list[tuple[object, T]]:
        """The call ended: everything still held, hidden."""
        out: list[tuple[object, T]] = []
        for speaker in list(self._held):
            out += self._release(speaker)
        return out

    def _release(self, speaker: Speaker) -> list[tuple[object, T]]:
        held = self._held.pop(speaker, [])
        flags = self._held_flags.pop(speaker, [])
        if not held:
            return [(self.redactor._flag(f, []), tag) for f, tag in flags]
        hidden: Counter[str] = Counter()
        lines = self.redactor._group([s for s, _ in held], hidden)
        self.hidden = add_hidden(self.hidden, dict(hidden))
        self._recent[speaker] = lines
        out: list[tuple[object, T]] = [(_hidden_segment(line), tag) for line, (_, tag) in zip(lines, held,
                                                                                             strict=True)]
        out += [(self.redactor._flag(f, lines), tag) for f, tag in flags]
        return out

    def _partial(self, partial: Segment) -> Segment:
        """A live guess, read after the speaker's held lines (a number may have begun there)."""
        before = " ".join(s.text for s, _ in self._held.get(partial.speaker, []))
        joined = f"{before} {partial.text}" if before else partial.text
        at = len(joined) - len(partial.text)
        local = _clip(find(joined, self.redactor.checks, open_end=True), at, len(joined))
        return _hidden_segment(_Line(partial, local)) if local else partial


def _count(found: Iterable[Finding]) -> Hidden:
    counts: Counter[str] = Counter(f.kind for f in found)
    return dict(counts)


def _clip(found: Sequence[Finding], a: int, b: int) -> list[Finding]:
    """The findings that reach into text[a:b], in that piece's own offsets."""
    return [Finding(f.kind, max(f.start, a) - a, min(f.end, b) - a) for f in found if f.start < b and f.end > a]


def _hidden_segment(line: _Line) -> Segment:
    """A transcript line with its findings hidden; its word timings follow (dropped if they did not match)."""
    seg, found = line.segment, line.findings
    if not found:
        return seg
    text = hide(seg.text, found)
    return replace(seg, text=text, words=_hidden_words(seg.words, seg.text, found, text))


def _hidden_words(words: tuple[Word, ...], text: str, found: list[Finding], hidden_text: str) -> tuple[Word, ...]:
    """The words of a line with the hidden stretches taken out: the word where a stretch starts carries its
    placeholder (timed to the end of the last word it covered); words wholly inside it go."""
    heard = "".join(w.text for w in words)
    if not words or heard.strip() != text:
        return ()
    lead = len(heard) - len(heard.lstrip())
    spans = [(f.start + lead, f.end + lead, placeholder(f.kind)) for f in found]
    out: list[Word] = []
    at = 0
    for w in words:
        a, b = at, at + len(w.text)
        at = b
        pieces: list[str] = []
        end = w.end
        pos = a
        for s, e, mark in spans:
            if e <= a or s >= b:
                continue
            if s >= a:
                pieces += [heard[pos:s], mark]
                # the placeholder lasts until the last word the stretch covers
                end = max(x.end for x, (xa, xb) in zip(words, _offsets(words), strict=True) if xa < e and xb > s)
            elif pos < s:
                pieces.append(heard[pos:s])
            pos = max(pos, min(e, b))
        pieces.append(heard[pos:b])
        piece = "".join(pieces)
        if piece:
            out.append(Word(piece, w.start, end))
    return tuple(out) if "".join(w.text for w in out).strip() == hidden_text else ()


def _offsets(words: tuple[Word, ...]) -> list[tuple[int, int]]:
    out = []
    at = 0
    for w in words:
        out.append((at, at + len(w.text)))
        at += len(w.text)
    return out
