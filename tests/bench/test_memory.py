"""The benchmarks' memory numbers, and the benchmarks where Python has no ``resource`` module (Windows)."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

from copilot.bench.memory import peak_rss_mb, rss_mb


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the kernel's own count is read from /proc")
def test_peak_memory_is_the_kernels_high_water_mark_in_mb() -> None:
    status = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines())
    high_water_mb = int(status["VmHWM"].split()[0]) / 1024
    now, peak = rss_mb(), peak_rss_mb()
    assert now is not None and peak is not None
    assert abs(peak - high_water_mb) < 5
    assert 10 < now <= peak + 1


def test_without_resource_nor_psutil_the_peak_is_not_measured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "resource", None)  # as on Windows: importing it raises ImportError
    monkeypatch.setitem(sys.modules, "psutil", None)
    assert peak_rss_mb() is None


@pytest.mark.parametrize("bench", ["copilot.bench.live", "copilot.bench.app", "copilot.bench.analyze",
                                   "copilot.bench.review", "copilot.bench.detect"])
def test_every_benchmark_imports_where_there_is_no_resource_module(bench: str,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "resource", None)
    package, _, name = bench.rpartition(".")
    if bench in sys.modules:  # imported afresh here, the one the other tests use put back afterwards
        monkeypatch.delitem(sys.modules, bench)
        monkeypatch.setattr(sys.modules[package], name, getattr(sys.modules[package], name))
    assert importlib.import_module(bench).run
