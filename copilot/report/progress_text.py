"""Progress in the terminal: what changed in a sentence each, a line a number with its trend, the latest calls.

Reads the same at 1 call and at 500: each number's trend is a row of block characters
(one a call, the most recent :data:`SPARK_CALLS`), and the list of calls shows the latest
few unless the rep asks for all of them.
"""

from __future__ import annotations

from datetime import datetime

from copilot.core.progress import CallNumbers, Progress, Series, silent_sentence
from copilot.core.scorecard import clock

__all__ = ["progress_text", "SPARK_CALLS"]

SPARK_CALLS = 40
_BLOCKS = "▁▂▃▄▅▆▇█"


def _day(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d")
    except ValueError:
        return iso[:10]


def _kind(c: CallNumbers) -> str:
    return ("live" if c.kind == "live" else "recording") + (" (mixed)" if c.mixed else "")


def spark(values: list[float | None], low: float | None = None, high: float | None = None) -> str:
    """One block a call, its height the value between ``low`` and ``high`` (default: the values' own range);
    a dot where the call has no such number."""
    known = [v for v in values if v is not None]
    if not known:
        return "·" * len(values)
    lo = min(known) if low is None else low
    hi = max(known) if high is None else high
    span = hi - lo
    out = []
    for v in values:
        if v is None:
            out.append("·")
        else:
            x = 0.5 if span <= 0 else (min(max(v, lo), hi) - lo) / span
            out.append(_BLOCKS[min(len(_BLOCKS) - 1, int(x * len(_BLOCKS)))])
    return "".join(out)


def _row(s: Series) -> str:
    m = s.metric
    last = s.values[-1] if s.values else None
    typical = next((v for v in reversed(s.median5) if v is not None), None)
    shown = s.values[-SPARK_CALLS:]
    trend = spark(shown, 0.0, 1.0) if m.key == "share" else spark(shown, 0.0)
    change = ""
    if s.change is not None:
        arrow = "=" if s.change.verdict == "same" else "↑" if s.change.delta > 0 else "↓"
        change = f"{arrow} {s.change.verdict}"
    return (f"  {m.title:<43} {m.shown(last) if last is not None else '-':>7} "
            f"{m.shown(typical) if typical is not None else '-':>8}   {change:<9} {trend}")


def progress_text(p: Progress, every_call: bool = False, latest: int = 15) -> str:
    """Progress as the terminal shows it (the latest ``latest`` calls listed, or ``every_call``)."""
    n = len(p.calls)
    lines: list[str] = []
    if n:
        live = sum(c.kind == "live" for c in p.calls)
        span = _day(p.calls[0].started) + (f" to {_day(p.calls[-1].started)}" if n > 1 else "")
        head = (f"Progress: {n} call{'s' if n != 1 else ''}, {span} ({live} live, {n - live} "
                f"recording{'s' if n - live != 1 else ''})")
    else:
        head = "Progress"
    if p.left_out:
        head += f"; {len(p.left_out)} left out"
    lines += [head, "", p.headline]
    if not n:
        return "\n".join(lines)
    rest = [s for s in p.sentences if s != p.headline]
    if rest:
        lines += [""] + [f"  · {s}" for s in rest]
    lines += ["", f"  {'':<43} {'last':>7} {'typical':>8}   {'change':<9} "
              f"each call{' (the latest ' + str(SPARK_CALLS) + ')' if n > SPARK_CALLS else ''}"]
    lines += [_row(s) for s in p.series]
    lines.append(f"  typical: the median of the last five calls; change: the latest calls against the ones before. "
                 f"{p.of('share').metric.benchmark[0].upper()}{p.of('share').metric.benchmark[1:]}.")
    if p.unknown_supportive:
        lines.append(f"  {p.unknown_supportive} call{'s' if p.unknown_supportive != 1 else ''} stored before "
                     "supportive lines were kept: not known (· in the trend).")
    shown = p.calls if every_call else p.calls[-latest:]
    lines += ["", f"  {'date':<10}  {'call':<28} {'kind':<17} {'you':>4} {'monol.':>6} {'dir/10':>6} "
              f"{'quest.':>6} {'pause':>6} {'suppor.':>7}"]
    for c in shown:
        share = f"{c.rep_share:.0%}" + ("?" if c.guessed else "")
        per10 = f"{c.directive_per_10:.1f}" if c.directive_per_10 is not None else "-"
        patience = c.value("patience")
        label = c.label if len(c.label) <= 28 else c.label[:27].rstrip() + "…"  # cut, and seen to be cut
        lines.append(f"  {_day(c.started):<10}  {label:<28} {_kind(c):<17} {share:>4} "
                     f"{clock(c.longest_monologue_s):>6} {per10:>6} {c.questions:>6} "
                     f"{f'{patience:.1f} s' if patience is not None else '-':>6} "
                     f"{c.supportive if c.supportive is not None else '-':>7}")
    if len(shown) < n:
        lines.append(f"  … and {n - len(shown)} earlier calls (--all lists every one)")
    if any(c.directive_per_10 is None for c in shown):
        lines.append("  dir/10 -: under a minute of your talk, too little for a rate (the call's review still lists "
                     "its phrases)")
    if p.prompts is not None and any(c.kind == "live" for c in p.calls):
        lines += ["", "What the prompts did"] + [f"  · {s}" for s in p.prompts.sentences()]
    if any(c.guessed for c in p.calls):
        lines.append("  ? a mixed recording whose voice is yours was guessed: `copilot sessions me ID N` says which")
    if p.silent:
        lines.append(f"  {silent_sentence(p)}")
    if p.left_out:
        named = ", ".join(f"{c.label} ({c.id})" for c in p.left_out[-5:])
        lines.append(f"  Left out (`copilot sessions include ID` counts one again): {named}"
                     + (" …" if len(p.left_out) > 5 else ""))
    return "\n".join(lines)
