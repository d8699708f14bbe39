"""Live capture with a fake sounddevice module: device choice, resampling, and a device lost mid-call."""

from __future__ import annotations

import threading
from typing import Any

import numpy as np
import pytest

from copilot.audio.capture import CaptureSource
from copilot.audio.devices import DeviceError, InputDevice, list_inputs, pick_devices
from tests.fakes import FakePyAudioWPatch, FakeSoundcard, FakeSoundDevice, InputOutputPair


def test_inputs_are_listed_with_the_default_and_the_likely_call_audio_marked() -> None:
    inputs = list_inputs(FakeSoundDevice())
    assert [d.index for d in inputs] == [0, 2, 3]
    assert inputs[0].is_default and not inputs[0].looks_like_call_audio
    assert inputs[1].looks_like_call_audio


def test_the_likely_mic_and_call_audio_are_picked_and_can_be_named() -> None:
    inputs = list_inputs(FakeSoundDevice())
    mic, call = pick_devices(inputs, None, None)
    assert (mic.index, call.index) == (0, 2)
    mic, call = pick_devices(inputs, "headset", "2")
    assert (mic.index, call.index) == (3, 2)


def test_device_mistakes_are_one_sentence() -> None:
    inputs = list_inputs(FakeSoundDevice())
    with pytest.raises(DeviceError, match="No input device matches --mic 'zoom'"):
        pick_devices(inputs, "zoom", None)
    with pytest.raises(DeviceError, match="same device"):
        pick_devices(inputs, "0", "0")
    with pytest.raises(DeviceError, match="No call-audio device"):
        pick_devices([inputs[0], inputs[2]], None, None)
    with pytest.raises(DeviceError, match="no audio input device"):
        pick_devices([], None, None)


def capture(sd: FakeSoundDevice, notices: list[str]) -> dict[str, list[Any]]:
    got: dict[str, list[Any]] = {"rep": [], "prospect": []}
    mic = InputDevice(0, "Built-in Microphone", 1, 48_000.0, True)
    call = InputDevice(2, "Monitor of Built-in Audio Analog Stereo", 2, 44_100.0, False)
    source = CaptureSource(sd, mic, call, block_s=0.05)
    ended = threading.Event()
    source.start(lambda who, block: got[who].append(block), ended.set, notices.append)
    return got | {"_source": [source], "_ended": [ended]}


def test_both_devices_are_delivered_as_16k_mono_per_speaker() -> None:
    sd = FakeSoundDevice(blocks=20)
    notices: list[str] = []
    got = capture(sd, notices)
    assert sd.done.acquire(timeout=5) and sd.done.acquire(timeout=5)
    source = got["_source"][0]
    source.stop()
    assert got["_ended"][0].is_set()
    for who in ("rep", "prospect"):
        audio = np.concatenate(got[who])
        sound = audio[int(np.argmax(audio > 0.1)):]  # before it: silence for the moment the device took to start
        assert len(audio) - len(sound) < 0.3 * 16_000
        assert abs(len(sound) - 16_000) < 1_000  # 20 blocks of 50 ms = 1 s, resampled
        assert sound.dtype == np.float32 and abs(float(np.median(sound)) - 0.25) < 0.01


def test_a_device_slow_to_deliver_its_first_block_starts_on_the_same_clock_as_the_other() -> None:
    sd = FakeSoundDevice(blocks=20)
    sd.wakes_after[0] = 0.5  # the microphone wakes up half a second after the call audio
    got = capture(sd, [])
    wait = threading.Event()
    for _ in range(100):
        if sum(len(b) for b in got["rep"]) >= 16_000 * 1.2:
            break
        wait.wait(0.05)
    got["_source"][0].stop()
    rep, prospect = np.concatenate(got["rep"]), np.concatenate(got["prospect"])
    silence = int(np.argmax(rep > 0.1)) / 16_000  # what the rep's channel holds before the first sound
    assert 0.35 < silence < 0.6, silence  # its samples start where the time it came puts them
    assert prospect[:800].min() > 0.1  # the call audio came at once: nothing put before it


