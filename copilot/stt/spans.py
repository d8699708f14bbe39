"""Transcribe only the speech of a recorded channel, in as few Whisper calls as possible.

Whisper pads every call to 30 s, so one call per utterance would pay for 30 s each time.
Instead the speech spans the VAD found are cut out with a little padding, packed end to
end into windows of up to ~28 s, transcribed, and every word's time is mapped back to the
call. Silence is never sent to Whisper. Words are then grouped back by speech span, so
each segment is one utterance of one speaker.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from copilot.core.events import Segment, Speaker, SpeechSpan, Word
from copilot.stt.cleanup import collapse_repeats, is_hallucination
from copilot.stt.engine import Engine, RawWord

__all__ = ["Piece", "plan_windows", "transcribe_spans"]

SAMPLE_RATE = 16_000
MAX_WINDOW_S = 28.0
PAD_S = 0.25


@dataclass(frozen=True)
class Piece:
    """Call audio from ``start`` to ``end`` placed at ``offset`` seconds into a window."""

    start: float
    end: float
    offset: float

    def to_call_time(self, t: float) -> float:
        """A time inside the window, as a time in the call."""
        return self.start + (t - self.offset)


def plan_windows(spans: Sequence[SpeechSpan], duration_s: float, max_window_s: float = MAX_WINDOW_S,
                 pad_s: float = PAD_S) -> list[list[Piece]]:
    """Pack padded speech spans into windows of at most ``max_window_s`` seconds of audio.

    Spans closer than twice the padding are joined; a span longer than a window is cut into
    window-sized pieces (the cut may split a word; such monologues are rare and long).
    """
    stretches: list[tuple[float, float]] = []
    for s in sorted(spans, key=lambda s: s.start):
        a, b = max(0.0, s.start - pad_s), min(duration_s, s.end + pad_s)
        if stretches and a <= stretches[-1][1]:
            stretches[-1] = (stretches[-1][0], max(stretches[-1][1], b))
        else:
            stretches.append((a, b))
    cut: list[tuple[float, float]] = []
    for a, b in stretches:
        while b - a > max_window_s:
            cut.append((a, a + max_window_s))
            a += max_window_s
        cut.append((a, b))
    windows: list[list[Piece]] = []
    used = max_window_s
    for a, b in cut:
        if used + (b - a) > max_window_s:
            windows.append([])
            used = 0.0
        windows[-1].append(Piece(a, b, used))
        used += b - a
    return windows


def transcribe_spans(
    engine: Engine,
    speaker: Speaker,
    samples: npt.NDArray[np.float32],
    spans: Sequence[SpeechSpan],
    progress: Callable[[float], None] | None = None,
) -> list[Segment]:
    """Final segments, one per utterance, for the speech spans of one channel.

    ``progress`` is called with the seconds of speech audio done after each window.
    """
    duration = len(samples) / SAMPLE_RATE
    words: list[RawWord] = []
    for window in plan_windows(spans, duration):
        audio = np.concatenate([samples[round(p.start * SAMPLE_RATE) : round(p.end * SAMPLE_RATE)] for p in window])
        for seg in engine.transcribe(audio):
            if is_hallucination(seg.text, seg.avg_logprob, seg.no_speech_prob):
                continue
            for w in seg.words:
                piece = _piece_at(window, (w.start + w.end) / 2)
                words.append(RawWord(w.text, piece.to_call_time(w.start), piece.to_call_time(w.end)))
        if progress is not None:
            progress(sum(p.end - p.start for p in window))
    return _utterances(speaker, words, spans)


def _piece_at(window: list[Piece], t: float) -> Piece:
    for p in reversed(window):
        if t >= p.offset:
            return p
    return window[0]


def _utterances(speaker: Speaker, words: list[RawWord], spans: Sequence[SpeechSpan]) -> list[Segment]:
    """Words grouped by the speech span they fall in (the nearest one if in padding)."""
    ordered = sorted(spans, key=lambda s: s.start)
    starts = [s.start for s in ordered]
    groups: dict[int, list[RawWord]] = {}
    for w in words:
        mid = (w.start + w.end) / 2
        k = bisect.bisect_right(starts, mid)
        candidates = [i for i in (k - 1, k) if 0 <= i < len(ordered)]
        i = min(candidates, key=lambda c: _distance(ordered[c], mid))
        groups.setdefault(i, []).append(w)
    out: list[Segment] = []
    for i in sorted(groups):
        group = groups[i]
        group = [group[k] for k in collapse_repeats([w.text for w in group])]
        text = "".join(w.text for w in group).strip()
        if not text:
            continue
        out.append(Segment(speaker, group[0].start, group[-1].end, text, True,
                           tuple(Word(w.text, w.start, w.end) for w in group)))
    return out


def _distance(span: SpeechSpan, t: float) -> float:
    return 0.0 if span.start <= t <= span.end else min(abs(t - span.start), abs(t - span.end))
