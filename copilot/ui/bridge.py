"""Pipeline events into Qt: a sink any thread may call, a signal the widgets receive on the Qt thread.

The live pipeline's coach thread calls :meth:`EventBridge.sink` with each event; the
signal is emitted from that thread and, because the receiving widgets live on the Qt
thread, Qt queues it there. The Qt thread never waits on the pipeline, and the pipeline
never touches a widget.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from copilot.core.events import Flag, Prompt, PromptTakenBack, TalkState
from copilot.pipeline.events import DeviceNotice, EchoStatus, Stamped

__all__ = ["EventBridge"]

# Events the widgets use; speech and transcript events stay with the other sinks.
_FOR_UI = (Prompt, PromptTakenBack, TalkState, Flag, DeviceNotice, EchoStatus)


class EventBridge(QObject):
    """Turns pipeline events into one queued Qt signal carrying the typed event."""

    received = Signal(object)  # Prompt | PromptTakenBack | TalkState | Flag | DeviceNotice | EchoStatus

    def sink(self, stamped: Stamped) -> None:
        """The pipeline sink: called on the coach thread, delivered on the Qt thread."""
        if isinstance(stamped.event, _FOR_UI):
            self.received.emit(stamped.event)
