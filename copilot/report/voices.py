"""A mixed recording's voices after the fact: each voice's share of the talk, for the review to show.

("This is me", which works the call out again with another voice as the rep, is in
``copilot/voices/this_is_me.py``.)
"""

from __future__ import annotations

from copilot.store.sqlite import StoredSession

__all__ = ["voice_shares"]


def voice_shares(stored: StoredSession) -> list[tuple[int, float]]:
    """(voice, share of all speech) of a mixed recording, by voice number; empty for a two-channel call."""
    secs: dict[int, float] = {}
    for v, a, b in stored.voice_turns:
        secs[v] = secs.get(v, 0.0) + (b - a)
    total = sum(secs.values()) or 1.0
    return [(v, secs[v] / total) for v in sorted(secs)]
