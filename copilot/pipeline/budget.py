"""The live session's CPU budget: how much of one core the copilot may take beside the call.

Zoom needs most of a core of the rep's laptop. The budget is measured from this
process's own CPU time (every thread) over a sliding window of wall time; when the
session is over it, the live pipeline spends less where it costs least (rarer partial
guesses), never on finals or the talk meter.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

__all__ = ["CpuBudget", "DEFAULT_BUDGET"]

DEFAULT_BUDGET = 0.5  # half of one core


class CpuBudget:
    """Whether the process has used more than ``share`` of one core over the last ``window_s`` seconds."""

    def __init__(self, share: float = DEFAULT_BUDGET, window_s: float = 10.0,
                 cpu: Callable[[], float] = time.process_time, wall: Callable[[], float] = time.monotonic) -> None:
        if not share > 0:
            raise ValueError("the CPU budget must be more than 0% of a core")
        self.share = share
        self.window_s = window_s
        self.cpu, self.wall = cpu, wall
        self._samples: deque[tuple[float, float]] = deque()

    def used(self) -> float | None:
        """The share of one core used over the window so far (None until a second has passed)."""
        now, spent = self.wall(), self.cpu()
        self._samples.append((now, spent))
        while len(self._samples) > 2 and now - self._samples[1][0] >= self.window_s:
            self._samples.popleft()
        then, before = self._samples[0]
        if now - then < 1.0:
            return None
        return (spent - before) / (now - then)

    def over(self) -> bool:
        """True while the session spends more than its budget."""
        used = self.used()
        return used is not None and used > self.share
