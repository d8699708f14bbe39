"""The overlay the rep glances at during the call: one line to say, and a slim talk meter.

A frameless, translucent, always-on-top tool window that never takes focus. Locked, it
lets every click through to Zoom (the window *flag*, not the widget attribute, is what
makes a window click-through); unlocked, it can be dragged and remembers where it was put.
It shows at most one prompt, large, with a small caption of why, and fades it after a few
seconds; below it the rep's share of the last two minutes, green up to 45%, amber to 65%,
red beyond, and a monologue timer that appears only once the rep has held the floor 45 s.

Where the OS allows it the window is kept out of screen sharing (``native.py``), and that
is applied again whenever Qt recreates the native window (changing flags does).
"""

from __future__ import annotations

from PySide6.QtCore import QEasingCurve, QEvent, QPoint, QPropertyAnimation, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPaintEvent, QShowEvent
from PySide6.QtWidgets import QGraphicsOpacityEffect, QLabel, QVBoxLayout, QWidget

from copilot.core.events import Prompt, PromptTakenBack, TalkState
from copilot.core.facts import HIGH_REP_SHARE
from copilot.ui.native import exclude_from_capture

__all__ = ["Overlay", "TalkMeter", "meter_colour", "GREEN", "AMBER", "RED", "MONOLOGUE_SHOW_S"]

GREEN, AMBER, RED = "#2e9e5b", "#e0a526", "#d64541"
MONOLOGUE_SHOW_S = 45.0  # the timer appears once the rep has held the floor this long
FADE_MS = 700
MARGIN = 16
PROMPT_LINES = 3  # the longest prompt in the bundled rulebook takes two lines at this width; a rep's own may take three


def meter_colour(rep_share: float) -> str:
    """The meter's colour for the rep's share of the window: green to 45%, amber to 65%, red beyond."""
    if rep_share <= 0.45:
        return GREEN
    if rep_share <= HIGH_REP_SHARE:
        return AMBER
    return RED


def _fill_rounded(widget: QWidget, shapes: list[tuple[QRect, QColor]], radius: int) -> None:
    """Paint filled rounded rectangles on ``widget``, in order, without outlines."""
    p = QPainter(widget)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(Qt.PenStyle.NoPen)
    for rect, colour in shapes:
        p.setBrush(colour)
        p.drawRoundedRect(rect, radius, radius)
    p.end()


class TalkMeter(QWidget):
    """A slim bar: the rep's share of the last two minutes from the left, the prospect's the rest."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rep_share: float | None = None
        self.setFixedHeight(8)

    def set_share(self, rep_share: float | None) -> None:
        """The rep's share (0..1), or None before anyone has spoken."""
        self.rep_share = rep_share
        self.update()

    @property
    def colour(self) -> str:
        """The colour the rep's part is painted in now."""
        return meter_colour(self.rep_share or 0.0)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        bars = [(self.rect(), QColor(255, 255, 255, 50))]
        if self.rep_share is not None:
            bars.append((QRect(0, 0, round(self.width() * self.rep_share), self.height()), QColor(self.colour)))
        _fill_rounded(self, bars, 4)


