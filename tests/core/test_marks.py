"""The rep's own word on a call ("that wasn't pushy", "that was"): what it changes in the call and in the detector."""

from __future__ import annotations

from dataclasses import replace

from copilot.core.events import Flag, Segment
from copilot.core.marks import Mark, marked_flags, missed_mark, parts_of, taught, wrong_mark
from copilot.core.phrases import PhraseDetector
from copilot.core.rulebook import Rulebook
from copilot.core.taught import normalised

LINE = Segment("rep", 10.0, 13.0, "Okay. The next step is a pilot.")
FLAG = Flag("rep", 11.0, 12.0, "owning_the_path", "The next step is", LINE.text, "What do you want to do next?")


def not_pushy(flag: Flag = FLAG, line: Segment = LINE) -> Mark:
    return wrong_mark(flag, "call-1", line.text)


def test_the_sentence_a_rep_marks_not_pushy_is_the_one_around_the_flagged_phrase() -> None:
    mark = not_pushy()
    assert mark.sentence == "The next step is a pilot." and mark.kind == "not_example"
    assert normalised("Okay, the  NEXT step — is a pilot!") == "okay the next step is a pilot"
    assert normalised("We’re done. Don't 'worry'") == "we're done don't worry"


def test_a_reps_not_example_stops_a_rules_hit_on_the_same_sentence_however_it_is_punctuated() -> None:
    rules = Rulebook.load()
    assert PhraseDetector(rules).detect("The next step is a pilot.").flagged
    mine = PhraseDetector(taught(rules, [not_pushy()]))
    for said in ("The next step is a pilot.", "the next step is a pilot", "So. The next step is a pilot!"):
        d = mine.detect(said)
        assert not d.flagged, said
        assert d.as_json(layer=True)["layer"] == "example"
        assert d.as_json(layer=True)["why"] == 'your not-example: "The next step is a pilot."'
    # Anything else the rep says is judged as before.
    assert mine.detect("The next step is to sign the order form.").flagged
    assert mine.detect("You should sign today.").flagged


def test_a_live_guess_is_not_flagged_while_it_is_the_start_of_a_not_example() -> None:
    mine = PhraseDetector(taught(Rulebook.load(), [not_pushy()]))
    assert mine.hits("Okay. The next step is a", partial=True) == []
    assert [h.match for h in mine.hits("Okay. The next step is to sign", partial=True)] == ["The next step is"]


def test_a_flag_marked_wrong_leaves_the_call_and_a_missed_line_joins_it_as_the_reps() -> None:
    other = Flag("rep", 30.0, 31.0, "imperatives", "You should", "You should sign today.", "It's your call.")
    missed_line = Segment("rep", 40.0, 44.0, "Honestly. I'd lock this in before Friday.")
    missed = missed_mark(missed_line, "I'd lock this in before Friday.", "closing_pressure", "Take your time.",
                         "call-1")
    kept, cleared = marked_flags([FLAG, other], [not_pushy(), missed])
    assert cleared == [FLAG]
    assert [f.match for f in kept] == ["You should", "I'd lock this in before Friday."]
    added = kept[1]
    assert added.added and added.speaker == "rep" and added.category == "closing_pressure"
    assert added.start == 40.0 and added.prompt == "Take your time."
    # Worked out again from the same words ("this is me"), the marks find their flags by phrase and time.
    again = Flag("rep", 11.2, 12.1, "owning_the_path", "the next step is", "Okay. The next step is a pilot.", "x")
    assert marked_flags([again], [not_pushy()])[1] == [again]
    # ...and a flag the rep's detector no longer raises still shows the mark, so it can be undone.
    assert [f.match for f in marked_flags([], [not_pushy()])[1]] == ["The next step is"]


def test_the_reps_lines_are_merged_into_the_rulebook_and_the_latest_mark_of_a_sentence_wins() -> None:
    rules = Rulebook.load()
    line = Segment("rep", 40.0, 44.0, "I'd lock this in before Friday.")
    example = missed_mark(line, line.text, "closing_pressure", "Take your time.", "call-1")
    merged = taught(rules, [not_pushy(), example])
    assert merged.category("closing_pressure").examples[-1] == "I'd lock this in before Friday."
    assert "The next step is a pilot." in merged.category("owning_the_path").not_examples
    assert merged.mine == {"The next step is a pilot.", "I'd lock this in before Friday."}
    changed_mind = missed_mark(LINE, "The next step is a pilot.", "owning_the_path", "x", "call-2")
    again = taught(rules, [not_pushy(), changed_mind])
    assert "The next step is a pilot." in again.category("owning_the_path").examples
    assert "The next step is a pilot." not in again.category("owning_the_path").not_examples
    assert taught(rules, []) is rules


TWO = "The next step is a call with your leads on Thursday, and I'll send over the agreement afterwards."


