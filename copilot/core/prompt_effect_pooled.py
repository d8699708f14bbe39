"""What the prompts did across calls: the number a rep reads in Progress, with how sure it is.

"After a prompt, the buyer talked 14 points more over the next two minutes (likely 8 to
20) — 37 prompts in 12 calls", beside the same at matched moments (the same trigger, no
prompt shown), and the difference between the two: the part the prompts themselves add.

**How sure.** Prompts in one call are not independent draws: they share a rep, a buyer
and a topic, and two prompts a minute apart share half their windows. A standard error
over prompts would treat 37 prompts in 12 calls as 37 independent facts and claim too
much. The interval here is a *cluster bootstrap*: whole calls are drawn again with
replacement (2,000 times, fewer past a hundred calls; from a fixed seed so the page reads
the same each time it is opened), each draw's prompts and matched moments pooled, and the
middle 95% of the resulting means kept. It needs several calls to mean anything, so below
``MIN_CALLS`` calls or ``MIN_PROMPTS`` measured prompts no number is given: "not enough
calls yet". The matched comparison needs ``MIN_MATCHED`` moments in ``MIN_MATCHED_CALLS``
calls; with fewer, the prompts' number is given alone and said to include what happens
anyway after a rep talks a lot.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import fmean, median

from copilot.core.prompt_effect import CallEffects, Moment
from copilot.core.scorecard import clock

__all__ = ["Estimate", "AcrossCalls", "across_calls", "MIN_CALLS", "MIN_PROMPTS", "MIN_MATCHED",
           "MIN_MATCHED_CALLS"]

MIN_CALLS = 5
"""Fewer calls with a measured prompt than this: "not enough calls yet"."""
MIN_PROMPTS = 10
"""Fewer measured prompts than this: "not enough calls yet"."""
MIN_MATCHED = 5
"""Fewer matched moments than this: no comparison, said so."""
MIN_MATCHED_CALLS = 3
"""Matched moments from fewer calls than this: no comparison, said so."""
DRAWS = 2000
_PICKS = 200_000  # calls drawn in all, at most (with many calls, fewer draws)
SEED = 26  # a fixed seed: the same calls give the same interval every time the page is drawn


@dataclass(frozen=True)
class Estimate:
    """A mean change in the buyer's share (points) with its 95% interval and what it rests on."""

    mean: float
    low: float
    high: float
    moments: int  # prompts (or matched moments) measured
    calls: int  # the calls they came from

    def as_json(self) -> dict[str, float | int]:
        """For ``--json``: the mean and interval in points, and the counts."""
        return {"mean_points": round(self.mean, 1), "low_points": round(self.low, 1),
                "high_points": round(self.high, 1), "moments": self.moments, "calls": self.calls}


@dataclass(frozen=True)
class AcrossCalls:
    """What the prompts did over many calls, beside the matched moments; None where there is too little."""

    prompted: Estimate | None  # None: not enough calls yet
    matched: Estimate | None  # None: too few matched moments to compare with
    difference: Estimate | None  # prompted minus matched: the prompts' own part
    prompts: int  # prompts shown, measured or not
    measured: int  # prompts with talk enough on both sides to measure
    calls: int  # live calls with a prompt measured
    matched_moments: int
    matched_calls: int
    hand_back: tuple[int, int]  # prompts followed by a hand-back line within 30 s, of prompts
    matched_hand_back: tuple[int, int]
    next_monologue_s: float | None  # median length of the rep's next monologue after a prompt
    matched_next_monologue_s: float | None

    @property
    def enough(self) -> bool:
        """There are calls enough to say what the prompts did."""
        return self.prompted is not None

    def sentences(self) -> list[str]:
        """What a rep reads in Progress: the headline, the matched comparison, hand-backs and monologues."""
        if self.prompted is None:
            have = f"{_n(self.measured, 'prompt')} in {_n(self.calls, 'call')}" if self.measured else "no prompts"
            return [f"Not enough calls yet to say what the prompts do: {have} so far; it takes "
                    f"{MIN_PROMPTS} prompts in {MIN_CALLS} calls."]
        p = self.prompted
        out = [f"After a prompt, the buyer talked {_more(p.mean)} over the next two minutes "
               f"(likely {_range(p)}) — {_n(p.moments, 'prompt')} in {_n(p.calls, 'call')}."]
        if self.matched is None or self.difference is None:
            have = (f"{self.matched_moments} in {_n(self.matched_calls, 'call')}" if self.matched_moments
                    else "none so far")
            out.append(f"Too few moments with the same trigger and no prompt to compare with yet ({have}), so this "
                       "includes what happens anyway after you talk a lot.")
        else:
            m, d = self.matched, self.difference
            sure = "" if d.low > 0 or d.high < 0 else ", which could still be chance"
            p_d = round(d.mean)
            own = ("the prompts themselves make about no difference" if p_d == 0 else
                   f"the prompts themselves add about {p_d} point{'s' if p_d != 1 else ''}" if p_d > 0 else
                   f"with a prompt they talked about {-p_d} point{'s' if p_d != -1 else ''} less than without one")
            out.append(f"At moments with the same trigger but no prompt, they talked {_more(m.mean)} "
                       f"(likely {_range(m)}; {_n(m.moments, 'moment')} in {_n(m.calls, 'call')}): {own} "
                       f"(likely {_range(d)}){sure}.")
        said, of = self.hand_back
        line = f"You said a hand-back line within 30 s after {said} of {of} prompts"
        if self.matched_hand_back[1]:
            line += f", and after {self.matched_hand_back[0]} of {self.matched_hand_back[1]} moments without one"
        out.append(line + ".")
        if self.next_monologue_s is not None:
            line = f"Your next monologue after a prompt ran {clock(self.next_monologue_s)} (median)"
            if self.matched_next_monologue_s is not None:
                line += f"; after a moment without one, {clock(self.matched_next_monologue_s)}"
            out.append(line + ".")
        return out

    def as_json(self) -> dict[str, object]:
        """For ``--json`` (the Progress page's data)."""
        def est(e: Estimate | None) -> dict[str, float | int] | None:
            return None if e is None else e.as_json()

        return {"enough": self.enough, "prompts": self.prompts, "measured": self.measured, "calls": self.calls,
                "prompted": est(self.prompted), "matched": est(self.matched), "difference": est(self.difference),
                "matched_moments": self.matched_moments, "matched_calls": self.matched_calls,
                "hand_back": list(self.hand_back), "matched_hand_back": list(self.matched_hand_back),
                "next_monologue_s": self.next_monologue_s, "matched_next_monologue_s": self.matched_next_monologue_s,
                "summary": self.sentences()}


