"""What the voice tests share: a mixed recording of real voices analysed once for the whole run (telling its
voices apart takes seconds of speaker embeddings)."""

from __future__ import annotations

import pickle

import pytest
from filelock import FileLock

from copilot.audio.decode import MixedAudio, load_recording
from copilot.core.phrases import PhraseDetector
from copilot.core.rulebook import Rulebook
from copilot.pipeline.mixed import analyze_mixed
from copilot.pipeline.offline import Analysis
from copilot.voices.embedder import VoiceEmbedder
from tests.fakes import SaysNextStep
from tests.wavs import ROOT

MIXED = ROOT / "tests" / "data" / "mixed"


@pytest.fixture(scope="session")
def guessed_dev_a(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Analysis:
    """dev_a (two real voices) analysed with no clip, profile or question: which voice is the rep is a guess
    (voice 1). Every line heard is "The next step is a pilot." (a stand-in transcriber). Read it, do not change it.

    With several test processes (pytest-xdist) the first to need it analyses it and the others read its result
    from the run's own folder, instead of each spending the same seconds."""
    if worker_id == "master":
        return _analyse_dev_a()
    shared = tmp_path_factory.getbasetemp().parent / "guessed_dev_a.pickle"  # this run's, every worker's
    with FileLock(f"{shared}.lock"):
        if shared.is_file():
            analysis: Analysis = pickle.loads(shared.read_bytes())
            return analysis
        done = _analyse_dev_a()
        shared.write_bytes(pickle.dumps(done))
        return done


def _analyse_dev_a() -> Analysis:
    audio = load_recording(MIXED / "dev_a.opus")
    assert isinstance(audio, MixedAudio)
    return analyze_mixed(audio, SaysNextStep(), PhraseDetector(Rulebook.load()), VoiceEmbedder())
