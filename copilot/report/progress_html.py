"""Progress as one self-contained HTML page (``copilot report --progress``): a rep's calls over weeks.

What changed comes first, a sentence a number; then each number call by call as an inline
SVG chart (``progress_svg.py``) with its trend and benchmark lines; then the calls
themselves. Everything is inside the file; it fetches nothing when opened.
"""

from __future__ import annotations

from datetime import datetime
from html import escape
from pathlib import Path

from copilot.core.progress import Progress, Series, silent_sentence
from copilot.core.scorecard import clock
from copilot.errors import UserError
from copilot.report.html import PAGE_CSS
from copilot.report.progress_svg import COLOURS, MANY, chart_svg
from copilot.report.prompt_progress import pooled_effect_html
from copilot.store.private import write_private_text

__all__ = ["progress_html", "write_progress"]

PROGRESS_CSS = f"""
.headline {{ font-size: 1.25em; margin: 16px 0 8px 0; }}
ul.changes {{ padding-left: 20px; margin-top: 4px; }}
ul.changes li {{ margin: 3px 0; }}
.tag {{ font-size: small; font-weight: bold; margin-left: 6px; }}
.better {{ color: #2e7d32; }} .worse {{ color: #c62828; }} .same {{ color: #666; }}
.metric {{ margin: 18px 0 4px 0; }}
.metric h3 {{ margin: 0; font-size: 1.05em; display: flex; justify-content: space-between; gap: 12px;
              flex-wrap: wrap; }}
.metric h3 .now {{ font-weight: normal; color: #444; font-size: 0.95em; }}
svg.chart {{ display: block; margin-top: 4px; }}
svg.chart text {{ font-family: inherit; }}
svg.chart .tick {{ font-size: 11px; fill: {COLOURS["text"]}; }}
svg.chart .ref {{ font-size: 11px; }}
svg.chart .value {{ font-size: 11px; fill: #333; paint-order: stroke; stroke: #fff; stroke-width: 3px; }}
.legend {{ font-size: small; color: #555; display: flex; flex-wrap: wrap; gap: 6px 18px; margin: 8px 0; }}
.dot {{ display: inline-block; width: 9px; height: 9px; border-radius: 50%; border: 1.5px solid {COLOURS["call"]};
        vertical-align: middle; margin-right: 4px; }}
.dot.live {{ background: {COLOURS["call"]}; }} .dot.guess {{ border-color: {COLOURS["guess"]}; }}
.dash {{ display: inline-block; width: 18px; border-top: 2px solid {COLOURS["median"]}; vertical-align: middle;
         margin-right: 4px; }}
.dash.thick {{ border-top-width: 3px; }} .dash.faint {{ border-top: 1px solid {COLOURS["faint"]}; }}
table.calls {{ font-size: 0.92em; }}
table.calls td {{ white-space: nowrap; }}
table.calls td.call {{ white-space: normal; }}
table.calls td.num, table.calls th.num {{ text-align: right; }}
"""


_VERDICT = {"better": "better", "worse": "worse", "same": "no change"}


def _metric(s: Series, p: Progress) -> str:
    m = s.metric
    last = s.values[-1] if s.values else None
    typical = next((v for v in reversed(s.median5) if v is not None), None)
    now = [f"last call <b>{m.shown(last) if last is not None else '–'}</b>"]
    if typical is not None and len(p.calls) > 1:
        now.append(f"typical <b>{m.shown(typical)}</b>")
    compared = s.change.recent_calls if s.change is not None else 0
    unknown = len(s.values) - s.known
    notes = [escape(m.benchmark[0].upper() + m.benchmark[1:]) + "."]
    if m.key == "supportive" and unknown:
        notes.append(f"Not known for {unknown} call{'s' if unknown != 1 else ''} stored by an earlier version.")
    elif m.key == "directive" and unknown:
        notes.append(f"{unknown} call{'s' if unknown != 1 else ''} with under a minute of your talk left out.")
    change = ""
    if s.change is not None:
        change = (f'<p class="bench"><span class="{s.change.verdict}">{escape(s.change.sentence)}</span></p>')
    elif s.waiting:
        change = f'<p class="bench">{escape(s.waiting)}</p>'
    return (f'<div class="metric" id="metric-{m.key}"><h3><span>{escape(m.title)}</span>'
            f'<span class="now">{" · ".join(now)}</span></h3>\n'
            f"{chart_svg(s, p.calls, compared=compared)}\n{change}"
            f'<p class="bench">{" ".join(notes)}</p></div>')


