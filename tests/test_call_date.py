"""When an analysed recording's call took place: `--started`, else the recording's file time, said as a guess."""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from copilot.cli import main
from copilot.commands.call_date import call_started, parse_started
from copilot.errors import UserError

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=timezone.utc)


def recording(tmp_path: Path, written: datetime) -> Path:
    path = tmp_path / "call.wav"
    path.write_bytes(b"RIFF")
    os.utime(path, (written.timestamp(), written.timestamp()))
    return path


def test_an_old_recording_is_dated_by_its_file_time_less_its_length_and_says_it_is_a_guess(tmp_path: Path) -> None:
    path = recording(tmp_path, datetime(2026, 10, 1, 15, 30, tzinfo=timezone.utc))
    when, said = call_started(None, path, 1800.0, now=NOW)
    assert when == datetime(2026, 10, 1, 15, 0, tzinfo=timezone.utc)
    assert said is not None and "from the recording's file time (a guess)" in said and "--started" in said


def test_a_call_just_recorded_is_dated_now_and_a_given_time_wins(tmp_path: Path) -> None:
    path = recording(tmp_path, NOW - timedelta(minutes=5))
    assert call_started(None, path, 1800.0, now=NOW) == (None, None)
    given = datetime(2026, 9, 15, 10, 0, tzinfo=timezone.utc)
    old = recording(tmp_path, datetime(2026, 10, 1, tzinfo=timezone.utc))
    assert call_started(given, old, 1800.0, now=NOW) == (given, None)
    ahead = recording(tmp_path, NOW + timedelta(days=3))  # a clock set wrong: never a call in the future
    assert call_started(None, ahead, 60.0, now=NOW) == (None, None)


def test_started_is_read_as_a_day_or_a_time_here_and_a_bad_one_is_one_sentence() -> None:
    assert parse_started("2026-11-30 14:00", now=NOW) == datetime(2026, 11, 30, 14, 0).astimezone()
    assert parse_started("2026-11-30", now=NOW) == datetime(2026, 11, 30).astimezone()
    assert parse_started(None) is None
    with pytest.raises(UserError, match="is not a time; give it as YYYY-MM-DD"):
        parse_started("last tuesday", now=NOW)
    with pytest.raises(UserError, match="is in the future"):
        parse_started("2027-01-05", now=NOW)


def test_a_bad_started_is_said_before_anything_loads(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = recording(tmp_path, NOW)
    assert main(["analyze", str(path), "--db", str(tmp_path / "s.db"), "--started", "yesterday"]) == 2
    assert "--started yesterday is not a time" in capsys.readouterr().err
    assert not (tmp_path / "s.db").exists()
