"""Who is talking when: streaming voice activity detection on one channel.

The Silero VAD v6 model that ships inside faster-whisper scores each 32 ms frame of
16 kHz audio; its recurrent state is carried from one ``feed`` to the next, so a
recording analysed in one go and a live microphone fed block by block get the same
scores. :class:`SpeechGate` turns those scores into speech spans with hysteresis; it is
plain Python so its rules can be tested with made-up scores.
"""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from copilot.core.events import Speaker, SpeechSpan, SpeechStart
from copilot.core.facts import SAMPLE_RATE

__all__ = ["FRAME", "FRAME_S", "VadSettings", "SpeechStart", "SpeechGate", "SileroVad", "StreamingVad", "silero_path"]

FRAME = 512  # samples per Silero frame at 16 kHz
FRAME_S = FRAME / SAMPLE_RATE
_CONTEXT = 64  # samples of the previous frame the v6 model sees in front of each frame


@dataclass(frozen=True)
class VadSettings:
    """How frame scores become speech spans."""

    threshold: float = 0.5  # a frame at or above this starts speech
    neg_threshold: float = 0.35  # speech goes on until frames fall below this ...
    min_silence_s: float = 0.4  # ... for this long (shorter pauses stay inside the span)
    min_speech_s: float = 0.2  # shorter blips (a click, a cough) are not speech
    pad_s: float = 0.03  # added at each end: the model's frames lag the voice a little


class SpeechGate:
    """Frame scores in, speech starts and finished speech spans out (pure, no model)."""

    def __init__(self, speaker: Speaker, settings: VadSettings | None = None) -> None:
        self.speaker = speaker
        self.settings = settings or VadSettings()
        self.frames = 0  # frames seen so far; frame i covers [i*FRAME_S, (i+1)*FRAME_S)
        self._start: int | None = None  # first frame of the current speech
        self._last_voiced: int = 0  # last frame at or above neg_threshold inside it
        self._announced = False

    @property
    def speaking(self) -> bool:
        """True while a confirmed stretch of speech is open."""
        return self._start is not None and self._announced

    def push(self, probs: Sequence[float] | npt.NDArray[np.float32]) -> list[SpeechStart | SpeechSpan]:
        """Score of each next frame in time order; returns what they settle."""
        s = self.settings
        min_silence = round(s.min_silence_s / FRAME_S)
        min_speech = round(s.min_speech_s / FRAME_S)
        out: list[SpeechStart | SpeechSpan] = []
        for p in probs:
            i = self.frames
            self.frames += 1
            if self._start is None:
                if p >= s.threshold:
                    self._start, self._last_voiced, self._announced = i, i, False
                continue
            if p >= s.neg_threshold:
                self._last_voiced = i
            if not self._announced and self._last_voiced - self._start + 1 >= min_speech:
                self._announced = True
                out.append(SpeechStart(self.speaker, self._t0()))
            if i - self._last_voiced >= min_silence:
                out.extend(self._close())
        return out

    def finish(self) -> list[SpeechStart | SpeechSpan]:
        """The audio ended: close any open speech."""
        if self._start is None:
            return []
        if not self._announced and self._last_voiced - self._start + 1 >= round(self.settings.min_speech_s / FRAME_S):
            self._announced = True
            return [SpeechStart(self.speaker, self._t0()), *self._close()]
        return self._close()

    def _t0(self) -> float:
        assert self._start is not None
        return max(0.0, self._start * FRAME_S - self.settings.pad_s)

    def _close(self) -> list[SpeechStart | SpeechSpan]:
        assert self._start is not None
        span = SpeechSpan(self.speaker, self._t0(), (self._last_voiced + 1) * FRAME_S + self.settings.pad_s)
        announced = self._announced
        self._start, self._announced = None, False
        return [span] if announced else []


def silero_path() -> Path:
    """The Silero VAD v6 ONNX file inside the installed faster-whisper package."""
    spec = importlib.util.find_spec("faster_whisper")
    if spec is None or spec.origin is None:
        raise FileNotFoundError("faster-whisper is not installed, and its Silero VAD model is needed.")
    path = Path(spec.origin).parent / "assets" / "silero_vad_v6.onnx"
    if not path.exists():
        raise FileNotFoundError(f"the installed faster-whisper has no Silero VAD v6 model ({path.name}); "
                                "reinstall faster-whisper 1.2 or newer.")
    return path


