"""What the prompts did across calls: the pooled number, its interval, and "not enough calls yet"."""

from __future__ import annotations

import random
from collections.abc import Sequence

import pytest

from copilot.core.prompt_effect import CallEffects, Moment
from copilot.core.prompt_effect_pooled import MIN_CALLS, MIN_PROMPTS, across_calls


def moment(change: float | None, shown: bool = True, hand_back: bool = False, next_s: float | None = 30.0,
           before: float = 0.3) -> Moment:
    after = None if change is None else before + change / 100
    return Moment(100.0, "monologue", "monologue", "What do you want to do next?" if shown else "",
                  "you've held the floor for 60 s", shown, before, after, hand_back, 0.0, next_s)


def call(prompt_changes: Sequence[float | None], matched_changes: Sequence[float] = (),
         live: bool = True) -> CallEffects:
    return CallEffects(tuple(moment(c) for c in prompt_changes), tuple(moment(c, shown=False) for c in matched_changes),
                       live=live)


def test_too_few_calls_say_not_enough_calls_yet_and_give_no_number() -> None:
    calls = [call([20.0, 10.0, 15.0]) for _ in range(MIN_CALLS - 1)]
    pooled = across_calls(calls)
    assert not pooled.enough and pooled.prompted is None
    (said,) = pooled.sentences()
    assert said.startswith("Not enough calls yet") and "12 prompts in 4 calls" in said
    assert pooled.as_json()["prompted"] is None


def test_too_few_prompts_say_not_enough_calls_yet_however_many_calls() -> None:
    pooled = across_calls([call([12.0]) for _ in range(MIN_PROMPTS - 1)] + [call([]) for _ in range(20)])
    assert not pooled.enough and pooled.measured == MIN_PROMPTS - 1


def test_no_prompts_at_all_is_said_plainly() -> None:
    assert "no prompts so far" in across_calls([]).sentences()[0]


def test_the_pooled_change_and_the_matched_comparison_are_the_means_with_intervals_around_them() -> None:
    rng = random.Random(3)
    calls = [call([14 + rng.gauss(0, 6) for _ in range(3)], [4 + rng.gauss(0, 6) for _ in range(2)])
             for _ in range(12)]
    pooled = across_calls(calls)
    shown = [m.change for c in calls for m in c.prompts]
    unshown = [m.change for c in calls for m in c.matched]
    assert pooled.prompted is not None and pooled.matched is not None and pooled.difference is not None
    assert pooled.prompted.mean == pytest.approx(sum(shown) / len(shown))  # type: ignore[arg-type]
    assert pooled.matched.mean == pytest.approx(sum(unshown) / len(unshown))  # type: ignore[arg-type]
    assert pooled.difference.mean == pytest.approx(pooled.prompted.mean - pooled.matched.mean)
    for e in (pooled.prompted, pooled.matched, pooled.difference):
        assert e.low < e.mean < e.high
    assert (pooled.prompted.moments, pooled.prompted.calls, pooled.matched.moments) == (36, 12, 24)
    head, compared, *_ = pooled.sentences()
    assert head.startswith(f"After a prompt, the buyer talked {round(pooled.prompted.mean)} points more over the next "
                           "two minutes (likely ")
    assert head.endswith("— 36 prompts in 12 calls.")
    assert "the prompts themselves add about" in compared


def test_the_interval_is_the_same_each_time_the_page_is_drawn() -> None:
    calls = [call([10.0, 30.0], [5.0]) for _ in range(3)] + [call([0.0, 5.0], [-5.0]) for _ in range(3)]
    assert across_calls(calls).as_json() == across_calls(calls).as_json()


def test_prompts_of_one_call_do_not_count_as_independent() -> None:
    """One call with many prompts that all went one way: the interval, drawn by call, stays wide where a
    standard error over prompts would have it narrow."""
    calls = [call([40.0] * 20)] + [call([0.0, 2.0]) for _ in range(5)] + [call([-2.0, 0.0]) for _ in range(5)]
    pooled = across_calls(calls)
    assert pooled.prompted is not None
    assert pooled.prompted.low < 5 and pooled.prompted.high > 25


def test_without_matched_moments_the_number_is_said_to_include_what_happens_anyway() -> None:
    pooled = across_calls([call([10.0, 12.0]) for _ in range(6)])
    assert pooled.enough and pooled.matched is None and pooled.difference is None
    assert "includes what happens anyway" in pooled.sentences()[1]


def test_analysed_recordings_and_unmeasured_prompts_do_not_count() -> None:
    calls = [call([10.0, None]) for _ in range(6)] + [call([90.0] * 5, live=False)]
    pooled = across_calls(calls)
    assert pooled.prompts == 12 and pooled.measured == 6 and pooled.calls == 6
    assert not pooled.enough  # 6 measured prompts are under the minimum


def test_hand_backs_and_next_monologues_are_counted_for_prompts_and_matched_moments() -> None:
    calls = [CallEffects((moment(10, hand_back=True, next_s=20.0), moment(5, next_s=40.0)),
                         (moment(0, shown=False, next_s=90.0),), live=True) for _ in range(6)]
    pooled = across_calls(calls)
    assert pooled.hand_back == (6, 12) and pooled.matched_hand_back == (0, 6)
    assert pooled.next_monologue_s == 30.0 and pooled.matched_next_monologue_s == 90.0
    said = " ".join(pooled.sentences())
    assert "after 6 of 12 prompts, and after 0 of 6 moments without one" in said
    assert "ran 0:30 (median); after a moment without one, 1:30" in said
