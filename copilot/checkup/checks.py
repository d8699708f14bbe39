"""The self-test: can this install coach a call? One line per part, OK or what is wrong.

A rep who unpacked the app (or a maintainer checking a frozen build) runs ``copilot
--self-test``, or presses "Self-test" in the control window. It loads every part a call needs
(the speech model, the voice activity model, the rulebook and the detector's model layer, the
voiceprint model, the session store), plays the first seconds of the bundled sample call
through the live pipeline with no window, and lists the audio inputs it can see. Nothing is
written to the rep's own data: the store is tried in a throwaway folder.

A check is ``ok`` (works), ``note`` (nothing wrong with the app, but worth knowing: no display,
no microphone plugged in) or ``fail`` (this install cannot coach a call until it is fixed).
"""

from __future__ import annotations

import re
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Check", "CHECKS", "Note", "run_checks", "SAMPLE_SECONDS"]

# The live check plays this much of the sample call (the rep's greeting and the buyer's answer).
SAMPLE_SECONDS = 12.0
_SPEED = 3.0  # faster than real time: the check takes a few seconds, the path is the live one


@dataclass(frozen=True)
class Check:
    """One part of the install, and what the self-test found."""

    name: str
    status: str  # "ok", "note" or "fail"
    detail: str
    seconds: float

    def line(self) -> str:
        """The line printed for it: ``OK    speech model: tiny.en (bundled), loaded in 0.4 s``."""
        label = {"ok": "OK", "note": "NOTE", "fail": "FAIL"}[self.status]
        return f"{label:<5} {self.name}: {self.detail}"


class Note(Exception):
    """Raised by a check that found nothing wrong with the app, only something worth saying."""


def run_checks() -> Iterator[Check]:
    """Each check in turn, as it finishes (the window shows them as they come)."""
    for name, check in CHECKS:
        t0 = time.perf_counter()
        try:
            detail, status = check(), "ok"
        except Note as e:
            detail, status = str(e), "note"
        except Exception as e:  # noqa: BLE001 - the self-test reports every failure as one line
            detail, status = _sentence(e), "fail"
        yield Check(name, status, detail, time.perf_counter() - t0)


def _sentence(e: BaseException) -> str:
    text = str(e).strip() or type(e).__name__
    return text.splitlines()[0]


def _speech_model() -> str:
    from copilot.stt.models import resolve_model
    from copilot.wiring import whisper

    t0 = time.perf_counter()
    choice = resolve_model(None)
    whisper(choice, 1)
    return f"{choice.label}, loaded in {time.perf_counter() - t0:.1f} s"


def _vad() -> str:
    import numpy as np

    from copilot.audio.vad import SileroVad, silero_path

    SileroVad().scores(np.zeros((4, 512), dtype=np.float32))
    return f"Silero VAD ({silero_path().name}) answers"


def _rulebook() -> str:
    from copilot.core.rulebook import Rulebook

    book = Rulebook.load(None)
    directive = sum(1 for c in book.categories if c.kind == "directive")
    return f"the bundled rulebook, {directive} directive categories"


def _detector() -> str:
    from copilot.wiring import load_detector

    detector = load_detector(None)
    plain, pushy = "How is your week going so far?", "Your best bet is to lock in the annual plan right now."
    if detector.detect(plain).flagged or not detector.detect("The next step is a pilot.").flagged:
        raise RuntimeError("the rulebook's patterns give wrong verdicts on two plain lines")
    verdict = detector.detect(pushy)
    layer = verdict.directive.layer if verdict.directive else "none"
    return f"patterns and the model layer (a pushy line flagged by: {layer})"


def _voiceprints() -> str:
    import numpy as np

    from copilot.core.facts import SAMPLE_RATE
    from copilot.voices.embedder import VoiceEmbedder

    embedder = VoiceEmbedder()
    rng = np.random.default_rng(0)
    vector = embedder.voice((rng.standard_normal(SAMPLE_RATE * 2) * 0.05).astype(np.float32))
    return f"voiceprint model answers ({len(vector)} numbers a voice)"


def _store() -> str:
    from copilot.core.talk import TalkSummary
    from copilot.store.sqlite import SessionStore, default_db_path

    with tempfile.TemporaryDirectory() as folder, SessionStore(Path(folder) / "check.db") as store:
        sid = store.create_session("self-test", "live")
        store.finish_session(sid, 1.0, TalkSummary(rep_s=0.5, prospect_s=0.5))
        if store.load(sid).row.id != sid:
            raise RuntimeError("a session saved to a new database did not read back")
    home = default_db_path().parent
    return f"SQLite saves and reads back; your calls are kept in {home}"


def _live_pipeline() -> str:
    from copilot.audio.decode import CallAudio, load_call
    from copilot.audio.sources import FileSource
    from copilot.core.facts import SAMPLE_RATE
    from copilot.core.session import Session
    from copilot.pipeline.options import LiveOptions
    from copilot.wiring import live_session, sample_call

    whole = load_call(sample_call())
    n = int(SAMPLE_SECONDS * SAMPLE_RATE)
    audio = CallAudio(whole.rep[:n], whole.prospect[:n], whole.source)
    pipeline = live_session(LiveOptions(threads=1), FileSource(audio, speed=_SPEED), [])
    session: Session = pipeline.run()
    heard = [s.text for s in session.segments]
    words = set(re.findall(r"[a-z]+", " ".join(heard).lower()))
    expected = {"thanks", "time", "happy", "twenty", "minutes"}
    found = expected & words
    if len(found) < 3:
        raise RuntimeError(f"the first {SAMPLE_SECONDS:.0f} s of the sample call came out as "
                           f"{' / '.join(heard) or 'nothing'!r}, missing most of {sorted(expected)}")
    share = session.talk_summary().rep_share
    return (f"{SAMPLE_SECONDS:.0f} s of the sample call heard live: {len(session.segments)} lines, "
            f"you {share:.0%} of the talk")


def _audio_inputs() -> str:
    from copilot.audio.devices import list_inputs
    from copilot.wiring import sound_modules

    inputs = list_inputs(*sound_modules())
    if not inputs:
        raise Note("the sound system answers, but no microphone or call audio is visible; plug one in "
                    "(copilot devices lists them)")
    names = ", ".join(d.name for d in inputs[:6]) + (f", and {len(inputs) - 6} more" if len(inputs) > 6 else "")
    return f"{len(inputs)} seen: {names}"


def _display() -> str:
    from copilot.wiring import display_problem

    problem = display_problem()
    if problem:
        raise Note(f"{problem[:1].lower()}{problem[1:]} (the command line works without one)")
    return "windows can open"


# The self-test's parts in the order they run and print: (name, check); a check returns its OK
# line, raises Note for something worth saying, anything else for a failure.
CHECKS: list[tuple[str, Callable[[], str]]] = [
    ("speech model", _speech_model),
    ("voice activity", _vad),
    ("rulebook", _rulebook),
    ("detector", _detector),
    ("voiceprints", _voiceprints),
    ("session store", _store),
    ("live pipeline", _live_pipeline),
    ("audio inputs", _audio_inputs),
    ("display", _display),
]
