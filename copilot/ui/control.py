"""The control window: start and stop a session, pick the devices, tune the coach, place the overlay.

Everything here runs on the Qt thread and stays light: the session runs in
:class:`LiveRunner`, the devices and their levels are a :class:`DevicePicker`, the coach's
and overlay's settings a :class:`CoachingForm`. Errors (no device, a model that cannot
load, a broken rulebook) show as a sentence in the window. Settings are saved as they change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSystemTrayIcon,
    QVBoxLayout,
    QWidget,
)

from copilot.audio.levels import LevelMonitor
from copilot.core.consent import CONSENT_NOTICE, consent_line
from copilot.core.redact import hidden_sentence
from copilot.errors import UserError
from copilot.pipeline.events import DeviceNotice, EchoStatus
from copilot.pipeline.recorded import Recorded
from copilot.store.settings import Settings, save_settings
from copilot.store.sqlite import SessionStore
from copilot.ui.coaching_form import CoachingForm
from copilot.ui.device_picker import DevicePicker
from copilot.ui.overlay import Overlay
from copilot.ui.runner import LiveRunner, SessionPlan

__all__ = ["ControlWindow"]


class ControlWindow(QWidget):
    """The app's main window; closing it ends any running session and quits."""

    def __init__(self, settings: Settings, settings_path: Path, runner: LiveRunner, overlay: Overlay,
                 plan_for: Callable[[Settings], SessionPlan], levels: LevelMonitor | None = None,
                 notice: str | None = None, db: str | None = None) -> None:
        super().__init__()
        self.settings = settings
        self.settings_path = settings_path
        self.runner = runner
        self.overlay = overlay
        self.plan_for = plan_for
        self.db = db
        self.last_session: str | None = None
        self.reviews: list[QWidget] = []  # open review windows (kept alive here)
        self.setWindowTitle("Live Call Copilot")

        self.status = QLabel(notice or "Ready. Start a session when your call begins.")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.consent = self._consent_row(visible=not settings.consent_acknowledged)
        self.devices = DevicePicker(settings.mic, settings.call, levels)
        self.coaching = CoachingForm(settings)
        self.capture = QLabel(f"Overlay: {overlay.capture_status}")
        # During a session: whether the call's echo is being removed from the microphone (speakers),
        # as the session says it through the bridge.
        self.echo = QLabel("")
        self.echo.setWordWrap(True)
        self.echo.setVisible(False)
        self.start_button = QPushButton("Start session")
        self.start_button.clicked.connect(self.toggle)
        self.review_button = QPushButton("Review the call")
        self.review_button.clicked.connect(self.open_review)
        self.review_button.setVisible(False)
        self.calls_button = QPushButton("Your calls…")
        self.calls_button.clicked.connect(self.open_calls)
        self.self_test_button = QPushButton("Self-test…")
        self.self_test_button.setToolTip("Check the models, the sample call heard live, and the audio inputs")
        self.self_test_button.clicked.connect(self.open_self_test)

        form = QFormLayout()
        for label, field in self.devices.rows() + self.coaching.rows():
            form.addRow(label, field)
        layout = QVBoxLayout(self)
        layout.addWidget(self.consent)
        layout.addWidget(self.status)
        layout.addWidget(self.echo)
        layout.addLayout(form)
        for widget in (self.capture, self.start_button):
            layout.addWidget(widget)
        after = QHBoxLayout()
        after.addWidget(self.review_button)
        after.addWidget(self.calls_button)
        after.addWidget(self.self_test_button)
        layout.addLayout(after)

        self.devices.problem.connect(self.status.setText)
        self.devices.changed.connect(self._devices_changed)
        self.coaching.changed.connect(self._save)
        self.coaching.locked.connect(overlay.set_locked)
        self.coaching.opacity_changed.connect(overlay.setWindowOpacity)
        overlay.capture.connect(lambda status: self.capture.setText(f"Overlay: {status}"))
        overlay.moved.connect(self._overlay_moved)
        runner.bridge.received.connect(self._on_event)
        runner.status.connect(self.status.setText)
        runner.failed.connect(self._on_failed)
        runner.finished.connect(self._on_finished)
        runner.voice_learned.connect(lambda line: self.status.setText(f"{self.status.text()} {line}"))
        self.devices.fill()
        self._save()
        self.tray = self._tray()

    def _consent_row(self, visible: bool) -> QWidget:
        """The notice, shown until the rep has seen it, with a line to say or paste into the meeting chat."""
        row_widget = QWidget()
        column = QVBoxLayout(row_widget)
        column.setContentsMargins(0, 0, 0, 0)
        text = QLabel(CONSENT_NOTICE + " You could say, or paste into the meeting chat:")
        text.setWordWrap(True)
        self.consent_line = QLabel()
        self.consent_line.setWordWrap(True)
        self.consent_line.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.consent_line.setStyleSheet("font-style: italic; margin-left: 12px;")
        self.copy_button = QPushButton("Copy the line")
        self.copy_button.clicked.connect(self.copy_consent_line)
        ok = QPushButton("Got it")
        ok.clicked.connect(self._consent_seen)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.copy_button)
        buttons.addWidget(ok)
        column.addWidget(text)
        column.addWidget(self.consent_line)
        column.addLayout(buttons)
        self._show_consent_line()
        row_widget.setVisible(visible)
        return row_widget

    def _show_consent_line(self) -> None:
        """The line as it is true now: it mentions a recording only while the rep keeps the call's audio."""
        line = f"\u201c{consent_line(self.settings.keep_audio)}\u201d"
        if self.consent_line.text() != line:
            self.consent_line.setText(line)
            self.copy_button.setText("Copy the line")

    def copy_consent_line(self) -> None:
        """The line on the clipboard, to paste into the meeting's chat."""
        QGuiApplication.clipboard().setText(consent_line(self.settings.keep_audio))
        self.copy_button.setText("Copied")

    # ---- session -------------------------------------------------------------------

    def toggle(self) -> None:
        """Start a session, or stop the running one."""
        if self.runner.running:
            self.start_button.setEnabled(False)
            self.status.setText("Stopping… what was heard is being saved.")
            self.runner.stop()
            return
        self._save()
        self.devices.release()  # the session opens the devices itself
        self.start_button.setText("Stop session")
        self.status.setText("Starting…")
        self.runner.start(self.plan_for(self.settings))

    def _on_event(self, event: object) -> None:
        """A session's event, on the Qt thread: the window shows what the echo canceller says, and on the
        status line what the session says that is not coaching (a headset unplugged, a full disk)."""
        if isinstance(event, EchoStatus):
            self.echo.setText(event.message)
            self.echo.setVisible(True)
        elif isinstance(event, DeviceNotice):
            self.status.setText(event.message)

    def _on_failed(self, message: str) -> None:
        self.status.setText(message)
        self._idle()

    def _on_finished(self, done: Recorded) -> None:
        talk = done.session.talk_summary()
        text = (f"Session saved: {done.duration_s / 60:.1f} min, you talked {talk.rep_share:.0%} of the time, "
                f"{len(done.session.flags)} directive phrases, {len(done.session.prompts)} prompts. "
                f"{hidden_sentence(done.hidden) if done.hidden else ''}").strip()
        if done.save_error:
            text = f"The end of the session was not saved: {done.save_error}"
        self.status.setText(text)
        self.last_session = done.session_id
        self.review_button.setVisible(True)
        self._idle()

    # ---- after the call ---------------------------------------------------------------

    def open_review(self) -> QWidget | None:
        """The review of the session that just ended."""
        if self.last_session is None:
            return None
        from copilot.ui.review import ReviewWindow
        from copilot.wiring import load_review

        session = self.last_session
        rules = self.settings.rules or None
        return self._open_window(lambda store: ReviewWindow(load_review(store, session, rules), store, rules=rules))

    def open_calls(self) -> QWidget | None:
        """The list of stored calls, to review, rename or delete."""
        from copilot.core.rulebook import Rulebook
        from copilot.report.review import review_of
        from copilot.ui.review import SessionsWindow

        def window(store: SessionStore) -> QWidget:
            rules = self.settings.rules or None
            rulebook = Rulebook.load(rules)  # the rep's; a broken one is said here and the list does not open
            return SessionsWindow(store, lambda sid: review_of(store, sid, rulebook), rules)

        return self._open_window(window)

    def open_self_test(self) -> QWidget | None:
        """The self-test in its own window (not during a session: it would take the call's CPU)."""
        if self.runner.running:
            self.status.setText("The self-test runs between calls: stop the session first.")
            return None
        from copilot.ui.self_test_window import SelfTestWindow

        window = SelfTestWindow()
        self.reviews.append(window)
        window.start()
        return window

    def _open_window(self, make: Callable[[SessionStore], QWidget]) -> QWidget | None:
        store: SessionStore | None = None
        try:
            store = SessionStore(self.db)
            window = make(store)
        except UserError as e:
            if store is not None:
                store.close()  # the window that would have used it never opened
            self.status.setText(str(e))
            return None
        self.reviews = [w for w in self.reviews if w.isVisible()] + [window]
        window.show()
        return window

    def _idle(self) -> None:
        self.echo.setVisible(False)
        self.start_button.setText("Start session")
        self.start_button.setEnabled(True)
        self._devices_changed()

    # ---- settings ------------------------------------------------------------------

    def _devices_changed(self) -> None:
        self._save()
        if not self.runner.running:
            self.devices.watch()

    def _save(self) -> None:
        mic, call = self.devices.chosen
        self.settings = replace(self.coaching.apply(self.settings), mic=mic, call=call)
        self._show_consent_line()
        self._write()

    def _write(self) -> None:
        try:
            save_settings(self.settings, self.settings_path)
        except UserError as e:
            self.status.setText(str(e))

    def _consent_seen(self) -> None:
        self.consent.hide()
        self.settings = replace(self.settings, consent_acknowledged=True)
        self._save()

    def _overlay_moved(self, at: QPoint) -> None:
        self.settings = replace(self.settings, overlay_x=at.x(), overlay_y=at.y())
        self._write()

    # ---- tray and closing ------------------------------------------------------------

    def _tray(self) -> QSystemTrayIcon | None:
        if not QSystemTrayIcon.isSystemTrayAvailable():
            return None
        tray = QSystemTrayIcon(self.windowIcon(), self)
        menu = QMenu(self)
        for text, slot in (("Start / stop session", self.toggle), ("Show window", self.showNormal),
                           ("Quit", self.close)):
            action = QAction(text, menu)
            action.triggered.connect(slot)
            menu.addAction(action)
        tray.setContextMenu(menu)
        tray.setToolTip("Live Call Copilot")
        tray.show()
        return tray

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        """Closing ends the session (kept and saved in the background) and the app."""
        if self.runner.running:
            self.runner.stop()
        self.devices.stop()
        self.overlay.close()
        event.accept()
        QGuiApplication.quit()
