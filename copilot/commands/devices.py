"""``copilot devices``: every audio input, with the likely microphone and call audio marked."""

from __future__ import annotations

import argparse

from copilot.wiring import sound_modules

__all__ = ["run_devices"]


def run_devices(args: argparse.Namespace) -> int:
    """Print each input with its number, channels and rate."""
    from copilot.audio.devices import list_inputs

    inputs = list_inputs(*sound_modules())
    if not inputs:
        print("No audio input devices found.")
        return 0
    for d in inputs:
        mark = "call audio?" if d.looks_like_call_audio else ("microphone (default)" if d.is_default else "")
        print(f"{d.key:>3}  {d.name:<50} {d.channels} ch {d.rate / 1000:g} kHz  {mark}")
    print("\nUse them with: copilot live --mic NUMBER|NAME --call NUMBER|NAME --headless")
    return 0
