"""An audio input as the rep sees it: a number to pick, a name, and whether it carries the call."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["InputDevice"]

_CALL_HINTS = ("monitor", "blackhole", "loopback", "stereo mix", "what u hear", "soundflower", "vb-audio",
               "cable output")


@dataclass(frozen=True)
class InputDevice:
    """An input device as the rep sees it in ``copilot devices``."""

    index: int
    name: str
    channels: int
    rate: float
    is_default: bool
    host: str = "portaudio"  # or "wasapi-loopback" (PyAudioWPatch, Windows), "pulse" (the Linux sound server)
    source: str = ""  # the sound server's name of the source ("speakers.monitor")
    loopback: bool = False  # records what the speakers play (a monitor, a WASAPI loopback)

    @property
    def key(self) -> str:
        """What the rep types after --mic / --call (and what settings keep): the number, ``L<n>`` for a
        Windows loopback, the source's name on the sound server (it does not change between starts)."""
        if self.source:
            return self.source
        return str(self.index) if self.host == "portaudio" else f"L{self.index}"

    @property
    def looks_like_call_audio(self) -> bool:
        """True for loopback/monitor devices that carry what the speakers play."""
        low = self.name.lower()
        return self.loopback or any(h in low for h in _CALL_HINTS)
