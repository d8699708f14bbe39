"""How much memory this process holds, now and at its highest, on Linux, macOS and Windows.

The benchmarks report both (``bench live``'s peak RSS and its growth over a long call). The
peak comes from ``resource``, which exists on Unix only; on Windows it comes from psutil
when that is installed, and is otherwise reported as not measured rather than guessed.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

__all__ = ["rss_mb", "peak_rss_mb"]


def peak_rss_mb() -> float | None:
    """The most memory (resident set) this process has held so far, in MB; None where it cannot be measured."""
    try:
        import resource
    except ImportError:  # Windows: the peak working set, if psutil is there to read it
        peak = getattr(_psutil_memory(), "peak_wset", None)
        return peak / 2**20 if peak is not None else None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KiB on Linux


def rss_mb() -> float | None:
    """The memory (resident set) this process holds now, in MB; None where it cannot be measured."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError, AttributeError):  # no /proc: macOS, Windows
        info = _psutil_memory()
        return info.rss / 2**20 if info is not None else None


def _psutil_memory() -> Any:
    """psutil's memory numbers for this process, or None without psutil (it is not a dependency)."""
    try:
        psutil = importlib.import_module("psutil")
    except ImportError:
        return None
    return psutil.Process().memory_info()
