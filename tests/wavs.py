"""Small audio files for tests, written with the standard library."""

from __future__ import annotations

import wave
from functools import cache
from pathlib import Path

import numpy as np

from copilot.audio.decode import CallAudio, load_call
from copilot.core.facts import SAMPLE_RATE

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "assets" / "samples" / "discovery_call.opus"


@cache
def sample_call() -> CallAudio:
    """The sample call, decoded once per test process (a decode is 0.4 s; dozens of tests replay it).

    Its tracks are read-only, so a test that changed them in place for the next one fails instead.
    """
    call = load_call(SAMPLE)
    call.rep.setflags(write=False)
    call.prospect.setflags(write=False)
    return call


def first_seconds(call: CallAudio, seconds: float) -> CallAudio:
    """The start of a call (views, no copy): for tests that need only its first minutes."""
    n = int(seconds * SAMPLE_RATE)
    return CallAudio(call.rep[:n], call.prospect[:n], call.source)


def write_wav(path: Path, channels: list[np.ndarray], rate: int) -> Path:
    """16-bit PCM WAV with one array per channel (values in -1..1)."""
    data = np.stack(channels, axis=1) if channels else np.zeros((0, 1))
    with wave.open(str(path), "wb") as w:
        w.setnchannels(len(channels) or 1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes((np.clip(data, -1, 1) * 32767).astype("<i2").tobytes())
    return path


def tone(seconds: float, rate: int, hz: float = 220.0, level: float = 0.3) -> np.ndarray:
    """A sine tone: sound, but not speech."""
    t = np.arange(int(seconds * rate)) / rate
    return (level * np.sin(2 * np.pi * hz * t)).astype(np.float32)
