"""The bar of issue 27: on a fresh account with the usual umask (022), everything a rep's day with the copilot
writes is readable by its owner only: analysing a recording, coaching a call (a recording replayed live, its
audio kept), the report and its JSON, a numbers-only report, Progress, and an export with transcripts."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.wavs import SAMPLE

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")]


def listing(top: Path) -> list[tuple[str, str]]:
    """Every folder and file under ``top``: (mode as ``ls -l`` shows it, path relative to ``top``)."""
    return [(stat.filemode(p.lstat().st_mode), str(p.relative_to(top))) for p in sorted(top.rglob("*"))]


def test_a_fresh_home_with_umask_022_ends_the_day_with_every_file_owner_only(tmp_path: Path) -> None:
    home, work = tmp_path / "home", tmp_path / "work"
    home.mkdir()
    work.mkdir()
    env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home / ".local" / "share"),
           "XDG_CONFIG_HOME": str(home / ".config"), "XDG_CACHE_HOME": str(home / ".cache"),
           "XDG_STATE_HOME": str(home / ".local" / "state"), "QT_QPA_PLATFORM": "offscreen"}

    def copilot(*args: str) -> str:
        r = subprocess.run([sys.executable, "-m", "copilot", *args], capture_output=True, text=True, cwd=work,
                           env=env, timeout=600, preexec_fn=lambda: os.umask(0o022))
        assert r.returncode == 0, r.stderr
        return r.stdout

    copilot("analyze", str(SAMPLE), "--json", "analysis.json")
    copilot("live", "--replay", str(SAMPLE), "--speed", "8", "--headless", "--events", "events.jsonl",
            "--keep-audio")
    ids = [r["id"] for r in json.loads(copilot("sessions", "--json"))]
    assert len(ids) == 2
    for sid in ids:
        copilot("report", sid, "--html", f"report-{sid}.html", "--json", f"report-{sid}.json")
        copilot("report", sid, "--numbers-only", "--html", f"share-{sid}.html", "--json", f"share-{sid}.json")
    copilot("report", "--progress", "--html", "progress.html")
    copilot("export", "--with-transcripts")

    written = listing(tmp_path)
    print("\n".join(f"{m}  {p}" for m, p in written))  # the listing the issue asks for (pytest -s shows it)
    ours = [p for _m, p in written if p not in ("home", "work")]  # the two made by this test
    names = {Path(p).name for p in ours}
    assert {"sessions.db", "analysis.json", "events.jsonl", "progress.html", "sessions.csv", "segments.csv"} <= names
    assert sum(n.endswith(".wav") for n in names) == 2  # the live call's audio, both sides
    assert len([n for n in names if n.startswith(("report-", "share-"))]) == 8
    loose = [(m, p) for m, p in written if p in ours and stat.S_IMODE((tmp_path / p).lstat().st_mode) & 0o077]
    assert loose == []
