"""The buyer's own words on the rep's microphone: speaker echo the canceller left behind.

On laptop speakers the microphone hears the call. The echo canceller takes almost all of
it out, but not always (before it has adapted, a room that changes, a loud speaker). What
is left comes back as "rep" speech whose words are the buyer's, heard on the call channel
a moment earlier. :class:`BuyerWords` remembers the buyer's recent words with their times;
a rep segment most of whose words the buyer said at the same moment is bleed: not the
rep's talk, never flagged.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Sequence

from copilot.core.events import Segment, SpeechSpan

__all__ = ["BuyerWords", "BLEED_SHARE", "without_bleed"]

# A rep segment is bleed when at least this share of its words were the buyer's at that moment...
BLEED_SHARE = 0.6
# ...and it has at least this many words (one "okay" at the same moment proves nothing).
_MIN_WORDS = 2
# The echo reaches the microphone after the call channel (20-200 ms of speakers and room) and the
# two channels' word times come from separate decodes: a rep word matches the same buyer word
# when it starts at most _EARLY_S before the buyer's and at most _LATE_S after the buyer's ended.
_EARLY_S = 0.5
_LATE_S = 1.2
_KEEP_S = 60.0  # how far back the buyer's words are remembered
_WORD = re.compile(r"[a-z0-9']+")


def _words(segment: Segment) -> list[tuple[str, float, float]]:
    """The segment's words, lower-cased without punctuation, each with its times (spread
    evenly over the segment when the transcriber gave no word times)."""
    if segment.words:
        out = []
        for w in segment.words:
            out += [(t, w.start, w.end) for t in _WORD.findall(w.text.lower())]
        return out
    texts = _WORD.findall(segment.text.lower())
    if not texts:
        return []
    step = (segment.end - segment.start) / len(texts)
    return [(t, segment.start + i * step, segment.start + (i + 1) * step) for i, t in enumerate(texts)]


class BuyerWords:
    """The buyer's words of the last minute, with their times, to recognise them on the rep's side."""

    def __init__(self) -> None:
        self._words: deque[tuple[str, float, float]] = deque()

    def heard(self, segment: Segment) -> None:
        """A final segment of the buyer's (kept in time order; older than a minute is forgotten)."""
        for w in _words(segment):
            self._words.append(w)
        if len(self._words) > 1 and self._words[-1][1] < self._words[-2][1]:
            self._words = deque(sorted(self._words, key=lambda w: w[1]))
        newest = self._words[-1][1] if self._words else 0.0
        while self._words and self._words[0][1] < newest - _KEEP_S:
            self._words.popleft()

    def bleed(self, segment: Segment) -> bool:
        """True when most of a rep segment's words are the buyer's, said at the same moment."""
        rep = _words(segment)
        if len(rep) < _MIN_WORDS or not self._words:
            return False
        near = [w for w in self._words if w[1] - _EARLY_S <= segment.end and segment.start <= w[2] + _LATE_S]
        if not near:
            return False
        matched = sum(1 for text, start, _end in rep
                      if any(b[0] == text and b[1] - _EARLY_S <= start <= b[2] + _LATE_S for b in near))
        return matched >= BLEED_SHARE * len(rep)


def without_bleed(spans: Sequence[SpeechSpan], bleed: Sequence[Segment]) -> list[SpeechSpan]:
    """The rep's speech spans with the stretches found to be the buyer's voice cut out (what is kept
    of a call: its timeline must not show the buyer's words as the rep's talk)."""
    if not bleed:
        return list(spans)
    out: list[SpeechSpan] = []
    for sp in spans:
        pieces = [(sp.start, sp.end)]
        if sp.speaker == "rep":
            for b in bleed:
                pieces = [p for a, e in pieces
                          for p in ((a, min(e, b.start)), (max(a, b.end), e)) if p[1] - p[0] > 1e-6]
        out += [SpeechSpan(sp.speaker, a, e) for a, e in pieces]
    return out
