"""Events cross from the pipeline's thread to the Qt thread, and crossing does not wear Python down."""

from __future__ import annotations

import sys
import threading
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from copilot.ui.bridge import EventBridge


def test_events_from_another_thread_arrive_on_the_qt_thread_without_the_internal_object(qtbot: QtBot) -> None:
    bridge = EventBridge()
    got: list[tuple[dict[str, Any], bool]] = []
    bridge.received.connect(lambda e: got.append((e, threading.current_thread() is threading.main_thread())))
    worker = threading.Thread(target=lambda: [bridge.sink({"type": kind, "t": 1.0, "_raw": object()})
                                              for kind in ("speech", "talk", "prompt", "partial")])
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: len(got) == 2)
    assert [e["type"] for e, _ in got] == ["talk", "prompt"]  # speech and partials stay with the other sinks
    assert all(on_qt for _, on_qt in got) and all("_raw" not in e for e, _ in got)


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="True is immortal from Python 3.12")
def test_emitting_signals_does_not_eat_references_to_true(qtbot: QtBot) -> None:
    # PySide6 6.12.0 lost one reference to True per emit; an hour of events crashed the interpreter.
    bridge = EventBridge()
    bridge.received.connect(lambda e: None)
    before = sys.getrefcount(True)
    for _ in range(300):
        bridge.sink({"type": "talk", "t": 1.0, "speaking": ["rep"], "monologue_speaker": None})
    assert sys.getrefcount(True) >= before - 10
