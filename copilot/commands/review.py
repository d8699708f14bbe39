"""``copilot review`` and ``copilot report``: a stored call in the review window, or as a file to send."""

from __future__ import annotations

import argparse
import os
import sys

from copilot.core.rulebook import Rulebook
from copilot.errors import UserError
from copilot.report.jsonfile import json_target, write_json
from copilot.report.review import review_of, stored_json
from copilot.store.sqlite import SessionStore
from copilot.wiring import load_review, require_display

__all__ = ["run_review", "run_report"]


def run_review(args: argparse.Namespace) -> int:
    """Open the review of one call, or the list of calls."""
    require_display("the review", "`copilot report ID --html OUT` writes the same review as a web page.")
    from copilot.ui.app_icon import qt_app
    from copilot.ui.garbage import collect_on_the_qt_thread
    from copilot.ui.review import ReviewWindow, SessionsWindow

    # A broken rulebook is said before any window opens. The review reads the store: no model is loaded, unless
    # the rep says which voice of a mixed recording is theirs ("This is me…" judges the call again).
    rulebook = Rulebook.load(args.rules)
    rules_only = bool(getattr(args, "rules_only", False))
    store = SessionStore(args.db, existing=True)
    try:
        review = review_of(store, store.find(args.session), rulebook) if args.session else None
    except UserError:
        store.close()
        raise
    app = qt_app()
    collect_on_the_qt_thread(app)
    if review is not None:
        window: ReviewWindow | SessionsWindow = ReviewWindow(review, store, rules=args.rules, rules_only=rules_only)
    else:
        window = SessionsWindow(store, lambda sid: review_of(store, sid, rulebook), args.rules, rules_only)
    window.show()
    try:
        return int(app.exec())
    finally:
        store.close()


def run_report(args: argparse.Namespace) -> int:
    """Write a call's review as one HTML file, and/or its JSON; or, with --progress, the Progress page."""
    if getattr(args, "progress", False):
        return _progress_page(args)
    if not args.session:
        raise UserError("Say which call: `copilot report ID --html OUT` (`copilot sessions` lists them), or "
                        "--progress for Progress across your calls.")
    if args.since or args.until:
        raise UserError("--since and --until choose the calls of --progress; a call's report is of one call.")
    if not args.html and not args.json:
        raise UserError("Say what to write: --html OUT for the report, --json OUT for the data.")
    json_out = json_target(args.json)
    with SessionStore(args.db, existing=True) as store:
        review = load_review(store, args.session, args.rules)
    if args.numbers_only:
        from copilot.report.numbers_only import numbers_only, numbers_only_json

        data = numbers_only_json(review)
        review = numbers_only(review)
    else:
        data = stored_json(review.stored, review.marks, review.effects)
    if json_out:
        write_json(json_out, data)
    if args.html:
        if sys.platform.startswith("linux"):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # the chart is drawn, never shown
        from copilot.report.html import write_report
        from copilot.ui.app_icon import qt_app
        from copilot.ui.timeline import timeline_png

        app = qt_app()
        path = write_report(review, timeline_png(review), args.html)
        del app
        print(f"Report written: {path}", file=sys.stderr if json_out == "-" else sys.stdout)
    return 0


def _progress_page(args: argparse.Namespace) -> int:
    """``copilot report --progress [--html OUT]``: Progress across the calls as one HTML page."""
    from copilot.commands.progress import read_progress
    from copilot.report.progress_html import write_progress

    if args.session:
        raise UserError("--progress is across all your calls (choose them with --since and --until), not one ID.")
    if args.json:
        raise UserError("--progress writes a page (--html OUT); `copilot progress --json` gives its numbers.")
    if args.numbers_only:
        raise UserError("--numbers-only is for one call's report; the Progress page holds no transcript.")
    scope = " ".join(x for x in (f"from {args.since}" if args.since else "", f"until {args.until}"
                                                                              if args.until else "") if x)
    path = write_progress(read_progress(args), args.html or "progress.html", scope)
    print(f"Progress written: {path}")
    return 0
