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
    from copilot.audio.capture import CaptureSource
    from copilot.audio.decode import AudioFileError, load_call
    from copilot.audio.devices import DeviceError
    from copilot.audio.sources import AudioSource, FileSource
    from copilot.cli import load_detector, stt_threads
    from copilot.pipeline.live import LivePipeline
    from copilot.pipeline.recorded import record_live
    from copilot.pipeline.sinks import EventLog, Terminal
    from copilot.store.sqlite import SessionStore, StoreError
    from copilot.stt.engine import ShortWindows, WhisperEngine
    from copilot.stt.models import ModelError, resolve_model

    detector = load_detector(args.rules)
    if not args.speed > 0:
        raise UserError("--speed must be more than 0 (1 = real time, 2 = twice as fast).")
    try:
        audio = load_call(args.replay, rep_channel=args.rep_channel) if args.replay else None
        devices = None if audio is not None else _devices(args)
        choice = resolve_model(args.model)
        store = SessionStore(args.db)
    except (AudioFileError, DeviceError, ModelError, StoreError) as e:
        raise UserError(str(e)) from None
    log_file: IO[str] | None = None
    try:
        if args.events:
            log_file = sys.stdout if args.events == "-" else _open_log(args.events)
        engine = ShortWindows(WhisperEngine(choice, threads=stt_threads(args.threads)))
        source: AudioSource
        if audio is not None:
            source = FileSource(audio, speed=args.speed)
            label = f"{Path(args.replay).name} (replay)"
        else:
            assert devices is not None
            sd, pa, mic, call = devices
            source = CaptureSource(sd, mic, call, notice=lambda message: None, pa=pa)  # notice: the pipeline's, below
            label = f"{mic.name} + {call.name}"
        sinks: list[Any] = []
        if log_file is not None:
            sinks.append(EventLog(log_file))
        if args.headless:
            sinks.append(Terminal(sys.stderr if args.events == "-" else sys.stdout))

        def make(all_sinks: list[Any]) -> LivePipeline:
            pipeline = LivePipeline(source, engine, detector, all_sinks)
            if isinstance(source, CaptureSource):
                source.notice = pipeline.notice
                print(f"Listening: you on {source.mic.name}, the call on {source.call.name}. Ctrl+C ends the session.",
                      file=sys.stderr)
            return pipeline

        with store:
            try:
                done = record_live(store, label, choice.label, sinks, make, _run_until_interrupted,
                                   keep_audio=args.keep_audio)
            except StoreError as e:
                raise UserError(str(e)) from None
        if done.save_error:
            print(f"copilot: the end of the session was not saved: {done.save_error}", file=sys.stderr)
            return 1
        session, sid = done.session, done.session_id
        out = sys.stderr if args.events == "-" else sys.stdout
        talk = session.talk_summary()
        print(f"session {sid}: you {round(float(talk['rep_share']) * 100)}% of the talk, "
              f"{len(session.flags)} directive phrases, {len(session.prompts)} prompts", file=out)
        return 0
    finally:
        if log_file is not None and log_file is not sys.stdout:
            log_file.close()


def _run_until_interrupted(pipeline: Any) -> Any:
    """Run the pipeline on a helper thread so Ctrl+C ends the session cleanly, keeping what was heard."""
    import threading

    result: list[Any] = []
    worker = threading.Thread(target=lambda: result.append(pipeline.run()), name="pipeline", daemon=True)
    worker.start()
    try:
        while worker.is_alive():
            worker.join(0.2)
    except KeyboardInterrupt:
        pipeline.stop()
        worker.join()
    return result[0]


def _devices(args: argparse.Namespace) -> tuple[Any, Any, Any, Any]:
    from copilot.audio.devices import list_inputs, load_sounddevice, pick_devices
    from copilot.audio.loopback import load_pyaudiowpatch

    sd, pa = load_sounddevice(), load_pyaudiowpatch()
    mic, call = pick_devices(list_inputs(sd, pa), args.mic, args.call)
    return sd, pa, mic, call


def run_devices(args: argparse.Namespace) -> int:
    """``copilot devices``: every input, with the likely microphone and call-audio device marked."""
    from copilot.audio.devices import DeviceError, list_inputs, load_sounddevice
    from copilot.audio.loopback import load_pyaudiowpatch

    try:
        inputs = list_inputs(load_sounddevice(), load_pyaudiowpatch())
    except DeviceError as e:
        raise UserError(str(e)) from None
    if not inputs:
        print("No audio input devices found.")
        return 0
    for d in inputs:
        mark = "call audio?" if d.looks_like_call_audio else ("microphone (default)" if d.is_default else "")
        print(f"{d.key:>3}  {d.name:<50} {d.channels} ch {d.rate / 1000:g} kHz  {mark}")
    print("\nUse them with: copilot live --mic NUMBER|NAME --call NUMBER|NAME --headless")
    return 0


def _open_log(path: str) -> IO[str]:
    try:
        return open(path, "w", encoding="utf-8")  # noqa: SIM115 - closed by the caller
    except OSError as e:
        raise UserError(f"could not write the event log {path}: {e.strerror or e}.") from None