class Overlay(QWidget):
    """The always-on-top window with the prompt and the talk meter."""

    shown = Signal(object)  # the Prompt, once the overlay has actually painted it
    moved = Signal(QPoint)  # the rep dropped the unlocked overlay here
    capture = Signal(str)  # what became of hiding the window from screen sharing

    def __init__(self, locked: bool = True, opacity: float = 0.92) -> None:
        super().__init__(None)
        self.locked = locked
        self.capture_status = "not applied yet"
        self._pending: Prompt | None = None  # shown, not yet painted
        self._up: Prompt | None = None  # the prompt on screen (until it fades)
        self._drag_from: QPoint | None = None
        self.setAttribute(Qt.WidgetAttribute.WA_TranslucentBackground)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setWindowTitle("Live Call Copilot")
        self.setWindowOpacity(opacity)
        self._apply_flags()

        self.prompt = QLabel("")
        self.prompt.setWordWrap(True)
        font = QFont()
        font.setPointSize(20)
        font.setBold(True)
        self.prompt.setFont(font)
        self.prompt.setStyleSheet("color: white;")
        self.caption = QLabel("")
        self.caption.setStyleSheet("color: rgba(255,255,255,170); font-size: 11px;")
        self.meter = TalkMeter()
        self.monologue = QLabel("")
        self.monologue.setStyleSheet(f"color: {AMBER}; font-size: 11px; font-weight: bold;")
        self.monologue.hide()

        self._prompt_box = QWidget()
        box = QVBoxLayout(self._prompt_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.prompt)
        box.addWidget(self.caption)
        self._fade_effect = QGraphicsOpacityEffect(self._prompt_box)
        self._prompt_box.setGraphicsEffect(self._fade_effect)
        self._fade = QPropertyAnimation(self._fade_effect, b"opacity", self)
        self._fade.setDuration(FADE_MS)
        self._fade.setEasingCurve(QEasingCurve.Type.InOutQuad)
        self._fade.setStartValue(1.0)
        self._fade.setEndValue(0.0)
        self._fade.finished.connect(self._cleared)
        self._prompt_box.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(MARGIN, 12, MARGIN, 12)
        layout.setSpacing(6)
        layout.addWidget(self._prompt_box)
        layout.addWidget(self.meter)
        layout.addWidget(self.monologue)
        self.setFixedWidth(460)

        self._hold = QTimer(self)
        self._hold.setSingleShot(True)
        self._hold.timeout.connect(self._fade.start)

    # ---- what the pipeline says ----------------------------------------------------

    def on_event(self, event: object) -> None:
        """A pipeline event (from the bridge): prompts and talk updates change what is shown."""
        if isinstance(event, Prompt):
            self.show_prompt(event)
        elif isinstance(event, PromptTakenBack):
            self.take_back(event)
        elif isinstance(event, TalkState):
            self.show_talk(event)

    def show_prompt(self, event: Prompt) -> None:
        """Put up one prompt (replacing any still showing) and fade it after its time on screen."""
        self._fade.stop()
        self._fade_effect.setOpacity(1.0)
        self.prompt.setText(event.text)
        # A wrapped label in a fixed-width window does not grow by itself: give it the height
        # its lines need at this width, or a long line is cut off top and bottom.
        self.prompt.setMinimumHeight(0)  # the last prompt's height must not hold the next one
        self.prompt.setMaximumHeight(16_777_215)  # QWIDGETSIZE_MAX
        self.prompt.setFixedHeight(self.prompt.heightForWidth(self.width() - 2 * MARGIN))
        self.caption.setText(event.reason)
        self._prompt_box.show()
        self._fit()
        hold_s = max(2.0, event.until - event.time)
        self._hold.start(round(hold_s * 1000))
        self._pending = self._up = event
        self.update()

    def take_back(self, event: PromptTakenBack) -> None:
        """The prompt on screen was shown for a flag that was taken back: it fades now, not at its time.
        Any other prompt (a newer one, or one for talking too long) stays."""
        if self._up is not None and self._up.time == event.shown_at and self._prompt_box.isVisible():
            self._hold.stop()
            self._fade.start()

    def show_talk(self, event: TalkState) -> None:
        """Move the meter; show the monologue timer only past 45 s of the rep holding the floor."""
        self.meter.set_share(event.window_rep_share)
        mono = event.current_monologue
        # As the event log has it: the monologue to a tenth of a second.
        seconds = round(mono.duration, 1) if mono is not None else 0.0
        if mono is not None and mono.speaker == "rep" and seconds >= MONOLOGUE_SHOW_S:
            self.monologue.setText(f"You've held the floor for {int(seconds) // 60}:{int(seconds) % 60:02d}")
            self.monologue.show()
        else:
            self.monologue.hide()
        self._fit()

    def _fit(self) -> None:
        """Grow or shrink to the content, every time. A label's new fixed height reaches the
        layouts only when they run again, so they are run now: without it a prompt that wraps
        onto a second line after a one-line prompt was painted over its own reason line."""
        for layout in (self._prompt_box.layout(), self.layout()):
            if layout is not None:
                layout.invalidate()
                layout.activate()
        self.adjustSize()

    def tallest(self) -> int:
        """How tall the overlay grows during a call (a prompt of three lines, its reason, the meter and the
        monologue timer): the room the control window keeps clear of when the app opens."""
        for label in (self.prompt, self.caption, self.monologue):
            label.ensurePolished()  # the caption's and the timer's sizes come from their style sheets
        outer, inner = self.layout(), self._prompt_box.layout()
        assert outer is not None and inner is not None
        margins = outer.contentsMargins()
        lines = (PROMPT_LINES * self.prompt.fontMetrics().lineSpacing() + self.caption.fontMetrics().lineSpacing()
                 + self.monologue.fontMetrics().lineSpacing())
        return margins.top() + margins.bottom() + lines + self.meter.height() + 2 * outer.spacing() + inner.spacing()

    @property
    def showing_prompt(self) -> str | None:
        """The prompt on screen now (None once it has faded)."""
        return self.prompt.text() if self._prompt_box.isVisible() else None

    def _cleared(self) -> None:
        self._up = None
        self._prompt_box.hide()
        self.prompt.setText("")
        self.caption.setText("")
        self._fit()

    # ---- lock, drag, native window ----------------------------------------------------

    def set_locked(self, locked: bool) -> None:
        """Locked: clicks pass through to the call. Unlocked: the rep can drag the overlay."""
        if locked == self.locked:
            return
        self.locked = locked
        visible = self.isVisible()
        self._apply_flags()  # recreates the native window, which hides it
        if visible:
            self.show()

    def _apply_flags(self) -> None:
        flags = (Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint | Qt.WindowType.Tool
                 | Qt.WindowType.WindowDoesNotAcceptFocus)
        if self.locked:
            flags |= Qt.WindowType.WindowTransparentForInput
        self.setWindowFlags(flags)

    def event(self, e: QEvent) -> bool:
        """Keeps the window out of screen sharing each time Qt makes a new native window."""
        if e.type() == QEvent.Type.WinIdChange:
            self._exclude()
        return super().event(e)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self._exclude()

    def _exclude(self) -> None:
        status = exclude_from_capture(self)
        if status != self.capture_status:
            self.capture_status = status
            self.capture.emit(status)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if not self.locked and event.button() == Qt.MouseButton.LeftButton:
            self._drag_from = event.globalPosition().toPoint() - self.frameGeometry().topLeft()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if self._drag_from is not None:
            self.move(event.globalPosition().toPoint() - self._drag_from)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if self._drag_from is not None:
            self._drag_from = None
            self.moved.emit(self.pos())

    # ---- painting ------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        _fill_rounded(self, [(self.rect(), QColor(20, 24, 28, 215))], 12)
        if self._pending is not None:
            event_shown, self._pending = self._pending, None
            self.shown.emit(event_shown)
