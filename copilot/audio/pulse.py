"""Linux capture through the sound server (PulseAudio, or PipeWire's PulseAudio service), via soundcard.

PortAudio sees the sound server only as one ``pulse`` device, so the monitor of the
speakers (the call's audio) cannot be picked, and ``PULSE_SOURCE`` moves *both* streams
to one source. soundcard (BSD-3, cffi over libpulse, no compiled code of its own) lists
every source by name, monitors included, and records each by name, one stream each.

Three things soundcard does not do are done here, against its documented internals (the
version is pinned and CI records from a real server, so a change shows):

- a record stream is connected with ``PA_STREAM_DONT_MOVE``: when its source goes away
  the server ends it instead of silently moving it to the default source (which put the
  call's audio on the rep's channel); the capture channel then says so and waits for
  the source to come back;
- soundcard holds one connection to the server, made at import; after the server
  restarts it is renewed before a stream is reopened;
- the server is asked how old a stream's first block is (its latency), so that the capture
  channel can place the first sample at the moment it was recorded.

The server resamples to 16 kHz mono, as PulseAudio clients do, so the capture channel
gets blocks it only has to pass on.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from copilot.audio.inputs import InputDevice
from copilot.core.facts import SAMPLE_RATE

__all__ = ["SERVER", "load_soundcard", "list_sources", "open_source", "renew_connection"]

SERVER = "pulse"  # InputDevice.host of the sound server's sources


def load_soundcard() -> Any | None:
    """soundcard connected to the sound server, or None: not Linux, no libpulse, or no server running."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import soundcard
    except Exception:  # noqa: BLE001 - soundcard connects at import: no server is an AssertionError there
        return None
    return soundcard


def list_sources(sc: Any) -> list[InputDevice]:
    """Every source of the sound server, monitors (the call's audio) included and marked; the default
    source, and the monitor of the default speakers, marked as the likely ones."""
    server = sc.pulseaudio._pulse.server_info
    default_source = server.get("default source id")
    default_monitor = f"{server.get('default sink id')}.monitor"
    out = []
    for i, mic in enumerate(sc.all_microphones(include_loopback=True)):
        loopback = bool(mic.isloopback)
        out.append(InputDevice(i, str(mic.name), int(mic.channels), float(SAMPLE_RATE),
                               mic.id == (default_monitor if loopback else default_source), host=SERVER,
                               source=str(mic.id), loopback=loopback))
    return out


class _SourceStream:
    """A record stream of one source, read on its own thread, shaped like a sounddevice stream for the
    capture channel (``active``, ``stop()``, ``close()``)."""

    def __init__(self, pulse: Any, recorder: Any, frames: int, push: Callable[[npt.NDArray[np.float32]], None]) -> None:
        self._pulse, self._recorder, self._frames, self._push = pulse, recorder, frames, push
        self._stop = threading.Event()
        self.active = True
        self.first_sample_at: float | None = None  # monotonic time the first block's first sample was captured
        self._thread = threading.Thread(target=self._read, name="pulse-source", daemon=True)
        self._thread.start()

    def _read(self) -> None:
        try:
            while not self._stop.is_set():
                block = np.ascontiguousarray(self._recorder.record(self._frames)[:, 0], dtype=np.float32)
                if self._stop.is_set():
                    break  # closed while it waited (the channel gave it up as stalled): its block is not the call's
                if self.first_sample_at is None:
                    self.first_sample_at = time.monotonic() - self._age() - len(block) / SAMPLE_RATE
                self._push(block)
        except Exception:  # noqa: BLE001 - the source went away (the server ends a stream that may not move)
            pass
        finally:
            self.active = False

    def _age(self) -> float:
        """How old the last sample handed over is, in seconds: what the server says it still holds (its
        latency) and what soundcard read past the block and keeps for the next one (that alone when the server
        cannot say)."""
        held = len(self._recorder._pending_chunk) / max(1, int(self._recorder.channels)) / SAMPLE_RATE
        try:
            p, pa, ffi = self._pulse._pulse, self._pulse._pa, self._pulse._ffi
            if not self._timing_updated(p, pa, ffi):
                return held
            usec, negative = ffi.new("pa_usec_t*"), ffi.new("int*")
            if p._pa_stream_get_latency(self._recorder.stream, usec, negative) != 0 or negative[0]:
                return held
            return held + int(usec[0]) / 1e6
        except Exception:  # noqa: BLE001 - a stream the server has just ended: the block is as good as new
            return held

    def _timing_updated(self, p: Any, pa: Any, ffi: Any) -> bool:
        """Ask the server for the stream's timing and wait for it, at most half a second: a server going away
        must not hold the reader (soundcard's own wrapper waits without end, and aborts on a refused request)."""
        with p._lock_mainloop():
            operation = pa.pa_stream_update_timing_info(self._recorder.stream, ffi.NULL, ffi.NULL)
        if operation == ffi.NULL:
            return False
        try:
            deadline = time.monotonic() + 0.5
            while p._pa_operation_get_state(operation) == pa.PA_OPERATION_RUNNING and time.monotonic() < deadline:
                time.sleep(0.001)
            return bool(p._pa_operation_get_state(operation) == pa.PA_OPERATION_DONE)
        finally:
            p._pa_operation_unref(operation)

    def stop(self) -> None:
        self._stop.set()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=1.0)
        if self._thread.is_alive():
            return  # its reader is stuck in the client library: closing would wait on it without end
        # soundcard waits for the server to end the stream, without end if the server never answers.
        ending = threading.Thread(target=self._end, name="pulse-close", daemon=True)
        ending.start()
        ending.join(timeout=1.0)

    def _end(self) -> None:
        try:
            self._recorder.__exit__(None, None, None)
        except Exception:  # noqa: BLE001 - a stream the server already ended cannot be closed cleanly
            pass


