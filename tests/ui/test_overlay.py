"""The overlay: a window that never takes focus or clicks while locked, one prompt at a time, a meter in colour."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from copilot.core.events import Monologue, Prompt, Speaker, TalkState
from copilot.ui.overlay import AMBER, GREEN, RED, Overlay, meter_colour


def prompt(text: str, t: float = 10.0, hold_s: float = 2.0) -> Prompt:
    return Prompt(t, "phrase", text, "next_step", "you said: 'the next step is'", t + hold_s)


def talk(t: float, window_share: float, speaker: Speaker, monologue_s: float) -> TalkState:
    return TalkState(t, 0.0, 0.0, 0.6, 120.0, 0.0, 0.0, window_share,
                     current_monologue=Monologue(speaker, t - monologue_s, t))


@pytest.fixture
def overlay(qtbot: QtBot) -> Overlay:
    o = Overlay()
    qtbot.addWidget(o)
    o.show()
    qtbot.waitExposed(o)
    return o


def test_the_overlay_stays_on_top_without_frame_focus_or_clicks_while_locked(overlay: Overlay) -> None:
    flags = overlay.windowFlags()
    for flag in (Qt.WindowType.FramelessWindowHint, Qt.WindowType.WindowStaysOnTopHint, Qt.WindowType.Tool,
                 Qt.WindowType.WindowDoesNotAcceptFocus, Qt.WindowType.WindowTransparentForInput):
        assert flags & flag, flag
    assert overlay.testAttribute(Qt.WidgetAttribute.WA_TranslucentBackground)
    assert overlay.testAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)


def test_unlocked_it_takes_clicks_to_be_dragged_and_stays_visible(overlay: Overlay) -> None:
    overlay.set_locked(False)
    assert not overlay.windowFlags() & Qt.WindowType.WindowTransparentForInput
    assert overlay.windowFlags() & Qt.WindowType.WindowDoesNotAcceptFocus
    assert overlay.isVisible()
    overlay.set_locked(True)
    assert overlay.windowFlags() & Qt.WindowType.WindowTransparentForInput


def test_a_prompt_is_painted_then_fades_and_a_new_one_replaces_it(qtbot: QtBot, overlay: Overlay) -> None:
    with qtbot.waitSignal(overlay.shown, timeout=2000) as shown:
        overlay.on_event(prompt("This may not be a fit."))
    assert shown.args[0].text == "This may not be a fit."
    assert overlay.showing_prompt == "This may not be a fit."
    assert "the next step is" in overlay.caption.text()
    overlay.on_event(prompt("You're free to walk away.", t=11.0))
    assert overlay.showing_prompt == "You're free to walk away."  # one at a time: the newer replaces
    qtbot.waitUntil(lambda: overlay.showing_prompt is None, timeout=5000)  # 2 s on screen, then the fade


def test_the_meter_is_green_to_45_amber_to_65_red_beyond() -> None:
    assert meter_colour(0.30) == GREEN and meter_colour(0.45) == GREEN
    assert meter_colour(0.4501) == AMBER and meter_colour(0.65) == AMBER
    assert meter_colour(0.6501) == RED


def test_talk_updates_move_the_meter_and_the_monologue_timer_shows_only_past_45_s(overlay: Overlay) -> None:
    overlay.on_event(talk(50.0, 0.7, "rep", 44.0))
    assert overlay.meter.colour == RED and overlay.monologue.isHidden()
    overlay.on_event(talk(52.0, 0.7, "rep", 47.0))
    assert not overlay.monologue.isHidden() and "0:47" in overlay.monologue.text()
    overlay.on_event(talk(60.0, 0.5, "prospect", 80.0))
    assert overlay.monologue.isHidden() and overlay.meter.colour == AMBER


def test_capture_exclusion_says_what_happened_on_this_platform(overlay: Overlay) -> None:
    assert overlay.capture_status.startswith(("hidden from screen sharing", "visible in screen sharing"))


def test_a_long_prompt_wraps_and_every_line_fits(qtbot: QtBot, overlay: Overlay) -> None:
    long = "What would you need to see to move forward on your own terms?"
    with qtbot.waitSignal(overlay.shown, timeout=2000):
        overlay.on_event(prompt(long))
    line = overlay.prompt.fontMetrics().lineSpacing()
    assert overlay.prompt.height() >= 2 * line  # wrapped onto more than one line, none cut off
    assert overlay.prompt.height() >= overlay.prompt.heightForWidth(overlay.prompt.width())
