"""``copilot export``: stored calls as tables (CSV and Parquet) for a manager, a spreadsheet or a notebook.

One call (by its id), a range of days, or every call; numbers only unless the rep asks for
the transcripts. What each table holds: ``report/tables.py`` and docs/export.md.
"""

from __future__ import annotations

import argparse
import time
from datetime import date, datetime
from pathlib import Path

from copilot.errors import UserError
from copilot.store.sqlite import SessionRow, SessionStore

__all__ = ["run_export", "parse_day", "in_days"]

TABLE_NAMES = ("sessions", "turns", "flags", "prompts", "segments")


def run_export(args: argparse.Namespace) -> int:
    """Write the chosen calls' tables to ``--out`` and say what was written."""
    from copilot.core.phrases import PhraseDetector
    from copilot.core.rulebook import Rulebook
    from copilot.report.table_files import FORMATS, ParquetMissing, owner_only_folder, require_parquet, write_tables
    from copilot.report.tables import ExportTables
    from copilot.store.my_examples import MyExamples

    since, until = parse_day(args.since, "--since"), parse_day(args.until, "--until")
    if since and until and since > until:
        raise UserError(f"--since {since} is after --until {until}; give the earlier day first.")
    if args.session and (since or until):
        raise UserError("Give one call (its id) or a range of days (--since, --until), not both.")
    formats = FORMATS if args.format in (None, "both") else (args.format,)
    skipped = ""
    if "parquet" in formats:
        try:
            require_parquet()
        except ParquetMissing as e:
            if args.format is not None:  # asked for by name: nothing else will do
                raise
            formats, skipped = ("csv",), e.why
    # The supportive lines of a call stored before they were kept: the rulebook's patterns alone find them.
    detector = PhraseDetector(Rulebook.load(args.rules))
    marks = MyExamples.load()  # the flags the rep marked in the review, as the review shows them
    started = time.perf_counter()
    tables = ExportTables(detector, transcripts=args.with_transcripts)
    with SessionStore(args.db, existing=True) as store:
        if args.session:
            ids = [store.find(args.session)]
        else:
            ids = [r.id for r in reversed(store.sessions()) if in_days(r, since, until)]  # oldest first
        if not ids:
            raise UserError(_nothing(since, until, store.path))
        for sid in ids:
            tables.add(store.load(sid, words=False), marks.of(sid))
    folder = Path(args.out)
    owner_only_folder(folder)
    written = write_tables(tables.tables, folder, formats)
    stale = _stale(folder, {p.name for p in written})
    counts = tables.counts()
    said = ", ".join(f"{name} {n:,}" for name, n in counts.items())
    kinds = " and ".join(f.upper() if f == "csv" else "Parquet" for f in formats)
    print(f"Exported {len(ids):,} call{'s' if len(ids) != 1 else ''} to {folder} as {kinds} "
          f"in {time.perf_counter() - started:.1f} s; rows: {said}.")
    if stale:
        print(f"{', '.join(stale)} in {folder}: from an earlier export, left as found (not part of these tables).")
    if skipped:
        print(f"Only CSV was written: {skipped}.")
    if not args.with_transcripts:
        print("Numbers only: --with-transcripts adds what was said (segments, and each flag's sentence).")
    return 0


def parse_day(text: str | None, option: str) -> date | None:
    """A day given on the command line (YYYY-MM-DD), or a sentence saying how to give it."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UserError(f"{option} {text} is not a day; give it as YYYY-MM-DD (e.g. 2026-11-30).") from None


def in_days(row: SessionRow, since: date | None, until: date | None) -> bool:
    """The call started on a day from ``since`` to ``until`` (both included), in this computer's time zone."""
    try:
        day = datetime.fromisoformat(row.started).astimezone().date()
    except ValueError:
        return since is None and until is None
    return (since is None or since <= day) and (until is None or day <= until)


def _nothing(since: date | None, until: date | None, db: Path) -> str:
    if since is None and until is None:
        return f"There are no calls in {db} yet, so nothing was written: run `copilot analyze CALL` on a recording."
    span = (f"from {since} to {until}" if since and until else f"on or after {since}" if since
            else f"on or before {until}")
    return f"No calls {span} in {db}, so nothing was written; `copilot sessions` lists them all."


def _stale(folder: Path, written: set[str]) -> list[str]:
    """Tables in the folder that an earlier export wrote and this one did not (a transcript from an export made
    --with-transcripts, the other format): left as they are (they may be someone's), but said."""
    return [f"{name}.{fmt}" for name in TABLE_NAMES for fmt in ("csv", "parquet")
            if f"{name}.{fmt}" not in written and (folder / f"{name}.{fmt}").is_file()]
