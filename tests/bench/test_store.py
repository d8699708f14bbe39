"""``copilot bench store`` in short runs: a live call beside two analyses and a reader, and a writer killed
mid-write, on one store (the long versions: docs/faults.md)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from copilot.bench.store_calls import CallResults, scripted_call


@pytest.fixture(scope="module")
def calls() -> tuple[CallResults, CallResults]:
    """The sample call's script, as it is and strung ten times end to end."""
    return scripted_call(), scripted_call(repeat=10)


def test_a_live_call_beside_two_analyses_and_a_reader_loses_nothing(
    tmp_path: Path, calls: tuple[CallResults, CallResults]
) -> None:
    from copilot.bench.store_together import together_round

    sample, longer = calls
    r = together_round(tmp_path / "s.db", sample, longer, speed=50.0)
    assert r["errors"] == [] and r["problems"] == []
    assert set(r["roles"]) == {"live", "analysis 1", "analysis 2", "reader"}
    assert r["roles"]["live"]["ops"] > 20 and r["roles"]["reader"]["ops"] > 0  # it did write and read meanwhile
    saved = sum(len(x["saved"]) for x in r["roles"].values())
    assert r["checked"] == saved >= 3 and r["incomplete"] == 0


def test_a_writer_killed_mid_write_leaves_the_store_whole_with_every_saved_session(
    tmp_path: Path, calls: tuple[CallResults, CallResults]
) -> None:
    from copilot.bench.store_kills import check_all, kill_round

    sample, longer = calls
    rng = random.Random(3)
    claimed: dict[str, dict[str, int]] = {}
    # The first kill comes within 50 ms, while the live call is being recorded; the rest anywhere in 0.8 s.
    rounds = [kill_round(tmp_path / "s.db", sample, longer, rng, wait, claimed) for wait in (0.05, 0.8, 0.8, 0.8, 0.8)]
    assert all(r["opened"] and r["problems"] == [] for r in rounds), [r["problems"] for r in rounds]
    assert claimed and check_all(tmp_path / "s.db", claimed) == []
    assert rounds[-1]["recovered"] >= 1  # calls cut off mid-recording were finished from what was stored
