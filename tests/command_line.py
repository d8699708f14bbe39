"""The ``copilot`` command line for tests, two ways: as a process of its own (what a user starts), and through
the same entry point inside the test's process (``python -m copilot`` minus the interpreter's start).

A test whose subject is the process — its exit, what the interpreter prints, which libraries it loads, a signal,
a display that is not there — starts one. A test whose subject is what a command says and does calls it in
process: the same ``copilot.cli.main``, the same arguments, stdin, stdout and stderr as text, the exit code; only
the ~0.3–0.7 s a process spends starting Python and loading the sentence model again is not paid (that was a
fifth of the fast suite).
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import traceback
from collections.abc import Iterator, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

__all__ = ["ROOT", "copilot", "copilot_process"]


def copilot_process(*args: str, stdin: str = "", timeout: float = 120,
                    env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m copilot ARGS`` as a process of its own, run to its end."""
    return subprocess.run(
        [sys.executable, "-m", "copilot", *args], input=stdin, capture_output=True, text=True, cwd=ROOT,
        timeout=timeout, env=None if env is None else dict(env),
    )


def copilot(*args: str, stdin: str = "", env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``copilot ARGS`` through the command line's own entry point in this process: stdin given as text, stdout
    and stderr kept, the exit code returned as a process would (2 for argparse's own errors, 1 and the traceback
    on stderr for an exception that escapes, which is what a user would see). ``env`` replaces the environment
    while it runs, as a process's environment would."""
    from copilot.cli import main

    def text_stream(data: bytes = b"") -> io.TextIOWrapper:
        return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", newline="")

    streams = {"stdin": text_stream(stdin.encode("utf-8")), "stdout": text_stream(), "stderr": text_stream()}
    with _environment(env), _standard_streams(streams):
        try:
            code = main(list(args))
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        except BaseException:  # noqa: BLE001 - what escapes main is the traceback a user would see
            traceback.print_exc()
            code = 1
    out, err = (_text_of(streams[name]) for name in ("stdout", "stderr"))
    return subprocess.CompletedProcess(["copilot", *args], code, out, err)


def _text_of(stream: io.TextIOWrapper) -> str:
    stream.flush()
    buffer = stream.buffer
    assert isinstance(buffer, io.BytesIO)
    return buffer.getvalue().decode("utf-8")


@contextlib.contextmanager
def _standard_streams(streams: dict[str, io.TextIOWrapper]) -> Iterator[None]:
    was = {name: getattr(sys, name) for name in streams}
    for name, stream in streams.items():
        setattr(sys, name, stream)
    try:
        yield
    finally:
        for name, stream in was.items():
            setattr(sys, name, stream)


@contextlib.contextmanager
def _environment(env: Mapping[str, str] | None) -> Iterator[None]:
    if env is None:
        yield
        return
    was = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(was)
