"""The control window drives a session (replay source, fake transcriber), shows errors, keeps settings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from copilot.audio.decode import load_call
from copilot.audio.sources import FileSource
from copilot.core.events import Prompt
from copilot.core.settings import CoachSettings
from copilot.pipeline import sinks
from copilot.pipeline.events import DeviceNotice
from copilot.pipeline.options import LiveOptions
from copilot.store.settings import Settings, load_settings, save_settings
from copilot.store.sqlite import SessionStore
from copilot.ui.bridge import EventBridge
from copilot.ui.control import ControlWindow
from copilot.ui.overlay import Overlay
from copilot.ui.review import ReviewWindow, SessionsWindow
from copilot.ui.runner import LiveRunner, SessionPlan, device_plan
from tests.fakes import SaysNextStep
from tests.wavs import ROOT, first_seconds, sample_call


def make_window(qtbot: QtBot, tmp_path: Path, settings: Settings | None = None,
                rules: str | None = None) -> tuple[ControlWindow, Overlay, LiveRunner]:
    bridge = EventBridge()
    overlay = Overlay()
    bridge.received.connect(overlay.on_event)
    runner = LiveRunner(bridge, engine_for=lambda model, threads: SaysNextStep())

    def plan_for(s: Settings) -> SessionPlan:
        # The sample's first 45 s, 20 times faster than real time (about as long as the whole call took at 60x,
        # so a loaded machine's transcription still keeps up): a directive line, a prompt, the echo verdict.
        return SessionPlan("sample (fast replay)", lambda: FileSource(first_seconds(sample_call(), 45), speed=20.0),
                           LiveOptions(rules=rules or s.rules or None, coach=s.coach), db=str(tmp_path / "s.db"))

    window = ControlWindow(settings or Settings(), tmp_path / "settings.toml", runner, overlay, plan_for,
                           db=str(tmp_path / "s.db"))
    qtbot.addWidget(window)
    qtbot.addWidget(overlay)
    overlay.show()
    window.show()
    return window, overlay, runner


def test_the_window_runs_a_session_and_the_overlay_paints_its_prompts(qtbot: QtBot, tmp_path: Path) -> None:
    window, overlay, runner = make_window(qtbot, tmp_path)
    with qtbot.waitSignal(overlay.shown, timeout=20_000) as shown:
        with qtbot.waitSignal(runner.finished, timeout=30_000) as finished:
            qtbot.mouseClick(window.start_button, Qt.MouseButton.LeftButton)  # type: ignore[no-untyped-call]
            assert window.start_button.text() == "Stop session"
    assert isinstance(shown.args[0], Prompt)
    result = finished.args[0]
    assert result.session.flags and result.session.prompts and result.save_error is None
    assert window.status.text().startswith("Session saved") and window.start_button.text() == "Start session"
    with SessionStore(tmp_path / "s.db") as store:
        assert [s.id for s in store.sessions()] == [result.session_id]
    assert window.review_button.isVisibleTo(window)  # the call can be reviewed at once
    review = window.open_review()
    assert isinstance(review, ReviewWindow) and review.review.stored.row.id == result.session_id
    assert review.review.flags and review.isVisible()
    calls = window.open_calls()
    assert isinstance(calls, SessionsWindow) and calls.table.rowCount() == 1
    for w in (review, calls):
        qtbot.addWidget(w)


def test_the_window_shows_the_echo_status_it_is_sent_from_the_coach_thread(qtbot: QtBot, tmp_path: Path) -> None:
    import threading

    from copilot.pipeline.events import EchoStatus, Stamped

    window, _, runner = make_window(qtbot, tmp_path)
    assert not window.echo.isVisibleTo(window) and not hasattr(runner, "echo_line")
    for line in ("Echo from your speakers: listening (the buyer has not spoken yet).",
                 "Echo from your speakers: removed, -22 dB."):
        sender = threading.Thread(target=runner.bridge.sink, args=(Stamped(EchoStatus(1.0, line), 1.0),))
        sender.start()  # as the coach thread sends it
        sender.join()
        qtbot.waitUntil(lambda line=line: window.echo.text() == line)  # type: ignore[misc]
        assert window.echo.isVisibleTo(window)


def test_a_session_says_what_its_echo_canceller_does_and_the_line_goes_when_it_ends(
    qtbot: QtBot, tmp_path: Path
) -> None:
    window, _, runner = make_window(qtbot, tmp_path)
    with qtbot.waitSignal(runner.finished, timeout=30_000):
        window.toggle()
    # The sample has no speaker echo: the canceller listened, then said it heard none.
    assert window.echo.text() == "No echo from your speakers on the microphone."
    assert not window.echo.isVisibleTo(window)


def test_a_broken_rulebook_coaches_the_call_with_the_bundled_one_and_says_so_in_the_window(
        qtbot: QtBot, tmp_path: Path) -> None:
    bad = tmp_path / "rules.toml"
    bad.write_text("[[rule]\nthis is not toml", encoding="utf-8")
    window, _, runner = make_window(qtbot, tmp_path, rules=str(bad))
    with qtbot.waitSignal(runner.status, timeout=10_000, check_params_cb=lambda s: s.startswith("Coaching")) as said:
        window.toggle()
    message = said.args[0]
    assert "Coaching this call with the bundled rulebook." in message and "rules.toml" in message
    assert "Traceback" not in message
    qtbot.waitUntil(lambda: window.status.text() == message)
    assert window.start_button.text() == "Stop session"
    with qtbot.waitSignal(runner.finished, timeout=20_000):
        window.toggle()  # stop


def test_stop_ends_the_session_and_keeps_what_was_heard(qtbot: QtBot, tmp_path: Path) -> None:
    window, _, runner = make_window(qtbot, tmp_path)
    window.plan_for = lambda s: SessionPlan("sample (real time)", lambda: FileSource(sample_call(), speed=1.0),
                                            db=str(tmp_path / "s.db"))
    with qtbot.waitSignal(runner.status, timeout=10_000, check_params_cb=lambda s: s.startswith("Coaching")):
        window.toggle()
    with qtbot.waitSignal(runner.finished, timeout=10_000) as finished:
        window.toggle()  # stop
    assert finished.args[0].duration_s < 60


def test_a_disk_that_fills_mid_call_is_said_in_the_window_and_the_coaching_goes_on(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A write every 0.5 s of wall time at 30x is one every 15 s of the call, as 2 s is at 7.5x: a good write
    # before the disk fills, failed ones after it, without 6 s of waiting for them.
    monkeypatch.setattr(sinks, "WRITE_EVERY_S", 0.5)
    db = tmp_path / "s.db"
    with SessionStore(db) as store:  # from 30 s into the call on, nothing more fits on the disk
        store.db.execute("CREATE TRIGGER full BEFORE INSERT ON speech_spans WHEN NEW.start > 30 "
                         "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END")
    window, overlay, runner = make_window(qtbot, tmp_path)
    start = first_seconds(sample_call(), 75)  # the disk fills at 30 s; the next prompt comes after 60
    window.plan_for = lambda s: SessionPlan("sample", lambda: FileSource(start, speed=30.0), db=str(db))
    shown: list[Prompt] = []
    overlay.shown.connect(shown.append)
    with qtbot.waitSignal(runner.bridge.received, timeout=30_000,
                          check_params_cb=lambda e: isinstance(e, DeviceNotice)) as said:
        window.toggle()
    notice = said.args[0]
    assert window.status.text() == notice.message  # in the window, not only on a terminal
    assert "the disk is full" in notice.message and "coaching goes on" in notice.message
    qtbot.waitUntil(lambda: window.start_button.text() == "Start session", timeout=30_000)
    assert window.status.text().startswith("The end of the session was not saved") and runner.wait(5)
    # Prompts still came after the disk filled.
    assert any(p.time > notice.t for p in shown), ([p.time for p in shown], notice.t)
    with SessionStore(db) as store:  # the call is kept up to the last stretch that could be written
        row = store.sessions()[0]
        spans = store.load(row.id).spans
    assert row.ended_unexpectedly and spans and max(s.start for s in spans) <= 30 and row.duration_s < 45


def test_the_consent_notice_shows_once(qtbot: QtBot, tmp_path: Path) -> None:
    window, _, _ = make_window(qtbot, tmp_path)
    assert window.consent.isVisible()
    window._consent_seen()
    assert not window.consent.isVisible()
    saved, problem = load_settings(tmp_path / "settings.toml")
    assert saved.consent_acknowledged and problem is None
    again, _, _ = make_window(qtbot, tmp_path, saved)
    assert not again.consent.isVisible()


def test_the_consent_notice_has_a_line_to_say_or_paste_and_copy_puts_it_on_the_clipboard(qtbot: QtBot,
                                                                                       tmp_path: Path) -> None:
    from PySide6.QtGui import QGuiApplication

    from copilot.core.consent import consent_line

    window, _, _ = make_window(qtbot, tmp_path)
    assert consent_line() in window.consent_line.text() and window.consent_line.isVisible()
    assert "recording" not in window.consent_line.text()  # the call's audio is not kept: the line does not say so
    qtbot.mouseClick(window.copy_button, Qt.MouseButton.LeftButton)  # type: ignore[no-untyped-call]
    assert QGuiApplication.clipboard().text() == consent_line() and window.copy_button.text() == "Copied"
    window.coaching.keep_audio.setChecked(True)  # the rep keeps the call's audio: now the line says so
    assert "a recording stay" in window.consent_line.text() and window.copy_button.text() == "Copy the line"
    qtbot.mouseClick(window.copy_button, Qt.MouseButton.LeftButton)  # type: ignore[no-untyped-call]
    assert QGuiApplication.clipboard().text() == consent_line(keep_audio=True)


def test_the_lock_and_opacity_reach_the_overlay_and_are_saved(qtbot: QtBot, tmp_path: Path) -> None:
    window, overlay, _ = make_window(qtbot, tmp_path)
    window.coaching.lock.setChecked(False)
    window.coaching.opacity.setValue(60)
    assert not overlay.locked and abs(overlay.windowOpacity() - 0.6) < 0.01
    saved, _ = load_settings(tmp_path / "settings.toml")
    assert not saved.overlay_locked and saved.overlay_opacity == 0.6
    assert not saved.keep_audio and not window.coaching.keep_audio.isChecked()  # off until the rep opts in
    window.coaching.keep_audio.setChecked(True)
    assert load_settings(tmp_path / "settings.toml")[0].keep_audio
    assert device_plan(window.settings, None, None).options.keep_audio  # the next session keeps it


def test_hiding_is_on_until_the_rep_turns_it_off_and_the_next_session_keeps_them_as_heard(
        qtbot: QtBot, tmp_path: Path) -> None:
    window, _, _ = make_window(qtbot, tmp_path)
    assert window.coaching.redact.isChecked() and device_plan(window.settings, None, None).options.redact
    window.coaching.redact.setChecked(False)
    assert not load_settings(tmp_path / "settings.toml")[0].redact
    assert not device_plan(window.settings, None, None).options.redact


def test_settings_round_trip_and_a_broken_file_is_set_aside(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    coach = replace(CoachSettings(), min_gap_s=30.0, category_cooldown_s=90.0).with_dominance(0.7)
    chosen = Settings(mic="USB Headset", call="L9", model="small.en", rules='C:\\rules "mine".toml',
                      coach=coach, overlay_x=12, overlay_y=40)
    save_settings(chosen, path)
    assert load_settings(path) == (chosen, None)
    path.write_text("prompt_gap_s = 'soon'\n", encoding="utf-8")
    loaded, problem = load_settings(path)
    assert loaded == Settings() and problem is not None and "settings.toml.broken" in problem
    assert (tmp_path / "settings.toml.broken").read_text(encoding="utf-8") == "prompt_gap_s = 'soon'\n"


@pytest.mark.parametrize("text", ["dominance_share = 3.0\n", "overlay_locked = 'yes'\n", "[[[\n",
                                  "overlay_x = 1e308\n", "overlay_opacity = nan\n", "[coach]\nmin_gap_s = inf\n",
                                  "[coach]\ncategory_cooldown_s = 1e300\n", "overlay_y = -9223372036854775808\n"])
def test_nonsense_settings_fall_back_to_defaults_with_a_sentence(tmp_path: Path, text: str) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(text, encoding="utf-8")
    loaded, problem = load_settings(path)
    assert loaded == Settings() and problem and "\n" not in problem


def test_a_settings_file_from_before_the_coach_table_keeps_its_thresholds(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text("prompt_gap_s = 30.0\ncooldown_s = 90.0\ndominance_share = 0.5\nmic = \"USB\"\n", encoding="utf-8")
    loaded, problem = load_settings(path)
    assert problem is None and loaded.mic == "USB"
    assert (loaded.coach.min_gap_s, loaded.coach.category_cooldown_s) == (30.0, 90.0)
    assert loaded.coach.dominance_share == 0.5 and loaded.coach.dominance_rearm_share <= 0.5


def test_during_a_session_the_window_says_the_speakers_echo_is_removed(qtbot: QtBot, tmp_path: Path) -> None:
    bleed = load_call(ROOT / "tests" / "data" / "calls" / "curious_bleed.opus")
    first = first_seconds(bleed, 40)  # the buyer's first long story, heard through the rep's speakers
    runner = LiveRunner(EventBridge(), engine_for=lambda model, threads: SaysNextStep())
    plan = SessionPlan("speakers", lambda: FileSource(first, speed=8.0), db=str(tmp_path / "s.db"))
    window = ControlWindow(Settings(), tmp_path / "settings.toml", runner, Overlay(), lambda s: plan,
                           db=str(tmp_path / "s.db"))
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(runner.finished, timeout=30_000):
        window.toggle()
        qtbot.waitUntil(lambda: "removed" in window.echo.text() and window.echo.isVisible(), timeout=20_000)
        window.toggle()  # the rep stops the call there
    assert not window.echo.isVisible()  # said only while a session runs
    assert window.coaching.echo.isChecked()  # on by default
    window.coaching.echo.setChecked(False)  # a headset: the next session leaves the microphone as it is
    assert not load_settings(tmp_path / "settings.toml")[0].echo_cancel
    assert not device_plan(window.settings, None, None).options.echo_cancel


def test_the_self_test_button_lists_each_check_as_it_finishes(qtbot: QtBot, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from copilot.checkup import checks as self_test
    from copilot.ui.self_test_window import SelfTestWindow

    def missing() -> str:
        raise FileNotFoundError("the voiceprint model is missing from this install")

    rulebook = dict(self_test.CHECKS)["rulebook"]
    monkeypatch.setattr(self_test, "CHECKS", [("rulebook", rulebook), ("voiceprints", missing)])
    window, _overlay, _runner = make_window(qtbot, tmp_path)
    qtbot.mouseClick(window.self_test_button, Qt.MouseButton.LeftButton)  # type: ignore[no-untyped-call]
    tester = window.reviews[-1]
    assert isinstance(tester, SelfTestWindow)
    qtbot.addWidget(tester)
    qtbot.waitUntil(lambda: tester.summary.text().startswith("1 check failed"), timeout=10_000)
    lines = tester.lines.toPlainText().splitlines()
    assert lines[0].startswith("OK    rulebook: the bundled rulebook")
    assert lines[1] == "FAIL  voiceprints: the voiceprint model is missing from this install"


def test_the_apps_windows_carry_its_icon(qtbot: QtBot, tmp_path: Path) -> None:
    from copilot.ui.app_icon import qt_app

    qt_app()  # what `copilot app` and `copilot review` make their windows with
    window, overlay, _runner = make_window(qtbot, tmp_path)
    sizes = {s.width() for s in window.windowIcon().availableSizes()}
    assert {16, 32, 48, 256} <= sizes and overlay.windowIcon().availableSizes()


def test_a_hand_edited_threshold_beyond_the_forms_range_opens_the_window_at_the_range_end(qtbot: QtBot,
                                                                                       tmp_path: Path) -> None:
    coach = replace(CoachSettings(), min_gap_s=5e8, category_cooldown_s=0.0)
    window, _, _ = make_window(qtbot, tmp_path, Settings(coach=coach, cpu_budget=2.0, overlay_opacity=0.01))
    assert window.coaching.gap.value() == window.coaching.gap.maximum()
    assert window.coaching.cooldown.value() == window.coaching.cooldown.minimum()
    assert window.coaching.opacity.value() == window.coaching.opacity.minimum()


def test_the_window_reads_top_down_as_a_call_goes_and_the_settings_sit_behind_settings(qtbot: QtBot,
                                                                                     tmp_path: Path) -> None:
    from PySide6.QtCore import QPoint
    from PySide6.QtWidgets import QWidget

    window, _, _ = make_window(qtbot, tmp_path)
    picker = window.devices
    rows = [window.consent, picker.mic, picker.mic_level, picker.call, picker.call_level, window.start_button,
            window.status, window.calls_button, window.self_test_button, window.capture]
    tops = [w.mapTo(window, QPoint(0, 0)).y() for w in rows]
    assert tops == sorted(tops) and all(w.isVisibleTo(window) for w in rows)
    form, dialog = window.coaching, window.settings_dialog
    fields = [w for w in vars(form).values() if isinstance(w, QWidget)]
    assert len(fields) == 13  # every field the form has, and none of them in the window itself
    assert not any(window.isAncestorOf(f) for f in fields) and all(dialog.isAncestorOf(f) for f in fields)
    assert not dialog.isVisible()
    qtbot.mouseClick(window.settings_button, Qt.MouseButton.LeftButton)  # type: ignore[no-untyped-call]
    assert dialog.isVisible() and all(f.isVisible() for f in fields)


def test_every_setting_is_reachable_from_the_window_or_its_settings_and_saved_as_it_changes(qtbot: QtBot,
                                                                                         tmp_path: Path) -> None:
    from dataclasses import asdict

    window, overlay, _ = make_window(qtbot, tmp_path)
    form = window.open_settings().form
    changes: list[Callable[[], object]] = [
               lambda: form.model.setText("base.en"), lambda: form.rules.setText(str(tmp_path / "mine.toml")),
               lambda: form.gap.setValue(45), lambda: form.cooldown.setValue(120), lambda: form.dominance.setValue(70),
               lambda: form.budget.setValue(80), lambda: form.lock.setChecked(False),
               lambda: form.opacity.setValue(50), lambda: form.echo.setChecked(False),
               lambda: form.keep_audio.setChecked(True), lambda: form.redact.setChecked(False),
               lambda: form.learn_voice.setChecked(True),
               lambda: form.retention.setCurrentIndex(form.retention.findData(30))]
    for change in changes:
        change()
    for line in (form.model, form.rules):
        line.editingFinished.emit()  # as when the rep leaves the field
    saved, problem = load_settings(tmp_path / "settings.toml")
    assert problem is None
    changed = {k for k, v in asdict(saved).items() if v != asdict(Settings())[k]}
    # The devices are the window's own rows; the overlay's place and the consent notice are set where they show.
    assert changed == set(asdict(Settings())) - {"mic", "call", "overlay_x", "overlay_y", "consent_acknowledged"}
    assert saved.coach.min_gap_s == 45 and saved.coach.dominance_share == 0.7 and saved.cpu_budget == 0.8
    assert overlay.windowOpacity() == pytest.approx(0.5, abs=0.01) and not overlay.locked  # at once


def test_the_progress_button_opens_the_calls_at_their_progress(qtbot: QtBot, tmp_path: Path) -> None:
    window, _, _ = make_window(qtbot, tmp_path)
    qtbot.mouseClick(window.progress_button, Qt.MouseButton.LeftButton)  # type: ignore[no-untyped-call]
    calls = window.reviews[-1]
    assert isinstance(calls, SessionsWindow) and calls.isVisible()
    qtbot.addWidget(calls)
    assert calls.tabs.currentWidget() is calls.progress


def test_no_line_of_the_window_or_its_settings_is_cut(qtbot: QtBot, tmp_path: Path) -> None:
    from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

    window, _, _ = make_window(qtbot, tmp_path)
    dialog = window.open_settings()

    def cut(top: QWidget) -> list[str]:
        found = []
        for w in top.findChildren(QWidget):
            if not w.isVisible():
                continue
            if isinstance(w, QLabel) and w.wordWrap():
                if w.height() < w.heightForWidth(w.width()):
                    found.append(f"{w.text()[:40]!r} {w.height()} < {w.heightForWidth(w.width())}")
            elif isinstance(w, (QLabel, QAbstractButton)) and w.width() < w.sizeHint().width():
                found.append(f"{w.text()[:40]!r} {w.width()} < {w.sizeHint().width()}")
        return found

    qtbot.waitUntil(lambda: not cut(window) and not cut(dialog))
    # A session's last line is long: the window grows to show it whole, and shrinks when the notice is put away.
    window.status.setText("Session saved: 31.5 min, you talked 63% of the time, 12 directive phrases, 7 prompts. "
                          "2 card-like numbers, 1 phone number hidden. Your voice profile was updated.")
    window.review_button.setVisible(True)
    qtbot.waitUntil(lambda: not cut(window))
    tall = window.height()
    window._consent_seen()
    qtbot.waitUntil(lambda: window.height() == window.heightForWidth(window.width()) < tall - 100)
    assert not cut(window)
