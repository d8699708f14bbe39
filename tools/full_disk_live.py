"""A live call whose disk fills up partway, on a real small filesystem: what the rep is told, what is kept.

    python tools/full_disk_live.py DIR [--fill-at 40] [--free-at 0] [--speed 2]

DIR must be the whole of a small filesystem (as root: ``mount -t tmpfs -o size=4m tmpfs DIR``;
any small disk image does too). The bundled sample call is played through ``copilot live
--replay --headless`` with its store in DIR; when the call reaches ``--fill-at`` seconds a
filler file takes every byte left in DIR, and at ``--free-at`` seconds (0: never) it is
deleted again. Then the space is freed and the store opened as the next command would open
it. Printed: the run's exit code, what the terminal said about saving, the prompts that
still came after the disk filled, and how much of the call the store kept.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from copilot.store.sqlite import SessionStore  # noqa: E402
from copilot.wiring import sample_call  # noqa: E402


def fill(folder: Path) -> int:
    """Write a filler file in ``folder`` until the filesystem is full; its size."""
    written = 0
    block = b"\0" * 65536
    with open(folder / "filler", "wb", buffering=0) as f:
        for size in (65536, 4096, 512, 1):  # then the last crumbs
            while True:
                try:
                    written += f.write(block[:size]) or 0
                except OSError:
                    break
    return written


def call_time(events: Path) -> float:
    """How far the call has got, from the event log."""
    try:
        lines = events.read_text(encoding="utf-8").splitlines()
    except OSError:
        return 0.0
    for line in reversed(lines):
        try:
            return float(json.loads(line)["t"])
        except (ValueError, KeyError):
            continue
    return 0.0


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("dir", type=Path, help="a folder that is a small filesystem of its own")
    p.add_argument("--fill-at", type=float, default=40.0, help="call second at which the disk fills (default 40)")
    p.add_argument("--free-at", type=float, default=0.0, help="call second at which it is freed (default 0: never)")
    p.add_argument("--speed", type=float, default=2.0, help="replay speed (default 2)")
    a = p.parse_args()
    db = a.dir / "s.db"
    for old in a.dir.glob("s.db*"):
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        events = Path(tmp) / "events.jsonl"
        said_out, said_err = Path(tmp) / "out.txt", Path(tmp) / "err.txt"
        with open(said_out, "w") as out_file, open(said_err, "w") as err_file:
            run = subprocess.Popen([sys.executable, "-m", "copilot", "live", "--replay", str(sample_call()),
                                    "--headless", "--speed", str(a.speed), "--db", str(db), "--events", str(events)],
                                   stdout=out_file, stderr=err_file, text=True)
        filled_at = freed_at = None
        while run.poll() is None:
            t = call_time(events)
            if filled_at is None and t >= a.fill_at:
                size = fill(a.dir)
                filled_at = t
                print(f"the disk filled at {t:.1f} s of the call ({size / 1024:.0f} KiB of filler)")
            if filled_at is not None and freed_at is None and a.free_at and t >= a.free_at:
                (a.dir / "filler").unlink()
                freed_at = t
                print(f"the space was freed at {t:.1f} s of the call")
            time.sleep(0.05)
        run.wait()
        out, err = said_out.read_text(encoding="utf-8"), said_err.read_text(encoding="utf-8")
        (a.dir / "filler").unlink(missing_ok=True)
        logged = [json.loads(line) for line in events.read_text(encoding="utf-8").splitlines()]
    print(f"copilot live exited with {run.returncode}")
    said = [line for line in (out + err).splitlines() if "sav" in line.lower() or "disk" in line.lower()]
    print("what the terminal said about saving:" + "".join(f"\n    {line}" for line in said))
    after = [e for e in logged if e["type"] == "prompt" and filled_at is not None and e["t"] > filled_at]
    print(f"prompts after the disk filled: {len(after)} (of {sum(e['type'] == 'prompt' for e in logged)})")
    with SessionStore(db) as store:
        (row,) = store.sessions()
        kept = store.load(row.id)
    last = max([s.end for s in kept.spans] + [s.end for s in kept.segments], default=0.0)
    print(f"the store keeps the call as {row.ended or 'recording'}: {row.duration_s:.1f} s long, speech and "
          f"transcript up to {last:.1f} s ({len(kept.spans)} stretches of speech, {len(kept.segments)} sentences, "
          f"{len(kept.flags)} flags, {len(kept.prompts)} prompts)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
