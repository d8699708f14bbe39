"""The one error type the command line shows as a plain sentence."""

from __future__ import annotations

__all__ = ["UserError"]


class UserError(Exception):
    """Something the user can fix; the message is shown as it is, with no traceback."""
