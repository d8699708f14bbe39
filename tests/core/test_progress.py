"""Progress across calls: per-call numbers, the five-call median, and the latest calls against the ones before."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from copilot.core.progress import METRICS, CallNumbers, compare, progress, rolling_median, silent_sentence


def call(i: int, share: float = 0.5, *, rep_s: float = 600.0, directive: int = 2, questions: int = 8,
         monologue: float = 60.0, patience: float = 0.8, supportive: int | None = 1, **kw: object) -> CallNumbers:
    """Call number ``i`` (one a day in January and on), ``rep_s`` of rep talk at ``share``."""
    prospect_s = rep_s * (1 - share) / share if share > 0 else 300.0
    c = CallNumbers(f"c{i:03d}", f"2026-{1 + i // 28:02d}-{1 + i % 28:02d}T10:00:00+00:00", f"call {i}", "live",
                    rep_s + prospect_s, rep_s, prospect_s, share, monologue, directive, questions, patience,
                    supportive)
    return replace(c, **kw)  # type: ignore[arg-type]


def test_one_call_shows_its_numbers_and_says_how_many_calls_it_takes_to_compare() -> None:
    p = progress([call(0, 0.61, directive=3, supportive=2)])
    assert len(p.calls) == 1
    assert p.of("share").values == [0.61] and p.of("share").median5 == [0.61]
    assert p.of("directive").values == [3.0]  # 3 phrases in 10 minutes of rep talk
    assert p.of("supportive").values == [2.0]
    assert all(s.change is None for s in p.series) and p.sentences == []
    assert p.headline == "One call so far: after 5 more, Progress compares your latest calls with the ones before."


def test_five_calls_are_not_compared_yet_and_six_are_three_against_three() -> None:
    five = progress([call(i, 0.6) for i in range(5)])
    assert five.of("share").change is None
    assert five.headline.startswith("Five calls so far: after 1 more")
    six = progress([call(i, s) for i, s in enumerate([0.7, 0.68, 0.66, 0.5, 0.48, 0.46])])
    change = six.of("share").change
    assert change is not None and (change.recent_calls, change.previous_calls) == (3, 3)
    assert change.sentence == ("You talk 20 points less than in your previous three calls "
                               "(median 48% over your last three calls, 68% over the ones before).")


def test_the_last_ten_calls_are_set_against_the_ten_before_in_one_sentence() -> None:
    shares = [0.9] * 5 + [0.57] * 10 + [0.48] * 10  # the oldest five are not in the comparison
    p = progress([call(i, s) for i, s in enumerate(shares)])
    change = p.of("share").change
    assert change is not None and (change.recent_calls, change.previous_calls) == (10, 10)
    assert change.delta == -9 and change.verdict == "better"
    assert p.headline == ("You talk 9 points less than in your previous ten calls "
                          "(median 48% over your last ten calls, 57% over the ones before).")


def test_calls_given_in_any_order_are_counted_oldest_first() -> None:
    calls = [call(i, 0.4 + i / 100) for i in range(8)]
    p = progress(list(reversed(calls)))
    assert [c.id for c in p.calls] == [c.id for c in calls]
    assert p.of("share").values == pytest.approx([0.4 + i / 100 for i in range(8)])


def test_the_rolling_median_is_of_the_last_five_calls_that_have_the_number() -> None:
    assert rolling_median([1, None, 3, 100, 5, 6, None]) == [1, 1, 2, 3, 4, 5.5, 5.5]
    assert rolling_median([None, None]) == [None, None]
    assert rolling_median([]) == []


def test_calls_left_out_and_calls_nobody_spoke_in_are_set_aside() -> None:
    calls = [call(0, 0.5), call(1, 0.9, excluded=True), call(2, 0.45),
             replace(call(3), rep_s=0.0, prospect_s=0.0, rep_share=0.0),
             replace(call(4), rep_s=5.0, prospect_s=2.0, rep_share=5 / 7)]  # a test of the app, stopped at once
    p = progress(calls)
    assert [c.id for c in p.calls] == ["c000", "c002"]
    assert [c.id for c in p.left_out] == ["c001"] and [c.id for c in p.silent] == ["c003", "c004"]
    assert silent_sentence(p) == ("2 calls with under 30 s of talk (a test of the app, a call that dropped) not "
                                  "counted.")
    assert p.of("share").values == [0.5, 0.45]


def test_every_call_left_out_or_none_at_all_is_said_so() -> None:
    assert progress([]).headline.startswith("No calls in Progress yet")
    assert progress([call(0, excluded=True)]).headline == "Every call in this range was left out of Progress."


def test_supportive_lines_not_known_are_no_zero_and_are_left_out_of_the_comparison() -> None:
    calls = [call(i, supportive=None) for i in range(6)] + [call(6 + i, supportive=3) for i in range(6)]
    p = progress(calls)
    s = p.of("supportive")
    assert s.values[:6] == [None] * 6 and s.values[6:] == [3.0] * 6
    assert s.median5[5] is None and s.known == 6
    assert s.change is not None and s.change.previous == 3 and s.change.verdict == "same"
    assert p.unknown_supportive == 6


def test_the_directive_rate_needs_a_minute_of_the_reps_talk() -> None:
    short = call(0, 0.5, rep_s=30.0, directive=1)
    assert short.directive_per_10 is None  # one phrase in 30 s would read as 20 per 10 minutes
    assert call(0, 0.5, rep_s=300.0, directive=1).directive_per_10 == pytest.approx(2.0)


def test_patience_is_not_known_when_the_buyer_never_spoke() -> None:
    alone = replace(call(0, 1.0), prospect_s=0.0, rep_share=1.0)
    assert alone.value("patience") is None and alone.value("share") == 1.0


def test_a_small_change_is_about_the_same_and_a_big_one_has_its_direction() -> None:
    share = METRICS[0]
    same = compare(share, [0.50] * 3 + [0.51] * 3)
    assert same is not None and same.verdict == "same"
    assert same.sentence == ("You talk about as much as in your previous three calls "
                             "(median 51% over your last three calls, 50% over the ones before).")
    mono = next(m for m in METRICS if m.key == "monologue")
    longer = compare(mono, [60.0] * 10 + [130.0] * 10)
    assert longer is not None and longer.verdict == "worse"
    assert longer.sentence.startswith("Your longest monologue is 1 min 10 s longer than in your previous ten calls")
    questions = next(m for m in METRICS if m.key == "questions")
    more = compare(questions, [8.0] * 4 + [11.0] * 4)
    assert more is not None and more.verdict == "better"
    assert more.sentence == ("You ask 3 more questions a call than in your previous four calls "
                             "(median 11 over your last four calls, 8 over the ones before).")


def test_talk_share_is_better_when_it_comes_closer_to_the_best_calls_43_percent() -> None:
    share = METRICS[0]
    down_to_ideal = compare(share, [0.60] * 3 + [0.45] * 3)
    too_quiet = compare(share, [0.45] * 3 + [0.20] * 3)
    assert down_to_ideal is not None and down_to_ideal.verdict == "better"
    assert too_quiet is not None and too_quiet.verdict == "worse"


def test_five_hundred_calls_give_a_series_each_and_json_that_reads_back() -> None:
    calls = [call(i, 0.4 + (i % 7) / 30, directive=i % 5, supportive=None if i < 100 else i % 3) for i in range(500)]
    p = progress(calls)
    assert all(len(s.values) == len(s.median5) == 500 for s in p.series)
    data = json.loads(json.dumps(p.as_json()))
    assert len(data["calls"]) == 500 and data["calls"][0]["supportive"] is None
    assert {c["metric"] for c in data["changes"]} == {m.key for m in METRICS}
    assert data["headline"] == p.headline


def test_a_number_fewer_calls_have_says_how_many_more_it_needs() -> None:
    calls = [call(i, 0.6, directive=3) for i in range(4)] + [call(4 + i, 0.6, rep_s=30.0) for i in range(4)]
    p = progress(calls)  # the last four: under a minute of the rep's talk, no rate
    assert p.of("directive").known == 4 and p.of("directive").change is None
    assert ("Directive phrases per 10 min of your talk: four calls have a number so far (a call needs a minute of "
            "your talk for a rate); after 2 more, Progress compares your latest calls with the ones before."
            ) in p.sentences
    assert p.of("share").waiting is None  # every call has it: the headline speaks for it
