"""The two devices a session listens to, each with a level bar that moves when it hears something.

The levels come from :class:`LevelMonitor`'s stream callbacks (a peak per block) and are
read by a timer here, on the Qt thread; while a session runs the monitor is closed, since
the session opens the devices itself.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QComboBox, QProgressBar, QStyle, QStyleOptionComboBox, QStylePainter, QWidget

from copilot.audio.levels import LevelMonitor

__all__ = ["DevicePicker", "DeviceBox"]


class DeviceBox(QComboBox):
    """A list of devices whose chosen one, when its name is longer than the box, ends in "…" instead of being cut
    mid-letter (the open list and the tooltip show it whole)."""

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QStylePainter(self)
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        field = self.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                            QStyle.SubControl.SC_ComboBoxEditField, self)
        option.currentText = self.fontMetrics().elidedText(option.currentText, Qt.TextElideMode.ElideRight,
                                                           field.width())
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)


class DevicePicker(QObject):
    """The rep's microphone and the call audio: two lists ("the likely one" first) and their levels.

    Its :meth:`rows` go into the window's form, so every label lines up in one column.
    """

    changed = Signal()  # the rep picked another device
    problem = Signal(str)  # a sentence: no sound system, a device that cannot open

    def __init__(self, mic: str, call: str, levels: LevelMonitor | None = None) -> None:
        super().__init__()
        self.levels = levels
        self.mic = DeviceBox()
        self.call = DeviceBox()
        self.mic_level, self.call_level = QProgressBar(), QProgressBar()
        for bar in (self.mic_level, self.call_level):
            bar.setRange(0, 100)
            bar.setTextVisible(False)
            bar.setFixedHeight(8)
        for combo in (self.mic, self.call):
            # A device's name can be long ("alsa_input.pci-0000_00_1f.3.analog-stereo: Built-in Audio…"): the box
            # keeps the window narrow and the open list shows whole names.
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(20)
        self._chosen = (mic, call)
        self.mic.currentIndexChanged.connect(self._picked)
        self.call.currentIndexChanged.connect(self._picked)
        self._meter = QTimer(self)
        self._meter.setInterval(100)
        self._meter.timeout.connect(self._show_levels)

    def rows(self) -> list[tuple[str, QWidget]]:
        """The form rows: each device with its level bar under it."""
        return [("Your microphone", self.mic), ("", self.mic_level), ("Call audio", self.call), ("", self.call_level)]

    @property
    def chosen(self) -> tuple[str, str]:
        """The picked microphone and call audio ("" = the likely one)."""
        return str(self.mic.currentData() or ""), str(self.call.currentData() or "")

    def fill(self) -> None:
        """List the inputs (keeping what was chosen) and start showing their levels."""
        inputs, problem = self.levels.inputs() if self.levels is not None else ([], None)
        for combo, chosen in ((self.mic, self._chosen[0]), (self.call, self._chosen[1])):
            combo.blockSignals(True)
            combo.clear()
            combo.addItem("(the likely one)", "")
            for d in inputs:
                combo.addItem(f"{d.key}: {d.name}", d.key)
            combo.setCurrentIndex(max(0, combo.findData(chosen)))
            combo.view().setMinimumWidth(combo.view().sizeHintForColumn(0) + 24)
            combo.setToolTip(combo.currentText())
            combo.blockSignals(False)
        if problem:
            self.problem.emit(problem)
        self.watch()
        if self.levels is not None:
            self._meter.start()

    def watch(self) -> None:
        """Show the levels of the chosen devices (between sessions; one that cannot open stays still)."""
        if self.levels is not None:
            self.levels.watch(*self.chosen)

    def release(self) -> None:
        """Close the level streams: a session is about to open the devices, or the app is closing."""
        if self.levels is not None:
            self.levels.close()

    def stop(self) -> None:
        """Stop metering for good (the window is closing)."""
        self.release()
        self._meter.stop()

    def _picked(self) -> None:
        self._chosen = self.chosen
        for combo in (self.mic, self.call):
            combo.setToolTip(combo.currentText())
        self.changed.emit()

    def _show_levels(self) -> None:
        assert self.levels is not None
        mic, call = self.levels.levels()
        self.mic_level.setValue(round(mic * 100))
        self.call_level.setValue(round(call * 100))
