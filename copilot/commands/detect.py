"""``copilot detect``: one utterance a line in, one JSON verdict a line out (to check a rulebook)."""

from __future__ import annotations

import argparse
import json
import sys

from copilot.wiring import load_detector

__all__ = ["run_detect"]


def run_detect(args: argparse.Namespace) -> int:
    """Judge every line of stdin with the rulebook; flush per line when typed at a terminal."""
    meaning = getattr(args, "meaning", False)
    detector = load_detector(args.rules, meaning=meaning)
    if hasattr(sys.stdin, "reconfigure"):
        # A transcript saved in another encoding still gets a verdict per line, not a traceback.
        sys.stdin.reconfigure(errors="replace")
    interactive = sys.stdin.isatty()
    out = sys.stdout
    for line in sys.stdin:
        text = line.rstrip("\r\n")
        out.write(json.dumps(detector.detect(text).as_json(layer=meaning), ensure_ascii=False))
        out.write("\n")
        if interactive:
            out.flush()
    out.flush()
    return 0
