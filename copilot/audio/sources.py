"""Where live audio comes from: a source pushes blocks of both channels from its own thread.

The live pipeline does not care whether the blocks come from a microphone and the call's
loopback (``capture.py``) or from a recording played back as if it were a call
(:class:`FileSource`), which is how the live path is tested and benchmarked without a
sound card.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Protocol

import numpy as np
import numpy.typing as npt

from copilot.audio.decode import SAMPLE_RATE, CallAudio
from copilot.core.events import Speaker

__all__ = ["Deliver", "Notice", "AudioSource", "FileSource"]

Deliver = Callable[[Speaker, npt.NDArray[np.float32]], None]
Notice = Callable[[str], None]
"""A sentence about the audio devices the rep should see ("… stopped delivering audio")."""


class AudioSource(Protocol):
    """Pushes 16 kHz mono float32 blocks per speaker to ``deliver`` until stopped or ended."""

    def start(self, deliver: Deliver, ended: Callable[[], None], notice: Notice) -> None:
        """Begin delivering; ``ended`` is called once when there is no more audio, ``notice`` with
        anything about the devices the rep should know (a headset unplugged)."""

    def stop(self) -> None:
        """Stop delivering (idempotent)."""


class FileSource:
    """A recorded call played through the live path, at real time (``speed=1``) or faster.

    Blocks of ``block_s`` are delivered
    for the rep and then the prospect, each when its audio time comes due.
    """

    def __init__(self, audio: CallAudio, speed: float = 1.0, block_s: float = 0.05,
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep) -> None:
        if speed <= 0:
            raise ValueError("speed must be more than 0")
        self.audio = audio
        self.speed = speed
        self.block = int(block_s * SAMPLE_RATE)
        self.clock = clock
        self.sleep = sleep
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.started_at = 0.0

    def start(self, deliver: Deliver, ended: Callable[[], None], notice: Notice) -> None:
        """Start the playback thread (a recording has no device to lose: ``notice`` is never called)."""
        self.started_at = self.clock()
        self._thread = threading.Thread(target=self._play, args=(deliver, ended), name="replay", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop the playback."""
        self._stop.set()

    def _play(self, deliver: Deliver, ended: Callable[[], None]) -> None:
        n = max(len(self.audio.rep), len(self.audio.prospect))
        for i in range(0, n, self.block):
            if self._stop.is_set():
                break
            due = self.started_at + (i + self.block) / SAMPLE_RATE / self.speed
            wait = due - self.clock()
            if wait > 0:
                self.sleep(wait)
            deliver("rep", _block(self.audio.rep, i, self.block))
            deliver("prospect", _block(self.audio.prospect, i, self.block))
        ended()


def _block(track: npt.NDArray[np.float32], i: int, n: int) -> npt.NDArray[np.float32]:
    out = track[i : i + n]
    if len(out) < n:
        out = np.concatenate([out, np.zeros(n - len(out), dtype=np.float32)])
    return out
