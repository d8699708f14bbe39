"""Time ``copilot export`` of a large store to Parquet and check what DuckDB reads back against the store.

    python tools/measure_export.py [--calls 1000] [--db FILE] [--runs 3]

Without ``--db`` a store of ``--calls`` calls is made first (tools/make_store.py). Each run is
``copilot export --format parquet`` in its own process, as a rep runs it (wall time, start-up
included). DuckDB then reads the files, and every table's row count and every call's talk
share is compared with the session database itself (sqlite3, not the store's code): the bar
is the same counts and the same shares.
"""

from __future__ import annotations

import argparse
import json
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

from make_store import make_store  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--calls", type=int, default=1000, help="calls in the store made for the run (default 1000)")
    p.add_argument("--db", type=Path, help="an existing session database instead")
    p.add_argument("--runs", type=int, default=3, help="timed exports (default 3; the median is reported)")
    a = p.parse_args(argv)
    import duckdb

    with tempfile.TemporaryDirectory(prefix="export-") as tmp:
        db = a.db or Path(tmp) / "sessions.db"
        if a.db is None:
            t0 = time.perf_counter()
            make_store(db, a.calls, 365, seed=1)
            print(f"store: {a.calls} calls made in {time.perf_counter() - t0:.1f} s, {db.stat().st_size / 1e6:.1f} MB")
        out = Path(tmp) / "export"
        times, cpu = [], []
        for _ in range(a.runs):
            c0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            r = subprocess.run([sys.executable, "-m", "copilot", "export", "--db", str(db), "--out", str(out),
                                "--format", "parquet"], capture_output=True, text=True, cwd=ROOT)
            times.append(time.perf_counter() - t0)
            c1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(c1.ru_utime + c1.ru_stime - c0.ru_utime - c0.ru_stime)
            if r.returncode != 0:
                print(r.stderr, file=sys.stderr)
                return 1
        print(r.stdout.strip().splitlines()[0])
        size = sum(f.stat().st_size for f in out.iterdir()) / 1e6
        print(f"copilot export --format parquet: median {statistics.median(times):.2f} s of {a.runs} runs "
              f"({', '.join(f'{t:.2f}' for t in times)}; CPU median {statistics.median(cpu):.2f} s, a busy machine "
              f"stretches the wall time), {size:.1f} MB of Parquet")

        con = sqlite3.connect(db)
        stored = {"sessions": "sessions", "turns": "speech_spans", "flags": "flags", "prompts": "prompts"}
        duck = duckdb.connect()
        ok = True
        for table, source in stored.items():
            want = con.execute(f"SELECT count(*) FROM {source}").fetchone()[0]
            got = duck.execute(f"SELECT count(*) FROM '{out / table}.parquet'").fetchall()[0][0]
            note = ""
            if table == "flags":  # the rep's marks: a line marked as missed is a row more (none in a made store)
                got_found = duck.execute(f"SELECT count(*) FROM '{out}/flags.parquet' "
                                         "WHERE marked != 'added_by_rep'").fetchall()[0][0]
                note = f" ({got - got_found} added by the rep)"
                got = got_found
            ok &= want == got
            mark = "OK  " if want == got else "FAIL"
            print(f"{mark}  {table}: {got:,} rows read back by DuckDB, {want:,} stored{note}")
        shares = {sid: (share, json.loads(talk).get("rep_share"))
                  for sid, share, talk in con.execute("SELECT id, rep_share, talk FROM sessions")}
        read = dict(duck.execute(f"SELECT session_id, rep_share FROM '{out}/sessions.parquet'").fetchall())
        same = sum(1 for sid, (share, _) in shares.items() if read.get(sid) == share)
        ok &= same == len(shares)
        print(f"{'OK  ' if same == len(shares) else 'FAIL'}  talk shares: {same:,} of {len(shares):,} calls "
              "the same in DuckDB as in the store")
        from_turns = dict(duck.execute(f"""SELECT session_id, sum(duration_s) FILTER (speaker = 'rep') / sum(duration_s)
                                           FROM '{out}/turns.parquet' GROUP BY session_id""").fetchall())
        worst = max(abs(from_turns[sid] - (share or 0.0)) for sid, (share, _) in shares.items())
        print(f"      shares worked out in DuckDB from the turns: at most {worst * 100:.3f} points from the stored "
              "ones")
        overall = duck.execute(f"SELECT round(avg(rep_share), 4), count(*) FILTER (mixed), "
                               f"count(*) FILTER (kind = 'live') FROM '{out}/sessions.parquet'").fetchall()[0]
        print(f"      mean rep share {overall[0]:.1%}; {overall[1]} mixed recordings, {overall[2]} live sessions")
        con.close()
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
