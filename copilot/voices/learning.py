"""Learning the rep's voice from the microphone of a live session (only when the rep agreed to it).

During the session, the stretches of the rep's (echo-cleaned) microphone that the VAD
marks as speech while the buyer is silent are kept, up to a minute; nothing else of the
audio is kept, and after the session only their voiceprint (256 numbers) is stored in the
rep's voice profile, averaged with what it already held.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from copilot.core.facts import SAMPLE_RATE

__all__ = ["RepSpeech"]

_KEEP_S = 60.0  # speech kept for the voiceprint
_RING_S = 40.0  # the microphone's last seconds, to copy a finished span from

Samples = npt.NDArray[np.float32]


class RepSpeech:
    """The rep's own speech of one session, gathered span by span on the coach thread."""

    def __init__(self) -> None:
        self._ring = np.zeros(int(_RING_S * SAMPLE_RATE), np.float32)
        self._heard = 0  # microphone samples fed so far
        self._kept: list[Samples] = []
        self._kept_n = 0

    @property
    def seconds(self) -> float:
        """Speech kept so far."""
        return self._kept_n / SAMPLE_RATE

    def feed(self, samples: Samples) -> None:
        """The microphone's next samples (after echo cancellation)."""
        if self._kept_n >= _KEEP_S * SAMPLE_RATE or not len(samples):
            return
        samples = samples[-len(self._ring):]
        at = self._heard % len(self._ring)
        first = min(len(samples), len(self._ring) - at)
        self._ring[at: at + first] = samples[:first]
        self._ring[: len(samples) - first] = samples[first:]
        self._heard += len(samples)

    def span(self, start: float, end: float, buyer_speaking: bool) -> None:
        """A finished stretch of the rep's speech; kept unless the buyer talked over it."""
        room = int(_KEEP_S * SAMPLE_RATE) - self._kept_n
        a, b = int(start * SAMPLE_RATE), int(end * SAMPLE_RATE)
        if buyer_speaking or room <= 0 or b <= a or a < self._heard - len(self._ring) or b > self._heard:
            return
        idx = np.arange(a, min(b, a + room)) % len(self._ring)
        self._kept.append(self._ring[idx].copy())
        self._kept_n += len(idx)

    def speech(self) -> Samples:
        """All the speech kept, end to end."""
        return np.concatenate(self._kept) if self._kept else np.zeros(0, np.float32)
