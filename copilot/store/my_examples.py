"""Where the rep's marks are kept: ``my_examples.json`` in the user data folder, beside ``sessions.db``.

Why a file of its own and not a table in the session database:

- the detector reads it everywhere the rep is coached — live, ``copilot analyze``,
  ``copilot detect`` — and ``copilot detect`` opens no database;
- it is one truth for both halves of a mark (the call's numbers and the lesson), so undoing a
  mark can never leave one half behind;
- deleting a call, moving to another ``--db`` or starting a fresh database keeps what the rep
  taught; it is plain JSON the rep can read, back up or carry to another computer;
- it is in the user data folder, not inside the installed package, so an upgrade (or a
  schema migration of ``sessions.db``) never touches it. Its own ``version`` lets a later
  app read it.

Each write re-reads the file first and replaces it whole (a temporary file, then a rename),
so a mark made in another window is not lost. A file that cannot be read is never written
over: the rep gets one sentence saying which file and what to do (:class:`ExamplesError`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, fields, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from copilot.core.marks import Mark
from copilot.errors import UserError
from copilot.store.private import data_folder, private_dir, write_private_text

__all__ = ["ExamplesError", "MyExamples", "default_examples_path", "EXAMPLES_FILE"]

EXAMPLES_FILE = "my_examples.json"
_VERSION = 1
_WHAT = ("Lines you marked in the call review: not_example = \"that wasn't pushy\", example = a pushy line the "
         "detector missed. Your detector learns from them; they never leave this computer.")
_FIELDS = {f.name for f in fields(Mark)}


class ExamplesError(UserError):
    """The rep's examples file cannot be read or written; the message names the file and the fix."""


def default_examples_path() -> Path:
    """my_examples.json in the user's data folder, beside the sessions database (``default_db_path``; not
    imported from there: ``copilot detect`` reads this file and loads no SQL)."""
    return data_folder() / EXAMPLES_FILE


class MyExamples:
    """The rep's marks, from every call: what the review leaves out or adds, and what the detector learns."""

    def __init__(self, path: Path, marks: list[Mark]) -> None:
        self.path = path
        self.marks = marks

    @classmethod
    def load(cls, path: str | Path | None = None) -> MyExamples:
        """The marks kept in ``path`` (None: the user's own file); none yet if there is no file."""
        p = Path(path) if path is not None else default_examples_path()
        return cls(p, _read(p))

    def of(self, session: str) -> list[Mark]:
        """The marks made in one call."""
        return [m for m in self.marks if m.session == session]

    def add(self, mark: Mark) -> None:
        """Keep a new mark (a mark of the same sentence at the same moment of the same call is replaced)."""
        self._change(lambda marks: [m for m in marks if not _same(m, mark)] + [_stamped(mark)])

    def remove(self, mark: Mark) -> None:
        """Undo a mark: the call's flag as it was, and the detector no longer learns from it."""
        self._change(lambda marks: [m for m in marks if not _same(m, mark)])

    def _change(self, edit: Callable[[list[Mark]], list[Mark]]) -> None:
        marks = edit(_read(self.path))  # what another window marked meanwhile is kept
        data = {"what": _WHAT, "version": _VERSION, "marks": [asdict(m) for m in marks]}
        try:
            private_dir(self.path.parent)
            write_private_text(self.path, json.dumps(data, indent=1, ensure_ascii=False) + "\n")
        except OSError as e:
            raise ExamplesError(f"Your mark could not be saved to {self.path}: {e.strerror or e}.") from None
        self.marks = marks


def _read(path: Path) -> list[Mark]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as e:
        raise _unreadable(path, getattr(e, "strerror", None) or str(e)) from None
    try:
        data = json.loads(text)
        if not isinstance(data, dict) or not isinstance(data.get("marks"), list):
            raise ValueError("no list of marks in it")
        if int(data.get("version", 1)) > _VERSION:
            raise ExamplesError(f"Your examples file {path} was written by a newer version of Live Call Copilot; "
                                "update the app to use it (nothing in it was changed).")
        return [_mark(m) for m in data["marks"]]
    except ExamplesError:
        raise
    except (ValueError, TypeError, KeyError) as e:
        raise _unreadable(path, str(e)) from None


def _unreadable(path: Path, why: str) -> ExamplesError:
    why = " ".join(why.split())  # Python's words for it may quote the file's own text: one short line of it
    why = why if len(why) <= 80 else why[:79] + "\u2026"
    return ExamplesError(f"Your examples file {path} cannot be read ({why}); fix it or move it aside to start "
                         "afresh — nothing in it was changed.")


def _mark(raw: Any) -> Mark:
    if not isinstance(raw, dict) or raw.get("kind") not in ("example", "not_example"):
        raise ValueError("a mark that is neither an example nor a not_example")
    values = {k: v for k, v in raw.items() if k in _FIELDS}  # keys from a later version are skipped
    for k in ("sentence", "category", "session"):
        if not isinstance(values.get(k), str) or not values[k].strip():
            raise ValueError(f"a mark without its {k}")
    for k in ("start", "end"):
        values[k] = float(values.get(k, 0.0))
    for k in ("match", "line", "prompt", "marked"):
        values[k] = str(values.get(k, ""))
    return Mark(**values)


def _same(a: Mark, b: Mark) -> bool:
    return a.session == b.session and a.key == b.key and abs(a.start - b.start) < 0.01


def _stamped(mark: Mark) -> Mark:
    if mark.marked:
        return mark
    return replace(mark, marked=datetime.now(timezone.utc).isoformat(timespec="seconds"))
