"""A call's review with its words left out: the report a rep can share with a manager without what was said.

The numbers, the timeline, each flag's time and category, the prompts shown and what they
did all stay; the transcript, every flagged sentence and phrase, the supportive lines'
words, the rep's marked sentences and any reason quoting the rep go. The numbers are taken
from the whole review first (the rep's marks need the phrases to apply), so they are the
same as in the full report. ``copilot report ID --numbers-only`` and the review window's
"Numbers only" choice both use :func:`numbers_only`; a call whose transcript was deleted by
the retention setting is already in this state in the store.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from copilot.core.events import Flag, Prompt, Segment, SupportiveLine
from copilot.core.prompt_effect import CallEffects, Moment
from copilot.core.retention import WORDS_GONE_REASON
from copilot.report.review import Review, stored_json

__all__ = ["numbers_only", "numbers_only_json", "NUMBERS_ONLY_NOTE"]

NUMBERS_ONLY_NOTE = ("Numbers only: the transcript and the flagged sentences are left out of this report "
                     "(the times and kinds of the flags are kept).")


def numbers_only(review: Review) -> Review:
    """``review`` with every word of the call taken out and its numbers unchanged."""
    stored = review.stored
    bare = replace(stored, segments=[_segment(s) for s in stored.segments], flags=[_flag(f) for f in stored.flags],
                   prompts=[_prompt(p) for p in stored.prompts],
                   supportive=None if stored.supportive is None else [_supportive(x) for x in stored.supportive],
                   answers=[replace(a, flag=_flag(a.flag)) for a in stored.answers])
    return replace(review, stored=bare, lines=[], supportive=[_supportive(x) for x in review.supportive], marks=(),
                   found=tuple(_flag(f) for f in review.found), cleared=tuple(_flag(f) for f in review.cleared),
                   effects=_effects(review.effects), words_left_out=review.words_left_out or NUMBERS_ONLY_NOTE)


def numbers_only_json(review: Review) -> dict[str, Any]:
    """The call in the ``analyze --json`` contract without its words (every text field empty, the segments kept
    as who spoke when), marked ``"numbers_only": true``."""
    bare = numbers_only(review)
    out = stored_json(bare.stored, (), bare.effects)
    out["numbers_only"] = True
    return out


def _segment(s: Segment) -> Segment:
    return replace(s, text="", words=())


def _flag(f: Flag) -> Flag:
    return replace(f, match="", text="")


def _supportive(x: SupportiveLine) -> SupportiveLine:
    return replace(x, match="", text="")


def _prompt(p: Prompt) -> Prompt:
    return replace(p, reason=WORDS_GONE_REASON) if p.kind == "phrase" else p


def _effects(effects: CallEffects) -> CallEffects:
    def bare(m: Moment) -> Moment:
        return replace(m, why=WORDS_GONE_REASON) if m.kind == "phrase" else m

    return replace(effects, prompts=tuple(bare(m) for m in effects.prompts),
                   matched=tuple(bare(m) for m in effects.matched))