def test_a_device_that_disappears_is_reported_and_retried_not_fatal() -> None:
    sd = FakeSoundDevice(blocks=10_000)
    sd.pace_s = 0.005  # ten times faster than a device's 50 ms blocks: the call audio goes on for the whole test
    notices: list[str] = []
    got = capture(sd, notices)
    sd.broken.add(0)  # the headset is unplugged (perhaps before its stream opened: "could not be opened")
    deadline = threading.Event()
    for _ in range(50):
        if any("stopped delivering" in n or "could not be opened" in n for n in notices):
            break
        deadline.wait(0.1)
    assert any("Built-in Microphone" in n for n in notices)
    sd.broken.clear()  # plugged back in
    for _ in range(60):
        if any("is back" in n for n in notices):
            break
        deadline.wait(0.1)
    got["_source"][0].stop()
    assert any("is back" in n for n in notices)
    assert got["prospect"], "the other channel kept going"


class StuckServerSource:
    """A sound server's record stream that delivers a few blocks, then nothing, and never says it ended (its
    reader blocked in the client library as the server dies), until ``stuck`` is cleared."""

    def __init__(self, push: Any, stuck: threading.Event) -> None:
        self.active, self.first_sample_at, self._stop = True, None, threading.Event()
        self._thread = threading.Thread(target=self._read, args=(push, stuck), daemon=True)
        self._thread.start()

    def _read(self, push: Any, stuck: threading.Event) -> None:
        for n in range(10**6):
            if self._stop.wait(0.05):
                return
            if n >= 5 and stuck.is_set():
                continue  # blocked: no block, no end
            push(np.full(800, 0.25, dtype=np.float32))

    def stop(self) -> None:
        self._stop.set()

    def close(self) -> None:
        self._stop.set()


