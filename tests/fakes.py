"""The stand-ins the tests share: a clock, transcribers, sound modules; never used by the product.

Each is the smallest thing with the real interface (the ``Engine`` protocol's
``transcribe``, sounddevice's ``InputStream`` and ``query_devices``, PyAudioWPatch's
``PyAudio``), so a test drives the real pipeline, capture or review with it.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import numpy as np
import numpy.typing as npt

from copilot.core.events import Word
from copilot.core.facts import SAMPLE_RATE
from copilot.pipeline.events import Stamped
from copilot.pipeline.sinks import event_json
from copilot.stt.engine import RawSegment

RATE = SAMPLE_RATE


class LoggedEvents(list[dict[str, Any]]):
    """A sink that keeps each event as the event log writes it (the JSON contract), for tests to read."""

    def __call__(self, stamped: Stamped) -> None:
        self.append(event_json(stamped))


class FakeClock:
    """Time moves only when the replay sleeps: the call plays instantly, on a consistent clock."""

    def __init__(self) -> None:
        self.t = 0.0
        self.lock = threading.Lock()

    def __call__(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        with self.lock:
            self.t += seconds


class SaysNextStep:
    """Hears "The next step is a pilot." in any audio of 2 s or more, nothing in shorter audio."""

    def __init__(self) -> None:
        self.lengths: list[float] = []

    def transcribe(self, audio: npt.NDArray[np.float32], context: str = "") -> list[RawSegment]:
        self.lengths.append(len(audio) / RATE)
        if len(audio) < 2 * RATE:
            return []
        words = tuple(Word(w, 0.3 + 0.2 * i, 0.45 + 0.2 * i)
                      for i, w in enumerate([" The", " next", " step", " is", " a", " pilot."]))
        return [RawSegment(0.3, 1.45, " The next step is a pilot.", -0.2, 0.01, words)]


class AlwaysSaysNextStep:
    """A fake transcriber that hears "The next step is a pilot." at the start of every window."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def transcribe(self, audio: npt.NDArray[np.float32], context: str = "") -> list[RawSegment]:
        self.seconds += len(audio) / RATE
        words = tuple(Word(w, 0.6 + 0.2 * i, 0.75 + 0.2 * i)
                      for i, w in enumerate([" The", " next", " step", " is", " a", " pilot."]))
        return [RawSegment(0.6, 1.75, " The next step is a pilot.", -0.2, 0.01, words)]


class FakeEngine:
    """Says one word per piece of speech it is given, at the middle of each loud stretch."""

    def __init__(self, drop_after_s: float | None = None, text: str = " hello") -> None:
        self.calls: list[float] = []
        self.drop_after_s = drop_after_s
        self.text = text

    def transcribe(self, audio: npt.NDArray[np.float32], context: str = "") -> list[RawSegment]:
        self.calls.append(len(audio) / RATE)
        loud = np.abs(audio) > 0.1
        edges = np.flatnonzero(np.diff(loud.astype(np.int8)))
        bounds = list(zip(edges[::2] / RATE, edges[1::2] / RATE, strict=False))
        words = [Word(self.text, a, b) for a, b in bounds]
        if self.drop_after_s is not None and len(self.calls) == 1:
            words = [w for w in words if w.end < self.drop_after_s]
        if not words:
            return []
        return [RawSegment(words[0].start, words[-1].end, "".join(w.text for w in words), -0.2, 0.01, tuple(words))]


DEVICES = [
    {"name": "Built-in Microphone", "max_input_channels": 1, "default_samplerate": 48_000.0},
    {"name": "Speakers", "max_input_channels": 0, "default_samplerate": 48_000.0},
    {"name": "Monitor of Built-in Audio Analog Stereo", "max_input_channels": 2, "default_samplerate": 44_100.0},
    {"name": "USB Headset", "max_input_channels": 1, "default_samplerate": 16_000.0},
]


class FakeStream:
    """Calls back with blocks of a tone from its own thread, like PortAudio; can be 'unplugged'."""

    def __init__(self, sd: FakeSoundDevice, device: int, channels: int, samplerate: float, dtype: str,
                 blocksize: int, callback: Any) -> None:
        if device in sd.broken:
            raise RuntimeError("Device unavailable")
        self.sd, self.channels, self.rate, self.block, self.callback = sd, channels, samplerate, blocksize, callback
        self.active = False
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.device = device

    def start(self) -> None:
        self.active = True
        self._thread.start()

    def _run(self) -> None:
        time.sleep(self.sd.wakes_after.get(self.device, 0.0))
        for _ in range(self.sd.blocks):
            if not self.active or self.device in self.sd.broken:
                break
            self.callback(np.full((self.block, self.channels), 0.25, dtype=np.float32), self.block, None, None)
            if self.sd.pace_s:
                time.sleep(self.sd.pace_s)
        self.active = False
        self.sd.done.release()

    def stop(self) -> None:
        self.active = False

    def close(self) -> None:
        pass


