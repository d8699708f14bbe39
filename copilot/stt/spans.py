"""Transcribe only the speech of a recorded channel, in as few Whisper calls as possible.

Whisper pads every call to 30 s, so one call per utterance would pay for 30 s each time.
Instead each speech span the VAD found is cut out with a little padding, the pieces are
packed end to end into windows of up to ~28 s, transcribed, and every word's time is mapped
back to the call. Silence is never sent to Whisper. Each word belongs to the piece it was
heard in, so each segment is one utterance of one speaker.

Packed windows have one known failure: a small model sometimes stops decoding before the
window ends and drops the last utterances. A span that got no words is therefore
transcribed once more on its own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from copilot.core.events import Segment, Speaker, Stretch, Word
from copilot.core.facts import SAMPLE_RATE
from copilot.stt.cleanup import heard_words, without_repeats
from copilot.stt.engine import Engine

__all__ = ["Piece", "plan_windows", "transcribe_spans", "quietest_cut"]

MAX_WINDOW_S = 28.0
PAD_S = 0.5
RETRY_MIN_S = 0.5  # a span shorter than this with no words is left alone (a click, a breath)

Cutter = Callable[[float, float], float]


@dataclass(frozen=True)
class Piece:
    """Call audio from ``start`` to ``end`` (speech span number ``span``), at ``offset`` s into a window."""

    span: int
    start: float
    end: float
    offset: float = 0.0

    def to_call_time(self, t: float) -> float:
        """A time inside the window, as a time in the call."""
        return self.start + (t - self.offset)


def plan_windows(spans: Sequence[Stretch], duration_s: float, max_window_s: float = MAX_WINDOW_S,
                 pad_s: float = PAD_S, cut: Cutter | None = None) -> list[list[Piece]]:
    """Pack padded speech spans (sorted by start) into windows of at most ``max_window_s`` seconds.

    Neighbouring spans share the silence between them (each takes half, up to ``pad_s``), so no
    audio is sent twice. A span longer than a window is cut into window-sized pieces where
    ``cut(earliest, latest)`` says (the quietest moment), or at the latest point if no cutter.
    """
    pieces: list[Piece] = []
    for i, s in enumerate(spans):
        before = spans[i - 1].end if i > 0 else 0.0
        after = spans[i + 1].start if i + 1 < len(spans) else duration_s
        a = max(s.start - pad_s, (before + s.start) / 2, 0.0)
        b = min(s.end + pad_s, (s.end + after) / 2, duration_s)
        while b - a > max_window_s:
            latest = a + max_window_s
            at = cut(a + 0.6 * max_window_s, latest) if cut else latest
            pieces.append(Piece(i, a, at))
            a = at
        pieces.append(Piece(i, a, b))
    windows: list[list[Piece]] = []
    used = max_window_s
    for p in pieces:
        length = p.end - p.start
        if used + length > max_window_s:
            windows.append([])
            used = 0.0
        windows[-1].append(Piece(p.span, p.start, p.end, used))
        used += length
    return windows


def quietest_cut(samples: npt.NDArray[np.float32]) -> Cutter:
    """A cutter that picks the quietest 100 ms between two times, so a long span is cut between words."""
    hop = SAMPLE_RATE // 10

    def cut(earliest: float, latest: float) -> float:
        a, b = round(earliest * SAMPLE_RATE), round(latest * SAMPLE_RATE)
        frames = samples[a:b][: (b - a) // hop * hop].reshape(-1, hop)
        if len(frames) == 0:
            return latest
        return earliest + float(np.argmin((frames**2).mean(axis=1))) * hop / SAMPLE_RATE + 0.05

    return cut


def transcribe_spans(
    engine: Engine,
    speaker: Speaker,
    samples: npt.NDArray[np.float32],
    spans: Sequence[Stretch],
    progress: Callable[[float], None] | None = None,
) -> list[Segment]:
    """Final segments, one per speech span that has words, for one channel.

    ``progress`` is called with the seconds of speech audio done after each window.
    """
    ordered = sorted(spans, key=lambda s: s.start)
    duration = len(samples) / SAMPLE_RATE
    words: dict[int, list[Word]] = {}
    for window in plan_windows(ordered, duration, cut=quietest_cut(samples)):
        _run_window(engine, samples, window, words)
        if progress is not None:
            progress(sum(p.end - p.start for p in window))
    for i, s in enumerate(ordered):
        if i not in words and s.duration >= RETRY_MIN_S:
            for window in plan_windows([s], duration, cut=quietest_cut(samples)):
                _run_window(engine, samples, [Piece(i, p.start, p.end, p.offset) for p in window], words)
    return _utterances(speaker, words)


def _run_window(engine: Engine, samples: npt.NDArray[np.float32], window: list[Piece],
                words: dict[int, list[Word]]) -> None:
    """Transcribe one packed window; file each word under the span of the piece it was heard in."""
    audio = np.concatenate([samples[round(p.start * SAMPLE_RATE) : round(p.end * SAMPLE_RATE)] for p in window])
    for w in heard_words(engine.transcribe(audio)):
        piece = _piece_at(window, (w.start + w.end) / 2)
        words.setdefault(piece.span, []).append(Word(w.text, piece.to_call_time(w.start), piece.to_call_time(w.end)))


def _piece_at(window: list[Piece], t: float) -> Piece:
    for p in reversed(window):
        if t >= p.offset:
            return p
    return window[0]


def _utterances(speaker: Speaker, words: dict[int, list[Word]]) -> list[Segment]:
    """One segment per span, its words in order with repetition loops removed."""
    out: list[Segment] = []
    for i in sorted(words):
        group = without_repeats(sorted(words[i], key=lambda w: w.start))
        text = "".join(w.text for w in group).strip()
        if not text:
            continue
        out.append(Segment(speaker, group[0].start, group[-1].end, text, True,
                           tuple(group)))
    return out
