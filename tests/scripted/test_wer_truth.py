"""Word error rate and scoring against a call's ground truth."""

from __future__ import annotations

import pytest

from copilot.core.events import Flag
from copilot.scripted.truth import CallTruth, Line, load_truth, score_flags
from copilot.scripted.wer import normalize, wer
from tests.wavs import SAMPLE


def test_normalize_ignores_case_punctuation_and_digits() -> None:
    assert normalize("Around 400, give or take!") == ["around", "four", "hundred", "give", "or", "take"]
    assert normalize("It's 10 o'clock") == ["it's", "ten", "o'clock"]


def test_wer_counts_substitutions_deletions_and_insertions() -> None:
    assert wer("the next step is a pilot", "the next step is a pilot") == 0.0
    assert wer("the next step is a pilot", "the best step is pilot") == pytest.approx(2 / 6)
    assert wer("a b", "a b c d") == pytest.approx(1.0)


TRUTH = CallTruth((
    Line("rep", 0.0, 3.0, "The next step is a pilot.", True),
    Line("prospect", 3.5, 5.0, "Not yet.", False),
    Line("rep", 6.0, 9.0, "What would you need to see?", False),
    Line("rep", 10.0, 13.0, "You should sign today.", True),
), 14.0, "left")


def flag(start: float, end: float) -> Flag:
    return Flag("rep", start, end, "c", "m", "t", "p")


def test_a_flag_inside_a_directive_line_catches_it() -> None:
    score = score_flags(TRUTH, [flag(0.2, 1.4)])
    assert (score.directive_lines, score.caught, score.false_flags) == (2, 1, 0)
    assert score.missed == ("You should sign today.",)
    assert score.recall == 0.5


def test_a_flag_on_a_plain_line_is_false() -> None:
    score = score_flags(TRUTH, [flag(6.5, 7.0), flag(10.1, 10.5)])
    assert (score.caught, score.false_flags) == (1, 1)


def test_the_sample_truth_has_directive_lines_and_both_speakers() -> None:
    truth = load_truth(SAMPLE)
    assert sum(line.directive for line in truth.lines) >= 3
    assert truth.text("rep") and truth.text("prospect")
    assert 0.4 < truth.talk()["rep_share"] < 0.8
