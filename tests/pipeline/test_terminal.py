"""The --headless terminal: prompts as they come, and a talk line only when someone has spoken since the last."""

from __future__ import annotations

import io

from copilot.core.events import TalkState
from copilot.pipeline.events import Stamped
from copilot.pipeline.sinks import Terminal


def talk(t: float, rep_s: float, prospect_s: float) -> Stamped:
    share = rep_s / (rep_s + prospect_s) if rep_s + prospect_s else 0.0
    return Stamped(TalkState(t, rep_s, prospect_s, share, 120.0, rep_s, prospect_s, share), t)


def test_the_talk_line_is_quiet_when_nobody_has_spoken_since_the_last_one() -> None:
    out = io.StringIO()
    terminal = Terminal(out, every_s=15.0)
    for stamped in (talk(15.0, 8.0, 4.0), talk(30.0, 10.0, 12.0), talk(45.0, 10.0, 12.0), talk(60.0, 10.0, 12.0),
                    talk(75.0, 14.0, 12.0)):
        terminal(stamped)
    lines = out.getvalue().splitlines()
    assert [line.split()[0] for line in lines] == ["0:15", "0:30", "1:15"]  # 0:45 and 1:00: silence
