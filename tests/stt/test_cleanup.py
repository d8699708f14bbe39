"""Known Whisper failure modes on near-silence are removed; real speech is kept."""

from __future__ import annotations

from copilot.core.events import Word
from copilot.stt.cleanup import collapse_repeats, heard_words, is_hallucination
from copilot.stt.engine import RawSegment


def test_an_unsure_thank_you_is_a_hallucination() -> None:
    assert is_hallucination(" Thank you.", avg_logprob=-0.9, no_speech_prob=0.2)
    assert is_hallucination(" Thanks for watching!", avg_logprob=-0.3, no_speech_prob=0.7)


def test_a_confident_thank_you_is_speech() -> None:
    assert not is_hallucination(" Thank you.", avg_logprob=-0.2, no_speech_prob=0.05)


def test_ordinary_speech_is_kept_even_when_unsure() -> None:
    assert not is_hallucination(" The next step is a pilot.", avg_logprob=-0.9, no_speech_prob=0.5)


def test_text_with_no_words_is_dropped() -> None:
    assert is_hallucination(" ...", avg_logprob=-0.1, no_speech_prob=0.0)


def test_a_repetition_loop_keeps_two_occurrences() -> None:
    words = [" I", " think", " so.", " I", " think", " so.", " I", " think", " so.", " I", " think", " so.", " Yes"]
    kept = [words[i] for i in collapse_repeats(words)]
    assert "".join(kept) == " I think so. I think so. Yes"


def test_a_single_word_loop_collapses() -> None:
    words = [" the"] * 12 + [" end"]
    assert [words[i] for i in collapse_repeats(words)] == [" the", " the", " end"]


def test_a_natural_double_is_kept() -> None:
    words = [" no,", " no,", " that's", " fine"]
    assert collapse_repeats(words) == [0, 1, 2, 3]


def test_a_whole_clause_said_twice_is_kept_once() -> None:
    clause = "what makes sense here is to start a pilot next week".split()
    assert [(clause + clause)[i] for i in collapse_repeats(clause + clause)] == clause


def test_a_lone_punctuation_mark_joins_the_word_before_it() -> None:
    ws = (Word(" next", 0.0, 0.3), Word(" week", 0.3, 0.6), Word("?", 0.6, 0.7), Word(" What", 0.8, 1.0))
    words = heard_words([RawSegment(0.0, 1.0, " next week? What", -0.2, 0.01, ws)])
    assert [w.text for w in words] == [" next", " week?", " What"] and words[1].end == 0.7
