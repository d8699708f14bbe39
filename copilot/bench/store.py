"""``copilot bench store``: the session store under faults — writers at once, and kill -9 mid-write.

Two measurements on one store file in a fresh folder (``--dir``: put it on the disk the
rep's data lives on; a RAM-backed /tmp hides the cost of syncing):

- ``--rounds`` rounds of a live call recorded while two analyses are saved and a reader
  runs ``sessions``, ``report`` and ``progress`` (``store_together.py``); the bar: no error,
  every session complete;
- ``--kills`` times a writer killed with SIGKILL at a random moment (``store_kills.py``);
  the bar: the store always opens, with every session that was said saved.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from copilot.errors import UserError

__all__ = ["run"]


def run(args: argparse.Namespace) -> int:
    """Run both measurements and print their numbers (or JSON); exit 1 if a bar is missed."""
    from copilot.bench.store_calls import scripted_call

    if args.rounds < 0 or args.kills < 0 or not args.speed > 0:
        raise UserError("--rounds and --kills must be 0 or more, and --speed more than 0.")
    if args.dir and not Path(args.dir).is_dir():
        raise UserError(f"--dir {args.dir} is not a folder.")
    sample, hour = scripted_call(), scripted_call(repeat=30)
    say = _say(args.json)
    say(f"calls: {sample.source}, {sample.duration_s:.0f} s, {len(sample.events)} live events; "
        f"{hour.source}, {hour.duration_s / 60:.0f} min")
    with tempfile.TemporaryDirectory(dir=args.dir or None, prefix="copilot-bench-store-") as tmp:
        together = _together(Path(tmp) / "together.db", sample, hour, args, say)
        kills = _kills(Path(tmp) / "kills.db", sample, hour, args, say)
    out = {"together": together, "kills": kills}
    if args.json:
        print(json.dumps(out, indent=1))
    met = together["errors"] == 0 and together["incomplete"] == 0
    met = met and kills["not_opened"] == 0 and kills["problems"] == 0
    return 0 if met else 1


def _say(quiet: bool) -> Any:
    def say(line: str) -> None:
        if not quiet:
            print(line, flush=True)
        else:
            print(line, file=sys.stderr, flush=True)

    return say


def _together(db: Path, sample: Any, hour: Any, args: argparse.Namespace, say: Any) -> dict[str, Any]:
    from copilot.bench.store_together import together_round

    errors = incomplete = checked = 0
    commits: list[int] = []
    commit_s: list[float] = []
    slowest: dict[str, float] = {}
    ops: dict[str, int] = {}
    started = time.monotonic()
    for n in range(1, args.rounds + 1):
        r = together_round(db, sample, hour, args.speed)
        errors += len(r["errors"])
        incomplete += r["incomplete"]
        checked += r["checked"]
        for role, x in r["roles"].items():
            slowest[role] = max(slowest.get(role, 0.0), x["slowest_s"])
            ops[role] = ops.get(role, 0) + x["ops"]
        commits.append(r["roles"].get("live", {}).get("ops", 0))
        commit_s += r["roles"].get("live", {}).get("commit_s", [])
        done = ", ".join(f"{role} {x['ops']}" for role, x in r["roles"].items())
        say(f"round {n}: {done}; {len(r['errors'])} errors, {r['checked']} sessions checked, "
            f"{r['incomplete']} incomplete")
        for line in (r["errors"] + r["problems"])[:5]:
            say(f"    {line}")
    took = time.monotonic() - started
    if args.rounds:
        say(f"together: {args.rounds} rounds in {took:.0f} s, {errors} errors, {checked} sessions checked, "
            f"{incomplete} incomplete")
        say(f"  the live call's commits: {len(commit_s)} ({statistics.median(commits):.0f} a round), each "
            f"{_ms(commit_s, 50)} median, {_ms(commit_s, 99)} at the 99th percentile, {_ms(commit_s, 100)} at most "
            "(the coach waits this long)")
        say("  slowest operation: " + ", ".join(f"{role} {s:.3f} s" for role, s in sorted(slowest.items())))
    return {"rounds": args.rounds, "errors": errors, "checked": checked, "incomplete": incomplete,
            "operations": ops, "slowest_s": slowest, "live_commits": len(commit_s),
            "live_commit_ms": {"median": _pct(commit_s, 50), "p99": _pct(commit_s, 99), "max": _pct(commit_s, 100)},
            "seconds": round(took, 1)}


def _pct(values: list[float], p: float) -> float | None:
    from copilot.bench.live import percentile

    return round(percentile(values, p) * 1000, 1) if values else None


def _ms(values: list[float], p: float) -> str:
    v = _pct(values, p)
    return "-" if v is None else f"{v:.1f} ms"


def _kills(db: Path, sample: Any, hour: Any, args: argparse.Namespace, say: Any) -> dict[str, Any]:
    from copilot.bench.store_kills import check_all, kill_round

    rng = random.Random(args.seed)
    claimed: dict[str, dict[str, int]] = {}
    not_opened = problems = 0
    recovered = 0
    started = time.monotonic()
    for n in range(1, args.kills + 1):
        r = kill_round(db, sample, hour, rng, args.max_wait, claimed)
        not_opened += not r["opened"]
        problems += len(r["problems"])
        recovered = r.get("recovered", recovered)
        if r["problems"] or n % 20 == 0 or n == args.kills:
            say(f"kill {n}: {'opened' if r['opened'] else 'DID NOT OPEN'}, {len(claimed)} sessions said saved so "
                f"far, {recovered} recordings finished as ended unexpectedly, {len(r['problems'])} problems")
        for line in r["problems"][:5]:
            say(f"    {line}")
    final = check_all(db, claimed) if args.kills else []
    problems += len(final)
    for line in final[:5]:
        say(f"    {line}")
    took = time.monotonic() - started
    if args.kills:
        say(f"kills: {args.kills} in {took:.0f} s; the store opened {args.kills - not_opened} times of {args.kills}; "
            f"{len(claimed)} sessions said saved, {len(claimed) - len(final)} intact at the end; "
            f"{recovered} interrupted recordings finished from what was stored; {problems} problems")
    return {"kills": args.kills, "not_opened": not_opened, "problems": problems, "saved": len(claimed),
            "intact": len(claimed) - len(final), "recovered": recovered, "seconds": round(took, 1)}
