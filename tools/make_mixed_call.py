"""Assemble a mixed (mono) call from real single-speaker recordings with known turns, and its truth.

Diarization cannot be tested on synthetic voices (speaker models find espeak's voices
nearly identical), so the mixed-call tests use real human speech: LibriSpeech utterances
(CC BY 4.0), ten speakers of test-other with ten utterances each, as kept in the
Resemblyzer repository's ``audio_data``. A call takes turns between the voices given:
each turn is one utterance (cut at a pause to at most ``--max-turn`` seconds), a gap or a
short overlap between turns. Beside the mono Opus file go ``NAME.truth.json`` (every turn:
who, when; the first voice is the rep) and ``NAME.rep.opus``: a clip of the rep from
utterances the call does not use ("a clip of the rep from elsewhere").

    python tools/make_mixed_call.py LIBRISPEECH_DIR out.opus --voices 2033 2414 --seed 1
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_call import RATE, write_opus  # noqa: E402


def load(path: Path) -> np.ndarray:
    from copilot.audio.decode import decode

    return decode(path, mono=True)[0]


def trimmed(x: np.ndarray) -> np.ndarray:
    """Without the recording's leading and trailing silence."""
    frame = RATE // 100
    n = len(x) // frame
    e = np.sqrt((x[: n * frame].reshape(n, frame) ** 2).mean(axis=1))
    loud = np.flatnonzero(e > max(0.01, 0.1 * e.max()))
    return x[loud[0] * frame: (loud[-1] + 1) * frame]


def cut_at_pause(x: np.ndarray, max_s: float) -> np.ndarray:
    """At most ``max_s`` seconds, ending at the quietest 100 ms of the last third."""
    if len(x) <= max_s * RATE:
        return x
    frame = RATE // 10
    end = int(max_s * RATE)
    lo = int(end * 2 / 3)
    energies = [float((x[i: i + frame] ** 2).mean()) for i in range(lo, end - frame, frame // 2)]
    cut = lo + int(np.argmin(energies)) * frame // 2 + frame // 2
    return trimmed(x[:cut])


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("librispeech", type=Path, help="folder with SPEAKER/*.flac")
    p.add_argument("out", type=Path)
    p.add_argument("--voices", nargs="+", required=True, help="speaker ids; the first is the rep")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--turns", type=int, default=14)
    p.add_argument("--max-turn", type=float, default=12.0, help="longest turn, seconds")
    p.add_argument("--rep-weight", type=float, default=1.0, help="how much longer the rep's turns run")
    a = p.parse_args(argv)
    rng = np.random.default_rng(a.seed)
    files = {v: sorted((a.librispeech / v).glob("*.flac")) for v in a.voices}
    order = {v: list(rng.permutation(len(fs))) for v, fs in files.items()}
    # The rep's clip "from elsewhere": the last two of the rep's utterances in this order, never in the call.
    clip_ids = order[a.voices[0]][-2:]
    order[a.voices[0]] = order[a.voices[0]][:-2]
    pieces: list[tuple[str, int, np.ndarray]] = []
    at = int(0.5 * RATE)
    prev = None
    for t in range(a.turns):
        choices = [v for v in a.voices if v != prev] if len(a.voices) > 1 else a.voices
        who = str(choices[t % len(choices)] if len(a.voices) == 2 else rng.choice(choices))
        if not order[who]:
            break
        x = trimmed(load(files[who][order[who].pop(0)]))
        longest = a.max_turn * (a.rep_weight if who == a.voices[0] else 1.0)
        x = cut_at_pause(x, float(rng.uniform(0.4, 1.0) * longest))
        gap = float(rng.choice([rng.uniform(0.3, 1.2), rng.uniform(-0.4, -0.1)], p=[0.85, 0.15]))
        start = max(int(0.5 * RATE), at + int(gap * RATE)) if pieces else at
        pieces.append((who, start, x))
        at = start + len(x)
        prev = who
    total = at + RATE
    mono = np.zeros(total, np.float32)
    lines = []
    for who, start, x in pieces:
        mono[start: start + len(x)] += 0.6 * x / (np.abs(x).max() + 1e-9)
        role = "rep" if who == a.voices[0] else "prospect"
        lines.append({"speaker": role, "voice": who, "start": round(start / RATE, 3),
                      "end": round((start + len(x)) / RATE, 3), "text": "", "directive": False})
    mono += np.random.default_rng(a.seed + 50).normal(0, 10 ** (-60 / 20), total).astype(np.float32)
    write_opus(np.stack([mono, mono], axis=1), a.out, bitrate=48_000)
    clip = np.concatenate([trimmed(load(files[a.voices[0]][i])) for i in clip_ids])[: 20 * RATE]
    rep_clip = a.out.with_name(a.out.name.split(".")[0] + ".rep.opus")
    write_opus(np.stack([clip, clip], axis=1), rep_clip, bitrate=32_000)
    truth = {"audio": a.out.name, "mixed": True, "voices": a.voices, "rep_voice": a.voices[0],
             "source": "LibriSpeech test-other (CC BY 4.0), via the Resemblyzer repository's audio_data",
             "duration_s": round(total / RATE, 3), "lines": lines}
    out_truth = a.out.with_name(a.out.name.split(".")[0] + ".truth.json")
    out_truth.write_text(json.dumps(truth, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {a.out} ({total / RATE:.0f} s, {len(lines)} turns), {rep_clip.name}, {out_truth.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
