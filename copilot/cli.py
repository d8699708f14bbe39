"""The ``copilot`` command line: one entry point, subcommands, heavy imports only when used.

Errors a user can cause are printed as one sentence on stderr with a non-zero exit code,
never as a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from copilot.core.phrases import PhraseDetector

__all__ = ["main"]

EXIT_USAGE = 2


class UserError(Exception):
    """Something the user can fix; the message is shown as it is."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        result: int = args.func(args)
        return result
    except UserError as e:
        print(f"copilot: {e}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="copilot",
        description="Live Call Copilot: an on-call coach that helps you hand control back to the buyer.",
    )
    sub = p.add_subparsers(metavar="COMMAND")

    d = sub.add_parser(
        "detect",
        help="flag directive phrasing, one utterance a line on stdin, one JSON object a line out",
        description="Reads one utterance a line on stdin and writes one JSON object a line: "
        '{"text", "flagged", "category", "match", "prompt", "supportive"}. '
        "Use it to check a rulebook you edited.",
    )
    d.add_argument("--rules", metavar="FILE", help="rulebook TOML file (default: the bundled English one)")
    d.set_defaults(func=_cmd_detect)

    b = sub.add_parser("bench", help="measure speed and accuracy on this machine")
    bsub = b.add_subparsers(metavar="WHAT")
    bd = bsub.add_parser("detect", help="time `copilot detect` on 10,000 utterances, pinned to one core")
    bd.add_argument("--n", type=int, default=10_000, help="utterances per run (default 10000)")
    bd.add_argument("--runs", type=int, default=5, help="runs per measurement (default 5)")
    bd.add_argument("--rules", metavar="FILE")
    bd.set_defaults(func=_cmd_bench_detect)
    bc = bsub.add_parser(
        "counselling",
        help="how the detector generalises: expert-annotated counselling dialogues (AnnoMI CSV)",
    )
    bc.add_argument("csv", metavar="CSV", help="AnnoMI-full.csv or a file with the same columns")
    bc.add_argument("--rules", metavar="FILE")
    bc.add_argument("--json", action="store_true", help="print the numbers as JSON")
    bc.set_defaults(func=_cmd_bench_counselling)
    b.set_defaults(func=lambda _a: _print_help(b))
    return p


def _print_help(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 0


def _load_detector(rules: str | None) -> PhraseDetector:
    """The detector for a rulebook file, or a UserError naming what is wrong with it."""
    from copilot.core.phrases import PhraseDetector
    from copilot.core.rulebook import Rulebook, RulebookError

    try:
        return PhraseDetector(Rulebook.load(rules))
    except RulebookError as e:
        raise UserError(str(e)) from None


def _cmd_detect(args: argparse.Namespace) -> int:
    detector = _load_detector(args.rules)
    if hasattr(sys.stdin, "reconfigure"):
        # A transcript saved in another encoding still gets a verdict per line, not a traceback.
        sys.stdin.reconfigure(errors="replace")
    interactive = sys.stdin.isatty()
    out = sys.stdout
    for line in sys.stdin:
        text = line.rstrip("\r\n")
        out.write(json.dumps(detector.detect(text).as_json(), ensure_ascii=False))
        out.write("\n")
        if interactive:
            out.flush()
    out.flush()
    return 0


def _cmd_bench_detect(args: argparse.Namespace) -> int:
    from copilot.bench.detect import run

    _load_detector(args.rules)  # a broken rulebook fails here, before any timing
    return run(n=args.n, runs=args.runs, rules=args.rules)


def _cmd_bench_counselling(args: argparse.Namespace) -> int:
    from copilot.bench.counselling import run

    detector = _load_detector(args.rules)
    try:
        return run(args.csv, detector, as_json=args.json)
    except (OSError, ValueError) as e:
        raise UserError(str(e)) from None
