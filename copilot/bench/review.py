"""``copilot bench review``: how fast the review opens an hour-long call, and how smoothly it scrolls.

The hour is the bundled sample call's script played back to back until it lasts 60
minutes, one transcript segment per sentence (about 1,100), coached by the same core
session as a live call (so its flags, prompts and talk numbers are real), and stored in a
fresh database. Then, ``--runs`` times: open the store, load and build the review, show
the window and paint it (the time the rep waits after clicking "Review"); and once: scroll
the transcript top to bottom and pan the timeline across the hour, painting every step,
so the slowest frames are the stutter a rep would see (a frame at 60 Hz is 16.7 ms).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from copilot.bench.truth import load_truth
from copilot.core.assets import asset_path
from copilot.core.events import Segment, SpeechSpan
from copilot.core.session import Session
from copilot.store.sqlite import SessionStore

__all__ = ["run", "hour_of_calls"]

FRAME_MS = 1000 / 60


def hour_of_calls(store: SessionStore, minutes: float = 60.0) -> str:
    """Store the sample call's script repeated to ``minutes`` as one coached session; returns its id."""
    from copilot.wiring import load_detector

    truth = load_truth(asset_path("samples", "discovery_call.opus"))
    session = Session(load_detector(None, mine=False))
    spans: list[SpeechSpan] = []
    segments: list[Segment] = []
    offset = 0.0
    while offset < minutes * 60:
        for line in truth.lines:
            span = SpeechSpan(line.speaker, line.start + offset, line.end + offset)
            spans.append(span)
            segments += _sentences(line.speaker, line.text, span.start, span.end)
        offset += truth.duration_s
    session.replay(spans, segments, offset)
    return store.save_analysis("the sample call's script, back to back", "analyze", "script", offset,
                               session.talk_summary(), spans, session.segments, session.flags, session.prompts,
                               supportive=session.supportive, hidden={})  # the sample's script: nothing to hide


def _sentences(speaker: Any, text: str, start: float, end: float) -> list[Segment]:
    """One segment per sentence, timed in proportion to its length."""
    parts = [p for p in re.split(r"(?<=[.?!])\s+", text) if p]
    total = sum(len(p) for p in parts)
    out, at = [], start
    for p in parts:
        length = (end - start) * len(p) / total
        out.append(Segment(speaker, at, at + length, p))
        at += length
    return out


def run(args: argparse.Namespace) -> int:
    """Build the hour, time opening and scrolling, print the numbers (or JSON)."""
    if not os.environ.get("DISPLAY") and sys.platform.startswith("linux"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from copilot.ui.review import ReviewWindow
    from copilot.wiring import load_review

    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "hour.db"
        with SessionStore(db) as store:
            sid = hour_of_calls(store)
        opens: list[float] = []
        window: ReviewWindow | None = None
        for _ in range(max(1, args.runs)):
            if window is not None:
                window.close()
                window.deleteLater()
                app.processEvents()
            started = time.perf_counter()
            store = SessionStore(db)
            window = ReviewWindow(load_review(store, sid), store)
            window.show()
            window.repaint()
            app.processEvents()
            opens.append(time.perf_counter() - started)
        assert window is not None
        segments = len(window.review.lines)
        scroll = _frames(app, window, _scroll_steps(window))
        pan = _frames(app, window, _pan_steps(window))
        window.close()
        store.close()

    out = {
        "session_minutes": round(window.review.duration_s / 60, 1), "segments": segments,
        "flags": len(window.review.flags),
        "open_s": {"first": round(opens[0], 3), "median": round(statistics.median(opens), 3), "runs": len(opens)},
        "scroll_ms": scroll, "pan_ms": pan, "platform": QGuiApplication.platformName(),
    }
    print(json.dumps(out, indent=1) if args.json else _table(out))
    return 0


def _scroll_steps(window: Any) -> list[Any]:
    bar = window.transcript.verticalScrollBar()
    n = 200
    values = [bar.minimum() + (bar.maximum() - bar.minimum()) * i // n for i in range(n + 1)]
    return [lambda v=v: (bar.setValue(v), window.transcript.viewport().repaint()) for v in values]


def _pan_steps(window: Any) -> list[Any]:
    end = window.review.duration_s
    width = 300.0  # five minutes in view, as a rep zoomed in would see it
    n = 120
    plot = window.timeline.lanes
    return [lambda a=a: (plot.setXRange(a, a + width, padding=0), window.timeline.repaint())
            for a in [(end - width) * i / n for i in range(n + 1)]]


def _frames(app: Any, window: Any, steps: list[Any]) -> dict[str, float | int]:
    """Run each step (a change and a synchronous repaint), timing it with the events it causes."""
    times: list[float] = []
    for step in steps:
        started = time.perf_counter()
        step()
        app.processEvents()
        times.append((time.perf_counter() - started) * 1000)
    ordered = sorted(times)
    return {"frames": len(times), "median": round(statistics.median(times), 2),
            "p95": round(ordered[int(0.95 * (len(ordered) - 1))], 2), "max": round(ordered[-1], 2),
            "over_16.7": sum(1 for t in times if t > FRAME_MS)}


def _table(o: dict[str, Any]) -> str:
    def f(d: dict[str, Any]) -> str:
        return (f"median {d['median']:.1f} ms, p95 {d['p95']:.1f} ms, max {d['max']:.1f} ms, "
                f"{d['over_16.7']}/{d['frames']} frames over 16.7 ms")

    return "\n".join([
        f"bench review: a {o['session_minutes']:.0f}-minute call, {o['segments']} segments, {o['flags']} flags "
        f"(Qt platform {o['platform']})",
        f"  open (store -> window painted)  first {o['open_s']['first']:.2f} s, median {o['open_s']['median']:.2f} s "
        f"of {o['open_s']['runs']}   bar: under 1 s",
        f"  scroll the transcript           {f(o['scroll_ms'])}",
        f"  pan the timeline (5 min view)   {f(o['pan_ms'])}",
    ])
