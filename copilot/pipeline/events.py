"""What the live pipeline hands its sinks: the typed events of the call, each with its wall-clock stamp.

The core's events (speech, transcript, flags, prompts, talk state) travel as they are;
three more belong to the live edge: a sentence about the devices (or saving), what the echo
canceller is doing, and a prompt the overlay has actually painted. Only the JSON event log
turns them into JSON (``sinks.py``), so the event contract in DESIGN.md has one writer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from copilot.core.events import Flag, Prompt, PromptTakenBack, Segment, SpeechSpan, SpeechStart, TalkState

__all__ = ["DeviceNotice", "EchoStatus", "PromptShown", "LiveEvent", "Stamped", "Sink"]


@dataclass(frozen=True)
class DeviceNotice:
    """Something the rep should see that is not coaching, at audio time ``t``: a device lost ("… stopped
    delivering audio"), the call's audio or the session no longer being saved (a full disk), saving
    working again."""

    t: float
    message: str


@dataclass(frozen=True)
class EchoStatus:
    """What the echo canceller does with the call audio heard on the rep's microphone (laptop speakers):
    one sentence ("Echo from your speakers: removed, -22 dB."), sent when it changes, at audio time ``t``."""

    t: float
    message: str


@dataclass(frozen=True)
class PromptShown:
    """The overlay painted ``prompt``: the moment the rep could first read it."""

    prompt: Prompt


LiveEvent = (SpeechStart | SpeechSpan | Segment | Flag | Prompt | PromptTakenBack | TalkState | DeviceNotice
             | EchoStatus | PromptShown)


@dataclass(frozen=True)
class Stamped:
    """One event of the call and ``wall``: seconds since the session started, on the wall clock, when it was emitted."""

    event: LiveEvent
    wall: float


Sink = Callable[[Stamped], None]
"""Where live events go (event log, terminal, store, the app's bridge); called on the coach thread."""
