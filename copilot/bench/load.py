"""A stand-in for Zoom beside a benchmark: processes that each keep one core busy."""

from __future__ import annotations

import multiprocessing
from types import TracebackType
from typing import Any

__all__ = ["BusyProcesses"]


class BusyProcesses:
    """``n`` processes spinning on a core each, until :meth:`stop` (or the end of a ``with``).

    Processes, not threads: Zoom's work neither counts in the copilot's own CPU time nor
    holds its GIL.
    """

    def __init__(self, n: int) -> None:
        ctx = multiprocessing.get_context("spawn")
        self._stop = ctx.Event()
        self._procs = [ctx.Process(target=_spin, args=(self._stop,), daemon=True) for _ in range(max(0, n))]
        for p in self._procs:
            p.start()

    def stop(self) -> None:
        """End the load and wait for the processes to go."""
        self._stop.set()
        for p in self._procs:
            p.join(timeout=5)

    def __enter__(self) -> BusyProcesses:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()


def _spin(stop: Any) -> None:
    x = 0
    while not stop.is_set():
        for _ in range(100_000):
            x += 1
