"""Where a sentence of what the rep said starts and ends, and where its subject or a command's verb would be.

The phrase detector and its listener checks read an utterance a sentence at a time, in a lower-cased
copy whose character offsets are the text's own (:func:`lowered`), so a hit found in one is the same
span of the other.
"""

from __future__ import annotations

import re

__all__ = ["clause_starts", "command_at", "first_word", "lowered", "previous_start", "sentence_at",
           "sentence_bounds", "sentences", "subject_at"]

_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)|\n")
_SENTENCE_REACH = 400  # a sentence longer than this is a transcript without punctuation
# Words a sentence may open with before its subject ("So we map…", "Okay, I can send…").
_OPENERS = re.compile(r"\s*(?:(?:so|and|but|well|okay|ok|alright|all right|now|then|also|yeah|yes|yep|yup|mm|mhm|"
                      r"oh|ah|exactly|absolutely|great|sure|right|perfect|understood|um|uh|i mean)\b[\s,.;:\-]*)*")
# ... and before a command's verb, a softener ("Just buy them.", "You know, figure out how…") or a sentence
# adverb and its comma ("Obviously, there's…", "Seriously, lock it in…"): the word after it is the verb, if any.
_COMMAND_LEAD = re.compile(r"(?:(?:just|please|simply|maybe|perhaps|definitely|really|actually|honestly|you know|"
                           r"i mean)\b[\s,]*|(?!(?:ap|re|sup|com|multi|im)ply,|rely,|fly,)[a-z]+ly,\s*)*")
_FIRST_WORD = re.compile(r"[a-z][a-z'-]*")
# A leading clause of time or condition and its comma ("When you get back to the office, …", "After the call, …").
_LEADING_CLAUSE = re.compile(r"(?:if|when|whenever|once|while|after|before|as soon as)\b[^,;:.?!]{1,80},\s*")
# ... and before a remark, the speaker's own hedge ("I think that's a good idea.").
_HEDGE = re.compile(r"(?:i (?:think|guess|suppose)|i'd say)\b[\s,]*")


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``text`` (ends at . ! ? followed by a space, or a newline)."""
    out: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if text[start: m.end()].strip():
            out.append((start, m.end()))
        start = m.end()
    if text[start:].strip():
        out.append((start, len(text)))
    return out


def sentence_at(text: str, pos: int) -> str:
    """The sentence of ``text`` around character ``pos`` (what the rep teaches when they mark a flag)."""
    a, b = sentence_bounds(text, pos)
    return text[a:b].strip()


def sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    """Start and end of the sentence around ``pos`` (ends at . ! ? followed by a space, or a newline)."""
    start = max(0, pos - _SENTENCE_REACH)
    for m in _SENTENCE_END.finditer(text, start, pos):
        if m.end() <= pos:
            start = m.end()
    after = _SENTENCE_END.search(text, pos)
    return start, after.end() if after is not None else len(text)


def previous_start(low: str, a: int) -> int:
    """Where the sentence before the one starting at ``a`` starts (``a`` itself for the first)."""
    starts = [s for s, _ in sentences(low) if s < a]
    return starts[-1] if starts else a


def subject_at(low: str, a: int, remark: bool = False) -> int:
    """Where the sentence starting at ``a`` has its subject: after its opening "so", "and", "okay"… (and,
    for a ``remark``, after "I think")."""
    m = _OPENERS.match(low, a)
    at = m.end() if m is not None else a
    if remark and (h := _HEDGE.match(low, at)) is not None:
        at = h.end()
    return at


def clause_starts(low: str, a: int, b: int) -> list[int]:
    """Where the sentence ``low[a:b]`` may open its main clause: at ``a``, and after a leading clause of time or
    condition with its comma ("When you get back to the office, talk to your CFO.", "If you have a minute, …")."""
    lead = _LEADING_CLAUSE.match(low, subject_at(low, a), b)
    return [a] if lead is None else [a, lead.end()]


def command_at(low: str, a: int, b: int) -> int:
    """Where the sentence ``low[a:b]`` would have a command's verb: after its opening "so", "okay"…, a
    softener ("just", "please", "maybe") and a sentence adverb with its comma ("obviously,")."""
    at = subject_at(low, a)
    lead = _COMMAND_LEAD.match(low, at, b)
    return lead.end() if lead is not None else at


def first_word(low: str, at: int, b: int) -> str | None:
    """The word of ``low[at:b]`` that starts at ``at`` (None when a letter does not start there)."""
    m = _FIRST_WORD.match(low, at, b)
    return m.group(0) if m is not None else None


def lowered(text: str) -> str:
    """Lower-cased text with straight apostrophes, character for character (offsets hold)."""
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
