"""Voice activity: the span rules on made-up scores, and the real Silero model streaming."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from copilot.audio.vad import FRAME, FRAME_S, SpeechGate, SpeechStart, StreamingVad, VadSettings, speech_spans
from copilot.core.events import Speaker, SpeechSpan
from copilot.scripted.truth import load_truth
from tests.wavs import SAMPLE, sample_call

S = VadSettings(threshold=0.5, neg_threshold=0.35, min_silence_s=10 * FRAME_S, min_speech_s=5 * FRAME_S, pad_s=0.0)


def frames(*runs: tuple[float, int]) -> list[float]:
    out: list[float] = []
    for p, n in runs:
        out += [p] * n
    return out


def test_speech_starts_once_confirmed_and_ends_after_enough_silence() -> None:
    gate = SpeechGate("rep", S)
    events = gate.push(frames((0.1, 3), (0.9, 20), (0.1, 10)))
    assert isinstance(events[0], SpeechStart) and events[0].t == 3 * FRAME_S
    assert events[1] == SpeechSpan("rep", 3 * FRAME_S, 23 * FRAME_S)


def test_a_pause_shorter_than_min_silence_stays_inside_the_span() -> None:
    gate = SpeechGate("rep", S)
    events = gate.push(frames((0.9, 20), (0.1, 9), (0.9, 20), (0.1, 10)))
    spans = [e for e in events if isinstance(e, SpeechSpan)]
    assert spans == [SpeechSpan("rep", 0.0, 49 * FRAME_S)]


def test_scores_between_the_thresholds_keep_speech_going_but_do_not_start_it() -> None:
    gate = SpeechGate("prospect", S)
    assert gate.push(frames((0.4, 30))) == []
    events = gate.push(frames((0.9, 6), (0.4, 20), (0.1, 10)))
    spans = [e for e in events if isinstance(e, SpeechSpan)]
    assert len(spans) == 1 and spans[0].duration == 26 * FRAME_S


def test_a_blip_shorter_than_min_speech_is_not_speech() -> None:
    gate = SpeechGate("rep", S)
    assert gate.push(frames((0.9, 3), (0.1, 20))) == []


def test_finish_closes_open_speech() -> None:
    gate = SpeechGate("rep", S)
    gate.push(frames((0.9, 8)))
    assert gate.speaking
    (span,) = gate.finish()
    assert span == SpeechSpan("rep", 0.0, 8 * FRAME_S)


def test_streaming_in_odd_blocks_finds_the_same_speech_as_one_feed() -> None:
    call = sample_call()
    audio = call.rep[: 30 * 16_000]
    whole = speech_spans("rep", audio)
    vad = StreamingVad("rep")
    events = []
    for i in range(0, len(audio), 1234):  # not a multiple of the 512-sample frame
        events += vad.feed(audio[i : i + 1234])
    events += vad.finish()
    assert [e for e in events if isinstance(e, SpeechSpan)] == whole
    assert len(whole) >= 3
    assert FRAME == 512


def test_no_speech_in_a_tone() -> None:
    t = np.arange(16_000 * 3) / 16_000
    assert speech_spans("rep", (0.3 * np.sin(2 * np.pi * 300 * t)).astype(np.float32)) == []


def test_talk_time_of_the_sample_is_within_a_few_percent_of_the_truth() -> None:
    call = sample_call()
    truth = load_truth(SAMPLE)
    tracks: tuple[tuple[Speaker, npt.NDArray[np.float32]], ...] = (("rep", call.rep), ("prospect", call.prospect))
    for who, track in tracks:
        found = sum(s.duration for s in speech_spans(who, track))
        true = sum(line.end - line.start for line in truth.lines if line.speaker == who)
        assert abs(found - true) / true < 0.05, (who, found, true)
