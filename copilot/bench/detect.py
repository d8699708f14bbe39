"""``copilot bench detect``: how long `copilot detect` takes for 10,000 utterances on one core.

Each run is a real ``copilot detect`` process (start-up, rulebook load, JSON out) pinned to
one CPU core, next to a baseline process that reads the same lines and writes the same
JSON without detecting anything, so the detector's own share of the time is visible.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from copilot.core.phrases import PhraseDetector
from copilot.core.rulebook import Rulebook

__all__ = ["run", "utterances"]

BAR_S = 2.0

_BASELINE = (
    "import json, sys\n"
    "out = sys.stdout\n"
    "for line in sys.stdin:\n"
    "    t = line.rstrip('\\r\\n')\n"
    "    out.write(json.dumps({'text': t, 'flagged': False, 'category': None, 'match': None,"
    " 'prompt': None, 'supportive': None}, ensure_ascii=False))\n"
    "    out.write('\\n')\n"
)


def _example_lines() -> list[str]:
    here = Path(__file__).resolve().parent.parent
    for base in (here / "assets", here.parent / "assets"):
        path = base / "examples" / "rep_script.txt"
        if path.is_file():
            return [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    raise FileNotFoundError("the example script assets/examples/rep_script.txt is missing from this install")


def utterances(n: int) -> list[str]:
    """``n`` rep utterances of mixed length, built from the bundled example script."""
    lines = _example_lines()
    out = []
    for i in range(n):
        text = lines[i % len(lines)]
        if i % 3 == 0:
            text = f"{text} {lines[(i * 7 + 3) % len(lines)]}"
        out.append(text)
    return out


def _pin_to_one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def _time_process(cmd: list[str], stdin_path: str) -> float:
    with open(stdin_path, "rb") as stdin:
        t0 = time.perf_counter()
        subprocess.run(cmd, stdin=stdin, stdout=subprocess.DEVNULL, check=True, preexec_fn=_pin_to_one_core)
        return time.perf_counter() - t0


def distinct_utterances(n: int) -> list[str]:
    """``n`` utterances with no sentence in common (the model layer keeps verdicts per sentence, so a
    repeated sentence would cost nothing): the start of one example-script line joined to the end of
    another, and a number, each one sentence of ordinary length."""
    lines = [ln.rstrip(".?!") for ln in _example_lines()]
    halves = [(ln.split()[: len(ln.split()) // 2], ln.split()[len(ln.split()) // 2:]) for ln in lines]
    out = []
    for i in range(n):
        head = halves[i % len(halves)][0]
        tail = halves[(i // len(halves) + i) % len(halves)][1]
        out.append(" ".join([*head, *tail, "for", f"site {i}"]) + ".")
    return out


def run_meaning(n: int = 10_000, runs: int = 3, rules: str | None = None) -> int:
    """``copilot detect`` (both layers) on ``n`` distinct utterances (not pinned: a file is batched on
    the machine's cores), next to ``copilot detect --rules-only`` on the same lines; then the model's
    cost for one utterance at a time on one core, as live judges them."""
    texts = distinct_utterances(n)
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as f:
        f.write("\n".join(texts) + "\n")
        path = f.name
    base = [sys.executable, "-m", "copilot", "detect"] + (["--rules", rules] if rules else [])
    try:
        rules_only = [_time([*base, "--rules-only"], path) for _ in range(runs)]
        both = [_time(base, path) for _ in range(runs)]
    finally:
        os.unlink(path)
    per = _one_at_a_time(texts[:300], rules)
    print(f"copilot bench detect, both layers: {n} distinct utterances, {runs} runs each")
    print(f"  copilot detect --rules-only         median {statistics.median(rules_only):6.2f} s")
    print(f"  copilot detect (rules + model)      median {statistics.median(both):6.2f} s "
          f"(min {min(both):.2f}, max {max(both):.2f}); bar <= 30 s")
    print(f"  one utterance at a time, one core (live): median {statistics.median(per):.1f} ms "
          f"(90th percentile {sorted(per)[int(len(per) * 0.9)]:.1f} ms) of {len(per)}; bar <= 10 ms")
    return 0 if statistics.median(both) <= 30.0 and statistics.median(per) <= 10.0 else 1


def _one_at_a_time(texts: list[str], rules: str | None) -> list[float]:
    """Milliseconds of CPU per utterance for the fused detector judging each alone (no batching, one
    encoder thread, this process pinned to one core), after a warm-up."""
    from copilot.wiring import load_detector

    _pin_to_one_core()
    detector = load_detector(rules, threads=1, mine=False)
    for t in distinct_utterances(20):
        detector.detect(t + " warm")
    out = []
    for text in texts:
        t0 = time.process_time()
        detector.detect(text)
        out.append((time.process_time() - t0) * 1000)
    return out


def _time(cmd: list[str], stdin_path: str) -> float:
    with open(stdin_path, "rb") as stdin:
        t0 = time.perf_counter()
        subprocess.run(cmd, stdin=stdin, stdout=subprocess.DEVNULL, check=True)
        return time.perf_counter() - t0


def run(n: int = 10_000, runs: int = 5, rules: str | None = None) -> int:
    """Print medians for the baseline, `copilot detect`, and the detector alone in-process."""
    texts = utterances(n)
    detector = PhraseDetector(Rulebook.load(rules))
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as f:
        f.write("\n".join(texts) + "\n")
        path = f.name
    try:
        detect_cmd = [sys.executable, "-m", "copilot", "detect", "--rules-only"] + (["--rules", rules] if rules else [])
        baseline = [_time_process([sys.executable, "-c", _BASELINE], path) for _ in range(runs)]
        detect = [_time_process(detect_cmd, path) for _ in range(runs)]
    finally:
        os.unlink(path)
    in_process = []
    for _ in range(runs):
        t0 = time.perf_counter()
        for text in texts:
            detector.detect(text)
        in_process.append(time.perf_counter() - t0)
    flagged = sum(detector.detect(t).flagged for t in texts)

    def row(name: str, xs: list[float]) -> str:
        return f"  {name:<34} median {statistics.median(xs):6.3f} s   (min {min(xs):.3f}, max {max(xs):.3f})"

    print(f"copilot bench detect: {n} utterances ({flagged} flagged by the rules), {runs} runs each, "
          "pinned to one core")
    print(row("baseline (read + write JSON)", baseline))
    print(row("copilot detect --rules-only", detect))
    print(row("detector only (in-process)", in_process))
    median = statistics.median(detect)
    per = statistics.median(in_process) / n * 1e6
    print(f"  detector cost per utterance: {per:.1f} us")
    verdict = "meets" if median < BAR_S else "MISSES"
    print(f"  bar: {n} utterances in under {BAR_S:.0f} s -> {median:.3f} s, {verdict} the bar")
    return 0 if median < BAR_S else 1
