"""Transcribing only speech: packing spans into windows, mapping word times back, retries."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest

from copilot.core.events import SpeechSpan
from copilot.stt.engine import RawSegment
from copilot.stt.spans import plan_windows, quietest_cut, transcribe_spans
from tests.fakes import FakeEngine

RATE = 16_000


def spans(*pairs: tuple[float, float]) -> list[SpeechSpan]:
    return [SpeechSpan("rep", a, b) for a, b in pairs]


def test_spans_are_padded_without_sharing_audio_and_packed_into_windows() -> None:
    windows = plan_windows(spans((1.0, 3.0), (3.4, 5.0), (40.0, 45.0)), 60.0, max_window_s=10.0, pad_s=0.5)
    pieces = [p for w in windows for p in w]
    assert [(p.start, p.end) for p in pieces] == [(0.5, 3.2), (3.2, 5.5), (39.5, 45.5)]
    assert len(windows) == 1 + 1  # 2.7 + 2.3 fit in one window, the 6 s piece does not
    assert [p.offset for p in windows[0]] == [0.0, pytest.approx(2.7)]


def test_a_span_longer_than_a_window_is_cut_where_the_cutter_says() -> None:
    windows = plan_windows(spans((0.0, 25.0)), 25.0, max_window_s=10.0, pad_s=0.0, cut=lambda a, b: a + 1.0)
    pieces = [p for w in windows for p in w]
    assert [(p.start, round(p.end, 3)) for p in pieces] == [(0.0, 7.0), (7.0, 14.0), (14.0, 21.0), (21.0, 25.0)]
    assert all(p.span == 0 for p in pieces)


def test_the_quietest_cut_lands_in_the_gap_between_words() -> None:
    audio = np.full(RATE * 10, 0.3, dtype=np.float32)
    audio[int(7.2 * RATE) : int(7.5 * RATE)] = 0.0
    at = quietest_cut(audio)(6.0, 9.0)
    assert 7.2 <= at <= 7.5


def speech_at(*pairs: tuple[float, float], total: float = 60.0) -> npt.NDArray[np.float32]:
    audio = np.zeros(int(total * RATE), dtype=np.float32)
    for a, b in pairs:
        audio[int(a * RATE) : int(b * RATE)] = 0.5
    return audio


def test_word_times_map_back_to_the_call_and_only_speech_is_sent() -> None:
    where = ((2.0, 3.0), (20.0, 21.5), (50.0, 51.0))
    engine = FakeEngine()
    segments = transcribe_spans(engine, "rep", speech_at(*where), spans(*where))
    assert len(engine.calls) == 1 and engine.calls[0] < 7.0  # 3.5 s of speech plus padding, not 60 s
    assert [(round(s.start, 2), round(s.end, 2)) for s in segments] == [(2.0, 3.0), (20.0, 21.5), (50.0, 51.0)]
    assert all(s.speaker == "rep" and s.final and s.text == "hello" for s in segments)


def test_a_span_the_packed_window_dropped_is_transcribed_again_on_its_own() -> None:
    where = ((2.0, 3.0), (5.0, 6.0), (8.0, 9.0))
    engine = FakeEngine(drop_after_s=3.0)  # the first call stops after its first word
    segments = transcribe_spans(engine, "prospect", speech_at(*where), spans(*where))
    assert len(segments) == 3
    assert len(engine.calls) == 3  # the window, then each dropped span alone


def test_hallucinated_segments_are_dropped() -> None:
    where = ((2.0, 3.0),)
    engine = FakeEngine(text=" Thank you.")

    def unsure(audio: npt.NDArray[np.float32], context: str = "") -> list[RawSegment]:
        (seg,) = FakeEngine.transcribe(engine, audio, context)
        return [RawSegment(seg.start, seg.end, seg.text, -1.2, 0.7, seg.words)]

    engine.transcribe = unsure  # type: ignore[method-assign]
    assert transcribe_spans(engine, "rep", speech_at(*where), spans(*where)) == []


def test_progress_reports_the_speech_seconds_done() -> None:
    where = ((2.0, 3.0), (20.0, 21.0))
    done: list[float] = []
    transcribe_spans(FakeEngine(), "rep", speech_at(*where), spans(*where), progress=done.append)
    assert sum(done) == pytest.approx(4.0)  # two 1 s spans with 0.5 s padding each side
