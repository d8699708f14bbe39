"""The one error type the app shows as a plain sentence, and the base of every error a user can cause.

Adapters raise their own subclass (a bad recording, a missing device, a broken rulebook,
an unusable database), worded as one sentence that names the thing and the fix, and
capitalised where it is raised. Each entry point catches :class:`UserError` once: the
command line prints it, the app shows it in its window. Nothing re-wraps it.
"""

from __future__ import annotations

__all__ = ["UserError"]


class UserError(Exception):
    """Something the user can fix; the message is shown as it is, with no traceback."""
