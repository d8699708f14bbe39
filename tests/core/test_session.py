"""Session: spans, segments and ticks in; talk state, flags and prompts out."""

from __future__ import annotations

import pytest

from copilot.core.events import Flag, Prompt, PromptTakenBack, Segment, SpeechSpan, SupportiveLine, TalkState, Word
from copilot.core.phrases import Hit, PhraseDetector
from copilot.core.rulebook import Rulebook
from copilot.core.session import Session


@pytest.fixture(scope="module")
def detector() -> PhraseDetector:
    return PhraseDetector(Rulebook.load())


def words(text: str, start: float, step: float = 0.3) -> tuple[Word, ...]:
    out = []
    for i, w in enumerate(text.split(" ")):
        out.append(Word((" " if i else "") + w, start + i * step, start + (i + 1) * step))
    return tuple(out)


def test_a_directive_rep_segment_yields_a_timed_flag_and_a_prompt(detector: PhraseDetector) -> None:
    s = Session(detector)
    text = "Okay so the next step is a call with legal"
    events = s.segment(Segment("rep", 10.0, 13.0, text, words=words(text, 10.0)))
    flags = [e for e in events if isinstance(e, Flag)]
    prompts = [e for e in events if isinstance(e, Prompt)]
    assert len(flags) == 1
    assert flags[0].category == "owning_the_path"
    assert flags[0].start == pytest.approx(10.6)  # "the" is the third word
    assert flags[0].end == pytest.approx(11.8)  # "is" is the sixth
    assert len(prompts) == 1 and prompts[0].text == "What do you want to do next?"


def test_prospect_speech_is_never_flagged(detector: PhraseDetector) -> None:
    s = Session(detector)
    events = s.segment(Segment("prospect", 0, 2, "You should sign by Friday."))
    assert not any(isinstance(e, (Flag, Prompt)) for e in events)


def test_the_final_of_a_flagged_partial_is_not_flagged_twice(detector: PhraseDetector) -> None:
    s = Session(detector)
    s.segment(Segment("rep", 5, 6.5, "You should really bring IT", final=False))
    events = s.segment(Segment("rep", 5, 8, "You should really bring IT in.", final=True))
    assert not any(isinstance(e, Flag) for e in events)
    assert len(s.flags) == 1


def test_a_phrase_heard_first_in_part_then_whole_is_flagged_once(detector: PhraseDetector) -> None:
    s = Session(detector)
    partial = "in your position have started with"  # the start of the line not yet heard
    s.segment(Segment("rep", 20.6, 22.4, partial, final=False, words=words(partial, 20.6)))
    final = "Other clients in your position have started with a pilot."
    events = s.segment(Segment("rep", 20.0, 23.0, final, words=words(final, 20.0)))
    assert not any(isinstance(e, Flag) for e in events)
    assert len(s.flags) == 1


def test_the_same_kind_of_phrase_said_again_later_is_flagged_again(detector: PhraseDetector) -> None:
    s = Session(detector)
    line = "Other clients in your position have started with a pilot."
    s.segment(Segment("rep", 20.0, 23.0, line, words=words(line, 20.0)))
    s.segment(Segment("rep", 30.0, 33.0, line, words=words(line, 30.0)))
    assert len(s.flags) == 2


def test_supportive_lines_are_kept_for_the_review(detector: PhraseDetector) -> None:
    s = Session(detector)
    events = s.segment(Segment("rep", 0, 2, "It's completely your call."))
    assert [type(e) for e in events] == [SupportiveLine]
    assert s.supportive[0].match == "completely your call"


def test_rep_questions_are_counted_from_final_segments(detector: PhraseDetector) -> None:
    s = Session(detector)
    s.segment(Segment("rep", 0, 2, "How do you do it today? Who owns it?"))
    s.segment(Segment("rep", 3, 4, "What else?", final=False))
    assert s.talk_summary().rep_questions == 2


