"""One stored call made ready for review: its numbers, timeline data and marked-up transcript.

The review window and the HTML report both start from :func:`build_review`, so they show
the same things; :func:`transcript_html` is the transcript both of them render (plain HTML
that Qt's text browser and any web browser read alike).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from html import escape
from typing import Any

from copilot.core.events import Flag, SupportiveLine
from copilot.core.phrases import PhraseDetector
from copilot.core.review import FlaggedLine, Number, clock, flagged_lines, numbers, rolling_share, supportive_lines
from copilot.core.session import analysis_json
from copilot.store.sqlite import StoredSession

__all__ = ["Review", "build_review", "transcript_html", "stored_json", "TRANSCRIPT_CSS", "WHO"]

WHO = {"rep": "You", "prospect": "Them"}

# Shared by the window (QTextBrowser's CSS subset) and the report.
TRANSCRIPT_CSS = """
.line { margin: 0 0 6px 0; }
.time { color: #888888; font-size: small; }
.play { color: #1f5fa8; font-size: small; text-decoration: none; }
.rep .who { color: #1f5fa8; font-weight: bold; }
.prospect .who { color: #5b6b2f; font-weight: bold; }
.flagged { background-color: #ffe08a; }
.instead { color: #8a4b00; margin: 0 0 6px 24px; font-size: small; }
"""


@dataclass(frozen=True)
class Review:
    """Everything the review shows about one call."""

    stored: StoredSession
    numbers: list[Number]
    share: list[tuple[float, float | None]]  # rolling two-minute rep share, every 5 s
    lines: list[FlaggedLine]
    supportive: list[SupportiveLine]

    @property
    def title(self) -> str:
        """The session's name, or where it came from."""
        return self.stored.row.name or self.stored.row.source

    @property
    def when(self) -> str:
        """When the call started, in local time."""
        return started_local(self.stored.row.started)

    @property
    def duration_s(self) -> float:
        """Length of the call."""
        return call_length(self.stored)

    @property
    def flags(self) -> list[Flag]:
        """Every directive phrase flagged in the call."""
        return self.stored.flags


def started_local(iso: str) -> str:
    """A stored UTC start time as the rep's local date and time."""
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso


def call_length(stored: StoredSession) -> float:
    """Length of the call: as recorded, or to the last thing heard if the session ended abruptly."""
    ends = [s.end for s in stored.spans] + [s.end for s in stored.segments]
    return max([stored.row.duration_s, *ends])


def build_review(stored: StoredSession, detector: PhraseDetector) -> Review:
    """The review of a stored session."""
    supportive = supportive_lines(stored.segments, detector)
    return Review(stored, numbers(stored.talk, stored.flags, len(supportive)),
                  rolling_share(stored.spans, call_length(stored)), flagged_lines(stored.segments, stored.flags),
                  supportive)


def transcript_html(lines: list[FlaggedLine], playable: bool = False) -> str:
    """The transcript by speaker: flagged phrases marked, each followed by its category and the line to say instead.

    Line ``i`` carries the anchor ``line-i``, so a click on the timeline can scroll to it;
    with ``playable`` its time is a ``play:i`` link (the review plays the kept audio from there).
    """
    out: list[str] = []
    for i, line in enumerate(lines):
        seg = line.segment
        when = (f'<a class="play" href="play:{i}">▶ {clock(seg.start)}</a>' if playable
                else f'<span class="time">{clock(seg.start)}</span>')
        out.append(f'<p class="line {seg.speaker}"><a name="line-{i}" id="line-{i}"></a>'
                   f'{when} <span class="who">{WHO[seg.speaker]}</span> '
                   f"{_marked(seg.text, line.flags)}</p>")
        for f in line.flags:
            out.append(f'<p class="instead">{escape(f.category.replace("_", " "))}: “{escape(f.match)}” '
                       f"— you could say: “{escape(f.prompt)}”</p>")
    return "\n".join(out)


def _marked(text: str, flags: tuple[Flag, ...]) -> str:
    """The line's text, escaped, with each flagged phrase found in it highlighted."""
    spans: list[tuple[int, int]] = []
    low = text.lower()
    for f in flags:
        at = low.find(f.match.lower())
        if at >= 0 and f.match:
            spans.append((at, at + len(f.match)))
    out, pos = [], 0
    for a, b in sorted(spans):
        if a < pos:
            continue
        out += [escape(text[pos:a]), f'<span class="flagged">{escape(text[a:b])}</span>']
        pos = b
    out.append(escape(text[pos:]))
    return "".join(out)


def stored_json(stored: StoredSession) -> dict[str, Any]:
    """A stored session in the ``copilot analyze --json`` contract (DESIGN.md)."""
    row = stored.row
    return analysis_json(row.id, row.duration_s, row.source, row.model, stored.talk, stored.segments, stored.flags,
                         stored.prompts)