class InputOutputPair:
    """As real sounddevice's ``default.device``: indexable (input, output), but not a list or tuple."""

    def __init__(self, input_device: int, output_device: int) -> None:
        self._pair = (input_device, output_device)

    def __getitem__(self, key: int) -> int:
        return self._pair[key]

    def __repr__(self) -> str:
        return f"[{self._pair[0]}, {self._pair[1]}]"


class FakeSoundDevice:
    def __init__(self, blocks: int = 20) -> None:
        self.default = type("Default", (), {"device": InputOutputPair(0, 1)})()
        self.blocks = blocks
        self.broken: set[int] = set()
        self.wakes_after: dict[int, float] = {}  # device -> seconds before its first block comes
        # Seconds between two blocks of a stream (a real device: the block's length); 0 delivers them as fast as
        # the callback takes them, which keeps a core busy for as long as the stream runs.
        self.pace_s = 0.0
        self.done = threading.Semaphore(0)

    def query_devices(self) -> list[dict[str, Any]]:
        return DEVICES

    def InputStream(self, **kwargs: Any) -> FakeStream:  # noqa: N802 - the sounddevice name
        return FakeStream(self, **kwargs)


class FakeLoopbackStream:
    """PyAudioWPatch's stream: bytes to a callback from its own thread, then nothing (nothing is playing)."""

    def __init__(self, pa: FakePyAudioWPatch, channels: int, frames_per_buffer: int, stream_callback: Any,
                 **kwargs: Any) -> None:
        self.pa, self.channels, self.frames, self.callback = pa, channels, frames_per_buffer, stream_callback
        self.stopped = False
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start_stream(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        block = np.full((self.frames, self.channels), 0.25, dtype=np.float32).tobytes()
        for _ in range(self.pa.blocks):
            assert self.callback(block, self.frames, None, 0) == (None, self.pa.paContinue)
        self.pa.done.release()

    def is_active(self) -> bool:
        return not self.stopped  # WASAPI keeps the stream open through silence

    def stop_stream(self) -> None:
        self.stopped = True

    def close(self) -> None:
        pass


class FakePyAudioWPatch:
    """The parts of the pyaudiowpatch module the loopback source uses."""

    paFloat32 = 1  # noqa: N815 - the module's names
    paContinue = 0  # noqa: N815

    def __init__(self, blocks: int = 10) -> None:
        self.blocks = blocks
        self.done = threading.Semaphore(0)
        self.terminated = 0
        pa = self

        class PyAudio:
            def get_default_wasapi_loopback(self) -> dict[str, Any]:
                return LOOPBACKS[1]

            def get_loopback_device_info_generator(self) -> Any:
                return iter(LOOPBACKS)

            def open(self, **kwargs: Any) -> FakeLoopbackStream:
                assert kwargs["input"] and kwargs["format"] == pa.paFloat32
                return FakeLoopbackStream(pa, **{k: kwargs[k] for k in ("channels", "frames_per_buffer",
                                                                       "stream_callback")})

            def terminate(self) -> None:
                pa.terminated += 1

        self.PyAudio = PyAudio


LOOPBACKS = [
    {"index": 7, "name": "HDMI Display [Loopback]", "maxInputChannels": 2, "defaultSampleRate": 48_000.0},
    {"index": 9, "name": "Speakers (Realtek Audio) [Loopback]", "maxInputChannels": 2, "defaultSampleRate": 48_000.0},
]


class StandInSounddevice:
    """Records what would have been played."""

    def __init__(self) -> None:
        self.played: list[tuple[np.ndarray, int]] = []
        self.stopped = 0

    def play(self, data: np.ndarray, rate: int) -> None:
        self.played.append((data, rate))

    def stop(self) -> None:
        self.stopped += 1


def level(seconds: float, value: float) -> np.ndarray:
    """A block of constant level: the simplest audio to check written and read back."""
    return np.full(int(seconds * RATE), value, dtype=np.float32)


class FakeSoundcard:
    """The parts of soundcard (over the Linux sound server) that listing sources uses."""

    class _Mic:
        def __init__(self, id: str, name: str, channels: int, isloopback: bool) -> None:
            self.id, self.name, self.channels, self.isloopback = id, name, channels, isloopback

    def __init__(self) -> None:
        self.mics = [self._Mic("alsa_output.pci.analog-stereo.monitor", "Monitor of Built-in Audio Analog Stereo", 2,
                               True),
                     self._Mic("alsa_input.pci.analog-stereo", "Built-in Audio Analog Stereo", 2, False),
                     self._Mic("bluez_input.headset", "Jabra Evolve2 Headset", 1, False)]
        server_info = {"default source id": "bluez_input.headset", "default sink id": "alsa_output.pci.analog-stereo"}
        self.pulseaudio = type("PulseModule", (), {"_pulse": type("Pulse", (), {"server_info": server_info})()})()

    def all_microphones(self, include_loopback: bool = False) -> list[Any]:
        return [m for m in self.mics if include_loopback or not m.isloopback]
