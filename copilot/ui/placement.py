"""Where the app's windows first appear: the overlay at the top of the screen, the control window clear of it.

The overlay is always on top, so a control window under it would lose whatever the overlay
covers (on a 1600-pixel screen, once, the consent notice). The geometry is a pure function
(:func:`clear_spot`, over plain boxes), so it can be checked for every screen size; the Qt
side only measures the screen, the overlay and the window and moves the window there.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPoint, QRect, QTimer
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

from copilot.ui.overlay import Overlay

__all__ = ["Box", "clear_spot", "place_overlay", "place_clear", "keep_clear", "keep_clear_once_framed", "FRAME_GUESS",
           "GAP", "EDGE", "fitted_size", "open_fitted"]

GAP = 24  # pixels between the overlay and the control window
EDGE = 16  # pixels between the control window and the screen's edge, where there is room
FRAME_GUESS = (8, 40)  # a window manager's frame before it has drawn one: borders (both sides) and title bar


@dataclass(frozen=True)
class Box:
    """A rectangle on the desktop in pixels; ``right`` and ``bottom`` are the first pixels past it."""

    x: int
    y: int
    width: int
    height: int

    @property
    def right(self) -> int:
        return self.x + self.width

    @property
    def bottom(self) -> int:
        return self.y + self.height

    def overlap(self, other: Box) -> int:
        """How many pixels the two share (0: they do not touch)."""
        w = min(self.right, other.right) - max(self.x, other.x)
        h = min(self.bottom, other.bottom) - max(self.y, other.y)
        return max(w, 0) * max(h, 0)

    def inside(self, other: Box) -> bool:
        """Wholly within ``other`` (nothing cut off)."""
        return other.x <= self.x and other.y <= self.y and self.right <= other.right and self.bottom <= other.bottom

    @classmethod
    def of(cls, rect: QRect) -> Box:
        """A Qt rectangle as a box."""
        return cls(rect.x(), rect.y(), rect.width(), rect.height())


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(value, high))


def clear_spot(area: Box, overlay: Box, width: int, height: int) -> tuple[int, int]:
    """Where a window of ``width`` × ``height`` (its frame included) goes on the screen's free ``area`` so that it
    does not touch ``overlay`` (the room the overlay can grow to), wholly on the screen.

    Beside the overlay first, at the screen's right edge (the rep's side panel, out of the call's middle), then
    at its left; else below the overlay, else above it. A window that fits nowhere clear is put on the screen
    where it shares the fewest pixels with the overlay; one larger than the screen keeps its top-left corner
    (and its title bar) on it.
    """
    top = _clamp(overlay.y, area.y, area.bottom - height)
    side_x = _clamp(area.right - EDGE - width, area.x, area.right - width)
    beside = [(max(overlay.right + GAP, side_x), top),
              (min(overlay.x - GAP - width, area.x + EDGE), top)]
    over = [(side_x, overlay.bottom + GAP), (side_x, overlay.y - GAP - height)]
    tries = beside + over
    for x, y in tries:
        if Box(x, y, width, height).inside(area) and not Box(x, y, width, height).overlap(overlay):
            return x, y
    last_x, last_y = max(area.x, area.right - width), max(area.y, area.bottom - height)
    on_screen = [(_clamp(x, area.x, last_x), _clamp(y, area.y, last_y)) for x, y in tries]
    return min(on_screen, key=lambda spot: Box(spot[0], spot[1], width, height).overlap(overlay))


def fitted_size(area: Box, width: int, height: int) -> tuple[int, int]:
    """A window's size: as asked, or smaller where the screen's free area is (its frame counted), so that a
    1366×768 laptop shows all of it."""
    return min(width, area.width - FRAME_GUESS[0]), min(height, area.height - FRAME_GUESS[1])


def open_fitted(window: QWidget, width: int, height: int) -> None:
    """Size a window (the calls, a review) for the screen it opens on."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        width, height = fitted_size(Box.of(screen.availableGeometry()), width, height)
    window.resize(width, height)


def place_overlay(overlay: QWidget, x: int, y: int) -> None:
    """Where the rep last left it, or top centre of the primary screen the first time (x, y = -1) or when the
    place it was left is on no screen now (a monitor unplugged, a smaller one)."""
    overlay.adjustSize()
    if x >= 0 and y >= 0 and QGuiApplication.screenAt(QPoint(x + overlay.width() // 2, y + 8)) is not None:
        overlay.move(x, y)
        return
    screen = QGuiApplication.primaryScreen()
    if screen is not None:
        area = screen.availableGeometry()
        overlay.move(area.x() + (area.width() - overlay.width()) // 2, area.y() + 40)


def _room(overlay: Overlay) -> Box:
    """The overlay as tall as it grows during a call (a long prompt, its reason, the monologue timer)."""
    return Box(overlay.x(), overlay.y(), overlay.width(), max(overlay.height(), overlay.tallest()))


def _screen_of(overlay: Overlay) -> QScreen | None:
    return QGuiApplication.screenAt(overlay.geometry().center()) or QGuiApplication.primaryScreen()


def _frame(window: QWidget) -> Box:
    """The window with its frame; before the window manager has framed it, with a generous guess of the frame."""
    frame, inner = window.frameGeometry(), window.geometry()
    if frame != inner:
        return Box.of(frame)
    borders, title = FRAME_GUESS
    return Box(frame.x(), frame.y(), inner.width() + borders, inner.height() + title + borders // 2)


def place_clear(window: QWidget, overlay: Overlay) -> None:
    """Put the control window where it does not touch the overlay, wholly on the overlay's screen."""
    screen = _screen_of(overlay)
    if screen is None:
        return
    frame = _frame(window)
    x, y = clear_spot(Box.of(screen.availableGeometry()), _room(overlay), frame.width, frame.height)
    window.move(x, y)  # a top-level window's position is its frame's


def keep_clear(window: QWidget, overlay: Overlay) -> None:
    """Move the control window only if it touches the overlay or is cut off by the screen's edge (its frame, once
    the window manager has drawn it, may be larger than guessed; a window manager may have put it elsewhere)."""
    screen = _screen_of(overlay)
    if screen is None:
        return
    frame = _frame(window)
    if frame.overlap(_room(overlay)) or not frame.inside(Box.of(screen.availableGeometry())):
        place_clear(window, overlay)


def keep_clear_once_framed(window: QWidget, overlay: Overlay, within_ms: int = 3000) -> QTimer:
    """Check again once the window manager has framed the window (a title bar of its own size; a window manager
    may also place a new window where it likes), looking every 100 ms for up to ``within_ms``."""
    timer = QTimer(window)
    timer.setInterval(100)
    left = [within_ms // 100]

    def look() -> None:
        left[0] -= 1
        if window.frameGeometry() != window.geometry() or left[0] <= 0:
            timer.stop()
            keep_clear(window, overlay)

    timer.timeout.connect(look)
    timer.start()
    return timer