def open_source(sc: Any, device: InputDevice, block_s: float,
                push: Callable[[npt.NDArray[np.float32]], None]) -> _SourceStream:
    """Start recording ``device`` by its source name, 16 kHz mono, ``block_s`` at a time, into ``push``;
    raises if the source (or the server) is not there."""
    pulse = sc.pulseaudio
    renew_connection(pulse)
    if not any(m["id"] == device.source for m in pulse._pulse.source_list):
        raise LookupError(f"no source {device.source}")
    frames = int(SAMPLE_RATE * block_s)
    recorder = _fixed_recorder(pulse)(device.source, SAMPLE_RATE, [-1], blocksize=frames,
                                      name=f"Live Call Copilot ({device.name})")
    recorder.__enter__()
    return _SourceStream(pulse, recorder, frames, push)


# Both capture channels reopen their source after a server restart, usually within milliseconds of each
# other (both see it go at once). Unserialised, each could make a connection and the later replace the
# earlier while the first channel's new stream lived on the one dropped: soundcard's recorder reaches its
# connection through the module-level ``_pulse``, so that stream would be read under another connection's
# lock. A likely cause of a rare stall in CI, where one channel's "is back" never came.
_RENEWING = threading.Lock()


def renew_connection(pulse: Any) -> None:
    """A new connection to the server if soundcard's died (the server was restarted); one at a time, so both
    channels go on with the same one."""
    with _RENEWING:
        current = pulse._pulse
        if current._pa_context_get_state(current.context) != pulse._pa.PA_CONTEXT_READY:
            pulse._pulse = pulse._PulseAudio()  # raises while the server is still away


_FIXED: dict[int, type] = {}


def _fixed_recorder(pulse: Any) -> type:
    """soundcard's recorder, connected so the server never moves it to another source."""
    key = id(pulse)
    if key not in _FIXED:

        class FixedRecorder(pulse._Recorder):  # type: ignore[misc]
            def _connect_stream(self, bufattr: Any) -> None:
                flags = pulse._pa.PA_STREAM_ADJUST_LATENCY | pulse._pa.PA_STREAM_DONT_MOVE
                pulse._pulse._pa_stream_connect_record(self.stream, self._id.encode(), bufattr, flags)

                def read_callback(stream: Any, nbytes: int, userdata: Any) -> None:
                    self._record_event.set()

                self._callback = pulse._ffi.callback("pa_stream_request_cb_t")(read_callback)
                pulse._pulse._pa_stream_set_read_callback(self.stream, self._callback, pulse._ffi.NULL)

        _FIXED[key] = FixedRecorder
    return _FIXED[key]
