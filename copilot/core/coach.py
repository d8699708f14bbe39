"""When to say something to the rep, and what: rare, single prompts that hand control back.

Live coaching works when cues are rare and single: at most one prompt on screen, a
minimum gap between prompts, a cooldown per category, and nothing stale (a prompt about a
phrase said half a minute ago is noise). A directive phrase outranks a monologue, which
outranks talk dominance. Talk prompts fire once per episode: once per monologue, and once
per stretch of dominance (re-armed when the rep's share drops again).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from copilot.core.events import Flag, Prompt, PromptKind, PromptTakenBack, TalkState
from copilot.core.sensitive import shown
from copilot.core.settings import CoachSettings

__all__ = ["CoachPolicy", "TALK_LINES", "SAME_WORDS_S"]

SAME_WORDS_S = 0.3
"""How near a standing flag must be to a taken-back one to be a flag on the same words (word times move a little
between a partial and the final)."""

TALK_LINES: dict[str, tuple[str, ...]] = {
    "monologue": ("What do you want to do next?", "What would you need to see to move forward on your own terms?"),
    "dominance": ("What would you need to see to move forward on your own terms?", "What do you want to do next?"),
}
"""Lines for talk prompts (the rep has held the floor too long, or talks too much)."""


class CoachPolicy:
    """Turns flags and talk state into at most one prompt at a time, rarely."""

    def __init__(
        self,
        lines: Mapping[str, Sequence[str]] | None = None,
        settings: CoachSettings | None = None,
    ) -> None:
        self.settings = settings or CoachSettings()
        self._lines: dict[str, tuple[str, ...]] = dict(TALK_LINES)
        for category, prompts in (lines or {}).items():
            self._lines[category] = tuple(prompts)
        self._shown: Prompt | None = None
        # The flag a phrase prompt on screen was shown for, and its category's last prompt before it: what
        # :meth:`take_back` needs when that flag turns out not to be one.
        self._shown_for: Flag | None = None
        self._cooldown_before: float | None = None
        self._last_by_category: dict[str, float] = {}
        self._rotation: dict[str, int] = {}
        self._dominance_armed = True
        self._prompted_monologue: float | None = None

    def on_screen(self, now: float) -> Prompt | None:
        """The prompt the rep is looking at, if one is still up at ``now``."""
        if self._shown is not None and now < self._shown.until:
            return self._shown
        return None

    def consider(self, now: float, flags: Sequence[Flag] = (), talk: TalkState | None = None) -> Prompt | None:
        """A new prompt to show at ``now``, or None if the rep should be left alone."""
        s = self.settings
        if talk is not None and talk.window_rep_share < s.dominance_rearm_share:
            self._dominance_armed = True
        if self.on_screen(now) is not None:
            return None
        if self._shown is not None and now - self._shown.time < s.min_gap_s:
            return None
        for flag in sorted(flags, key=lambda f: f.end, reverse=True):
            if now - flag.end <= s.flag_fresh_s and self._cooled(flag.category, now):
                # On screen during the call (maybe shared): never a number or an address the rep read out.
                cooldown_before = self._last_by_category.get(flag.category)
                prompt = self._show(now, "phrase", flag.category, f"you said: '{shown(flag.match)}'")
                self._shown_for, self._cooldown_before = flag, cooldown_before
                return prompt
        if talk is None:
            return None
        mono = talk.current_monologue
        if (
            mono is not None
            and mono.speaker == "rep"
            and mono.duration >= s.monologue_s
            and mono.start != self._prompted_monologue
            and self._cooled("monologue", now)
        ):
            self._prompted_monologue = mono.start
            return self._show(now, "monologue", "monologue", f"you've held the floor for {mono.duration:.0f} s")
        if (
            self._dominance_armed
            and talk.conversation_s >= s.dominance_min_conversation_s
            and talk.window_rep_share > s.dominance_share
            and self._cooled("dominance", now)
        ):
            self._dominance_armed = False
            minutes = talk.window_s / 60.0
            reason = f"you've talked {talk.window_rep_share:.0%} of the last {minutes:.0f} min"
            return self._show(now, "dominance", "dominance", reason)
        return None

    def take_back(self, flags: Sequence[Flag], now: float, standing: Sequence[Flag] = ()) -> PromptTakenBack | None:
        """``flags`` were taken back at ``now``: if the prompt on screen was shown for one of them, it ends now
        and its category is free again (a wrong flag must not silence the next right one). The gap before the
        next prompt still counts from when it was shown: the rep saw it. Returns what the screen must do.

        A flag of ``standing`` (the flags just raised) on the same words keeps the prompt up and takes its place:
        the whole sentence, heard at last, flags what a partial of it flagged in other words ("What I recommend
        is" heard first, "What I'd recommend" in the final)."""
        shown_now = self.on_screen(now)
        if shown_now is None or self._shown_for is None or not any(f is self._shown_for for f in flags):
            return None
        was = self._shown_for
        heir = next((f for f in standing if f.speaker == was.speaker
                     and f.start <= was.end + SAME_WORDS_S and was.start <= f.end + SAME_WORDS_S), None)
        if heir is not None:
            self._shown_for = heir
            return None
        self._shown = replace(shown_now, until=now)
        if self._cooldown_before is None:
            self._last_by_category.pop(shown_now.category, None)
        else:
            self._last_by_category[shown_now.category] = self._cooldown_before
        self._shown_for = None
        return PromptTakenBack(now, shown_now.time, shown_now.category)

    def _cooled(self, category: str, now: float) -> bool:
        last = self._last_by_category.get(category)
        return last is None or now - last >= self.settings.category_cooldown_s

    def _show(self, now: float, kind: PromptKind, category: str, reason: str) -> Prompt:
        lines = self._lines.get(category) or TALK_LINES["dominance"]
        turn = self._rotation.get(category, 0)
        self._rotation[category] = turn + 1
        prompt = Prompt(now, kind, lines[turn % len(lines)], category, reason, now + self.settings.prompt_show_s)
        self._shown, self._shown_for = prompt, None
        self._last_by_category[category] = now
        return prompt
