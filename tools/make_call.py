"""Render a written call script into a two-channel recording and its ground truth.

Developers use this to make the sample calls (it needs espeak-ng and sox from Debian):

    python tools/make_call.py assets/samples/discovery_call.txt assets/samples/discovery_call.opus

Each line is synthesized with the speaker's voice, trimmed of the synthesizer's own
leading and trailing silence, and placed on the speaker's channel (rep left, prospect
right) with the gap the script asks for. A little room noise is added so neither channel
is digitally silent. Beside the audio goes ``<name>.truth.json``: every line with its
speaker, exact start and end, text and whether it is directive.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import wave
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

RATE = 16_000
_LINE = re.compile(r"^(rep|prospect)(!?)\s*([+-]\d+(?:\.\d+)?)?\s*:\s*(.+)$")
_DEFAULT_GAP = 0.6
_NOISE_DBFS = -62.0


def parse(script: str) -> tuple[dict[str, tuple[str, int]], list[dict[str, object]], str]:
    """Voices, lines and the rep's channel ("left" unless ``channels prospect rep``) of a script."""
    voices: dict[str, tuple[str, int]] = {}
    rep_channel = "left"
    lines: list[dict[str, object]] = []
    for n, raw in enumerate(script.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("channels "):
            rep_channel = "left" if line.split()[1] == "rep" else "right"
            continue
        if line.startswith("voice "):
            _, who, voice, wpm = line.split()
            voices[who] = (voice, int(wpm))
            continue
        m = _LINE.match(line)
        if not m:
            raise SystemExit(f"line {n}: cannot read {line!r}")
        gap = float(m.group(3)) if m.group(3) else _DEFAULT_GAP
        lines.append({"speaker": m.group(1), "directive": bool(m.group(2)), "gap": gap, "text": m.group(4)})
    return voices, lines, rep_channel


def synthesize(text: str, voice: str, wpm: int) -> np.ndarray:
    """One line spoken by espeak-ng at 16 kHz, trimmed to where the voice is."""
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "line.wav"
        out = Path(tmp) / "line16.wav"
        subprocess.run(["espeak-ng", "-v", voice, "-s", str(wpm), "-w", str(raw), text], check=True)
        subprocess.run(["sox", str(raw), "-r", str(RATE), "-b", "16", str(out)], check=True)
        with wave.open(str(out)) as w:
            pcm = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16).astype(np.float32) / 32768.0
    loud = np.flatnonzero(np.abs(pcm) > 0.01)
    return pcm[loud[0] : loud[-1] + 1] * 0.7


def write_opus(stereo: np.ndarray, out_path: Path, bitrate: int = 64_000) -> None:
    """Encode (samples, 2) float audio at 16 kHz as Opus in an Ogg file."""
    import av

    with av.open(str(out_path), "w", format="ogg") as container:
        stream = container.add_stream("libopus", rate=48_000)
        stream.bit_rate = bitrate
        stream.layout = "stereo"
        resampler = av.AudioResampler(format="flt", layout="stereo", rate=48_000)
        step = 10 * RATE  # ten seconds at a time: one frame of an hour-long call is never written
        for at in range(0, len(stereo), step):
            frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(stereo[at : at + step].T, dtype=np.float32),
                                               format="fltp", layout="stereo")
            frame.sample_rate = RATE
            for chunk in resampler.resample(frame):
                for packet in stream.encode(chunk):
                    container.mux(packet)
        for chunk in resampler.resample(None):
            for packet in stream.encode(chunk):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)


@dataclass(frozen=True)
class Speakers:
    """The call as a rep on laptop speakers records it: the microphone also hears the prospect."""

    gain_db: float = -12.0  # the prospect's echo on the microphone, relative to the prospect
    delay_ms: float = 60.0  # speakers to microphone, direct path (plus the device's own delay)
    drift_ppm: float = 0.0  # the microphone's clock against the call audio's
    room: int = 1  # seed of the room's reflections and tail
    tail_ms: float = 150.0  # how long the room rings (to -60 dB)
    noise_dbfs: float = -55.0  # the microphone's own noise floor
    call_late_ms: float = 0.0  # the call channel recorded this much later than the microphone (its echo comes first)


def room_response(sp: Speakers) -> np.ndarray:
    """Impulse response speakers -> microphone: a direct path, four early reflections and a decaying tail."""
    rng = np.random.default_rng(sp.room)
    direct = int(sp.delay_ms * RATE / 1000)
    h = np.zeros(direct + int(sp.tail_ms * RATE / 1000) + 1, np.float32)
    h[direct] = 1.0
    for _ in range(4):
        at = direct + int(rng.uniform(3, 30) * RATE / 1000)
        h[at] += rng.uniform(0.2, 0.6) * rng.choice([-1.0, 1.0])
    n = len(h) - direct
    t = np.arange(n) / RATE
    tail = rng.normal(0.0, 1.0, n) * np.exp(-6.9 * t / (sp.tail_ms / 1000)) * 0.08
    h[direct:] += tail.astype(np.float32)
    return h


