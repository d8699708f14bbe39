"""The demo call through the speakers, where there are any, while the pipeline hears it.

:class:`Audible` wraps a replay source: starting it starts playing the call's two
channels (rep left, prospect right) on the default output at the same moment; with no
sound device (or no PortAudio) the replay simply runs silently.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from copilot.audio.decode import SAMPLE_RATE, CallAudio
from copilot.audio.sources import AudioSource, Deliver, Notice

__all__ = ["Audible"]


class Audible:
    """A replay source that is also played out loud (best effort)."""

    def __init__(self, inner: AudioSource, audio: CallAudio, sd: Any = None) -> None:
        self.inner, self.audio, self.sd = inner, audio, sd
        self.playing = False

    def start(self, deliver: Deliver, ended: Callable[[], None], notice: Notice) -> None:
        """Start the sound and the replay together."""
        try:
            sd = self.sd or _sounddevice()
            n = max(len(self.audio.rep), len(self.audio.prospect))
            stereo = np.zeros((n, 2), dtype=np.float32)
            stereo[: len(self.audio.rep), 0] = self.audio.rep
            stereo[: len(self.audio.prospect), 1] = self.audio.prospect
            sd.play(stereo, SAMPLE_RATE)
            self.sd, self.playing = sd, True
        except Exception:  # noqa: BLE001 - no speakers (or no PortAudio): the demo runs silently
            self.playing = False
        self.inner.start(deliver, ended, notice)

    def stop(self) -> None:
        """Stop the replay and the sound."""
        self.inner.stop()
        if self.playing:
            try:
                self.sd.stop()
            except Exception:  # noqa: BLE001 - the device may already be gone
                pass
            self.playing = False


def _sounddevice() -> Any:
    import sounddevice

    return sounddevice
