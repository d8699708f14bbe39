"""A scripted call's results as the store receives them, for the store's fault benchmarks.

From the bundled sample call's script (``discovery_call.truth.json``: who says what, when)
the real core (:class:`Session` with the bundled rulebook's patterns) works out what a
coached call leaves: speech, transcript (words spread over each line), flags, prompts,
supportive lines, talk numbers. Two shapes come out of it:

- the **live stream**: the events in the order the live pipeline hands them to its sinks
  (a speaker starts, stops, the final text a moment later, the talk state every second,
  flags and prompts as the core raises them), each at its call time;
- the **analysis**: the whole call at once, as ``copilot analyze`` saves it; ``repeat``
  strings the script end to end into a longer call (30 times: about an hour).

No audio and no speech model: the store's benchmarks measure the store, not Whisper.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from copilot.core.assets import asset_path
from copilot.core.events import Flag, Prompt, Segment, SpeechSpan, SpeechStart, SupportiveLine, TalkState, Word
from copilot.core.session import Session
from copilot.core.talk import TalkSummary
from copilot.scripted.truth import load_truth

__all__ = ["CallResults", "LiveEvent", "scripted_call", "SAMPLE_SCRIPT"]

SAMPLE_SCRIPT = "samples/discovery_call.opus"
STT_LAG_S = 0.8  # a final transcript comes this long after its speaker stops (about what the live path takes)

LiveEvent = SpeechStart | SpeechSpan | Segment | Flag | Prompt | TalkState


@dataclass(frozen=True)
class CallResults:
    """What one coached call gives the store: the live event stream and the finished numbers."""

    source: str
    duration_s: float
    events: tuple[tuple[float, LiveEvent], ...]  # (call time, event), in the order the sinks get them
    spans: tuple[SpeechSpan, ...]
    segments: tuple[Segment, ...]
    flags: tuple[Flag, ...]
    prompts: tuple[Prompt, ...]
    supportive: tuple[SupportiveLine, ...]
    talk: TalkSummary
    session: Session  # the coached call, as the live pipeline hands it to the store at the end

    def counts(self) -> dict[str, int]:
        """How many rows of each kind a complete stored copy of this call has."""
        return {"spans": len(self.spans), "segments": len(self.segments), "flags": len(self.flags),
                "prompts": len(self.prompts), "supportive": len(self.supportive)}


def _words(text: str, start: float, end: float) -> tuple[Word, ...]:
    parts = text.split()
    step = (end - start) / max(1, len(parts))
    return tuple(Word(f" {w}", round(start + i * step, 3), round(start + (i + 1) * step, 3))
                 for i, w in enumerate(parts))


def scripted_call(script: str | Path | None = None, repeat: int = 1) -> CallResults:
    """The sample call's script (or another ``NAME.truth.json`` beside ``NAME``), coached by the real core,
    ``repeat`` times end to end."""
    from copilot.wiring import load_detector

    truth = load_truth(script if script is not None else asset_path(SAMPLE_SCRIPT))
    lines = sorted(truth.lines, key=lambda x: x.start)
    gap = 2.0
    timeline: list[tuple[float, int, SpeechStart | SpeechSpan | Segment | None]] = []
    for r in range(max(1, repeat)):
        shift = r * (truth.duration_s + gap)
        for line in lines:
            a, b = round(line.start + shift, 3), round(line.end + shift, 3)
            timeline.append((a, 0, SpeechStart(line.speaker, a)))
            timeline.append((b, 1, SpeechSpan(line.speaker, a, b)))
            timeline.append((b + STT_LAG_S, 2, Segment(line.speaker, a, b, line.text, True, _words(line.text, a, b))))
    duration = round(repeat * truth.duration_s + (repeat - 1) * gap, 3)
    timeline += [(float(t), 3, None) for t in range(1, int(duration) + 1)]  # the coach's tick, once a second
    session = Session(load_detector(None, meaning=False, mine=False))
    events: list[tuple[float, LiveEvent]] = []
    for t, _order, item in sorted(timeline, key=lambda x: (x[0], x[1])):
        if isinstance(item, SpeechStart):
            events.append((t, item))
            out = session.speech_started(item.speaker, item.t)
        elif isinstance(item, SpeechSpan):
            events.append((t, item))
            out = session.speech(item)
        elif isinstance(item, Segment):
            events.append((t, item))
            out = session.segment(item)
        else:
            out = session.tick(t)
        events += [(t, e) for e in out if isinstance(e, (TalkState, Flag, Prompt))]
    session.tick(duration)
    session.finish(duration)
    spans = tuple(e for _t, e in events if isinstance(e, SpeechSpan))
    if session.bleed:
        raise ValueError("the script has the buyer's words on the rep's side; the benchmark needs a clean call")
    name = Path(script if script is not None else SAMPLE_SCRIPT).name.split(".")[0]
    return CallResults(f"{name} (scripted{f', {repeat} times' if repeat > 1 else ''})", duration, tuple(events), spans,
                       tuple(session.segments), tuple(session.flags), tuple(session.prompts),
                       tuple(session.supportive), session.talk_summary(), session)
