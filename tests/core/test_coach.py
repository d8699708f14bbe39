"""CoachPolicy: rare, single prompts with gaps, cooldowns, and no stale nudges."""

from __future__ import annotations

from copilot.core.coach import CoachPolicy
from copilot.core.events import Flag, Monologue, TalkState
from copilot.core.settings import CoachSettings

LINES = {"imperatives": ["You're free to walk away.", "What do you want to do next?"], "owning": ["Next?"]}


def flag(at: float, category: str = "imperatives", match: str = "you should") -> Flag:
    return Flag("rep", at - 0.5, at, category, match, f"{match} sign", LINES[category][0])


def talk(now: float, share: float = 0.5, mono: Monologue | None = None, conversation: float = 300) -> TalkState:
    return TalkState(
        time=now,
        rep_s=0,
        prospect_s=0,
        rep_share=share,
        window_s=120,
        window_rep_s=share * 120,
        window_prospect_s=(1 - share) * 120,
        window_rep_share=share,
        current_monologue=mono,
        conversation_s=conversation,
    )


def test_a_fresh_flag_gets_a_prompt_with_the_reason() -> None:
    coach = CoachPolicy(LINES)
    p = coach.consider(10.4, [flag(10)])
    assert p is not None
    assert p.kind == "phrase"
    assert p.text == "You're free to walk away."
    assert p.reason == "you said: 'you should'"


def test_only_one_prompt_is_on_screen_at_a_time() -> None:
    coach = CoachPolicy(LINES, CoachSettings(min_gap_s=0, category_cooldown_s=0, prompt_show_s=8))
    first = coach.consider(10, [flag(10)])
    assert first is not None
    assert coach.on_screen(12) == first
    assert coach.consider(12, [flag(12, "owning", "the next step is")]) is None
    assert coach.on_screen(18.5) is None
    assert coach.consider(18.5, [flag(18, "owning", "the next step is")]) is not None


def test_minimum_gap_between_prompts() -> None:
    coach = CoachPolicy(LINES, CoachSettings(min_gap_s=20, category_cooldown_s=0))
    assert coach.consider(10, [flag(10)]) is not None
    assert coach.consider(25, [flag(25, "owning", "next")]) is None
    assert coach.consider(30.5, [flag(30.5, "owning", "next")]) is not None


def test_per_category_cooldown() -> None:
    coach = CoachPolicy(LINES, CoachSettings(min_gap_s=20, category_cooldown_s=60))
    assert coach.consider(10, [flag(10)]) is not None
    assert coach.consider(40, [flag(40)]) is None  # same category within 60 s
    assert coach.consider(41, [flag(41, "owning", "next")]) is not None  # another category may
    assert coach.consider(75, [flag(75)]) is not None


def test_lines_rotate_within_a_category() -> None:
    coach = CoachPolicy(LINES, CoachSettings(min_gap_s=0, category_cooldown_s=0, prompt_show_s=1))
    texts = [coach.consider(t, [flag(t)]).text for t in (10, 20, 30)]  # type: ignore[union-attr]
    assert texts == ["You're free to walk away.", "What do you want to do next?", "You're free to walk away."]


def test_stale_flags_never_prompt() -> None:
    coach = CoachPolicy(LINES, CoachSettings(flag_fresh_s=6))
    assert coach.consider(30, [flag(20)]) is None


def test_monologue_prompt_after_sixty_seconds_once_per_monologue() -> None:
    coach = CoachPolicy(LINES, CoachSettings(min_gap_s=0, category_cooldown_s=0))
    assert coach.consider(59, talk=talk(59, mono=Monologue("rep", 0, 59))) is None
    p = coach.consider(60, talk=talk(60, mono=Monologue("rep", 0, 60)))
    assert p is not None and p.kind == "monologue"
    assert coach.consider(100, talk=talk(100, mono=Monologue("rep", 0, 100))) is None
    assert coach.consider(200, talk=talk(200, mono=Monologue("rep", 120, 200))) is not None


def test_prospect_monologue_is_not_the_reps_problem() -> None:
    coach = CoachPolicy(LINES)
    assert coach.consider(90, talk=talk(90, mono=Monologue("prospect", 0, 90))) is None


