"""``copilot analyze`` and ``copilot sessions``: a recorded call in, a stored session and a summary out."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from copilot.errors import UserError
from copilot.pipeline.offline import Progress

__all__ = ["run_analyze", "run_sessions", "run_rename", "run_delete", "BarProgress", "write_json", "json_target"]


class BarProgress(Progress):
    """A progress bar on stderr (shown only when stderr is a terminal)."""

    def __init__(self) -> None:
        self._bar: Any = None

    def stage(self, name: str, total_s: float) -> None:
        """Start a new bar for the next stage."""
        from tqdm import tqdm

        self.close()
        self._bar = tqdm(total=round(total_s, 1), desc=name, unit="s", file=sys.stderr, leave=False,
                         disable=None, bar_format="{desc}: {percentage:3.0f}%|{bar}| {n:.0f}/{total:.0f} s audio")

    def advance(self, seconds: float) -> None:
        """Move the bar on."""
        if self._bar is not None:
            self._bar.update(round(seconds, 1))

    def close(self) -> None:
        """Remove the bar."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def run_analyze(args: argparse.Namespace) -> int:
    """Analyse one call, store it, write the JSON and print the summary."""
    from copilot.audio.decode import AudioFileError, load_call
    from copilot.cli import load_detector
    from copilot.pipeline.offline import analyze_call
    from copilot.store.sqlite import SessionStore, StoreError
    from copilot.stt.engine import WhisperEngine
    from copilot.stt.models import ModelError, resolve_model
    from copilot.summary import summary

    if (args.rep is None) != (args.prospect is None):
        raise UserError("--rep and --prospect go together: give both files, or one stereo CALL instead.")
    detector = load_detector(args.rules)
    json_out = json_target(args.json)
    try:
        audio = load_call(args.call, rep_channel=args.rep_channel, rep=args.rep, prospect=args.prospect)
        choice = resolve_model(args.model)
        store = SessionStore(args.db)  # a bad database fails now, not after the transcription
    except (AudioFileError, ModelError, StoreError) as e:
        raise UserError(str(e)) from None
    from copilot.cli import stt_threads

    with store:
        engine = WhisperEngine(choice, threads=stt_threads(args.threads))
        bar = BarProgress()
        try:
            analysis = analyze_call(audio, engine, detector, model=choice.label, progress=bar)
        finally:
            bar.close()
        s = analysis.session
        store_error: StoreError | None = None
        try:
            analysis.session_id = store.save_analysis(
                analysis.source, "analyze", choice.label, analysis.duration_s, s.talk_summary(),
                analysis.spans, analysis.segments, s.flags, s.prompts)
        except StoreError as e:
            store_error = e
    if json_out is not None:
        write_json(json_out, analysis.as_json())
    print(summary(analysis), file=sys.stderr if json_out == "-" else sys.stdout)
    if store_error is not None:
        print(f"copilot: the analysis above was not saved: {store_error}", file=sys.stderr)
        return 1
    return 0


def run_sessions(args: argparse.Namespace) -> int:
    """List stored sessions, newest first."""
    from copilot.core.review import clock
    from copilot.store.sqlite import SessionStore, StoreError

    try:
        with SessionStore(args.db) as store:
            rows = store.sessions()
    except StoreError as e:
        raise UserError(str(e)) from None
    if args.json:
        print(json.dumps([r.as_json() for r in rows], indent=1))
        return 0
    if not rows:
        print("No sessions yet: run `copilot analyze CALL` on a recording.")
        return 0
    print(f"{'id':<22} {'started (UTC)':<20} {'length':>8} {'you':>5}  source")
    for r in rows:
        share = "-" if r.rep_share is None else f"{r.rep_share * 100:.0f}%"
        print(f"{r.id:<22} {r.started[:19].replace('T', ' '):<20} {clock(r.duration_s):>8} {share:>5}  "
              f"{r.name or r.source}")
    return 0


def run_rename(args: argparse.Namespace) -> int:
    """``copilot sessions rename ID NAME``."""
    from copilot.store.sqlite import SessionStore, StoreError

    try:
        with SessionStore(args.db) as store:
            sid = store.find(args.session)
            store.rename(sid, args.name)
    except StoreError as e:
        raise UserError(str(e)) from None
    print(f"Renamed {sid}: {args.name.strip() or '(no name)'}")
    return 0


def run_delete(args: argparse.Namespace) -> int:
    """``copilot sessions delete ID``: the session and everything kept of it."""
    from copilot.store.sqlite import SessionStore, StoreError

    try:
        with SessionStore(args.db) as store:
            sid = store.find(args.session)
            store.delete(sid)
    except StoreError as e:
        raise UserError(str(e)) from None
    print(f"Deleted {sid}.")
    return 0


def json_target(target: str | None) -> str | None:
    """Check before the long work that the JSON can be written where asked."""
    if target is None or target == "-":
        return target
    p = Path(target)
    if p.is_dir():
        raise UserError(f"--json {target} is a folder; give a file name.")
    if not p.parent.exists():
        raise UserError(f"--json {target}: the folder {p.parent} does not exist.")
    return target


def write_json(target: str, data: dict[str, Any]) -> None:
    text = json.dumps(data, indent=1, ensure_ascii=False) + "\n"
    if target == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        Path(target).write_text(text, encoding="utf-8")
    except OSError as e:
        raise UserError(f"could not write {target}: {e.strerror or e}.") from None
