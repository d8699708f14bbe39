"""What each prompt did, on replayed calls whose truth is known: scripted calls through `copilot live --replay`.

The two calls (``tests/data/calls/prompted_*.txt``, made with ``tools/make_call.py``) are
written so the live coach prompts several times, and the buyer answers at length after
some prompts and with one word after others; one directive line comes while the coach is
cooling down (a trigger with no prompt). The truth is the buyer's share of the talk in the
script's own timing, around each prompt wherever the live pipeline showed it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from copilot.report.prompt_progress import pooled_effects
from copilot.scripted.truth import CallTruth, load_truth
from copilot.store.sqlite import SessionStore
from tests.command_line import copilot_process as copilot
from tests.wavs import ROOT

CALLS = [ROOT / "tests" / "data" / "calls" / f"{name}.opus" for name in ("prompted_call", "prompted_renewal")]


def true_buyer_share(truth: CallTruth, a: float, b: float) -> float | None:
    """The buyer's share of the talk from a to b in the script's timing (None where the app says nothing: a
    window cut to under 30 s by the end of the call)."""
    a, b = max(0.0, a), min(truth.duration_s, b)
    if b - a < 30.0:
        return None
    talked = {"rep": 0.0, "prospect": 0.0}
    for line in truth.lines:
        talked[line.speaker] += max(0.0, min(b, line.end) - max(a, line.start))
    return talked["prospect"] / (talked["rep"] + talked["prospect"])


def true_change(truth: CallTruth, t: float) -> float | None:
    before, after = true_buyer_share(truth, t - 120, t), true_buyer_share(truth, t, t + 120)
    return None if before is None or after is None else (after - before) * 100


@pytest.mark.e2e
def test_the_prompt_effect_of_replayed_calls_is_within_five_points_of_the_truth(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    for call in CALLS:
        r = copilot("live", "--replay", str(call), "--rep-channel", load_truth(call).rep_channel, "--speed", "2",
                    "--headless", "--db", str(db), timeout=900)
        assert r.returncode == 0, r.stderr
    rows = json.loads(copilot("sessions", "--db", str(db), "--json").stdout)
    assert len(rows) == 2
    measured: list[tuple[float, float]] = []  # (reported, true) change of every prompt measured
    matched = 0
    for row in rows:
        truth = load_truth(next(c for c in CALLS if row["source"].startswith(c.name)))
        r = copilot("report", row["id"], "--db", str(db), "--json", "-")
        assert r.returncode == 0, r.stderr
        effect = json.loads(r.stdout)["prompt_effect"]
        pairs = [(float(p["change_points"]), want) for p in effect["prompts"]
                 if p["change_points"] is not None and (want := true_change(truth, p["time"])) is not None]
        assert len(pairs) >= 2  # which directive lines the live pipeline catches in time varies a little
        for got, want in pairs:
            assert abs(got - want) <= 5.0, (row["source"], pairs)
        call_mean = sum(g for g, _ in pairs) / len(pairs)
        assert abs(call_mean - effect["mean_change_points"]) < 0.1
        assert abs(call_mean - sum(w for _, w in pairs) / len(pairs)) <= 5.0
        measured += pairs
        for m in effect["matched"]:  # the matched comparison, beside: measured just as well
            want = true_change(truth, m["time"])
            if m["change_points"] is not None and want is not None:
                assert abs(m["change_points"] - want) <= 5.0
                matched += 1
        assert "with the same trigger but no prompt shown" in effect["summary"] or not effect["matched"]
    # The buyer talked more after some prompts and not after others: the truth is not one-sided.
    assert len(measured) >= 5 and max(w for _, w in measured) > 10 and min(w for _, w in measured) < -10
    assert matched >= 1
    # Pooled as Progress pools them: two calls are not enough calls yet; with the minimum lowered to two calls,
    # the pooled number is the truth's too, and the matched moments are too few to compare with, and said so.
    with SessionStore(db) as store:
        pooled = pooled_effects(store, store.sessions())
        lowered = pooled_effects(store, store.sessions(), min_calls=2, min_prompts=4)
    assert not pooled.enough and pooled.sentences()[0].startswith("Not enough calls yet")
    assert pooled.measured == len(measured)
    assert lowered.prompted is not None and lowered.matched is None
    assert abs(lowered.prompted.mean - sum(w for _, w in measured) / len(measured)) <= 5.0
    assert lowered.prompted.low <= lowered.prompted.mean <= lowered.prompted.high
    assert "Too few moments with the same trigger" in lowered.sentences()[1]
