"""The good files ``copilot bench fuzz`` starts from: each made by the app's own writers or encoders.

- audio: six seconds of the bundled sample call in the formats reps bring (WAV in 16-bit,
  float and mono, Opus, MP3, FLAC, AAC in M4A), encoded with the same library that decodes;
- rulebooks: the bundled one, a one-category one, one that teaches by example;
- settings: as the app saves them (defaults, everything changed, an older file's keys);
- voice profiles: one made by the real voiceprint model from the sample's rep, and clips of
  the rep alone for ``copilot voice set``;
- databases: a store with calls (one of them cut off mid-recording), a store at the first
  schema, an empty one, another program's SQLite file, and a store with its write-ahead log;
- marks: ``my_examples.json`` with lines marked in a stored call of the database seed.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import tempfile
import wave
from collections.abc import Callable
from dataclasses import asdict, replace
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from copilot.core.facts import SAMPLE_RATE as _RATE

__all__ = ["Seed", "audio_seeds", "rulebook_seeds", "settings_seeds", "profile_seeds", "voice_clip_seeds",
           "store_seeds", "examples_seeds", "DETECT_LINES"]

Seed = tuple[str, bytes]  # (file name, contents)

# What `copilot detect` is given while a rulebook or marks are fuzzed: directive, neutral, odd lines.
DETECT_LINES = ("The next step is a pilot with your whole team.\nWhat do you want to do next?\n"
                "Thanks for making the time today.\nYou should get your manager on the next call.\n"
                "It's your call.\n\n" + "a" * 3000 + "\n((((((((\n\U0001F600 é ß 中\n\x00\x01\n")



def _sample(seconds: float = 6.0, start_s: float = 20.0) -> npt.NDArray[np.float32]:
    """A stretch of the bundled sample call, (2, samples) at 16 kHz, with both sides talking."""
    a = int(start_s * _RATE)
    return np.array(_sample_tracks()[:, a:a + int(seconds * _RATE)])  # a copy: the seeds are changed


@cache
def _sample_tracks() -> npt.NDArray[np.float32]:
    """The bundled sample call decoded once per process (every kind of audio seed is cut from it)."""
    from copilot.audio.decode import decode
    from copilot.wiring import sample_call

    tracks = decode(sample_call(), mono=False)
    tracks.setflags(write=False)
    return tracks


def _wav(path: Path, audio: npt.NDArray[np.float32], width: int = 2) -> None:
    pcm = np.clip(audio.T, -1, 1)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(audio.shape[0])
        w.setsampwidth(width)
        w.setframerate(_RATE)
        if width == 1:
            w.writeframes(((pcm * 127) + 128).astype(np.uint8).tobytes())
        else:
            w.writeframes((pcm * 32767).astype("<i2").tobytes())


def _encode(path: Path, audio: npt.NDArray[np.float32], codec: str, rate: int, fmt: str = "fltp") -> None:
    """``audio`` (channels, samples at 16 kHz) encoded with PyAV: the library the app decodes with."""
    import av

    layout = "stereo" if audio.shape[0] == 2 else "mono"
    with av.open(str(path), "w") as out:
        stream: Any = out.add_stream(codec, rate=rate, layout=layout)
        resampler = av.AudioResampler(format=fmt, layout=layout, rate=rate)
        frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(audio, dtype=np.float32), format="fltp",
                                           layout=layout)
        frame.sample_rate = _RATE
        frames = [*resampler.resample(frame), *resampler.resample(None)]
        for f in frames:
            f.pts = None
            for packet in stream.encode(f):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)


def _made(folder: Path, name: str, write: Callable[[Path], None]) -> Seed:
    path = folder / name
    write(path)
    return name, path.read_bytes()


def audio_seeds(mono: bool = False) -> list[Seed]:
    """The sample's six seconds in every format a rep might bring (``mono``: twelve seconds of the rep's side
    alone, with the 3 s of speech a voiceprint needs). Encoded once per process: the encoders take a second."""
    return list(_encoded(mono))


@cache
def _encoded(mono: bool) -> tuple[Seed, ...]:
    audio = _sample(seconds=12.0, start_s=0.0)[:1] if mono else _sample()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        seeds = [_made(folder, "call16.wav", lambda p: _wav(p, audio)),
                 _made(folder, "call8.wav", lambda p: _wav(p, audio, 1)),
                 _made(folder, "callfloat.wav", lambda p: _encode(p, audio, "pcm_f32le", _RATE, "flt")),
                 _made(folder, "call.opus", lambda p: _encode(p, audio, "libopus", 48_000, "s16")),
                 _made(folder, "call.mp3", lambda p: _encode(p, audio, "libmp3lame", 44_100, "fltp")),
                 _made(folder, "call.flac", lambda p: _encode(p, audio, "flac", _RATE, "s16")),
                 _made(folder, "call.m4a", lambda p: _encode(p, audio, "aac", 44_100, "fltp"))]
        if not mono:
            seeds.append(_made(folder, "mixed.wav", lambda p: _wav(p, audio.mean(axis=0, keepdims=True))))
    return tuple(seeds)


def voice_clip_seeds() -> list[Seed]:
    """Clips of the rep alone, for ``copilot voice set``."""
    return audio_seeds(mono=True)


def rulebook_seeds() -> list[Seed]:
    """The bundled rulebook, one with a single category, one that teaches by example."""
    from copilot.core.rulebook import default_rules_path

    small = ('version = 1\n\n[categories.owning_the_path]\nlabel = "Owning the path"\nkind = "directive"\n'
             'prompts = ["What do you want to do next?"]\npatterns = ["the next step is", "you should"]\n'
             'exceptions = ["if you want"]\n')
    examples = ('version = 1\n\n[categories.steering]\nlabel = "Steering"\nkind = "directive"\n'
                'prompts = ["It\'s your call."]\nexamples = ["Let\'s get the contract signed this week.", '
                '"I\'d get your boss on the next call."]\nnot_examples = ["Take your time."]\n\n'
                '[categories.handing_back]\nlabel = "Handing back"\nkind = "supportive"\n'
                'patterns = ["your call", "up to you"]\n')
    return [("en.toml", default_rules_path().read_bytes()), ("small.toml", small.encode()),
            ("examples.toml", examples.encode())]


def settings_seeds(folder: Path) -> list[Seed]:
    """Settings as the app saves them: the defaults, every one changed, and an older file's keys."""
    from copilot.core.settings import CoachSettings
    from copilot.store.settings import Settings, save_settings

    changed = Settings(mic="2", call="Monitor of Built-in Audio", model="small.en", rules="/home/rep/rules.toml",
                       coach=replace(CoachSettings(), min_gap_s=45.0), overlay_locked=False, overlay_opacity=0.6,
                       overlay_x=200, overlay_y=40, consent_acknowledged=True, keep_audio=True, cpu_budget=0.8,
                       echo_cancel=False, learn_voice=True)
    seeds = [_made(folder, "defaults.toml", lambda p: save_settings(Settings(), p)),
             _made(folder, "changed.toml", lambda p: save_settings(changed, p))]
    seeds.append(("old.toml", b'mic = ""\nprompt_gap_s = 30.0\ncooldown_s = 90.0\ndominance_share = 0.7\n'
                              b"overlay_locked = true\n"))
    return seeds


