"""``copilot bench store``, second half: the power cut, as ``kill -9`` of a process writing the store.

Each round starts a writer process on the store file that records calls without pause:
a live call through the real :class:`StoreWriter` (its events as fast as they come, a
commit every 2 s of the call) and its end as ``copilot live`` writes it, then the same call
saved as an analysis, then the call an hour long saved as an analysis. After each session
is saved the writer says so on a pipe. At a random moment the writer is killed
(``SIGKILL``: no clean-up of any kind). Then the store is opened as the next command would
open it, and checked: it opens, SQLite's integrity check passes, every session the writer
said was saved is there with all its rows, no analysis is half there, and the call that was
being recorded is finished from what was stored ("ended unexpectedly").
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import signal
import time
from pathlib import Path
from typing import Any

from copilot.bench.store_calls import CallResults
from copilot.bench.store_together import stored_counts

__all__ = ["kill_round", "check_all"]


def kill_round(db: Path, sample: CallResults, hour: CallResults, rng: random.Random, max_wait_s: float,
               claimed: dict[str, dict[str, int]]) -> dict[str, Any]:
    """Start a writer, kill it after up to ``max_wait_s``, check the store; ``claimed`` gathers every session said
    saved (this round's are checked row by row, the earlier ones by their listing)."""
    from copilot.store.sqlite import SessionStore, StoreError

    ctx = multiprocessing.get_context("spawn")
    receive, send = ctx.Pipe(duplex=False)
    writer = ctx.Process(target=_write_calls, args=(str(db), sample, hour, send), name="writer")
    writer.start()
    send.close()
    if not receive.poll(60):
        writer.kill()
        writer.join()
        return {"opened": False, "problems": ["the writer did not start within a minute"]}
    receive.recv_bytes()  # ready: the store is open and writing starts now
    waited = rng.uniform(0.0, max_wait_s)
    time.sleep(waited)
    os.kill(writer.pid or 0, signal.SIGKILL)
    writer.join()
    said: dict[str, dict[str, int]] = {}
    try:
        while receive.poll(0):
            sid, counts = json.loads(receive.recv_bytes())
            said[sid] = counts
    except (EOFError, OSError):
        pass  # killed while writing a message: the message was never sent
    receive.close()
    problems: list[str] = []
    try:
        with SessionStore(db) as store:
            integrity = store.db.execute("PRAGMA integrity_check").fetchone()[0]
            if integrity != "ok":
                problems.append(f"integrity check: {integrity}")
            for sid, want in said.items():
                have = stored_counts(store, sid)
                if have != {**want, "ended": "finished"}:
                    problems.append(f"{sid}: wrote {want}, the store has {have}")
            rows = {r.id: r for r in store.sessions()}
    except StoreError as e:
        return {"opened": False, "problems": [str(e)], "waited_s": waited, "saved": len(said)}
    lost = [sid for sid in claimed if sid not in rows or rows[sid].ended != "finished"]
    problems += [f"{sid}: saved in an earlier round, now missing or unfinished" for sid in lost]
    half = [r.id for r in rows.values() if r.kind == "analyze" and r.ended != "finished"]
    problems += [f"{sid}: an analysis half saved" for sid in half]
    recording = [r.id for r in rows.values() if r.ended == ""]
    problems += [f"{sid}: still marked as recording after its writer died" for sid in recording]
    claimed.update(said)
    recovered = sum(1 for r in rows.values() if r.ended_unexpectedly)
    return {"opened": True, "problems": problems, "waited_s": waited, "saved": len(said), "sessions": len(rows),
            "recovered": recovered}


def check_all(db: Path, claimed: dict[str, dict[str, int]]) -> list[str]:
    """Every session said saved over all rounds, read back row by row."""
    from copilot.store.sqlite import SessionStore

    problems = []
    with SessionStore(db) as store:
        for sid, want in claimed.items():
            have = stored_counts(store, sid)
            if have != {**want, "ended": "finished"}:
                problems.append(f"{sid}: wrote {want}, the store has {have}")
    return problems


def _write_calls(db: str, sample: CallResults, hour: CallResults, said: Any) -> None:
    """The writer process: calls recorded and analyses saved until it is killed."""
    from copilot.pipeline.events import Stamped
    from copilot.pipeline.recorded import save_end
    from copilot.pipeline.sinks import StoreWriter
    from copilot.store.sqlite import SessionStore

    store = SessionStore(db)
    said.send_bytes(b"ready")
    while True:
        # Kept as the app keeps a call, with its count of what was hidden (the sample's script: nothing).
        sid = store.create_session("microphone + call audio (bench)", "live", "scripted", hidden={})
        writer = StoreWriter(store, sid, every_s=2.0, hidden=dict)
        for at, event in sample.events:
            writer(Stamped(event, at))  # as fast as it comes: a commit every 2 s of the call
        if save_end(store, sid, writer, sample.session, sample.duration_s, hidden={}) is None and writer.failures == 0:
            said.send_bytes(json.dumps([sid, sample.counts()]).encode())
        for call in (sample, hour):
            sid = store.save_analysis(call.source, "analyze", "scripted", call.duration_s, call.talk, call.spans,
                                      call.segments, call.flags, call.prompts, supportive=call.supportive,
                                      hidden={})
            said.send_bytes(json.dumps([sid, call.counts()]).encode())