def test_a_revision_replaces_the_finals_it_covers_and_what_was_counted_from_them(detector: PhraseDetector) -> None:
    s = Session(detector)
    s.segment(Segment("rep", 1.0, 3.0, "How about the room? It's your call."))
    s.segment(Segment("rep", 4.0, 5.0, "Right?"))
    s.segment(Segment("rep", 30.0, 31.0, "Thanks."))
    assert s.talk_summary().rep_questions == 2 and len(s.supportive) == 1
    text = "How about the roadmap, you should see it."
    events = s.segment(Segment("rep", 1.0, 5.0, text, words=words(text, 1.0, 0.5), replaces=(0.8, 5.2)))
    assert [g.text for g in s.segments] == [text, "Thanks."]
    assert s.talk_summary().rep_questions == 0 and s.supportive == []
    flags = [e for e in events if isinstance(e, Flag)]
    assert len(flags) == 1 and s.flags == flags  # found on the second hearing and kept for the review
    assert not any(isinstance(e, Prompt) for e in events)  # 25 s after it was said: too late to prompt


def test_a_revision_keeps_the_flags_of_the_words_it_replaces(detector: PhraseDetector) -> None:
    s = Session(detector)
    s.segment(Segment("rep", 1.0, 3.0, "You should really bring IT in."))
    s.segment(Segment("rep", 1.0, 3.0, "Do you really bring IT in?", replaces=(0.8, 3.2)))
    assert len(s.flags) == 1 and [g.text for g in s.segments] == ["Do you really bring IT in?"]


def test_talk_prompt_arrives_from_speech_alone(detector: PhraseDetector) -> None:
    s = Session(detector)
    s.speech(SpeechSpan("prospect", 0, 5))
    events = s.speech(SpeechSpan("rep", 6, 70))
    assert isinstance(events[0], TalkState)
    kinds = [e.kind for e in events if isinstance(e, Prompt)]
    assert kinds == ["monologue"]


def test_tick_moves_the_clock_and_keeps_the_meter_live(detector: PhraseDetector) -> None:
    s = Session(detector)
    s.speech_started("rep", 1.0)
    (state,) = [e for e in s.tick(31.0) if isinstance(e, TalkState)]
    assert state.window_rep_s == pytest.approx(30)
    assert s.now == 31.0


def test_talk_summary_has_the_contract_keys(detector: PhraseDetector) -> None:
    s = Session(detector)
    s.speech(SpeechSpan("rep", 0, 30))
    s.speech(SpeechSpan("prospect", 31, 41))
    summary = s.talk_summary()
    assert set(summary.as_json()) == {
        "rep_s",
        "prospect_s",
        "rep_share",
        "longest_rep_monologue_s",
        "longest_prospect_monologue_s",
        "patience_s",
        "interruptions",
        "rep_questions",
    }
    assert summary.rep_share == pytest.approx(0.75)


class _AwaitsAfterIs(PhraseDetector):
    """A detector that holds back any sentence so far ending in "is" for its next words."""

    def awaits_words(self, text: str) -> bool:
        return text.rstrip().endswith(" is")


def test_a_rep_partial_held_back_for_its_next_words_is_said_until_the_final() -> None:
    s = Session(_AwaitsAfterIs(Rulebook.load()))
    partial = "The next step is to"  # judged without its last word, which may still change
    s.segment(Segment("rep", 0.0, 1.5, partial, final=False, words=words(partial, 0.0)))
    assert s.awaits_words
    s.segment(Segment("prospect", 0.5, 1.0, "Right, the next step is"))  # the buyer's words change nothing
    assert s.awaits_words
    s.segment(Segment("rep", 0.0, 3.0, "The next step is to sign.", words=words("The next step is to sign.", 0.0)))
    assert not s.awaits_words


class _WholeSaysOtherwise(PhraseDetector):
    """Flags "you will need to" while the sentence grows; the whole sentence, the call's own mechanics
    ("…press star one"), it does not (as the model's second check does on real calls)."""

    def hits(self, text: str, first_only: bool = False, partial: bool = False, continued: bool = False) -> list[Hit]:
        out = super().hits(text, first_only, partial, continued)
        return [h for h in out if h.kind != "directive"] if "star one" in text else out


