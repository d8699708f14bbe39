"""The audio devices a rep can pick: microphones, and the inputs that carry the call's audio.

sounddevice lists every PortAudio input (microphones, Linux "Monitor of …" sources,
macOS BlackHole); on Windows the WASAPI loopbacks of the speakers come from
PyAudioWPatch (``loopback.py``) and are numbered ``L<n>``. ``sounddevice`` and
PyAudioWPatch are passed in (or imported lazily) so tests can hand in fake modules.
"""

from __future__ import annotations

import sys
from typing import Any

from copilot.audio.inputs import InputDevice
from copilot.audio.loopback import list_loopbacks
from copilot.audio.pulse import list_sources
from copilot.errors import UserError

__all__ = ["DeviceError", "InputDevice", "list_inputs", "pick_devices", "load_sounddevice"]


class DeviceError(UserError):
    """No usable audio device; the message says which and what to do."""


def load_sounddevice() -> Any:
    """The sounddevice module, or a DeviceError saying what is missing."""
    try:
        import sounddevice
    except OSError:
        if getattr(sys, "frozen", False) and sys.platform.startswith("linux"):
            # The app carries PortAudio; what is missing is the desktop's own ALSA library under it.
            raise DeviceError("This system's sound library (ALSA) is missing, so no microphone can be opened "
                              "(on Debian/Ubuntu: apt install libasound2).") from None
        hint = " (on Debian/Ubuntu: apt install libportaudio2)" if sys.platform.startswith("linux") else ""
        raise DeviceError(f"The PortAudio library is missing, so no microphone can be opened{hint}.") from None
    except ImportError:
        raise DeviceError("The sounddevice package is missing; reinstall Live Call Copilot.") from None
    return sounddevice


def list_inputs(sd: Any, pa: Any = None, sc: Any = None) -> list[InputDevice]:
    """Every device that can record: the sound server's sources when there is one (``sc``: soundcard,
    Linux), else PortAudio's inputs in its order, then PyAudioWPatch's loopbacks (Windows)."""
    if sc is not None:
        try:
            return list_sources(sc)
        except Exception as e:  # noqa: BLE001 - a server that went away mid-listing is one sentence
            raise DeviceError(f"The sound server's sources could not be listed: {e}.") from None
    if sd is None:
        return []
    try:
        devices = sd.query_devices()
        default_in = _default_input(sd.default.device)
    except Exception as e:  # noqa: BLE001 - PortAudio errors reach the rep as one sentence
        raise DeviceError(f"The sound devices could not be listed: {e}.") from None
    return [InputDevice(i, str(d["name"]), int(d["max_input_channels"]), float(d["default_samplerate"]),
                        i == default_in)
            for i, d in enumerate(devices) if int(d["max_input_channels"]) > 0] + _loopbacks(pa)


def _loopbacks(pa: Any) -> list[InputDevice]:
    if pa is None:
        return []
    try:
        return list_loopbacks(pa)
    except Exception:  # noqa: BLE001 - without WASAPI there is no loopback to offer, and no reason to stop
        return []


def pick_devices(inputs: list[InputDevice], mic: str | None, call: str | None) -> tuple[InputDevice, InputDevice]:
    """The microphone and the call-audio device: by index or name part, else the likely ones."""
    if not inputs:
        raise DeviceError("This machine has no audio input device; plug in a headset, or use --replay FILE.")

    def find(want: str, role: str) -> InputDevice:
        exact = [d for d in inputs if want.upper() == d.key.upper()]
        if exact:
            return exact[0]
        low = want.lower()
        found = [d for d in inputs if low in d.name.lower() or (d.source and low in d.source.lower())]
        if len(found) == 1:
            return found[0]
        names = ", ".join(f"{d.key}: {d.name}" for d in (found or inputs))
        if found:
            raise DeviceError(f"--{role} {want!r} matches {len(found)} inputs ({names}); give more of the name.")
        raise DeviceError(f"No input device matches --{role} {want!r}; the inputs are {names}.")

    mic_dev = find(mic, "mic") if mic else next((d for d in inputs if d.is_default and not d.looks_like_call_audio),
                                                 next((d for d in inputs if not d.looks_like_call_audio), inputs[0]))
    if call:
        call_dev = find(call, "call")
    else:
        loops = sorted((d for d in inputs if d.looks_like_call_audio), key=lambda d: not d.is_default)
        if not loops:
            raise DeviceError("No call-audio device found: on Linux pass --call with the \"Monitor of ...\" source of "
                              "your speakers, on macOS install BlackHole and pass --call BlackHole, on Windows "
                              "reinstall Live Call Copilot so it has PyAudioWPatch "
                              "(see the README); `copilot devices` lists what there is.")
        call_dev = loops[0]
    if call_dev.key == mic_dev.key:
        raise DeviceError(f"The microphone and the call audio are the same device ({mic_dev.name}); "
                          "pick two different ones with --mic and --call.")
    return mic_dev, call_dev


def _default_input(device: Any) -> int:
    """The system's default input from ``sd.default.device``: an (input, output) pair that real
    sounddevice returns as its own indexable type, not a list; a plain number when set so."""
    try:
        return int(device[0])
    except (TypeError, IndexError, KeyError):
        return int(device) if isinstance(device, int) else -1
