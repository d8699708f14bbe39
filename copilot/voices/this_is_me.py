""""This is me": the rep says which voice of a mixed recording is theirs, and the call is worked out again.

When the voice taken as the rep's was the wrong one (a guess, or a voice sample of poor
quality), the rep names theirs and the call is worked out again from what was stored: every
speech span and line goes to the rep or the buyer's side by the voice whose turn it lies
in, and the talk numbers, flags and prompts are recomputed by the same coaching core (with the
rep's own rulebook: the caller hands over the detector it loaded from it).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import replace

from copilot.core.events import Segment, Speaker
from copilot.core.phrases import PhraseDetector
from copilot.core.session import Session
from copilot.errors import UserError
from copilot.store.sqlite import SessionStore, StoredSession

__all__ = ["this_is_me"]


def this_is_me(store: SessionStore, session_id: str, voice: int, detector: PhraseDetector) -> StoredSession:
    """Make ``voice`` the rep of a stored mixed recording, recompute its numbers, store and return it."""
    stored = store.load(session_id)
    voices = sorted({v for v, _, _ in stored.voice_turns})
    if not voices:
        raise UserError(f"{stored.row.label} is not a mixed recording: its rep had a channel of their own.")
    if voice not in voices:
        raise UserError(f"{stored.row.label} has voices {', '.join(map(str, voices))}; there is no voice {voice}.")
    starts = [a for _, a, _ in stored.voice_turns]

    def side(a: float, b: float) -> Speaker:
        t = (a + b) / 2
        i = max(0, bisect_right(starts, t) - 1)
        near = min(range(max(0, i - 1), min(len(starts), i + 2)),
                   key=lambda j: 0.0 if stored.voice_turns[j][1] <= t <= stored.voice_turns[j][2]
                   else min(abs(t - stored.voice_turns[j][1]), abs(t - stored.voice_turns[j][2])))
        return "rep" if stored.voice_turns[near][0] == voice else "prospect"

    spans = [replace(s, speaker=side(s.start, s.end)) for s in stored.spans]
    segments: list[Segment] = [replace(g, speaker=side(g.start, g.end)) for g in stored.segments]
    session = Session(detector)
    session.replay(sorted(spans, key=lambda s: s.end), segments, stored.row.duration_s)
    # Worked out from the stored text, already hidden (or hidden as it was read): the count goes with it.
    store.replace_results(session_id, session.talk_summary(), spans, session.segments, session.flags,
                          session.prompts, voice, supportive=session.supportive, hidden=stored.hidden,
                          answers=session.answers())
    return store.load(session_id)


