"""The live path against a real PulseAudio server: sources by name, a call played through it, a mic unplugged.

The sample call's two sides are played with ``paplay``: the rep's into the virtual
microphone, the prospect's into the speakers, whose monitor is the call audio.
"""

from __future__ import annotations

import json
import os
import signal
import statistics
import subprocess
import sys
import time
import wave
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from copilot.core.events import Flag
from copilot.scripted.truth import load_truth, score_flags
from tests.sound_server import SoundServer
from tests.wavs import ROOT, SAMPLE, first_seconds, sample_call


def sides(folder: Path, seconds: float | None = None) -> dict[str, Path]:
    """The sample call's rep and prospect (or their first ``seconds``) as two mono WAV files to play."""
    audio = sample_call() if seconds is None else first_seconds(sample_call(), seconds)
    out = {}
    for who, track in (("rep", audio.rep), ("prospect", audio.prospect)):
        out[who] = folder / f"{who}.wav"
        with wave.open(str(out[who]), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(16_000)
            w.writeframes((np.clip(track, -1, 1) * 32767).astype("<i2").tobytes())
    return out


def copilot_on(server: SoundServer, *args: str, **kw: Any) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "copilot", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=ROOT, env=os.environ | server.env | {"PYTHONFAULTHANDLER": "1"}, **kw)


def live(server: SoundServer, tmp_path: Path) -> subprocess.Popen[str]:
    """`copilot live` on the virtual mic and the monitor of the speakers, once it says it is listening."""
    proc = copilot_on(server, "live", "--mic", "virtual_mic", "--call", "speakers.monitor", "--headless",
                      "--db", str(tmp_path / "s.db"), "--events", str(tmp_path / "events.jsonl"))
    assert proc.stderr is not None
    said = [proc.stderr.readline() for _ in range(3)]  # the consent notice and its line first, then this
    if not said[-1].startswith("Listening: you on Virtual_microphone, the call on Monitor of Speakers"):
        proc.kill()
        proc.communicate()
        raise AssertionError("".join(said))
    assert said[0].startswith("Before you coach a real call") and said[1].strip().startswith('"'), said
    return proc


def play_the_call(server: SoundServer, tmp_path: Path, seconds: float | None = None,
                  after_s: float = 0.0) -> tuple[subprocess.Popen[str], list[subprocess.Popen[bytes]]]:
    """`copilot live` listening, then (``after_s`` later) the sample's rep side (or its first ``seconds``) played into
    the mic, its prospect side to the speakers."""
    wavs = sides(tmp_path, seconds)
    proc = live(server, tmp_path)
    time.sleep(after_s)
    return proc, [server.play("mic_feed", wavs["rep"]), server.play("speakers", wavs["prospect"])]


def ctrl_c_when_played(proc: subprocess.Popen[str], players: list[subprocess.Popen[bytes]]) -> tuple[str, str]:
    """Wait for the playback to end, press Ctrl-C on `copilot live` 2 s later; its output, once it ended cleanly."""
    for p in players:
        p.wait(timeout=300)
    time.sleep(2.0)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    return out, err


def events(tmp_path: Path) -> list[dict[str, Any]]:
    lines = (tmp_path / "events.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.endswith("}")]


def wait_until(check: Callable[[], bool], limit_s: float) -> bool:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.25)
    return False


def test_devices_lists_the_monitor_as_call_audio_and_the_virtual_mic_as_microphone(sound_server: SoundServer) -> None:
    proc = copilot_on(sound_server, "devices")
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    lines = {line.split()[0]: line for line in out.splitlines() if line.strip() and not line.startswith("Use")}
    assert "call audio" in lines["speakers.monitor"] and "Monitor of Speakers" in lines["speakers.monitor"]
    assert "microphone (default)" in lines["virtual_mic"]


@pytest.mark.e2e
def test_a_call_played_through_the_server_is_coached_like_the_replay_and_ctrl_c_keeps_it(
        sound_server: SoundServer, tmp_path: Path) -> None:
    out, err = ctrl_c_when_played(*play_the_call(sound_server, tmp_path))
    assert "Traceback" not in err and "of the talk" in out
    truth = load_truth(SAMPLE)
    got = events(tmp_path)
    # The playback started a moment after the capture: line the call's clock up on the rep's lines, by the median
    # gap between each start the voice activity heard and the nearest line's start (the first start alone is not
    # enough: its padding is cut at 0 s).
    line_starts = [line.start for line in truth.lines if line.speaker == "rep"]
    heard = [e["t"] for e in got if e["type"] == "speech" and e["speaker"] == "rep" and e["state"] == "start"]
    offset = statistics.median(t - min(line_starts, key=lambda s: abs(s - t)) for t in heard)
    flags = [Flag(e["speaker"], e["start"] - offset, e["end"] - offset, e["category"], e["match"], e["text"], "")
             for e in got if e["type"] == "flag" and not e.get("revised")]
    score = score_flags(truth, flags)
    assert score.caught >= 3, score.missed
    listed = json.loads(subprocess.run([sys.executable, "-m", "copilot", "sessions", "--db", str(tmp_path / "s.db"),
                                        "--json"], capture_output=True, text=True, cwd=ROOT).stdout)
    (row,) = listed
    assert row["ended"] == "finished" and row["duration_s"] >= truth.duration_s
    assert abs(row["rep_share"] - truth.talk()["rep_share"]) < 0.02


