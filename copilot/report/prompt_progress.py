"""What the prompts did across calls, for Progress: the pooled numbers from the store, and their HTML.

:func:`pooled_effects` reads the live calls among the rows Progress shows (an analysed
recording showed no prompts; calls the rep left out or outside the chosen dates are not
in ``rows``) and pools them (``core/prompt_effect_pooled.py``). :func:`pooled_effect_html`
draws the result as a small chart a rep can read at a glance (the buyer's change in share
after a prompt and at matched moments, each with its likely range) and the sentences
under it; plain HTML and inline SVG, so the self-contained page and Qt's text browser
both show it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from typing import Protocol

from copilot.core.prompt_effect import call_effects
from copilot.core.prompt_effect_pooled import MIN_CALLS, MIN_PROMPTS, AcrossCalls, Estimate, across_calls
from copilot.store.sqlite import SessionStore

__all__ = ["pooled_effects", "pooled_effect_html"]

class _Call(Protocol):
    """A listed call (a stored session's row, or a Progress row): its id and whether it was live."""

    @property
    def id(self) -> str: ...

    @property
    def kind(self) -> str: ...


def pooled_effects(store: SessionStore, rows: Iterable[_Call], min_calls: int = MIN_CALLS,
                   min_prompts: int = MIN_PROMPTS) -> AcrossCalls:
    """What the prompts of the live calls among ``rows`` did, pooled (a StoreError if the store cannot be read);
    below ``min_prompts`` measured prompts in ``min_calls`` calls, "not enough calls yet". Read in bulk without
    transcripts, so a thousand calls answer in a fraction of a second; the hand-back lines are the ones kept
    with each call (Progress finds them first for calls stored before they were kept)."""
    inputs = store.prompt_inputs(r.id for r in rows if r.kind == "live")
    calls = [call_effects(i.spans, i.prompts, i.flags, i.supportive, i.length_s, live=True) for i in inputs.values()]
    return across_calls(calls, min_calls=min_calls, min_prompts=min_prompts)


_W, _ROW, _LEFT, _PAD = 560, 34, 170, 18


def pooled_effect_html(pooled: AcrossCalls) -> str:
    """The chart (when there are calls enough) and the sentences."""
    said = "".join(f'<p class="said">{escape(s)}</p>' for s in pooled.sentences())
    rows = [("After a prompt", pooled.prompted, "#1f5fa8"), ("Same trigger, no prompt", pooled.matched, "#888888")]
    shown = [(label, e, colour) for label, e, colour in rows if e is not None]
    if not shown:
        return said
    return _chart(shown) + said


def _chart(rows: Sequence[tuple[str, Estimate, str]]) -> str:
    """Each estimate as a dot at its mean on a line across its likely range, on a scale of points with 0 marked."""
    reach = max(10.0, *(max(abs(e.low), abs(e.high)) for _, e, _ in rows))
    reach = float(int(reach / 10 + 1) * 10)  # round up to the next ten points
    span = _W - _LEFT - 2 * _PAD

    def x(points: float) -> float:
        return _LEFT + _PAD + (points + reach) / (2 * reach) * span

    height = len(rows) * _ROW + 36
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{_W}" height="{height}" role="img" '
             'aria-label="Change in the buyer\'s share of the talk over the two minutes after a prompt, and at '
             'moments with the same trigger and no prompt, with their likely ranges">',
             f'<line x1="{x(0):.1f}" y1="4" x2="{x(0):.1f}" y2="{height - 24}" stroke="#bbbbbb" '
             'stroke-dasharray="4 3"/>']
    for i, (label, e, colour) in enumerate(rows):
        y = 4 + i * _ROW + _ROW / 2
        parts += [f'<text x="0" y="{y + 4:.1f}" font-size="13" fill="#333333">{escape(label)}</text>',
                  f'<line x1="{x(e.low):.1f}" y1="{y:.1f}" x2="{x(e.high):.1f}" y2="{y:.1f}" stroke="{colour}" '
                  'stroke-width="3" stroke-linecap="round"/>',
                  f'<circle cx="{x(e.mean):.1f}" cy="{y:.1f}" r="6" fill="{colour}"/>',
                  f'<text x="{x(e.high) + 8:.1f}" y="{y + 4:.1f}" font-size="12" fill="{colour}">'
                  f'{_signed(e.mean)}</text>']
    base = height - 18
    for tick in (-reach, -reach / 2, 0.0, reach / 2, reach):
        parts.append(f'<text x="{x(tick):.1f}" y="{base}" font-size="11" fill="#777777" text-anchor="middle">'
                     f'{_signed(tick)}</text>')
    parts.append(f'<text x="{_LEFT + _PAD + span / 2:.1f}" y="{height - 3}" font-size="11" fill="#777777" '
                 'text-anchor="middle">points of the buyer\'s share, next two minutes against the two before</text>')
    return "".join(parts) + "</svg>"


def _signed(points: float) -> str:
    p = round(points)
    return f"+{p}" if p > 0 else str(p)
