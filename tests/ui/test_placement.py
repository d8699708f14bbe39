"""Where the windows open: the control window (and Settings…) never under the overlay, never cut off by the screen.

The geometry is checked as a pure function on the screens reps have (1366×768 laptops up to
2560×1440 monitors, with and without a panel), with the real overlay's room and the real
windows' sizes as they are laid out here (their frame a window manager's, guessed generously).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from copilot.store.settings import Settings
from copilot.ui.bridge import EventBridge
from copilot.ui.control import ControlWindow
from copilot.ui.overlay import Overlay
from copilot.ui.placement import EDGE, FRAME_GUESS, GAP, Box, clear_spot, fitted_size
from copilot.ui.runner import LiveRunner

SCREENS = [(1366, 768), (1440, 900), (1536, 864), (1600, 900), (1920, 1080), (2560, 1440)]
PANELS = [(0, 0), (27, 0), (0, 40)]  # the free area: a top panel (GNOME) or a bottom taskbar (Windows, KDE) taken off


def framed(widget: QWidget) -> tuple[int, int]:
    borders, title = FRAME_GUESS
    return widget.width() + borders, widget.height() + title + borders // 2


def overlay_room(overlay: Overlay, area: Box) -> Box:
    """Where ``place_overlay`` puts the overlay the first time (top centre), as tall as it grows in a call."""
    return Box(area.x + (area.width - overlay.width()) // 2, area.y + 40, overlay.width(), overlay.tallest())


@pytest.fixture
def windows(qtbot: QtBot, tmp_path: Path) -> tuple[ControlWindow, Overlay]:
    overlay = Overlay()
    window = ControlWindow(Settings(), tmp_path / "settings.toml", LiveRunner(EventBridge()), overlay,
                           lambda s: None, db=str(tmp_path / "s.db"))  # type: ignore[arg-type,return-value]
    qtbot.addWidget(window)
    qtbot.addWidget(overlay)
    overlay.adjustSize()
    return window, overlay


@pytest.mark.parametrize(("width", "height"), SCREENS)
@pytest.mark.parametrize(("top", "bottom"), PANELS)
def test_the_control_window_and_settings_open_beside_the_overlay_wholly_on_screen(
        qtbot: QtBot, windows: tuple[ControlWindow, Overlay], width: int, height: int, top: int, bottom: int) -> None:
    window, overlay = windows
    area = Box(0, top, width, height - top - bottom)
    room = overlay_room(overlay, area)
    assert room.height > 150  # a two-line prompt, its reason, the meter and the monologue timer
    # The window as tall as it gets: the consent notice up, then a session's long last line and the review button.
    window.show()
    window.status.setText("Session saved: 31.5 min, you talked 63% of the time, 12 directive phrases, 7 prompts. "
                          "2 card-like numbers, 1 phone number hidden. Your voice profile was updated.")
    window.review_button.setVisible(True)
    qtbot.waitUntil(lambda: window.height() >= window.heightForWidth(window.width()))
    dialog = window.open_settings()
    for shown in (window, dialog):
        w, h = framed(shown)
        x, y = clear_spot(area, room, w, h)
        spot = Box(x, y, w, h)
        assert spot.inside(area), (shown, spot, area)
        assert not spot.overlap(room), (shown, spot, room)
        assert x >= room.right + GAP  # beside it, at the screen's right: not across the call's middle
        assert x + w == area.right - EDGE or x == room.right + GAP


def test_a_window_too_wide_to_sit_beside_the_overlay_goes_below_it() -> None:
    area, overlay = Box(0, 0, 1366, 768), Box(453, 40, 460, 169)
    x, y = clear_spot(area, overlay, 700, 500)
    assert y == overlay.bottom + GAP and Box(x, y, 700, 500).inside(area)


def test_an_overlay_the_rep_moved_to_the_right_edge_puts_the_window_on_the_left() -> None:
    area, overlay = Box(0, 0, 1600, 900), Box(1120, 600, 460, 169)
    x, y = clear_spot(area, overlay, 430, 520)
    assert x + 430 <= overlay.x - GAP and Box(x, y, 430, 520).inside(area)


def test_a_window_that_fits_nowhere_clear_stays_on_screen_and_touches_the_overlay_least() -> None:
    area, overlay = Box(0, 0, 800, 600), Box(170, 40, 460, 169)
    x, y = clear_spot(area, overlay, 700, 500)
    spot = Box(x, y, 700, 500)
    assert spot.inside(area) and spot.overlap(overlay) == min(
        Box(a, b, 700, 500).overlap(overlay) for a in range(0, 101, 10) for b in range(0, 101, 10))


def test_a_window_larger_than_the_screen_keeps_its_title_bar_on_it() -> None:
    x, y = clear_spot(Box(0, 27, 1024, 741), Box(282, 67, 460, 169), 1200, 900)
    assert (x, y) == (0, 27)


def test_the_calls_and_a_review_fit_a_small_laptop_screen() -> None:
    """They open at 1060×800 and 1100×800 where there is room; on a 1366×768 screen (a top panel of 28 pixels)
    they are as tall as the free area less the window's frame, so nothing is off the screen."""
    small = Box(0, 28, 1366, 740)
    width, height = fitted_size(small, 1060, 800)
    assert width == 1060 and height + FRAME_GUESS[1] <= small.height
    assert fitted_size(Box(0, 0, 1920, 1050), 1100, 800) == (1100, 800)
