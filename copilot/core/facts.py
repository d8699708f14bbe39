"""The facts the whole app shares, each said once: the audio clock, and the lines calls are judged by.

Published call research (Gong Labs, 25,537 calls): the best-converting calls run about
43:57 rep:prospect talk; above 65% rep talk, win rates drop; rep pitches past about two
minutes hurt. The coach prompts on the 65% line over a two-minute window; the overlay's
meter, the review's timeline and numbers, and the terminal summary all draw the same lines.
"""

from __future__ import annotations

__all__ = ["SAMPLE_RATE", "IDEAL_REP_SHARE", "HIGH_REP_SHARE", "TALK_WINDOW_S", "LONG_PITCH_S", "ideal_ratio",
           "seconds"]

SAMPLE_RATE = 16_000
"""Every channel, live or recorded, is 16 kHz mono on the way in: audio time = samples / SAMPLE_RATE."""

IDEAL_REP_SHARE = 0.43
"""The rep's share of the talk on the best-converting calls (43:57)."""

HIGH_REP_SHARE = 0.65
"""Above this share of the talk, win rates drop; the coach hands the floor back past it."""

TALK_WINDOW_S = 120.0
"""The sliding window of the live talk share: the last two minutes."""

LONG_PITCH_S = 120.0
"""Rep pitches past about two minutes lose the buyer."""


def ideal_ratio() -> str:
    """The best calls' rep:prospect talk as a rep reads it ("43:57")."""
    rep = round(IDEAL_REP_SHARE * 100)
    return f"{rep}:{100 - rep}"


def seconds(samples: int) -> float:
    """Audio time of a count of samples on the audio clock."""
    return samples / SAMPLE_RATE