def test_a_flag_a_partial_raised_and_the_whole_sentence_does_not_bear_out_is_taken_back() -> None:
    s = Session(_WholeSaysOtherwise(Rulebook.load()))
    partial = "To ask a question, you will need to press"  # judged without "press"
    raised = s.segment(Segment("rep", 1.0, 3.0, partial, final=False, words=words(partial, 1.0)))
    assert [e.match for e in raised if isinstance(e, Flag)] == ["you will need to"]
    final = "To ask a question, you will need to press star one."
    events = s.segment(Segment("rep", 1.0, 4.0, final, words=words(final, 1.0)))
    assert not any(isinstance(e, Flag) for e in events)
    assert s.flags == [] and [f.match for f in s.withdrawn] == ["you will need to"]
    # Its prompt was up: it goes with it, off the screen and out of the call's prompts.
    assert [(e.shown_at, e.category) for e in events if isinstance(e, PromptTakenBack)] == [(3.0, "imperatives")]
    assert s.prompts == [] and [p.time for p in s.taken_down] == [3.0]
    # A flag the final bears out stays, once.
    s.segment(Segment("rep", 10.0, 11.5, "You should really", final=False, words=words("You should really", 10.0)))
    s.segment(Segment("rep", 10.0, 12.0, "You should really call.", words=words("You should really call.", 10.0)))
    assert [f.match for f in s.flags] == ["You should"] and len(s.withdrawn) == 1


def test_a_final_judges_only_the_partials_flags_inside_it_and_a_revision_none() -> None:
    s = Session(_WholeSaysOtherwise(Rulebook.load()))
    later = "You should really call them"  # a partial of the next utterance, after the final below
    s.segment(Segment("rep", 20.0, 21.5, later, final=False, words=words(later, 20.0)))
    s.segment(Segment("rep", 1.0, 4.0, "Press star one.", words=words("Press star one.", 1.0)))
    assert len(s.flags) == 1 and not s.withdrawn
    # A second hearing of words already judged takes nothing back: its flags were raised, maybe shown.
    s.segment(Segment("rep", 20.0, 22.0, "You should really call.", words=words("You should really call.", 20.0)))
    revision = Segment("rep", 20.0, 22.0, "You will press star one.", replaces=(20.0, 22.0),
                       words=words("You will press star one.", 20.0))
    s.segment(revision)
    assert len(s.flags) == 1 and not s.withdrawn


def test_an_invitation_to_talk_shows_no_prompt_while_it_is_being_said(detector: PhraseDetector) -> None:
    s = Session(detector)
    shown: list[Flag] = []
    said = "So I'd like you to walk me through how renewals work today."
    cut = said.split(" ")
    for n in range(4, len(cut)):  # partials, each judged without its last word
        partial = " ".join(cut[:n])
        shown += [e for e in s.segment(Segment("rep", 1.0, 1.0 + 0.3 * n, partial, final=False,
                                                words=words(partial, 1.0))) if isinstance(e, Flag)]
    shown += [e for e in s.segment(Segment("rep", 1.0, 5.0, said, words=words(said, 1.0))) if isinstance(e, Flag)]
    assert shown == [] and s.flags == [] and not s.prompts
    # Once the next words make it a push, it flags while still being said.
    pushed = "So I'd like you to sign"
    events = s.segment(Segment("rep", 8.0, 9.5, pushed + " the", final=False, words=words(pushed + " the", 8.0)))
    assert [e.match for e in events if isinstance(e, Flag)] == ["I'd like you to"]


def _rep(s: Session, start: float, text: str, final: bool = True) -> list[Flag]:
    seg = Segment("rep", start, start + 0.3 * len(text.split(" ")), text, final=final, words=words(text, start))
    return [e for e in s.segment(seg) if isinstance(e, Flag)]


def test_advice_the_buyer_asked_for_is_not_flagged_nor_prompted(detector: PhraseDetector) -> None:
    s = Session(detector)
    s.segment(Segment("prospect", 0.0, 2.5, "Okay. Which plan would you go with?"))
    s.segment(Segment("prospect", 3.0, 3.4, "Mm-hmm."))  # a backchannel does not end the answer
    assert _rep(s, 3.2, "Honestly you should take the annual plan.") == []
    assert s.flags == [] and not s.prompts
    assert [f.match for f in s.answered] == ["you should"]
    # Closing pressure presses whether it was asked for or not.
    pressed = _rep(s, 6.0, "But you need to lock in the price before Friday.")
    assert [f.category for f in pressed] == ["closing_pressure"]