@pytest.mark.e2e
def test_the_buyers_lines_and_the_reps_are_placed_on_one_clock(sound_server: SoundServer, tmp_path: Path) -> None:
    """The two devices deliver their first blocks at different moments (the test server's microphone after 1.7 s,
    the speakers' monitor after 2.1 s); each side's lines must still land where they were said, or who answered
    whom and the echo canceller's pairing are off by the difference."""
    # Four lines of the rep and three of the buyer, played 4 s after "Listening" (both devices deliver by then).
    ctrl_c_when_played(*play_the_call(sound_server, tmp_path, seconds=26.0, after_s=4.0))
    truth = load_truth(SAMPLE)
    got = events(tmp_path)

    def starts(who: str) -> tuple[list[float], list[float]]:
        said = [line.start for line in truth.lines if line.speaker == who and line.start < 24.0]
        heard = [float(e["t"]) for e in got if e["type"] == "speech" and e["speaker"] == who and e["state"] == "start"]
        return said, heard

    def offset(who: str, guess: float) -> float:
        """How far after the script's times this side's lines began (the median over the starts heard within a
        second of a line's start once shifted by ``guess``; a pause inside a line starts its speech again)."""
        said, heard = starts(who)
        gaps = [t - min(said, key=lambda s: abs(s + guess - t)) for t in heard]
        return statistics.median(g for g in gaps if abs(g - guess) < 1.0)

    said, heard = starts("rep")
    rep = offset("rep", heard[0] - said[0])
    buyer = offset("prospect", rep)
    assert 3.0 < rep < 6.0, rep  # the call started some 4 s into the session
    assert abs(rep - buyer) < 0.2, (rep, buyer)


@pytest.mark.e2e
def test_an_unplugged_mic_is_said_and_never_replaced_by_another_source(
        sound_server: SoundServer, tmp_path: Path) -> None:
    proc, players = play_the_call(sound_server, tmp_path)
    assert wait_until(lambda: any(e["t"] >= 20.0 for e in events(tmp_path)), 60)
    sound_server.unplug_mic()
    unplugged = max(e["t"] for e in events(tmp_path))
    assert wait_until(lambda: any(e["type"] == "device" and "Your microphone" in e["message"]
                                  for e in events(tmp_path)), 20)
    assert wait_until(lambda: max(e["t"] for e in events(tmp_path)) >= unplugged + 25.0, 60)
    # The prospect kept talking on the speakers; none of it may be heard as the rep's.
    rep_speech = [e for e in events(tmp_path) if e["type"] == "speech" and e["speaker"] == "rep"
                  and e["state"] == "start" and e["t"] > unplugged + 1.0]
    assert rep_speech == []
    sound_server.plug_mic()
    assert wait_until(lambda: any(e["type"] == "device" and "is back" in e["message"] for e in events(tmp_path)), 20)
    for p in players:
        p.kill()
        p.wait()
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err


@pytest.mark.e2e
def test_a_server_restart_mid_call_is_survived(sound_server: SoundServer, tmp_path: Path) -> None:
    wavs = sides(tmp_path)
    proc = live(sound_server, tmp_path)
    try:
        player = sound_server.play("speakers", wavs["prospect"])
        assert wait_until(lambda: any(e["t"] >= 10.0 for e in events(tmp_path)), 60)
        player.kill()
        player.wait()
        sound_server.stop()
        assert wait_until(lambda: any(e["type"] == "device" for e in events(tmp_path)), 20), \
            what_it_said(proc, tmp_path)
        sound_server.start()
        assert wait_until(lambda: sum("is back" in e.get("message", "") for e in events(tmp_path)) == 2, 30), \
            what_it_said(proc, tmp_path)
        heard = max(e["t"] for e in events(tmp_path))
        player = sound_server.play("speakers", wavs["prospect"])
        assert wait_until(lambda: any(e["type"] == "speech" and e["speaker"] == "prospect" and e["t"] > heard
                                      for e in events(tmp_path)), 60)  # the call audio is heard again
        player.kill()
        player.wait()
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
    finally:
        if proc.poll() is None:  # a failed check: no process left behind for the next test to trip on
            proc.kill()
            proc.communicate()


def what_it_said(proc: subprocess.Popen[str], tmp_path: Path) -> str:
    """For a check that failed: the device events ``copilot live`` wrote, and the end of what it wrote to the
    terminal, where it is aborted so that every thread's stack shows where each one waits."""
    said = [e.get("message", "") for e in events(tmp_path) if e["type"] == "device"]
    proc.send_signal(signal.SIGABRT)  # with PYTHONFAULTHANDLER set, the stacks of all threads go to stderr
    try:
        _, err = proc.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, err = proc.communicate(timeout=10)
    # Every thread's stack, not the last few: a failure in CI showed only the two readers and the main thread,
    # with the capture channels' and the pipeline's stacks cut off above them.
    dump = err.find("Fatal Python error")
    return f"device events: {said}\n{err[dump:dump + 60_000] if dump >= 0 else err[-6000:]}"
