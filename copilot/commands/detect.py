"""``copilot detect``: one utterance a line in, one JSON verdict a line out (to check a rulebook)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from copilot.core.phrases import PhraseDetector
from copilot.wiring import load_detector

__all__ = ["run_detect"]


def run_detect(args: argparse.Namespace) -> int:
    """Judge every line of stdin with the rulebook; flush per line when typed at a terminal."""
    # A file through the model layer is batch work: it may use the machine's cores (live uses one).
    detector = load_detector(args.rules, meaning=not args.rules_only, threads=0 if not sys.stdin.isatty() else 1)
    if hasattr(sys.stdin, "reconfigure"):
        # A transcript saved in another encoding still gets a verdict per line, not a traceback.
        sys.stdin.reconfigure(errors="replace")
    interactive = sys.stdin.isatty()
    out = sys.stdout
    # The contract's keys stay as they were; "layer" and "why" only when asked (--meaning: its old name).
    explain = bool(args.explain or args.meaning)
    if detector.model is not None and not interactive:
        # A file: the model layer scores its sentences a block at a time (several times cheaper).
        block: list[str] = []
        for line in sys.stdin:
            block.append(line.rstrip("\r\n"))
            if len(block) == _BLOCK:
                _write(detector, block, out, explain)
                block = []
        _write(detector, block, out, explain)
        out.flush()
        return 0
    for line in sys.stdin:
        text = line.rstrip("\r\n")
        out.write(json.dumps(detector.detect(text).as_json(layer=explain), ensure_ascii=False))
        out.write("\n")
        if interactive:
            out.flush()
    out.flush()
    return 0


_BLOCK = 512


def _write(detector: PhraseDetector, texts: list[str], out: TextIO, explain: bool) -> None:
    detector.prime(texts)
    for text in texts:
        out.write(json.dumps(detector.detect(text).as_json(layer=explain), ensure_ascii=False))
        out.write("\n")
