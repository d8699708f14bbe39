"""The live pipeline: audio blocks in, talk state, transcript, flags and prompts out as they happen.

Three threads, one direction:

- the **source** (replay or capture) pushes audio blocks into the coach's inbox;
- the **coach** thread owns the :class:`Session`: it runs the VAD on every block (cheap),
  so the talk meter never waits on speech to text, feeds the per-channel
  :class:`StreamingTranscriber`, applies transcribed segments, ticks the clock, and hands
  every event to the sinks (event log, terminal, session store, GUI bridge);
- one **STT worker** for both channels asks the transcribers what to decode next —
  finals before partials, and only ever the freshest partial (a stale guess is never
  queued, so falling behind drops partials, never finals).
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from copilot.audio.echo import EchoCanceller
from copilot.audio.sources import AudioSource
from copilot.audio.vad import StreamingVad, VadSettings
from copilot.core.events import (
    SPEAKERS,
    Event,
    Flag,
    Prompt,
    PromptTakenBack,
    Segment,
    Speaker,
    SpeechSpan,
    SpeechStart,
    TalkState,
)
from copilot.core.facts import seconds
from copilot.core.phrases import PhraseDetector
from copilot.core.session import Session
from copilot.core.settings import CoachSettings
from copilot.pipeline.budget import CpuBudget
from copilot.pipeline.events import DeviceNotice, EchoStatus, LiveEvent, Sink, Stamped
from copilot.stt.engine import Engine
from copilot.stt.streaming import Job, StreamingSettings, StreamingTranscriber
from copilot.voices.learning import RepSpeech

__all__ = ["LivePipeline", "LIVE_VAD", "LIVE_STREAMING", "ECHO_OFF"]

# Live voice activity lets go after 0.2 s of silence so the meter follows a speaker who
# stops within 0.3 s (0.25 s measured 0.31 s median, 0.35 s worst: the model's own lag and
# the 50 ms block come on top); the transcriber keeps pauses under 0.5 s inside one
# utterance. Speech is confirmed after 0.15 s (offline: 0.2 s); on the sample that took
# live WER from 15.5% to 13.5%.
LIVE_VAD = VadSettings(min_silence_s=0.2, min_speech_s=0.15)
TICK_S = 1.0
_NOTHING = np.zeros(0, dtype=np.float32)
# Over the CPU budget, a partial guess waits for this much new speech (0.6 s otherwise).
THIN_PARTIAL_S = 1.5

# Partial guesses cost most of the CPU and only the rep's phrasing is coached, so the
# prospect gets finals only, decoded a few utterances at a time like the offline path.
# The rep's finals come at once from the partials and are revised by the same packed
# decoding a few utterances later, once the rep is silent (the stored transcript is then
# as good as the offline one; the coach has already seen the partials). A rep's partial
# hears only the audio after its committed words, with them as context (on the rep-heavy
# call: 45% of a core instead of 50%, same WER and catches; docs/live.md).
LIVE_STREAMING: Mapping[Speaker, StreamingSettings] = {
    "rep": StreamingSettings(finals="revised", resume_partials=True),
    "prospect": StreamingSettings(partials=False, finals="packed"),
}


# What the window says about the echo when the rep turned its removal off.
ECHO_OFF = "Echo removal is off (a headset does not need it)."


# What the coach thread's inbox carries: from the source, the STT worker, and anyone with a notice.
@dataclass(frozen=True)
class _Audio:
    """One block of one channel, from the source."""

    who: Speaker
    samples: npt.NDArray[np.float32]


@dataclass(frozen=True)
class _Segments:
    """What the STT worker heard in one job."""

    segments: list[Segment]


@dataclass(frozen=True)
class _Notice:
    """A sentence for the rep (a device stopped, saving failing), from any thread."""

    message: str


@dataclass(frozen=True)
class _Ended:
    """The audio ended, or the rep pressed stop."""


@dataclass(frozen=True)
class _Drained:
    """The STT worker finished every open utterance: the session is over."""


_Message = _Audio | _Segments | _Notice | _Ended | _Drained


@dataclass
class _Counters:
    partial_jobs: int = 0
    final_jobs: int = 0
    peek_jobs: int = 0  # first hearings of the buyer's last words when the rep takes the turn
    stt_busy_s: float = 0.0
    partials_held: int = 0  # partial guesses put off because the session was over its CPU budget


class LivePipeline:
    """Runs one live session until the source ends or :meth:`stop` is called."""

    def __init__(self, source: AudioSource, engine: Engine, detector: PhraseDetector, sinks: list[Sink], *,
                 settings: CoachSettings | None = None, vad: VadSettings = LIVE_VAD,
                 streaming: Mapping[Speaker, StreamingSettings] | None = None,
                 budget: CpuBudget | None = None, echo: EchoCanceller | None = None,
                 rep_speech: RepSpeech | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.source = source
        self.engine = engine
        self.session = Session(detector, settings)
        self.sinks = sinks
        self.clock = clock
        self.vads = {who: StreamingVad(who, vad) for who in SPEAKERS}
        streaming = streaming or LIVE_STREAMING
        self.transcribers = {who: StreamingTranscriber(who, streaming[who]) for who in SPEAKERS}
        self.budget = budget
        self._awaits_words = False  # the rep's last partial awaits its next words (Session.awaits_words)
        # Takes the call audio's echo out of the microphone (laptop speakers) before anything hears it.
        self.echo = echo
        self.heard = {who: 0 for who in SPEAKERS}  # samples per channel
        # Also handed every block, on the coach thread (the kept call audio, when the rep opts in).
        self.on_audio: Callable[[Speaker, npt.NDArray[np.float32]], None] | None = None
        # Fed the rep's own speech, for their voice profile (given only when the rep agreed to it);
        # whoever passed it in reads it once run() has returned.
        self.rep_speech = rep_speech
        self.counters = _Counters()
        self._echo_said = ""  # the echo sentence last sent to the sinks
        self._inbox: queue.Queue[_Message] = queue.Queue()
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._draining = threading.Event()
        self._stopped = threading.Event()
        self._stopping = threading.Event()
        self._t0 = 0.0
        self._next_tick = TICK_S

    # ---- running -------------------------------------------------------------------

    def run(self) -> Session:
        """Play the session through; returns the coached session when the audio has ended."""
        self._t0 = self.clock()
        worker = threading.Thread(target=self._stt_loop, name="stt", daemon=True)
        worker.start()
        self.source.start(lambda who, samples: self._inbox.put(_Audio(who, samples)),
                          lambda: self._inbox.put(_Ended()), self.notice)
        self._say_echo()
        try:
            while True:
                message = self._inbox.get()
                if isinstance(message, _Audio):
                    if not self._stopping.is_set():
                        self._on_audio(message.who, message.samples)
                elif isinstance(message, _Segments):
                    self._on_segments(message.segments)
                elif isinstance(message, _Notice):
                    self._emit(DeviceNotice(self.audio_time, message.message))
                elif isinstance(message, _Ended):
                    self._on_ended()
                else:
                    break  # drained
        finally:
            self.source.stop()
            self._stopped.set()
            self._wake.set()
        end = self.audio_time
        self.session.tick(end)
        self.session.finish(end)
        return self.session

    def stop(self) -> None:
        """End the session early (the rep pressed stop); what was heard is kept."""
        self._stopping.set()
        self.source.stop()
        self._inbox.put(_Ended())

    def notice(self, message: str) -> None:
        """Something the rep should see that is not coaching (a headset unplugged, a full disk); thread-safe."""
        self._inbox.put(_Notice(message))

    def wall(self) -> float:
        """Seconds since the session started, on the wall clock."""
        return self.clock() - self._t0

    @property
    def audio_time(self) -> float:
        """How far the call has got on the audio clock: the channel furthest on (a lost device must
        not stop the talk meter or the prompts)."""
        return seconds(max(self.heard.values()))

    # ---- coach thread ----------------------------------------------------------------

    def _on_audio(self, who: Speaker, samples: npt.NDArray[np.float32]) -> None:
        if self.on_audio is not None:
            self.on_audio(who, samples)
        if self.echo is None:
            self._hear(who, samples)
            return
        # The microphone goes through the canceller, which gives it back once the call audio of
        # the same time has come (its reference).
        if who == "prospect":
            self._hear(who, samples)
            cleaned = self.echo.process(_NOTHING, samples)
        else:
            cleaned = self.echo.process(samples, _NOTHING)
        if len(cleaned):
            self._hear("rep", cleaned)

    def _hear(self, who: Speaker, samples: npt.NDArray[np.float32]) -> None:
        if who == "rep" and self.rep_speech is not None:
            self.rep_speech.feed(samples)
        with self._lock:
            self.transcribers[who].feed(samples)
        self.heard[who] += len(samples)
        for e in self.vads[who].feed(samples):
            self._on_vad(who, e)
        self._wake.set()
        now = self.audio_time
        if now >= self._next_tick:
            self._next_tick += TICK_S
            self._emit_events(self.session.tick(now))
            self._say_echo()

    def _on_vad(self, who: Speaker, e: SpeechStart | SpeechSpan) -> None:
        if isinstance(e, SpeechStart):
            with self._lock:
                self.transcribers[who].speech_started(e.t)
                if who == "rep":  # the buyer's last words, heard before the rep's answer (core/asked.py)
                    self.transcribers["prospect"].turn_taken()
            self._emit(e)
            self._emit_events(self.session.speech_started(who, e.t))
        else:
            with self._lock:
                self.transcribers[who].speech_ended(e.end)
            self._emit(e)
            if who == "rep" and self.rep_speech is not None:
                self.rep_speech.span(e.start, e.end, buyer_speaking=self.vads["prospect"].gate.speaking)
            self._emit_events(self.session.speech(e))

    def _on_segments(self, segments: list[Segment]) -> None:
        for seg in segments:
            if seg.final or seg.speaker == "rep":  # a peek at the buyer's words is the coach's alone: never shown
                self._emit(seg)
            self._emit_events(self.session.segment(seg))
        # Read by the STT worker: a plain flag, written only here on the coach thread.
        self._awaits_words = self.session.awaits_words

    def _on_ended(self) -> None:
        if self.echo is not None:
            self._hear("rep", self.echo.flush())
        for who in SPEAKERS:
            for e in self.vads[who].finish():
                self._on_vad(who, e)
        self._draining.set()
        self._wake.set()

    def _say_echo(self) -> None:
        """The echo canceller's sentence to the sinks when it has changed (read here, on the coach
        thread that feeds the canceller: the window never reads it)."""
        said = ECHO_OFF if self.echo is None else self.echo.report().sentence()
        if said != self._echo_said:
            self._echo_said = said
            self._emit(EchoStatus(self.audio_time, said))

    def _emit_events(self, events: list[Event]) -> None:
        """The session's events to the sinks (supportive lines stay with the session, for the review)."""
        for e in events:
            if isinstance(e, (TalkState, Flag, Prompt, PromptTakenBack)):
                self._emit(e)

    def _emit(self, event: LiveEvent) -> None:
        stamped = Stamped(event, self.wall())
        for sink in self.sinks:
            sink(stamped)

    # ---- STT worker ------------------------------------------------------------------

    def _stt_loop(self) -> None:
        while not self._stopped.is_set():
            self._wake.wait(0.05)
            self._wake.clear()
            while not self._stopped.is_set():
                with self._lock:
                    job = self._pick()
                if job is None:
                    break
                self._run(job)
            if self._draining.is_set() and not self._stopped.is_set():
                self._drain()
                return

    def _pick(self) -> Job | None:
        """Finals first (oldest utterance first); then the channel with the most unheard speech.

        Over the CPU budget, a partial waits until THIN_PARTIAL_S of new speech has come
        (instead of every 0.6 s): finals and the talk meter never wait. Nor does the rep's next partial
        when the last one ended on a pattern the detector holds back for its next words
        (:meth:`PhraseDetector.awaits_words`): a flag's latency is one partial more without it.
        """
        for t in self.transcribers.values():
            job = t.job(allow_partial=False)
            if job is not None:
                return job
        due = max(self.transcribers.values(), key=lambda t: t.partial_due())
        new_speech = due.partial_due()
        if new_speech <= 0:
            return None
        hurried = self._awaits_words and due is self.transcribers["rep"]
        if new_speech < THIN_PARTIAL_S and self.budget is not None and self.budget.over() and not hurried:
            self.counters.partials_held += 1
            return None
        return due.job()

    def _run(self, job: Job) -> None:
        started = time.perf_counter()
        heard = self.engine.transcribe(job.audio, job.context)
        self.counters.stt_busy_s += time.perf_counter() - started
        if job.kind == "final":
            self.counters.final_jobs += 1
        elif job.kind == "peek":
            self.counters.peek_jobs += 1
        else:
            self.counters.partial_jobs += 1
        with self._lock:
            segments = self.transcribers[job.speaker].deliver(job, heard)
        if segments:
            self._inbox.put(_Segments(segments))

    def _drain(self) -> None:
        """The audio ended: finish every open utterance, then tell the coach thread."""
        for t in self.transcribers.values():
            while True:
                with self._lock:
                    job = t.job(allow_partial=False) or t.finish()
                if job is None:
                    break
                self._run(job)
        self._inbox.put(_Drained())
