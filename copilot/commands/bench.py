"""``copilot bench WHAT``: the benchmark commands, each in ``copilot/bench/``, loaded only when run."""

from __future__ import annotations

import argparse

from copilot.wiring import load_detector

__all__ = ["run_detect", "run_counselling", "run_false_alarms", "run_analyze", "run_live", "run_app", "run_review",
           "run_store", "run_fuzz"]


def run_detect(args: argparse.Namespace) -> int:
    """``bench detect``: a broken rulebook fails here, before any timing."""
    from copilot.bench.detect import run, run_meaning

    load_detector(args.rules, meaning=False, mine=False)
    status = run(n=args.n, runs=args.runs, rules=args.rules)
    if args.rules_only:
        return status
    return run_meaning(n=args.n, runs=min(args.runs, 3), rules=args.rules) or status


def run_counselling(args: argparse.Namespace) -> int:
    """``bench counselling CSV``: the detector on expert-annotated counselling dialogues."""
    from copilot.bench.counselling import run

    return run(args.csv, load_detector(args.rules, meaning=not args.rules_only, threads=0, mine=False),
               as_json=args.json)


def run_false_alarms(args: argparse.Namespace) -> int:
    """``bench false-alarms CORPUS``: flags on real talk, both layers beside the rules alone."""
    from copilot.bench.false_alarms import run

    detectors = {"rules only": load_detector(args.rules, meaning=False, mine=False),
                 "both layers": load_detector(args.rules, meaning=True, threads=0, mine=False)}
    return run(args.corpus, detectors, out=args.out, as_json=args.json)


def run_analyze(args: argparse.Namespace) -> int:
    """``bench analyze``: real-time factor and WER of the analysis beside plain faster-whisper."""
    from copilot.bench.analyze import run

    return run(args)


def run_live(args: argparse.Namespace) -> int:
    """``bench live``: a call replayed through the live pipeline, its latencies, CPU and memory."""
    from copilot.bench.live import run

    return run(args)


def run_app(args: argparse.Namespace) -> int:
    """``bench app``: the demo with its overlay, under a display."""
    from copilot.bench.app import run

    return run(args)


def run_review(args: argparse.Namespace) -> int:
    """``bench review``: an hour-long call in the review window."""
    from copilot.bench.review import run

    return run(args)


def run_store(args: argparse.Namespace) -> int:
    """``bench store``: writers at once on one store, and kill -9 mid-write."""
    from copilot.bench.store import run

    return run(args)


def run_fuzz(args: argparse.Namespace) -> int:
    """``bench fuzz KIND``: broken files of one kind fed to the app; no traceback allowed."""
    from copilot.bench.fuzz import run

    return run(args)
