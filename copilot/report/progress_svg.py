"""One Progress chart as inline SVG: a metric call by call, its five-call median, and the benchmark lines.

Plain SVG text, so the page stays one self-contained file that fetches nothing. Calls are
evenly spaced in time order (a week without calls leaves no gap, and 500 calls fit the same
width as 5); a call's dot is filled for a live session, hollow for an analysed recording,
and orange with a "?" for a mixed recording whose rep voice was guessed. The value of each
call is written beside its dot while there are few enough to read; past that the dots
shrink and the median line carries the picture.
"""

from __future__ import annotations

import math
from datetime import datetime
from html import escape

from copilot.core.progress import CallNumbers, Series

__all__ = ["chart_svg", "COLOURS", "axis_top", "y_ticks", "date_ticks", "MANY"]

COLOURS = {"call": "#1f5fa8", "guess": "#d9822b", "median": "#222222", "ideal": "#2e8b57", "high": "#c0392b",
           "band": "#e3f1e6", "grid": "#e6e6e6", "text": "#555555", "recent": "#eef4fb", "before": "#f4f4f4",
           "faint": "#9a9a9a"}

_LEFT, _RIGHT, _TOP, _BOTTOM = 52, 112, 18, 24  # the benchmark lines are named in the right margin
_LABEL_VALUES_UP_TO = 16  # calls: above this the values are not written on the chart
MANY = 60
"""Calls past which the chart draws each month's typical call (the five-call median, faint, wanders too much)."""


def axis_top(series: Series) -> float:
    """The top of a metric's scale: its benchmarks and every call fit under it, in round steps."""
    m = series.metric
    if m.key == "share":
        return 1.0
    known = [v for v in series.values if v is not None]
    floor = {"monologue": 150.0, "directive": 3.0, "questions": 16.0, "patience": 1.5, "supportive": 3.0}[m.key]
    top = max([floor, *known, *(v for v, _ in m.lines)])
    step = {"monologue": 60.0}.get(m.key) or 10 ** math.floor(math.log10(top)) / 2
    return math.ceil(top / step) * step


def y_ticks(series: Series, top: float) -> list[float]:
    """Where a metric's scale is labelled: zero, its benchmarks, the top (none so close to the one below it
    that their labels would touch)."""
    kept: list[float] = []
    for v in _ticks(series, top):
        if not kept or v - kept[-1] >= top * 0.12:
            kept.append(v)
    return kept


def _ticks(series: Series, top: float) -> list[float]:
    m = series.metric
    if m.key == "share":
        return [0.0, *(v for v, _ in m.lines), 1.0]
    if m.key == "questions":
        return [0.0, 11.0, 14.0, top] if top > 16 else [0.0, 11.0, 14.0]
    if m.key == "monologue":
        return [0.0, *(v for v, _ in m.lines), top] if top > 150 else [0.0, *(v for v, _ in m.lines)]
    half = top / 2
    return [0.0, half, top] if series.metric.rounded(half) == half else [0.0, top]


def _day(iso: str, with_year: bool) -> str:
    try:
        when = datetime.fromisoformat(iso).astimezone()
    except ValueError:
        return iso[:10]
    return f"{when.day} {when:%b}" + (f" {when:%Y}" if with_year else "")