def test_a_server_source_that_goes_quiet_without_ending_is_reported_and_reopened(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import copilot.audio.capture as capture_module

    stuck, opened = threading.Event(), []
    stuck.set()

    def open_source(sc: Any, device: InputDevice, block_s: float, push: Any) -> StuckServerSource:
        opened.append(device.source)
        return StuckServerSource(push, stuck)

    monkeypatch.setattr(capture_module, "open_source", open_source)
    monkeypatch.setattr(capture_module, "SERVER_STALL_S", 0.5)
    mic = InputDevice(0, "Virtual microphone", 1, 16_000.0, True, host="pulse", source="virtual_mic")
    call = InputDevice(1, "Monitor of Speakers", 1, 16_000.0, False, host="pulse", source="speakers.monitor",
                       loopback=True)
    notices: list[str] = []
    source = CaptureSource(None, mic, call, block_s=0.05, sc=object())
    source.start(lambda who, block: None, lambda: None, notices.append)
    wait = threading.Event()
    for _ in range(100):
        if sum("stopped delivering" in n for n in notices) >= 2:
            break
        wait.wait(0.05)
    assert sum("stopped delivering" in n for n in notices) >= 2, notices  # both, though neither reader ended
    stuck.clear()  # the server is back
    for _ in range(100):
        if sum("is back" in n for n in notices) >= 2:
            break
        wait.wait(0.05)
    source.stop()
    assert sum("is back" in n for n in notices) >= 2, notices
    assert opened.count("virtual_mic") >= 2 and opened.count("speakers.monitor") >= 2


def test_windows_loopbacks_join_the_list_and_the_default_speakers_are_the_call_audio() -> None:
    inputs = list_inputs(FakeSoundDevice(), FakePyAudioWPatch())
    loops = [d for d in inputs if d.host == "wasapi-loopback"]
    assert [d.key for d in loops] == ["L7", "L9"] and all(d.looks_like_call_audio for d in loops)
    assert [d.key for d in inputs if d.is_default] == ["0", "L9"]
    mic, call = pick_devices([d for d in inputs if d.index != 2], None, None)  # no Linux monitor on Windows
    assert (mic.key, call.key) == ("0", "L9")
    assert pick_devices(inputs, None, "l7")[1].name == "HDMI Display [Loopback]"


def test_a_loopback_is_captured_and_its_silence_filled_so_the_call_clock_goes_on() -> None:
    pa = FakePyAudioWPatch(blocks=10)  # 0.5 s of sound, then nothing plays
    mic = InputDevice(0, "Built-in Microphone", 1, 48_000.0, True)
    call = InputDevice(9, "Speakers (Realtek Audio) [Loopback]", 2, 48_000.0, True, host="wasapi-loopback")
    got: list[np.ndarray] = []
    source = CaptureSource(FakeSoundDevice(blocks=0), mic, call, block_s=0.05, pa=pa)
    ended = threading.Event()
    source.start(lambda who, block: got.append(block) if who == "prospect" else None, ended.set, lambda m: None)
    assert pa.done.acquire(timeout=5)
    wait = threading.Event()
    for _ in range(100):
        if sum(len(b) for b in got) >= 16_000 * 1.2:
            break
        wait.wait(0.05)
    source.stop()
    audio = np.concatenate(got)
    assert abs(float(np.median(audio[:7_000])) - 0.25) < 0.01  # the sound, resampled to 16 kHz mono
    assert len(audio) >= 16_000 * 1.2 and not audio[12_000:].any()  # then silence, on the wall clock
    assert ended.is_set() and pa.terminated == 1  # closing the stream released its PortAudio


def test_the_systems_default_input_is_the_likely_microphone_even_when_not_listed_first() -> None:
    sd = FakeSoundDevice()
    sd.default.device = InputOutputPair(3, 1)  # the USB headset is the system's default input
    mic, call = pick_devices(list_inputs(sd), None, None)
    assert (mic.name, call.index) == ("USB Headset", 2)


def test_real_sounddevice_defaults_are_read_as_real_sounddevice_gives_them() -> None:
    try:
        import sounddevice as sd
    except OSError:
        pytest.skip("needs PortAudio (libportaudio2)")
    pair = sd._InputOutputPair(None, "_default_device")  # the type sd.default.device really is
    pair["input"], pair["output"] = 3, 1
    fake = FakeSoundDevice()
    fake.default.device = pair
    assert [d.index for d in list_inputs(fake) if d.is_default] == [3]


def test_the_sound_servers_sources_are_listed_by_name_with_the_monitor_as_call_audio() -> None:
    inputs = list_inputs(FakeSoundDevice(), None, FakeSoundcard())  # PortAudio's pulse/default are not offered
    assert [d.key for d in inputs] == ["alsa_output.pci.analog-stereo.monitor", "alsa_input.pci.analog-stereo",
                                       "bluez_input.headset"]
    monitor, builtin, headset = inputs
    assert monitor.looks_like_call_audio and monitor.is_default  # the monitor of the default speakers
    assert headset.is_default and not headset.looks_like_call_audio and not builtin.looks_like_call_audio
    mic, call = pick_devices(inputs, None, None)
    assert (mic.key, call.key) == ("bluez_input.headset", "alsa_output.pci.analog-stereo.monitor")


def test_a_source_is_picked_by_its_name_or_a_unique_part_of_one() -> None:
    inputs = list_inputs(None, None, FakeSoundcard())
    mic, call = pick_devices(inputs, "alsa_input.pci.analog-stereo", "monitor")
    assert (mic.name, call.name) == ("Built-in Audio Analog Stereo", "Monitor of Built-in Audio Analog Stereo")
    assert pick_devices(inputs, "jabra", None)[0].key == "bluez_input.headset"
    with pytest.raises(DeviceError, match="matches 2 inputs"):
        pick_devices(inputs, "analog", None)  # the built-in mic and the monitor: give more of the name


@pytest.mark.parametrize(("frozen", "says"), [(False, "apt install libportaudio2"), (True, "apt install libasound2")])
def test_a_system_without_its_sound_library_gets_one_sentence(monkeypatch: pytest.MonkeyPatch, frozen: bool,
                                                              says: str) -> None:
    import builtins
    import sys

    from copilot.audio.devices import DeviceError, load_sounddevice

    real_import = builtins.__import__

    def no_portaudio(name: str, *args: object, **kwargs: object) -> object:
        if name == "sounddevice":
            raise OSError("libasound.so.2: cannot open shared object file")  # what dlopen says
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_portaudio)
    monkeypatch.delitem(sys.modules, "sounddevice", raising=False)
    monkeypatch.setattr(sys, "frozen", frozen, raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    with pytest.raises(DeviceError, match=says):
        load_sounddevice()