def test_the_answer_ends_when_the_buyer_says_more_or_time_passes(detector: PhraseDetector) -> None:
    s = Session(detector)
    s.segment(Segment("prospect", 0.0, 2.0, "What would you recommend?"))
    s.segment(Segment("prospect", 5.0, 7.0, "That feels like a lot of change at once."))
    assert [f.match for f in _rep(s, 8.0, "You should roll it out everywhere.")] == ["You should"]
    late = Session(detector)
    late.segment(Segment("prospect", 0.0, 2.0, "What would you recommend?"))
    assert [f.match for f in _rep(late, 30.0, "You should roll it out everywhere.")] == ["You should"]
    # A question that asks nothing of the kind is no request for advice.
    other = Session(detector)
    other.segment(Segment("prospect", 0.0, 2.0, "What does it cost for one office?"))
    assert [f.match for f in _rep(other, 3.0, "You should roll it out everywhere.")] == ["You should"]


def test_a_buyer_question_heard_late_takes_back_the_flag_on_its_answer(detector: PhraseDetector) -> None:
    s = Session(detector)
    # The buyer's finals are decoded a few at a time: the rep's answer is flagged before the question is heard.
    flagged = _rep(s, 7.0, "So the next step is a call with your IT lead.")
    [shown] = s.prompts
    assert [f.category for f in flagged] == ["owning_the_path"]
    events = s.segment(Segment("prospect", 0.0, 2.5, "What are the next steps from here?"))
    assert s.flags == [] and s.withdrawn == flagged and s.answered == flagged
    # The prompt shown for it leaves the screen.
    assert [e.shown_at for e in events if isinstance(e, PromptTakenBack)] == [shown.time]
    assert s.coach.on_screen(s.now) is None and s.prompts == [] and s.taken_down == [shown]
    # Then the buyer's words after it arrive: they said more before the rep spoke, so it was no answer.
    s.segment(Segment("prospect", 3.0, 3.3, "Mm-hmm."))
    assert s.flags == []
    s.segment(Segment("prospect", 5.0, 6.5, "Actually, we already have a vendor for that."))
    assert s.flags == flagged and s.restored == flagged and s.withdrawn == [] and s.answered == []


def test_a_rulebook_without_the_advice_list_flags_every_answer() -> None:
    book = Rulebook.load()
    guards = {k: v for k, v in book.guard_patterns.items() if k != "asks_for_advice"}
    s = Session(PhraseDetector(Rulebook(book.source, book.version, book.categories, guards)))
    s.segment(Segment("prospect", 0.0, 2.0, "What would you recommend?"))
    assert [f.match for f in _rep(s, 3.0, "You should roll it out everywhere.")] == ["You should"]


def test_a_first_hearing_of_the_buyers_question_spares_the_answer_until_the_final_says_otherwise(
        detector: PhraseDetector) -> None:
    s = Session(detector)
    # When the rep takes the turn, the buyer's last words are heard at once (a partial); the packed final comes later.
    s.segment(Segment("prospect", 0.0, 2.5, "Which plan would you pick?", final=False))
    assert _rep(s, 3.0, "You should start with the team plan.") == [] and not s.prompts
    s.segment(Segment("prospect", 0.0, 2.5, "Which plan would you pick?"))
    assert s.flags == [] and len(s.answered) == 1
    # A first hearing the final contradicts: the answer becomes a flag.
    t = Session(detector)
    t.segment(Segment("prospect", 0.0, 2.5, "Which plan would you pick?", final=False))
    assert _rep(t, 3.0, "You should start with the team plan.") == []
    t.segment(Segment("prospect", 0.0, 2.5, "Which plan do you sell the most?"))
    assert [f.match for f in t.flags] == ["You should"] and t.restored == t.flags


