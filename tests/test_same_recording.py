"""A recording analysed again, a cut copy and its whole file, and a call also coached live: known, and said."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from copilot.commands.same_recording import coached_live_then, recording_hash
from copilot.store.sqlite import SessionRow

T0 = datetime(2026, 11, 2, 14, 0, tzinfo=timezone.utc)


def row(kind: str, start: datetime, seconds: float, sid: str = "20261102-140000-ab12") -> SessionRow:
    return SessionRow(sid, start.isoformat(timespec="seconds"), seconds, "mic + call", kind, "tiny.en", "", 0.5)


def test_a_live_session_over_the_same_time_is_named_and_others_are_not() -> None:
    live = row("live", T0, 1800.0)
    said = coached_live_then([live], T0 + timedelta(minutes=1), 1700.0)
    assert said is not None and "call 20261102-140000-ab12" in said and "counts twice in Progress" in said
    assert coached_live_then([live], T0 + timedelta(minutes=25), 1800.0) is None  # 5 minutes of 30 in common
    assert coached_live_then([row("analyze", T0, 1800.0)], T0, 1800.0) is None  # another recording: not this
    assert coached_live_then([live], None, 1800.0) is None  # no date to compare


def test_a_cut_copy_begins_like_its_whole_file_and_a_renamed_copy_is_the_same(tmp_path: Path) -> None:
    data = bytes(range(256)) * 4096  # 1 MB
    whole, cut, renamed = tmp_path / "a.opus", tmp_path / "b.opus", tmp_path / "c.opus"
    whole.write_bytes(data)
    cut.write_bytes(data[: len(data) // 3])
    renamed.write_bytes(data)
    a, b, c = recording_hash(whole), recording_hash(cut), recording_hash(renamed)
    assert a == c and a.whole != b.whole and a.head == b.head
    assert recording_hash(tmp_path / "gone.opus").whole == ""
