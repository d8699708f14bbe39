"""A live session with hiding on: the store, the event log and the terminal never see what is hidden."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import numpy.typing as npt

from copilot.audio.sources import FileSource
from copilot.core.events import Word
from copilot.core.facts import SAMPLE_RATE
from copilot.core.phrases import PhraseDetector
from copilot.core.rulebook import Rulebook
from copilot.pipeline.live import LivePipeline
from copilot.pipeline.recorded import Recorded, record_live
from copilot.pipeline.sinks import Terminal
from copilot.redaction import redactor
from copilot.store.sqlite import SessionStore
from copilot.stt.engine import RawSegment
from tests.fakes import FakeClock, LoggedEvents
from tests.wavs import sample_call

SECRETS = ("415 555 0134", "northwind", "rivera")


class ReadsOutDetails:
    """Hears, in turn, a directive line with a phone number in it and an e-mail address said aloud."""

    LINES = (" You should call me on 415 555 0134.", " Mail sam dot rivera at northwind dot com, please.")

    def __init__(self) -> None:
        self.calls = 0

    def transcribe(self, audio: npt.NDArray[np.float32], context: str = "") -> list[RawSegment]:
        if len(audio) < 2 * SAMPLE_RATE:
            return []
        text = self.LINES[self.calls % len(self.LINES)]
        self.calls += 1
        words = tuple(Word(f" {w}", 0.3 + 0.2 * i, 0.45 + 0.2 * i) for i, w in enumerate(text.split()))
        return [RawSegment(0.3, words[-1].end, text, -0.2, 0.01, words)]


def run(tmp_path: Path, hide: bool) -> tuple[Recorded, SessionStore, LoggedEvents, str]:
    clock = FakeClock()
    store = SessionStore(tmp_path / "s.db")
    events = LoggedEvents()
    terminal = io.StringIO()
    source = FileSource(sample_call(), speed=1.0, clock=clock, sleep=clock.sleep)
    done = record_live(store, "sample", "fake", [events, Terminal(terminal)], lambda sinks: LivePipeline(
        source, ReadsOutDetails(), PhraseDetector(Rulebook.load()), sinks, clock=clock),
        redactor=redactor() if hide else None)
    return done, store, events, terminal.getvalue()


def test_with_hiding_nothing_kept_or_shown_carries_a_phone_number_or_an_address(tmp_path: Path) -> None:
    done, store, events, terminal = run(tmp_path, hide=True)
    stored = store.load(done.session_id)
    kept = json.dumps([s.text for s in stored.segments] + [f.text for f in stored.flags]
                      + [f.match for f in stored.flags] + [p.reason for p in stored.prompts])
    said = json.dumps(list(events)) + terminal
    for secret in SECRETS:
        assert secret not in kept and secret not in said
    assert "[phone number]" in kept and "[e-mail]" in kept
    assert stored.flags and all("[phone number]" in f.text for f in stored.flags if "call me" in f.text)
    assert stored.hidden is not None and stored.hidden["phone"] >= 1 and stored.hidden["email"] >= 1
    assert done.hidden == stored.hidden  # what the app and `copilot live` say at the end
    store.close()


def test_with_hiding_off_the_store_keeps_them_as_heard(tmp_path: Path) -> None:
    done, store, events, _ = run(tmp_path, hide=False)
    stored = store.load(done.session_id)
    assert stored.hidden is None
    assert any("415 555 0134" in s.text for s in stored.segments)
    assert any("rivera" in s.text for s in stored.segments)
    assert any("rivera" in e.get("text", "") for e in events)
    store.close()