def across_calls(calls: Sequence[CallEffects], draws: int = DRAWS, min_calls: int = MIN_CALLS,
                 min_prompts: int = MIN_PROMPTS) -> AcrossCalls:
    """Pool the prompts of many calls (only live ones count: nobody saw an analysed recording's prompts)."""
    live = [c for c in calls if c.live]
    shown = [[x for m in c.prompts if (x := m.change) is not None] for c in live]
    unshown = [[x for m in c.matched if (x := m.change) is not None] for c in live]
    measured, n_calls = sum(map(len, shown)), sum(1 for x in shown if x)
    matched, m_calls = sum(map(len, unshown)), sum(1 for x in unshown if x)
    prompted_est = matched_est = diff_est = None
    if measured >= min_prompts and n_calls >= min_calls:
        draws_p, draws_m, draws_d = _bootstrap(shown, unshown, draws)
        prompted_est = _estimate(shown, draws_p)
        if matched >= MIN_MATCHED and m_calls >= MIN_MATCHED_CALLS:
            matched_est = _estimate(unshown, draws_m)
            mean_d = prompted_est.mean - matched_est.mean
            lo, hi = _interval(draws_d)
            diff_est = Estimate(mean_d, lo, hi, measured, n_calls)
    all_prompts = [m for c in live for m in c.prompts]
    all_matched = [m for c in live for m in c.matched]
    return AcrossCalls(prompted_est, matched_est, diff_est, len(all_prompts), measured, n_calls, matched, m_calls,
                       _hand_backs(all_prompts), _hand_backs(all_matched), _median_next(all_prompts),
                       _median_next(all_matched))


def _estimate(groups: list[list[float]], draws: list[float]) -> Estimate:
    values = [x for g in groups for x in g]
    lo, hi = _interval(draws)
    return Estimate(fmean(values), lo, hi, len(values), sum(1 for g in groups if g))


def _bootstrap(shown: list[list[float]], unshown: list[list[float]],
               draws: int) -> tuple[list[float], list[float], list[float]]:
    """Means of prompts, of matched moments and their difference over resamplings of whole calls.

    Each call enters as its sums and counts, so a draw costs one pass over the calls; with
    many calls fewer draws are made (at least 200), which keeps Progress quick over hundreds
    of calls and changes the interval's ends by a fraction of a point."""
    rng = random.Random(SEED)
    n = len(shown)
    sums = [(sum(p), len(p), sum(m), len(m)) for p, m in zip(shown, unshown, strict=True)]
    draws = max(200, min(draws, _PICKS // max(n, 1)))
    out_p: list[float] = []
    out_m: list[float] = []
    out_d: list[float] = []
    pick = rng.random
    for _ in range(draws):
        sp = sm = 0.0
        np_ = nm = 0
        for _ in range(n):
            a, b, c, d = sums[int(pick() * n)]
            sp += a
            np_ += b
            sm += c
            nm += d
        if np_:
            out_p.append(sp / np_)
        if nm:
            out_m.append(sm / nm)
        if np_ and nm:
            out_d.append(sp / np_ - sm / nm)
    return out_p, out_m, out_d


def _interval(draws: list[float]) -> tuple[float, float]:
    """The middle 95% of the bootstrap means."""
    if not draws:
        return float("nan"), float("nan")
    ordered = sorted(draws)
    k = len(ordered) - 1
    return ordered[round(0.025 * k)], ordered[round(0.975 * k)]


def _hand_backs(moments: Sequence[Moment]) -> tuple[int, int]:
    return sum(1 for m in moments if m.hand_back), len(moments)


def _median_next(moments: Sequence[Moment]) -> float | None:
    lengths = [m.next_monologue_s for m in moments if m.next_monologue_s is not None]
    return median(lengths) if lengths else None


def _n(n: int, what: str) -> str:
    return f"{n} {what}" + ("" if n == 1 else "s")


def _more(points: float) -> str:
    p = round(points)
    unit = "point" if abs(p) == 1 else "points"
    return "about as much as before" if p == 0 else f"{p} {unit} more" if p > 0 else f"{-p} {unit} less"


def _signed(points: float) -> str:
    p = round(points)
    return f"+{p}" if p > 0 else str(p)


def _range(e: Estimate) -> str:
    return f"{_signed(e.low)} to {_signed(e.high)} points"