def profile_seeds() -> list[Seed]:
    """A voice profile made by the real voiceprint model from ten seconds of the sample's rep (made once per
    process: the model's load and its embeddings take a few tenths of a second)."""
    return [_profile()]


@cache
def _profile() -> Seed:
    from copilot.voices.embedder import VoiceEmbedder
    from copilot.voices.profile import VoiceProfile, save_profile, voiceprint_of

    rep = _sample(seconds=12.0, start_s=0.0)[0]
    voiceprint, speech_s = voiceprint_of(rep, VoiceEmbedder())
    profile = VoiceProfile(voiceprint, speech_s, "a recording (rep.wav)", "2026-12-01T10:00:00+00:00", 2)
    with tempfile.TemporaryDirectory() as tmp:
        return _made(Path(tmp), "voice.json", lambda p: save_profile(profile, p))


def store_seeds(folder: Path) -> tuple[list[Seed], str]:
    """Session databases (one with calls; its write-ahead log as a seed of its own) and the id of a stored call."""
    from copilot.bench.store_calls import scripted_call
    from copilot.store.sqlite import MIGRATIONS, SessionStore

    call = scripted_call()
    calls = folder / "calls.db"
    with SessionStore(calls) as store:
        sid = store.save_analysis(call.source, "analyze", "tiny.en", call.duration_s, call.talk, call.spans,
                                  call.segments, call.flags, call.prompts, supportive=call.supportive)
        live = store.create_session("microphone + call audio", "live", "tiny.en")
        store.add(live, spans=call.spans[:10], segments=call.segments[:10], flags=call.flags[:2])
        store.db.execute("UPDATE sessions SET owner = 'somewhere-else:1' WHERE id = ?", (live,))
    with SessionStore(folder / "wal.db") as store:  # copied while open: the log still holds the last writes
        store.db.execute("PRAGMA wal_autocheckpoint = 0")
        store.save_analysis(call.source, "analyze", "tiny.en", call.duration_s, call.talk, call.spans,
                            call.segments, call.flags, call.prompts)
        shutil.copy(folder / "wal.db", folder / "wal-copy.db")
        shutil.copy(folder / "wal.db-wal", folder / "wal-copy.db-wal")
    old = sqlite3.connect(folder / "old.db")
    old.executescript(MIGRATIONS[0])
    old.execute("INSERT INTO sessions (id, started, source, kind) VALUES ('20250101-100000-abcd', "
                "'2025-01-01T10:00:00+00:00', 'call.wav', 'analyze')")
    old.execute("PRAGMA user_version = 1")
    old.commit()
    old.close()
    other = sqlite3.connect(folder / "other.db")
    other.executescript("CREATE TABLE sessions (id INTEGER PRIMARY KEY, cookie TEXT); "
                        "INSERT INTO sessions (cookie) VALUES ('not a call');")
    other.commit()
    other.close()
    with SessionStore(folder / "empty.db"):
        pass
    seeds = [(name, (folder / name).read_bytes()) for name in ("calls.db", "old.db", "other.db", "empty.db",
                                                                "wal-copy.db")]
    seeds.append(("wal-copy.db-wal", (folder / "wal-copy.db-wal").read_bytes()))
    return seeds, sid


def examples_seeds(session: str) -> list[Seed]:
    """``my_examples.json`` with a not-example and an example marked in ``session``, and one with no marks."""
    from copilot.core.marks import Mark

    marks = [Mark("not_example", "The next step is up to you.", "owning_the_path", session, 10.0, 12.0,
                  "The next step is", "The next step is up to you.", "What do you want to do next?",
                  "2026-12-01T10:00:00+00:00"),
             Mark("example", "Let's get the paperwork done today.", "owning_the_path", session, 30.0, 33.0,
                  "Let's get the paperwork done today.", "Let's get the paperwork done today.", "", "")]
    full = {"what": "Lines you marked in the call review", "version": 1, "marks": [asdict(m) for m in marks]}
    return [("my_examples.json", json.dumps(full, indent=1).encode()),
            ("none.json", json.dumps({"version": 1, "marks": []}).encode())]
