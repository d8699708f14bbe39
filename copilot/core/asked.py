"""Advice the buyer asked for: the rep's answer to "What would you recommend?" is not a push.

A buyer who asks "Which plan should we go with?" or "What are the next steps?" has chosen to hear
the rep's view. The answer ("I'd go with the annual plan.", "The next step is a call with your IT
lead.") is what they asked for, and "You're free to walk away." on the overlay at that moment is
wrong. The rulebook's ``asks_for_advice`` list says what such a question sounds like; the answer
lasts until the buyer says more (:data:`MORE_WORDS` words or more that ask nothing of the kind),
and at most :data:`ANSWER_WITHIN_S` after the buyer's turn that asked ends. Closing pressure is never spared:
"lock in the price before Friday" presses whether it was asked for or not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from copilot.core.events import Segment
from copilot.core.rulebook import any_of

__all__ = ["ANSWER_WITHIN_S", "MORE_WORDS", "NEVER_SPARED", "SAME_TURN_S", "AdviceAsked"]

ANSWER_WITHIN_S = 20.0
"""A rep's words that start this long after the end of the buyer's turn that asked no longer answer it."""
MORE_WORDS = 4
"""A buyer's turn this long ("That feels like a lot of change.") ends the answer; "Mm-hmm." or "Okay, sure." do not."""
SAME_TURN_S = 2.0
"""Buyer segments this close together are one turn (the transcriber cuts a turn at its pauses)."""
NEVER_SPARED = frozenset({"closing_pressure"})
"""Categories flagged even in an answer the buyer asked for."""
_WORD = re.compile(r"[\w']+")


class AdviceAsked:
    """Which of the buyer's words ask for the rep's advice, and which rep words answer them."""

    def __init__(self, patterns: tuple[str, ...]) -> None:
        self._asks = any_of(patterns)

    def asks(self, text: str) -> bool:
        """True when the buyer's ``text`` asks for the rep's advice or the way on."""
        if self._asks is None:
            return False
        low = text.replace("\u2019", "'").replace("\u2018", "'").lower()
        return self._asks.search(low) is not None

    def question(self, start: float, category: str, buyer: Iterable[Segment]) -> Segment | None:
        """The buyer's question that rep words of ``category`` starting at ``start`` answer, or None.

        ``buyer``: the buyer's final segments heard so far, in any order. The buyer's last turn
        before ``start`` decides: its segments that follow each other within :data:`SAME_TURN_S`
        ("What would you recommend? We have three offices and a small team."), not counting
        backchannels ("Mm-hmm.", "Okay, sure.": fewer than :data:`MORE_WORDS` words and no ask).
        Its last asking segment is the question when ``start`` is within :data:`ANSWER_WITHIN_S` of
        the turn's end. Words said while the buyer is still asking answer it too."""
        if self._asks is None or category in NEVER_SPARED:
            return None
        before = sorted((s for s in buyer if s.start < start and self._counts(s)), key=lambda s: s.start)
        if not before:
            return None
        turn = [before[-1]]
        for seg in reversed(before[:-1]):
            if turn[0].start - seg.end > SAME_TURN_S:
                break
            turn.insert(0, seg)
        if start > turn[-1].end + ANSWER_WITHIN_S:
            return None
        return next((s for s in reversed(turn) if self.asks(s.text)), None)

    def _counts(self, seg: Segment) -> bool:
        """A buyer segment that is a turn of its own, not a backchannel."""
        return len(_WORD.findall(seg.text)) >= MORE_WORDS or self.asks(seg.text)
