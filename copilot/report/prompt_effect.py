""""What the prompts did" in one call, as plain HTML that Qt's text browser and any web browser read alike.

A compact table: when each prompt came, its line, the buyer's share of the talk in the two
minutes before and after it, whether the rep handed the choice back within 30 s, and the
rep's next monologue; then, in grey, the matched moments (the same trigger, no prompt
shown); then one or two sentences. The review window and the HTML report show the same
markup (the numbers come from ``core/prompt_effect.py``).
"""

from __future__ import annotations

from html import escape

from copilot.core.prompt_effect import CallEffects, Moment
from copilot.core.scorecard import clock

__all__ = ["prompt_effect_html", "PROMPT_EFFECT_CSS"]

# Within QTextBrowser's CSS subset (no selectors past a class, no borders on rows).
PROMPT_EFFECT_CSS = """
table.prompts { border-collapse: collapse; }
table.prompts td, table.prompts th { text-align: left; padding: 3px 10px 3px 0; vertical-align: top; }
table.prompts th { color: #666666; font-weight: normal; font-size: small; }
.unshown { color: #777777; }
.why { color: #777777; font-size: small; }
.more { color: #2e7d32; font-weight: bold; }
.less { color: #b26a00; font-weight: bold; }
.said { color: #444444; }
"""

_HEAD = ("<tr><th>When</th><th>Prompt</th><th>Buyer's share of the talk,<br>2 min before → after</th>"
         "<th>You handed it back<br>within 30 s</th><th>Your next<br>monologue</th></tr>")


def prompt_effect_html(effects: CallEffects) -> str:
    """The section's table and sentences; "" for a call that showed no prompts live (an analysed recording)."""
    if not effects.live:
        return ""
    said = f'<p class="said">{escape(effects.sentence())}</p>'
    if not effects.prompts:
        return said
    rows = [_row(m) for m in effects.prompts]
    if effects.matched:
        rows.append('<tr><td colspan="5" class="why">The same trigger, no prompt shown (the coach was cooling '
                    "down or another prompt was on screen):</td></tr>")
        rows += [_row(m) for m in effects.matched]
    return f'<table class="prompts">{_HEAD}{"".join(rows)}</table>\n{said}'


def _row(m: Moment) -> str:
    what = (f"“{escape(m.text)}”<br><span class=\"why\">{escape(m.why)}</span>" if m.shown
            else f"<i>no prompt</i><br><span class=\"why\">{escape(m.why)}</span>")
    cls = "" if m.shown else ' class="unshown"'
    return (f"<tr{cls}><td>{clock(m.time)}</td><td>{what}</td><td>{_shares(m)}</td>"
            f"<td>{'yes' if m.hand_back else 'no'}</td><td>{_monologue(m)}</td></tr>")


def _shares(m: Moment) -> str:
    if m.change is None:
        before = "—" if m.buyer_before is None else f"{m.buyer_before:.0%}"
        after = "—" if m.buyer_after is None else f"{m.buyer_after:.0%}"
        return f'{before} → {after}<br><span class="why">too little call or talk to say</span>'
    points = round(m.change)
    cls = "more" if points >= 5 else "less" if points <= -5 else ""
    sign = f"+{points}" if points > 0 else str(points)
    return f'{m.buyer_before:.0%} → {m.buyer_after:.0%} <span class="{cls}">({sign})</span>'


def _monologue(m: Moment) -> str:
    nxt = "none" if m.next_monologue_s is None else clock(m.next_monologue_s)
    if m.held_on_s >= 1.0:
        nxt += f'<br><span class="why">you went on {clock(m.held_on_s)} first</span>'
    return nxt
