"""A recording analysed again: the new analysis replaces the stored one instead of counting the call twice.

A rep analyses a recording again after marking flags, after a wrong guess of which voice is theirs, or just
by running the same command twice. Stored twice, the call would count twice in Progress, and nothing would
say so. A recording is known again by what its bytes hash to (not its name: a copy or a renamed file is the
same call; a file cut or re-encoded is not).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from copilot.store.sqlite import SessionRow

__all__ = ["recording_hash", "replaced_sentence"]

_BLOCK = 1 << 20  # read a megabyte at a time (hashlib.file_digest is Python 3.11's; 3.10 is supported)


def recording_hash(rep_or_call: Path, prospect: Path | None = None) -> str:
    """What the recording's bytes hash to: one file, or the rep's and the buyer's in that order ('' when a file
    cannot be read now; the analysis then stores the call as new)."""
    parts: Sequence[Path] = (rep_or_call,) if prospect is None else (rep_or_call, prospect)
    whole = hashlib.sha256()
    try:
        for path in parts:
            one = hashlib.sha256()
            with path.open("rb") as f:
                while block := f.read(_BLOCK):
                    one.update(block)
            whole.update(one.digest())
    except OSError:
        return ""
    return "sha256:" + whole.hexdigest()


def replaced_sentence(before: SessionRow, new_date: bool = False) -> str:
    """What the rep is told when this analysis replaced an earlier one of the same recording (``new_date``: the
    rep gave the call a date this time)."""
    name = f' "{before.name}"' if before.name else ""
    kept = "Its name and your marks on it stay" if new_date else "Its name, date and your marks on it stay"
    return (f"This recording was analysed before (call {before.id}{name}); this analysis replaced that one, "
            f"so the call counts once. {kept}.")
