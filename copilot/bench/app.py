"""``copilot bench app``: the demo as a rep sees it, timed — needs a display (run it under xvfb-run).

In one process, the way ``copilot demo`` runs: the app opens and sits idle for
``--idle`` seconds (its CPU use is measured: nothing should be ticking), then plays the
sample call through the live pipeline. It reports when the first prompt was painted on
the overlay (from the start of the session, model loading included), the delay from the
end of each directive phrase in the audio to the prompt painted for it, the longest the
Qt thread went without running its event loop (a 10 ms heartbeat), and how long the app
took to close once asked.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from copilot.errors import UserError

__all__ = ["run"]


def run(args: argparse.Namespace) -> int:
    """Open the app, measure, print the numbers (or JSON)."""
    from copilot.wiring import display_problem

    if display_problem():
        raise UserError("Bench app needs a display; run it as: xvfb-run -a copilot bench app")
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from copilot.bench.live import percentile
    from copilot.core.events import Flag, Prompt
    from copilot.pipeline.recorded import Recorded
    from copilot.store.settings import Settings
    from copilot.ui.bridge import EventBridge
    from copilot.ui.control import ControlWindow
    from copilot.ui.overlay import Overlay
    from copilot.ui.placement import keep_clear, place_clear, place_overlay
    from copilot.ui.runner import LiveRunner, demo_plan, preload_models

    app = QApplication.instance() or QApplication([])
    bridge = EventBridge()
    overlay = Overlay()
    bridge.received.connect(overlay.on_event)
    runner = LiveRunner(bridge)
    preload_models(runner, None)
    settings = Settings(consent_acknowledged=True)
    tmp = tempfile.TemporaryDirectory()
    window = ControlWindow(settings, Path(tmp.name) / "settings.toml", runner, overlay,
                           plan_for=lambda s: None)  # type: ignore[arg-type,return-value]
    place_overlay(overlay, -1, -1)
    place_clear(window, overlay)
    overlay.show()
    window.show()
    keep_clear(window, overlay)

    flags: list[Flag] = []
    shown: list[tuple[Prompt, float]] = []
    bridge.received.connect(lambda e: flags.append(e) if isinstance(e, Flag) else None)
    marks: dict[str, float] = {}
    beats: list[float] = []
    gaps: list[float] = []
    stalls: list[tuple[float, int]] = []  # (seconds into the session, ms) of each stall over 50 ms

    def beat() -> None:
        now = time.perf_counter()
        if beats and "session" in marks and "ended" not in marks:
            gaps.append(now - beats[-1])
            if gaps[-1] > 0.06:
                stalls.append((round(time.monotonic() - marks["session"], 2), round(gaps[-1] * 1000)))
        beats.append(now)

    def on_shown(event: Prompt) -> None:
        if runner.pipeline is not None:
            shown.append((event, runner.pipeline.wall()))
            marks.setdefault("first_shown", time.monotonic())

    overlay.shown.connect(on_shown)
    heartbeat = QTimer()
    heartbeat.setInterval(10)
    heartbeat.timeout.connect(beat)

    def start_session() -> None:
        marks["idle_cpu"] = (time.process_time() - marks["idle_cpu0"]) / (time.monotonic() - marks["idle_t0"]) * 100
        marks["session"] = time.monotonic()
        heartbeat.start()
        runner.start(demo_plan(Settings(), str(Path(tmp.name) / "s.db"), None))

    def ended(result: Recorded) -> None:
        marks["ended"] = time.monotonic()
        heartbeat.stop()
        QTimer.singleShot(500, ask_close)

    def ask_close() -> None:
        marks["close_asked"] = time.monotonic()
        window.close()

    runner.finished.connect(ended)
    def failed(message: str) -> None:
        print(f"copilot: {message}")
        ask_close()

    runner.failed.connect(failed)

    def idle_start() -> None:
        marks["idle_t0"], marks["idle_cpu0"] = time.monotonic(), time.process_time()
        QTimer.singleShot(round(args.idle * 1000), start_session)

    QTimer.singleShot(1000, idle_start)  # let the windows settle before the idle measurement
    app.exec()
    closed = time.monotonic()
    tmp.cleanup()

    latencies = []
    for prompt, wall in shown:
        if prompt.kind != "phrase":
            continue
        before = [f for f in flags if f.end <= prompt.time + 1e-6]
        if before:
            latencies.append(wall - before[-1].end)
    out: dict[str, Any] = {
        "idle_cpu_percent_of_one_core": round(marks.get("idle_cpu", -1.0), 2),
        "first_prompt_shown_s": round(marks["first_shown"] - marks["session"], 2) if "first_shown" in marks else None,
        "prompts_shown": len(shown),
        "phrase_to_screen_s": ({"n": len(latencies), "median": round(statistics.median(latencies), 3),
                                "p95": round(percentile(latencies, 95), 3), "max": round(max(latencies), 3)}
                               if latencies else {"n": 0}),
        "ui_longest_stall_ms": round(max(gaps) * 1000 - 10, 1) if gaps else None,
        "ui_stalls_over_50ms": sum(1 for g in gaps if g - 0.010 > 0.050),
        "ui_stalls_at": stalls,
        "close_s": round(closed - marks["close_asked"], 3) if "close_asked" in marks else None,
    }
    if args.json:
        print(json.dumps(out, indent=1))
    else:
        lat = out["phrase_to_screen_s"]
        print("bench app: the demo (sample call, real time) with the overlay painted")
        print(f"  idle CPU              {out['idle_cpu_percent_of_one_core']}% of one core   bar: <= 3%")
        print(f"  first prompt painted  {out['first_prompt_shown_s']} s after the session started   bar: <= 60 s")
        if lat.get("n"):
            print(f"  phrase end -> painted median {lat['median']:.2f} s, p95 {lat['p95']:.2f} s (n={lat['n']})   "
                  "bar: median <= 1.2 s")
        print(f"  Qt thread             longest stall {out['ui_longest_stall_ms']} ms, "
              f"{out['ui_stalls_over_50ms']} over 50 ms   bar: none over 50 ms")
        print(f"  close                 {out['close_s']} s after asked   bar: <= 1 s")
    return 0
