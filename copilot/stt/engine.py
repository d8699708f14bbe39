"""faster-whisper behind one small interface, so the rest of the app never imports it.

:class:`WhisperEngine` loads a model once and turns a stretch of 16 kHz audio into
:class:`RawSegment` objects with word timestamps. Tests use a fake with the same
``transcribe`` method.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from copilot.core.events import Word
from copilot.stt.models import ModelChoice

__all__ = ["RawSegment", "Engine", "WhisperEngine", "DecodeOptions"]


@dataclass(frozen=True)
class RawSegment:
    """A decoded stretch with Whisper's own confidence, before any cleanup."""

    start: float
    end: float
    text: str
    avg_logprob: float
    no_speech_prob: float
    words: tuple[Word, ...]  # times in seconds from the start of the audio given


@dataclass(frozen=True)
class DecodeOptions:
    """Decoding settings shared by analysis and the benchmarks."""

    beam_size: int = 5
    # Each call sees only speech picked by the VAD; carrying text over between windows is
    # what lets a loop feed itself, so it is off.
    condition_on_previous_text: bool = False


class Engine(Protocol):
    """Anything that transcribes 16 kHz mono audio into segments with word times."""

    def transcribe(self, audio: npt.NDArray[np.float32]) -> list[RawSegment]: ...


class WhisperEngine:
    """A faster-whisper model on the CPU (int8), loaded once."""

    def __init__(self, choice: ModelChoice, threads: int = 2, options: DecodeOptions | None = None) -> None:
        from faster_whisper import WhisperModel

        self.choice = choice
        self.options = options or DecodeOptions()
        self.model: Any = WhisperModel(str(choice.path), device="cpu", compute_type="int8", cpu_threads=threads)

    def transcribe(self, audio: npt.NDArray[np.float32]) -> list[RawSegment]:
        """Speech in ``audio`` as segments with word times (seconds from its start)."""
        segments, _info = self.model.transcribe(
            audio,
            language="en",
            beam_size=self.options.beam_size,
            word_timestamps=True,
            condition_on_previous_text=self.options.condition_on_previous_text,
            vad_filter=False,
        )
        return [
            RawSegment(
                s.start, s.end, s.text, s.avg_logprob, s.no_speech_prob,
                tuple(Word(w.word, w.start, w.end) for w in (s.words or ())),
            )
            for s in segments
        ]
