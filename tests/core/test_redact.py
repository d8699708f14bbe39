"""Hiding in a whole call and as a live call goes: across pauses, in flags and word timings, counted once."""

from __future__ import annotations

from copilot.core.events import Flag, Prompt, Segment, SupportiveLine, TalkState, Word
from copilot.core.redact import LiveRedaction, Redactor, hidden_sentence
from copilot.redaction.checks import LibraryChecks

REDACTOR = Redactor(LibraryChecks(regions=("US",)))


def words(text: str, start: float, step: float = 0.4) -> tuple[Word, ...]:
    """The words of ``text`` as faster-whisper gives them (a leading space each), evenly timed."""
    return tuple(Word(f" {w}", start + i * step, start + (i + 1) * step) for i, w in enumerate(text.split()))


def line(speaker: str, start: float, end: float, text: str, timed: bool = False) -> Segment:
    return Segment(speaker, start, end, text, True, words(text, start) if timed else ())  # type: ignore[arg-type]


def talk(t: float) -> TalkState:
    return TalkState(t, 0.0, 0.0, 0.0, 120.0, 0.0, 0.0, 0.0)


def test_a_card_number_split_by_a_pause_and_a_backchannel_is_hidden_in_both_lines_and_counted_once() -> None:
    call = [line("prospect", 10.0, 13.0, "The card number is 4111 1111,"),
            line("rep", 13.5, 14.0, "Mm-hmm."),
            line("prospect", 14.6, 16.0, "1111 1111. Thanks.")]
    kept = REDACTOR.call(call)
    assert [s.text for s in kept.segments] == ["The card number is [card number]", "Mm-hmm.",
                                              "[card number]. Thanks."]
    assert kept.hidden == {"card": 1}


def test_lines_further_apart_than_a_pause_are_read_on_their_own() -> None:
    said = ["Send it to sam dot rivera", "at northwind dot com"]
    close = [line("prospect", 10.0, 12.0, said[0]), line("prospect", 14.0, 16.0, said[1])]
    apart = [line("prospect", 10.0, 12.0, said[0]), line("prospect", 30.0, 32.0, said[1])]
    assert [s.text for s in REDACTOR.call(close).segments] == ["Send it to [e-mail]", "[e-mail]"]
    assert [s.text for s in REDACTOR.call(apart).segments] == said


def test_the_words_of_a_line_follow_its_text() -> None:
    seg = line("prospect", 5.0, 9.0, "Call me on 415 555 0134 tomorrow", timed=True)
    kept = REDACTOR.call([seg]).segments[0]
    assert kept.text == "Call me on [phone number] tomorrow"
    assert "".join(w.text for w in kept.words).strip() == kept.text
    placeholder = next(w for w in kept.words if "[phone number]" in w.text)
    assert placeholder.start == seg.words[3].start and placeholder.end == seg.words[5].end


def test_a_flag_and_a_supportive_line_are_hidden_as_the_line_they_came_from() -> None:
    call = [line("rep", 20.0, 24.0, "You should send it to sam dot rivera"),
            line("rep", 25.0, 27.0, "at northwind dot com, it's your call.")]
    flag = Flag("rep", 20.0, 20.6, "you_should", "You should send it to sam dot rivera",
                "You should send it to sam dot rivera", "What do you want to do next?")
    support = SupportiveLine("rep", 26.0, 27.0, "it's your call", "at northwind dot com, it's your call.")
    kept = REDACTOR.call(call, [flag], [support])
    assert kept.flags[0].text == "You should send it to [e-mail]"
    assert kept.flags[0].match == "You should send it to [e-mail]"
    assert kept.supportive[0].text == "[e-mail], it's your call."
    assert kept.supportive[0].match == "it's your call"
    assert kept.hidden == {"email": 1}


def test_a_prompts_reason_is_hidden() -> None:
    prompt = Prompt(30.0, "phrase", "What do you want to do next?", "you_should",
                    "you said: 'you should call 415 555 0134'", 36.0)
    assert REDACTOR.prompt(prompt).reason == "you said: 'you should call [phone number]'"


def test_the_review_says_what_was_hidden() -> None:
    assert hidden_sentence({"card": 3, "email": 1}) == "3 card-like numbers, 1 e-mail address hidden."
    assert hidden_sentence({}) == ""
    assert "turned off" in hidden_sentence(None)


def test_live_a_line_that_may_go_on_is_held_until_the_speakers_next_line() -> None:
    live: LiveRedaction[str] = LiveRedaction(REDACTOR)
    first = line("prospect", 10.0, 13.0, "The card number is four one one one, one one one one,")
    assert live.push(first, "a", 13.0) == []
    flag = Flag("prospect", 10.0, 11.0, "x", "The card number", first.text, "")
    assert live.push(flag, "f", 13.1) == []  # held with the line it was raised on
    out = live.push(line("prospect", 14.5, 17.0, "one one one one, one one one one, and that's it, thanks"), "b",
                    17.0)
    assert [(e.text, tag) for e, tag in out] == [  # type: ignore[attr-defined]
        ("The card number is [card number]", "a"), ("[card number], and that's it, thanks", "b"),
        ("The card number is [card number]", "f")]
    assert live.hidden == {"card": 1}


def test_live_a_held_line_goes_out_when_the_speaker_stays_quiet() -> None:
    live: LiveRedaction[int] = LiveRedaction(REDACTOR)
    assert live.push(line("prospect", 10.0, 12.0, "My cell is 415"), 1, 12.0) == []
    assert live.push(talk(15.0), 2, 15.0) == [(talk(15.0), 2)]
    out = live.push(talk(18.5), 3, 18.5)
    assert [getattr(e, "text", None) for e, _ in out] == [None, "My cell is [phone number]"]


def test_live_a_line_that_ends_plainly_goes_straight_out_and_flush_empties_what_is_held() -> None:
    live: LiveRedaction[int] = LiveRedaction(REDACTOR)
    plain = line("rep", 1.0, 2.0, "What would you need to see?")
    assert live.push(plain, 1, 2.0) == [(plain, 1)]
    assert live.push(line("prospect", 3.0, 4.0, "Send it to sam dot rivera"), 2, 4.0) == []
    assert [e.text for e, _ in live.flush()] == ["Send it to sam dot rivera"]  # type: ignore[attr-defined]


def test_live_a_partial_is_read_after_what_is_held_and_a_cut_off_number_is_hidden() -> None:
    live: LiveRedaction[int] = LiveRedaction(REDACTOR)
    live.push(line("prospect", 10.0, 12.0, "The card number is 4111 1111"), 1, 12.0)
    partial = Segment("prospect", 12.5, 13.5, "1111 11", final=False)
    out = live.push(partial, 2, 13.5)
    assert [e.text for e, _ in out] == ["[card number]"]  # type: ignore[attr-defined]


def test_live_a_flag_raised_on_a_guess_cut_off_inside_an_address_is_hidden_on_its_own() -> None:
    live: LiveRedaction[int] = LiveRedaction(REDACTOR)
    guess = "You should call me on 415 555 0134. Mail sam dot rivera at northwind"
    flag = Flag("rep", 1.0, 1.5, "imperatives", guess, guess, "You're free to walk away.")
    ((out, _),) = live.push(flag, 1, 2.0)
    assert out.text == out.match == "You should call me on [phone number]. Mail [e-mail]"  # type: ignore[attr-defined]
