"""The control window: start and stop a session, pick the devices, tune the coach, place the overlay.

Everything here runs on the Qt thread and stays light: the session runs in
:class:`LiveRunner`, device levels come from :class:`LevelMonitor`'s callbacks and are
read by a timer. Errors (no device, a model that cannot load, a broken rulebook) show as a
sentence in the window. Settings are saved as they change.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QProgressBar,
    QPushButton,
    QSlider,
    QSpinBox,
    QSystemTrayIcon,
    QVBoxLayout,
    QWidget,
)

from copilot.config import Settings, SettingsError, save_settings
from copilot.errors import UserError
from copilot.store.sqlite import SessionStore, StoreError
from copilot.ui.levels import LevelMonitor
from copilot.ui.overlay import Overlay
from copilot.ui.runner import LiveRunner, SessionPlan

__all__ = ["ControlWindow", "CONSENT"]

CONSENT = ("Before you coach a real call: the copilot transcribes both sides on this computer. "
           "Tell the other side the call is being transcribed, as the law where you and they are may require.")


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
        self.levels = levels
        self.db = db
        self.last_session: str | None = None
        self.reviews: list[QWidget] = []  # open review windows (kept alive here)
        self.setWindowTitle("Live Call Copilot")

        self.status = QLabel(notice or "Ready. Start a session when your call begins.")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.start_button = QPushButton("Start session")
        self.start_button.clicked.connect(self.toggle)
        self.review_button = QPushButton("Review the call")
        self.review_button.clicked.connect(self.open_review)
        self.review_button.setVisible(False)
        self.calls_button = QPushButton("Your calls…")
        self.calls_button.clicked.connect(self.open_calls)

        self.consent = QWidget()
        row = QHBoxLayout(self.consent)
        text = QLabel(CONSENT)
        text.setWordWrap(True)
        ok = QPushButton("Got it")
        ok.clicked.connect(self._consent_seen)
        row.addWidget(text, 1)
        row.addWidget(ok)
        self.consent.setVisible(not settings.consent_acknowledged)

        self.mic = QComboBox()
        self.call = QComboBox()
        self.mic_level, self.call_level = QProgressBar(), QProgressBar()
        for bar in (self.mic_level, self.call_level):
            bar.setRange(0, 100)
            bar.setTextVisible(False)
            bar.setFixedHeight(8)
        self.model = QLineEdit(settings.model)
        self.model.setPlaceholderText("tiny.en (bundled); or base.en, small.en, a model folder")
        self.rules = QLineEdit(settings.rules)
        self.rules.setPlaceholderText("the bundled English rulebook")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._pick_rules)
        rules_row = QHBoxLayout()
        rules_row.addWidget(self.rules, 1)
        rules_row.addWidget(browse)

        self.gap = QSpinBox()
        self.gap.setRange(5, 600)
        self.gap.setSuffix(" s")
        self.gap.setValue(round(settings.prompt_gap_s))
        self.cooldown = QSpinBox()
        self.cooldown.setRange(5, 1800)
        self.cooldown.setSuffix(" s")
        self.cooldown.setValue(round(settings.cooldown_s))
        self.dominance = QDoubleSpinBox()
        self.dominance.setRange(40, 95)
        self.dominance.setDecimals(0)
        self.dominance.setSuffix(" %")
        self.dominance.setValue(settings.dominance_share * 100)
        self.lock = QCheckBox("Lock the overlay (clicks pass through to the call)")
        self.lock.setChecked(settings.overlay_locked)
        self.opacity = QSlider(Qt.Orientation.Horizontal)
        self.opacity.setRange(30, 100)
        self.opacity.setValue(round(settings.overlay_opacity * 100))
        self.capture = QLabel(f"Overlay: {overlay.capture_status}")
        self.keep_audio = QCheckBox("Keep the call's audio on this computer, to replay moments in the review")
        self.keep_audio.setChecked(settings.keep_audio)

        form = QFormLayout()
        form.addRow("Your microphone", self.mic)
        form.addRow("", self.mic_level)
        form.addRow("Call audio", self.call)
        form.addRow("", self.call_level)
        form.addRow("Speech model", self.model)
        form.addRow("Rulebook", rules_row)
        form.addRow("Time between prompts", self.gap)
        form.addRow("Same prompt again after", self.cooldown)
        form.addRow("Prompt when you talk more than", self.dominance)
        form.addRow("Overlay opacity", self.opacity)
        form.addRow("", self.lock)
        form.addRow("", self.keep_audio)

        layout = QVBoxLayout(self)
        layout.addWidget(self.consent)
        layout.addWidget(self.status)
        layout.addLayout(form)
        layout.addWidget(self.capture)
        layout.addWidget(self.start_button)
        after = QHBoxLayout()
        after.addWidget(self.review_button)
        after.addWidget(self.calls_button)
        layout.addLayout(after)

        self._fill_devices()
        for widget in (self.model, self.rules):
            widget.editingFinished.connect(self._save)
        for spin in (self.gap, self.cooldown):
            spin.valueChanged.connect(self._save)
        self.dominance.valueChanged.connect(self._save)
        self.mic.currentIndexChanged.connect(self._devices_changed)
        self.call.currentIndexChanged.connect(self._devices_changed)
        self.lock.toggled.connect(self._lock_changed)
        self.keep_audio.toggled.connect(self._save)
        self.opacity.valueChanged.connect(self._opacity_changed)
        overlay.capture.connect(lambda status: self.capture.setText(f"Overlay: {status}"))
        overlay.moved.connect(self._overlay_moved)
        runner.status.connect(self._on_status)
        runner.failed.connect(self._on_failed)
        runner.finished.connect(self._on_finished)

        self._meter = QTimer(self)
        self._meter.setInterval(100)
        self._meter.timeout.connect(self._show_levels)
        if self.levels is not None:
            self._meter.start()
        self.tray = self._tray()

    # ---- session -------------------------------------------------------------------

    def toggle(self) -> None:
        """Start a session, or stop the running one."""
        if self.runner.running:
            self.start_button.setEnabled(False)
            self.status.setText("Stopping… what was heard is being saved.")
            self.runner.stop()
            return
        self._save()
        if self.levels is not None:
            self.levels.close()  # the session opens the devices itself
        self.start_button.setText("Stop session")
        self.status.setText("Starting…")
        self.runner.start(self.plan_for(self.settings))

    def _on_status(self, text: str) -> None:
        self.status.setText(text)

    def _on_failed(self, message: str) -> None:
        self.status.setText(message)
        self._idle()

    def _on_finished(self, result: dict[str, Any]) -> None:
        minutes = result["duration_s"] / 60
        text = (f"Session saved: {minutes:.1f} min, you talked {result['rep_share']:.0%} of the time, "
                f"{result['flags']} directive phrases, {result['prompts']} prompts.")
        if result.get("save_error"):
            text = f"The end of the session was not saved: {result['save_error']}"
        self.status.setText(text)
        self.last_session = result.get("session_id")
        self.review_button.setVisible(self.last_session is not None)
        self._idle()

    # ---- after the call ---------------------------------------------------------------

    def open_review(self) -> QWidget | None:
        """The review of the session that just ended."""
        if self.last_session is None:
            return None
        from copilot.ui.review import ReviewWindow
        from copilot.ui.review_app import load_review

        session = self.last_session
        return self._open_window(lambda store: ReviewWindow(load_review(store, session, self.settings.rules or None),
                                                            store))

    def open_calls(self) -> QWidget | None:
        """The list of stored calls, to review, rename or delete."""
        from copilot.cli import load_detector
        from copilot.review import build_review
        from copilot.ui.review import SessionsWindow

        def window(store: SessionStore) -> QWidget:
            detector = load_detector(self.settings.rules or None)
            return SessionsWindow(store, lambda sid: build_review(store.load(sid), detector))

        return self._open_window(window)

    def _open_window(self, make: Callable[[SessionStore], QWidget]) -> QWidget | None:
        store: SessionStore | None = None
        try:
            store = SessionStore(self.db)
            window = make(store)
        except (StoreError, UserError) as e:
            if store is not None:
                store.close()  # the window that would have used it never opened
            self.status.setText(str(e))
            return None
        self.reviews = [w for w in self.reviews if w.isVisible()] + [window]
        window.show()
        return window

    def _idle(self) -> None:
        self.start_button.setText("Start session")
        self.start_button.setEnabled(True)
        if self.levels is not None:
            self._devices_changed()

    # ---- devices and levels ------------------------------------------------------------

    def _fill_devices(self) -> None:
        inputs, problem = self.levels.inputs() if self.levels is not None else ([], None)
        for combo, chosen in ((self.mic, self.settings.mic), (self.call, self.settings.call)):
            combo.blockSignals(True)
            combo.clear()
            combo.addItem("(the likely one)", "")
            for d in inputs:
                combo.addItem(f"{d.key}: {d.name}", d.key)
            at = combo.findData(chosen)
            combo.setCurrentIndex(max(0, at))
            combo.blockSignals(False)
        if problem:
            self.status.setText(problem)
        self._devices_changed()

    def _devices_changed(self) -> None:
        self._save()
        if self.levels is not None and not self.runner.running:
            self.levels.watch(self.settings.mic, self.settings.call)

    def _show_levels(self) -> None:
        assert self.levels is not None
        mic, call = self.levels.levels()
        self.mic_level.setValue(round(mic * 100))
        self.call_level.setValue(round(call * 100))

    # ---- settings ------------------------------------------------------------------

    def _save(self) -> None:
        s = self.settings
        self.settings = Settings(
            mic=str(self.mic.currentData() or ""), call=str(self.call.currentData() or ""),
            model=self.model.text().strip(), rules=self.rules.text().strip(),
            prompt_gap_s=float(self.gap.value()), cooldown_s=float(self.cooldown.value()),
            dominance_share=self.dominance.value() / 100, overlay_locked=self.lock.isChecked(),
            overlay_opacity=self.opacity.value() / 100, overlay_x=s.overlay_x, overlay_y=s.overlay_y,
            consent_acknowledged=s.consent_acknowledged, keep_audio=self.keep_audio.isChecked())
        self._write()

    def _write(self) -> None:
        try:
            save_settings(self.settings, self.settings_path)
        except SettingsError as e:
            self.status.setText(str(e)[:1].upper() + str(e)[1:])

    def _consent_seen(self) -> None:
        self.consent.hide()
        self._save()
        from dataclasses import replace

        self.settings = replace(self.settings, consent_acknowledged=True)
        self._write()

    def _pick_rules(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Rulebook", "", "Rulebooks (*.toml)")
        if path:
            self.rules.setText(path)
            self._save()

    def _lock_changed(self, locked: bool) -> None:
        self.overlay.set_locked(locked)
        self._save()

    def _opacity_changed(self, value: int) -> None:
        self.overlay.setWindowOpacity(value / 100)
        self._save()

    def _overlay_moved(self, at: QPoint) -> None:
        from dataclasses import replace

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
        if self.levels is not None:
            self.levels.close()
        self._meter.stop()
        self.overlay.close()
        event.accept()
        QGuiApplication.quit()
