"""The rep's voice profile: a voiceprint of the rep, kept on this machine, to find them in mixed recordings.

It is 256 numbers (the mean voiceprint of the rep's speech), not audio: the words cannot
be heard back from it. It is made from a recording of the rep (``copilot voice set FILE``)
or, when the rep agreed to it in the control window, learned from the microphone of their
live sessions. It lives in ``voice.json`` in the user data folder, is shown by
``copilot voice`` and deleted by ``copilot voice clear``; it never leaves the machine.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import numpy.typing as npt

from copilot.core.facts import SAMPLE_RATE
from copilot.errors import UserError
from copilot.store.private import data_folder, private_dir, write_private_text
from copilot.voices.embedder import DIM, VoiceEmbedder

__all__ = ["VoiceProfile", "ProfileError", "default_profile_path", "load_profile", "save_profile", "voiceprint_of",
           "MIN_SPEECH_S"]

MIN_SPEECH_S = 3.0  # less speech than this makes no reliable voiceprint
_MAX_SPEECH_S = 120.0

Samples = npt.NDArray[np.float32]


class ProfileError(UserError):
    """The voice profile or the rep's sample could not be read, made or written; the message says why."""


@dataclass(frozen=True)
class VoiceProfile:
    """A voiceprint of the rep and what it was made from."""

    voiceprint: npt.NDArray[np.float32]
    speech_s: float  # seconds of the rep's speech behind it
    source: str  # "a recording (NAME)" or "your live sessions"
    updated: str  # ISO time
    sessions: int = 0  # live sessions it learned from


def default_profile_path() -> Path:
    """voice.json in the user's data folder, beside the sessions database."""
    return data_folder() / "voice.json"


def voiceprint_of(samples: Samples, embedder: VoiceEmbedder) -> tuple[npt.NDArray[np.float32], float]:
    """The voiceprint of one person's recording (its speech only, up to two minutes) and its seconds of speech."""
    from copilot.audio.vad import speech_spans

    spans = speech_spans("rep", samples)
    pieces = [samples[int(s.start * SAMPLE_RATE): int(s.end * SAMPLE_RATE)] for s in spans]
    speech = np.concatenate(pieces)[: int(_MAX_SPEECH_S * SAMPLE_RATE)] if pieces else np.zeros(0, np.float32)
    seconds = len(speech) / SAMPLE_RATE
    if seconds < MIN_SPEECH_S:
        raise ProfileError(f"The recording has {seconds:.1f} s of speech; a voiceprint needs at least "
                           f"{MIN_SPEECH_S:.0f} s of you talking.")
    return embedder.voice(speech), seconds


def load_profile(path: Path) -> VoiceProfile | None:
    """The stored profile, or None when there is none."""
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        with np.errstate(over="ignore", invalid="ignore"):  # a number past float32 becomes inf, refused below
            vp = np.asarray(data["voiceprint"], dtype=np.float32)
        if vp.shape != (DIM,) or not np.isfinite(vp).all():
            raise ValueError("not a voiceprint")
        return VoiceProfile(vp / (np.linalg.norm(vp) + 1e-12), float(data.get("speech_s", 0.0)),
                            str(data.get("source", "")), str(data.get("updated", "")), int(data.get("sessions", 0)))
    except OSError as e:
        raise ProfileError(f"Your voice profile {path} cannot be read ({e.strerror or e}); `copilot voice clear` "
                           "deletes it.") from None
    except (ValueError, KeyError, TypeError, AttributeError):
        raise ProfileError(f"Your voice profile {path} is damaged or is not a voice profile; `copilot voice clear` "
                           "deletes it, and `copilot voice set FILE` makes a new one.") from None


def save_profile(profile: VoiceProfile, path: Path) -> None:
    """Write the profile (a small JSON file), or raise ProfileError."""
    data = {"voiceprint": [round(float(x), 6) for x in profile.voiceprint], "speech_s": round(profile.speech_s, 1),
            "source": profile.source, "updated": profile.updated, "sessions": profile.sessions,
            "what": "a voiceprint of the rep (256 numbers, not audio), to find them in mixed recordings"}
    try:
        private_dir(path.parent)
        write_private_text(path, json.dumps(data) + "\n")
    except OSError as e:
        raise ProfileError(f"Your voice profile could not be saved to {path}: {e.strerror or e}.") from None


def learned(old: VoiceProfile | None, voiceprint: npt.NDArray[np.float32], speech_s: float) -> VoiceProfile:
    """The profile after one more live session: the voiceprints averaged, weighted by speech."""
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    if old is None or old.sessions == 0:
        return VoiceProfile(voiceprint, speech_s, "your live sessions", now, 1)
    w = min(old.speech_s, 600.0)  # the profile keeps adapting: at most ten minutes of weight behind it
    mean = (old.voiceprint * w + voiceprint * speech_s) / (w + speech_s)
    return VoiceProfile((mean / (np.linalg.norm(mean) + 1e-12)).astype(np.float32), old.speech_s + speech_s,
                        "your live sessions", now, old.sessions + 1)
