"""Save pictures of the overlay and the control window, to look at them without a desktop.

    xvfb-run -a python tools/screenshots.py OUT_DIR
    xvfb-run -a python tools/screenshots.py OUT_DIR --review DB [SECONDS]
    xvfb-run -a python tools/screenshots.py OUT_DIR --progress STORE.db [STORE.db ...]

Under Xvfb (a real X server in memory) or ``QT_QPA_PLATFORM=offscreen``. The overlay is
shown over a plain backdrop the way a rep would see it during a call: a prompt with its
reason, the talk meter in each of its colours, and the monologue timer; the control
window as it opens on a machine without sound devices, its Settings… dialog, and the
window during and after a real session (the sample call, four times real time); the list
of calls and its Progress view over a dozen calls (``tools/make_progress_store.py``). With ``--progress`` only the
Progress view of each store given is taken (``progress_<store>.png``, and the top and the
bottom of its scrolled charts). With ``--review DB [SECONDS]`` only the review
of the newest call in that sessions database, its transcript scrolled to SECONDS into the
call (default 0), as ``review_<id>.png``.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtGui import QColor, QPainter, QPixmap  # noqa: E402
from PySide6.QtWidgets import QApplication, QScrollArea  # noqa: E402

from copilot.audio.levels import LevelMonitor  # noqa: E402
from copilot.core.events import Monologue, Prompt, Speaker, TalkState  # noqa: E402
from copilot.store.settings import Settings  # noqa: E402
from copilot.ui.bridge import EventBridge  # noqa: E402
from copilot.ui.control import ControlWindow  # noqa: E402
from copilot.ui.overlay import Overlay  # noqa: E402
from copilot.ui.runner import LiveRunner  # noqa: E402


def on_backdrop(widget: Overlay) -> QPixmap:
    """The translucent overlay over a light 'video call' grey, as it would sit on Zoom."""
    shot = widget.grab()
    out = QPixmap(shot.width() + 40, shot.height() + 40)
    out.fill(QColor("#c9ced6"))
    p = QPainter(out)
    p.drawPixmap(20, 20, shot)
    p.end()
    return out


def talk(t: float, window_share: float, speaker: Speaker, monologue_s: float) -> TalkState:
    """A talk update with the rep's share of the window and whoever holds the floor."""
    return TalkState(t, 0.0, 0.0, window_share, 120.0, 0.0, 0.0, window_share,
                     current_monologue=Monologue(speaker, t - monologue_s, t))


def review_of_mixed_call(tmp: Path, out: Path) -> None:
    """The review of a mixed recording (real voices, the bundled model): its voices and "This is me…"."""
    from copilot.audio.decode import MixedAudio, load_recording
    from copilot.pipeline.mixed import analyze_mixed
    from copilot.report.review import build_review
    from copilot.store.sqlite import SessionStore
    from copilot.stt.models import resolve_model
    from copilot.ui.review import ReviewWindow
    from copilot.voices.embedder import VoiceEmbedder
    from copilot.wiring import load_detector, whisper

    audio = load_recording(Path(__file__).resolve().parent.parent / "tests" / "data" / "mixed" / "dev_three.opus")
    assert isinstance(audio, MixedAudio)
    detector = load_detector(None)
    a = analyze_mixed(audio, whisper(resolve_model(None)), detector, VoiceEmbedder())
    assert a.voices is not None
    store = SessionStore(tmp / "s.db")
    s = a.session
    sid = store.save_analysis(a.source, "analyze", "tiny.en", a.duration_s, s.talk_summary(), a.spans, a.segments,
                              s.flags, s.prompts, voice_turns=a.voices.turns, rep_voice=a.voices.rep)
    window = ReviewWindow(build_review(store.load(sid), detector.rulebook), store)
    window.show()
    QApplication.processEvents()
    window.grab().save(str(out / "review_mixed.png"))
    window.close()
    store.close()


def review_of_stored_call(db: Path, at: float, out: Path) -> Path:
    """The review window of the newest call in ``db``, its transcript scrolled to ``at`` seconds."""
    from copilot.core.rulebook import Rulebook
    from copilot.report.review import build_review
    from copilot.store.sqlite import SessionStore
    from copilot.ui.review import ReviewWindow

    store = SessionStore(db)
    sid = store.sessions()[0].id
    window = ReviewWindow(build_review(store.load(sid), Rulebook.load(), marks=()), store)
    window.resize(900, 900)
    window.show()
    QApplication.processEvents()
    window.scroll_to(at)
    QApplication.processEvents()
    path = out / f"review_{sid}.png"
    window.grab().save(str(path))
    window.close()
    store.close()
    return path


