"""``copilot sessions``: the stored calls, newest first; rename or delete one."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from copilot.core.scorecard import clock
from copilot.errors import UserError
from copilot.store.sqlite import SessionStore

if TYPE_CHECKING:
    from copilot.store.settings import Settings

__all__ = ["run_sessions", "run_rename", "run_delete", "run_prune", "run_me", "run_exclude", "run_include"]


def run_sessions(args: argparse.Namespace) -> int:
    """List stored sessions, newest first."""
    with SessionStore(args.db, existing=True) as store:
        rows = store.sessions()
    if args.json:
        print(json.dumps([r.as_json() for r in rows], indent=1))
        return 0
    if not rows:
        print("No sessions yet: run `copilot analyze CALL` on a recording.")
        return 0
    print(f"{'id':<22} {'started':<17} {'length':>8} {'you':>5}  source")
    for r in rows:
        share = "-" if r.rep_share is None else f"{r.rep_share * 100:.0f}%" + ("?" if r.rep_guessed else "")
        out = " (left out of Progress)" if r.excluded else ""
        print(f"{r.id:<22} {_local(r.started):<17} {clock(r.duration_s):>8} {share:>5}  {r.label}{out}")
    if any(r.rep_guessed for r in rows):
        print("? a mixed recording whose voice is yours was guessed: `copilot sessions me ID N` says which")
    return 0


def run_rename(args: argparse.Namespace) -> int:
    """``copilot sessions rename ID NAME``."""
    with SessionStore(args.db, existing=True) as store:
        sid = store.find(args.session)
        store.rename(sid, args.name)
    print(f"Renamed {sid}: {args.name.strip() or '(no name)'}")
    return 0


def run_delete(args: argparse.Namespace) -> int:
    """``copilot sessions delete ID``: the session and everything kept of it, its text overwritten in the files;
    ``--all``: every session (asked first, unless ``--yes``)."""
    if args.all:
        if args.session:
            raise UserError("Give one call's ID or --all, not both.")
        return _delete_all(args)
    if not args.session:
        raise UserError("Say which call: `copilot sessions delete ID` (`copilot sessions` lists them), or --all.")
    with SessionStore(args.db, existing=True) as store:
        sid = store.find(args.session)
        whole = store.delete(sid)
    print(f"Deleted {sid}: its transcript, numbers and any kept audio; its text is overwritten in the store's files."
          + ("" if whole else _BUSY))
    return 0


_BUSY = (" Another window of the copilot is reading the store: the last copy of the text goes when it closes"
         " (or on the next deletion).")


def _delete_all(args: argparse.Namespace) -> int:
    with SessionStore(args.db, existing=True) as store:
        n = len(store.sessions())
        if n == 0:
            print(f"There are no calls in {store.path}; nothing to delete.")
            return 0
        if not args.yes:
            if not sys.stdin.isatty():
                raise UserError(f"This deletes all {n} calls in {store.path} for good; add --yes to do it without "
                                "being asked.")
            answer = input(f"Delete all {n} call{'s' if n != 1 else ''} in {store.path}, their transcripts and "
                           "kept audio, for good? Type yes: ")
            if answer.strip().lower() != "yes":
                print("Nothing was deleted.")
                return 1
        done = store.delete_all()
        whole = store.checkpoint()
        path = store.path
    print(f"Deleted all {done} call{'s' if done != 1 else ''} in {path}: the store is empty and its file rewritten. "
          "Your voice profile and the lines you marked in reviews (my_examples.json) are kept: `copilot voice clear` "
          "deletes the one; delete the file for the other." + ("" if whole else _BUSY))
    return 0


def run_prune(args: argparse.Namespace) -> int:
    """``copilot sessions prune [--keep-days N|never]``: delete the transcripts of calls older than the rep's
    setting (or N days), keeping their numbers; says what was removed."""
    from copilot.core.retention import Retention, parse_days
    from copilot.wiring import apply_retention

    if args.keep_days is not None:
        try:
            retention = Retention(parse_days(args.keep_days, "--keep-days"))
        except ValueError as e:
            raise UserError(f"{e}.") from None
    else:
        retention = _settings(args).retention
    with SessionStore(args.db, existing=True) as store:
        expired = apply_retention(store, retention, getattr(args, "rules", None))
    if expired is None:
        print("Transcripts are kept for good (your setting says never); nothing was deleted. "
              "`copilot sessions prune --keep-days N` deletes those older than N days.")
    else:
        print(expired.sentence(retention.said, given=args.keep_days is not None))
    return 0


def _local(started: str) -> str:
    """A stored start (UTC) in this computer's time zone, as the review, Progress and --started read it."""
    try:
        return datetime.fromisoformat(started).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return started[:16]


def _settings(args: argparse.Namespace) -> Settings:
    from copilot.store.settings import default_settings_path, load_settings

    settings, notice = load_settings(Path(args.settings) if args.settings else default_settings_path())
    if notice:
        print(f"copilot: {notice}", file=sys.stderr)
    return settings


def run_exclude(args: argparse.Namespace) -> int:
    """``copilot sessions exclude ID``: leave the call out of Progress (it stays stored and reviewable)."""
    with SessionStore(args.db, existing=True) as store:
        sid = store.find(args.session)
        store.set_excluded(sid, True)
    print(f"{sid} is left out of Progress; `copilot sessions include {sid}` counts it again.")
    return 0


def run_include(args: argparse.Namespace) -> int:
    """``copilot sessions include ID``: count a call left out of Progress again."""
    with SessionStore(args.db, existing=True) as store:
        sid = store.find(args.session)
        store.set_excluded(sid, False)
    print(f"{sid} counts in Progress again.")
    return 0


def run_me(args: argparse.Namespace) -> int:
    """``copilot sessions me ID N``: in a mixed recording, the rep is voice N; the numbers are worked out again."""
    from copilot.voices.this_is_me import this_is_me
    from copilot.wiring import load_detector

    detector = load_detector(args.rules, meaning=not getattr(args, "rules_only", False))
    with SessionStore(args.db, existing=True) as store:
        sid = store.find(args.session)
        stored = this_is_me(store, sid, args.voice, detector)
    talk = stored.talk
    share = f"you talked {talk.rep_share:.0%} of the time" if talk is not None else "its numbers were recomputed"
    print(f"{sid}: you are voice {args.voice} now; {share}, {len(stored.flags)} directive phrases.")
    return 0
