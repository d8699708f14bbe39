"""What a process started by a store test runs: kept out of the test modules, so that each process it starts
imports the store alone and not pytest and a test module's imports (half a second a process)."""

from __future__ import annotations

from typing import Any

from copilot.store.sqlite import SessionStore


def open_and_save(db: str, go: Any, out: Any) -> None:
    """Wait for ``go``, open the store at ``db`` and save one session; put "ok" or what went wrong on ``out``."""
    go.wait()
    try:
        with SessionStore(db) as store:
            store.create_session("call", "analyze")
        out.put("ok")
    except Exception as e:  # noqa: BLE001 - the test shows what went wrong
        out.put(f"{type(e).__name__}: {e}")
