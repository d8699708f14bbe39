"""Join scripted calls end to end into one long call with one truth file, for long-call benchmarks.

    python tools/join_calls.py OUT.opus CALL.opus [CALL.opus ...] [--times N]

Each call is decoded, turned so the rep is on the left, and appended (the list is
repeated ``--times`` times); the truth lines are shifted to match. The output is not
committed: a 30-minute call is rebuilt in seconds from the committed short ones.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_call import RATE, write_opus  # noqa: E402

from copilot.audio.decode import load_call  # noqa: E402
from copilot.scripted.truth import load_truth, truth_path  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("out", type=Path)
    p.add_argument("calls", type=Path, nargs="+")
    p.add_argument("--times", type=int, default=1)
    a = p.parse_args(argv)
    left: list[np.ndarray] = []
    right: list[np.ndarray] = []
    lines: list[dict[str, object]] = []
    offset = 0.0
    for _ in range(a.times):
        for f in a.calls:
            truth = load_truth(f)
            call = load_call(f, rep_channel="right" if truth.rep_channel == "right" else "left")
            n = max(len(call.rep), len(call.prospect))
            left.append(np.pad(call.rep, (0, n - len(call.rep))))
            right.append(np.pad(call.prospect, (0, n - len(call.prospect))))
            lines += [{"speaker": x.speaker, "start": round(x.start + offset, 3), "end": round(x.end + offset, 3),
                       "text": x.text, "directive": x.directive} for x in truth.lines]
            offset += n / RATE
    write_opus(np.stack([np.concatenate(left), np.concatenate(right)], axis=1), a.out)
    truth_path(a.out).write_text(json.dumps({"audio": a.out.name, "rep_channel": "left",
                                             "duration_s": round(offset, 3), "lines": lines}, indent=1) + "\n")
    print(f"wrote {a.out} ({offset / 60:.1f} min) and {truth_path(a.out).name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
