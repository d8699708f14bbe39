"""A live session run for the app: off the Qt thread, reported back through signals.

The model loads and the pipeline runs on a worker thread; the Qt thread only receives
signals (status lines, the bridge's events, the end of the session, or one readable
error). Stopping asks the pipeline to end and keeps everything heard so far.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import IO, TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from copilot.audio.sources import AudioSource
from copilot.core.events import Prompt
from copilot.errors import UserError
from copilot.pipeline.events import PromptShown, Sink, Stamped
from copilot.pipeline.live import LivePipeline
from copilot.pipeline.options import LiveOptions
from copilot.pipeline.sinks import EventLog
from copilot.stt.engine import Engine
from copilot.ui.bridge import EventBridge
from copilot.voices.learning import RepSpeech
from copilot.wiring import (
    coaching_detector,
    demo_source,
    learn_voice,
    live_engine,
    live_session,
    live_threads,
    open_capture,
    redactor,
)

if TYPE_CHECKING:
    from copilot.store.settings import Settings

__all__ = ["SessionPlan", "LiveRunner", "device_plan", "demo_plan", "preload_models"]


@dataclass(frozen=True)
class SessionPlan:
    """A session the control window (or ``copilot demo``) starts: what it hears, how it is coached, where it is kept."""

    label: str
    make_source: Callable[[], AudioSource]  # opened on the worker thread (devices may be slow)
    options: LiveOptions = LiveOptions()
    db: str | None = None
    events: IO[str] | None = None  # the JSON-lines event log, if one was asked for


class LiveRunner(QObject):
    """Runs one session at a time on a worker thread."""

    status = Signal(str)  # "Loading the speech model…", "Coaching …"
    failed = Signal(str)  # one sentence the rep can act on
    finished = Signal(object)  # the Recorded session (its id, numbers, and why its end was not saved, if so)
    voice_learned = Signal(str)  # a sentence: the voice profile was updated (or why not)

    def __init__(self, bridge: EventBridge, engine_for: Callable[[str | None, int], Engine] | None = None) -> None:
        super().__init__()
        self.bridge = bridge
        self.engine_for = engine_for or live_engine
        self._engines: dict[tuple[str | None, int], Engine] = {}
        self.pipeline: LivePipeline | None = None
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self.events: EventLog | None = None

    @property
    def running(self) -> bool:
        """True from start until the session has ended."""
        return self._thread is not None and self._thread.is_alive()

    def start(self, plan: SessionPlan) -> None:
        """Begin a session (ignored while one is running)."""
        if self.running:
            return
        self._stop.clear()
        self.pipeline = None
        self.events = EventLog(plan.events) if plan.events is not None else None
        self._thread = threading.Thread(target=self._work, args=(plan,), name="session", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """End the session; what was heard is kept and saved."""
        self._stop.set()
        if self.pipeline is not None:
            self.pipeline.stop()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the worker is done (tests and shutdown); True if it is."""
        if self._thread is not None:
            self._thread.join(timeout)
        return not self.running

    def shown(self, prompt: Prompt) -> None:
        """The overlay painted ``prompt``: a ``shown`` line in the session's event log, on the session's wall clock."""
        if self.events is not None:
            self.events(Stamped(PromptShown(prompt), self.pipeline.wall() if self.pipeline is not None else 0.0))

    def engine(self, model: str | None, threads: int) -> Engine:
        """The speech model, loaded once per choice and kept for the next session.

        Loading holds the GIL for ~130 ms (measured), which would stall the Qt thread in
        the middle of a session's start; the app calls this before its event loop runs.
        """
        key = (model, threads)
        if key not in self._engines:
            self._engines[key] = self.engine_for(model, threads)
        return self._engines[key]

    def _work(self, plan: SessionPlan) -> None:
        from copilot.pipeline.recorded import record_live
        from copilot.store.sqlite import SessionStore

        options = plan.options
        try:
            detector, unmarked = coaching_detector(options)
            self.status.emit("Loading the speech model…")
            engine = self.engine(options.model, live_threads(options.threads))
            source = plan.make_source()
            store = SessionStore(plan.db)
        except UserError as e:
            self.failed.emit(str(e))
            return
        if self._stop.is_set():
            self.status.emit("Stopped.")
            return

        # The rep's speech for their voice profile: this thread's own, fed by the pipeline it runs.
        rep_speech = RepSpeech() if options.learn_voice else None

        def make(sinks: list[Sink]) -> LivePipeline:
            pipeline = live_session(options, source, sinks, engine=engine, detector=detector, rep_speech=rep_speech)
            self.pipeline = pipeline
            if self._stop.is_set():
                pipeline.stop()
            return pipeline

        self.status.emit(f"Coaching: {plan.label}" + (f"\n{unmarked}" if unmarked else ""))
        sinks: list[Sink] = [self.bridge.sink]
        if self.events is not None:
            sinks.append(self.events)
        try:
            with store:
                done = record_live(store, plan.label, options.model_label, sinks, make,
                                   keep_audio=options.keep_audio, redactor=redactor(options.redact))
        except UserError as e:
            self.failed.emit(str(e))
            return
        self.finished.emit(done)
        if rep_speech is not None:
            self.voice_learned.emit(learn_voice(rep_speech, options.voice_profile))


def device_plan(settings: Settings, db: str | None, events: IO[str] | None) -> SessionPlan:
    """The session the rep starts from the control window: their microphone and the call audio,
    coached as their settings say."""
    return SessionPlan("your microphone and the call audio",
                       lambda: open_capture(settings.mic or None, settings.call or None),
                       LiveOptions.from_settings(settings), db=db, events=events)


def demo_plan(settings: Settings, db: str | None, events: IO[str] | None) -> SessionPlan:
    """The session ``copilot demo`` starts at once: the bundled sample call played as a call (its audio is not
    kept and no voice is learned from it: the sample is not the rep)."""
    options = replace(LiveOptions.from_settings(settings), keep_audio=False, learn_voice=False)
    return SessionPlan("the sample call (demo)", demo_source, options, db=db, events=events)


def preload_models(runner: LiveRunner, model: str | None) -> None:
    """Load the voice-activity model and the bundled speech model before the event loop runs:
    making them holds the GIL (~50 ms and ~130 ms), stalls the Qt thread would otherwise take
    at a session's start. Another speech model (which may need a download) loads with its
    first session; one that cannot load is reported then, as a sentence in the window."""
    from copilot.audio.vad import silero_session
    from copilot.stt.models import ModelError

    try:
        silero_session()
    except FileNotFoundError:
        pass  # said as a sentence when a session starts
    if model:
        return
    try:
        runner.engine(model, live_threads(0))
    except ModelError:
        pass
