"""How a live session is coached and kept, chosen once: from the command line or from the app's settings.

One frozen set of options (the CPU budget in one unit, a share of one core) that the command, the app, the
self-test and the benchmark hand to ``wiring.live_session``, so that a live session is put together in one place.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import TYPE_CHECKING

from copilot.core.settings import CoachSettings
from copilot.errors import UserError
from copilot.pipeline.budget import DEFAULT_BUDGET

if TYPE_CHECKING:
    from copilot.store.settings import Settings

__all__ = ["LiveOptions", "MAX_CPU_SHARE"]

MAX_CPU_SHARE = 2.0  # two whole cores: more than a session beside a call could use


@dataclass(frozen=True)
class LiveOptions:
    """What a live session is run with, whoever starts it."""

    model: str | None = None  # None: the bundled tiny.en
    rules: str | None = None  # None: the bundled rulebook
    rules_only: bool = False  # the rulebook's patterns alone, without the model layer
    coach: CoachSettings | None = None  # when and how often to prompt (None: the defaults)
    threads: int = 0  # the speech model's threads (0: one core, beside the call)
    cpu_share: float = DEFAULT_BUDGET  # the share of one core the session may use
    echo_cancel: bool = True  # take the call audio's echo (laptop speakers) out of the microphone
    redact: bool = True  # hide card and bank numbers, ID numbers, e-mail addresses and phone numbers
    keep_audio: bool = False  # keep the call's audio beside the database (the rep opted in)
    learn_voice: bool = False  # the rep agreed: their voiceprint is learned from the microphone
    voice_profile: str | None = None  # where the voice profile lives (None: the user data folder)

    def __post_init__(self) -> None:
        if not 0 < self.cpu_share <= MAX_CPU_SHARE:
            raise UserError(f"A CPU budget of {self.cpu_share:g} of a core makes no sense; give a share between "
                            f"0 and {MAX_CPU_SHARE:g} (0.5 is half a core).")

    @property
    def model_label(self) -> str:
        """The speech model as the stored session names it."""
        return self.model or "tiny.en (bundled)"

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> LiveOptions:
        """The options of ``copilot live`` or ``copilot bench live`` (``--cpu-budget`` is a percentage there)."""
        percent = float(getattr(args, "cpu_budget", DEFAULT_BUDGET * 100))
        if not 0 < percent <= MAX_CPU_SHARE * 100:
            raise UserError(f"--cpu-budget {percent:g} is not a share of a core; give a percentage such as 50.")
        return cls(model=getattr(args, "model", None), rules=getattr(args, "rules", None),
                   rules_only=bool(getattr(args, "rules_only", False)), threads=int(getattr(args, "threads", 0)),
                   cpu_share=percent / 100, echo_cancel=bool(getattr(args, "echo_cancel", True)),
                   redact=bool(getattr(args, "redact", True)), keep_audio=bool(getattr(args, "keep_audio", False)))

    @classmethod
    def from_settings(cls, settings: Settings) -> LiveOptions:
        """The options of a session the rep starts in the app, as their settings say."""
        return cls(model=settings.model or None, rules=settings.rules or None, coach=settings.coach,
                   cpu_share=settings.cpu_budget, echo_cancel=settings.echo_cancel, redact=settings.redact,
                   keep_audio=settings.keep_audio, learn_voice=settings.learn_voice)
