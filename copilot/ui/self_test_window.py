"""The control window's "Self-test…": the same checks as ``copilot --self-test``, shown as they finish.

The checks load models and play a few seconds of the sample call, so they run on a helper
thread; each result reaches the Qt thread as a queued signal.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QCloseEvent, QFontDatabase
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from copilot.checkup.checks import Check, run_checks

__all__ = ["SelfTestWindow"]


class _Relay(QObject):
    """Carries results from the checking thread to the window (Qt queues them across threads)."""

    checked = Signal(object)
    done = Signal()


class SelfTestWindow(QWidget):
    """A small window listing each check (OK, NOTE or FAIL) and a last line with the verdict."""

    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("Live Call Copilot: self-test")
        self.summary = QLabel("Checking this install… (a few seconds)")
        self.summary.setWordWrap(True)
        self.lines = QPlainTextEdit()
        self.lines.setReadOnly(True)
        self.lines.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.lines.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))  # OK / NOTE / FAIL align
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.lines)
        self.resize(720, 320)
        self.results: list[Check] = []
        self._relay = _Relay()
        self._relay.checked.connect(self._add, Qt.ConnectionType.QueuedConnection)
        self._relay.done.connect(self._finish, Qt.ConnectionType.QueuedConnection)
        self._closed = threading.Event()
        self._thread = threading.Thread(target=self._check, name="self-test", daemon=True)

    def start(self) -> None:
        """Show the window and begin checking."""
        self.show()
        self._thread.start()

    def _check(self) -> None:
        for check in run_checks():
            if self._closed.is_set():
                return
            self._relay.checked.emit(check)
        self._relay.done.emit()

    def _add(self, check: Check) -> None:
        self.results.append(check)
        self.lines.appendPlainText(check.line())

    def _finish(self) -> None:
        failed = [c for c in self.results if c.status == "fail"]
        took = sum(c.seconds for c in self.results)
        if failed:
            self.summary.setText(f"{len(failed)} check{'s' if len(failed) > 1 else ''} failed: the app cannot "
                                 f"coach a call until that is fixed ({took:.1f} s).")
        else:
            self.summary.setText(f"All checks passed in {took:.1f} s.")

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        """Closing stops showing results (a check already running finishes on its own)."""
        self._closed.set()
        event.accept()
