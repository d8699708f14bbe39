"""``copilot live``: the live pipeline from the command line (a recording replayed, or real devices)."""

from __future__ import annotations

import argparse
import sys
import threading
from pathlib import Path
from typing import IO

from copilot.core.session import Session
from copilot.errors import UserError
from copilot.pipeline.live import LivePipeline
from copilot.wiring import live_engine, load_detector, open_capture, open_event_log

__all__ = ["run_live"]


def run_live(args: argparse.Namespace) -> int:
    """Run one live session; prompts and talk lines on the terminal with ``--headless``."""
    from copilot.audio.capture import CaptureSource
    from copilot.audio.decode import load_call
    from copilot.audio.sources import AudioSource, FileSource
    from copilot.pipeline.events import Sink
    from copilot.pipeline.recorded import record_live
    from copilot.pipeline.sinks import EventLog, Terminal
    from copilot.store.sqlite import SessionStore
    from copilot.stt.models import resolve_model

    detector = load_detector(args.rules)
    if not args.speed > 0:
        raise UserError("--speed must be more than 0 (1 = real time, 2 = twice as fast).")
    audio = load_call(args.replay, rep_channel=args.rep_channel) if args.replay else None
    source: AudioSource = FileSource(audio, speed=args.speed) if audio is not None else open_capture(args.mic,
                                                                                                      args.call)
    choice = resolve_model(args.model)
    store = SessionStore(args.db)
    log_file: IO[str] | None = None
    try:
        if args.events:
            log_file = open_event_log(args.events)
        engine = live_engine(args.model, args.threads)
        if isinstance(source, CaptureSource):
            label = f"{source.mic.name} + {source.call.name}"
        else:
            label = f"{Path(args.replay).name} (replay)"
        sinks: list[Sink] = []
        if log_file is not None:
            sinks.append(EventLog(log_file))
        if args.headless:
            sinks.append(Terminal(sys.stderr if args.events == "-" else sys.stdout))

        def make(all_sinks: list[Sink]) -> LivePipeline:
            if isinstance(source, CaptureSource):
                print(f"Listening: you on {source.mic.name}, the call on {source.call.name}. Ctrl+C ends the session.",
                      file=sys.stderr)
            return LivePipeline(source, engine, detector, all_sinks)

        with store:
            done = record_live(store, label, choice.label, sinks, make, _run_until_interrupted,
                               keep_audio=args.keep_audio)
        if done.save_error:
            print(f"copilot: the end of the session was not saved: {done.save_error}", file=sys.stderr)
            return 1
        session, sid = done.session, done.session_id
        out = sys.stderr if args.events == "-" else sys.stdout
        print(f"session {sid}: you {round(session.talk_summary().rep_share * 100)}% of the talk, "
              f"{len(session.flags)} directive phrases, {len(session.prompts)} prompts", file=out)
        return 0
    finally:
        if log_file is not None and log_file is not sys.stdout:
            log_file.close()


def _run_until_interrupted(pipeline: LivePipeline) -> Session:
    """Run the pipeline on a helper thread so Ctrl+C ends the session cleanly, keeping what was heard."""
    result: list[Session] = []
    worker = threading.Thread(target=lambda: result.append(pipeline.run()), name="pipeline", daemon=True)
    worker.start()
    try:
        while worker.is_alive():
            worker.join(0.2)
    except KeyboardInterrupt:
        pipeline.stop()
        worker.join()
    return result[0]
