"""The review's numbers: rolling share for the timeline, benchmarks, flags on transcript lines."""

from __future__ import annotations

import pytest

from copilot.core.events import Flag, Segment, SpeechSpan
from copilot.core.phrases import PhraseDetector
from copilot.core.review import clock, flagged_lines, numbers, rolling_share, supportive_lines
from copilot.core.rulebook import Rulebook
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


def test_a_flag_belongs_to_the_line_it_was_said_in_or_else_the_nearest_rep_line() -> None:
    lines = [Segment("rep", 0.0, 4.0, "You should see it."), Segment("prospect", 4.0, 6.0, "Hm."),
             Segment("rep", 6.0, 9.0, "Anyway.")]
    said = Flag("rep", 0.5, 1.0, "prescribing", "you should", "", "")
    revised_away = Flag("prospect", 5.0, 5.5, "x", "y", "", "")  # its words were revised out of the transcript
    got = flagged_lines(lines, [said, revised_away])
    assert [len(g.flags) for g in got] == [1, 0, 1] and got[0].flags == (said,)


def test_supportive_lines_are_found_in_the_reps_words_only() -> None:
    detector = PhraseDetector(Rulebook.load())
    lines = [Segment("rep", 0, 2, "It's completely your call."), Segment("prospect", 2, 3, "It's your call.")]
    assert [s.match for s in supportive_lines(lines, detector)] == ["completely your call"]


def test_clock_reads_like_a_timeline() -> None:
    assert [clock(t) for t in (0, 61.4, 3599.6, 3725)] == ["0:00", "1:01", "1:00:00", "1:02:05"]
