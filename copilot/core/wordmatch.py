"""Fast matching of many rulebook patterns: tried only where a word starts, and only the
patterns that can begin with that word's first letter.

Python's ``re`` tries every alternative of a big alternation at every position; with a
rulebook of ~70 patterns that costs ~60 us per utterance. Indexing the patterns by their
possible first letters cuts the work to the few that can match there.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence

__all__ = ["WordStartMatcher", "first_letters"]

_WORD_START = re.compile(r"(?<![\w'])\w")
_LITERAL = re.compile(r"[a-z0-9']")


class WordStartMatcher:
    """Non-overlapping matches of named pattern groups, each beginning at a word start.

    ``groups`` are ``(name, [regex, ...])`` in priority order; a match reports the name
    of its group as ``lastgroup``. Regexes are for lower-cased text.
    """

    def __init__(self, groups: Sequence[tuple[str, Sequence[str]]]) -> None:
        self._default, self._index = _indexed(tuple((name, tuple(regexes)) for name, regexes in groups))

    def finditer(self, low: str, start: int = 0, end: int | None = None) -> Iterator[re.Match[str]]:
        """Matches in ``low[start:end]`` (lower-cased text), left to right, not overlapping."""
        index, default = self._index, self._default
        stop = len(low) if end is None else end
        resume = start
        for w in _WORD_START.finditer(low, start, stop):
            pos = w.start()
            if pos < resume:
                continue
            pattern = index.get(low[pos], default)
            if pattern is None:
                continue
            m = pattern.match(low, pos, stop)
            if m is not None:
                yield m
                resume = m.end()

    def found(self, low: str, start: int = 0, end: int | None = None) -> bool:
        """True when any pattern matches in ``low[start:end]``."""
        return next(self.finditer(low, start, end), None) is not None


@functools.lru_cache(maxsize=64)
def _indexed(groups: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[re.Pattern[str] | None,
                                                                       dict[str, re.Pattern[str] | None]]:
    """The patterns for text no index letter covers, and per first letter the patterns that can start there.
    Made once per set of groups in a process: a detector is built for every command, window and test, and
    building one took 10 ms, 2.7 ms with this (median of 20; the callers only read what it returns)."""
    by_letter: dict[str, list[tuple[str, str]]] = {}
    anywhere: set[tuple[str, str]] = set()
    order: list[tuple[str, str]] = []
    for name, regexes in groups:
        for rx in regexes:
            order.append((name, rx))
            letters = first_letters(rx)
            if letters is None:
                anywhere.add((name, rx))
            else:
                for ch in letters:
                    by_letter.setdefault(ch, []).append((name, rx))
    index: dict[str, re.Pattern[str] | None] = {}
    for ch, pairs in by_letter.items():
        keep = set(pairs) | anywhere
        index[ch] = _compile([p for p in order if p in keep])
    return _compile([p for p in order if p in anywhere]), index


def _compile(pairs: list[tuple[str, str]]) -> re.Pattern[str] | None:
    if not pairs:
        return None
    grouped: dict[str, list[str]] = {}
    for name, rx in pairs:
        grouped.setdefault(name, []).append(rx)
    return re.compile("|".join(f"(?P<{name}>{'|'.join(rxs)})" for name, rxs in grouped.items()))


def first_letters(rx: str) -> set[str] | None:
    """The letters a regex can start with, or None when that cannot be told simply."""
    if rx.startswith("(?:"):
        inner, rest = _group(rx, 3)
    elif rx.startswith("(") and not rx.startswith("(?"):
        inner, rest = _group(rx, 1)
    elif rx and _LITERAL.fullmatch(rx[0]) and rx[1:2] not in ("?", "*", "{"):
        return {rx[0]}
    else:
        return None
    if inner is None or rest[:1] in ("?", "*", "{"):
        return None
    letters: set[str] = set()
    for alt in _top_level_split(inner):
        found = first_letters(alt) if alt else None
        if found is None:
            return None
        letters |= found
    return letters


def _shaping(rx: str) -> Iterator[tuple[int, str]]:
    """The characters that give ``rx`` its structure, with their index: not escaped, not inside a
    ``[class]``; an unclosed class ends the scan."""
    i = 0
    while i < len(rx):
        ch = rx[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            close = rx.find("]", i + 2)
            if close < 0:
                return
            i = close + 1
            continue
        yield i, ch
        i += 1


def _group(rx: str, body_start: int) -> tuple[str | None, str]:
    """The body of the group ``rx`` opens with, and what follows it (None if it never closes)."""
    depth = 0
    for i, ch in _shaping(rx):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return rx[body_start:i], rx[i + 1 :]
    return None, ""


def _top_level_split(inner: str) -> list[str]:
    """The alternatives of a group's body (``a|(b|c)`` is ``a`` and ``(b|c)``)."""
    parts, depth, start = [], 0, 0
    for i, ch in _shaping(inner):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(inner[start:i])
            start = i + 1
    parts.append(inner[start:])
    return parts
