"""Stores of coached calls made once and copied for each test: coaching minutes of the sample's script runs the
detector (its sentence model included) over every sentence, a third of a second a store, and the review tests
each need a store of their own to change."""

from __future__ import annotations

import shutil
from pathlib import Path

from copilot.store.sqlite import SessionStore


def copied_store(template: Path, folder: Path) -> SessionStore:
    """A copy of the closed store at ``template`` as ``folder/s.db``, opened."""
    to = folder / "s.db"
    for suffix in ("", "-wal"):
        if Path(f"{template}{suffix}").exists():
            shutil.copy2(f"{template}{suffix}", f"{to}{suffix}")
    return SessionStore(to)
