"""Reads the labelled utterance tables in tests/data."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class Line:
    label: bool
    category: str | None
    note: str
    text: str


def read(name: str) -> list[Line]:
    """Rows of a table: label, then (dev table only) category and note, then the text."""
    rows = []
    for raw in (DATA / name).read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#") or raw.startswith("label\t"):
            continue
        parts = raw.split("\t")
        if len(parts) == 4:
            rows.append(Line(parts[0] == "1", None if parts[1] == "-" else parts[1], parts[2], parts[3]))
        else:
            rows.append(Line(parts[0] == "1", None, "", parts[-1]))
    return rows
