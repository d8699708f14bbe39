"""faster-whisper behind one small interface, so the rest of the app never imports it.

:class:`WhisperEngine` loads a model once and turns a stretch of 16 kHz audio into
:class:`RawSegment` objects with word timestamps. Tests use a fake with the same
``transcribe`` method.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from copilot.core.events import Word
from copilot.core.facts import SAMPLE_RATE
from copilot.stt.models import ModelChoice

__all__ = ["RawSegment", "Engine", "WhisperEngine", "DecodeOptions", "ShortWindows", "StageTimes", "decode_with_rest"]

_SEED = 0  # any fixed number: what matters is that it does not change between runs


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

    def transcribe(self, audio: npt.NDArray[np.float32], context: str = "") -> list[RawSegment]:
        """Speech in ``audio``; ``context`` is what was said just before it (a hint, not heard again)."""
        ...


class WhisperEngine:
    """A faster-whisper model on the CPU (int8), loaded once."""

    def __init__(self, choice: ModelChoice, threads: int = 2, options: DecodeOptions | None = None) -> None:
        from faster_whisper import WhisperModel

        self.choice = choice
        self.options = options or DecodeOptions()
        self.model: Any = WhisperModel(str(choice.path), device="cpu", compute_type="int8", cpu_threads=threads)

    def transcribe(self, audio: npt.NDArray[np.float32], context: str = "") -> list[RawSegment]:
        """Speech in ``audio`` as segments with word times (seconds from its start)."""
        import ctranslate2

        # Whisper decodes again by sampling (temperature 0.2 and up) when a decode loops ("one one one…"), and
        # CTranslate2 seeded its sampler at random: a recording analysed twice was heard two ways. Setting the seed
        # re-seeds every thread's sampler; separate `copilot analyze` runs now agree (docs/analysis.md).
        ctranslate2.set_random_seed(_SEED)
        segments, _info = self.model.transcribe(
            audio,
            language="en",
            initial_prompt=context or None,
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


# Encoder window sizes for live transcription. faster-whisper pads every call to 30 s
# (0.56 s of encoder on 2 cores); the CTranslate2 encoder accepts shorter inputs, and an
# utterance padded only to the next bucket costs a fraction of that (10 s: 0.07 s).
BUCKETS_S = (5, 10, 15, 20, 30)
REST_S = 1.0  # audio left after the last word that is decoded again
CONTEXT_TOKENS = 48  # of the words said before a window, as Whisper's previous text


STAGES = ("features", "encoder", "decoder", "alignment")


@dataclass
class StageTimes:
    """Where live decoding spends its CPU: seconds of the process's CPU time per stage.

    CTranslate2 runs the encoder and decoder in threads of its own, invisible to a Python
    profiler; the process's CPU time around each call counts them (and, a little, whatever
    other threads did meanwhile).
    """

    cpu_s: dict[str, float] = field(default_factory=lambda: dict.fromkeys(STAGES, 0.0))
    windows: dict[int, int] = field(default_factory=dict)  # decodes per encoder window (seconds)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Count the CPU time of the block as ``name``."""
        before = time.process_time()
        try:
            yield
        finally:
            self.cpu_s[name] += time.process_time() - before


