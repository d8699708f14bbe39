"""Analyse a recorded call: voice activity, speech to text, then the same coaching core as live.

The steps are the live data path run over a file: each channel's audio goes through the
streaming VAD, the speech it finds is transcribed, and spans and segments are replayed into
a :class:`~copilot.core.session.Session` in audio-time order, so the flags and prompts are
the ones the rep would have seen live.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from copilot.audio.decode import CallAudio
from copilot.audio.echo import EchoReport, cancel_echo
from copilot.audio.vad import VadSettings, speech_spans
from copilot.core.bleed import without_bleed
from copilot.core.events import SPEAKERS, Answer, Flag, Prompt, Segment, SpeechSpan, SupportiveLine
from copilot.core.facts import seconds
from copilot.core.phrases import PhraseDetector
from copilot.core.redact import Hidden, RedactedCall, Redactor
from copilot.core.session import Session, analysis_json
from copilot.core.settings import CoachSettings
from copilot.stt.engine import Engine
from copilot.stt.spans import plan_windows, transcribe_spans

if TYPE_CHECKING:
    from copilot.voices.split import VoiceSplit

__all__ = ["Analysis", "analyze_call", "Progress"]


class Progress:
    """Receives how far the analysis is; the CLI draws a bar from it. Does nothing by default."""

    def stage(self, name: str, total_s: float) -> None:
        """A new stage starts that will cover ``total_s`` seconds of audio."""

    def advance(self, seconds: float) -> None:
        """``seconds`` more audio of the current stage are done."""


@dataclass
class Analysis:
    """Everything one analysis found: the coached session plus what it was made from."""

    session: Session
    duration_s: float
    source: str
    model: str
    spans: list[SpeechSpan] = field(default_factory=list)
    session_id: str | None = None
    echo: EchoReport | None = None  # what the echo canceller found on the rep's side (None: not run)
    voices: VoiceSplit | None = None  # a mixed recording: its voices and which is the rep

    kept: RedactedCall | None = None  # what is kept and shown once hidden (None: hiding was turned off)

    def hide(self, redactor: Redactor) -> None:
        """Hide card and bank numbers, ID numbers, e-mail addresses and phone numbers in everything kept or
        shown of this call (the talk numbers stay as they are)."""
        s = self.session
        self.kept = redactor.call(sorted(s.segments, key=lambda g: (g.start, g.speaker)), s.flags, s.supportive,
                                  s.prompts, s.answers())
        if self.voices is not None:
            self.voices = self.voices.hidden(lambda text: redactor.text(text)[0])

    @property
    def hidden(self) -> Hidden | None:
        """How many of each kind were hidden (None: hiding was turned off)."""
        return self.kept.hidden if self.kept is not None else None

    @property
    def segments(self) -> list[Segment]:
        """Final transcript segments of both speakers, in time order (as kept)."""
        if self.kept is not None:
            return self.kept.segments
        return sorted(self.session.segments, key=lambda s: (s.start, s.speaker))

    @property
    def flags(self) -> list[Flag]:
        """The directive phrases flagged (as kept)."""
        return self.kept.flags if self.kept is not None else self.session.flags

    @property
    def answers(self) -> list[Answer]:
        """The rep's answers to the buyer's requests for advice, not counted (as kept)."""
        return self.kept.answers if self.kept is not None else self.session.answers()

    @property
    def supportive(self) -> list[SupportiveLine]:
        """The autonomy-supportive lines (as kept)."""
        return self.kept.supportive if self.kept is not None else self.session.supportive

    @property
    def prompts(self) -> list[Prompt]:
        """The prompts the rep would have seen (as kept)."""
        return self.kept.prompts if self.kept is not None else self.session.prompts

    def as_json(self) -> dict[str, Any]:
        """The analysis JSON contract of DESIGN.md (with ``hidden``: what was hidden, null when hiding was off)."""
        s = self.session
        out = analysis_json(self.session_id, self.duration_s, self.source, self.model, s.talk_summary(),
                            self.segments, self.flags, self.prompts, self.answers)
        out["hidden"] = self.hidden
        if self.echo is not None:
            out["speaker_echo"] = {"found": self.echo.found, "removed_db": round(self.echo.reduction_db, 1),
                                   "mic_delay_s": round(self.echo.mic_delay_s, 3)}
        if self.voices is not None:
            out["voices"] = self.voices.as_json()
        return out



def analyze_call(
    audio: CallAudio,
    engine: Engine,
    detector: PhraseDetector,
    *,
    model: str = "",
    settings: CoachSettings | None = None,
    vad: VadSettings | None = None,
    progress: Progress | None = None,
    echo: bool = True,
) -> Analysis:
    """Run the whole analysis of one call; with ``echo``, the call audio's echo is first taken out of
    the rep's side (a recording made on laptop speakers)."""
    progress = progress or Progress()
    report = None
    rep = audio.rep
    if echo:
        progress.stage("removing speaker echo", audio.duration_s)
        cleaned, report = cancel_echo(audio.rep, audio.prospect)
        if report.found:  # otherwise (a headset) the microphone stays exactly as recorded
            rep = cleaned
        progress.advance(audio.duration_s)
    tracks = {"rep": rep, "prospect": audio.prospect}

    progress.stage("finding speech", 2 * audio.duration_s)
    spans: dict[str, list[SpeechSpan]] = {}
    for who in SPEAKERS:
        spans[who] = speech_spans(who, tracks[who], vad)
        progress.advance(seconds(len(tracks[who])))

    # The audio Whisper will hear: speech spans with their padding.
    to_transcribe = sum(p.end - p.start for who in SPEAKERS
                        for w in plan_windows(sorted(spans[who], key=lambda s: s.start), audio.duration_s) for p in w)
    progress.stage("transcribing", to_transcribe)
    segments: list[Segment] = []
    for who in SPEAKERS:
        segments += transcribe_spans(engine, who, tracks[who], spans[who], progress.advance)

    session = Session(detector, settings)
    all_spans = sorted((s for ss in spans.values() for s in ss), key=lambda s: s.end)
    session.replay(all_spans, segments, audio.duration_s)
    # The buyer's words the rep's microphone carried are not the rep's talk in what is kept either.
    kept = without_bleed(all_spans, session.bleed)
    return Analysis(session, audio.duration_s, audio.source, model, kept, echo=report)
