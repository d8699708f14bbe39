"""``copilot progress``: is the coaching working? The rep's numbers across their calls, in the terminal."""

from __future__ import annotations

import argparse
import json
import sys

from copilot.core.progress import Progress
from copilot.store.sqlite import SessionStore

__all__ = ["run_progress", "read_progress"]


def read_progress(args: argparse.Namespace) -> Progress:
    """Progress over the range ``args`` gives (--since, --until) from the store ``--db``, with the rep's marks.

    Sessions stored before supportive lines were kept have them found once, here (a line on
    stderr says so: it is the one slow run)."""
    from copilot.report.progress import find_supportive, load_progress, parse_day
    from copilot.store.my_examples import MyExamples

    since = parse_day(args.since, "--since") if args.since else None
    until = parse_day(args.until, "--until") if args.until else None
    marks = MyExamples.load().marks

    def said(n: int) -> None:
        print(f"Finding the autonomy-supportive lines of {n} call{'s' if n != 1 else ''} stored by an earlier "
              "version (once)…", file=sys.stderr)

    with SessionStore(args.db, existing=True) as store:
        find_supportive(store, getattr(args, "rules", None), said)
        return load_progress(store, marks, since, until)


def run_progress(args: argparse.Namespace) -> int:
    """Print Progress (or its JSON)."""
    from copilot.report.progress_text import progress_text

    p = read_progress(args)
    if args.json:
        print(json.dumps(p.as_json(), indent=1, ensure_ascii=False))
    else:
        print(progress_text(p, every_call=args.all))
    return 0
