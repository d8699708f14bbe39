"""``copilot bench fuzz KIND``: broken files of one kind fed to the app for minutes; no traceback allowed.

A worker process makes case after case (``fuzz_kinds.py``: a real good file broken in a
seeded way, given to the real entry points) and says how each went; this process watches
it. A case that raises anything but the app's own error, says its rejection in more than
one sentence, hangs (no answer within ``--hang`` seconds) or takes the worker down (a crash
in native code) is a failure: its files and what happened are kept in ``--out`` to replay,
and the worker goes on with the next case. Case N of seed S is the same on every run:
``--first N --cases 1`` makes it again.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import shutil
import tempfile
import time
import traceback
import warnings
from collections import Counter
from pathlib import Path
from typing import Any

from copilot.bench.fuzz_kinds import KINDS, Outcome, Target, make_target, not_one_sentence
from copilot.errors import UserError

__all__ = ["run", "fuzz_case", "problems_of"]


def problems_of(outcomes: list[Outcome]) -> list[str]:
    """What is wrong in how the entry points took a case: a failure, or a rejection that is not one sentence."""
    out = []
    for o in outcomes:
        if o.verdict == "failed":
            out.append(f"{o.entry}: {o.message.strip()}")
        elif o.verdict == "rejected":
            why = not_one_sentence(o.message)
            if why:
                out.append(f"{o.entry}: the rejection is {why}: {o.message!r}")
    return out


def fuzz_case(target: Target, seed: int, n: int) -> tuple[Path, list[Outcome]]:
    """Case ``n`` of ``seed``: always the same broken file."""
    return target.case(random.Random(f"{seed}:{target.kind}:{n}"))


def run(args: argparse.Namespace) -> int:
    """Fuzz one kind (or each in turn) for ``--minutes`` or ``--cases``; print the counts (or JSON)."""
    kinds = list(KINDS) if args.kind == "all" else [args.kind]
    if args.kind != "all" and args.kind not in KINDS:
        raise UserError(f"There is no input kind {args.kind!r} to fuzz; the kinds are {', '.join(KINDS)} or all.")
    if not (args.minutes > 0 or args.cases):
        raise UserError("Give --minutes more than 0 or --cases.")
    results = {}
    for kind in kinds:
        results[kind] = _fuzz_kind(kind, args)
        r = results[kind]
        line = ", ".join(f"{entry} {dict(v)}" for entry, v in r["entries"].items())
        print(f"{kind}: {r['cases']} cases in {r['seconds']:.0f} s (seed {args.seed}); {line}; "
              f"{r['failures']} failures ({len(r['distinct'])} distinct)", flush=True)
        for what in r["distinct"][:20]:
            print(f"    {what}", flush=True)
    if args.json:
        print(json.dumps(results, indent=1))
    return 1 if any(r["failures"] for r in results.values()) else 0


def _fuzz_kind(kind: str, args: argparse.Namespace) -> dict[str, Any]:
    until = time.time() + args.minutes * 60 if args.minutes > 0 else float("inf")
    first = getattr(args, "first", 0)
    last = first + args.cases - 1 if args.cases else None
    tally = _Tally()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix=f"copilot-fuzz-{kind}-") as tmp:
        n: int | None = first
        while n is not None:  # a new worker after one that hung or died, from the case after it
            n = _watch(kind, Path(tmp), n, last, until, args, tally)
    distinct = sorted({_signature(p) for _n, p in tally.failures})
    return {"cases": tally.cases, "seconds": round(time.monotonic() - started, 1), "seed": args.seed,
            "entries": {e: dict(v) for e, v in tally.entries.items()}, "failures": len(tally.failures),
            "distinct": distinct, "failed_cases": sorted({x for x, _p in tally.failures})[:100]}


class _Tally:
    """The counts of a run: cases, each entry point's verdicts, the failures."""

    def __init__(self) -> None:
        self.cases = 0
        self.entries: dict[str, Counter[str]] = {}
        self.failures: list[tuple[int, str]] = []


def _watch(kind: str, work: Path, first: int, last: int | None, until: float, args: argparse.Namespace,
           tally: _Tally) -> int | None:
    """Run a worker from case ``first``; the case to go on from if it hung or died, None when it is done."""
    ctx = multiprocessing.get_context("spawn")
    receive, send = ctx.Pipe(duplex=False)
    worker = ctx.Process(target=_worker, args=(kind, str(work), args.seed, first, last, until, args.out, send),
                         name=f"fuzz {kind}")
    worker.start()
    send.close()
    current: int | None = None
    try:
        while True:
            # Making the seeds (a voiceprint, a store) may take a while; a case must answer in --hang.
            if not receive.poll(args.hang if current is not None else 600):
                worker.kill()
                if current is None:
                    raise RuntimeError(f"the {kind} fuzzer did not start within 10 minutes")
                why = f"no answer in {args.hang:.0f} s (it hangs)"
                break
            try:
                message = receive.recv()
            except (EOFError, OSError):
                if current is None:
                    raise RuntimeError(f"the {kind} fuzzer ended before its first case") from None
                why = "the worker died (a crash in native code?)"
                break
            if message[0] == "case":
                current = message[1]
            elif message[0] == "done":
                _n, outcomes, problems = message[1:]
                tally.cases += 1
                for entry, verdict in outcomes:
                    tally.entries.setdefault(entry, Counter())[verdict] += 1
                tally.failures += [(_n, p) for p in problems]
                current = None
            elif message[0] == "end":
                return None
            else:
                raise RuntimeError(f"the {kind} seeds could not be made: {message[1]}")
    finally:
        worker.join()
        receive.close()
    assert current is not None
    tally.cases += 1
    tally.failures.append((current, f"case {current}: {why}"))
    _keep(work, Path(args.out), kind, args.seed, current, why)
    return current + 1 if last is None or current < last else None


def _signature(problem: str) -> str:
    """A failure in one line: the entry point and the traceback's last frame and error."""
    lines = [x for x in problem.splitlines() if x.strip()]
    frames = [x.strip() for x in lines if x.strip().startswith("File ")]
    return f"{lines[0][:80]} ... {frames[-1][:120] if frames else ''} {lines[-1][:160]}" if len(lines) > 1 \
        else problem[:240]


def _keep(work: Path, out: Path, kind: str, seed: int, n: int, what: str) -> None:
    """The case's files and what happened, to replay by hand."""
    keep = out / f"{kind}-seed{seed}-case{n}"
    shutil.rmtree(keep, ignore_errors=True)
    if (work / "case").exists():
        shutil.copytree(work / "case", keep)
    keep.mkdir(parents=True, exist_ok=True)
    (keep / "what-happened.txt").write_text(what + "\n", encoding="utf-8")


def _worker(kind: str, work: str, seed: int, first: int, last: int | None, until: float, out: str, say: Any) -> None:
    """The worker process: cases ``first``, ``first + 1``, … until ``last`` or the time is up."""
    # A numeric warning (nan, an overflow) is a bug as surely as an exception, as in the test suite.
    warnings.simplefilter("error", RuntimeWarning)
    try:
        target = make_target(kind, Path(work))
    except Exception:  # noqa: BLE001 - said to the watcher, which stops
        say.send(("setup failed", traceback.format_exc()))
        return
    n = first
    while time.time() < until and (last is None or n <= last):
        say.send(("case", n))
        _path, outcomes = fuzz_case(target, seed, n)
        problems = problems_of(outcomes)
        if problems:
            _keep(Path(work), Path(out), kind, seed, n, "\n\n".join(problems))
        say.send(("done", n, [(o.entry, o.verdict) for o in outcomes], problems))
        n += 1
    say.send(("end",))
