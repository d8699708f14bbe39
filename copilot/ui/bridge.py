"""Pipeline events into Qt: a sink any thread may call, a signal the widgets receive on the Qt thread.

The live pipeline's coach thread calls :meth:`EventBridge.sink` with each event; the
signal is emitted from that thread and, because the receiving widgets live on the Qt
thread, Qt queues it there. The Qt thread never waits on the pipeline, and the pipeline
never touches a widget.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal

__all__ = ["EventBridge"]

# Events the widgets use; speech, partial and segment events stay with the other sinks.
_FOR_UI = frozenset({"prompt", "talk", "flag", "device"})


class EventBridge(QObject):
    """Turns pipeline events (dicts of the event contract) into one queued Qt signal."""

    received = Signal(dict)

    def sink(self, event: dict[str, Any]) -> None:
        """The pipeline sink: called on the coach thread, delivered on the Qt thread."""
        if event.get("type") in _FOR_UI:
            self.received.emit({k: v for k, v in event.items() if k != "_raw"})
