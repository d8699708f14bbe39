"""A recording analysed again: the new analysis replaces the stored one instead of counting the call twice.

A rep analyses a recording again after marking flags, after a wrong guess of which voice is theirs, or just
by running the same command twice. Stored twice, the call would count twice in Progress, and nothing would
say so. A recording is known again by what its bytes hash to (not its name: a copy or a renamed file is the
same call; a file re-encoded is not). A file analysed while it was cut short (a copy not finished) and again
once whole is known by its first bytes: the earlier analysis looked cut short, and the two begin alike.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from copilot.store.sqlite import SessionRow

__all__ = ["Fingerprint", "recording_hash", "replaced_sentence", "coached_live_then", "recording_began"]

_BLOCK = 1 << 20  # read a megabyte at a time (hashlib.file_digest is Python 3.11's; 3.10 is supported)
_SAME_CALL_SHARE = 0.5  # a live session over half of the shorter call's time is taken for the same call
_HEAD = 1 << 16  # the first bytes a cut copy shares with its whole file (64 KB: seconds of any codec a call uses)


@dataclass(frozen=True)
class Fingerprint:
    """What a recording's bytes hash to ('' when a file cannot be read now: the analysis stores the call as new)."""

    whole: str  # all of its bytes
    head: str  # its first bytes (a cut copy of it begins the same)


def recording_hash(rep_or_call: Path, prospect: Path | None = None) -> Fingerprint:
    """What the recording's bytes hash to: one file, or the rep's and the buyer's in that order."""
    parts: Sequence[Path] = (rep_or_call,) if prospect is None else (rep_or_call, prospect)
    whole, head = hashlib.sha256(), hashlib.sha256()
    try:
        for path in parts:
            one = hashlib.sha256()
            with path.open("rb") as f:
                first = True
                while block := f.read(_BLOCK):
                    one.update(block)
                    if first:
                        head.update(hashlib.sha256(block[:_HEAD]).digest())
                        first = False
            whole.update(one.digest())
    except OSError:
        return Fingerprint("", "")
    return Fingerprint("sha256:" + whole.hexdigest(), "sha256:" + head.hexdigest())


def replaced_sentence(before: SessionRow, new_date: bool = False, was_cut: bool = False) -> str:
    """What the rep is told when this analysis replaced an earlier one of the same recording (``new_date``: the
    rep gave the call a date this time; ``was_cut``: the earlier one was of the file while it was cut short)."""
    name = f' "{before.name}"' if before.name else ""
    kept = "Its name and your marks on it stay" if new_date else "Its name, date and your marks on it stay"
    when = "while it was cut short " if was_cut else ""
    return (f"This recording was analysed before {when}(call {before.id}{name}); this analysis replaced that one, "
            f"so the call counts once. {kept}.")


def coached_live_then(rows: Sequence[SessionRow], began: datetime | None, duration_s: float) -> str | None:
    """The sentence that warns of a live session coached over the same time as this recording (the rep coached
    the call live and analysed its recording too: it would count twice in Progress), or None."""
    if began is None or duration_s <= 0:
        return None
    end = began + timedelta(seconds=duration_s)
    for row in rows:
        if row.kind != "live" or row.duration_s <= 0:
            continue
        try:
            start = datetime.fromisoformat(row.started)
        except ValueError:
            continue
        overlap = (min(end, start + timedelta(seconds=row.duration_s)) - max(began, start)).total_seconds()
        if overlap > 0 and overlap >= _SAME_CALL_SHARE * min(duration_s, row.duration_s):
            return (f"A live session was coached at that time (call {row.id}, {start.astimezone():%Y-%m-%d %H:%M}): "
                    "if this recording is of that call, it counts twice in Progress; `copilot sessions exclude ID` "
                    "leaves one out.")
    return None


def recording_began(path: Path, duration_s: float) -> datetime | None:
    """When a recording began by its file time (written as its call ended) less its length; None if unknown."""
    try:
        return datetime.fromtimestamp(path.stat().st_mtime, timezone.utc) - timedelta(seconds=max(0.0, duration_s))
    except (OSError, OverflowError, ValueError):
        return None
