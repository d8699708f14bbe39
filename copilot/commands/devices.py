"""``copilot devices``: every audio input, with the likely microphone and call audio marked."""

from __future__ import annotations

import argparse

from copilot.wiring import sound_modules

__all__ = ["run_devices"]


def run_devices(args: argparse.Namespace) -> int:
    """Print each input with what to give --mic / --call, its channels and rate."""
    from copilot.audio.devices import list_inputs

    inputs = list_inputs(*sound_modules())
    if not inputs:
        print("No audio input devices found.")
        return 0
    width = max(3, *(len(d.key) for d in inputs))
    for d in inputs:
        mark = "call audio?" if d.looks_like_call_audio else ("microphone (default)" if d.is_default else "")
        if d.looks_like_call_audio and d.is_default:
            mark = "call audio (the default speakers)"
        print(f"{d.key:<{width}}  {d.name:<40} {d.channels} ch {d.rate / 1000:g} kHz  {mark}")
    print("\nUse them with: copilot live --mic NAME --call NAME --headless (a number, a name, or a unique part of one)")
    return 0
