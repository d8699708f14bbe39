"""``copilot sessions``: the stored calls, newest first; rename or delete one."""

from __future__ import annotations

import argparse
import json

from copilot.core.review import clock
from copilot.store.sqlite import SessionStore

__all__ = ["run_sessions", "run_rename", "run_delete", "run_me", "run_exclude", "run_include"]


def run_sessions(args: argparse.Namespace) -> int:
    """List stored sessions, newest first."""
    with SessionStore(args.db) as store:
        rows = store.sessions()
    if args.json:
        print(json.dumps([r.as_json() for r in rows], indent=1))
        return 0
    if not rows:
        print("No sessions yet: run `copilot analyze CALL` on a recording.")
        return 0
    print(f"{'id':<22} {'started (UTC)':<20} {'length':>8} {'you':>5}  source")
    for r in rows:
        share = "-" if r.rep_share is None else f"{r.rep_share * 100:.0f}%" + ("?" if r.rep_guessed else "")
        out = " (left out of Progress)" if r.excluded else ""
        print(f"{r.id:<22} {r.started[:19].replace('T', ' '):<20} {clock(r.duration_s):>8} {share:>5}  {r.label}{out}")
    if any(r.rep_guessed for r in rows):
        print("? a mixed recording whose voice is yours was guessed: `copilot sessions me ID N` says which")
    return 0


def run_rename(args: argparse.Namespace) -> int:
    """``copilot sessions rename ID NAME``."""
    with SessionStore(args.db) as store:
        sid = store.find(args.session)
        store.rename(sid, args.name)
    print(f"Renamed {sid}: {args.name.strip() or '(no name)'}")
    return 0


def run_delete(args: argparse.Namespace) -> int:
    """``copilot sessions delete ID``: the session and everything kept of it."""
    with SessionStore(args.db) as store:
        sid = store.find(args.session)
        store.delete(sid)
    print(f"Deleted {sid}.")
    return 0


def run_exclude(args: argparse.Namespace) -> int:
    """``copilot sessions exclude ID``: leave the call out of Progress (it stays stored and reviewable)."""
    with SessionStore(args.db) as store:
        sid = store.find(args.session)
        store.set_excluded(sid, True)
    print(f"{sid} is left out of Progress; `copilot sessions include {sid}` counts it again.")
    return 0


def run_include(args: argparse.Namespace) -> int:
    """``copilot sessions include ID``: count a call left out of Progress again."""
    with SessionStore(args.db) as store:
        sid = store.find(args.session)
        store.set_excluded(sid, False)
    print(f"{sid} counts in Progress again.")
    return 0


def run_me(args: argparse.Namespace) -> int:
    """``copilot sessions me ID N``: in a mixed recording, the rep is voice N; the numbers are worked out again."""
    from copilot.report.voices import this_is_me
    from copilot.wiring import load_detector

    detector = load_detector(args.rules, meaning=not getattr(args, "rules_only", False))
    with SessionStore(args.db) as store:
        sid = store.find(args.session)
        stored = this_is_me(store, sid, args.voice, detector)
    talk = stored.talk
    share = f"you talked {talk.rep_share:.0%} of the time" if talk is not None else "its numbers were recomputed"
    print(f"{sid}: you are voice {args.voice} now; {share}, {len(stored.flags)} directive phrases.")
    return 0
