"""What each prompt did, on synthetic calls whose truth is known by construction."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from copilot.core.coach import CoachPolicy
from copilot.core.events import Flag, Prompt, PromptKind, Speaker, SpeechSpan, SupportiveLine
from copilot.core.prompt_effect import TalkClock, call_effects, matched_moments, rep_monologues
from copilot.core.settings import CoachSettings
from copilot.core.talk import TalkTracker

Turn = tuple[Speaker, float]


def spans_of(turns: Sequence[Turn], start: float = 0.0, gap: float = 0.6) -> list[SpeechSpan]:
    """Turns of talk as a VAD hears them: 4 s stretches with 0.3 s breaths inside a turn, ``gap`` between turns."""
    out: list[SpeechSpan] = []
    t = start
    for who, seconds in turns:
        end = t + seconds
        while t < end - 1e-9:
            piece = min(4.0, end - t)
            out.append(SpeechSpan(who, t, t + piece))
            t += piece + (0.3 if t + piece < end - 1e-9 else 0.0)
        t += gap
    return out


def grid_buyer_share(spans: Sequence[SpeechSpan], a: float, b: float, step: float = 0.01) -> float:
    """The buyer's share of the talk from a to b, counted on a fine grid (a second way to count it)."""
    rep = buyer = 0.0
    n = int(round((b - a) / step))
    for i in range(n):
        t = a + (i + 0.5) * step
        rep += step * any(s.speaker == "rep" and s.start <= t < s.end for s in spans)
        buyer += step * any(s.speaker == "prospect" and s.start <= t < s.end for s in spans)
    return buyer / (rep + buyer)


def prompt(t: float, kind: PromptKind = "monologue", category: str = "monologue") -> Prompt:
    return Prompt(t, kind, "What do you want to do next?", category, "you have held the floor for 60 s", t + 8)


FLAGS_ONLY = CoachSettings(dominance_share=1.0, monologue_s=10_000.0)  # no talk trigger can hold


def flag(end: float, category: str = "next_step", match: str = "the next step is") -> Flag:
    return Flag("rep", end - 1.0, end, category, match, f"So {match} a pilot.", "This may not be a fit.")


def test_buyer_share_before_and_after_a_prompt_matches_the_talk() -> None:
    spans = spans_of([("rep", 100), ("prospect", 70), ("rep", 40), ("prospect", 20), ("rep", 60)])
    end = spans[-1].end
    at = 100.3  # the rep has just stopped; the buyer answers for 70 s
    effects = call_effects(spans, [prompt(at)], [], [], end)
    (m,) = effects.prompts
    assert m.buyer_before == pytest.approx(grid_buyer_share(spans, 0, at), abs=0.005)
    assert m.buyer_after == pytest.approx(grid_buyer_share(spans, at, at + 120), abs=0.005)
    assert m.buyer_before == 0.0 and m.change is not None and m.change > 50


def test_a_prompt_too_close_to_the_end_of_the_call_is_not_measured() -> None:
    spans = spans_of([("rep", 100), ("prospect", 10)])
    effects = call_effects(spans, [prompt(95.0)], [], [], spans[-1].end)
    (m,) = effects.prompts
    assert m.buyer_after is None and m.change is None
    assert effects.mean_change() is None and "ended too soon" in effects.sentence()


def test_a_silent_window_has_no_share() -> None:
    spans = spans_of([("rep", 10)]) + spans_of([("prospect", 60)], start=200)
    effects = call_effects(spans, [prompt(140.0)], [], [], 260.6)
    assert effects.prompts[0].buyer_before is None  # nobody spoke in the two minutes before it
    assert effects.prompts[0].buyer_after == 1.0


def test_a_hand_back_line_counts_within_thirty_seconds_only() -> None:
    spans = spans_of([("rep", 200)])
    line = [SupportiveLine("rep", 120.0, 122.0, "your call", "It's your call.")]
    effects = call_effects(spans, [prompt(80.0), prompt(100.0, "phrase", "next_step")], [], line, 200.6)
    assert [m.hand_back for m in effects.prompts] == [False, True]


def test_a_hand_back_line_finished_after_the_prompt_counts_though_it_began_before() -> None:
    spans = spans_of([("rep", 200)])
    line = [SupportiveLine("rep", 90.0, 104.0, "your call", "So that's the plan, but it's your call.")]
    effects = call_effects(spans, [prompt(100.0), prompt(110.0)], [], line, 200.6)
    assert [m.hand_back for m in effects.prompts] == [True, False]


def test_the_rep_going_on_and_their_next_monologue_are_measured() -> None:
    spans = spans_of([("rep", 90), ("prospect", 20), ("rep", 35), ("prospect", 30)])
    effects = call_effects(spans, [prompt(70.0)], [], [], spans[-1].end)
    (m,) = effects.prompts
    assert m.held_on_s == pytest.approx(20.0, abs=0.01)
    assert m.next_monologue_s == pytest.approx(35.0, abs=0.01)


