"""Exported tables as files: CSV for a spreadsheet, Parquet for DuckDB, pandas or polars.

Every file is created readable by its owner only (0600): an export may hold what was said
on the calls. Every table is made in memory, written beside its final name, and renamed into
place once all are written, so a reader never sees half a table and a failed export (a full
disk) leaves the earlier files as they were.

Parquet is written by arro3-io (Arrow's Rust Parquet writer; MIT or Apache-2.0, about
33 MB installed, no numpy), imported only here and only when Parquet is asked for, so the
live app and every other command never load it. docs/export.md compares it with pyarrow,
DuckDB, polars and fastparquet.
"""

from __future__ import annotations

import csv
import io
import os
import secrets
from collections.abc import Sequence
from datetime import date, datetime, timezone
from pathlib import Path
from typing import IO, Any

from copilot.errors import UserError
from copilot.report.tables import ColumnType, Table, Value
from copilot.store.private import private_dir, write_private_bytes

__all__ = ["ParquetMissing", "FORMATS", "require_parquet", "write_tables", "owner_only_folder"]

FORMATS = ("csv", "parquet")
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


class ParquetMissing(UserError):
    """This install cannot write Parquet (the library is not there); ``why`` says so without the way out."""

    why = ("Parquet needs the arro3-io package, which this install lacks (pip install arro3-io; it installs on "
           "Python 3.11 or newer on Linux x86-64, Windows and macOS)")

    def __init__(self) -> None:
        super().__init__(f"{self.why}, or export with --format csv.")


def require_parquet() -> None:
    """Check, before anything is written, that Parquet can be written here."""
    try:
        import arro3.io  # noqa: F401
    except ImportError:
        raise ParquetMissing() from None


def owner_only_folder(folder: Path) -> None:
    """Make the export's folder if it is not there, readable by its owner only; an existing one is left as it is."""
    try:
        if folder.exists() and not folder.is_dir():
            raise UserError(f"--out {folder} is a file; give a folder for the tables.")
        private_dir(folder)
    except OSError as e:
        raise UserError(f"Could not make the folder {folder}: {e.strerror or e}; choose another with --out.") from None


def write_tables(tables: Sequence[Table], folder: Path, formats: Sequence[str]) -> list[Path]:
    """Write every table in every format to ``folder`` (owner-only), all of them or none: each is made in memory
    first, then written beside its name, and only once all are written are they renamed into place. A full disk
    leaves the earlier export as it was, and no writer meets the disk error (arro3's Parquet writer would print
    a Rust panic before the error reached Python)."""
    made = [(folder / f"{t.name}.{fmt}", _rendered(t, fmt)) for fmt in formats for t in tables]
    written: list[tuple[Path, Path]] = []
    try:
        for target, data in made:
            tmp = target.with_name(f".{target.name}.{os.getpid()}-{secrets.token_hex(3)}.tmp")
            written.append((tmp, target))
            write_private_bytes(tmp, data)
        for tmp, target in written:
            os.replace(tmp, target)
    except OSError as e:
        for tmp, _ in written:
            tmp.unlink(missing_ok=True)
        raise UserError(f"Could not write the tables to {folder}: {e.strerror or e}; nothing was written (free "
                        "some space, close a table another program has open, or choose another folder with --out)."
                        ) from None
    return [target for target, _ in made]


def _rendered(table: Table, fmt: str) -> bytes:
    """``table`` as the bytes of its file."""
    out = io.BytesIO()
    (_write_csv if fmt == "csv" else _write_parquet)(table, out)
    return out.getvalue()


def _write_csv(table: Table, out: IO[bytes]) -> None:
    """Comma-separated, a header line, UTF-8; an empty cell is no value, booleans are true/false."""
    text = io.TextIOWrapper(out, encoding="utf-8", newline="")
    w = csv.writer(text)
    w.writerow([c.name for c in table.columns])
    w.writerows([_csv_cell(v) for v in row] for row in table.rows)
    text.flush()
    text.detach()


def _csv_cell(v: Value) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (datetime, date)):
        return v.isoformat()
    return str(v)


def _write_parquet(table: Table, out: IO[bytes]) -> None:
    """One row group, Snappy-compressed (the codec every Parquet reader has)."""
    from arro3.core import Table as ArrowTable
    from arro3.io import write_parquet

    from copilot import __version__

    columns = {c.name: _array(c.type, table.column(c.name)) for c in table.columns}
    write_parquet(ArrowTable(columns), out, compression="snappy",
                  created_by=f"Live Call Copilot {__version__} (copilot export)")


def _array(kind: ColumnType, values: list[Value]) -> Any:
    """One column as an Arrow array of its type (times as microseconds since 1970 in UTC, dates as days)."""
    from arro3.core import Array, DataType

    if kind == "timestamp":
        micros = [None if v is None else _micros(v) for v in values]
        return Array(micros, DataType.int64()).cast(DataType.timestamp("us", tz="UTC"))
    if kind == "date":
        days = [None if not isinstance(v, date) else (v - date(1970, 1, 1)).days for v in values]
        return Array(days, DataType.int32()).cast(DataType.date32())
    types = {"str": DataType.string(), "float": DataType.float64(), "int": DataType.int64(), "bool": DataType.bool()}
    return Array(values, types[kind])


def _micros(v: Value) -> int:
    assert isinstance(v, datetime)
    when = v if v.tzinfo is not None else v.astimezone()  # a naive time is the machine's local time
    delta = when - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
