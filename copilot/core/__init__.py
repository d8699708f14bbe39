"""The coaching core: pure logic, no Qt, audio, SQL or Whisper; events in, events out."""

from copilot.core.coach import CoachPolicy
from copilot.core.events import (
    Flag,
    Monologue,
    Prompt,
    Segment,
    Speaker,
    SpeechSpan,
    SupportiveLine,
    TalkState,
    Word,
)
from copilot.core.phrases import Detection, Hit, PhraseDetector
from copilot.core.rulebook import Category, Rulebook, RulebookError
from copilot.core.session import Session
from copilot.core.settings import CoachSettings
from copilot.core.talk import TalkTracker

__all__ = [
    "Category",
    "CoachPolicy",
    "CoachSettings",
    "Detection",
    "Flag",
    "Hit",
    "Monologue",
    "PhraseDetector",
    "Prompt",
    "Rulebook",
    "RulebookError",
    "Segment",
    "Session",
    "Speaker",
    "SpeechSpan",
    "SupportiveLine",
    "TalkState",
    "TalkTracker",
    "Word",
]
