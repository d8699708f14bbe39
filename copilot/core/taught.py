"""Lines taught as not directive: once a sentence is a not-example, it is not flagged again, not even by a pattern.

A not-example comes from the rulebook (a category's ``not_examples``) or from the rep, who
said "that wasn't pushy" in the review (``core/marks.py``). The model layer already leaves
alone what resembles one; this is the check the rulebook's patterns pass through, so it
needs no model: the sentence is compared as words only (lower case, punctuation and extra
spaces gone), so "Okay, we did just renew our contract." is the same sentence however
Whisper punctuated it. Where the model layer is on and can tell (:class:`KnowsNotExamples`),
a sentence it finds all but the same as a not-example counts too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from copilot.core.rulebook import Rulebook

__all__ = ["KnowsNotExamples", "NotExamples", "normalised", "not_example_why"]

_NOT_WORD = re.compile(r"[^\w']+|(?<!\w)'|'(?!\w)")


def normalised(text: str) -> str:
    """``text`` as its words only: lower case, straight apostrophes kept inside words, punctuation gone."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").lower()
    return " ".join(_NOT_WORD.sub(" ", text).split())


def not_example_why(text: str, mine: bool) -> str:
    """How ``copilot detect --explain`` names a not-example that decided: the rep's own, or the rulebook's."""
    return f'{"your " if mine else ""}not-example: "{text}"'


@runtime_checkable
class KnowsNotExamples(Protocol):
    """A model layer that can say a sentence is all but the same as a not-example (an optional extra)."""

    def not_example_of(self, sentences: Sequence[str]) -> list[str | None]:
        """For each sentence: the why of the not-example it is a near copy of, or None."""
        ...


class NotExamples:
    """The not-examples of a rulebook, to check a sentence a pattern flagged against."""

    def __init__(self, rulebook: Rulebook, model: object | None = None) -> None:
        self._exact = {normalised(t): not_example_why(t, t in rulebook.mine)
                       for c in rulebook.categories for t in c.not_examples}
        self._exact.pop("", None)
        self._key_of = {why: key for key, why in self._exact.items()}
        self._phrases: dict[str, set[str]] = {}  # a not-example the rep marked one phrase of: only that is excused
        for key, phrase in rulebook.mine_phrases:
            self._phrases.setdefault(key, set()).add(phrase)
        self._model = model if self._exact and isinstance(model, KnowsNotExamples) else None
        self._near: dict[str, str | None] = {}  # sentence -> the model's answer (live partials repeat)

    def __bool__(self) -> bool:
        return bool(self._exact)

    def why(self, sentence: str, growing: bool = False, cut: bool = False, hit: str | None = None) -> str | None:
        """The not-example ``sentence`` is, or None. A ``growing`` sentence (the end of a live guess) counts
        while it is the start of one, and a ``cut`` one (a segment that began mid-sentence) while it is the end.
        ``hit``: the phrase a pattern flagged in it; where the rep marked other phrases of that sentence "not
        pushy", and not this one, the not-example does not excuse it (None: the sentence is judged whole)."""
        found = self._found(sentence, growing, cut)
        if found is None or hit is None:
            return found
        phrases = self._phrases.get(self._key_of.get(found, ""))
        words = f" {normalised(hit)} "
        if phrases and not any(f" {p} " in words or words in f" {p} " for p in phrases):
            return None  # the rep marked another phrase of this sentence, not this one
        return found

    def _found(self, sentence: str, growing: bool, cut: bool) -> str | None:
        """The why of the not-example ``sentence`` is (as :meth:`why`, whatever phrase flagged), or None."""
        if not self._exact:
            return None
        key = normalised(sentence)
        if not key:
            return None
        found = self._exact.get(key)
        if found is None and (growing or cut):
            found = next((why for n, why in self._exact.items() if _part_of(key, n, growing, cut)), None)
        if found is None and self._model is not None and not growing:
            if sentence not in self._near:
                if len(self._near) > 4096:
                    self._near.clear()
                self._near[sentence] = self._model.not_example_of([sentence])[0]
            found = self._near[sentence]
        return found


def _part_of(key: str, whole: str, growing: bool, cut: bool) -> bool:
    """``key`` is ``whole``'s first words (growing), last words (cut), or words in its middle (both)."""
    padded, part = f" {whole} ", f" {key} "
    if growing and cut:
        return part in padded
    return padded.startswith(part) if growing else padded.endswith(part)
