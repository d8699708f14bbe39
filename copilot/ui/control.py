"""The control window, around the call: the two devices and their levels, Start/Stop, what the coach sees now.

Read from the top, the way a rep meets it before a call: the consent notice (until they
have seen it), their microphone and the call audio with level bars that move when they
hear something, the Start session button, the status line (what the session says right
now: loading, coaching, the speakers' echo, a device lost, a full disk; after a call its
numbers), and the ways to their calls, their Progress, the self-test and Settings…
(everything set once and rarely again, ``settings_dialog.py``).

Everything here runs on the Qt thread and stays light: the session runs in
:class:`LiveRunner` and speaks to the window only through signals and the bridge's typed
events. Errors (no device, a model that cannot load, a broken rulebook) show as a
sentence in the window. Settings are saved as they change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QAction, QCloseEvent, QFont, QGuiApplication
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGridLayout,
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
from copilot.ui.placement import keep_clear_once_framed, place_clear
from copilot.ui.runner import LiveRunner, SessionPlan
from copilot.ui.settings_dialog import SettingsDialog

if TYPE_CHECKING:
    from copilot.ui.review import SessionsWindow

__all__ = ["ControlWindow", "WIDTH"]

WIDTH = 420  # fits beside the overlay (460 wide, top centre) on a 1366-pixel screen, with room to spare


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

        self.consent = self._consent_row(visible=not settings.consent_acknowledged)
        self.devices = DevicePicker(settings.mic, settings.call, levels)
        self.start_button = QPushButton("Start session")
        self.start_button.clicked.connect(self.toggle)
        self.start_button.setMinimumHeight(40)
        bold = QFont(self.start_button.font())
        bold.setBold(True)
        self.start_button.setFont(bold)
        self.status = QLabel(notice or "Ready. Start a session when your call begins.")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # During a session: whether the call's echo is being removed from the microphone (speakers),
        # as the session says it through the bridge.
        self.echo = QLabel("")
        self.echo.setWordWrap(True)
        self.echo.setVisible(False)
        self.review_button = QPushButton("Review the call")
        self.review_button.clicked.connect(self.open_review)
        self.review_button.setVisible(False)
        self.calls_button = QPushButton("Your calls…")
        self.calls_button.clicked.connect(self.open_calls)
        self.progress_button = QPushButton("Progress…")
        self.progress_button.setToolTip("How your calls have gone, across the weeks")
        self.progress_button.clicked.connect(self.open_progress)
        self.self_test_button = QPushButton("Self-test…")
        self.self_test_button.setToolTip("Check the models, the sample call heard live, and the audio inputs")
        self.self_test_button.clicked.connect(self.open_self_test)
        self.settings_button = QPushButton("Settings…")
        self.settings_button.setToolTip("Prompts, the overlay, the speech model and rulebook, what is kept")
        self.settings_button.clicked.connect(self.open_settings)
        self.capture = QLabel(f"Overlay: {overlay.capture_status}")
        self.capture.setWordWrap(True)
        self.capture.setStyleSheet("color: palette(dark);")
        # The settings set once and rarely again, behind Settings…; saved as they change, like the devices.
        self.coaching = CoachingForm(settings)
        self.settings_dialog = SettingsDialog(self.coaching, self)
        self._settings_placed = False

        devices = QFormLayout()
        for label, field in self.devices.rows():
            devices.addRow(label, field)
        now = QFrame()  # what the session says right now
        now.setFrameShape(QFrame.Shape.StyledPanel)
        now_column = QVBoxLayout(now)
        now_column.addWidget(self.status)
        now_column.addWidget(self.echo)
        ways = QGridLayout()
        for i, button in enumerate((self.calls_button, self.progress_button, self.self_test_button,
                                    self.settings_button)):
            ways.addWidget(button, i // 2, i % 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.consent)
        layout.addLayout(devices)
        layout.addWidget(self.start_button)
        layout.addWidget(now)
        layout.addWidget(self.review_button)
        layout.addLayout(ways)
        layout.addWidget(self.capture)
        layout.addStretch(1)
        self.setMinimumWidth(WIDTH)  # narrower, its wrapped lines would need more height than it has
        self.fit_height(WIDTH)

        # A device problem is said after the opening notice (a settings file or rulebook that cannot be used), not
        # in its place: the rep must see both before the call.
        self._notice = notice or ""
        self.devices.problem.connect(lambda said: self.status.setText(f"{self._notice} {said}".strip()))
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

    def fit_height(self, width: int) -> None:
        """As tall as its lines need at this width (the wrapped ones included), no taller."""
        self.ensurePolished()  # the fonts and style sheets its lines are measured in
        height = self.heightForWidth(width)
        self.resize(width, height if height > 0 else self.sizeHint().height())

    def event(self, e: QEvent) -> bool:
        """A line that grew or went (a longer status, the echo line, the review button) makes the window taller or
        shorter instead of squeezing its neighbours or leaving a gap: a top-level window does not follow its
        wrapped lines' heights by itself."""
        handled = super().event(e)
        if (e.type() == QEvent.Type.LayoutRequest and not (self.isMaximized() or self.isFullScreen())
                and self.heightForWidth(self.width()) != self.height()):
            self.fit_height(self.width())
        return handled

    def _consent_row(self, visible: bool) -> QWidget:
        """The notice, shown until the rep has seen it, with a line to say or paste into the meeting chat."""
        row_widget = QFrame()
        row_widget.setFrameShape(QFrame.Shape.StyledPanel)
        column = QVBoxLayout(row_widget)
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
        flags, prompts = len(done.session.flags), len(done.session.prompts)
        text = (f"Session saved: {done.duration_s / 60:.1f} min, you talked {talk.rep_share:.0%} of the time, "
                f"{flags} directive phrase{'' if flags == 1 else 's'}, {prompts} prompt{'' if prompts == 1 else 's'}. "
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
        return self._open_window(self._calls)

    def open_progress(self) -> QWidget | None:
        """The rep's Progress across their calls: the list of calls, opened at its Progress tab."""

        def window(store: SessionStore) -> QWidget:
            calls = self._calls(store)
            calls.tabs.setCurrentWidget(calls.progress)
            return calls

        return self._open_window(window)

    def _calls(self, store: SessionStore) -> SessionsWindow:
        from copilot.core.rulebook import Rulebook
        from copilot.report.review import review_of
        from copilot.ui.review import SessionsWindow

        rules = self.settings.rules or None
        rulebook = Rulebook.load(rules)  # the rep's; a broken one is said here and the list does not open
        return SessionsWindow(store, lambda sid: review_of(store, sid, rulebook), rules)

    def open_settings(self) -> SettingsDialog:
        """Settings…: everything but the devices, saved as it changes. It first opens as wide as this window and
        clear of the overlay (at this window's side of the screen); after that, where the rep left it."""
        dialog = self.settings_dialog
        if not dialog.isVisible() and not self._settings_placed:
            dialog.ensurePolished()
            height = dialog.heightForWidth(self.width())
            dialog.resize(self.width(), height if height > 0 else dialog.sizeHint().height())
            place_clear(dialog, self.overlay)
            self._settings_placed = True
            dialog.show()
            keep_clear_once_framed(dialog, self.overlay)
        self.settings_dialog.show()
        self.settings_dialog.raise_()
        self.settings_dialog.activateWindow()
        return self.settings_dialog

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
        """Between calls: the session's echo line goes, the button starts the next one, the levels move again."""
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