def test_dominance_prompt_needs_a_minute_of_conversation() -> None:
    coach = CoachPolicy(LINES)
    assert coach.consider(50, talk=talk(50, share=0.9, conversation=50)) is None
    p = coach.consider(61, talk=talk(61, share=0.9, conversation=61))
    assert p is not None and p.kind == "dominance"
    assert "90%" in p.reason


def test_dominance_needs_more_than_sixty_five_percent() -> None:
    coach = CoachPolicy(LINES)
    assert coach.consider(100, talk=talk(100, share=0.65)) is None
    assert coach.consider(101, talk=talk(101, share=0.66)) is not None


def test_dominance_rearms_only_after_the_share_drops() -> None:
    coach = CoachPolicy(LINES, CoachSettings(min_gap_s=0, category_cooldown_s=0))
    assert coach.consider(100, talk=talk(100, share=0.8)) is not None
    assert coach.consider(200, talk=talk(200, share=0.8)) is None  # same stretch of dominance
    assert coach.consider(210, talk=talk(210, share=0.5)) is None  # re-armed, nothing to say
    assert coach.consider(260, talk=talk(260, share=0.7)) is not None


def test_a_phrase_outranks_talk_prompts() -> None:
    coach = CoachPolicy(LINES)
    p = coach.consider(100, [flag(100)], talk(100, share=0.9, mono=Monologue("rep", 0, 100)))
    assert p is not None and p.kind == "phrase"


def test_the_reason_on_the_overlay_never_shows_a_number_or_an_address_the_rep_read_out() -> None:
    # The model layer's match is the whole sentence; the overlay may be on a shared screen.
    coach = CoachPolicy(LINES)
    p = coach.consider(10.4, [flag(10, match="you should call me on 415 555 0134 or mail sam@example.com")])
    assert p is not None
    assert p.reason == "you said: 'you should call me on [phone number] or mail [e-mail]'"


def test_a_prompt_whose_flag_is_taken_back_leaves_the_screen_and_frees_its_category() -> None:
    coach = CoachPolicy(LINES, CoachSettings(min_gap_s=20, category_cooldown_s=60, prompt_show_s=8))
    wrong = flag(10)
    shown = coach.consider(10, [wrong])
    assert shown is not None
    assert coach.take_back([flag(10)], 11) is None  # the same words, another flag: not the one shown
    taken = coach.take_back([wrong], 12)
    assert taken is not None and (taken.time, taken.shown_at, taken.category) == (12, 10, "imperatives")
    assert coach.on_screen(12.5) is None
    assert coach.take_back([wrong], 13) is None  # once
    assert coach.consider(25, [flag(25)]) is None  # the gap still counts from when the rep saw it
    assert coach.consider(31, [flag(31)]) is not None  # the wrong flag's category is not cooling down


def test_a_faded_prompt_or_a_talk_prompt_is_not_taken_back() -> None:
    coach = CoachPolicy(LINES, CoachSettings(min_gap_s=0, category_cooldown_s=60, prompt_show_s=8))
    old = flag(10)
    assert coach.consider(10, [old]) is not None
    assert coach.take_back([old], 19) is None  # it had left the screen: its cooldown stands
    assert coach.consider(30, [flag(30)]) is None
    mono = Monologue("rep", 0.0, 100.0)
    assert coach.consider(100, [], talk(100, mono=mono)) is not None
    assert coach.take_back([old], 101) is None


def test_a_prompt_stays_when_the_whole_sentence_flags_the_same_words_in_other_words() -> None:
    coach = CoachPolicy(LINES, CoachSettings(min_gap_s=20, category_cooldown_s=60, prompt_show_s=8))
    partial = Flag("rep", 10.0, 11.2, "imperatives", "What I recommend is", "What I recommend is", "")
    assert coach.consider(11.5, [partial]) is not None
    final = Flag("rep", 10.1, 12.5, "imperatives", "What I'd recommend", "What I'd recommend is the pilot.", "")
    elsewhere = Flag("rep", 30.0, 31.0, "imperatives", "you should", "you should", "")
    assert coach.take_back([partial], 13.0, [elsewhere, final]) is None
    assert coach.on_screen(13.5) is not None
    taken = coach.take_back([final], 14.0, [elsewhere])  # the prompt now stands for the final's flag
    assert taken is not None and taken.shown_at == 11.5
