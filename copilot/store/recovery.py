"""Sessions whose recording died (a crash, ``kill -9``, a laptop that ran out of battery) are finished later.

A live session is written as it happens but gets its length and talk numbers only when
it ends. Each session names the process recording it (host and pid); whenever a store
is opened, a session still marked as recording whose process is gone is finished from
what was stored (its speech and transcript up to the last write) and marked "ended
unexpectedly". A session another process is still recording is left alone, and so is one
this process is recording (:func:`recording`); one this process stopped recording without
finishing it (the disk was full at the end of the call) is finished like a dead process's.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from copilot.core.events import Segment, SpeechSpan
from copilot.core.session import recorded_talk

__all__ = ["this_process", "finish_unfinished", "is_running", "recording"]

_recording: set[str] = set()  # the sessions this process is recording now
_lock = threading.Lock()


def this_process() -> str:
    """How a session names the process recording it: ``host:pid``."""
    return f"{socket.gethostname()}:{os.getpid()}"


@contextmanager
def recording(session_id: str) -> Iterator[None]:
    """While the body runs, this process is recording ``session_id``: no store opened meanwhile finishes it."""
    with _lock:
        _recording.add(session_id)
    try:
        yield
    finally:
        with _lock:
            _recording.discard(session_id)


def is_running(owner: str, session_id: str | None = None) -> bool:
    """True if the recording process may still be running (or cannot be checked from here); for this
    process, if it is still recording ``session_id``."""
    if owner == this_process() and session_id is not None:
        with _lock:
            return session_id in _recording
    host, _, pid = owner.rpartition(":")
    if not pid.isdigit():
        return False  # written before sessions named their process
    if host != socket.gethostname():
        return True  # another machine's: not ours to judge
    return _alive(int(pid))


def _alive(pid: int) -> bool:
    if sys.platform == "win32":  # os.kill(pid, 0) would end the process there
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined,unused-ignore]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, under another user
    return True


def finish_unfinished(db: sqlite3.Connection) -> list[str]:
    """Finish every session whose recording process is gone (each in its own transaction); returns their ids."""
    done: list[str] = []
    for sid, owner in db.execute("SELECT id, owner FROM sessions WHERE ended = ''").fetchall():
        if is_running(str(owner), str(sid)):
            continue
        spans = [SpeechSpan(sp, a, b) for sp, a, b in db.execute(
            'SELECT speaker, start, "end" FROM speech_spans WHERE session_id = ?', (sid,))]
        segments = [Segment(sp, a, b, text) for sp, a, b, text in db.execute(
            'SELECT speaker, start, "end", text FROM segments WHERE session_id = ?', (sid,))]
        end = max([s.end for s in spans] + [s.end for s in segments], default=0.0)
        talk = recorded_talk(spans, segments, end)
        try:
            db.execute("BEGIN IMMEDIATE")
            db.execute("UPDATE sessions SET duration_s = ?, rep_share = ?, talk = ?, ended = 'unexpectedly' "
                       "WHERE id = ? AND ended = ''", (end, talk.rep_share if spans else None,
                                                       json.dumps(talk.as_json()), sid))
            db.execute("COMMIT")
        except sqlite3.Error:
            # A full disk or a store another program holds: it is finished the next time. Reading
            # the store (the list of calls, a report) must not fail for it.
            if db.in_transaction:
                db.execute("ROLLBACK")
            continue
        done.append(str(sid))
    return done
