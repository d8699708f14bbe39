"""The call's audio kept for the review: written block by block, read back, played from any moment."""

from __future__ import annotations

import errno
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from copilot.audio.kept import CallRecorder, ClipPlayer, kept_files, load_kept
from tests.fakes import StandInSounddevice
from tests.fakes import level as tone


def test_both_channels_are_written_as_they_come_and_read_back(tmp_path: Path) -> None:
    rec = CallRecorder(tmp_path / "audio" / "s1")
    for _ in range(10):
        rec.write("rep", tone(0.05, 0.5))
        rec.write("prospect", tone(0.05, -0.25))
    rec.close()
    assert all(p.is_file() for p in kept_files(tmp_path / "audio" / "s1").values())
    back = load_kept(tmp_path / "audio" / "s1")
    assert back is not None and len(back["rep"]) == len(back["prospect"]) == 8000
    assert back["rep"][0] == pytest.approx(0.5, abs=1e-4) and back["prospect"][-1] == pytest.approx(-0.25, abs=1e-4)


def test_a_full_disk_stops_the_recording_with_one_notice_and_no_exception(tmp_path: Path) -> None:
    notices: list[str] = []
    rec = CallRecorder(tmp_path / "s2", notice=notices.append)

    def full(_data: Any) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    rec._files["rep"].writeframes = full
    for _ in range(3):
        rec.write("rep", tone(0.05, 0.1))
    rec.close()
    assert rec.failed and len(notices) == 1 and "No space left on device" in notices[0]


def test_the_player_mixes_both_sides_from_the_moment_asked(tmp_path: Path) -> None:
    rec = CallRecorder(tmp_path / "s3")
    rec.write("rep", tone(2.0, 0.25))
    rec.write("prospect", tone(3.0, 0.5))
    rec.close()
    sd = StandInSounddevice()
    player = ClipPlayer(tmp_path / "s3", sd=sd)
    player.play_from(1.5)
    (data, rate), = sd.played
    assert rate == 16_000 and len(data) == 24_000  # from 1.5 s to the end of the longer side
    assert data[0] == pytest.approx(0.75, abs=1e-3) and data[-1] == pytest.approx(0.5, abs=1e-3)
    player.stop()
    assert sd.stopped == 1


def test_missing_files_or_no_sound_device_are_one_sentence(tmp_path: Path) -> None:
    with pytest.raises(OSError, match="missing or damaged"):
        ClipPlayer(tmp_path / "gone").play_from(0.0)
    rec = CallRecorder(tmp_path / "s4")
    rec.write("rep", tone(0.1, 0.1))
    rec.write("prospect", tone(0.1, 0.1))
    rec.close()

    class NoDevice(StandInSounddevice):
        def play(self, data: np.ndarray, rate: int) -> None:
            raise RuntimeError("Error querying device -1")

    with pytest.raises(OSError, match="cannot be played here: Error querying device -1"):
        ClipPlayer(tmp_path / "s4", sd=NoDevice()).play_from(0.0)
