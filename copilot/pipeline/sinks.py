"""Where live events go: the JSON-lines event log, the terminal, the session store.

Each sink is a callable taking one event dict (see the event contract in DESIGN.md); the
pipeline adds the dataclass it came from under ``_raw`` for sinks that want it, and sinks
that write JSON leave that key out.
"""

from __future__ import annotations

import json
import sys
from typing import IO, Any

from copilot.core.events import Flag, Prompt, Segment, SpeechSpan
from copilot.store.sqlite import SessionStore, StoreError

__all__ = ["EventLog", "Terminal", "StoreWriter", "public"]


def public(event: dict[str, Any]) -> dict[str, Any]:
    """The event as written to the log: without the internal ``_raw`` object."""
    return {k: v for k, v in event.items() if k != "_raw"}


class EventLog:
    """One JSON object a line, flushed as it happens, so a crash loses nothing already said."""

    def __init__(self, out: IO[str]) -> None:
        self.out = out

    def __call__(self, event: dict[str, Any]) -> None:
        self.out.write(json.dumps(public(event), ensure_ascii=False) + "\n")
        self.out.flush()


class Terminal:
    """``--headless``: each prompt as it appears, and a talk-share line every ``every_s`` seconds."""

    def __init__(self, out: IO[str] = sys.stdout, every_s: float = 15.0) -> None:
        self.out = out
        self.every_s = every_s
        self._next = every_s

    def __call__(self, event: dict[str, Any]) -> None:
        from copilot.core.review import clock

        kind = event["type"]
        if kind == "prompt":
            self.out.write(f"{clock(event['t']):>6}  >> {event['text']}   ({event['reason']})\n")
        elif kind == "flag":
            self.out.write(f"{clock(event['t']):>6}  flagged {event['category'].replace('_', ' ')}: "
                           f"\"{event['match']}\"{' (heard on a second listen)' if event.get('revised') else ''}\n")
        elif kind == "device":
            self.out.write(f"{clock(event['t']):>6}  !! {event['message']}\n")
        elif kind == "talk" and event["t"] >= self._next:
            self._next += self.every_s
            share = round(event["window_rep_share"] * 100)
            self.out.write(f"{clock(event['t']):>6}  talk, last 2 min: you {share}% : prospect {100 - share}%"
                           f"   (whole call: you {round(event['rep_share'] * 100)}%)\n")
        else:
            return
        self.out.flush()


class StoreWriter:
    """Writes the session to the store as it happens, a few seconds at a time."""

    def __init__(self, store: SessionStore, session_id: str, every_s: float = 2.0) -> None:
        self.store = store
        self.session_id = session_id
        self.every_s = every_s
        self._spans: list[SpeechSpan] = []
        self._segments: list[Segment] = []
        self._flags: list[Flag] = []
        self._prompts: list[Prompt] = []
        self._last = 0.0
        self.failed: StoreError | None = None

    def __call__(self, event: dict[str, Any]) -> None:
        raw = event.get("_raw")
        if isinstance(raw, SpeechSpan):
            self._spans.append(raw)
        elif isinstance(raw, Segment) and raw.final:
            # A revision replaces buffered finals here and stored ones when it is written.
            self._segments = [s for s in self._segments if not s.replaced_by(raw)] + [raw]
        elif isinstance(raw, Flag):
            self._flags.append(raw)
        elif isinstance(raw, Prompt):
            self._prompts.append(raw)
        if event["wall"] - self._last >= self.every_s:
            self._flush_during_call()
            self._last = event["wall"]

    def flush(self) -> None:
        """Write what is buffered (one transaction); raises StoreError, keeping the buffer."""
        if self._spans or self._segments or self._flags or self._prompts:
            self.store.add(self.session_id, spans=self._spans, segments=self._segments, flags=self._flags,
                           prompts=self._prompts)
            self._spans, self._segments, self._flags, self._prompts = [], [], [], []

    def _flush_during_call(self) -> None:
        """A failed write mid-call (disk full) is said once; the buffer is kept and retried."""
        try:
            self.flush()
        except StoreError as e:
            if self.failed is None:
                print(f"copilot: saving the session is failing, it is kept in memory and retried: {e}",
                      file=sys.stderr)
            self.failed = e
