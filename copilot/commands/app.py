"""``copilot`` (the app) and ``copilot demo`` (the app playing the bundled sample call).

The app is the control window, the overlay and a session runner wired together through
the event bridge. The demo starts a session at once on the sample call, played through
the live pipeline at real time (and through the speakers where there are any), so a new
user sees prompts appear within the first minute without setting anything up.
"""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path
from typing import Any

from copilot.wiring import (
    display_problem,
    open_event_log,
    require_display,
    sample_call,
    sound_modules,
)

__all__ = ["run_app", "run_demo"]


def run_app(args: argparse.Namespace) -> int:
    """Open the control window and the overlay."""
    require_display("the app", "`copilot demo` runs the sample call in the terminal, and `copilot live "
                    "--headless` coaches a call there.")
    return _open(args, demo=False)


def run_demo(args: argparse.Namespace) -> int:
    """The app playing the sample call; in a terminal with no display, the headless replay instead."""
    problem = display_problem()
    if problem:
        from copilot.commands.live import run_live

        print(f"{problem}. The demo runs in the terminal instead: copilot live --replay <sample call> --headless",
              file=sys.stderr)
        # What `copilot live` is given; the session's own options are LiveOptions' defaults.
        return run_live(argparse.Namespace(replay=str(sample_call()), headless=True, rep_channel="left", speed=1.0,
                                           events=getattr(args, "events", None), db=getattr(args, "db", None),
                                           mic=None, call=None))
    return _open(args, demo=True)


def _open(args: argparse.Namespace, demo: bool) -> int:
    from PySide6.QtCore import QTimer

    from copilot.audio.levels import LevelMonitor
    from copilot.store.settings import default_settings_path, load_settings
    from copilot.ui.app_icon import qt_app
    from copilot.ui.bridge import EventBridge
    from copilot.ui.control import ControlWindow
    from copilot.ui.garbage import collect_on_the_qt_thread
    from copilot.ui.overlay import Overlay
    from copilot.ui.placement import keep_clear_once_framed, place_clear, place_overlay
    from copilot.ui.retention import RetentionKeeper
    from copilot.ui.runner import LiveRunner, demo_plan, device_plan, preload_models

    events = open_event_log(args.events) if getattr(args, "events", None) else None
    app = qt_app()
    collect_on_the_qt_thread(app)
    settings_path = Path(args.settings) if getattr(args, "settings", None) else default_settings_path()
    settings, notice = load_settings(settings_path)
    notice = " ".join(x for x in (getattr(args, "privacy_notice", None), notice, _rulebook_notice(settings.rules))
                      if x) or None
    bridge = EventBridge()
    overlay = Overlay(locked=settings.overlay_locked, opacity=settings.overlay_opacity)
    bridge.received.connect(overlay.on_event)
    runner = LiveRunner(bridge)
    preload_models(runner, settings.model or None)
    overlay.shown.connect(runner.shown)
    levels = None if demo else LevelMonitor(*_sound_modules())

    def plan_for(s: Any) -> Any:
        return device_plan(s, args.db, events)

    window = ControlWindow(settings, settings_path, runner, overlay, plan_for, levels,
                           notice=notice, db=args.db)
    # Old calls' transcripts deleted as the rep's setting says: now, then daily (on a worker thread).
    keeper = RetentionKeeper(args.db, lambda: window.settings.retention, lambda: window.settings.rules or None)
    keeper.done.connect(lambda said: None if runner.running else window.status.setText(
        f"{window.status.text()} {said}".strip()))
    keeper.failed.connect(window.status.setText)
    keeper.start()
    place_overlay(overlay, settings.overlay_x, settings.overlay_y)
    place_clear(window, overlay)
    overlay.show()
    window.show()
    keep_clear_once_framed(window, overlay)  # its real frame is known only once the window manager has drawn it
    if demo:
        window.start_button.setText("Stop session")
        runner.start(demo_plan(settings, args.db, events))
    # SIGTERM (a logout, `kill`) closes the window like the rep would: the session ends and is
    # saved. Python runs a signal handler only when it gets control, so a timer hands it some.
    signal.signal(signal.SIGTERM, lambda signum, frame: window.close())
    wake = QTimer()
    wake.timeout.connect(lambda: None)
    wake.start(250)
    try:
        return int(app.exec())
    finally:
        runner.stop()
        runner.wait(10.0)
        if events is not None:
            events.close()


def _sound_modules() -> tuple[Any, Any, Any]:
    from copilot.audio.devices import DeviceError

    try:
        return sound_modules()
    except DeviceError:
        return None, None, None


def _rulebook_notice(rules: str) -> str | None:
    """Said when the app opens if the rulebook the settings name cannot be used (a session would then be coached
    with the bundled one, and say so): before the call, while the rep can still mend it."""
    from copilot.core.rulebook import RulebookError
    from copilot.wiring import load_rulebook

    if not rules:
        return None
    try:
        load_rulebook(rules)
    except RulebookError as e:
        return (f"{str(e).rstrip('.')}. Until it is mended (or cleared in Settings), calls are coached with the "
                "bundled rulebook.")
    return None
