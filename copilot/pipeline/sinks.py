"""Where live events go: the JSON-lines event log, the terminal, the session store.

Each sink is a callable taking one :class:`~copilot.pipeline.events.Stamped` event. The
event log is the one place an event becomes JSON (:func:`event_json`, the event contract
in DESIGN.md). :class:`Hiding` stands in front of the others and hides card and bank
numbers, ID numbers, e-mail addresses and phone numbers before any of them sees the text.
"""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Callable
from typing import IO, Any

from copilot.core.events import (
    Flag,
    Prompt,
    PromptTakenBack,
    Segment,
    SpeechSpan,
    SpeechStart,
    SupportiveLine,
    TalkState,
)
from copilot.core.redact import Hidden, LiveRedaction, Redactor
from copilot.core.scorecard import clock
from copilot.pipeline.events import DeviceNotice, EchoStatus, LiveEvent, PromptShown, Sink, Stamped
from copilot.store.sqlite import SessionStore, StoreError

__all__ = ["event_json", "EventLog", "Terminal", "Notices", "StoreWriter", "Hiding", "WRITE_EVERY_S"]


def event_json(stamped: Stamped) -> dict[str, Any]:
    """One event as a line of the event log: ``type``, ``t`` (audio time), the event's fields, ``wall``."""
    e = stamped.event
    out: dict[str, Any]
    if isinstance(e, SpeechStart):
        out = {"type": "speech", "speaker": e.speaker, "t": _t(e.t), "state": "start"}
    elif isinstance(e, SpeechSpan):
        out = {"type": "speech", "speaker": e.speaker, "t": _t(e.end), "state": "end", "start": _t(e.start),
               "end": _t(e.end)}
    elif isinstance(e, Segment):
        out = {"type": "segment" if e.final else "partial", "speaker": e.speaker, "t": _t(e.end),
               "start": _t(e.start), "end": _t(e.end), "text": e.text}
        if e.replaces is not None:
            out["replaces"] = [_t(e.replaces[0]), _t(e.replaces[1])]
    elif isinstance(e, Flag):
        out = {"type": "flag", "speaker": e.speaker, "t": _t(e.end), "start": _t(e.start), "end": _t(e.end),
               "category": e.category, "match": e.match, "text": e.text, "prompt": e.prompt}
        if e.revised:
            out["revised"] = True
    elif isinstance(e, Prompt):
        out = {"type": "prompt", "t": _t(e.time), "kind": e.kind, "text": e.text, "category": e.category,
               "reason": e.reason, "until": e.until}
    elif isinstance(e, PromptTakenBack):
        out = {"type": "taken_back", "t": _t(e.time), "shown_at": _t(e.shown_at), "category": e.category}
    elif isinstance(e, TalkState):
        mono = e.current_monologue
        out = {"type": "talk", "t": _t(e.time), "rep_share": round(e.rep_share, 4),
               "window_rep_share": round(e.window_rep_share, 4), "speaking": list(e.speaking),
               "monologue_s": round(mono.duration, 1) if mono else 0.0,
               "monologue_speaker": mono.speaker if mono else None}
    elif isinstance(e, DeviceNotice):
        out = {"type": "device", "t": _t(e.t), "message": e.message}
    elif isinstance(e, EchoStatus):
        out = {"type": "echo", "t": _t(e.t), "message": e.message}
    else:
        out = {"type": "shown", "t": _t(e.prompt.time), "text": e.prompt.text, "category": e.prompt.category}
    out["wall"] = round(stamped.wall, 3)
    return out


def _t(seconds: float) -> float:
    return round(float(seconds), 3)


class EventLog:
    """One JSON object a line, flushed as it happens, so a crash loses nothing already said; any thread may write."""

    def __init__(self, out: IO[str]) -> None:
        self.out = out
        self._lock = threading.Lock()

    def __call__(self, stamped: Stamped) -> None:
        line = json.dumps(event_json(stamped), ensure_ascii=False) + "\n"
        with self._lock:
            self.out.write(line)
            self.out.flush()


class Terminal:
    """``--headless``: each prompt as it appears, and a talk-share line every ``every_s`` seconds."""

    def __init__(self, out: IO[str] = sys.stdout, every_s: float = 15.0) -> None:
        self.out = out
        self.every_s = every_s
        self._next = every_s
        self._talked_s = 0.0  # talk of both sides when the last talk line was written

    def __call__(self, stamped: Stamped) -> None:
        e = stamped.event
        if isinstance(e, Prompt):
            self.out.write(f"{clock(e.time):>6}  >> {e.text}   ({e.reason})\n")
        elif isinstance(e, PromptTakenBack):
            self.out.write(f"{clock(e.time):>6}  << prompt of {clock(e.shown_at)} withdrawn: its flag was taken back\n")
        elif isinstance(e, Flag):
            self.out.write(f"{clock(e.end):>6}  flagged {e.category.replace('_', ' ')}: "
                           f"\"{e.match}\"{' (heard on a second listen)' if e.revised else ''}\n")
        elif isinstance(e, DeviceNotice):
            self.out.write(f"{clock(e.t):>6}  !! {e.message}\n")
        elif isinstance(e, TalkState) and e.time >= self._next:
            self._next += self.every_s
            talked = e.rep_s + e.prospect_s
            if talked <= self._talked_s:
                return  # nobody spoke since the last line: nothing new to say
            self._talked_s = talked
            share = round(e.window_rep_share * 100)
            self.out.write(f"{clock(e.time):>6}  talk, last 2 min: you {share}% : prospect {100 - share}%"
                           f"   (whole call: you {round(e.rep_share * 100)}%)\n")
        else:
            return
        self.out.flush()


