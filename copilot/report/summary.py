"""The short human summary ``copilot analyze`` prints after a call."""

from __future__ import annotations

from copilot.core.events import Monologue
from copilot.core.facts import ideal_ratio
from copilot.core.review import clock
from copilot.pipeline.offline import Analysis

__all__ = ["summary", "clock"]


def summary(a: Analysis) -> str:
    """What a rep wants to know after the call, in a dozen lines."""
    talk = a.session.talk_summary()
    share = talk.rep_share
    rep_pct = round(share * 100)
    head = f"{a.source} · {clock(a.duration_s)} · model {a.model}"
    lines = [
        head + (f" · session {a.session_id}" if a.session_id else ""),
        "",
        f"  Talk share              you {rep_pct}% : prospect {100 - rep_pct}%   "
        f"(best-converting calls: {ideal_ratio()})",
        f"  Your longest monologue  {_monologue(_longest(a, 'rep'))}",
        f"  Longest prospect story  {_monologue(_longest(a, 'prospect'))}",
        f"  Patience                {talk.patience_s:.1f} s of silence before you answered",
        f"  Questions you asked     {talk.rep_questions}",
        f"  Interruptions           {talk.interruptions}",
    ]
    if not talk.rep_s and not talk.prospect_s:
        lines.append("  No speech was found on either side of this recording.")
    if a.echo is not None and a.echo.found:
        lines.append(f"  Speaker echo            removed, -{a.echo.reduction_db:.0f} dB "
                     "(your microphone heard the buyer through your speakers)")
    flags = a.session.flags
    lines.append("")
    if flags:
        lines.append(f"  Where you took the wheel ({len(flags)}):")
        for f in flags:
            lines.append(f"    {clock(f.start):>6}  {f.category.replace('_', ' ')}: \"{f.match}\"")
            lines.append(f"            you could say: \"{f.prompt}\"")
    else:
        lines.append("  No directive phrasing found: you left the buyer in charge.")
    return "\n".join(lines)


def _longest(a: Analysis, speaker: str) -> Monologue | None:
    ms = [m for m in a.session.tracker.monologues() if m.speaker == speaker]
    return max(ms, key=lambda m: m.duration, default=None)


def _monologue(m: Monologue | None) -> str:
    return "none" if m is None else f"{m.duration:.0f} s, from {clock(m.start)}"
