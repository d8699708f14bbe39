"""When an analysed recording's call took place: what Progress and the call list date it by.

A rep catching up on last month's recordings wants each call on its own day, not all of them on the day
they were analysed. ``--started`` says when; without it the recording's file time is the best guess a
recording gives (a call's recording is written as it ends: its file time less its length is when it
began), and the rep is told it was a guess whenever it is not today's call.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from copilot.errors import UserError

__all__ = ["call_started", "parse_started"]

_GUESS_SAID_AFTER = timedelta(hours=1)  # a file this much older than now dates the call to its own time, and says so


def parse_started(text: str | None, now: datetime | None = None) -> datetime | None:
    """``--started`` (YYYY-MM-DD, or YYYY-MM-DD HH:MM in this computer's time zone), or a sentence saying how."""
    if text is None:
        return None
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise UserError(f"--started {text} is not a time; give it as YYYY-MM-DD or \"YYYY-MM-DD HH:MM\" "
                        "(e.g. \"2026-11-30 14:00\").") from None
    when = when.astimezone() if when.tzinfo is None else when  # a naive time is this computer's
    if when > (now or datetime.now(timezone.utc)):
        raise UserError(f"--started {text} is in the future; give when the call began.")
    return when


def call_started(started: datetime | None, recording: Path, duration_s: float,
                 now: datetime | None = None) -> tuple[datetime | None, str | None]:
    """When the call began (None: now, as for a call just made) and, if that is a guess from the file, the
    sentence that says so. ``started`` (from ``--started``) wins."""
    if started is not None:
        return started, None
    now = now or datetime.now(timezone.utc)
    try:
        written = datetime.fromtimestamp(recording.stat().st_mtime, timezone.utc)
    except (OSError, OverflowError, ValueError):
        return None, None
    began = min(written, now) - timedelta(seconds=max(0.0, duration_s))
    if now - began <= _GUESS_SAID_AFTER + timedelta(seconds=max(0.0, duration_s)):
        return None, None  # a call just recorded: dated now, as it always was
    return began, (f"Dated {began.astimezone():%Y-%m-%d %H:%M} from the recording's file time (a guess); "
                   "--started \"YYYY-MM-DD HH:MM\" gives the call's own.")
