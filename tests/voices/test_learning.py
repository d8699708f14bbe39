"""Learning the rep's voiceprint from live sessions, only when the rep agreed to it."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from pytestqt.qtbot import QtBot

from copilot.audio.sources import FileSource
from copilot.pipeline.options import LiveOptions
from copilot.ui.bridge import EventBridge
from copilot.ui.runner import LiveRunner, SessionPlan
from copilot.voices.learning import RepSpeech
from tests.fakes import SaysNextStep
from tests.wavs import first_seconds, sample_call


def test_only_the_reps_speech_while_the_buyer_is_silent_is_kept() -> None:
    speech = RepSpeech()
    mic = np.arange(16_000 * 10, dtype=np.float32) / 1e6
    speech.feed(mic)
    speech.span(1.0, 3.0, buyer_speaking=False)
    speech.span(4.0, 6.0, buyer_speaking=True)  # talked over: may hold the buyer's voice too
    kept = speech.speech()
    assert speech.seconds == 2.0 and np.array_equal(kept, mic[16_000:48_000])


def test_a_session_the_rep_agreed_to_learn_from_updates_the_voice_profile(qtbot: QtBot, tmp_path: Path) -> None:
    profile = tmp_path / "voice.json"
    runner = LiveRunner(EventBridge(), engine_for=lambda model, threads: SaysNextStep())
    audio = first_seconds(sample_call(), 60)  # a minute holds enough of the rep to learn from
    plan = SessionPlan("sample", lambda: FileSource(audio, speed=60.0),
                       LiveOptions(learn_voice=True, voice_profile=str(profile)), db=str(tmp_path / "s.db"))
    with qtbot.waitSignal(runner.voice_learned, timeout=60_000) as learned:
        runner.start(plan)
    assert "updated" in learned.args[0]
    data = json.loads(profile.read_text())
    assert data["sessions"] == 1 and data["speech_s"] >= 10 and len(data["voiceprint"]) == 256
    runner.wait(10)
    # Not agreed: nothing is learned and no profile is written.
    other = tmp_path / "other.json"
    quiet = LiveRunner(EventBridge(), engine_for=lambda model, threads: SaysNextStep())
    with qtbot.waitSignal(quiet.finished, timeout=60_000):
        quiet.start(SessionPlan("sample", lambda: FileSource(audio, speed=60.0),
                                LiveOptions(voice_profile=str(other)), db=str(tmp_path / "s.db")))
    quiet.wait(10)
    assert not other.exists()
