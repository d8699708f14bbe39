"""The bundled sample call's script played back to back into one long coached call, stored.

An hour of it (about 1,100 transcript segments, one a sentence) is what ``copilot bench review``
opens; the review tests store a few minutes. The session is coached by the same core session
as a live call, so its flags, prompts and talk numbers are real.
"""

from __future__ import annotations

import re
from typing import Any

from copilot.core.assets import asset_path
from copilot.core.events import Segment, SpeechSpan
from copilot.core.session import Session
from copilot.scripted.truth import load_truth
from copilot.store.sqlite import SessionStore

__all__ = ["hour_of_calls"]


def hour_of_calls(store: SessionStore, minutes: float = 60.0) -> str:
    """Store the sample call's script repeated to ``minutes`` as one coached session; returns its id."""
    from copilot.wiring import load_detector

    truth = load_truth(asset_path("samples", "discovery_call.opus"))
    session = Session(load_detector(None, mine=False))
    spans: list[SpeechSpan] = []
    segments: list[Segment] = []
    offset = 0.0
    while offset < minutes * 60:
        for line in truth.lines:
            span = SpeechSpan(line.speaker, line.start + offset, line.end + offset)
            spans.append(span)
            segments += timed_sentences(line.speaker, line.text, span.start, span.end)
        offset += truth.duration_s
    session.replay(spans, segments, offset)
    return store.save_analysis("the sample call's script, back to back", "analyze", "script", offset,
                               session.talk_summary(), spans, session.segments, session.flags, session.prompts,
                               supportive=session.supportive, hidden={})  # the sample's script: nothing to hide


def timed_sentences(speaker: Any, text: str, start: float, end: float) -> list[Segment]:
    """One segment per sentence, timed in proportion to its length."""
    parts = [p for p in re.split(r"(?<=[.?!])\s+", text) if p]
    total = sum(len(p) for p in parts) or 1
    out, at = [], start
    for p in parts:
        length = (end - start) * len(p) / total
        out.append(Segment(speaker, at, at + length, p))
        at += length
    return out
