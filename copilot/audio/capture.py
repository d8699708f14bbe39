"""Live capture of the rep's microphone and the call's audio, through python-sounddevice.

The audio callback does one thing: put a copy of the block in a queue (as in
sounddevice's ``rec_unlimited`` example). A worker thread per device downmixes, resamples
to 16 kHz with libswresample (PyAV) and delivers the block to the pipeline. A device that
disappears mid-call (a headset unplugged) is reported through ``notice`` and reopened every
few seconds; the silence while it was gone is filled in, so both channels stay on one clock.

Call audio per platform: on Linux the PulseAudio/PipeWire "Monitor of …" source of the
speakers; on macOS a loopback device the user installs (BlackHole); on Windows WASAPI
loopback needs PyAudioWPatch, which is not wired in yet.

``sounddevice`` is passed in (or imported lazily) so tests can hand in a fake module.
"""

from __future__ import annotations

import queue
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from copilot.audio.sources import Deliver
from copilot.core.events import Speaker

__all__ = ["DeviceError", "InputDevice", "list_inputs", "pick_devices", "CaptureSource", "load_sounddevice"]

RATE = 16_000
_CALL_HINTS = ("monitor", "blackhole", "loopback", "stereo mix", "what u hear", "soundflower", "vb-audio",
               "cable output")


class DeviceError(Exception):
    """No usable audio device; the message says which and what to do."""


@dataclass(frozen=True)
class InputDevice:
    """An input device as the rep sees it in ``copilot devices``."""

    index: int
    name: str
    channels: int
    rate: float
    is_default: bool

    @property
    def looks_like_call_audio(self) -> bool:
        """True for loopback/monitor devices that carry what the speakers play."""
        low = self.name.lower()
        return any(h in low for h in _CALL_HINTS)


def load_sounddevice() -> Any:
    """The sounddevice module, or a DeviceError saying what is missing."""
    try:
        import sounddevice
    except OSError:
        hint = " (on Debian/Ubuntu: apt install libportaudio2)" if sys.platform.startswith("linux") else ""
        raise DeviceError(f"the PortAudio library is missing, so no microphone can be opened{hint}.") from None
    except ImportError:
        raise DeviceError("the sounddevice package is missing; reinstall Live Call Copilot.") from None
    return sounddevice


def list_inputs(sd: Any) -> list[InputDevice]:
    """Every device that can record, in the order PortAudio lists them."""
    try:
        devices = sd.query_devices()
        default_in = sd.default.device[0] if isinstance(sd.default.device, (list, tuple)) else sd.default.device
    except Exception as e:  # noqa: BLE001 - PortAudio errors reach the rep as one sentence
        raise DeviceError(f"the sound devices could not be listed: {e}.") from None
    return [InputDevice(i, str(d["name"]), int(d["max_input_channels"]), float(d["default_samplerate"]),
                        i == default_in)
            for i, d in enumerate(devices) if int(d["max_input_channels"]) > 0]


def pick_devices(inputs: list[InputDevice], mic: str | None, call: str | None) -> tuple[InputDevice, InputDevice]:
    """The microphone and the call-audio device: by index or name part, else the likely ones."""
    if not inputs:
        raise DeviceError("this machine has no audio input device; plug in a headset, or use --replay FILE.")

    def find(want: str, role: str) -> InputDevice:
        for d in inputs:
            if want.isdigit() and d.index == int(want) or want.lower() in d.name.lower():
                return d
        names = ", ".join(f"{d.index}: {d.name}" for d in inputs)
        raise DeviceError(f"no input device matches --{role} {want!r}; the inputs are {names}.")

    mic_dev = find(mic, "mic") if mic else next((d for d in inputs if d.is_default and not d.looks_like_call_audio),
                                                 next((d for d in inputs if not d.looks_like_call_audio), inputs[0]))
    if call:
        call_dev = find(call, "call")
    else:
        loops = [d for d in inputs if d.looks_like_call_audio]
        if not loops:
            raise DeviceError("no call-audio device found: on Linux pass --call with the \"Monitor of ...\" source of "
                              "your speakers, on macOS install BlackHole and pass --call BlackHole "
                              "(see the README); `copilot devices` lists what there is.")
        call_dev = loops[0]
    if call_dev.index == mic_dev.index:
        raise DeviceError(f"the microphone and the call audio are the same device ({mic_dev.name}); "
                          "pick two different ones with --mic and --call.")
    return mic_dev, call_dev


