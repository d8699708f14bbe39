"""Telling voices apart in a mixed recording of real human speech, and finding the rep's."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from copilot.audio.decode import MixedAudio, decode, dual_mono, load_recording
from copilot.audio.vad import speech_spans
from copilot.core.phrases import PhraseDetector
from copilot.core.rulebook import Rulebook
from copilot.pipeline.mixed import SAME_VOICE, analyze_mixed
from copilot.pipeline.offline import Analysis
from copilot.report.summary import summary
from copilot.scripted.truth import load_truth
from copilot.voices.clusters import cluster_voices
from copilot.voices.diarize import Diarization, diarize
from copilot.voices.embedder import VoiceEmbedder, log_mel
from copilot.voices.profile import ProfileError, voiceprint_of
from tests.fakes import SaysNextStep
from tests.wavs import ROOT, SAMPLE, sample_call, tone, write_wav

MIXED = ROOT / "tests" / "data" / "mixed"


@pytest.fixture(scope="module")
def embedder() -> VoiceEmbedder:
    return VoiceEmbedder()


def right_lines(name: str, turns: list[tuple[int, float, float]]) -> tuple[int, int]:
    """Lines whose frames went mostly to the voice that said them (voices matched by most overlap)."""
    truth = json.loads((MIXED / f"{name}.truth.json").read_text())
    names = truth["voices"]
    n = int(truth["duration_s"] * 100) + 1
    hyp = np.full(n, -1)
    for v, a, b in turns:
        hyp[int(a * 100): int(b * 100)] = v
    lines = [(names.index(x["voice"]), int(x["start"] * 100), int(x["end"] * 100)) for x in truth["lines"]]
    mapping = {v: int(np.argmax([sum(np.sum(hyp[a:b] == v) for r, a, b in lines if r == ref)
                                 for ref in range(len(names))])) for v in set(hyp[hyp >= 0].tolist())}
    ok = 0
    for ref, a, b in lines:
        got = [mapping[h] for h in hyp[a:b] if h >= 0]
        ok += bool(got) and max(set(got), key=got.count) == ref
    return ok, len(lines)


@pytest.fixture(scope="module")
def split_of(embedder: VoiceEmbedder) -> Callable[[str], tuple[MixedAudio, Diarization]]:
    """A mixed recording and its split by voice, worked out once for the module (real speaker embeddings take
    seconds a recording)."""
    done: dict[str, tuple[MixedAudio, Diarization]] = {}

    def split(name: str) -> tuple[MixedAudio, Diarization]:
        if name not in done:
            audio = load_recording(MIXED / f"{name}.opus")
            assert isinstance(audio, MixedAudio)
            done[name] = audio, diarize(audio.mixed, [(s.start, s.end) for s in speech_spans("rep", audio.mixed)],
                                        embedder)
        return done[name]

    return split


@pytest.mark.parametrize("name,voices", [("dev_a", 2), ("dev_three", 3)])
def test_a_mixed_call_of_real_voices_is_split_by_voice_and_the_count_of_voices_estimated(
        split_of: Callable[[str], tuple[MixedAudio, Diarization]], name: str, voices: int) -> None:
    audio, split = split_of(name)
    assert audio.dual_mono
    assert split.voices == voices and split.estimated
    ok, total = right_lines(name, [(t.voice, t.start, t.end) for t in split.turns])
    assert ok / total >= 0.95


def test_the_reps_clip_from_elsewhere_matches_the_reps_voice_only(
        embedder: VoiceEmbedder, split_of: Callable[[str], tuple[MixedAudio, Diarization]]) -> None:
    _audio, split = split_of("dev_three")
    rep, _ = voiceprint_of(decode(MIXED / "dev_three.rep.opus", mono=True)[0], embedder)
    sims = np.sort(split.voiceprints @ rep)
    assert sims[-1] >= SAME_VOICE > sims[-2]  # one voice is the rep's, and nobody else's is close


def test_two_channel_calls_are_not_taken_for_mixed_ones() -> None:
    call = sample_call()
    assert not dual_mono(call.rep, call.prospect)
    assert not isinstance(load_recording(SAMPLE), MixedAudio)


def test_a_mono_file_is_a_mixed_recording(tmp_path: Path) -> None:
    mono = write_wav(tmp_path / "mono.wav", [tone(2.0, 16_000)], 16_000)
    audio = load_recording(mono)
    assert isinstance(audio, MixedAudio) and not audio.dual_mono


def test_too_little_speech_for_a_voiceprint_is_one_sentence(embedder: VoiceEmbedder) -> None:
    with pytest.raises(ProfileError, match="needs at least 3 s"):
        voiceprint_of(np.zeros(16_000 * 5, np.float32), embedder)


def test_one_voice_is_one_cluster_and_few_windows_are_not_split() -> None:
    rng = np.random.default_rng(0)
    same = rng.normal(size=256) + rng.normal(scale=0.1, size=(30, 256))
    same /= np.linalg.norm(same, axis=1, keepdims=True)
    assert cluster_voices(same.astype(np.float32)).voices == 1
    assert cluster_voices(same[:3].astype(np.float32)).voices == 1


def test_the_features_are_the_encoders_log_mel_frames() -> None:
    x = np.random.default_rng(1).normal(0, 0.1, 16_000).astype(np.float32)
    mel = log_mel(x)
    assert mel.shape == (1 + (16_000 - 512) // 160, 40) and np.isfinite(mel).all()


def test_a_mixed_call_analysed_with_the_reps_clip_has_the_reps_share(embedder: VoiceEmbedder,
                                                                     guessed_dev_a: Analysis) -> None:
    audio = load_recording(MIXED / "dev_a.opus")
    assert isinstance(audio, MixedAudio)
    rep, _ = voiceprint_of(decode(MIXED / "dev_a.rep.opus", mono=True)[0], embedder)
    a = analyze_mixed(audio, SaysNextStep(), PhraseDetector(Rulebook.load()), embedder, rep_print=rep)
    assert a.voices is not None and a.voices.how == "voice sample" and a.voices.rep == 1
    truth = load_truth(MIXED / "dev_a.opus").talk()["rep_share"]
    assert abs(a.session.talk_summary().rep_share - truth) <= 0.03
    assert a.as_json()["voices"]["rep_chosen_by"] == "voice sample"
    # Without a clip, a profile or a question, the rep is a guess, and says so.
    guessed = guessed_dev_a  # the same recording analysed with none of them (tests/voices/conftest.py)
    assert guessed.voices is not None and guessed.voices.guess
    assert "a guess" in summary(guessed)


@pytest.mark.parametrize("text", ['{"voiceprint": [[1, 2], [3]]}', '{"voiceprint": "abc"}', "[1, 2]", "{",
                                  '{"voiceprint": [1e400]}', '{"voiceprint": null}',
                                  '{"voiceprint": [' + ", ".join(["1e300"] * 256) + "]}"])
def test_a_damaged_voice_profile_is_one_sentence_with_what_to_do(tmp_path: Path, text: str) -> None:
    from copilot.voices.profile import load_profile

    path = tmp_path / "voice.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProfileError) as e:
        load_profile(path)
    message = str(e.value)
    assert "is damaged or is not a voice profile" in message and "copilot voice clear" in message
    assert "\n" not in message and ". " not in message.split("voice.json", 1)[1]  # one sentence
