"""The overlay: a window that never takes focus or clicks while locked, one prompt at a time, a meter in colour."""

from __future__ import annotations

import itertools

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from copilot.core.events import Monologue, Prompt, PromptTakenBack, Speaker, TalkState
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


def test_a_prompt_whose_flag_was_taken_back_fades_at_once_and_no_other_does(qtbot: QtBot, overlay: Overlay) -> None:
    with qtbot.waitSignal(overlay.shown, timeout=2000):
        overlay.on_event(prompt("You're free to walk away.", t=30.0, hold_s=60.0))
    overlay.on_event(PromptTakenBack(31.0, 29.0, "next_step"))  # an older prompt's: this one stays
    qtbot.wait(800)
    assert overlay.showing_prompt == "You're free to walk away."
    overlay.on_event(PromptTakenBack(31.0, 30.0, "next_step"))
    qtbot.waitUntil(lambda: overlay.showing_prompt is None, timeout=3000)  # not the 60 s it was to stay


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


def painted(overlay: Overlay) -> dict[str, QRect]:
    """Where each visible part of the overlay paints, in the overlay's coordinates: the text's own
    bounding box for the labels (as they wrap it), the widget for the meter."""
    out: dict[str, QRect] = {}
    for name, label in (("prompt", overlay.prompt), ("reason", overlay.caption), ("monologue", overlay.monologue)):
        if label.isVisibleTo(overlay) and label.text():
            flags = int(label.alignment()) | (int(Qt.TextFlag.TextWordWrap) if label.wordWrap() else 0)
            text = label.fontMetrics().boundingRect(label.contentsRect(), flags, label.text())
            out[name] = QRect(label.mapTo(overlay, text.topLeft()), text.size())
            assert label.rect().contains(label.contentsRect().intersected(text)), name
            assert text.height() <= label.contentsRect().height(), f"{name} is cut off"
    out["meter"] = QRect(overlay.meter.mapTo(overlay, overlay.meter.rect().topLeft()), overlay.meter.size())
    return out


@pytest.mark.parametrize("monologue_s", [12.0, 50.0])  # the timer hidden, then shown
@pytest.mark.parametrize("texts", [
    ["This may not be a fit.", "What do you want to do next?"],  # one line, then two: the amber picture
    ["What would you need to see to move forward on your own terms?", "You're free to walk away."],  # three, then one
])
def test_prompt_reason_meter_and_timer_never_overlap_and_the_overlay_fits_them(
        qtbot: QtBot, overlay: Overlay, texts: list[str], monologue_s: float) -> None:
    for i, text in enumerate(texts):
        overlay.on_event(prompt(text, t=10.0 + i))
        overlay.on_event(talk(10.0 + i, 0.6, "rep", monologue_s + i))
        QApplication.processEvents()  # what is painted next: the overlay as the rep sees it
        rects = painted(overlay)
        assert {"prompt", "reason", "meter"} <= set(rects) and ("monologue" in rects) == (monologue_s > 45)
        for a, b in itertools.combinations(rects, 2):
            assert not rects[a].intersects(rects[b]), (text, a, b, rects[a], rects[b])
        assert all(overlay.rect().contains(r) for r in rects.values()), (text, rects, overlay.rect())
        spare = overlay.prompt.height() - rects["prompt"].height()
        assert spare < overlay.prompt.fontMetrics().lineSpacing(), (text, spare)  # no room kept for old lines
    first = overlay.height()
    overlay.on_event(talk(20.0, 0.6, "prospect", 3.0))  # a timer that was shown goes: the overlay shrinks
    assert overlay.height() < first if monologue_s > 45 else overlay.height() == first


def test_the_control_window_does_not_open_over_the_overlay(qtbot: QtBot, overlay: Overlay) -> None:
    from PySide6.QtWidgets import QWidget

    from copilot.ui.placement import keep_clear, place_overlay

    place_overlay(overlay, -1, -1)  # top centre, as on first start
    window = QWidget()
    qtbot.addWidget(window)
    window.resize(560, 640)
    window.move(overlay.x() - 100, 0)  # where a desktop without a window manager puts it: over the overlay
    window.show()
    assert window.frameGeometry().intersects(overlay.frameGeometry())
    keep_clear(window, overlay)
    assert not window.frameGeometry().intersects(overlay.frameGeometry())
