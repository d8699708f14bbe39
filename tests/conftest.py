"""Fixtures every test module may ask for: a real PulseAudio server (tests/sound_server.py), and a user data
folder (and config folder) of each test's own, so that no test reads or writes the developer's sessions, voice
profile, settings or the examples they marked in the review (the detector learns from those)."""

from __future__ import annotations

import gc
import signal
from collections.abc import Iterator

import pytest

pytest_plugins = ["tests.sound_server"]


def pytest_configure(config: pytest.Config) -> None:
    """A run started in the background (``cmd &``, nohup) inherits Ctrl-C ignored, and so would every ``copilot``
    a test starts: the tests that press Ctrl-C on a ``copilot live`` need it as a terminal delivers it."""
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture(autouse=True)
def own_user_data(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """XDG_DATA_HOME and XDG_CONFIG_HOME of the test's own (commands run as subprocesses inherit them): every
    command makes the app's folders owner-only on start, and must not touch the developer's."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("user-data")))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("user-config")))
    yield


@pytest.fixture(autouse=True)
def collect_between_qt_events(request: pytest.FixtureRequest) -> Iterator[None]:
    """What the app does (copilot/ui/garbage.py) for tests with Qt windows: no automatic cycle collection while
    the test runs (a collection inside a chart's paint event deleted the view being painted: a segfault in CI),
    one collection after pytest-qt has closed the test's windows. With collection off, what the test made stays in
    the youngest generation, so collecting the young generations frees it: a full collection walked every object
    the process holds (the models' libraries included) after each of these tests, ~30 ms each."""
    if "qtbot" not in request.fixturenames:
        yield
        return
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
        gc.collect(1)
