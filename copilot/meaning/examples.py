"""Teach it by example: a rulebook category's ``examples`` (and ``not_examples``) caught by resemblance.

A team adds the lines of its own sales method to a category, without writing patterns:

    [categories.discount_pressure]
    prompts = ["You're free to walk away."]
    examples = ["I can knock ten percent off if you sign today", "That discount won't be there next week"]
    not_examples = ["Our prices are on the website"]

A sentence whose embedding is at least :data:`EXAMPLE_SIMILARITY` (cosine) like one of a
category's examples, and closer to it than to any not-example by :data:`MARGIN`, is that
category's, and says which example it resembled. A sentence closer to a not-example than to
any example is not flagged by the trained head either. Everything else goes to the trained
head, when it is on.

The rep's own examples and not-examples (marked in the review, ``core/marks.py``) arrive the
same way, merged into the rulebook; ``mine`` names them so that ``copilot detect --explain``
says "your example". A sentence at least :data:`SAME_SENTENCE` like a not-example is a near
copy of it (Whisper punctuated or heard it a little differently), and no rulebook pattern
flags it either (:meth:`ExampleLayer.not_example_of`, asked by the core).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from copilot.core.phrases import Verdict
from copilot.core.rulebook import Category
from copilot.core.taught import not_example_why
from copilot.meaning.encoder import SentenceEncoder
from copilot.meaning.head import DirectiveModel

__all__ = ["ExampleLayer", "EXAMPLE_SIMILARITY", "MARGIN", "SAME_SENTENCE"]

EXAMPLE_SIMILARITY = 0.70
MARGIN = 0.05
# "We did just renew our contract." is 0.94 like "We did just renew our current contract though.", 0.91 like
# "Okay. We did just renew our contract."; "The next step is a pilot with your team." only 0.87 like "The next
# step is a pilot." (it says more, and a pattern may still flag it).
SAME_SENTENCE = 0.90


class ExampleLayer:
    """The model layer with a rulebook's examples in front of the trained head (or alone)."""

    def __init__(self, categories: Sequence[Category], encoder: SentenceEncoder, head: DirectiveModel | None,
                 mine: frozenset[str] = frozenset()) -> None:
        self.encoder = encoder
        self.head = head
        self.mine = mine  # the lines the rep taught in the review
        # The trained head's second check on pattern hits; with examples alone, every hit stands.
        self.rule_floor = head.rule_floor if head is not None else 0.0
        # The head's own bar: a pattern's hit in a sentence still being said must clear it (PhraseDetector._doubted).
        self.threshold = head.threshold if head is not None else 0.0
        # The head's bar for a sentence that speaks to no one; a rep's own example is never held to it.
        self.unaddressed_threshold = head.unaddressed_threshold if head is not None else 0.0
        self.named_threshold = head.named_threshold if head is not None else 0.0
        self._ex = [(c.name, t) for c in categories if c.kind == "directive" for t in c.examples]
        self._not = [t for c in categories for t in c.not_examples]
        # An example may flag a sentence whatever its words say, so every sentence is read (PhraseDetector._may_flag).
        self.flags_by_example = bool(self._ex)
        self._ex_vec = encoder.encode([t for _, t in self._ex]) if self._ex else np.zeros((0, 384), np.float32)
        self._not_vec = encoder.encode(self._not) if self._not else np.zeros((0, 384), np.float32)

    def score(self, sentences: Sequence[str]) -> list[Verdict]:
        """One verdict per sentence: an example it resembles, else the head's (if on), else none."""
        if not sentences:
            return []
        emb = self.encoder.encode(sentences)
        head = self.head.verdicts(emb) if self.head is not None else [Verdict(None, 0.0)] * len(sentences)
        ex = emb @ self._ex_vec.T if len(self._ex) else np.zeros((len(sentences), 0))
        no = (emb @ self._not_vec.T).max(axis=1) if len(self._not) else np.full(len(sentences), -1.0)
        out: list[Verdict] = []
        for i in range(len(sentences)):
            best = int(np.argmax(ex[i])) if ex.shape[1] else -1
            sim = float(ex[i, best]) if best >= 0 else -1.0
            if sim >= EXAMPLE_SIMILARITY and sim - float(no[i]) >= MARGIN:
                name, text = self._ex[best]
                out.append(Verdict(name, sim, f'{"your " if text in self.mine else ""}example: "{text}"'))
            elif float(no[i]) >= EXAMPLE_SIMILARITY and float(no[i]) > sim:
                # Said only when it decided: the head would have flagged the sentence.
                why = self._not_why(emb[i]) if head[i].category is not None else "not_example"
                out.append(Verdict(None, head[i].probability, why))
            else:
                out.append(head[i])
        return out

    def not_example_of(self, sentences: Sequence[str]) -> list[str | None]:
        """For each sentence, the not-example it is a near copy of (as ``detect --explain`` says it), or None."""
        if not self._not or not sentences:
            return [None] * len(sentences)
        sims = self.encoder.encode(sentences) @ self._not_vec.T
        return [not_example_why(self._not[int(np.argmax(row))], self._not[int(np.argmax(row))] in self.mine)
                if float(row.max()) >= SAME_SENTENCE else None for row in sims]

    def _not_why(self, embedding: np.ndarray) -> str:
        text = self._not[int(np.argmax(self._not_vec @ embedding))]
        return not_example_why(text, text in self.mine)
