"""``copilot live``: the live pipeline from the command line (a recording replayed, or real devices)."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path
from typing import IO

from copilot.core.consent import CONSENT_NOTICE, consent_line
from copilot.core.redact import hidden_sentence
from copilot.core.session import Session
from copilot.errors import UserError
from copilot.pipeline.live import LivePipeline
from copilot.pipeline.options import LiveOptions
from copilot.wiring import (
    coaching_detector,
    live_engine,
    live_session,
    load_rulebook,
    open_capture,
    open_event_log,
    redactor,
)

__all__ = ["run_live"]


def run_live(args: argparse.Namespace) -> int:
    """Run one live session; prompts and talk lines on the terminal with ``--headless``."""
    from copilot.audio.capture import CaptureSource
    from copilot.audio.decode import load_call
    from copilot.audio.sources import AudioSource, FileSource
    from copilot.pipeline.events import Sink
    from copilot.pipeline.recorded import record_live
    from copilot.pipeline.sinks import EventLog, Notices, Terminal
    from copilot.store.sqlite import SessionStore
    from copilot.stt.models import resolve_model

    options = LiveOptions.from_args(args)
    load_rulebook(options.rules)  # a rulebook named here, broken, is said now: the rep is at the keyboard
    detector, unmarked = coaching_detector(options)
    if unmarked:
        print(f"copilot: {unmarked}", file=sys.stderr)
    if not args.speed > 0:
        raise UserError("--speed must be more than 0 (1 = real time, 2 = twice as fast).")
    audio = load_call(args.replay, rep_channel=args.rep_channel) if args.replay else None
    source: AudioSource = FileSource(audio, speed=args.speed) if audio is not None else open_capture(args.mic,
                                                                                                      args.call)
    choice = resolve_model(options.model)
    store = SessionStore(args.db)
    log_file: IO[str] | None = None
    try:
        if args.events:
            log_file = open_event_log(args.events)
        engine = live_engine(choice, options.threads)
        if isinstance(source, CaptureSource):
            label = f"{source.mic.name} + {source.call.name}"
        else:
            label = f"{Path(args.replay).name} (replay)"
        sinks: list[Sink] = []
        if log_file is not None:
            sinks.append(EventLog(log_file))
        if args.headless:
            sinks.append(Terminal(sys.stderr if args.events == "-" else sys.stdout))
        else:
            sinks.append(Notices(sys.stderr))

        def make(all_sinks: list[Sink]) -> LivePipeline:
            if isinstance(source, CaptureSource):
                print(f"Listening: you on {source.mic.name}, the call on {source.call.name}. Ctrl+C ends the session.",
                      file=sys.stderr)
            return live_session(options, source, all_sinks, engine=engine, detector=detector)

        # What to tell the other side, before the call is heard (stderr: stdout may be the event log).
        print(f"{CONSENT_NOTICE} You could say, or paste into the meeting chat:\n"
              f"  \"{consent_line(options.keep_audio)}\"", file=sys.stderr, flush=True)
        with store:
            done = record_live(store, label, choice.label, sinks, make, _run_until_interrupted,
                               keep_audio=options.keep_audio, redactor=redactor(options.redact))
        if done.save_error:
            print(f"copilot: the end of the session was not saved: {done.save_error}", file=sys.stderr)
            return 1
        session, sid = done.session, done.session_id
        out = sys.stderr if args.events == "-" else sys.stdout
        flags, prompts = len(session.flags), len(session.prompts)
        print(f"session {sid}: you {round(session.talk_summary().rep_share * 100)}% of the talk, "
              f"{flags} directive phrase{'s' if flags != 1 else ''}, {prompts} prompt{'s' if prompts != 1 else ''}"
              f"{'; ' + hidden_sentence(done.hidden) if done.hidden else ''}", file=out)
        print(f"  The review: `copilot review {sid}`; a report to keep or share: `copilot report {sid} --html "
              "call.html`.", file=out)
        return 0
    finally:
        if log_file is not None and log_file is not sys.stdout:
            log_file.close()


def _run_until_interrupted(pipeline: LivePipeline) -> Session:
    """Run the pipeline on a helper thread; Ctrl+C or SIGTERM ends the session, keeping what was heard.

    The main thread only waits, so it is the one Python interrupts. It waits on an event,
    not on ``Thread.join``: a KeyboardInterrupt inside ``join`` leaves the thread marked as
    finished while it still runs (seen on Python 3.11), and the session was lost.
    """
    result: list[Session] = []
    failed: list[BaseException] = []
    done = threading.Event()

    def work() -> None:
        try:
            result.append(pipeline.run())
        except BaseException as e:  # noqa: BLE001 - handed to the main thread, raised there
            failed.append(e)
        finally:
            done.set()

    threading.Thread(target=work, name="pipeline", daemon=True).start()
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: pipeline.stop())
    try:
        while not done.is_set():
            try:
                done.wait(0.2)
            except KeyboardInterrupt:
                pipeline.stop()
    finally:
        signal.signal(signal.SIGTERM, previous)
    if failed:
        raise failed[0]
    return result[0]
