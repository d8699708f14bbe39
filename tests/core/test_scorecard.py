"""The review's numbers: rolling share for the timeline, benchmarks, flags on transcript lines."""

from __future__ import annotations

from dataclasses import replace

import pytest

from copilot.core.events import Flag, Segment, Speaker, SpeechSpan, Word
from copilot.core.phrases import PhraseDetector
from copilot.core.rulebook import Rulebook
from copilot.core.scorecard import (
    clock,
    flagged_lines,
    numbers,
    rolling_share,
    supportive_count,
    supportive_lines,
    whole_sentences,
)
from copilot.core.talk import TalkSummary


def test_the_rolling_share_is_the_rep_part_of_the_last_two_minutes() -> None:
    spans = [SpeechSpan("rep", 0.0, 60.0), SpeechSpan("prospect", 60.0, 120.0), SpeechSpan("rep", 200.0, 210.0)]
    share = dict(rolling_share(spans, 240.0, window_s=120.0, step_s=10.0))
    assert share[0.0] is None  # nobody has talked yet
    assert share[60.0] == pytest.approx(1.0)
    assert share[120.0] == pytest.approx(0.5)
    assert share[90.0] == pytest.approx(60 / 90)
    assert share[180.0] == pytest.approx(0.0)  # 60-180: the prospect's minute only
    assert share[240.0] == pytest.approx(10 / 10)  # 120-240: only the rep's 10 s
    assert max(share) == 240.0


def test_an_hour_of_spans_gives_a_share_at_every_step() -> None:
    spans = [SpeechSpan("rep" if i % 2 else "prospect", i * 3.0, i * 3.0 + 2.5) for i in range(1200)]
    series = rolling_share(spans, 3600.0)
    assert len(series) == 721 and all(s is not None and 0.0 <= s <= 1.0 for _, s in series[1:])


def test_numbers_stand_beside_their_benchmarks() -> None:
    talk = TalkSummary(rep_share=0.72, rep_s=600.0, longest_rep_monologue_s=150.0, longest_prospect_monologue_s=40.0,
                       patience_s=0.8, interruptions=1, rep_questions=12)
    flags = [Flag("rep", 1.0, 2.0, "owning_the_path", "the next step is", "", "")] * 3
    got = {n.label: n for n in numbers(talk, flags, supportive=0)}
    assert got["Talk share (you : them)"].value == "72% : 28%" and got["Talk share (you : them)"].verdict == "poor"
    assert "43 : 57" in got["Talk share (you : them)"].benchmark
    assert got["Longest monologue (you)"].value == "2:30" and got["Longest monologue (you)"].verdict == "poor"
    assert got["Questions asked"].verdict == "good"
    assert got["Directive phrases"].value.startswith("3.0 per 10 min")
    assert got["Autonomy-supportive lines"].verdict == "watch"


def test_patience_is_not_a_number_when_only_one_side_spoke() -> None:
    both = TalkSummary(rep_share=0.5, rep_s=60.0, prospect_s=60.0, patience_s=0.8)
    assert {n.label: n for n in numbers(both, [], 0)}["Patience"].value == "0.8 s"
    alone = {n.label: n for n in numbers(TalkSummary(rep_share=1.0, rep_s=60.0), [], 0)}["Patience"]
    assert alone.value == "-" and "only one side spoke" in alone.benchmark


def test_a_flag_belongs_to_the_line_it_was_said_in_or_else_the_nearest_rep_line() -> None:
    lines = [Segment("rep", 0.0, 4.0, "You should see it."), Segment("prospect", 4.0, 6.0, "Hm."),
             Segment("rep", 6.0, 9.0, "Anyway.")]
    said = Flag("rep", 0.5, 1.0, "prescribing", "you should", "", "")
    revised_away = Flag("prospect", 5.0, 5.5, "x", "y", "", "")  # its words were revised out of the transcript
    got = flagged_lines(lines, [said, revised_away])
    assert [len(g.flags) for g in got] == [1, 0, 1] and got[0].flags == (said,)


def said(speaker: Speaker, start: float, end: float, text: str) -> Segment:
    """A final line with its words spread evenly over its time."""
    parts = [" " + w for w in text.split()]
    step = (end - start) / len(parts)
    words = tuple(Word(w, start + i * step, start + (i + 1) * step) for i, w in enumerate(parts))
    return Segment(speaker, start, end, text, True, words)