def date_ticks(calls: list[CallNumbers], width: float, years: bool = True) -> list[tuple[int, str]]:
    """(call index, its date) under a few calls, evenly spread, never closer than ~90 px in ``width``; with
    ``years`` the first date (or all, across a new year) says its year."""
    n = len(calls)
    room = max(2, int(width // 90))
    if n <= room:
        picks = list(range(n))
    else:
        step = (n - 1) / (room - 1)
        picks = sorted({round(i * step) for i in range(room)})
    several = len({c.started[:4] for c in calls}) > 1
    return [(i, _day(calls[i].started, with_year=years and (i == picks[0] or several))) for i in picks]


def chart_svg(series: Series, calls: list[CallNumbers], width: int = 940, height: int = 150,
              compared: int = 0) -> str:
    """``series`` over ``calls`` (the counted calls, oldest first) as an SVG element; ``compared``: the number
    of latest calls set against as many before them (shaded "now" and "before"), 0 for none."""
    m = series.metric
    n = len(calls)
    plot_w, plot_h = width - _LEFT - _RIGHT, height - _TOP - _BOTTOM
    top = axis_top(series)

    def y(v: float) -> float:
        return _TOP + plot_h * (1 - min(max(v, 0.0), top) / top)

    slot = plot_w / max(n, 1)
    xs = [_LEFT + slot * (i + 0.5) for i in range(n)]
    out = [f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
           f'aria-label="{escape(m.title)}, call by call" xmlns="http://www.w3.org/2000/svg">']
    if compared and n >= 2 * compared:
        for k, (name, colour) in enumerate((("before", COLOURS["before"]), ("now", COLOURS["recent"]))):
            x0 = _LEFT + slot * (n - (2 - k) * compared)
            out.append(f'<rect x="{x0:.1f}" y="{_TOP}" width="{slot * compared:.1f}" height="{plot_h}" '
                       f'fill="{colour}"/>')
            if slot * compared >= 48:  # room for the word; otherwise the legend says what the shade is
                out.append(f'<text x="{x0 + slot * compared / 2:.1f}" y="{_TOP - 5}" class="tick" '
                           f'text-anchor="middle">{name}</text>')
    if m.band is not None:
        lo, hi = m.band
        out.append(f'<rect x="{_LEFT}" y="{y(hi):.1f}" width="{plot_w}" height="{y(lo) - y(hi):.1f}" '
                   f'fill="{COLOURS["band"]}"/>')
        out.append(f'<text x="{_LEFT + plot_w + 6}" y="{(y(hi) + y(lo)) / 2 + 4:.1f}" class="ref" '
                   f'fill="{COLOURS["ideal"]}">{lo:g}–{hi:g} best calls</text>')
    for v in y_ticks(series, top):
        out.append(f'<line x1="{_LEFT}" x2="{_LEFT + plot_w}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
                   f'stroke="{COLOURS["grid"]}"/>')
        out.append(f'<text x="{_LEFT - 6}" y="{y(v) + 4:.1f}" class="tick" text-anchor="end">{m.shown(v)}</text>')
    for k, (v, said) in enumerate(m.lines):
        colour = COLOURS["high"] if k or m.key == "monologue" else COLOURS["ideal"]
        out.append(f'<line x1="{_LEFT}" x2="{_LEFT + plot_w}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="{colour}" '
                   'stroke-dasharray="5 4"/>')
        out.append(f'<text x="{_LEFT + plot_w + 6}" y="{y(v) + 4:.1f}" class="ref" '
                   f'fill="{colour}">{escape(said)}</text>')
    # The five-call median: one polyline per run of calls that have it (faint under the months, for many calls).
    line, width_of_line = (COLOURS["faint"], 1) if n > MANY else (COLOURS["median"], 2)
    run: list[str] = []
    for i in range(n + 1):
        typical = series.median5[i] if i < n else None
        if typical is not None:
            run.append(f"{xs[i]:.1f},{y(typical):.1f}")
        elif run:
            if len(run) > 1:
                out.append(f'<polyline points="{" ".join(run)}" fill="none" stroke="{line}" '
                           f'stroke-width="{width_of_line}" stroke-linejoin="round"/>')
            run = []
    if n > MANY:
        steps = []
        for month in series.months:
            steps += [f"{xs[month.first] - slot / 2:.1f},{y(month.median):.1f}",
                      f"{xs[month.last] + slot / 2:.1f},{y(month.median):.1f}"]
        out.append(f'<polyline points="{" ".join(steps)}" fill="none" stroke="{COLOURS["median"]}" '
                   'stroke-width="3" stroke-linejoin="round"/>')
    r = 4.5 if n <= 30 else 3.0 if n <= 120 else 2.0
    for i, (c, value) in enumerate(zip(calls, series.values, strict=True)):
        if value is None:
            continue
        v = value
        colour = COLOURS["guess"] if c.guessed else COLOURS["call"]
        fill = colour if c.kind == "live" else "#ffffff"
        tip = f"{_day(c.started, True)} · {c.label} · {'live' if c.kind == 'live' else 'recording'}"
        tip += " (mixed, your voice guessed)" if c.guessed else " (mixed)" if c.mixed else ""
        faint = ' opacity="0.5"' if n > MANY else ""
        out.append(f'<circle cx="{xs[i]:.1f}" cy="{y(v):.1f}" r="{r}" fill="{fill}" stroke="{colour}"{faint} '
                   f'stroke-width="{1.5 if r > 2 else 1}"><title>{escape(tip)}: {m.shown(v)}</title></circle>')
        if n <= _LABEL_VALUES_UP_TO:
            above = y(v) - r - 4 if y(v) > _TOP + 14 else y(v) + r + 11
            out.append(f'<text x="{xs[i]:.1f}" y="{above:.1f}" class="value" text-anchor="middle">'
                       f'{m.shown(v)}{"?" if c.guessed else ""}</text>')
        elif c.guessed and n <= 120:
            out.append(f'<text x="{xs[i]:.1f}" y="{y(v) - r - 3:.1f}" class="value" text-anchor="middle" '
                       f'fill="{COLOURS["guess"]}">?</text>')
    for i, text in date_ticks(calls, plot_w):
        out.append(f'<text x="{xs[i]:.1f}" y="{height - 6}" class="tick" text-anchor="middle">{escape(text)}</text>')
    out.append(f'<line x1="{_LEFT}" x2="{_LEFT + plot_w}" y1="{_TOP + plot_h}" y2="{_TOP + plot_h}" '
               f'stroke="#999999"/>')
    out.append("</svg>")
    return "\n".join(out)
