"""Device levels in the control window, with a stand-in sounddevice: the right bar moves."""

from __future__ import annotations

from copilot.audio.levels import LevelMonitor
from tests.fakes import FakeSoundDevice


def test_the_chosen_devices_levels_rise_when_they_hear_something() -> None:
    sd = FakeSoundDevice(blocks=5)  # each stream plays five blocks of a 0.25 tone, then stops
    monitor = LevelMonitor(sd)
    inputs, problem = monitor.inputs()
    assert problem is None and [d.key for d in inputs] == ["0", "2", "3"]
    assert monitor.watch("", "") is None  # the likely mic (0) and call audio (2)
    assert sd.done.acquire(timeout=5) and sd.done.acquire(timeout=5)
    mic, call = monitor.levels()
    assert abs(mic - 0.25) < 1e-6 and abs(call - 0.25) < 1e-6
    assert monitor.levels() == (0.125, 0.125)  # falls back between reads when nothing more comes
    monitor.close()


def test_without_a_sound_system_or_a_matching_device_the_window_gets_a_sentence() -> None:
    assert LevelMonitor(None).inputs() == ([], "No sound system was found, so only recordings can be replayed "
                                                "(copilot demo).")
    problem = LevelMonitor(FakeSoundDevice()).watch("zoom", "")
    assert problem is not None and problem.startswith("No input device matches --mic 'zoom'")
