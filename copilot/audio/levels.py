"""Live input levels for the control window, so the rep can see which device moves when they talk.

Each watched device gets a stream whose callback only stores the block's peak (one
number, no allocation); the window reads the peaks with a timer. Devices come from the
same listing as ``copilot devices``; with no sound system, or none of the chosen devices,
the window gets a sentence instead.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from copilot.audio.devices import DeviceError, InputDevice, list_inputs, pick_devices
from copilot.audio.pulse import SERVER, open_source

__all__ = ["LevelMonitor"]


class LevelMonitor:
    """Peak levels of the chosen microphone and call-audio device while no session runs."""

    def __init__(self, sd: Any = None, pa: Any = None, sc: Any = None) -> None:
        self.sd, self.pa, self.sc = sd, pa, sc
        self._streams: list[Any] = []
        self._peaks = [0.0, 0.0]

    def inputs(self) -> tuple[list[InputDevice], str | None]:
        """The input devices, or none and a sentence saying why."""
        if self.sd is None and self.sc is None:
            return [], "No sound system was found, so only recordings can be replayed (copilot demo)."
        try:
            found = list_inputs(self.sd, self.pa, self.sc)
        except DeviceError as e:
            return [], str(e)[:1].upper() + str(e)[1:]
        return found, None if found else "No microphone or call-audio input was found."

    def watch(self, mic: str, call: str) -> str | None:
        """Start showing the levels of these devices ("" = the likely one); a sentence if one cannot open."""
        self.close()
        inputs, problem = self.inputs()
        if problem:
            return problem
        try:
            devices = pick_devices(inputs, mic or None, call or None)
        except DeviceError as e:
            return str(e)[:1].upper() + str(e)[1:]
        for slot, device in enumerate(devices):
            if device.host == SERVER:
                try:
                    self._streams.append(open_source(self.sc, device, 0.05, self._pusher(slot)))
                except Exception:  # noqa: BLE001 - a source that cannot open shows no level; the session says why
                    pass
                continue
            if device.host != "portaudio":
                continue  # a Windows loopback has no level until a session opens it
            try:
                stream = self.sd.InputStream(device=device.index, channels=1, samplerate=device.rate,
                                             dtype="float32", blocksize=int(device.rate * 0.05),
                                             callback=self._callback(slot))
                stream.start()
            except Exception as e:  # noqa: BLE001 - PortAudio errors become a sentence
                return f"{device.name} could not be opened: {e}."
            self._streams.append(stream)
        return None

    def _pusher(self, slot: int) -> Any:
        def store_peak(block: npt.NDArray[np.float32]) -> None:
            self._peaks[slot] = max(self._peaks[slot], float(np.abs(block).max(initial=0.0)))

        return store_peak

    def _callback(self, slot: int) -> Any:
        def store_peak(indata: npt.NDArray[np.float32], frames: int, time_info: Any, status: Any) -> None:
            self._peaks[slot] = max(self._peaks[slot], float(np.abs(indata).max(initial=0.0)))

        return store_peak

    def levels(self) -> tuple[float, float]:
        """The peaks since the last call (0..1), microphone then call audio."""
        mic, call = self._peaks
        self._peaks = [mic * 0.5, call * 0.5]  # fall back smoothly between reads
        return min(1.0, mic), min(1.0, call)

    def close(self) -> None:
        """Stop watching (a session is about to open the devices)."""
        for stream in self._streams:
            try:
                stream.stop()
                stream.close()
            except Exception:  # noqa: BLE001 - a device already gone cannot be closed cleanly
                pass
        self._streams = []