def test_an_answer_only_a_guess_heard_is_forgotten_and_never_comes_back_as_a_flag(detector: PhraseDetector) -> None:
    s = Session(detector)
    s.segment(Segment("prospect", 0.0, 2.5, "Which plan would you pick?", final=False))
    assert _rep(s, 3.0, "You should start with the team plan and", final=False) == [] and len(s.answered) == 1
    _rep(s, 3.0, "Some teams start with the team plan.")  # the whole sentence did not say it
    assert s.answered == []
    s.segment(Segment("prospect", 0.0, 2.5, "Which plan do you sell the most?"))
    assert s.flags == [] and s.restored == []


def test_an_answer_that_was_the_buyers_own_voice_on_the_rep_microphone_is_no_answer(detector: PhraseDetector) -> None:
    s = Session(detector)
    s.segment(Segment("prospect", 0.0, 2.0, "What would you recommend?"))
    echo = "My partner says you should call him first."
    assert _rep(s, 3.0, echo) == [] and len(s.answered) == 1
    s.segment(Segment("prospect", 3.0, 5.4, echo, words=words(echo, 3.0)))  # heard on the call a moment earlier
    assert s.bleed and s.answered == [] and s.flags == [] and s.restored == []


def test_a_flag_on_the_buyers_own_voice_heard_late_takes_its_prompt_off_the_screen(detector: PhraseDetector) -> None:
    s = Session(detector)
    echo = "My partner says you should call him first."
    flagged = _rep(s, 3.0, echo)  # the rep's microphone picked up the speakers before the buyer's final came
    assert len(flagged) == 1
    [shown] = s.prompts
    events = s.segment(Segment("prospect", 3.0, 5.4, echo, words=words(echo, 3.0)))
    assert s.bleed and s.flags == []
    assert [e.shown_at for e in events if isinstance(e, PromptTakenBack)] == [shown.time]


def test_a_prompt_for_an_answer_comes_down_though_an_older_flag_of_the_sentence_stands(
        detector: PhraseDetector) -> None:
    s = Session(detector)
    said = "Lock in the price, you should go with annual."
    flagged = _rep(s, 3.0, said)
    assert sorted(f.category for f in flagged) == ["closing_pressure", "imperatives"]
    [shown] = s.prompts
    assert "you should" in shown.reason
    events = s.segment(Segment("prospect", 0.0, 2.5, "Which plan would you go with?"))  # decoded late
    assert [f.category for f in s.flags] == ["closing_pressure"]  # pressure is never spared
    # The flag that stands was raised with it, not by this segment: the prompt said "you should", which is advice
    # the buyer asked for, so it comes down.
    assert [e.shown_at for e in events if isinstance(e, PromptTakenBack)] == [shown.time]


class _SaysItAgainInOtherWords(PhraseDetector):
    """Flags a partial's "What I recommend is" and, in the whole sentence, "What I'd recommend" in another category
    (as the bench's payroll call did live when the final heard the words a little differently)."""

    def hits(self, text: str, first_only: bool = False, partial: bool = False, continued: bool = False) -> list[Hit]:
        for match, category in (("What I recommend is", "telling_what_makes_sense"),
                                ("What I'd recommend", "owning_the_path")):
            at = text.find(match)
            if at >= 0:
                return [Hit(category, "directive", match, at, at + len(match), ("What do you want to do next?",),
                            layer="model")]
        return []


def test_a_prompt_stays_up_when_the_whole_sentence_flags_it_again_in_other_words() -> None:
    s = Session(_SaysItAgainInOtherWords(Rulebook.load()))
    partial = "What I recommend is rolling"
    raised = s.segment(Segment("rep", 1.0, 2.5, partial, final=False, words=words(partial, 1.0)))
    assert len([e for e in raised if isinstance(e, Prompt)]) == 1
    final = "What I'd recommend is rolling it out to all three offices at the same time."
    events = s.segment(Segment("rep", 1.0, 5.0, final, words=words(final, 1.0)))
    assert [f.match for f in s.withdrawn] == ["What I recommend is"]
    assert [f.match for f in s.flags] == ["What I'd recommend"]
    assert not any(isinstance(e, PromptTakenBack) for e in events) and s.coach.on_screen(s.now) is not None
