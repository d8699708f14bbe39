"""How a mixed recording was split by voice: each voice, and which one was taken as the rep."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

__all__ = ["Voice", "VoiceSplit"]


@dataclass(frozen=True)
class Voice:
    """One voice of a mixed recording."""

    number: int  # 1-based, in the order the voices first speak
    seconds: float
    share: float  # of all speech
    first_words: tuple[str, ...]  # its first lines, to recognise it by
    similarity: float | None  # to the rep's sample or profile, when there was one


@dataclass(frozen=True)
class VoiceSplit:
    """How a mixed recording was split by voice and which voice was taken as the rep."""

    voices: tuple[Voice, ...]
    rep: int  # the rep's voice number
    how: str  # "voice sample", "voice profile", "--rep-speaker", "you said so", "you said so before", "guess"
    dual_mono: bool
    turns: tuple[tuple[int, float, float], ...] = ()  # (voice number, start, end) of every turn
    estimated: bool = True  # the number of voices was estimated (not given with --voices)

    @property
    def guess(self) -> bool:
        """True when nothing said which voice is the rep's."""
        return self.how == "guess"

    def hidden(self, hide: Callable[[str], str]) -> VoiceSplit:
        """The split with each voice's first words passed through ``hide`` (what must not be kept taken out)."""
        return replace(self, voices=tuple(replace(v, first_words=tuple(hide(w) for w in v.first_words))
                                          for v in self.voices))

    def as_json(self) -> dict[str, Any]:
        """The ``voices`` object of the analysis JSON."""
        return {"dual_mono": self.dual_mono, "rep_voice": self.rep, "rep_chosen_by": self.how,
                "voices": [{"voice": v.number, "seconds": round(v.seconds, 2), "share": round(v.share, 4),
                            "similarity_to_rep": None if v.similarity is None else round(v.similarity, 3),
                            "first_words": list(v.first_words)} for v in self.voices]}