def _calls_table(p: Progress) -> str:
    rows = []
    for c in reversed(p.calls):  # newest first: the call the rep just had is at the top
        kind = ("live" if c.kind == "live" else "recording") + (" · mixed" if c.mixed else "")
        kind += " · your voice guessed" if c.guessed else ""
        per10 = f"{c.directive_per_10:.1f}" if c.directive_per_10 is not None else "–"
        patience = c.value("patience")
        cells = [f"{c.rep_share:.0%}" + ("?" if c.guessed else ""), clock(c.longest_monologue_s), per10,
                 str(c.questions), f"{patience:.1f} s" if patience is not None else "–",
                 str(c.supportive) if c.supportive is not None else "–"]
        rows.append(f"<tr><td>{escape(_when(c.started))}</td><td class=\"call\">{escape(c.label)}</td>"
                    f"<td class=\"call\">{escape(kind)}</td>" + "".join(f'<td class="num">{x}</td>' for x in cells)
                    + "</tr>")
    heads = "".join(f'<th class="num">{h}</th>' for h in ("You talked", "Longest monologue", "Directive per 10 min",
                                                            "Questions", "Patience", "Supportive lines"))
    table = (f'<table class="calls"><tr><th>When</th><th>Call</th><th>Kind</th>{heads}</tr>\n'
             + "\n".join(rows) + "</table>")
    if len(p.calls) > 30:
        return f"<details><summary>All {len(p.calls)} calls, newest first</summary>\n{table}</details>"
    return table


def _when(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso


def progress_html(p: Progress, scope: str = "") -> str:
    """The page. ``scope`` says which calls (a date range) in words."""
    n = len(p.calls)
    live = sum(c.kind == "live" for c in p.calls)
    meta = [f"{n} call{'s' if n != 1 else ''}"]
    if n:
        first, last = _when(p.calls[0].started)[:10], _when(p.calls[-1].started)[:10]
        meta.append(first if first == last else f"{first} to {last}")
        meta.append(f"{live} live, {n - live} recording{'s' if n - live != 1 else ''}")
    if p.left_out:
        meta.append(f"{len(p.left_out)} left out")
    if scope:
        meta.append(scope)
    rest = "".join(f'<li><span class="{s.change.verdict}">{escape(s.change.sentence)}</span>'
                   f'<span class="tag {s.change.verdict}">{_VERDICT[s.change.verdict]}</span></li>'
                   for s in p.series if s.change is not None and s.change.sentence != p.headline)
    body = [f'<p class="headline">{escape(p.headline)}</p>']
    if rest:
        body.append(f'<ul class="changes">{rest}</ul>')
    if n:
        guessed = ('<span><span class="dot guess"></span>mixed recording, your voice guessed (“?”): '
                   "“This is me…” in its review fixes it</span>" if any(c.guessed for c in p.calls) else "")
        typical = ('<span><span class="dash"></span>typical: the median of the last five calls</span>'
                   if 1 < n <= MANY else
                   '<span><span class="dash thick"></span>the typical call of each month (median)</span>'
                   '<span><span class="dash faint"></span>the median of the last five calls</span>'
                   if n > MANY else "")
        shaded = ("<span>shaded: your latest calls (now) against the ones before</span>"
                  if any(s.change is not None for s in p.series) else "")
        body.append('<div class="legend"><span><span class="dot live"></span>live call</span>'
                    f'<span><span class="dot"></span>recording analysed afterwards</span>{guessed}{typical}{shaded}'
                    "</div>")
        body += [_metric(s, p) for s in p.series]
    # What the prompts did: after the numbers, before the list of calls.
    if p.prompts is not None and any(c.kind == "live" for c in p.calls):
        body.append('<section id="prompt-effect"><h2>What the prompts did</h2>'
                    f"{pooled_effect_html(p.prompts)}</section>")
    if n:
        body.append(f"<h2>The calls</h2>\n{_calls_table(p)}")
    if p.left_out:
        names = ", ".join(f"{escape(c.label)} (<code>{escape(c.id)}</code>)" for c in p.left_out)
        body.append(f'<p class="bench">Left out of Progress by you: {names}. '
                    "<code>copilot sessions include ID</code> counts one again.</p>")
    if p.silent:
        body.append(f'<p class="bench">{escape(silent_sentence(p))}</p>')
    nl = "\n"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Progress across your calls</title>
<style>{PAGE_CSS}{PROGRESS_CSS}</style></head>
<body>
<h1>Progress across your calls</h1>
<p class="meta">{escape(" · ".join(meta))}</p>
{nl.join(body)}
</body></html>
"""


def write_progress(p: Progress, out: str | Path, scope: str = "") -> Path:
    """Write the page (a folder: progress.html in it); a place that cannot be written is one sentence."""
    path = Path(out)
    if path.is_dir():
        path = path / "progress.html"
    try:
        write_private_text(path, progress_html(p, scope))
    except OSError as e:
        raise UserError(f"Cannot write the Progress page to {path}: {e.strerror or e}.") from None
    return path
