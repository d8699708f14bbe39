"""The sound server's connection, renewed after a restart (copilot/audio/pulse.py), with a fake soundcard."""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace
from typing import Any

from copilot.audio.pulse import renew_connection

READY, FAILED = 4, 5


class _Connection:
    """A soundcard connection: made slowly (a handshake with the server), READY once made."""

    made: list[_Connection] = []

    def __init__(self, state: int = READY) -> None:
        self.context, self.state = object(), state
        if state == READY:
            time.sleep(0.05)
            _Connection.made.append(self)

    def _pa_context_get_state(self, context: Any) -> int:
        return self.state


def test_both_channels_renewing_at_once_make_one_connection_and_share_it() -> None:
    _Connection.made = []
    pulse = SimpleNamespace(_pulse=_Connection(FAILED), _pa=SimpleNamespace(PA_CONTEXT_READY=READY),
                            _PulseAudio=_Connection)
    seen: list[Any] = []
    go = threading.Barrier(2)

    def channel() -> None:
        go.wait()
        renew_connection(pulse)
        seen.append(pulse._pulse)

    threads = [threading.Thread(target=channel) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=5)
    assert len(_Connection.made) == 1  # the second channel found the first one's connection ready
    assert seen == [_Connection.made[0]] * 2


def test_a_live_connection_is_kept() -> None:
    live = _Connection()
    pulse = SimpleNamespace(_pulse=live, _pa=SimpleNamespace(PA_CONTEXT_READY=READY), _PulseAudio=_Connection)
    renew_connection(pulse)
    assert pulse._pulse is live
