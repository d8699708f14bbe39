"""The shareable report of one call: a single HTML file a manager can open anywhere.

Everything is inside the file (styles, the timeline as an embedded PNG), so it can be
mailed or attached without anything going missing and it fetches nothing when opened.
"""

from __future__ import annotations

import base64
from html import escape
from pathlib import Path

from copilot.core.facts import HIGH_REP_SHARE, IDEAL_REP_SHARE
from copilot.core.marks import flag_sentence
from copilot.core.scorecard import clock
from copilot.errors import UserError
from copilot.report.prompt_effect import PROMPT_EFFECT_CSS, prompt_effect_html
from copilot.report.review import Review
from copilot.report.transcript import TRANSCRIPT_CSS, transcript_html
from copilot.store.private import write_private_text

__all__ = ["report_html", "write_report"]

PAGE_CSS = """
body { font-family: -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: #222;
       max-width: 980px; margin: 24px auto; padding: 0 16px; line-height: 1.4; }
h1 { font-size: 1.5em; margin-bottom: 0; }
.meta { color: #666; margin-top: 4px; }
img.chart { width: 100%; border: 1px solid #ddd; }
.legend span { margin-right: 16px; font-size: small; }
table { border-collapse: collapse; width: 100%; }
td, th { text-align: left; padding: 6px 8px; border-bottom: 1px solid #eee; vertical-align: top; }
th { color: #666; font-weight: normal; font-size: small; }
.value { font-weight: bold; white-space: nowrap; }
.good { color: #2e7d32; } .watch { color: #b26a00; } .poor { color: #c62828; }
.bench { color: #666; font-size: small; }
"""


_BY_YOU = '<br><span class="bench">marked by you</span>'


def report_html(review: Review, chart_png: bytes) -> str:
    """The report as one self-contained HTML page."""
    row = review.stored.row
    chart = base64.b64encode(chart_png).decode("ascii")
    numbers = "\n".join(
        f'<tr><td>{escape(n.label)}</td><td class="value {n.verdict}">{escape(n.value)}</td>'
        f'<td class="bench">{escape(n.benchmark)}</td></tr>' for n in review.numbers)
    # What was said, as the sentence in the transcript: a live flag's own text is the guess it was
    # raised on ("The next step is a"), often cut off.
    said = {f: flag_sentence(f, line.segment.text) for line in review.lines for f in line.flags}
    words = not review.words_left_out  # a numbers-only report, or a call whose transcript was deleted: no words
    flags = "\n".join(
        f"<tr><td>{clock(f.start)}</td>"
        + (f'<td><b>“{escape(f.match)}”</b><br><span class="bench">{escape(said.get(f, f.text))}</span></td>'
           if words else "")
        + f'<td>{escape(f.category.replace("_", " "))}{_BY_YOU if f.added else ""}</td>'
        f"<td>“{escape(f.prompt)}”</td></tr>" for f in review.flags) or (
        f'<tr><td colspan="{4 if words else 3}">No directive phrases were flagged in this call.</td></tr>')
    said_head = "<th>You said</th>" if words else ""
    cleared = "".join(f"<li>{clock(f.start)}" + (f" “{escape(f.match)}”" if words else "") + "</li>"
                      for f in review.cleared)
    if cleared:
        cleared = (f'<p class="bench">You marked {len(review.cleared)} flag{"s" if len(review.cleared) != 1 else ""} '
                   f"as not pushy; they are left out of the numbers above:</p><ul class=\"bench\">{cleared}</ul>")
    model = f" · model {escape(row.model)}" if row.model else ""
    ideal, high = round(IDEAL_REP_SHARE * 100), round(HIGH_REP_SHARE * 100)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Call review: {escape(review.title)}</title>
<style>{PAGE_CSS}{TRANSCRIPT_CSS}{PROMPT_EFFECT_CSS}</style></head>
<body>
<h1>Call review: {escape(review.title)}</h1>
<p class="meta">{escape(review.meta)}{model}</p>

<h2>Talk over time</h2>
<img class="chart" alt="Timeline: when you and they talked, your share of the last two minutes against {ideal}%
and {high}%, and where phrases were flagged and prompts shown" src="data:image/png;base64,{chart}">
<p class="legend"><span>Top: you and them talking · ▼ flagged phrase · ◆ prompt shown</span>
<span>Bottom: your share of the last two minutes; dashed lines at {ideal}% (best calls) and {high}%
(too much)</span></p>

<h2>The numbers</h2>
<table id="numbers"><tr><th>What</th><th>This call</th><th>Benchmark</th></tr>
{numbers}
</table>

<h2>Flagged phrases</h2>
<table id="flags"><tr><th>When</th>{said_head}<th>Category</th><th>You could say instead</th></tr>
{flags}
</table>
{cleared}
{_prompts_section(review)}
<h2>Transcript</h2>
{f'<p class="meta" id="hidden">{escape(review.hidden)}</p>' if review.hidden else ""}
<div id="transcript">
{_transcript(review)}
</div>
</body></html>
"""


def _transcript(review: Review) -> str:
    if review.words_left_out:
        return f'<p class="bench">{escape(review.words_left_out)}</p>'
    return transcript_html(review.lines) or "<p>No speech was transcribed in this call.</p>"


def _prompts_section(review: Review) -> str:
    """"What the prompts did", for a call coached live (an analysed recording showed no prompts)."""
    body = prompt_effect_html(review.effects)
    return f'<h2>What the prompts did</h2>\n<div id="prompt-effect">\n{body}\n</div>\n' if body else ""


def write_report(review: Review, chart_png: bytes, out: str | Path) -> Path:
    """Write the report; a folder that cannot be written is one sentence, not a traceback."""
    path = Path(out)
    if path.is_dir():
        path = path / f"call-review-{review.stored.row.id}.html"
    try:
        write_private_text(path, report_html(review, chart_png))
    except OSError as e:
        raise UserError(f"Cannot write the report to {path}: {e.strerror or e}.") from None
    return path