def test_an_analysed_recording_shows_no_prompts_to_measure() -> None:
    spans = spans_of([("rep", 100), ("prospect", 60)])
    effects = call_effects(spans, [prompt(70.0)], [flag(50.0)], [], spans[-1].end, live=False)
    assert effects.prompts == () and effects.matched == ()
    assert "analysed from a recording" in effects.sentence()


def test_a_flag_without_its_prompt_is_a_matched_moment_and_one_with_it_is_not() -> None:
    spans = spans_of([("rep", 50), ("prospect", 30), ("rep", 50), ("prospect", 40), ("rep", 50), ("prospect", 40)])
    shown = [prompt(40.5, "phrase")]
    flags = [flag(40.0), flag(110.0), flag(112.0), flag(200.0, "imperatives", "you should"),
             flag(55.0)]  # 55: 15 s after a prompt, its aftermath
    moments = matched_moments(TalkClock(spans, spans[-1].end), shown, flags, [], FLAGS_ONLY)
    assert [(t, kind) for t, kind, _, _ in moments] == [(110.0, "phrase"), (200.0, "phrase")]
    assert "the next step is" in moments[0][3]


def test_a_flag_the_rep_marked_as_missed_was_never_a_trigger() -> None:
    spans = spans_of([("rep", 50), ("prospect", 60)])
    added = Flag("rep", 30, 31, "next_step", "x", "x", "", added=True)
    assert matched_moments(TalkClock(spans, 111), [], [added], [], FLAGS_ONLY) == []


def test_a_long_monologue_with_no_prompt_is_a_matched_moment_at_the_sixtieth_second() -> None:
    spans = spans_of([("prospect", 20), ("rep", 90), ("prospect", 60)])
    clock = TalkClock(spans, spans[-1].end)
    settings = CoachSettings(dominance_share=1.0)  # monologues only
    monos = rep_monologues(spans, clock.end, settings)
    (t, kind, _, _), = matched_moments(clock, [], [], monos, settings)
    assert kind == "monologue" and t == pytest.approx(20.6 + 60.0, abs=0.01)
    assert matched_moments(clock, [prompt(81.0)], [], monos, settings) == []


def coached(spans: Sequence[SpeechSpan], settings: CoachSettings, tick: float = 0.05) -> list[Prompt]:
    """The live coach's talk prompts on these spans (no phrases), ticked as the live pipeline does."""
    tracker, coach = TalkTracker(settings), CoachPolicy(settings=settings)
    out: list[Prompt] = []
    ordered = sorted(spans, key=lambda s: s.end)
    end = ordered[-1].end
    t, k = 0.0, 0
    while t <= end:
        while k < len(ordered) and ordered[k].end <= t:
            tracker.add(ordered[k])
            k += 1
        for s in ordered[k:]:
            if s.start <= t:
                tracker.begin(s.speaker, s.start)
        p = coach.consider(t, [], tracker.state(t))
        if p is not None:
            out.append(p)
        t += tick
    return out


def test_the_replayed_dominance_trigger_agrees_with_the_live_coach() -> None:
    """Where the coach prompted on dominance, the replay finds the same stretch (so no matched moment); with
    those prompts taken away, it finds a matched moment within a few seconds of each."""
    settings = CoachSettings(monologue_s=10_000.0)  # dominance only
    turns: list[Turn] = [("rep", 30), ("prospect", 8), ("rep", 40), ("prospect", 5), ("rep", 30), ("prospect", 90),
                         ("rep", 45), ("prospect", 4), ("rep", 50), ("prospect", 80)]
    spans = spans_of(turns)
    shown = [p for p in coached(spans, settings) if p.kind == "dominance"]
    assert len(shown) == 2
    clock = TalkClock(spans, spans[-1].end)
    assert matched_moments(clock, shown, [], [], settings) == []
    replayed = matched_moments(clock, [], [], [], settings)
    assert len(replayed) == 2
    for (t, kind, _, _), p in zip(replayed, shown, strict=True):
        assert kind == "dominance" and abs(t - p.time) <= 2.5


def test_a_burst_of_unprompted_flags_counts_once() -> None:
    spans = spans_of([("rep", 60), ("prospect", 60)])
    flags = [flag(20.0), flag(24.0, "imperatives", "you should"), flag(30.0)]
    moments = matched_moments(TalkClock(spans, 121), [], flags, [], FLAGS_ONLY)
    assert [t for t, _, _, _ in moments] == [20.0]


def test_the_sentence_gives_the_change_and_the_matched_moments() -> None:
    spans = spans_of([("rep", 100), ("prospect", 70), ("rep", 100), ("prospect", 20), ("rep", 40)])
    effects = call_effects(spans, [prompt(100.3)], [flag(180.0)], [], spans[-1].end, settings=FLAGS_ONLY)
    said = effects.sentence()
    assert said.startswith("After the prompt, the buyer's share of the talk went up ")
    assert "At the moment with the same trigger but no prompt shown, it went down" in said
    data = effects.as_json()
    assert data["prompts"][0]["shown"] is True and data["matched"][0]["shown"] is False  # type: ignore[index]
