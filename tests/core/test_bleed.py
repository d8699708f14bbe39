"""Speaker echo left on the rep's microphone: the buyer's words there are not the rep's."""

from __future__ import annotations

import pytest

from copilot.core.events import Flag, Segment, SpeechSpan, Word
from copilot.core.phrases import PhraseDetector
from copilot.core.rulebook import Rulebook
from copilot.core.session import Session

PUSHY = "You should sign the order form before the end of the month"


@pytest.fixture(scope="module")
def detector() -> PhraseDetector:
    return PhraseDetector(Rulebook.load())


def said(who: str, text: str, start: float, lag: float = 0.0, step: float = 0.3) -> Segment:
    """A final segment with word times, ``lag`` seconds after ``start``."""
    t = start + lag
    ws = tuple(Word((" " if i else "") + w, t + i * step, t + (i + 1) * step) for i, w in enumerate(text.split(" ")))
    return Segment(who, ws[0].start, ws[-1].end, text, words=ws)  # type: ignore[arg-type]


def call(detector: PhraseDetector, rep_first: bool) -> Session:
    """The buyer says a pushy line; the rep's microphone hears it 0.15 s later (and Whisper times it a little
    differently); then the rep says a short line of their own. ``rep_first``: the rep's final arrives before the
    buyer's (the buyer's decode came later, as live)."""
    s = Session(detector)
    buyer = said("prospect", PUSHY, 10.0)
    echo = said("rep", PUSHY.replace("form", "farm"), 10.0, lag=0.15, step=0.31)
    s.speech(SpeechSpan("prospect", buyer.start, buyer.end))
    s.speech(SpeechSpan("rep", echo.start, echo.end))
    for seg in ([echo, buyer] if rep_first else [buyer, echo]):
        s.segment(seg)
    own = said("rep", "Thanks for that I will think about it", 16.0)
    s.speech(SpeechSpan("rep", own.start, own.end))
    s.segment(own)
    return s


@pytest.mark.parametrize("rep_first", [False, True])
def test_the_buyers_words_on_the_reps_microphone_are_not_rep_talk_and_never_flagged(
        detector: PhraseDetector, rep_first: bool) -> None:
    s = call(detector, rep_first)
    assert s.flags == []
    assert [seg.text for seg in s.segments if seg.speaker == "rep"] == ["Thanks for that I will think about it"]
    assert len(s.bleed) == 1
    state = s.finish(20.0)
    assert state.rep_s == pytest.approx(8 * 0.3)  # only the rep's own line
    assert state.interruptions == 0  # the echo "talked over" the buyer; it was not the rep


def test_the_rep_saying_the_same_words_later_is_the_rep(detector: PhraseDetector) -> None:
    s = Session(detector)
    s.segment(said("prospect", PUSHY, 10.0))
    events = s.segment(said("rep", PUSHY, 16.0))  # the rep repeats them, seconds later: theirs, and pushy
    assert any(isinstance(e, Flag) for e in events) and not s.bleed


def test_the_rep_talking_over_the_buyer_is_the_rep(detector: PhraseDetector) -> None:
    s = Session(detector)
    s.segment(said("prospect", "We looked at three vendors last year and the pricing was the problem", 10.0))
    events = s.segment(said("rep", "The next step is a pilot with your team", 10.5))
    assert any(isinstance(e, Flag) for e in events) and not s.bleed


def test_one_word_at_the_same_moment_proves_nothing(detector: PhraseDetector) -> None:
    s = Session(detector)
    s.segment(said("prospect", "Right", 10.0))
    s.segment(said("rep", "Right", 10.1))
    assert not s.bleed and len(s.segments) == 2


def test_what_is_kept_of_the_reps_speech_has_the_bleed_cut_out() -> None:
    from copilot.core.bleed import without_bleed

    spans = [SpeechSpan("rep", 0.0, 10.0), SpeechSpan("prospect", 2.0, 5.0)]
    bleed = [said("rep", "you should sign", 3.0)]
    kept = without_bleed(spans, bleed)
    assert [(s.speaker, s.start, s.end) for s in kept] == [("rep", 0.0, 3.0), ("rep", bleed[0].end, 10.0),
                                                           ("prospect", 2.0, 5.0)]


def test_a_second_hearing_found_to_be_the_buyer_replaces_what_was_first_heard(detector: PhraseDetector) -> None:
    """Live, the rep's side may first come back as one long final (the buyer's line run into more words, so it
    does not match them), then be heard again as just the buyer's line: that revision is bleed, and the long
    final it replaces goes with it (found by the live replay of a speakerphone call on a loaded machine)."""
    from dataclasses import replace

    s = Session(detector)
    buyer = said("prospect", PUSHY, 10.0)
    first = said("rep", PUSHY + " and the team said they would think about the pilot later on", 10.0, lag=0.15)
    s.segment(buyer)
    s.segment(first)
    assert [seg.text for seg in s.segments if seg.speaker == "rep"] == [first.text]  # not the buyer's words alone
    again = replace(said("rep", PUSHY, 10.0, lag=0.15), replaces=(first.start - 0.3, first.end))
    s.segment(again)
    assert [seg for seg in s.segments if seg.speaker == "rep"] == []
    assert s.bleed == [again]
