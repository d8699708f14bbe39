"""The transcript of a call as plain HTML that Qt's text browser and any web browser read alike.

The review window and the HTML report render the same markup: each line by speaker, the
flagged phrases highlighted, each followed by its category and the line to say instead, and
what the rep marked themselves (a flag that wasn't pushy, a missed line they added),
the phrases not counted because the buyer had asked for that advice, and the phrases that handed
the choice back ("it's your call"), counted for the rep. In the
window each flag also has a "Not pushy" link, each of the rep's unflagged lines a "Mark as
pushy…" link, and each mark an "Undo".
"""

from __future__ import annotations

from html import escape

from copilot.core.events import Flag, SupportiveLine
from copilot.core.scorecard import FlaggedLine, clock

__all__ = ["transcript_html", "TRANSCRIPT_CSS", "WHO"]

WHO = {"rep": "You", "prospect": "Them"}

# Shared by the window (QTextBrowser's CSS subset) and the report.
TRANSCRIPT_CSS = """
.line { margin: 0 0 6px 0; }
.time { color: #888888; font-size: small; }
.play { color: #1f5fa8; font-size: small; text-decoration: none; }
.rep .who { color: #1f5fa8; font-weight: bold; }
.prospect .who { color: #5b6b2f; font-weight: bold; }
.flagged { background-color: #ffe08a; }
.handback { background-color: #d6efd0; }
.handed { color: #2f6b2f; margin: 0 0 6px 24px; font-size: small; }
.instead { color: #8a4b00; margin: 0 0 6px 24px; font-size: small; }
.cleared { color: #666666; margin: 0 0 6px 24px; font-size: small; }
.asked { color: #3f6b3f; margin: 0 0 6px 24px; font-size: small; }
.mark { color: #1f5fa8; font-size: small; }
.missed { color: #8a8a8a; font-size: small; }
"""


def transcript_html(lines: list[FlaggedLine], playable: bool = False, markable: bool = False) -> str:
    """The transcript by speaker: flagged phrases marked, each followed by its category and the line to say instead.

    Line ``i`` carries the anchor ``line-i``, so a click on the timeline can scroll to it;
    with ``playable`` its time is a ``play:i`` link (the review plays the kept audio from there).
    With ``markable`` the rep can judge the flags: ``wrong:i.j`` (flag ``j`` of line ``i`` was not
    pushy), ``missed:i`` (line ``i`` was), ``unmark:i.j`` (undo an added flag) and
    ``restore:i.j`` (undo "not pushy" on the line's ``j``-th cleared flag).
    """
    out: list[str] = []
    for i, line in enumerate(lines):
        seg = line.segment
        when = (f'<a class="play" href="play:{i}">▶ {clock(seg.start)}</a>' if playable
                else f'<span class="time">{clock(seg.start)}</span>')
        # Quiet, on one line (non-breaking spaces): every line of the rep's has it, the flags' links stand out.
        missed = (f' <a class="missed" href="missed:{i}">Mark\u00a0as\u00a0pushy…</a>'
                  if markable and seg.speaker == "rep" and not line.flags and not line.cleared else "")
        out.append(f'<p class="line {seg.speaker}"><a name="line-{i}" id="line-{i}"></a>'
                   f'{when} <span class="who">{WHO[seg.speaker]}</span> '
                   f"{_marked(seg.text, line.flags, line.supportive)}{missed}</p>")
        if line.supportive:
            said = ", ".join(f"“{escape(x.match)}”" for x in line.supportive)
            out.append(f'<p class="handed">Hands the choice back: {said} — counted for you.</p>')
        for j, f in enumerate(line.flags):
            by_you = "you marked this pushy · " if f.added else ""
            link = (f' <a class="mark" href="{"unmark" if f.added else "wrong"}:{i}.{j}">'
                    f'{"Undo" if f.added else "Not pushy"}</a>' if markable else "")
            out.append(f'<p class="instead">{by_you}{escape(f.category.replace("_", " "))}: “{escape(f.match)}” '
                       f"— you could say: “{escape(f.prompt)}”{link}</p>")
        for j, f in enumerate(line.cleared):
            link = f' <a class="mark" href="restore:{i}.{j}">Undo</a>' if markable else ""
            out.append(f'<p class="cleared">You marked “{escape(f.match)}” not pushy: it is left out of this '
                       f"call's numbers and not flagged again.{link}</p>")
        for a in line.answers:
            when = f" at {clock(a.asked_at)}" if a.asked_at is not None else ""
            out.append(f'<p class="asked">Not counted: “{escape(a.flag.match)}” answers the buyer\'s request{when} '
                       "— advice they asked for is no push.</p>")
    return "\n".join(out)


def _marked(text: str, flags: tuple[Flag, ...], supportive: tuple[SupportiveLine, ...] = ()) -> str:
    """The line's text, escaped, with each flagged phrase found in it highlighted (and each phrase that handed
    the choice back, in green)."""
    spans: list[tuple[int, int, str]] = []
    low = text.lower()
    for match, css in [*((f.match, "flagged") for f in flags), *((x.match, "handback") for x in supportive)]:
        at = low.find(match.lower())
        if at >= 0 and match:
            spans.append((at, at + len(match), css))
    out, pos = [], 0
    for a, b, css in sorted(spans):
        if a < pos:
            continue
        out += [escape(text[pos:a]), f'<span class="{css}">{escape(text[a:b])}</span>']
        pos = b
    out.append(escape(text[pos:]))
    return "".join(out)