_shared: Any = None
_shared_lock = threading.Lock()


def silero_session() -> Any:
    """The Silero ONNX session, made once per process and shared by every channel.

    The model's recurrent state is passed in and out on each call (each :class:`SileroVad`
    keeps its own), so sharing is safe, and onnxruntime's ``run`` may be called from several
    threads. Making it holds the GIL for ~50 ms: the app does it before its event loop.
    """
    global _shared
    with _shared_lock:
        if _shared is None:
            import onnxruntime

            opts = onnxruntime.SessionOptions()
            opts.inter_op_num_threads = 1
            opts.intra_op_num_threads = 1
            opts.log_severity_level = 4
            _shared = onnxruntime.InferenceSession(str(silero_path()), providers=["CPUExecutionProvider"],
                                                   sess_options=opts)
        return _shared


class SileroVad:
    """The Silero v6 ONNX model for one channel, with its recurrent state kept between calls."""

    def __init__(self, session: Any | None = None) -> None:
        self._session = session if session is not None else silero_session()
        self._h = np.zeros((1, 1, 128), dtype=np.float32)
        self._c = np.zeros((1, 1, 128), dtype=np.float32)
        self._context = np.zeros(_CONTEXT, dtype=np.float32)

    def scores(self, frames: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        """Speech probability of each frame; ``frames`` has shape (n, 512) and follows the last call."""
        if len(frames) == 0:
            return np.zeros(0, dtype=np.float32)
        contexts = np.concatenate([self._context[None, :], frames[:-1, -_CONTEXT:]], axis=0)
        batch = np.concatenate([contexts, frames], axis=1)
        probs, self._h, self._c = self._session.run(None, {"input": batch, "h": self._h, "c": self._c})
        self._context = frames[-1, -_CONTEXT:].copy()
        return np.asarray(probs, dtype=np.float32).reshape(-1)


class StreamingVad:
    """Voice activity on one channel, fed any number of samples at a time."""

    def __init__(self, speaker: Speaker, settings: VadSettings | None = None, model: SileroVad | None = None) -> None:
        self.gate = SpeechGate(speaker, settings)
        self.model = model or SileroVad()
        self._pending = np.zeros(0, dtype=np.float32)

    def feed(self, samples: npt.NDArray[np.float32]) -> list[SpeechStart | SpeechSpan]:
        """The next samples of this channel (16 kHz mono float32); returns starts and finished spans."""
        buf = np.concatenate([self._pending, samples.astype(np.float32, copy=False)])
        n = len(buf) // FRAME * FRAME
        self._pending = buf[n:]
        if n == 0:
            return []
        return self.gate.push(self.model.scores(buf[:n].reshape(-1, FRAME)))

    def finish(self) -> list[SpeechStart | SpeechSpan]:
        """The channel ended: score the last partial frame (zero-padded) and close open speech."""
        out: list[SpeechStart | SpeechSpan] = []
        if len(self._pending):
            last = np.zeros(FRAME, dtype=np.float32)
            last[: len(self._pending)] = self._pending
            self._pending = np.zeros(0, dtype=np.float32)
            out = self.gate.push(self.model.scores(last[None, :]))
        return out + self.gate.finish()


def speech_spans(speaker: Speaker, samples: npt.NDArray[np.float32], settings: VadSettings | None = None,
                 block_s: float = 30.0) -> list[SpeechSpan]:
    """All speech spans of a whole recorded channel, scored in blocks through the streaming path."""
    vad = StreamingVad(speaker, settings)
    block = int(block_s * SAMPLE_RATE) // FRAME * FRAME
    events: list[SpeechStart | SpeechSpan] = []
    for i in range(0, len(samples), block):
        events.extend(vad.feed(samples[i : i + block]))
    events.extend(vad.finish())
    return [e for e in events if isinstance(e, SpeechSpan)]
