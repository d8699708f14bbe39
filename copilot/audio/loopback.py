"""Windows call audio: WASAPI loopback of the speakers, through PyAudioWPatch.

python-sounddevice cannot record what the speakers play on Windows; PyAudioWPatch (a
maintained PyAudio fork, installed on Windows only) exposes each WASAPI output as a
"[Loopback]" input. Its devices join the list beside sounddevice's, numbered ``L<n>`` so
the two PortAudio builds' indices never clash, and open into the same stream interface
the capture channels use (``active``, ``stop()``, ``close()``).

WASAPI loopback delivers nothing while nothing plays; the capture channel fills that
silence from the wall clock so the prospect's speech stays at its true call time.

The module is passed in (or imported lazily) so tests can hand in a fake one.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from copilot.audio.inputs import InputDevice

__all__ = ["LOOPBACK", "load_pyaudiowpatch", "list_loopbacks", "open_loopback"]

LOOPBACK = "wasapi-loopback"  # InputDevice.host of these devices


def load_pyaudiowpatch() -> Any | None:
    """The PyAudioWPatch module on Windows when installed, else None (other platforms use sounddevice)."""
    if sys.platform != "win32":
        return None
    try:
        import pyaudiowpatch
    except ImportError:
        return None
    return pyaudiowpatch


def list_loopbacks(pa: Any) -> list[InputDevice]:
    """Every WASAPI loopback input; the one of the default speakers is marked default."""
    audio = pa.PyAudio()
    try:
        try:
            default = int(audio.get_default_wasapi_loopback()["index"])
        except (OSError, LookupError):
            default = -1
        return [InputDevice(int(d["index"]), str(d["name"]), int(d["maxInputChannels"]),
                            float(d["defaultSampleRate"]), int(d["index"]) == default, host=LOOPBACK,
                            loopback=True)
                for d in audio.get_loopback_device_info_generator()]
    finally:
        audio.terminate()


class _LoopbackStream:
    """A running PyAudioWPatch stream, shaped like a sounddevice stream for the capture channel."""

    def __init__(self, audio: Any, stream: Any) -> None:
        self._audio, self._stream = audio, stream

    @property
    def active(self) -> bool:
        return bool(self._stream.is_active())

    def stop(self) -> None:
        self._stream.stop_stream()

    def close(self) -> None:
        try:
            self._stream.close()
        finally:
            self._audio.terminate()


def open_loopback(pa: Any, device: InputDevice, block_s: float,
                  push: Callable[[npt.NDArray[np.float32]], None]) -> _LoopbackStream:
    """Start recording ``device``; every block (frames x channels, float32) goes to ``push``."""
    channels = max(1, min(2, device.channels))

    def callback(in_data: bytes, frame_count: int, time_info: Any, status: int) -> tuple[None, int]:
        push(np.frombuffer(in_data, dtype=np.float32).reshape(-1, channels))  # a view of immutable bytes
        return None, pa.paContinue

    audio = pa.PyAudio()
    try:
        stream = audio.open(format=pa.paFloat32, channels=channels, rate=int(device.rate), input=True,
                            input_device_index=device.index, frames_per_buffer=int(device.rate * block_s),
                            stream_callback=callback)
        stream.start_stream()
    except Exception:
        audio.terminate()
        raise
    return _LoopbackStream(audio, stream)