def test_a_sentence_cut_at_a_decoding_window_reads_whole_and_keeps_its_flags() -> None:
    # The sample call replayed live before the live path kept sentences whole (times as stored):
    # a long turn cut while it went on, and "week." heard with the rep's next utterance.
    cut = said("rep", 56.76, 61.86,
               "Other clients in your position have started with a pilot, and they were glad they did.")
    segments = [
        said("rep", 30.4, 32.7, "Your leads get a short list on the calls that"),
        said("rep", 32.7, 45.0, "need a look, with the moment that went wrong already marked. Most teams cut review "
                                "time by more than half in the first month."),
        said("rep", 45.0, 47.81, "It plugs into your phone system in an afternoon."),
        said("rep", 47.81, 51.87, "What makes sense here is to start a pilot with your whole team next"),
        said("prospect", 53.3, 57.18, "Uhm, I'm not sure we are ready for a pilot yet."),
        Segment("rep", 56.23, 61.86, "week. " + cut.text, True, (Word(" week.", 56.23, 56.8), *cut.words)),
    ]
    sense = Flag("rep", 47.81, 49.63, "telling_what_makes_sense", "What makes sense here is", "", "")
    others = Flag("rep", 56.76, 59.38, "social_proof_pressure", "Other clients in your position have started", "", "")
    lines = flagged_lines(whole_sentences(segments), [sense, others])
    assert [(line.segment.speaker, line.segment.text) for line in lines] == [
        ("rep", "Your leads get a short list on the calls that need a look, with the moment that went wrong already "
                "marked."),
        ("rep", "Most teams cut review time by more than half in the first month."),
        ("rep", "It plugs into your phone system in an afternoon."),
        ("rep", "What makes sense here is to start a pilot with your whole team next week."),
        ("prospect", "Uhm, I'm not sure we are ready for a pilot yet."),
        ("rep", cut.text),
    ]
    assert [line.flags for line in lines] == [(), (), (), (sense,), (), (others,)]
    assert lines[1].segment.start > 32.7 and lines[5].segment.start == 56.76  # each line starts where it was said
    assert "".join(w.text for w in lines[3].segment.words).strip() == lines[3].segment.text


def test_a_line_without_word_times_is_joined_by_its_text() -> None:
    segments = [Segment("prospect", 88.57, 92.51, "What would the leads need to"),
                Segment("prospect", 97.74, 100.1, "do? That sounds manageable.")]
    (question, answer) = whole_sentences(segments)
    assert question.text == "What would the leads need to do?" and question.start == 88.57
    assert (answer.text, answer.start, answer.end) == ("That sounds manageable.", 97.74, 100.1)


def test_lines_that_only_look_cut_are_left_as_they_were() -> None:
    segments = [
        said("rep", 0.0, 2.0, "Got it, so our platform"),
        said("prospect", 2.5, 4.0, "around four hundred, give or take."),  # the other speaker's line
        said("rep", 5.0, 7.0, "How many calls a week?"),
        said("rep", 8.0, 9.0, "around four hundred?"),  # after a finished line of the rep's
        said("rep", 10.0, 11.0, "That's your call how you test that"),
        said("rep", 50.0, 52.0, "and another thing."),  # too long after to be the rest of a cut sentence
    ]
    assert whole_sentences(segments) == segments


def test_supportive_lines_are_found_in_the_reps_words_only() -> None:
    detector = PhraseDetector(Rulebook.load())
    lines = [Segment("rep", 0, 2, "It's completely your call."), Segment("prospect", 2, 3, "It's your call.")]
    assert [s.match for s in supportive_lines(lines, detector)] == ["completely your call"]


def test_clock_reads_like_a_timeline() -> None:
    assert [clock(t) for t in (0, 61.4, 3599.6, 3725)] == ["0:00", "1:01", "1:00:00", "1:02:05"]


def test_the_lines_that_handed_the_choice_back_carry_their_phrases_and_count_once_each() -> None:
    from copilot.report.transcript import transcript_html

    detector = PhraseDetector(Rulebook.load(None))
    segments = [Segment("rep", 0.0, 3.0, "What would you need to see to move forward on your own terms?", True),
                Segment("prospect", 3.5, 5.0, "Honestly, it's your call.", True),
                Segment("rep", 5.5, 7.0, "The next step is a pilot.", True)]
    found = supportive_lines(segments, detector)
    assert [x.match for x in found] == ["What would you need", "on your own terms"]  # the buyer's line is not the rep's
    assert supportive_count(found, segments) == 1  # one line, two phrases
    lines = flagged_lines(segments, [], supportive=found)
    assert [len(line.supportive) for line in lines] == [2, 0, 0]
    html = transcript_html(lines)
    assert '<span class="handback">What would you need</span>' in html
    assert "Hands the choice back: “What would you need”, “on your own terms” — counted for you." in html
    assert html.count('class="handed"') == 1


def test_phrases_of_one_line_count_once_though_each_has_its_own_time() -> None:
    from copilot.core.events import SupportiveLine

    text = "What would you need to see to move forward on your own terms?"
    lines = [Segment("rep", 0.0, 5.0, text, True), Segment("rep", 94.8, 99.0, text, True),
             Segment("rep", 99.8, 101.0, "It's your call.", True)]
    said = [SupportiveLine("rep", 0.0, 1.35, "What would you need", text),
            SupportiveLine("rep", 3.15, 4.5, "on your own terms", text),
            SupportiveLine("rep", 95.0, 96.0, "What would you need", text),  # the same line said again later
            SupportiveLine("rep", 99.6, 100.0, "your call", "It's your call."),  # its words a little early
            SupportiveLine("rep", 200.0, 201.0, "no pressure", "No pressure."),  # in no line kept: on its own
            SupportiveLine("prospect", 99.0, 99.5, "your call", "Your call.")]
    assert supportive_count(said, lines) == 4
    # Retention deletes the words and keeps the times: the count stays.
    gone = [replace(x, match="", text="") for x in said]
    assert supportive_count(gone, [replace(g, text="") for g in lines]) == 4
