"""TalkTracker: talk share, the sliding window, monologues, patience, interruptions."""

from __future__ import annotations

import pytest

from copilot.core.events import SpeechSpan
from copilot.core.settings import CoachSettings
from copilot.core.talk import TalkTracker


def feed(tracker: TalkTracker, *spans: tuple[str, float, float]) -> None:
    for speaker, start, end in spans:
        tracker.add(SpeechSpan(speaker, start, end))  # type: ignore[arg-type]


def test_whole_call_share_counts_talk_seconds_of_both_sides() -> None:
    t = TalkTracker()
    feed(t, ("rep", 0, 30), ("prospect", 31, 41))
    st = t.state(41)
    assert st.rep_s == pytest.approx(30)
    assert st.prospect_s == pytest.approx(10)
    assert st.rep_share == pytest.approx(0.75)


def test_share_is_zero_before_anyone_talks() -> None:
    st = TalkTracker().state(10)
    assert st.rep_share == 0.0
    assert st.window_rep_share == 0.0
    assert st.current_monologue is None


def test_sliding_window_share_forgets_talk_older_than_the_window() -> None:
    t = TalkTracker(CoachSettings(window_s=120))
    feed(t, ("rep", 0, 100), ("prospect", 100, 200))
    st = t.state(200)
    # window is [80, 200]: 20 s of rep, 100 s of prospect
    assert st.window_rep_s == pytest.approx(20)
    assert st.window_prospect_s == pytest.approx(100)
    assert st.window_rep_share == pytest.approx(20 / 120)
    assert st.rep_share == pytest.approx(0.5)  # the whole call still remembers


def test_window_counts_open_speech_up_to_now() -> None:
    t = TalkTracker()
    feed(t, ("prospect", 0, 10))
    t.begin("rep", 10)
    st = t.state(40)
    assert st.window_rep_s == pytest.approx(30)
    assert st.speaking == ("rep",)
    assert st.rep_share == pytest.approx(0.75)


def test_monologue_ends_when_prospect_talks_for_a_second() -> None:
    t = TalkTracker()
    feed(t, ("rep", 0, 20), ("rep", 22, 40), ("prospect", 41, 42.2), ("rep", 43, 50))
    done = t.monologues()
    assert [(m.speaker, m.start, m.end) for m in done][:1] == [("rep", 0, 40)]
    assert t.current_monologue("rep", 50) is not None
    assert t.current_monologue("rep", 50).start == 43  # type: ignore[union-attr]


def test_monologue_survives_a_half_second_backchannel() -> None:
    t = TalkTracker()
    feed(t, ("rep", 0, 30), ("prospect", 30.5, 31.0), ("rep", 31.2, 70))
    mono = t.current_monologue("rep", 70)
    assert mono is not None
    assert mono.start == 0
    assert mono.duration == pytest.approx(70)
    assert t.state(70).longest_monologue["rep"] == pytest.approx(70)


def test_own_pauses_stay_inside_the_monologue() -> None:
    t = TalkTracker()
    feed(t, ("rep", 0, 10), ("rep", 15, 25), ("rep", 30, 40))
    assert t.current_monologue("rep", 40).duration == pytest.approx(40)  # type: ignore[union-attr]


def test_backchannel_pieces_bridged_into_a_turn_end_the_monologue() -> None:
    # "Yes, absolutely, I agree" split by VAD into short pieces with tiny pauses
    t = TalkTracker()
    feed(t, ("rep", 0, 30), ("prospect", 30.5, 31.0), ("prospect", 31.2, 31.8), ("rep", 32, 40))
    assert t.monologues()[0].end == 30
    assert t.current_monologue("rep", 40).start == 32  # type: ignore[union-attr]


def test_prospect_talking_live_for_over_a_second_ends_the_rep_monologue_on_screen() -> None:
    t = TalkTracker()
    feed(t, ("rep", 0, 50))
    t.begin("prospect", 50.5)
    assert t.current_monologue("rep", 51.0) is not None
    assert t.current_monologue("rep", 52.0) is None


@pytest.mark.parametrize("live", [False, True])
def test_a_backchannel_inside_the_others_long_span_does_not_stretch_a_monologue_over_it(live: bool) -> None:
    # The pitch call: the buyer's "Sure, go ahead." (12.9-14.7 s), then the rep talks in one span to 45.7 s, and
    # the buyer's "Mm-hmm" at 37.7 s ends before the rep's span does, so it comes first. The buyer's story is
    # the 1.8 s before the rep took the floor, not 25 s across the rep's pitch.
    t = TalkTracker()
    feed(t, ("prospect", 12.88, 14.72))
    if live:
        t.begin("rep", 14.61)
    feed(t, ("prospect", 37.73, 38.75), ("rep", 14.61, 45.68), ("rep", 46.26, 50.32))
    st = t.finish(50.32)
    assert st.longest_monologue["prospect"] == pytest.approx(1.84)
    assert [(m.speaker, m.start, m.end) for m in t.monologues()] == [("prospect", 12.88, 14.72), ("rep", 14.61, 50.32)]
    assert st.prospect_s == pytest.approx(1.84 + 1.02)  # the backchannel's talk still counts


def test_longest_monologue_per_speaker() -> None:
    t = TalkTracker()
    feed(t, ("rep", 0, 45), ("prospect", 46, 80), ("rep", 81, 90))
    st = t.finish(90)
    assert st.longest_monologue["rep"] == pytest.approx(45)
    assert st.longest_monologue["prospect"] == pytest.approx(34)


def test_patience_is_the_mean_silence_before_the_rep_replies() -> None:
    t = TalkTracker()
    feed(t, ("prospect", 0, 5), ("rep", 6, 10), ("prospect", 11, 20), ("rep", 23, 30))
    assert t.state(30).patience_s == pytest.approx((1 + 3) / 2)


def test_patience_ignores_replies_over_a_backchannel_and_dead_air() -> None:
    t = TalkTracker()
    feed(t, ("rep", 0, 10), ("prospect", 10.5, 10.8), ("rep", 11, 20))  # "mm" is not a turn
    feed(t, ("prospect", 21, 30), ("rep", 60, 65))  # 30 s of silence is not patience
    assert t.state(65).patience_s == 0.0


def test_interruption_needs_the_rep_to_start_inside_prospect_talk_for_point_three_seconds() -> None:
    t = TalkTracker()
    feed(t, ("rep", 4.0, 6.0), ("prospect", 0, 5))  # rep started at 4 while prospect talked to 5
    feed(t, ("rep", 9.9, 12), ("prospect", 6, 10))  # only 0.1 s of overlap: not an interruption
    feed(t, ("prospect", 13, 20), ("rep", 21, 22))  # the rep waited
    assert t.state(22).interruptions == 1


def test_interruption_is_seen_while_the_prospect_is_still_talking() -> None:
    t = TalkTracker()
    t.begin("prospect", 0)
    feed(t, ("rep", 2, 3))
    feed(t, ("prospect", 0, 4))
    assert t.state(4).interruptions == 1
