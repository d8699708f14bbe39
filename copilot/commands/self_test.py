"""``copilot --self-test``: one line per part of the install, OK or what is wrong; exit 1 on a failure."""

from __future__ import annotations

import argparse
import sys
import time

__all__ = ["run_self_test"]


def run_self_test(args: argparse.Namespace) -> int:
    """Print each check as it finishes, then a last line with the time taken."""
    from copilot import __version__
    from copilot.checkup.checks import run_checks

    where = "this build" if getattr(sys, "frozen", False) else "this install"
    print(f"Live Call Copilot {__version__}: checking {where}", flush=True)
    t0 = time.perf_counter()
    failed = 0
    for check in run_checks():
        print(check.line(), flush=True)
        failed += check.status == "fail"
    took = time.perf_counter() - t0
    if failed:
        print(f"{failed} check{'s' if failed > 1 else ''} failed ({took:.1f} s): the app cannot coach a call "
              "until that is fixed.")
        return 1
    print(f"All checks passed in {took:.1f} s.")
    return 0
