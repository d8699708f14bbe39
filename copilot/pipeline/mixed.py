"""Analyse a mixed recording (everyone on one track): split it by voice, find the rep, then as usual.

Zoom's default recording, most dialers and phone recorders mix both sides. The speech the
VAD finds is split into voices (:func:`copilot.voices.diarize.diarize`); each voice gets
its own track (the mix with everyone else's turns silenced) and is transcribed like a
channel. Which voice is the rep comes from a voice sample or the rep's stored voice profile
(the closest voiceprint), from ``--rep-speaker N``, from the rep when asked in a terminal,
or else is a guess that is said to be one. With more than two voices the rep is one and
everyone else is the buyer's side; each voice's share is kept for the review.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np
import numpy.typing as npt

from copilot.audio.decode import MixedAudio
from copilot.audio.vad import VadSettings, speech_spans
from copilot.core.events import Segment, SpeechSpan
from copilot.core.facts import SAMPLE_RATE
from copilot.core.phrases import PhraseDetector
from copilot.core.session import Session
from copilot.core.settings import CoachSettings
from copilot.pipeline.offline import Analysis, Progress
from copilot.stt.engine import Engine
from copilot.stt.spans import transcribe_spans
from copilot.voices.diarize import Diarization, diarize
from copilot.voices.embedder import VoiceEmbedder
from copilot.voices.split import Voice, VoiceSplit

__all__ = ["analyze_mixed", "SAME_VOICE"]

# A voiceprint this close (cosine) to the rep's sample or profile is the rep's voice. Same-speaker
# similarities of real speech were 0.92-0.94 and other speakers' 0.11-0.53 on the development calls.
SAME_VOICE = 0.75
# In a mixed recording a turn is split where the voice changes, not at every pause: a pause
# shorter than this stays inside the speaker's turn (and counts as their talk, as a person
# marking turns by hand counts it). Two-channel calls keep the VAD's 0.4 s. Chosen on the
# development calls (0.4 / 0.7 / 1.0 s: largest rep-share error 4.6 / 2.2 / 2.6 points).
MIXED_PAUSE_S = 0.7
_FADE = SAMPLE_RATE // 100  # 10 ms fades where a voice's track is silenced

Samples = npt.NDArray[np.float32]


Chooser = Callable[[tuple[Voice, ...]], int | None]


def analyze_mixed(
    audio: MixedAudio,
    engine: Engine,
    detector: PhraseDetector,
    embedder: VoiceEmbedder,
    *,
    model: str = "",
    rep_print: Samples | None = None,
    rep_print_from: str = "voice sample",
    rep_speaker: int | None = None,
    said_before: int | None = None,
    voices: int | None = None,
    choose: Chooser | None = None,
    settings: CoachSettings | None = None,
    vad: VadSettings | None = None,
    progress: Progress | None = None,
) -> Analysis:
    """Split the recording by voice, transcribe each voice, pick the rep, and coach the call (``said_before``: the
    voice the rep said was theirs in an earlier analysis of the same recording; the split is the same each time)."""
    progress = progress or Progress()
    progress.stage("finding speech", audio.duration_s)
    found = speech_spans("prospect", audio.mixed, vad or VadSettings(min_silence_s=MIXED_PAUSE_S))
    progress.advance(audio.duration_s)
    progress.stage("telling voices apart", sum(s.end - s.start for s in found))
    split = diarize(audio.mixed, [(s.start, s.end) for s in found], embedder, voices)
    progress.advance(sum(s.end - s.start for s in found))

    # Each voice heard on its own track: the mix with the other voices' turns silenced.
    by_voice: dict[int, list[SpeechSpan]] = {v: [] for v in range(split.voices)}
    for t in split.turns:
        by_voice[t.voice].append(SpeechSpan("prospect", t.start, t.end))
    progress.stage("transcribing", sum(s.end - s.start for s in found))
    segments: dict[int, list[Segment]] = {}
    for v, spans in by_voice.items():
        segments[v] = transcribe_spans(engine, "prospect", _only(audio.mixed, spans), spans, progress.advance)

    if rep_speaker is None and said_before is not None and 1 <= said_before <= split.voices:
        rep = said_before, "you said so before"
    else:
        rep = _rep_voice(split, segments, rep_print, rep_print_from, rep_speaker, choose)
    voice_split = _describe(split, segments, rep, rep_print, audio.dual_mono)

    def who(v: int) -> str:
        return "rep" if v + 1 == rep[0] else "prospect"

    all_spans = sorted((replace(s, speaker=who(v)) for v, ss in by_voice.items() for s in ss),  # type: ignore[arg-type]
                       key=lambda s: s.end)
    all_segments = [replace(g, speaker=who(v)) for v, gs in segments.items() for g in gs]  # type: ignore[arg-type]
    session = Session(detector, settings)
    session.replay(all_spans, all_segments, audio.duration_s)
    return Analysis(session, audio.duration_s, audio.source, model, all_spans, voices=voice_split)


def _only(mixed: Samples, spans: list[SpeechSpan]) -> Samples:
    """The mix, silent outside ``spans`` (10 ms fades at each edge)."""
    out = np.zeros_like(mixed)
    ramp = np.linspace(0.0, 1.0, _FADE, dtype=np.float32)
    for s in spans:
        a, b = int(s.start * SAMPLE_RATE), min(len(mixed), int(s.end * SAMPLE_RATE))
        if b - a <= 2 * _FADE:
            continue
        piece = mixed[a:b].copy()
        piece[:_FADE] *= ramp
        piece[-_FADE:] *= ramp[::-1]
        out[a:b] = piece
    return out


def _rep_voice(split: Diarization, segments: dict[int, list[Segment]], rep_print: Samples | None,
               rep_print_from: str, rep_speaker: int | None, choose: Chooser | None) -> tuple[int, str]:
    """The rep's voice number (1-based) and what said so."""
    if split.voices == 0:
        return 1, "guess"
    if rep_speaker is not None:
        if not 1 <= rep_speaker <= split.voices:
            from copilot.errors import UserError

            raise UserError(f"--rep-speaker {rep_speaker}: this recording has {split.voices} voice"
                            f"{'s' if split.voices != 1 else ''} (1 to {split.voices}).")
        return rep_speaker, "--rep-speaker"
    if rep_print is not None:
        sims = split.voiceprints @ rep_print
        best = int(np.argmax(sims))
        if sims[best] >= SAME_VOICE:
            return best + 1, rep_print_from
    if choose is not None:
        picked = choose(_describe(split, segments, (1, "guess"), rep_print, False).voices)
        if picked is not None:
            return picked, "you said so"
    return 1, "guess"  # the first voice heard: on most sales calls the rep opens


def _describe(split: Diarization, segments: dict[int, list[Segment]], rep: tuple[int, str],
              rep_print: Samples | None, dual_mono: bool) -> VoiceSplit:
    secs = split.seconds()
    total = sum(secs) or 1.0
    sims = split.voiceprints @ rep_print if rep_print is not None and split.voices else None
    voices = tuple(
        Voice(v + 1, secs[v], secs[v] / total,
              tuple(g.text.strip() for g in sorted(segments.get(v, []), key=lambda g: g.start)[:2] if g.text.strip()),
              None if sims is None else float(sims[v]))
        for v in range(split.voices))
    return VoiceSplit(voices, rep[0], rep[1], dual_mono, tuple((t.voice + 1, t.start, t.end) for t in split.turns),
                      split.estimated)
