"""Events cross from the pipeline's thread to the Qt thread, and crossing does not wear Python down."""

from __future__ import annotations

import sys
import threading

import pytest
from pytestqt.qtbot import QtBot

from copilot.core.events import Prompt, Segment, SpeechSpan, TalkState
from copilot.pipeline.events import DeviceNotice, EchoStatus, LiveEvent, Stamped
from copilot.ui.bridge import EventBridge

TALK = TalkState(1.0, 1.0, 0.0, 1.0, 120.0, 1.0, 0.0, 1.0, speaking=("rep",))
PROMPT = Prompt(1.0, "phrase", "This may not be a fit.", "next_step", "you said: 'the next step is'", 9.0)
ECHO = EchoStatus(2.0, "Echo from your speakers: removed, -22 dB.")
NOTICE = DeviceNotice(3.0, "Saving the session is failing; it is kept in memory and retried.")


def test_events_from_another_thread_arrive_on_the_qt_thread_as_they_were_sent(qtbot: QtBot) -> None:
    bridge = EventBridge()
    got: list[tuple[object, bool]] = []
    bridge.received.connect(lambda e: got.append((e, threading.current_thread() is threading.main_thread())))
    sent: list[LiveEvent] = [SpeechSpan("rep", 0.0, 1.0), TALK, PROMPT,
                             Segment("rep", 0.0, 1.0, "The next", final=False), ECHO, NOTICE]

    def send() -> None:
        for e in sent:
            bridge.sink(Stamped(e, 1.0))

    worker = threading.Thread(target=send)
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: len(got) == 4)
    assert [e for e, _ in got] == [TALK, PROMPT, ECHO, NOTICE]  # speech and partials stay with the other sinks
    assert all(on_qt for _, on_qt in got)


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="True is immortal from Python 3.12")
def test_emitting_signals_does_not_eat_references_to_true(qtbot: QtBot) -> None:
    # PySide6 6.12.0 lost one reference to True per emit; an hour of events crashed the interpreter.
    bridge = EventBridge()
    bridge.received.connect(lambda e: None)
    before = sys.getrefcount(True)
    for _ in range(300):
        bridge.sink(Stamped(TALK, 1.0))
    assert sys.getrefcount(True) >= before - 10
