"""The offline analysis on the sample call with a fake transcriber: talk numbers and the JSON contract."""

from __future__ import annotations

import numpy as np
import pytest

from copilot.audio.decode import CallAudio
from copilot.core.phrases import PhraseDetector
from copilot.core.rulebook import Rulebook
from copilot.pipeline.offline import Progress, analyze_call
from copilot.scripted.truth import load_truth
from tests.fakes import AlwaysSaysNextStep as SaysNextStep
from tests.wavs import SAMPLE, sample_call


class Recorder(Progress):
    def __init__(self) -> None:
        self.stages: list[tuple[str, float]] = []
        self.done = 0.0

    def stage(self, name: str, total_s: float) -> None:
        self.stages.append((name, total_s))

    def advance(self, seconds: float) -> None:
        self.done += seconds


@pytest.fixture(scope="module")
def analysis():  # type: ignore[no-untyped-def]
    engine = SaysNextStep()
    progress = Recorder()
    a = analyze_call(sample_call(), engine, PhraseDetector(Rulebook.load()), model="fake", progress=progress)
    return a, engine, progress


def test_talk_share_is_within_two_points_of_the_truth(analysis) -> None:  # type: ignore[no-untyped-def]
    a, _, _ = analysis
    truth = load_truth(SAMPLE).talk()
    assert abs(a.session.talk_summary().rep_share - truth["rep_share"]) < 0.02
    assert abs(a.session.talk_summary().longest_rep_monologue_s - truth["longest_rep_monologue_s"]) < 2.0


def test_only_speech_is_transcribed(analysis) -> None:  # type: ignore[no-untyped-def]
    a, engine, _ = analysis
    assert engine.seconds < 0.95 * 2 * a.duration_s


def test_rep_flags_are_timed_inside_the_call_and_prospect_speech_is_never_flagged(analysis) -> None:  # type: ignore[no-untyped-def]
    a, _, _ = analysis
    assert a.session.flags and all(f.speaker == "rep" for f in a.session.flags)
    assert all(0 <= f.start < f.end <= a.duration_s for f in a.session.flags)
    assert any(s.speaker == "prospect" for s in a.segments)


def test_the_json_has_the_contract_keys(analysis) -> None:  # type: ignore[no-untyped-def]
    a, _, _ = analysis
    data = a.as_json()
    assert {"session_id", "duration_s", "talk", "segments", "flags", "prompts"} <= set(data)
    assert set(data["talk"]) == {"rep_s", "prospect_s", "rep_share", "longest_rep_monologue_s",
                                 "longest_prospect_monologue_s", "patience_s", "interruptions", "rep_questions"}
    assert set(data["segments"][0]) == {"speaker", "start", "end", "text"}
    assert set(data["flags"][0]) == {"speaker", "start", "end", "category", "match", "text", "prompt"}
    assert set(data["prompts"][0]) == {"time", "kind", "text"}
    assert [s["start"] for s in data["segments"]] == sorted(s["start"] for s in data["segments"])


def test_a_headset_call_is_left_as_recorded_and_says_no_echo_was_found(analysis) -> None:  # type: ignore[no-untyped-def]
    a, _, _ = analysis
    assert a.echo is not None and not a.echo.found
    assert a.as_json()["speaker_echo"]["found"] is False


def test_a_call_recorded_on_laptop_speakers_gets_the_rep_share_of_the_headset_call() -> None:
    clean = sample_call()
    echo = np.zeros(len(clean.prospect), np.float32)
    d = int(0.06 * 16_000)  # speakers to microphone: 60 ms, -12 dB, one reflection 10 ms later
    echo[d:] += 0.25 * clean.prospect[:-d]
    echo[d + 160:] -= 0.1 * clean.prospect[: -d - 160]
    speakers = CallAudio(clean.rep + echo, clean.prospect, "speakers")
    detector = PhraseDetector(Rulebook.load())
    truth = load_truth(SAMPLE).talk()["rep_share"]
    by_default = analyze_call(speakers, SaysNextStep(), detector)  # the canceller is on unless turned off
    assert by_default.echo is not None and by_default.echo.found
    off = analyze_call(speakers, SaysNextStep(), detector, echo=False)
    assert off.echo is None
    assert off.session.talk_summary().rep_share - truth > 0.05  # the buyer's voice counted as the rep's
    assert abs(by_default.session.talk_summary().rep_share - truth) < 0.02


def test_progress_covers_every_stage(analysis) -> None:  # type: ignore[no-untyped-def]
    _, _, progress = analysis
    assert [name for name, _ in progress.stages] == ["removing speaker echo", "finding speech", "transcribing"]
    assert progress.done == pytest.approx(sum(total for _, total in progress.stages), rel=0.01)


def test_hiding_an_analysis_changes_what_is_kept_and_shown_not_its_numbers() -> None:
    from copilot.core.events import Segment, SpeechSpan
    from copilot.core.session import Session
    from copilot.pipeline.offline import Analysis
    from copilot.redaction import redactor
    from copilot.report.summary import summary
    from copilot.voices.split import Voice, VoiceSplit

    session = Session(PhraseDetector(Rulebook.load()))
    spans = [SpeechSpan("rep", 1.0, 4.0), SpeechSpan("prospect", 5.0, 9.0)]
    said = [Segment("rep", 1.0, 4.0, "You should call me on 415 555 0134."),
            Segment("prospect", 5.0, 9.0, "Mail me at sam@example.com.")]
    session.replay(spans, said, 10.0)
    voices = VoiceSplit((Voice(1, 3.0, 0.5, ("You should call me on 415 555 0134.",), None),), 1, "guess", False)
    a = Analysis(session, 10.0, "call.m4a", "fake", spans, voices=voices)
    before = a.as_json()
    a.hide(redactor())
    after = a.as_json()
    assert before["hidden"] is None and after["hidden"] == {"phone": 1, "email": 1}
    assert after["talk"] == before["talk"] and len(after["flags"]) == len(before["flags"]) == 1
    assert [s["text"] for s in after["segments"]] == ["You should call me on [phone number].", "Mail me at [e-mail]."]
    assert after["flags"][0]["text"] == "You should call me on [phone number]."
    assert after["voices"]["voices"][0]["first_words"] == ["You should call me on [phone number]."]
    text = summary(a)
    assert "0134" not in text and "1 e-mail address, 1 phone number hidden." in text


def test_the_summary_says_which_advice_the_buyer_asked_for() -> None:
    from copilot.core.events import Segment, SpeechSpan
    from copilot.core.session import Session
    from copilot.pipeline.offline import Analysis
    from copilot.report.summary import summary

    session = Session(PhraseDetector(Rulebook.load()))
    spans = [SpeechSpan("prospect", 70.0, 72.0), SpeechSpan("rep", 73.0, 76.0)]
    said = [Segment("prospect", 70.0, 72.0, "Which plan would you pick?"),
            Segment("rep", 73.0, 76.0, "I'd go with the annual plan, you should start there.")]
    session.replay(spans, said, 80.0)
    text = summary(Analysis(session, 80.0, "call.m4a", "fake", spans))
    assert "No directive phrasing found" in text
    assert "Advice the buyer asked for, not counted (1):" in text
    assert 'imperatives: "I\'d go with", after the buyer asked at 1:10' in text
