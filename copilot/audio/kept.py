"""A call's audio kept on this computer (only when the rep opts in), to replay moments in the review.

Each channel goes to its own 16-bit mono WAV file beside the session database, named
after the session (``<id>.rep.wav``, ``<id>.prospect.wav``), written block by block as the
call goes. Both files start at call time 0 and the capture fills lost stretches with
silence, so a time in the transcript is the same sample offset in each. A write that fails
(a full disk) stops the recording with one notice; the coaching goes on.
"""

from __future__ import annotations

import wave
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import numpy as np
import numpy.typing as npt

from copilot.audio.decode import SAMPLE_RATE
from copilot.core.events import SPEAKERS, Speaker
from copilot.store.private import open_private_binary, private_dir

__all__ = ["CallRecorder", "kept_files", "load_kept", "ClipPlayer"]


def kept_files(base: str | Path) -> dict[Speaker, Path]:
    """The two WAV files of a kept call, by channel."""
    return {who: Path(f"{base}.{who}.wav") for who in SPEAKERS}


class CallRecorder:
    """Writes both channels of a live call to WAV files as the blocks arrive (on the coach thread)."""

    def __init__(self, base: str | Path, notice: Callable[[str], None] = lambda _m: None) -> None:
        private_dir(Path(base).parent)
        self.base = str(base)
        self.notice = notice
        self.failed = False
        self._files: dict[Speaker, Any] = {}
        self._raw: list[IO[bytes]] = []  # the files under the WAV writers (which close only what they opened)
        for who, path in kept_files(base).items():
            raw = open_private_binary(path)
            self._raw.append(raw)
            f = wave.open(raw, "wb")
            f.setnchannels(1)
            f.setsampwidth(2)
            f.setframerate(SAMPLE_RATE)
            self._files[who] = f

    def write(self, who: Speaker, samples: npt.NDArray[np.float32]) -> None:
        """One block of one channel."""
        if self.failed:
            return
        try:
            self._files[who].writeframes((np.clip(samples, -1.0, 1.0) * 32767).astype("<i2").tobytes())
        except OSError as e:
            self.failed = True
            self.notice(f"Keeping the call's audio stopped ({e.strerror or e}); the coaching and transcript go on.")

    def close(self) -> None:
        """Finish both files (their headers get their lengths)."""
        for f in [*self._files.values(), *self._raw]:
            try:
                f.close()
            except OSError:
                pass


def load_kept(base: str | Path) -> dict[Speaker, npt.NDArray[np.float32]] | None:
    """Both channels of a kept call as float samples, or None if the files are gone or unreadable."""
    out: dict[Speaker, npt.NDArray[np.float32]] = {}
    for who, path in kept_files(base).items():
        try:
            with wave.open(str(path), "rb") as f:
                raw = f.readframes(f.getnframes())
        except (OSError, EOFError, wave.Error):
            return None
        out[who] = np.frombuffer(raw, dtype="<i2").astype(np.float32) / np.float32(32767)
    return out


class ClipPlayer:
    """Plays a kept call from any moment (both sides mixed, on the default output)."""

    def __init__(self, base: str | Path, sd: Any = None) -> None:
        self.base = base
        self.sd = sd
        self._audio: dict[Speaker, npt.NDArray[np.float32]] | None = None

    def play_from(self, t: float) -> None:
        """Start playing at ``t`` seconds into the call; raises OSError with a sentence when it cannot."""
        if self._audio is None:
            self._audio = load_kept(self.base)
            if self._audio is None:
                raise OSError("The call's audio files are missing or damaged.")
        a = round(max(t, 0.0) * SAMPLE_RATE)
        rep, prospect = self._audio["rep"][a:], self._audio["prospect"][a:]
        mixed = np.zeros(max(len(rep), len(prospect)), dtype=np.float32)
        mixed[: len(rep)] += rep
        mixed[: len(prospect)] += prospect
        try:
            sd = self.sd or _sounddevice()
            sd.play(np.clip(mixed, -1.0, 1.0), SAMPLE_RATE)
            self.sd = sd
        except Exception as e:  # noqa: BLE001 - no PortAudio, no output device: say so
            raise OSError(f"The audio cannot be played here: {e}".rstrip(".") + ".") from None

    def stop(self) -> None:
        """Stop playing."""
        if self.sd is not None:
            try:
                self.sd.stop()
            except Exception:  # noqa: BLE001 - the device may be gone
                pass


def _sounddevice() -> Any:
    import sounddevice

    return sounddevice