def add_speaker_echo(rep: np.ndarray, prospect: np.ndarray, sp: Speakers) -> np.ndarray:
    """The rep's microphone on speakers: the rep, the prospect through the room, and noise."""
    played = prospect
    if sp.drift_ppm:
        at = np.arange(len(prospect)) * (1.0 + sp.drift_ppm * 1e-6)
        played = np.interp(at, np.arange(len(prospect)), prospect, right=0.0).astype(np.float32)
    h = room_response(sp)
    size = 1 << int(np.ceil(np.log2(len(played) + len(h))))
    echo = np.fft.irfft(np.fft.rfft(played, size) * np.fft.rfft(h, size), size)[: len(rep)]
    echo *= 10 ** (sp.gain_db / 20)
    rng = np.random.default_rng(sp.room + 100)
    noise = rng.normal(0.0, 10 ** (sp.noise_dbfs / 20), len(rep))
    return (rep + echo + noise).astype(np.float32)


def render(script_path: Path, out_path: Path, speakers: Speakers | None = None, bitrate: int = 64_000) -> None:
    voices, lines, rep_channel = parse(script_path.read_text(encoding="utf-8"))
    rng = np.random.default_rng(7)
    placed: list[tuple[dict[str, object], int, np.ndarray]] = []
    cursor = 0.5  # a little room tone before the first word
    prev_end = cursor
    for line in lines:
        voice, wpm = voices[str(line["speaker"])]
        pcm = synthesize(str(line["text"]), voice, wpm)
        start = prev_end + float(line["gap"]) if placed else cursor  # type: ignore[arg-type]
        first = int(round(start * RATE))
        placed.append((line, first, pcm))
        # A line that talks over the previous one (a backchannel) does not move the cursor back.
        prev_end = max(prev_end, (first + len(pcm)) / RATE)
    total = int((prev_end + 1.0) * RATE)
    tracks = {"rep": np.zeros(total, np.float32), "prospect": np.zeros(total, np.float32)}
    truth_lines = []
    for line, first, pcm in placed:
        tracks[str(line["speaker"])][first : first + len(pcm)] += pcm
        truth_lines.append({"speaker": line["speaker"], "start": round(first / RATE, 3),
                            "end": round((first + len(pcm)) / RATE, 3), "text": line["text"],
                            "directive": line["directive"]})
    if speakers is not None:
        tracks["rep"] = add_speaker_echo(tracks["rep"], tracks["prospect"], speakers)
        late = int(speakers.call_late_ms * RATE / 1000)
        if late:  # the recorder took the call audio late: the prospect's words come later on its channel
            tracks["prospect"] = np.concatenate([np.zeros(late, np.float32), tracks["prospect"][:-late]])
            for t in truth_lines:
                if t["speaker"] == "prospect":
                    t["start"] = round(float(t["start"]) + late / RATE, 3)  # type: ignore[arg-type]
                    t["end"] = round(float(t["end"]) + late / RATE, 3)  # type: ignore[arg-type]
    noise = 10 ** (_NOISE_DBFS / 20)
    order = ["rep", "prospect"] if rep_channel == "left" else ["prospect", "rep"]
    stereo = np.stack([tracks[order[0]], tracks[order[1]]], axis=1)
    stereo += rng.normal(0.0, noise, stereo.shape).astype(np.float32)
    write_opus(np.clip(stereo, -1, 1), out_path, bitrate)
    truth: dict[str, object] = {"audio": out_path.name, "script": script_path.name, "rep_channel": rep_channel,
                                "duration_s": round(total / RATE, 3), "lines": truth_lines}
    if speakers is not None:
        truth["speakers"] = asdict(speakers)
    truth_path = out_path.with_name(out_path.name.split(".")[0] + ".truth.json")
    truth_path.write_text(json.dumps(truth, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out_path} ({out_path.stat().st_size // 1024} KB, {total / RATE:.1f} s) and {truth_path}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("script", type=Path)
    p.add_argument("out", type=Path, help="audio file to write (Ogg Opus, e.g. call.opus)")
    p.add_argument("--speakers", action="store_true",
                   help="record the rep's side as on laptop speakers: the microphone hears the prospect too")
    p.add_argument("--gain-db", type=float, default=Speakers.gain_db, help="the prospect's echo on the microphone")
    p.add_argument("--delay-ms", type=float, default=Speakers.delay_ms, help="speakers to microphone")
    p.add_argument("--drift-ppm", type=float, default=Speakers.drift_ppm, help="the two devices' clocks apart")
    p.add_argument("--room", type=int, default=Speakers.room, help="seed of the room's reflections")
    p.add_argument("--tail-ms", type=float, default=Speakers.tail_ms, help="how long the room rings")
    p.add_argument("--call-late-ms", type=float, default=Speakers.call_late_ms,
                   help="the call channel recorded this much after the microphone (its echo comes first)")
    p.add_argument("--bitrate", type=int, default=64_000,
                   help="Opus bits per second (32000 keeps a long call small; speech still decodes well)")
    a = p.parse_args(argv)
    speakers = (Speakers(a.gain_db, a.delay_ms, a.drift_ppm, a.room, a.tail_ms, call_late_ms=a.call_late_ms)
                if a.speakers else None)
    render(a.script, a.out, speakers, a.bitrate)
    return 0


if __name__ == "__main__":
    sys.exit(main())
