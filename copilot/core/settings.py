"""The coaching thresholds in one place: what counts as a monologue, when to prompt, how often."""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace

from copilot.core.facts import HIGH_REP_SHARE, TALK_WINDOW_S

__all__ = ["CoachSettings"]


@dataclass(frozen=True)
class CoachSettings:
    """Every threshold the talk tracker and the coach use; defaults follow DESIGN.md."""

    window_s: float = TALK_WINDOW_S
    """Length of the sliding window for the live talk share."""
    floor_s: float = 1.0
    """The other side must talk this long to end a monologue (shorter is a backchannel)."""
    bridge_gap_s: float = 0.5
    """Pauses shorter than this inside one speaker's talk do not split it."""
    interruption_overlap_s: float = 0.3
    """The rep must talk over the prospect this long for it to count as an interruption."""
    max_response_gap_s: float = 10.0
    """Silences longer than this are dead air, not patience before a reply."""
    min_gap_s: float = 20.0
    """Minimum time between two prompts."""
    category_cooldown_s: float = 60.0
    """Minimum time before the same category may prompt again."""
    prompt_show_s: float = 8.0
    """How long a prompt stays on screen; no other prompt appears meanwhile."""
    flag_fresh_s: float = 6.0
    """A flagged phrase older than this is no longer worth a prompt."""
    dominance_share: float = HIGH_REP_SHARE
    """Rep share of the sliding window above which the coach hands the floor back."""
    dominance_min_conversation_s: float = 60.0
    """No dominance prompt before this much conversation."""
    dominance_rearm_share: float = 0.60
    """After a dominance prompt, the share must drop below this before another one."""
    monologue_s: float = 60.0
    """A rep monologue this long earns a prompt (once per monologue)."""

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
                raise ValueError(f"setting {f.name} must be a number of zero or more, not {value!r}")
        for name in ("dominance_share", "dominance_rearm_share"):
            if not 0.0 < getattr(self, name) <= 1.0:
                raise ValueError(f"setting {name} must be a share between 0 and 1")
        if self.window_s <= 0:
            raise ValueError("setting window_s must be more than zero seconds")

    def with_dominance(self, share: float) -> CoachSettings:
        """The same coach, prompting when the rep's share of the window passes ``share`` (and re-armed
        once it drops below the usual re-arm line, or below ``share`` if that is lower)."""
        return replace(self, dominance_share=share,
                       dominance_rearm_share=min(CoachSettings.dominance_rearm_share, share))