class _Channel:
    """One device feeding one speaker: its stream, its queue, its worker."""

    def __init__(self, sd: Any, speaker: Speaker, device: InputDevice, deliver: Deliver,
                 notice: Callable[[str], None], stop: threading.Event, block_s: float) -> None:
        self.sd, self.speaker, self.device = sd, speaker, device
        self.deliver, self.notice, self.stop = deliver, notice, stop
        self.block_s = block_s
        self.blocks: queue.Queue[npt.NDArray[np.float32] | None] = queue.Queue()
        self.thread = threading.Thread(target=self._work, name=f"capture-{speaker}", daemon=True)

    def _callback(self, indata: npt.NDArray[np.float32], frames: int, time_info: Any, status: Any) -> None:
        self.blocks.put(indata.copy())  # nothing else happens on the audio thread

    def _open(self) -> Any:
        stream = self.sd.InputStream(device=self.device.index, channels=max(1, min(2, self.device.channels)),
                                     samplerate=self.device.rate, dtype="float32",
                                     blocksize=int(self.device.rate * self.block_s), callback=self._callback)
        stream.start()
        return stream

    def _work(self) -> None:
        import av

        resampler = av.AudioResampler(format="flt", layout="mono", rate=RATE)
        stream: Any = None
        lost_at: float | None = None
        while True:  # ends at the stop sentinel, after every block already captured is delivered
            if stream is None:
                if self.stop.is_set():
                    break
                try:
                    stream = self._open()
                    if lost_at is not None:
                        gap = time.monotonic() - lost_at
                        self.deliver(self.speaker, np.zeros(int(gap * RATE), dtype=np.float32))
                        self.notice(f"{self.device.name} is back after {gap:.0f} s.")
                        lost_at = None
                except Exception:  # noqa: BLE001 - any PortAudio failure: try again shortly
                    if lost_at is None:
                        lost_at = time.monotonic()
                        self.notice(f"{self.device.name} could not be opened; retrying every 2 s.")
                    self.stop.wait(2.0)
                    continue
            try:
                block = self.blocks.get(timeout=0.5)
            except queue.Empty:
                if self.stop.is_set():
                    break
                if not getattr(stream, "active", True):
                    self.notice(f"{self.device.name} stopped delivering audio (unplugged?); retrying every 2 s.")
                    _close(stream)
                    stream, lost_at = None, time.monotonic()
                continue
            if block is None:
                break
            mono = block.mean(axis=1, dtype=np.float32) if block.ndim == 2 else block
            frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(mono[None, :]), format="flt", layout="mono")
            frame.sample_rate = int(self.device.rate)
            for out in resampler.resample(frame):
                self.deliver(self.speaker, np.asarray(out.to_ndarray()[0], dtype=np.float32))
        _close(stream)


def _close(stream: Any) -> None:
    if stream is None:
        return
    try:
        stream.stop()
        stream.close()
    except Exception:  # noqa: BLE001 - a device already gone cannot be closed cleanly
        pass


class CaptureSource:
    """The rep's microphone (speaker "rep") and the call audio (speaker "prospect"), live."""

    def __init__(self, sd: Any, mic: InputDevice, call: InputDevice, notice: Callable[[str], None],
                 block_s: float = 0.05) -> None:
        self.sd, self.mic, self.call, self.notice, self.block_s = sd, mic, call, notice, block_s
        self._stop = threading.Event()
        self._channels: list[_Channel] = []

    def start(self, deliver: Deliver, ended: Callable[[], None]) -> None:
        """Open both devices and start delivering."""
        self._ended = ended
        self._channels = [_Channel(self.sd, "rep", self.mic, deliver, self.notice, self._stop, self.block_s),
                          _Channel(self.sd, "prospect", self.call, deliver, self.notice, self._stop, self.block_s)]
        for c in self._channels:
            c.thread.start()

    def stop(self) -> None:
        """Close both devices; the pipeline is told the audio has ended."""
        if self._stop.is_set():
            return
        self._stop.set()
        for c in self._channels:
            c.blocks.put(None)
        for c in self._channels:
            c.thread.join(timeout=2.0)
        self._ended()
