"""``copilot bench store``, first half: a live call recorded while analyses and reports use the same store.

A rep's day: the app records a call while a recording from yesterday is analysed in a
terminal and a manager's report is written. Each round starts, on one store file and at
the same moment, four processes:

- **live**: the sample call's live stream through the real :class:`StoreWriter` (a commit
  every 2 s of the call: every 200 ms at ``--speed 10``), then the session's end as
  ``copilot live`` writes it;
- **two analyses**: ``save_analysis`` over and over, each time opening the store as a
  ``copilot analyze`` does, alternating the sample call and the same call an hour long,
  resting 0.2 to 1 s between saves (a real analysis transcribes for minutes before its one
  save: this is some fifty times the writes of two real ones, while never starving the others
  the way a loop without rest does, which no real use does);
- **a reader**: ``copilot sessions --json``, ``copilot report ID --json`` of the newest call
  and ``copilot progress --json``, each a command of its own, as a rep or a script runs them.

Any error counts (a "database is locked" most of all). After the round, every session a
writer reported saved is read back and compared, row kind by row kind, with what it wrote.
"""

from __future__ import annotations

import multiprocessing
import queue
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from copilot.bench.store_calls import CallResults

__all__ = ["together_round", "stored_counts", "ROLES"]

ROLES = ("live", "analysis 1", "analysis 2", "reader")


def stored_counts(store: Any, sid: str) -> dict[str, Any]:
    """What the store holds of one session: its rows of each kind and how it ended."""
    s = store.load(sid)
    return {"spans": len(s.spans), "segments": len(s.segments), "flags": len(s.flags), "prompts": len(s.prompts),
            "supportive": -1 if s.supportive is None else len(s.supportive), "ended": s.row.ended}


def together_round(db: Path, sample: CallResults, hour: CallResults, speed: float, timeout_s: float = 600.0
                   ) -> dict[str, Any]:
    """One round: the four processes at once on ``db``; what each did, every error, and every session checked."""
    from copilot.store.sqlite import SessionStore

    ctx = multiprocessing.get_context("spawn")
    go, stop = ctx.Event(), ctx.Event()
    results: Any = ctx.Queue()
    procs = [ctx.Process(target=_live, args=(str(db), sample, speed, go, results), name="live"),
             ctx.Process(target=_analyses, args=(str(db), (sample, hour), 0, go, stop, results), name="analysis 1"),
             ctx.Process(target=_analyses, args=(str(db), (hour, sample), 1, go, stop, results), name="analysis 2"),
             ctx.Process(target=_reader, args=(str(db), go, stop, results), name="reader")]
    for p in procs:
        p.start()
    go.set()
    got: dict[str, dict[str, Any]] = {}
    deadline = time.monotonic() + timeout_s
    while len(got) < len(procs) and time.monotonic() < deadline:
        try:
            r = results.get(timeout=1.0)
        except queue.Empty:
            if not any(p.is_alive() for p in procs) and results.empty():
                break
            continue
        got[r["role"]] = r
        if r["role"] == "live":
            stop.set()  # the call ended: the others finish what they are doing
    stop.set()
    for p in procs:
        p.join(timeout=30)
        if p.is_alive():
            p.kill()
    errors = [f"{role}: {e}" for role, r in got.items() for e in r["errors"]]
    errors += [f"{role}: ended without a word (exit code {p.exitcode})" for role, p in zip(ROLES, procs, strict=True)
               if role not in got]
    checked = incomplete = 0
    problems: list[str] = []
    with SessionStore(db) as store:
        for r in got.values():
            for sid, want in r["saved"]:
                checked += 1
                have = stored_counts(store, sid)
                if have != {**want, "ended": "finished"}:
                    incomplete += 1
                    problems.append(f"{sid}: wrote {want}, the store has {have}")
    return {"roles": got, "errors": errors, "checked": checked, "incomplete": incomplete, "problems": problems}


def _report(results: Any, role: str, saved: list[tuple[str, dict[str, int]]], errors: list[str], ops: int,
            slowest: float, **more: Any) -> None:
    results.put({"role": role, "saved": saved, "errors": errors, "ops": ops, "slowest_s": round(slowest, 4), **more})


