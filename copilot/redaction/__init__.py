"""Hiding card and bank numbers, ID numbers, e-mail addresses and phone numbers before a call is kept.

The finding and hiding is the core's (``core/sensitive.py``, ``core/redact.py``); here are the
checks backed by maintained libraries (``checks.py``) and the redactor built with them.
"""

from copilot.redaction.checks import LibraryChecks, redactor

__all__ = ["LibraryChecks", "redactor"]
