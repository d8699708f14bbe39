"""Who spoke when in a mixed recording: speech stretches split into windows, voiceprinted, clustered.

Each stretch of speech the VAD found is cut into windows of 1.5 s every 0.75 s (a shorter
stretch is one window); each window gets a voiceprint (:class:`VoiceEmbedder`); the
voiceprints are clustered by voice (:func:`cluster_voices`); a stretch is split where the
voice of its windows changes, halfway between the two windows' centres. A window's voice
that differs from both neighbours in the same stretch is taken as a mistake (a cough, a
laugh) and given theirs. Overlapping speech goes to whichever voice its windows resemble
most; it is not counted twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from copilot.core.facts import SAMPLE_RATE
from copilot.voices.clusters import Clustering, cluster_voices
from copilot.voices.embedder import VoiceEmbedder

__all__ = ["VoiceTurn", "Diarization", "diarize", "WINDOW_S", "STEP_S"]

WINDOW_S = 1.5
STEP_S = 0.75
_SHORTEST_S = 0.4  # speech shorter than this gets no voiceprint of its own (its neighbours' voice)

Samples = npt.NDArray[np.float32]


@dataclass(frozen=True)
class VoiceTurn:
    """A stretch of one voice."""

    voice: int
    start: float
    end: float


@dataclass(frozen=True)
class Diarization:
    """The voices of a mixed recording: their turns, and a voiceprint of each (the mean of its windows)."""

    turns: tuple[VoiceTurn, ...]
    voiceprints: npt.NDArray[np.float32]  # (voices, 256), unit length
    estimated: bool  # the number of voices was estimated, not given

    @property
    def voices(self) -> int:
        """How many voices were told apart."""
        return len(self.voiceprints)

    def seconds(self) -> list[float]:
        """Speaking time of each voice."""
        out = [0.0] * self.voices
        for t in self.turns:
            out[t.voice] += t.end - t.start
        return out


def _windows(spans: Sequence[tuple[float, float]]) -> list[tuple[int, float, float]]:
    """(stretch index, start, end) of each voiceprint window."""
    out: list[tuple[int, float, float]] = []
    for i, (a, b) in enumerate(spans):
        if b - a < _SHORTEST_S:
            continue
        if b - a <= WINDOW_S:
            out.append((i, a, b))
            continue
        t = a
        while t + WINDOW_S < b:
            out.append((i, t, t + WINDOW_S))
            t += STEP_S
        out.append((i, max(a, b - WINDOW_S), b))
    return out


def diarize(audio: Samples, spans: Sequence[tuple[float, float]], embedder: VoiceEmbedder,
            voices: int | None = None) -> Diarization:
    """Turns by voice of ``audio`` (16 kHz mono) over its speech ``spans`` (seconds, in time order)."""
    wins = _windows(spans)
    if not wins:
        return Diarization((), np.zeros((0, 256), np.float32), voices is None)
    prints = embedder.windows([audio[int(a * SAMPLE_RATE): int(b * SAMPLE_RATE)] for _, a, b in wins])
    clustering: Clustering = cluster_voices(prints, voices)
    labels = clustering.labels.copy()
    # A lone window between two of another voice, in the same stretch: that voice.
    for j in range(1, len(wins) - 1):
        if wins[j - 1][0] == wins[j][0] == wins[j + 1][0] and labels[j - 1] == labels[j + 1] != labels[j]:
            labels[j] = labels[j - 1]
    centroids = np.stack([prints[labels == v].mean(axis=0) if (labels == v).any() else np.zeros(prints.shape[1])
                          for v in range(clustering.voices)]).astype(np.float32)
    centroids /= np.linalg.norm(centroids, axis=1, keepdims=True) + 1e-12

    by_span: dict[int, list[tuple[float, float, int]]] = {}
    for (i, a, b), v in zip(wins, labels, strict=True):
        by_span.setdefault(i, []).append((a, b, int(v)))
    turns: list[VoiceTurn] = []
    for i, (a, b) in enumerate(spans):
        ws = by_span.get(i)
        if not ws:
            # Too short for a voiceprint: the voice of the nearest window in time.
            centre = (a + b) / 2
            k = min(range(len(wins)), key=lambda j: abs((wins[j][1] + wins[j][2]) / 2 - centre))
            turns.append(VoiceTurn(int(labels[k]), a, b))
            continue
        start = a
        for (a1, b1, v1), (a2, b2, v2) in zip(ws, ws[1:], strict=False):
            if v1 != v2:
                cut = ((a1 + b1) / 2 + (a2 + b2) / 2) / 2
                turns.append(VoiceTurn(v1, start, cut))
                start = cut
        turns.append(VoiceTurn(ws[-1][2], start, b))
    return Diarization(tuple(_merge(turns)), centroids, clustering.estimated)


def _merge(turns: list[VoiceTurn]) -> list[VoiceTurn]:
    """Neighbouring turns of the same voice with no gap between them become one."""
    out: list[VoiceTurn] = []
    for t in turns:
        if out and out[-1].voice == t.voice and t.start - out[-1].end < 1e-6:
            out[-1] = VoiceTurn(t.voice, out[-1].start, t.end)
        else:
            out.append(t)
    return out