def _live(db: str, call: CallResults, speed: float, go: Any, results: Any) -> None:
    """The app recording a call: the real writer fed the call's events at ``speed``, then the session's end."""
    from copilot.pipeline.events import Stamped
    from copilot.pipeline.recorded import save_end
    from copilot.pipeline.sinks import StoreWriter
    from copilot.store.sqlite import SessionStore

    errors: list[str] = []
    saved: list[tuple[str, dict[str, int]]] = []
    slowest, commits = 0.0, 0
    waits: list[float] = []
    go.wait()
    try:
        with SessionStore(db) as store:
            # Kept as the app keeps a call, with its count of what was hidden (the sample's script: nothing).
            sid = store.create_session("microphone + call audio (bench)", "live", "scripted", hidden={})
            said: list[str] = []
            writer = StoreWriter(store, sid, every_s=2.0 / speed, notice=said.append, hidden=dict)
            t0 = time.monotonic()
            for at, event in call.events:
                wait = t0 + at / speed - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
                before = writer.writes
                took = time.perf_counter()
                writer(Stamped(event, time.monotonic() - t0))
                if writer.writes != before:
                    waits.append(time.perf_counter() - took)
            commits = writer.writes
            slowest = max(waits, default=0.0)
            errors += [f"{writer.failures} writes during the call failed: {m}" for m in said[:1]]
            problem = save_end(store, sid, writer, call.session, call.duration_s, hidden={})
            if problem:
                errors.append(f"the end was not saved: {problem}")
            else:
                saved.append((sid, call.counts()))
    except Exception as e:  # noqa: BLE001 - every failure is a finding of the benchmark
        errors.append(f"{type(e).__name__}: {e}")
    _report(results, "live", saved, errors, commits, slowest, commit_s=waits)


def _analyses(db: str, calls: tuple[CallResults, ...], which: int, go: Any, stop: Any, results: Any) -> None:
    """``copilot analyze`` saving finished calls, one after another, until the live call ends."""
    from copilot.store.sqlite import SessionStore

    rng = random.Random(which)
    errors: list[str] = []
    saved: list[tuple[str, dict[str, int]]] = []
    slowest, n = 0.0, 0
    go.wait()
    while not stop.is_set():
        call = calls[n % len(calls)]
        try:
            took = time.perf_counter()
            with SessionStore(db) as store:
                sid = store.save_analysis(call.source, "analyze", "scripted", call.duration_s, call.talk,
                                          call.spans, call.segments, call.flags, call.prompts,
                                          supportive=call.supportive, hidden={})
            slowest = max(slowest, time.perf_counter() - took)
            saved.append((sid, call.counts()))
        except Exception as e:  # noqa: BLE001 - every failure is a finding of the benchmark
            errors.append(f"{type(e).__name__}: {e}")
        n += 1
        stop.wait(rng.uniform(0.2, 1.0))
    _report(results, ROLES[1 + which], saved, errors, n, slowest)


def _reader(db: str, go: Any, stop: Any, results: Any) -> None:
    """The rep (or a script) reading the store meanwhile: the list, a report and Progress, as commands."""
    from copilot.store.sqlite import SessionStore

    errors: list[str] = []
    slowest, n = 0.0, 0
    go.wait()
    with tempfile.TemporaryDirectory() as tmp:
        while not stop.is_set():
            try:
                with SessionStore(db) as store:
                    rows = store.sessions()
                commands = [["sessions", "--json"], ["progress", "--json"]]
                if rows:
                    commands.append(["report", rows[0].id, "--json", str(Path(tmp) / "report.json")])
                for argv in commands:
                    took = time.perf_counter()
                    done = subprocess.run([sys.executable, "-m", "copilot", *argv, "--db", db], capture_output=True,
                                          text=True, timeout=300)
                    slowest = max(slowest, time.perf_counter() - took)
                    n += 1
                    if done.returncode != 0 or "Traceback" in done.stderr:
                        errors.append(f"copilot {argv[0]} exited {done.returncode}: {done.stderr.strip()[-500:]}")
            except Exception as e:  # noqa: BLE001 - every failure is a finding of the benchmark
                errors.append(f"{type(e).__name__}: {e}")
    _report(results, "reader", [], errors, n, slowest)
