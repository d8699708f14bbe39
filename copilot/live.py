"""``copilot live``: the live pipeline from the command line (a recording replayed, or real devices)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import IO, Any

from copilot.errors import UserError

__all__ = ["run_live"]


def run_live(args: argparse.Namespace) -> int:
    """Run one live session; prompts and talk lines on the terminal with ``--headless``."""
    from copilot.audio.decode import AudioFileError, load_call
    from copilot.audio.sources import AudioSource, FileSource
    from copilot.cli import load_detector, stt_threads
    from copilot.pipeline.live import LivePipeline
    from copilot.pipeline.sinks import EventLog, StoreWriter, Terminal
    from copilot.store.sqlite import SessionStore, StoreError
    from copilot.stt.engine import ShortWindows, WhisperEngine
    from copilot.stt.models import ModelError, resolve_model

    detector = load_detector(args.rules)
    if args.replay is None:
        raise UserError("live capture from the microphone and call audio is not available yet; "
                        "use --replay FILE to play a recording through the live pipeline.")
    if not args.speed > 0:
        raise UserError("--speed must be more than 0 (1 = real time, 2 = twice as fast).")
    try:
        audio = load_call(args.replay, rep_channel=args.rep_channel)
        choice = resolve_model(args.model)
        store = SessionStore(args.db)
    except (AudioFileError, ModelError, StoreError) as e:
        raise UserError(str(e)) from None
    log_file: IO[str] | None = None
    try:
        if args.events:
            log_file = sys.stdout if args.events == "-" else _open_log(args.events)
        engine = ShortWindows(WhisperEngine(choice, threads=stt_threads(args.threads)))
        source: AudioSource = FileSource(audio, speed=args.speed)
        with store:
            try:
                sid = store.create_session(f"{Path(args.replay).name} (replay)", "live", choice.label)
            except StoreError as e:
                raise UserError(str(e)) from None
            writer = StoreWriter(store, sid)
            sinks: list[Any] = [writer]
            if log_file is not None:
                sinks.append(EventLog(log_file))
            if args.headless:
                sinks.append(Terminal(sys.stderr if args.events == "-" else sys.stdout))
            pipeline = LivePipeline(source, engine, detector, sinks)
            try:
                session = pipeline.run()
            except KeyboardInterrupt:
                pipeline.stop()
                raise
            try:
                writer.flush()
                store.finish_session(sid, max(pipeline.heard.values()) / 16_000, session.talk_summary())
            except StoreError as e:
                print(f"copilot: the end of the session was not saved: {e}", file=sys.stderr)
                return 1
        out = sys.stderr if args.events == "-" else sys.stdout
        talk = session.talk_summary()
        print(f"session {sid}: you {round(float(talk['rep_share']) * 100)}% of the talk, "
              f"{len(session.flags)} directive phrases, {len(session.prompts)} prompts", file=out)
        return 0
    finally:
        if log_file is not None and log_file is not sys.stdout:
            log_file.close()


def _open_log(path: str) -> IO[str]:
    try:
        return open(path, "w", encoding="utf-8")  # noqa: SIM115 - closed by the caller
    except OSError as e:
        raise UserError(f"could not write the event log {path}: {e.strerror or e}.") from None
