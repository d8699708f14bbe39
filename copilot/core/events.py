"""What flows through the coaching core: frozen, typed events on the audio clock.

Every time is in seconds since the session started, on the audio clock. Speakers are
``"rep"`` (the microphone) and ``"prospect"`` (the call audio).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "Speaker",
    "SPEAKERS",
    "other",
    "Stretch",
    "SpeechSpan",
    "SpeechStart",
    "Word",
    "Segment",
    "Flag",
    "Answer",
    "SupportiveLine",
    "Prompt",
    "PromptKind",
    "PromptTakenBack",
    "Monologue",
    "TalkState",
    "Event",
]

Speaker = Literal["rep", "prospect"]
SPEAKERS: tuple[Speaker, Speaker] = ("rep", "prospect")


def other(speaker: Speaker) -> Speaker:
    """The other side of the call."""
    return "prospect" if speaker == "rep" else "rep"


@dataclass(frozen=True)
class Stretch:
    """A stretch of time that belongs to one speaker."""

    speaker: Speaker
    start: float
    end: float

    @property
    def duration(self) -> float:
        """Seconds from start to end."""
        return self.end - self.start


@dataclass(frozen=True)
class SpeechSpan(Stretch):
    """A stretch of voice activity on one channel: someone was talking from start to end."""


@dataclass(frozen=True)
class SpeechStart:
    """A speaker has just started talking at ``t`` (the VAD confirmed it; the span is still open)."""

    speaker: Speaker
    t: float


@dataclass(frozen=True)
class Word:
    """One transcribed word with its audio times, used to time a flagged phrase."""

    text: str
    start: float
    end: float


@dataclass(frozen=True)
class Segment:
    """Transcribed speech of one speaker; ``final`` is False for a live partial guess.

    A final with ``replaces`` is a second, better hearing of a stretch already sent: it
    takes the place of the speaker's finals whose middle lies within that (start, end).
    """

    speaker: Speaker
    start: float
    end: float
    text: str
    final: bool = True
    words: tuple[Word, ...] = ()
    replaces: tuple[float, float] | None = None

    @property
    def middle(self) -> float:
        """Audio time halfway through the segment."""
        return (self.start + self.end) / 2

    def replaced_by(self, other: Segment) -> bool:
        """True when ``other`` is a revision covering this final."""
        return (other.replaces is not None and self.final and self.speaker == other.speaker
                and other.replaces[0] <= self.middle <= other.replaces[1])


@dataclass(frozen=True)
class Flag:
    """A directive phrase the rep said, with the line they could say instead.

    ``revised`` marks a flag found only when a revision of the transcript was heard: it
    comes seconds late, so it prompts nothing, but the review keeps it. ``added`` marks a line
    the detector missed and the rep marked as pushy in the review (``core/marks.py``).
    """

    speaker: Speaker
    start: float
    end: float
    category: str
    match: str
    text: str
    prompt: str
    revised: bool = False
    added: bool = False


@dataclass(frozen=True)
class Answer:
    """Rep words the detector would flag that answer the buyer's request for advice ("Which plan would you go
    with?", core/asked.py): not counted, not prompted, kept so the review can say why. ``asked_at``: when the
    buyer's asking turn began (None: the question is no longer known, as in a call stored before it was kept)."""

    flag: Flag
    asked_at: float | None


@dataclass(frozen=True)
class SupportiveLine:
    """An autonomy-supportive line ("it's your call"), counted in the review, never prompted."""

    speaker: Speaker
    start: float
    end: float
    match: str
    text: str


PromptKind = Literal["phrase", "dominance", "monologue"]


@dataclass(frozen=True)
class Prompt:
    """One line shown to the rep, with why it was shown and until when it stays on screen."""

    time: float
    kind: PromptKind
    text: str
    category: str
    reason: str
    until: float


@dataclass(frozen=True)
class PromptTakenBack:
    """At ``time`` the flag behind the phrase prompt still on screen was taken back: the buyer's words, heard
    late, asked for that advice, the whole sentence did not say it, or the words were the buyer's voice on the
    rep's microphone. The prompt shown at ``shown_at`` leaves the screen; a wrong cue must not stay up."""

    time: float
    shown_at: float
    category: str


@dataclass(frozen=True)
class Monologue(Stretch):
    """A stretch in which one speaker held the floor (their own pauses included)."""


@dataclass(frozen=True)
class TalkState:
    """Who has been talking, as of ``time``: whole-call and sliding-window numbers."""

    time: float
    rep_s: float
    prospect_s: float
    rep_share: float
    window_s: float
    window_rep_s: float
    window_prospect_s: float
    window_rep_share: float
    speaking: tuple[Speaker, ...] = ()
    current_monologue: Monologue | None = None
    longest_monologue: dict[Speaker, float] = field(default_factory=dict)
    conversation_s: float = 0.0
    patience_s: float = 0.0
    interruptions: int = 0


Event = SpeechSpan | Segment | Flag | SupportiveLine | Prompt | PromptTakenBack | TalkState
