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
    host: str = "portaudio"  # or "wasapi-loopback" (PyAudioWPatch, Windows)

    @property
    def key(self) -> str:
        """What the rep types after --mic / --call: the number, ``L<n>`` for a Windows loopback."""
        return str(self.index) if self.host == "portaudio" else f"L{self.index}"

    @property
    def looks_like_call_audio(self) -> bool:
        """True for loopback/monitor devices that carry what the speakers play."""
        low = self.name.lower()
        return self.host != "portaudio" or any(h in low for h in _CALL_HINTS)