def test_a_phrase_marked_not_pushy_leaves_its_sentences_other_push_flagged() -> None:
    rules, line = Rulebook.load(), Segment("rep", 50.0, 56.0, TWO)
    nxt = Flag("rep", 50.0, 51.0, "owning_the_path", "The next step is", TWO, "x")
    send = Flag("rep", 53.0, 54.0, "owning_the_path", "I'll send over the agreement", TWO, "x")

    def flagged(marks: list[Mark], text: str = TWO) -> list[str]:
        return [h.match for h in PhraseDetector(taught(rules, marks)).hits(text) if h.kind == "directive"]

    assert flagged([]) == ["The next step is", "I'll send over the agreement"]
    assert flagged([wrong_mark(send, "call-1", line.text)]) == ["The next step is"]
    assert flagged([wrong_mark(send, "call-1", line.text)], TWO.lower().replace(",", "")) == ["the next step is"]
    assert flagged([wrong_mark(nxt, "call-1", line.text)]) == ["I'll send over the agreement"]
    both = [wrong_mark(send, "call-1", line.text), wrong_mark(nxt, "call-2", line.text)]
    assert flagged(both) == []
    d = PhraseDetector(taught(rules, both)).detect(TWO)
    assert not d.flagged and d.as_json(layer=True)["why"] == f'your not-example: "{TWO}"'
    # A sentence the model flagged whole is marked whole: nothing in it flags again.
    whole = Flag("rep", 50.0, 56.0, "owning_the_path", TWO, TWO, "x")
    assert flagged([wrong_mark(whole, "call-1", line.text)]) == []
    # A later "that was pushy" of the sentence undoes both.
    assert flagged([*both, missed_mark(line, TWO, "owning_the_path", "x", "call-3")]) == [
        "The next step is", "I'll send over the agreement"]


def test_a_line_offers_its_sentences_and_the_clauses_they_join() -> None:
    line = "Sure. Our onboarding team plans two weeks ahead, and the slots for next month are almost gone."
    assert parts_of(line) == ["Sure.", "Our onboarding team plans two weeks ahead, and the slots for next month are "
                              "almost gone.", "Our onboarding team plans two weeks ahead",
                              "the slots for next month are almost gone."]
    assert parts_of("You should sign today - the price goes up on Monday.")[1:] == [
        "You should sign today", "the price goes up on Monday."]
    assert parts_of("I know, but you really need to move.") == ["I know, but you really need to move."]  # too short
    assert parts_of("Red, green and blue.") == ["Red, green and blue."]  # a list is not two clauses
    assert parts_of("You should sign today—the price goes up on Monday.")[1:] == [  # Whisper's dash, unspaced
        "You should sign today", "the price goes up on Monday."]


def test_a_part_marked_pushy_is_the_example_and_a_later_flag_of_its_whole_sentence_stands_for_it() -> None:
    whole = "Our onboarding team plans two weeks ahead, and the slots for next month are almost gone."
    seg = Segment("rep", 10.0, 15.0, whole, True)
    mark = missed_mark(seg, "the slots for next month are almost gone.", "closing_pressure", "This may not be a fit.",
                       "call")
    book = taught(Rulebook.load(), [mark])
    assert "the slots for next month are almost gone." in next(
        c for c in book.categories if c.name == "closing_pressure").examples
    by_model = Flag("rep", 10.0, 15.0, "closing_pressure", whole, whole, "This may not be a fit.")
    kept, _ = marked_flags([by_model], [mark])
    assert kept == [replace(by_model, added=True)]  # not counted twice, and shown as the rep's (its Undo offered)
    other = Flag("rep", 10.0, 11.0, "owning_the_path", "two weeks ahead", whole, "What do you want to do next?")
    kept, _ = marked_flags([other], [mark])
    assert len(kept) == 2 and kept[1].added  # a flag of another phrase does not stand for it
    sign = missed_mark(Segment("rep", 1.0, 3.0, "Let's design today.", True), "design today", "closing_pressure",
                       "", "call")
    word_in_word = Flag("rep", 1.0, 3.0, "closing_pressure", "sign today", "Let's design today.", "")
    assert len(marked_flags([word_in_word], [sign])[0]) == 2  # "sign today" is not words of "design today"


def test_a_later_mark_of_a_sentence_overrides_the_earlier_and_two_phrases_marked_both_stand() -> None:
    line = Segment("rep", 10.0, 14.0, "Let's get the rollout booked for Monday.", True)
    pushy = missed_mark(line, line.text, "owning_the_path", "What do you want to do next?", "call")
    flag = Flag("rep", 10.0, 14.0, "owning_the_path", line.text, line.text, "What do you want to do next?")
    not_pushy = wrong_mark(flag, "call", line.text)
    kept, cleared = marked_flags([flag], [pushy, not_pushy])  # an older file holds both: the later stands
    assert kept == [] and cleared == [flag]
    kept, cleared = marked_flags([flag], [not_pushy, pushy])
    assert kept == [replace(flag, added=True)] and cleared == []
    two = Segment("rep", 20.0, 24.0, "The next step is a call, and I'll send over the agreement.", True)
    a = Flag("rep", 20.0, 20.6, "owning_the_path", "The next step is", two.text, "Over to you?")
    b = Flag("rep", 20.4, 21.2, "owning_the_path", "I'll send over the agreement", two.text, "Over to you?")
    kept, cleared = marked_flags([a, b], [wrong_mark(a, "call", two.text), wrong_mark(b, "call", two.text)])
    assert kept == [] and cleared == [a, b]
