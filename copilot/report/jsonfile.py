"""Writing a call's analysis JSON (the ``analyze --json`` contract) to a file or standard output."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from copilot.errors import UserError
from copilot.store.private import write_private_text

__all__ = ["json_target", "write_json"]


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
    """Write ``data`` as indented JSON to ``target`` (``-``: standard output)."""
    text = json.dumps(data, indent=1, ensure_ascii=False) + "\n"
    if target == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        write_private_text(target, text)
    except OSError as e:
        raise UserError(f"Could not write {target}: {e.strerror or e}.") from None
