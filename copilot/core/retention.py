"""How long a call's words are kept: the transcript goes after a number of days, the numbers stay for good.

A rep reviews a call within days; after that what matters is the trend (Progress), which
needs only the numbers. Keeping every sentence of every call forever keeps what buyers said
in confidence (names, card numbers, plans) for no use, so by default the words of a call go
90 days after it. What goes is the **transcript**: each segment's text and word timings, the
sentence (and phrase) of each flag and supportive line, the wording of a prompt's reason
that quotes the rep, and the call's kept audio. What stays is the **numbers**: talk times
and shares, who spoke when, the times and categories of the flags, the prompts shown and
what they did. ``never`` keeps the words for good.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

__all__ = ["Retention", "DEFAULT_DAYS", "MAX_DAYS", "NEVER", "parse_days", "WORDS_GONE_REASON", "expired_note"]

DEFAULT_DAYS = 90
MAX_DAYS = 36_500  # a hundred years; longer is "never" (and a day that far back may not be a date at all)
NEVER = "never"
WORDS_GONE_REASON = "you said a directive phrase"
"""A phrase prompt's reason once the words it quoted are gone ("you said: 'the next step is'" before)."""


def parse_days(value: object, what: str = "delete_transcripts_after_days") -> int | None:
    """A number of days (1 or more) or "never" (None: kept for good), as typed in the settings file or on
    the command line; ValueError with a sentence naming ``what`` otherwise."""
    if isinstance(value, str):
        typed = value
        text = value.strip().lower()
        if text == NEVER:
            return None
        try:
            value = int(text)
        except ValueError:
            shown = typed if len(typed) <= 40 else typed[:40] + "…"  # a damaged file's line is not quoted whole
            raise ValueError(f"{what} should be a number of days or \"never\", not {shown!r}") from None
    if (isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value)
            or value != int(value)):
        raise ValueError(f"{what} should be a whole number of days or \"never\"")
    if value < 1:
        raise ValueError(f"{what} should be 1 day or more (or \"never\")")
    if value > MAX_DAYS:
        raise ValueError(f"{what} should be at most {MAX_DAYS:,} days (a hundred years), or \"never\"")
    return int(value)


@dataclass(frozen=True)
class Retention:
    """How many days a call's transcript is kept (None: for good); its numbers are always kept."""

    days: int | None = DEFAULT_DAYS

    def cutoff(self, now: datetime) -> datetime | None:
        """Calls started before this have their words removed (None: nothing is removed)."""
        return None if self.days is None else now - timedelta(days=self.days)

    @property
    def said(self) -> str:
        """The setting in words, for a sentence: "kept 90 days" or "kept for good"."""
        return "kept for good" if self.days is None else f"kept {self.days} day{'s' if self.days != 1 else ''}"


def expired_note(removed: str) -> str:
    """The one line a review or report shows for a call whose transcript was removed on ``removed`` (a date)."""
    day = removed[:10]
    return (f"The transcript of this call was deleted on {day}, with the other old ones (your setting for keeping "
            "transcripts, or `copilot sessions prune`); its numbers, timeline, flags' times and prompts are kept.")
