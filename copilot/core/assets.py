"""Where the bundled files are: inside the installed package, or the source tree when editable."""

from __future__ import annotations

from pathlib import Path

__all__ = ["asset_path"]


def asset_path(*parts: str) -> Path:
    """A bundled file under ``assets/`` (the installed copy first, then the source tree)."""
    here = Path(__file__).resolve().parent.parent
    for base in (here / "assets", here.parent / "assets"):
        candidate = base.joinpath(*parts)
        if candidate.exists():
            return candidate
    return here.parent.joinpath("assets", *parts)
