"""Live capture of the rep's microphone and the call's audio, through python-sounddevice.

The audio callback does one thing: put a copy of the block in a queue (as in
sounddevice's ``rec_unlimited`` example). A worker thread per device downmixes, resamples
to 16 kHz with libswresample (PyAV) and delivers the block to the pipeline. A device that
disappears mid-call (a headset unplugged) is reported through ``notice`` and reopened every
few seconds; the silence while it was gone is filled in, as is the time before a device's first
sample (a sound server's sink can take seconds to wake), so both channels stay on one clock.

Call audio per platform: on Linux the PulseAudio/PipeWire "Monitor of …" source of the
speakers, recorded by name through the sound server (``pulse.py``); on macOS a loopback
device the user installs (BlackHole); on Windows the WASAPI loopback of the speakers
through PyAudioWPatch (``loopback.py``), which delivers nothing while nothing plays, so
that channel's silences are filled from the wall clock.

``sounddevice``, PyAudioWPatch and soundcard are passed in so tests can hand in fake modules.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from copilot.audio.devices import InputDevice
from copilot.audio.loopback import LOOPBACK, open_loopback
from copilot.audio.pulse import SERVER, open_source
from copilot.audio.sources import Deliver, Notice
from copilot.core.events import Speaker
from copilot.core.facts import SAMPLE_RATE

__all__ = ["CaptureSource"]

# A sound server's source delivers a block every few tens of milliseconds, silence included, once it runs
# (its first block may take ~2 s while a sink wakes). One that has sent nothing for this long is taken as
# lost even if its reader has not said so: a reader can stay blocked in the client library when the
# server dies (seen twice in CI: no notice within 20 s of the server stopping).
SERVER_STALL_S = 5.0


class _Channel:
    """One device feeding one speaker: its stream, its queue, its worker."""

    def __init__(self, sd: Any, pa: Any, sc: Any, speaker: Speaker, device: InputDevice, deliver: Deliver,
                 notice: Callable[[str], None], stop: threading.Event, block_s: float) -> None:
        self.sd, self.pa, self.sc, self.speaker, self.device = sd, pa, sc, speaker, device
        self.role = f"Your microphone ({device.name})" if speaker == "rep" else f"The call audio ({device.name})"
        self.deliver, self.notice, self.stop = deliver, notice, stop
        self.block_s = block_s
        self.blocks: queue.Queue[npt.NDArray[np.float32] | None] = queue.Queue()
        self.thread = threading.Thread(target=self._work, name=f"capture-{speaker}", daemon=True)
        self.started = time.monotonic()  # the channel's clock: samples sent should keep up with it
        self.sent = 0
        self._first_at: float | None = None  # when the device's first block came

    def _callback(self, indata: npt.NDArray[np.float32], frames: int, time_info: Any, status: Any) -> None:
        if self._first_at is None:
            self._first_at = time.monotonic()
        self.blocks.put(indata.copy())  # nothing else happens on the audio thread

    def _push(self, block: npt.NDArray[np.float32]) -> None:
        if self._first_at is None:
            self._first_at = time.monotonic()
        self.blocks.put(block)  # the loopback's or the sound server's reader: its block is already a private array

    def _open(self) -> Any:
        if self.device.host == LOOPBACK:
            return open_loopback(self.pa, self.device, self.block_s, self._push)
        if self.device.host == SERVER:
            return open_source(self.sc, self.device, self.block_s, self._push)
        stream = self.sd.InputStream(device=self.device.index, channels=max(1, min(2, self.device.channels)),
                                     samplerate=self.device.rate, dtype="float32",
                                     blocksize=int(self.device.rate * self.block_s), callback=self._callback)
        stream.start()
        return stream

    def _work(self) -> None:
        import av

        resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
        loopback = self.device.host == LOOPBACK
        stream: Any = None
        lost_at: float | None = None
        heard_at = time.monotonic()  # the stream's opening or its last block, for a server source's stall
        while True:  # ends at the stop sentinel, after every block already captured is delivered
            if stream is None:
                if self.stop.is_set():
                    break
                try:
                    stream = self._open()
                    heard_at = time.monotonic()
                    if lost_at is not None:
                        self._catch_up()
                        self.notice(f"{self.role} is back after {time.monotonic() - lost_at:.0f} s.")
                        lost_at = None
                except Exception:  # noqa: BLE001 - any PortAudio failure: try again shortly
                    if lost_at is None:
                        lost_at = time.monotonic()
                        self.notice(f"{self.role} could not be opened; waiting for it, retrying every 2 s.")
                    self.stop.wait(2.0)
                    continue
            try:
                block = self.blocks.get(timeout=0.2)
            except queue.Empty:
                if self.stop.is_set():
                    break
                if loopback:
                    self._catch_up()  # nothing is playing: WASAPI sends nothing, the call clock goes on
                elif not getattr(stream, "active", True) or (
                        self.device.host == SERVER and time.monotonic() - heard_at > SERVER_STALL_S):
                    self.notice(f"{self.role} stopped delivering audio (unplugged?); waiting for it, retrying "
                                "every 2 s.")
                    _close(stream)
                    stream, lost_at = None, time.monotonic()
                continue
            if block is None:
                break
            heard_at = time.monotonic()
            if self.sent == 0:
                self._start_clock(stream, len(block) / self.device.rate)
            mono = block.mean(axis=1, dtype=np.float32) if block.ndim == 2 else block
            frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(mono[None, :]), format="flt", layout="mono")
            frame.sample_rate = int(self.device.rate)
            for out in resampler.resample(frame):
                self._send(np.asarray(out.to_ndarray()[0], dtype=np.float32))
        _close(stream)

    def _send(self, samples: npt.NDArray[np.float32]) -> None:
        self.sent += len(samples)
        self.deliver(self.speaker, samples)

    def _start_clock(self, stream: Any, block_s: float) -> None:
        """Silence for the time between the start and the device's first sample, so that both channels' clocks
        start at the same moment. A device may take seconds to deliver its first block (a sound server's sink
        waking up: 1.7 s for the microphone and 2.1 s for the speakers' monitor on the test server), and the
        buyer's lines would then be placed that much off the rep's. The sound server says how old its first
        block was (``first_sample_at``); otherwise the block's samples end when it came."""
        first = getattr(stream, "first_sample_at", None)
        if first is None and self._first_at is not None:
            first = self._first_at - block_s
        missing = int(((first or self.started) - self.started) * SAMPLE_RATE)
        if missing > 0:
            self._send(np.zeros(missing, dtype=np.float32))

    def _catch_up(self) -> None:
        """Silence for the time this device delivered nothing (lost, or a loopback with nothing playing)."""
        missing = int((time.monotonic() - self.started - self.block_s) * SAMPLE_RATE) - self.sent
        if missing > 0:
            self._send(np.zeros(missing, dtype=np.float32))


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

    def __init__(self, sd: Any, mic: InputDevice, call: InputDevice, block_s: float = 0.05, pa: Any = None,
                 sc: Any = None) -> None:
        """``sd`` is sounddevice, ``pa`` PyAudioWPatch (for a Windows loopback), ``sc`` soundcard (for the
        Linux sound server's sources)."""
        self.sd, self.pa, self.sc, self.mic, self.call, self.block_s = sd, pa, sc, mic, call, block_s
        self._stop = threading.Event()
        self._channels: list[_Channel] = []

    def start(self, deliver: Deliver, ended: Callable[[], None], notice: Notice) -> None:
        """Open both devices and start delivering; a device lost or back is said through ``notice``."""
        self._ended = ended
        roles: tuple[tuple[Speaker, InputDevice], ...] = (("rep", self.mic), ("prospect", self.call))
        self._channels = [_Channel(self.sd, self.pa, self.sc, who, device, deliver, notice, self._stop, self.block_s)
                          for who, device in roles]
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
