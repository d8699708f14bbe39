"""Composition: which adapter, built from which options. Commands and the app ask here; nothing else builds.

Every builder imports its adapter lazily, so ``copilot detect`` never loads Whisper and
the core never sees an adapter. Errors a user can cause arrive as :class:`UserError`
subclasses raised by the adapters themselves (a broken rulebook, a missing device, a
model that cannot load) and are not re-wrapped here.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING

from copilot.errors import UserError
from copilot.store.private import open_private_stream

if TYPE_CHECKING:
    from copilot.audio.capture import CaptureSource
    from copilot.audio.echo import EchoCanceller
    from copilot.audio.sources import AudioSource
    from copilot.core.phrases import PhraseDetector
    from copilot.core.redact import Redactor
    from copilot.core.retention import Retention
    from copilot.pipeline.events import Sink
    from copilot.pipeline.live import LivePipeline
    from copilot.pipeline.options import LiveOptions
    from copilot.report.review import Review
    from copilot.store.retention import Expired
    from copilot.store.sqlite import SessionStore
    from copilot.stt.engine import Engine, WhisperEngine
    from copilot.stt.models import ModelChoice
    from copilot.voices.learning import RepSpeech

__all__ = ["load_detector", "stt_threads", "live_threads", "whisper", "live_engine", "open_capture", "sound_modules",
           "sample_call", "demo_source", "open_event_log", "load_review", "display_problem", "require_display",
           "live_session", "live_detector", "coaching_detector", "echo_canceller", "apply_retention", "redactor"]


def load_detector(rules: str | None, meaning: bool = True, threads: int = 1, mine: bool = True) -> PhraseDetector:
    """The detector for a rulebook file (None: the bundled one); a RulebookError names what is wrong with it.
    The model layer judges the sentences the rules did not flag (``meaning=False``, the CLI's ``--rules-only``:
    the patterns alone); a rulebook whose categories list ``examples`` has them caught by resemblance either way.
    With ``mine`` (the rep's detector; benchmarks measure the shipped one without) the lines the rep marked in
    the review are in the rulebook: their examples and not-examples (an ExamplesError if that file is broken)."""
    from copilot.core.phrases import PhraseDetector
    from copilot.core.rulebook import Rulebook

    rulebook = Rulebook.load(rules)
    if mine:
        from copilot.core.marks import taught
        from copilot.store.my_examples import MyExamples

        rulebook = taught(rulebook, MyExamples.load().marks)
    # Not-examples alone need no model without the head: the patterns check them word for word, in the core.
    taught_by_example = (any(c.examples for c in rulebook.categories)
                         or (meaning and any(c.not_examples for c in rulebook.categories)))
    if not meaning and not taught_by_example:
        return PhraseDetector(rulebook)
    from copilot.meaning.encoder import shared_encoder
    from copilot.meaning.head import DirectiveModel

    encoder = shared_encoder(threads)
    head = DirectiveModel(encoder) if meaning else None
    if not taught_by_example:
        assert head is not None
        return PhraseDetector(rulebook, model=head)
    from copilot.meaning.examples import ExampleLayer

    # A rulebook that teaches by example always gets its examples heard (the trained head only with meaning).
    return PhraseDetector(rulebook, model=ExampleLayer(rulebook.categories, encoder, head, rulebook.mine))


# Live speech to text runs on one thread: it leaves the other core to Zoom, and CTranslate2
# spends ~40% more CPU on the same decodes with two (its threads wait on each other between
# the decoder's small steps); flags come as fast (docs/live.md).
LIVE_THREADS = 1


def stt_threads(n: int) -> int:
    """``--threads``: as given, or up to 4 of this machine's cores."""
    return n if n > 0 else max(1, min(4, os.cpu_count() or 2))


def live_threads(n: int) -> int:
    """``--threads`` of a live session: as given, or LIVE_THREADS (one core, beside the call)."""
    return n if n > 0 else LIVE_THREADS


def whisper(choice: ModelChoice, threads: int = 0) -> WhisperEngine:
    """The Whisper model a choice names, loaded once on the CPU (the offline analysis hears with it)."""
    from copilot.stt.engine import WhisperEngine

    return WhisperEngine(choice, threads=stt_threads(threads))


def live_engine(model: str | ModelChoice | None, threads: int = 0) -> Engine:
    """Live decoding: the model (a name, or one already resolved) in short encoder windows (a ModelError if it
    cannot load)."""
    from copilot.stt.engine import ShortWindows
    from copilot.stt.models import resolve_model

    choice = model if model is not None and not isinstance(model, str) else resolve_model(model)
    return ShortWindows(whisper(choice, live_threads(threads)))


def echo_canceller(on: bool) -> EchoCanceller | None:
    """The live microphone's echo canceller (the call audio as its reference), unless turned off; it passes
    the microphone on as it is while it finds no echo (a headset), and keeps the call audio leading the echo."""
    from copilot.audio.echo import EchoCanceller

    return EchoCanceller(pass_through=True, realign=True) if on else None


def redactor(on: bool) -> Redactor | None:
    """What hides card and bank numbers, ID numbers, e-mail addresses and phone numbers before a call is kept or
    shown, unless the rep turned it off (``--no-redact``, or the app's setting)."""
    from copilot.redaction import redactor as library_redactor

    return library_redactor() if on else None


def live_detector(options: LiveOptions, mine: bool = True) -> PhraseDetector:
    """The detector a live session's options ask for (the rep's own examples too, unless ``mine`` is False)."""
    return load_detector(options.rules, meaning=not options.rules_only, mine=mine)


def coaching_detector(options: LiveOptions) -> tuple[PhraseDetector, str | None]:
    """The rep's own detector for a call about to begin; if their rulebook or examples file cannot be read, the
    bundled rulebook or no marks, and the sentence that says so. A rep joining a call cannot mend a file first,
    and a coach that would not start is worse than one without them; nothing in either file is changed."""
    from dataclasses import replace

    from copilot.core.rulebook import RulebookError
    from copilot.store.my_examples import ExamplesError

    said: list[str] = []
    if options.rules is not None:
        try:
            load_rulebook(options.rules)
        except RulebookError as e:
            said.append(f"Coaching this call with the bundled rulebook. {str(e).rstrip('.')}.")
            options = replace(options, rules=None)
    try:
        return live_detector(options), " ".join(said) or None
    except ExamplesError as e:
        said.append(f"Coaching this call without your marks. {e}")
        return live_detector(options, mine=False), " ".join(said)


def load_rulebook(path: str | None) -> None:
    """Read the rulebook at ``path`` (None: the bundled one) only to check it; a RulebookError says what is wrong."""
    from copilot.core.rulebook import Rulebook

    Rulebook.load(path)


def live_session(options: LiveOptions, source: AudioSource, sinks: list[Sink], *, engine: Engine | None = None,
                 detector: PhraseDetector | None = None, rep_speech: RepSpeech | None = None) -> LivePipeline:
    """A live session, put together the one way the command, the app, the self-test and the benchmark share.

    The speech model and the detector are made from ``options`` unless given (a caller loads them early to say
    a problem before the call starts, or keeps a loaded model for the next session)."""
    from copilot.pipeline.budget import CpuBudget
    from copilot.pipeline.live import LivePipeline

    return LivePipeline(source, engine or live_engine(options.model, options.threads),
                        detector or live_detector(options), sinks, settings=options.coach,
                        budget=CpuBudget(options.cpu_share), echo=echo_canceller(options.echo_cancel),
                        rep_speech=rep_speech)


def sound_modules() -> tuple[object, object, object]:
    """sounddevice, PyAudioWPatch (Windows) and soundcard (the Linux sound server), each None where it
    is not used; a DeviceError if there is neither PortAudio nor a sound server."""
    from copilot.audio.devices import DeviceError, load_sounddevice
    from copilot.audio.loopback import load_pyaudiowpatch
    from copilot.audio.pulse import load_soundcard

    sc = load_soundcard()
    try:
        sd = load_sounddevice()
    except DeviceError:
        if sc is None:
            raise
        sd = None  # the sound server records; PortAudio would only have played the demo aloud
    return sd, load_pyaudiowpatch(), sc


def open_capture(mic: str | None, call: str | None) -> CaptureSource:
    """The rep's microphone and the call audio, picked by number or name part (None: the likely one)."""
    from copilot.audio.capture import CaptureSource
    from copilot.audio.devices import list_inputs, pick_devices

    sd, pa, sc = sound_modules()
    mic_dev, call_dev = pick_devices(list_inputs(sd, pa, sc), mic, call)
    return CaptureSource(sd, mic_dev, call_dev, pa=pa, sc=sc)


def sample_call() -> Path:
    """The bundled two-minute sample call (the demo, the benchmarks' default)."""
    from copilot.core.assets import asset_path

    return asset_path("samples", "discovery_call.opus")


def demo_source() -> AudioSource:
    """The sample call replayed at real time, and played out loud where there are speakers."""
    from copilot.audio.decode import load_call
    from copilot.audio.playback import Audible
    from copilot.audio.sources import FileSource

    audio = load_call(sample_call())
    return Audible(FileSource(audio), audio)


def open_event_log(path: str) -> IO[str]:
    """Where ``--events PATH`` writes (``-``: standard output); the caller closes a file it opened."""
    if path == "-":
        return sys.stdout
    try:
        return open_private_stream(path)  # closed by the caller; owner-only: it holds what was said
    except OSError as e:
        raise UserError(f"Could not write the event log {path}: {e.strerror or e}.") from None


def load_review(store: SessionStore, session: str, rules: str | None = None) -> Review:
    """The review of a session given by its id (or a unique start of it), read from the store with the rep's
    rulebook (``rules``; a RulebookError names what is wrong with it): no model is loaded."""
    from copilot.core.rulebook import Rulebook
    from copilot.report.review import review_of

    rulebook = Rulebook.load(rules)
    return review_of(store, store.find(session), rulebook)


def apply_retention(store: SessionStore, retention: Retention, rules: str | None = None) -> Expired | None:
    """The rep's retention setting applied to the store now: calls older than it lose their words, keep their
    numbers (None: the setting keeps transcripts for good). Sessions stored before supportive lines were kept
    have them found first, from the transcript about to go; the rep's marks keep the flags as they judged them."""
    from datetime import datetime, timezone

    from copilot.report.progress import find_supportive
    from copilot.store.my_examples import MyExamples

    cutoff = retention.cutoff(datetime.now(timezone.utc))
    if cutoff is None:
        return None
    find_supportive(store, rules)
    return store.expire_transcripts(cutoff, MyExamples.load().marks)


def display_problem(what: str = "the app") -> str | None:
    """Why ``what`` cannot open a window here, as the start of a sentence (no display, X libraries
    missing, a display that does not answer), or None; asked before Qt is imported, so Qt never aborts."""
    from copilot.checkup.display import display_problem as check

    return check(what=what)


def require_display(what: str, instead: str) -> None:
    """A UserError saying why ``what`` cannot open here and what to do ``instead``."""
    problem = display_problem(what)
    if problem:
        raise UserError(f"{problem}; {instead}")


def learn_voice(speech: RepSpeech, profile: str | None = None) -> str:
    """After a live session the rep agreed to learn from: their voice profile updated from their own speech;
    one sentence saying so (or why not)."""
    from copilot.voices.embedder import VoiceEmbedder
    from copilot.voices.profile import default_profile_path, learned, load_profile, save_profile

    if speech.seconds < 10.0:
        return (f"Your voice profile was not updated: only {speech.seconds:.0f} s of you speaking alone "
                "(it needs 10 s).")
    path = Path(profile) if profile else default_profile_path()
    try:
        embedder = VoiceEmbedder()
        old = load_profile(path)
        new = learned(old, embedder.voice(speech.speech()), speech.seconds)
        save_profile(new, path)
    except UserError as e:
        return f"Your voice profile was not updated: {e}"
    return (f"Your voice profile was updated from {speech.seconds:.0f} s of your speech "
            f"({new.sessions} session{'s' if new.sessions != 1 else ''} so far; `copilot voice` shows it).")
