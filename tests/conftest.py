"""Fixtures every test module may ask for: a real PulseAudio server (tests/sound_server.py)."""

pytest_plugins = ["tests.sound_server"]
