"""Fixtures every test module may ask for: a real PulseAudio server (tests/sound_server.py), and a user data
folder (and config folder) of each test's own, so that no test reads or writes the developer's sessions, voice
profile, settings or the examples they marked in the review (the detector learns from those)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

pytest_plugins = ["tests.sound_server"]


@pytest.fixture(autouse=True)
def own_user_data(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """XDG_DATA_HOME and XDG_CONFIG_HOME of the test's own (commands run as subprocesses inherit them): every
    command makes the app's folders owner-only on start, and must not touch the developer's."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("user-data")))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("user-config")))
    yield