def progress_view(db: Path, out: Path, name: str) -> None:
    """The list of calls of ``db`` with its Progress tab open, once the view has read the store."""
    import time

    from copilot.store.sqlite import SessionStore
    from copilot.ui.review import SessionsWindow

    store = SessionStore(db)
    window = SessionsWindow(store, lambda sid: None)  # type: ignore[arg-type,return-value]  # nothing is opened
    window.resize(1060, 800)
    window.show()
    QApplication.processEvents()
    window.grab().save(str(out / f"calls_{name}.png"))
    window.tabs.setCurrentWidget(window.progress)
    deadline = time.monotonic() + 120
    while window.progress.progress is None and time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.02)
    QApplication.processEvents()
    window.grab().save(str(out / f"progress_{name}.png"))
    scroll = window.progress.findChild(QScrollArea)
    if scroll is not None:
        scroll.verticalScrollBar().setValue(scroll.verticalScrollBar().maximum())
        QApplication.processEvents()
        window.grab().save(str(out / f"progress_{name}_bottom.png"))
    window.close()
    store.close()


def wait_for(app: QApplication, done: Callable[[], bool], seconds: float) -> bool:
    """Run the event loop until ``done()`` (a session's signal arrived), or ``seconds`` have passed."""
    import time

    deadline = time.monotonic() + seconds
    while not done() and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.02)
    app.processEvents()
    return done()


def control_window(app: QApplication, overlay: Overlay, tmp: Path, out: Path) -> None:
    """The control window as a rep meets it (the consent notice up, no sound devices here), its Settings…, and
    the window during and after a real session: the sample call heard by the live pipeline at four times real
    time with the bundled model, as the window shows it (the echo line, the status, the review button)."""
    from copilot.audio.decode import load_call
    from copilot.audio.sources import FileSource
    from copilot.pipeline.options import LiveOptions
    from copilot.ui.runner import SessionPlan
    from copilot.wiring import sample_call

    bridge = EventBridge()
    bridge.received.connect(overlay.on_event)
    runner = LiveRunner(bridge)
    plan = SessionPlan("the sample call (four times real time)", lambda: FileSource(load_call(sample_call()), 4.0),
                       LiveOptions(), db=str(tmp / "sessions.db"))
    window = ControlWindow(Settings(), tmp / "settings.toml", runner, overlay, plan_for=lambda s: plan,
                           levels=LevelMonitor(None))
    window.show()
    app.processEvents()
    window.grab().save(str(out / "control_window.png"))
    dialog = window.open_settings()
    app.processEvents()
    dialog.grab().save(str(out / "settings_dialog.png"))
    dialog.close()
    shown: list[object] = []
    finished: list[object] = []
    overlay.shown.connect(shown.append)
    runner.finished.connect(finished.append)
    window.toggle()
    if wait_for(app, lambda: bool(shown), 120):  # the first prompt is on the overlay
        window.grab().save(str(out / "control_window_session.png"))
        on_backdrop(overlay).save(str(out / "overlay_during_session.png"))
    window.toggle()  # stop: what was heard is saved
    if wait_for(app, lambda: bool(finished), 60):
        window.grab().save(str(out / "control_window_after.png"))
    window._consent_seen()  # the notice put away: the window as it opens from then on
    wait_for(app, lambda: window.height() == window.heightForWidth(window.width()), 5)
    window.grab().save(str(out / "control_window_consent_seen.png"))
    window.close()


def main() -> int:
    args = sys.argv[1:]
    stores = [Path(a) for a in args[args.index("--progress") + 1:]] if "--progress" in args else []
    args = args[:args.index("--progress")] if "--progress" in args else args
    out = Path(args[0] if args else "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    if "--review" in args:
        i = args.index("--review")
        at = float(args[i + 2]) if len(args) > i + 2 else 0.0
        print(f"saved {review_of_stored_call(Path(args[i + 1]), at, out)}")
        return 0
    if stores:
        for db in stores:
            progress_view(db, out, db.stem)
        print(f"saved the Progress view of {len(stores)} stores in {out}")
        return 0
    overlay = Overlay()
    overlay.show()
    states = [
        ("overlay_prompt_green", Prompt(50.0, "phrase", "This may not be a fit.", "next_step",
                                        "you said: 'the next step is'", 58.0), 0.40, 0.0),
        ("overlay_prompt_amber", Prompt(80.0, "phrase", "What do you want to do next?", "what_makes_sense",
                                        "you said: 'what makes sense here is'", 88.0), 0.58, 12.0),
        ("overlay_monologue_red", Prompt(140.0, "monologue",
                                         "What would you need to see to move forward on your own terms?",
                                         "monologue", "you've held the floor for 62 s", 148.0), 0.78, 62.0),
    ]
    for name, prompt, share, monologue in states:
        overlay.on_event(prompt)
        overlay.on_event(talk(prompt.time, share, "rep", monologue))
        app.processEvents()
        on_backdrop(overlay).save(str(out / f"{name}.png"))
    overlay.on_event(talk(200.0, 0.44, "prospect", 3.0))
    overlay._cleared()  # between prompts: only the meter
    app.processEvents()
    on_backdrop(overlay).save(str(out / "overlay_meter_only.png"))

    with tempfile.TemporaryDirectory() as tmp:
        control_window(app, overlay, Path(tmp), out)
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from make_progress_store import main as make_store

        make_store([str(Path(tmp) / "dozen.db"), "--calls", "12", "--rules-only"])
        progress_view(Path(tmp) / "dozen.db", out, "dozen")
        review_of_mixed_call(Path(tmp), out)
    print(f"saved {len(list(out.glob('*.png')))} pictures in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
