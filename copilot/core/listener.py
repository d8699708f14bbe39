"""How a sentence speaks to the listener: whether it could tell them what to do, and who acts in it.

Issue 25 found that real talk's false alarms were mostly sentences that speak to no one, the speaker's
own offer or account ("We map the fields with your admin…"), remarks ("That should get us there.") and
a "you" that means anyone ("Sometimes the top bid falls out, you go back."). These checks, read from the
rulebook's guards (``addressed``, ``named``, ``you_object``, ``own_offer``, ``remarks``, ``asks_to_tell``,
``generic``, ``cues``, ``statement_openers``), set how sure the model must be before its verdict flags a
sentence, and which pattern hits the model is asked to doubt.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

from copilot.core.rulebook import any_at_word_start, any_of, partial_matcher
from copilot.core.sentences import clause_starts, command_at, first_word, previous_start, sentence_bounds, subject_at

__all__ = ["Listener"]

# Words between a pattern's hit and the deed it hands over ("why don't you go ahead and…", "I'd like you to
# quickly…"): they leave the deed what it is.
_DEED_LEAD = re.compile(r"\s*(?:(?:go ahead and|quickly|briefly|first|just|maybe|perhaps|please|also|kind of|"
                        r"sort of)\s+)*")
_FOLLOW_ON_WORDS = 5  # a sentence this short ("I really would.") leans on the one before for its listener
# Verbs whose own base form ends in -ing: a command's verb, not an -ing form ("Bring your CFO along.").
_VERBS_IN_ING = frozenset({"bring", "ring", "sing", "sting", "string", "swing", "fling", "cling", "wring", "spring",
                           "ping", "wing"})


class Listener:
    """The rulebook's listener checks, compiled once for a detector. Every method reads lower-cased text
    (``low``) and a sentence's span in it (``a`` to ``b``)."""

    def __init__(self, guards: Mapping[str, tuple[str, ...]]) -> None:
        self._addressed = any_at_word_start(guards["addressed"]) if guards["addressed"] else None
        self._named = any_at_word_start(guards["named"]) if guards["named"] else None
        self._you_object = any_at_word_start(guards["you_object"]) if guards["you_object"] else None
        self._own_offer = any_of(guards["own_offer"])
        self._remarks = any_of(guards["remarks"])
        self._asks_to_tell = any_of(guards["asks_to_tell"])
        self._growing_ask = partial_matcher(self._asks_to_tell)  # the same, for a sentence still being said
        self._generic = any_of(guards["generic"])
        self._cues = any_of(guards["cues"])
        self._statement_openers = any_of(guards["statement_openers"])

    def bar(self, low: str, a: int, b: int, sure: float, named: float) -> float:
        """How sure the model must be to flag the sentence ``low[a:b]``, by how it speaks to the listener;
        ``sure`` is the scorer's ``unaddressed_threshold`` (its bar for a sentence said to no one) and
        ``named`` its ``named_threshold``. The speaker's own offer or account (``own_offer`` at its start;
        not directive by definition, but the check is a guess from its first words): halfway between
        ``sure`` and certainty. The listener acts in it (:meth:`acts`): no more than the head's threshold.
        A remark that asks nothing of the listener (``remarks``: "That should get us there.", "See you next
        quarter!") and a request that the listener tell the speaker something (``asks_to_tell``: "Walk us
        through your budgeting process."): never. The listener only named ("your team", "for you"):
        ``named``. No listener at all: ``sure``. A sentence of five words or fewer ("I really would.") takes
        its listener from the one before. A sentence with nothing in it that says what to do or think
        (:meth:`cued`): never. Each check also looks after a leading clause ("If you have a minute, …")."""
        if not sure or self._addressed is None:
            return 0.0
        if not self.cued(low, a, b):
            return math.inf  # nothing in it says what to do or think
        starts = clause_starts(low, a, b)
        if self._asks_to_tell is not None and any(self._asks_to_tell.match(low, command_at(low, s, b), b)
                                                  for s in starts):
            return math.inf  # it asks the listener to tell the speaker something, as a question does
        if self._own_offer is not None and any(self._own_offer.match(low, subject_at(low, s), b) for s in starts):
            return (sure + 1.0) / 2
        if self.acts(low, a, b):
            return 0.0
        if self._remarks is not None and any(self._remarks.match(low, subject_at(low, s, remark=True), b)
                                             for s in starts):
            return math.inf  # it asks nothing of the listener
        start = previous_start(low, a) if len(low[a:b].split()) <= _FOLLOW_ON_WORDS else a
        if start < a and self.acts(low, start, a):
            return 0.0
        if self._addressed.found(low, start, b) or (self._named is not None and self._named.found(low, start, b)):
            return named
        return sure

    def cued(self, low: str, a: int, b: int) -> bool:
        """The sentence ``low[a:b]`` says something a directive sentence says (one of the rulebook's ``cues``:
        "should", "let's", "makes sense", "only", "next"…), or may be a command: it opens (after "so",
        "okay"…, a softener such as "just" or "please", and a sentence adverb with its comma such as
        "obviously,") with a word that is not one of the ``statement_openers`` and is not an -ing form ("Turn
        off the lights.", "Just buy them.", "Bring your CFO along."), there or after a leading clause of time or
        condition ("When you get back, talk to your CFO."). True when the rulebook has no ``cues``."""
        if self._cues is None or self._cues.search(low, a, b):
            return True
        return any(self._may_command(low, command_at(low, start, b), b) for start in clause_starts(low, a, b))

    def _may_command(self, low: str, at: int, b: int) -> bool:
        """The words from ``at`` may be a command: the first is no ``statement_openers`` word nor an -ing form."""
        first = first_word(low, at, b)
        if first is None or (first.endswith("ing") and first not in _VERBS_IN_ING):
            return False
        opener = self._statement_openers
        # "he's", "that'll": a statement opener with its contraction.
        return opener is None or not (opener.match(low, at, b) or opener.fullmatch(first.split("'")[0]))

    def invites_to_tell(self, low: str, pos: int, b: int) -> bool:
        """The deed a pattern's hit hands over, from ``pos`` to the sentence's end ``b``, asks the listener to tell
        the speaker something (``asks_to_tell``): "Why don't you walk me through your process?", "I'd like you to
        describe the workflow." An invitation to talk, as a question is; not "Why don't you tell your CFO…"."""
        return self._asks_to_tell is not None and self._asks_to_tell.match(low, _deed_at(low, pos), b) is not None

    def may_invite(self, low: str, pos: int) -> bool:
        """The words from ``pos`` to the end of ``low`` (a sentence still being said) may yet become an invitation
        to talk (:meth:`invites_to_tell`): none yet, or the start of one ("I'd like you to walk me")."""
        if self._asks_to_tell is None:
            return False
        at = _deed_at(low, pos)
        if not low[at:].strip():
            return True
        m = self._growing_ask.match(low, at, partial=True) if self._growing_ask is not None else None
        return m is not None and m.partial

    def acts(self, low: str, a: int, b: int) -> bool:
        """The listener is the one who acts somewhere in ``low[a:b]``: an ``addressed`` cue that is not a "you"
        inside a ``you_object`` ("Thank you.", "it gets you the volume pricing") nor one after a ``generic``
        frame, which means anyone ("Sometimes the top bid falls out, you go back.")."""
        assert self._addressed is not None
        spans = [(m.start(), m.end()) for m in self._you_object.finditer(low, a, b)] if self._you_object else []
        return any(not any(s <= m.start() < e for s, e in spans) and not self._anyone_at(low, a, m)
                   for m in self._addressed.finditer(low, a, b))

    def _anyone_at(self, low: str, a: int, m: re.Match[str]) -> bool:
        """The "you" of ``m`` comes after (or ends) a ``generic`` frame of its sentence, which starts at ``a``."""
        return low.startswith("you", m.start()) and self.generic_before(low, a, m.end())

    def generic_before(self, low: str, a: int, pos: int) -> bool:
        """``low[a:pos]`` holds a ``generic`` frame that makes a "you" after it anyone ("when you look at the
        market, you have to…", "sometimes you…")."""
        return self._generic is not None and self._generic.search(low, a, pos) is not None

    def speaks_to_no_one(self, low: str, pos: int) -> bool:
        """The sentence around ``pos``, with the one before it, has no listener cue (the ``addressed`` and
        ``named`` guards). On earnings calls a pattern's hit there was the company's own course ("what we will
        do is…", "we decide whether it makes sense to invest"); a rep's "The smart move is to lock this in
        now." is said to the buyer, and the model is sure of it. False when the rulebook has no ``addressed``."""
        if self._addressed is None:
            return False
        a, b = sentence_bounds(low, pos)
        start = previous_start(low, a)
        named = self._named is not None and self._named.found(low, start, b)
        return not (named or self._addressed.found(low, start, b))

    def first_push(self, low: str, a: int, b: int) -> int:
        """Where the sentence ``low[a:b]`` first speaks to the listener (an ``addressed`` match; ``b`` when none
        is in it): a question that opens before it asks, and one after it (a tag, "…, would you agree?") leans
        on what was said."""
        first = next(self._addressed.finditer(low, a, b), None) if self._addressed is not None else None
        return first.start() if first is not None else b


def _deed_at(low: str, pos: int) -> int:
    """Where the deed a pattern's hit ending at ``pos`` hands over starts: after the ``_DEED_LEAD`` words."""
    lead = _DEED_LEAD.match(low, pos)
    return lead.end() if lead is not None else pos
