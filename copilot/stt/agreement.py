"""Which words of a live guess are settled: the commit state of one utterance (LocalAgreement-2).

As whisper_streaming's ``HypothesisBuffer``: each partial guess is offered; the words two
guesses in a row agree on (and that are settled) are committed, and a committed word is
never taken back. Whisper hears the committed words again at the start of each window;
they are matched by text, so a guess is compared only on what comes after them.
"""

from __future__ import annotations

from difflib import SequenceMatcher

from copilot.core.events import Word

__all__ = ["Agreement"]


class Agreement:
    """The committed words of an open utterance and the latest guess at the words after them."""

    def __init__(self) -> None:
        self.committed: list[Word] = []  # not yet sent as a final
        self.pending: list[Word] = []  # the last guess's words after the committed ones

    @property
    def shown(self) -> list[Word]:
        """What the rep's partial shows: the committed words, then the latest guess."""
        return self.committed + self.pending

    def offer(self, guess: list[Word], settled_until: float, force: bool = False, resumed: bool = False) -> None:
        """A new guess at the whole utterance: commit the words it agrees on with the last guess
        that ended by ``settled_until``; with ``force``, all but its last two words.

        ``resumed``: the guess heard only the audio from the last committed word on (with the
        words before it as context), so it has none of the committed words but that one."""
        tail = _resumed(self.committed, guess) if resumed else _after(self.committed, guess)
        settled = sum(1 for w in tail if w.end <= settled_until)
        agreed = min(_agreed_prefix(self.pending, tail), settled)
        if force:
            agreed = max(agreed, len(tail) - 2)
        self.committed += tail[:agreed]
        self.pending = tail[agreed:]

    def take(self, n: int) -> list[Word]:
        """Hand over the first ``n`` committed words (sent as a final); the rest stay."""
        out, self.committed = self.committed[:n], self.committed[n:]
        return out

    def complete(self, heard: list[Word]) -> list[Word]:
        """The whole utterance once it has ended: the committed words and what the final hearing adds."""
        return self.committed + _after(self.committed, heard)


def _after(committed: list[Word], hypothesis: list[Word]) -> list[Word]:
    """The words of a new hypothesis that come after what is already committed.

    Whisper hears the committed words again at the start of the audio, not always word for
    word. They are matched by text (the last committed word the hypothesis also has marks
    the cut, plus as many words as the committed text has after it); by time only when no
    word matches at all.
    """
    if not committed:
        return hypothesis
    old, new = [_norm(w) for w in committed], [_norm(w) for w in hypothesis]
    if new[: len(old)] == old:
        return hypothesis[len(old):]
    blocks = [b for b in SequenceMatcher(None, old, new, autojunk=False).get_matching_blocks() if b.size]
    if not blocks:
        return [w for w in hypothesis if w.start >= committed[-1].end - 0.1]
    last = blocks[-1]
    return hypothesis[last.b + last.size + len(old) - (last.a + last.size):]


def _resumed(committed: list[Word], hypothesis: list[Word]) -> list[Word]:
    """The new words of a guess that heard the audio from the last committed word on.

    Whisper hears that word again first: it is found by text among the guess's first two
    words, or else (heard differently) by time, as the words centred before its end."""
    if not committed:
        return hypothesis
    last = committed[-1]
    for i, w in enumerate(hypothesis[:2]):
        if _norm(w) == _norm(last):
            return hypothesis[i + 1:]
    return [w for w in hypothesis if (w.start + w.end) / 2 >= last.end]


def _norm(word: Word) -> str:
    return "".join(ch for ch in word.text.lower() if ch.isalnum() or ch == "'")


def _agreed_prefix(previous: list[Word], current: list[Word]) -> int:
    """How many leading words of ``current`` the previous guess already had."""
    n = 0
    for a, b in zip(previous, current, strict=False):
        if _norm(a) != _norm(b):
            break
        n += 1
    return n
