"""Python's cycle collector run on the Qt thread only, between events.

Left automatic, the collector runs wherever an allocation happens to cross its threshold: on the coach thread
(which would delete Qt objects from the wrong thread) or inside a chart's paint event (which deletes the very
view being painted: a crash seen in CI in ``pyqtgraph``'s ``GraphicsView.paintEvent``). pyqtgraph ships the cure
for this, a collector driven by a Qt timer; we use theirs rather than write one.
"""

from __future__ import annotations

from pyqtgraph.util.garbage_collector import GarbageCollector
from PySide6.QtWidgets import QApplication

__all__ = ["collect_on_the_qt_thread"]


def collect_on_the_qt_thread(app: QApplication, every_s: float = 1.0) -> None:
    """Turn off automatic collection for the process and collect from a timer on ``app``'s thread instead (once)."""
    if getattr(app, "_copilot_collector", None) is None:
        app._copilot_collector = GarbageCollector(interval=every_s)  # type: ignore[attr-defined]
