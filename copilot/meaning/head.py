"""The trained head: sentence embedding in, "is it directive, and of which category" out.

Two logistic regressions in one matrix: "directive or not" (column 0) and, for a directive
sentence, which of the rulebook's five categories (the other columns). Trained by
``tools/train_directive_head.py`` on the team's labelled lines; the weights (11 KB) ship in
``assets/models/directive_head.npz`` with the threshold chosen on the development split.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from copilot.core.assets import asset_path
from copilot.core.phrases import Verdict
from copilot.errors import UserError
from copilot.meaning.encoder import SentenceEncoder

__all__ = ["DirectiveModel", "CLASSES", "HEAD_FILE"]

CLASSES = ("-", "owning_the_path", "telling_what_makes_sense", "social_proof_pressure", "imperatives",
           "closing_pressure")
HEAD_FILE = ("models", "directive_head.npz")


class DirectiveModel:
    """Scores sentences: (category or None, probability that the sentence is directive)."""

    def __init__(self, encoder: SentenceEncoder | None = None) -> None:
        path = asset_path(*HEAD_FILE)
        if not path.is_file():
            raise UserError(f"The detector's model head ({path.name}) is missing from this install; "
                            "reinstall the copilot.")
        data = np.load(path)
        self._w = data["weights"].astype(np.float32)
        self._b = data["bias"].astype(np.float32)
        self.classes = tuple(str(c) for c in data["classes"])
        self.threshold = float(data["threshold"])
        # The second check on the rulebook's hits (PhraseDetector): below this, a pattern's sentence
        # is all but surely not directive. 0 in a head trained before it existed: every hit stands.
        self.rule_floor = float(data["rule_floor"]) if "rule_floor" in data.files else 0.0
        self.encoder = encoder or SentenceEncoder()

    def score(self, sentences: Sequence[str]) -> list[Verdict]:
        """Each sentence's most likely directive category (None below the threshold) and its probability."""
        if not sentences:
            return []
        return self.verdicts(self.encoder.encode(sentences))

    def verdicts(self, embeddings: npt.NDArray[np.float32]) -> list[Verdict]:
        """The verdicts on sentences already embedded."""
        out: list[Verdict] = []
        for row in embeddings @ self._w + self._b:
            directive = float(1.0 / (1.0 + np.exp(-row[0])))  # column 0: directive or not
            cat = self.classes[int(np.argmax(row[1:])) + 1]  # the others: which category, if it is
            out.append(Verdict(cat if directive >= self.threshold else None, directive))
        return out
