"""``copilot bench WHAT``: the benchmark commands, each in ``copilot/bench/``, loaded only when run.

The packaged app leaves ``copilot/bench`` (and the scripted calls' truth it measures against) out:
there, each of these says so in one sentence (docs/house.md, "Benchmarks and the product").
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager

from copilot.errors import UserError
from copilot.wiring import load_detector

__all__ = ["run_detect", "run_counselling", "run_false_alarms", "run_analyze", "run_live", "run_app", "run_review",
           "run_store", "run_fuzz"]


@contextmanager
def _benchmarks() -> Iterator[None]:
    """Around importing a benchmark: missing (the packaged app), it is one sentence, not a traceback."""
    try:
        yield
    except ModuleNotFoundError as e:
        if not (e.name or "").startswith(("copilot.bench", "copilot.scripted")):
            raise
        raise UserError("The benchmarks are not part of the packaged app; run `copilot bench` from "
                        "the source install (`pip install -e .` in the project's folder).") from None


def run_detect(args: argparse.Namespace) -> int:
    """``bench detect``: a broken rulebook fails here, before any timing."""
    with _benchmarks():
        from copilot.bench.detect import run, run_meaning

    load_detector(args.rules, meaning=False, mine=False)
    status = run(n=args.n, runs=args.runs, rules=args.rules)
    if args.rules_only:
        return status
    return run_meaning(n=args.n, runs=min(args.runs, 3), rules=args.rules) or status


def run_counselling(args: argparse.Namespace) -> int:
    """``bench counselling CSV``: the detector on expert-annotated counselling dialogues."""
    with _benchmarks():
        from copilot.bench.counselling import run

    return run(args.csv, load_detector(args.rules, meaning=not args.rules_only, threads=0, mine=False),
               as_json=args.json)


def run_false_alarms(args: argparse.Namespace) -> int:
    """``bench false-alarms CORPUS``: flags on real talk, both layers beside the rules alone."""
    with _benchmarks():
        from copilot.bench.false_alarms import run

    detectors = {"rules only": load_detector(args.rules, meaning=False, mine=False),
                 "both layers": load_detector(args.rules, meaning=True, threads=0, mine=False)}
    return run(args.corpus, detectors, out=args.out, as_json=args.json, labels=args.labels or (),
               as_heard=args.as_heard)


def run_analyze(args: argparse.Namespace) -> int:
    """``bench analyze``: real-time factor and WER of the analysis beside plain faster-whisper."""
    with _benchmarks():
        from copilot.bench.analyze import run

    return run(args)


def run_live(args: argparse.Namespace) -> int:
    """``bench live``: a call replayed through the live pipeline, its latencies, CPU and memory."""
    with _benchmarks():
        from copilot.bench.live import run

    return run(args)


def run_app(args: argparse.Namespace) -> int:
    """``bench app``: the demo with its overlay, under a display."""
    with _benchmarks():
        from copilot.bench.app import run

    return run(args)


def run_review(args: argparse.Namespace) -> int:
    """``bench review``: an hour-long call in the review window."""
    with _benchmarks():
        from copilot.bench.review import run

    return run(args)


def run_store(args: argparse.Namespace) -> int:
    """``bench store``: writers at once on one store, and kill -9 mid-write."""
    with _benchmarks():
        from copilot.bench.store import run

    return run(args)


def run_fuzz(args: argparse.Namespace) -> int:
    """``bench fuzz KIND``: broken files of one kind fed to the app; no traceback allowed."""
    with _benchmarks():
        from copilot.bench.fuzz import run

    return run(args)
