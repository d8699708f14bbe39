"""Where the app's windows first appear: the overlay at the top of the screen, the control window clear of it."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

__all__ = ["place_overlay", "keep_clear"]

GAP = 24  # pixels between the overlay and the control window


def place_overlay(overlay: QWidget, x: int, y: int) -> None:
    """Where the rep last left it, or top centre of the primary screen the first time (x, y = -1)."""
    overlay.adjustSize()
    screen = QGuiApplication.primaryScreen()
    if x >= 0 and y >= 0:
        overlay.move(x, y)
    elif screen is not None:
        area = screen.availableGeometry()
        overlay.move(area.x() + (area.width() - overlay.width()) // 2, area.y() + 40)


def keep_clear(window: QWidget, overlay: QWidget) -> None:
    """Move the control window off the overlay if it opened over it: below it, else beside it."""
    if not window.frameGeometry().intersects(overlay.frameGeometry()):
        return
    screen = QGuiApplication.primaryScreen()
    area = screen.availableGeometry() if screen is not None else window.frameGeometry().united(overlay.geometry())
    frame = window.frameGeometry()
    below = overlay.frameGeometry().bottom() + GAP
    if below + frame.height() <= area.bottom():
        window.move(max(area.x(), min(frame.x(), area.right() - frame.width())), below)
        return
    left = overlay.frameGeometry().left() - GAP - frame.width()
    right = overlay.frameGeometry().right() + GAP
    window.move(left if left >= area.x() else right, max(area.y(), frame.y()))