class ShortWindows:
    """Live decoding of one utterance at a time with the smallest encoder window that holds it.

    The audio is zero-padded to the bucket (as Whisper itself pads audio, not features),
    decoded with a beam of 5 (greedy measured worse on the sample: live WER 17.2% vs 15.5%)
    without timestamps and with a token budget in proportion to its length (so a short
    window cannot loop), then aligned word by word; words aligned into the padding are
    dropped.
    """

    def __init__(self, engine: WhisperEngine, beam_size: int = 5) -> None:
        from faster_whisper.tokenizer import Tokenizer
        from faster_whisper.transcribe import get_suppressed_tokens

        self.model = engine.model
        self.beam_size = beam_size
        self.tokenizer = Tokenizer(self.model.hf_tokenizer, self.model.model.is_multilingual,
                                   task="transcribe", language="en")
        self.suppress = get_suppressed_tokens(self.tokenizer, (-1,))
        self.prompt = [*self.tokenizer.sot_sequence, self.tokenizer.no_timestamps]
        self.times = StageTimes()

    def transcribe(self, audio: npt.NDArray[np.float32], context: str = "") -> list[RawSegment]:
        """The words in ``audio`` (at most 30 s) with their times; empty for silence.

        ``context``, the words said just before the audio, goes to Whisper as previous text
        (its last CONTEXT_TOKENS tokens). In a short window Whisper often ends after one
        sentence though more was said (it was trained on 30 s windows); when a second or
        more of audio is left after the last word, that rest is decoded on its own (at most
        twice), with what was heard before it as context when ``context`` was given.
        """
        return decode_with_rest(self._decode, audio, context)

    def _decode(self, audio: npt.NDArray[np.float32], context: str = "") -> RawSegment | None:
        """One window: what Whisper hears in ``audio`` (times from its start), or None."""
        rate = SAMPLE_RATE
        duration = len(audio) / rate
        bucket = next((b for b in BUCKETS_S if duration + 0.3 <= b), BUCKETS_S[-1])
        padded = np.zeros(bucket * rate, dtype=np.float32)
        padded[: min(len(audio), len(padded))] = audio[: len(padded)]
        prompt = self.prompt
        if context.strip():
            before = self.tokenizer.encode(" " + context.strip())[-CONTEXT_TOKENS:]
            prompt = [self.tokenizer.sot_prev, *before, *self.prompt]
        times = self.times
        times.windows[bucket] = times.windows.get(bucket, 0) + 1
        with times.stage("features"):
            features = self.model.feature_extractor(padded, padding=0)[:, : bucket * 100]
        with times.stage("encoder"):
            encoded = self.model.encode(features)
        with times.stage("decoder"):
            result = self.model.model.generate(
                encoded, [prompt], beam_size=self.beam_size,
                # Room for fast speech (a tighter budget cut "push for a yes." to "push for"), still
                # short enough that a loop cannot run on.
                max_length=len(prompt) + int(duration * 10) + 16,
                return_scores=True, return_no_speech_prob=True, suppress_blank=True, suppress_tokens=self.suppress,
            )[0]
        tokens = result.sequences_ids[0]
        if not tokens:
            return None
        with times.stage("alignment"):
            aligned = self.model.find_alignment(self.tokenizer, [tokens], encoded, bucket * 100)
        # Words placed in the zero padding after the audio were never said: a small model
        # fills the padding by repeating itself ("That sounds manageable. That sounds ...").
        words = tuple(Word(w["word"], float(w["start"]), min(float(w["end"]), duration))
                      for w in (aligned[0] if aligned else []) if float(w["start"]) < duration - 0.05)
        if not words:
            return None
        avg_logprob = float(result.scores[0]) if result.scores else 0.0
        text = "".join(w.text for w in words)
        return RawSegment(0.0, words[-1].end, text, avg_logprob, float(result.no_speech_prob), words)


def decode_with_rest(decode: Callable[[npt.NDArray[np.float32], str], RawSegment | None],
                     audio: npt.NDArray[np.float32], context: str = "", rate: int = SAMPLE_RATE) -> list[RawSegment]:
    """``decode`` over ``audio``, then again over what is left after the last word heard (at most twice more)."""
    out: list[RawSegment] = []
    offset = 0.0
    for _ in range(3):
        # Finals (no context given) decode their rest without one: with the text before it as
        # context, the prospect's packed finals on the hiring call had 54% WER live instead of 47%.
        said = " ".join(t.strip() for t in [context, *(seg.text for seg in out)] if t.strip()) if context else ""
        heard = decode(audio[round(offset * rate):], said)
        if heard is None or out and _norm_text(heard.text) in _norm_text(out[-1].text):
            break  # nothing more, or the rest only echoes what was heard (as it does from silence)
        out.append(_shifted(heard, offset))
        if len(audio) / rate - (offset + heard.end) < REST_S:
            break
        offset += _heard_until(heard)
    return out


def _heard_until(seg: RawSegment) -> float:
    """Where the last spoken word ends. Alignment stretches a final full stop (and often the last
    word) over whatever Whisper left out, so neither may claim more than half a second."""
    spoken = [w for w in seg.words if any(ch.isalnum() for ch in w.text)] or list(seg.words)
    last = spoken[-1]
    return min(last.end, last.start + 0.5)


def _norm_text(text: str) -> str:
    return " ".join("".join(ch for ch in word if ch.isalnum()) for word in text.lower().split())


def _shifted(seg: RawSegment, by: float) -> RawSegment:
    """``seg`` moved ``by`` seconds later."""
    if not by:
        return seg
    return RawSegment(seg.start + by, seg.end + by, seg.text, seg.avg_logprob, seg.no_speech_prob,
                      tuple(Word(w.text, w.start + by, w.end + by) for w in seg.words))