class Notices:
    """Without ``--headless``: only what the rep must know that is not coaching (a device lost, a full disk),
    written to ``out`` (the command gives it the terminal's error stream)."""

    def __init__(self, out: IO[str]) -> None:
        self.out = out

    def __call__(self, stamped: Stamped) -> None:
        if isinstance(stamped.event, DeviceNotice):
            self.out.write(f"copilot: {clock(stamped.event.t)}: {stamped.event.message}\n")
            self.out.flush()


# Seconds of wall time between two writes of a live call: at most this much of the call is lost
# when the app is killed, and a write (one transaction) costs the coach thread a few ms.
WRITE_EVERY_S = 2.0


class StoreWriter:
    """Writes the session to the store as it happens, a few seconds at a time.

    A write that fails mid-call (a full disk) never stops the coaching: the rep is told
    once, through ``notice``, how far the call is saved (``record_live`` hands it the
    pipeline's notice: an event the window and the terminal show, never a print from the
    coach thread); what comes after is kept in memory and written at the next try, every
    ``every_s`` (``WRITE_EVERY_S`` unless given), and the rep is told once more when saving works again.
    """

    def __init__(self, store: SessionStore, session_id: str, every_s: float | None = None,
                 notice: Callable[[str], None] = lambda _m: None, hidden: Callable[[], Hidden] | None = None) -> None:
        self.store = store
        self.notice = notice
        self.session_id = session_id
        self.every_s = WRITE_EVERY_S if every_s is None else every_s
        self.hidden = hidden  # how many of each kind were hidden so far, written with what was hidden
        self._spans: list[SpeechSpan] = []
        self._segments: list[Segment] = []
        self._flags: list[Flag] = []
        self._prompts: list[Prompt] = []
        self._last = 0.0
        self.failed: StoreError | None = None  # the last write failed: why
        self.failures = 0  # writes during the call that failed
        self.writes = 0  # writes during the call that succeeded
        self.saved_until = 0.0  # call time up to which everything heard is in the store

    def __call__(self, stamped: Stamped) -> None:
        e = stamped.event
        if isinstance(e, SpeechSpan):
            self._spans.append(e)
        elif isinstance(e, Segment) and e.final:
            # A revision replaces buffered finals here and stored ones when it is written.
            self._segments = [s for s in self._segments if not s.replaced_by(e)] + [e]
        elif isinstance(e, Flag):
            self._flags.append(e)
        elif isinstance(e, Prompt):
            self._prompts.append(e)
        if stamped.wall - self._last >= self.every_s:
            self._flush_during_call()
            self._last = stamped.wall

    def flush(self) -> None:
        """Write what is buffered (one transaction); raises StoreError, keeping the buffer."""
        if self._spans or self._segments or self._flags or self._prompts:
            self.store.add(self.session_id, spans=self._spans, segments=self._segments, flags=self._flags,
                           prompts=self._prompts, hidden=self.hidden() if self.hidden is not None else None)
            heard = [s.end for s in self._spans] + [s.end for s in self._segments]
            self.saved_until = max([self.saved_until, *heard])
            self._spans, self._segments, self._flags, self._prompts = [], [], [], []

    def _flush_during_call(self) -> None:
        try:
            self.flush()
        except StoreError as e:
            if self.failed is None:  # once a stretch of failures
                self.notice(f"{str(e).rstrip('.')}; the call is saved up to {clock(self.saved_until)}, the rest "
                            "is kept in memory until it can be written, and the coaching goes on.")
            self.failed = e
            self.failures += 1
            return
        self.writes += 1
        if self.failed is not None:
            self.failed = None
            self.notice("Saving the call works again; nothing heard was lost.")


class Hiding:
    """Hides what must not be kept or shown, then hands each event on to ``sinks``.

    A transcript line whose end may be the start of a number read out is held (with its
    flags) until the speaker's next line or a few seconds of the call have passed
    (``core/redact.py``); it goes on with the stamp it came with. Prompts, talk and speech
    go on at once.
    """

    def __init__(self, redactor: Redactor, sinks: list[Sink]) -> None:
        self.sinks = sinks
        self._hiding: LiveRedaction[float] = LiveRedaction(redactor)
        self._lock = threading.Lock()

    @property
    def hidden(self) -> Hidden:
        """How many of each kind were hidden so far."""
        return self._hiding.hidden

    def __call__(self, stamped: Stamped) -> None:
        with self._lock:
            out = self._hiding.push(stamped.event, stamped.wall, _audio_time(stamped.event))
        self._hand_on(out)

    def flush(self) -> None:
        """The call ended: what is still held goes on, hidden."""
        with self._lock:
            out = self._hiding.flush()
        self._hand_on(out)

    def _hand_on(self, out: list[tuple[object, float]]) -> None:
        for event, wall in out:
            stamped = Stamped(event, wall)  # type: ignore[arg-type]  # the events that came in, hidden
            for sink in self.sinks:
                sink(stamped)


def _audio_time(e: LiveEvent | SupportiveLine) -> float:
    """Where on the call's clock an event is."""
    if isinstance(e, SpeechStart):
        return e.t
    if isinstance(e, (SpeechSpan, Segment, Flag, SupportiveLine)):
        return e.end
    if isinstance(e, Prompt):
        return e.time
    if isinstance(e, (PromptTakenBack, TalkState)):
        return e.time
    if isinstance(e, DeviceNotice):
        return e.t
    if isinstance(e, PromptShown):
        return e.prompt.time
    return 0.0
