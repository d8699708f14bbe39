"""One live session from start to saved: the store row, the writer, the pipeline, the final numbers.

``copilot live`` and the desktop app both coach a session this way; they differ only in
where the audio comes from, which sinks watch, and how the pipeline is run (a helper
thread that Ctrl+C can stop, or the app's worker thread).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from copilot.audio.kept import CallRecorder
from copilot.core.bleed import without_bleed
from copilot.core.redact import Hidden, RedactedCall, Redactor
from copilot.core.session import Session
from copilot.pipeline.events import Sink
from copilot.pipeline.live import LivePipeline
from copilot.pipeline.sinks import Hiding, StoreWriter
from copilot.store.recovery import recording
from copilot.store.sqlite import SessionStore, StoreError

__all__ = ["Recorded", "record_live", "save_end"]


@dataclass(frozen=True)
class Recorded:
    """A finished live session: its id, the coached session, and why its end was not saved (if so)."""

    session_id: str
    session: Session
    duration_s: float
    save_error: str | None = None
    hidden: Hidden | None = None  # how many of each kind were hidden (None: hiding was off)


def record_live(store: SessionStore, label: str, model: str, sinks: list[Sink],
                make: Callable[[list[Sink]], LivePipeline],
                run: Callable[[LivePipeline], Session] = LivePipeline.run, keep_audio: bool = False,
                redactor: Redactor | None = None) -> Recorded:
    """Create the stored session, run the pipeline ``make`` builds with ``sinks`` plus the store writer.

    With ``redactor``, card and bank numbers, ID numbers, e-mail addresses and phone numbers
    are hidden before the store writer or any of ``sinks`` sees them (None: the rep turned
    hiding off). With ``keep_audio`` the call's two channels are also written beside the
    database, for the review to replay. Raises StoreError when the session cannot even be
    created; a failure at the end is returned in ``save_error`` (what was written as it
    happened stays in the store).
    """
    sid = store.create_session(label, "live", model, hidden={} if redactor is not None else "off")
    with recording(sid):
        return _record(store, sid, sinks, make, run, keep_audio, redactor)


def _record(store: SessionStore, sid: str, sinks: list[Sink], make: Callable[[list[Sink]], LivePipeline],
            run: Callable[[LivePipeline], Session], keep_audio: bool, redactor: Redactor | None) -> Recorded:
    recorder, problem = None, None
    if keep_audio:
        base = store.path.parent / "audio" / sid
        try:
            recorder = CallRecorder(base)
            store.set_audio(sid, str(base))
        except OSError as e:
            problem = f"The call's audio cannot be kept ({e.strerror or e}); coaching without it."
    writer = StoreWriter(store, sid)
    hiding = Hiding(redactor, [writer, *sinks]) if redactor is not None else None
    if hiding is not None:
        writer.hidden = lambda: hiding.hidden
    pipeline = make([hiding] if hiding is not None else [writer, *sinks])
    # A full disk is said where the rep looks (an event, through the hiding to every sink), and the coaching goes on.
    writer.notice = pipeline.notice
    if recorder is not None:
        recorder.notice = pipeline.notice
        pipeline.on_audio = recorder.write
    if problem:
        pipeline.notice(problem)
    try:
        session = run(pipeline)
    finally:
        if recorder is not None:
            recorder.close()
    duration = pipeline.audio_time
    if hiding is not None:
        hiding.flush()
    hidden = hiding.hidden if hiding is not None else None
    kept = None
    if redactor is not None:  # what is written now, from the session itself, is hidden the same way
        kept = redactor.call(session.segments, session.flags, session.supportive, session.prompts, session.answers())
        if session.bleed or session.withdrawn or session.restored:  # what is written at the end replaces what was
            hidden = kept.hidden
    return Recorded(sid, session, duration, save_end(store, sid, writer, session, duration, kept, hidden), hidden)


def save_end(store: SessionStore, sid: str, writer: StoreWriter, session: Session, duration: float,
             kept: RedactedCall | None = None, hidden: Hidden | None = None) -> str | None:
    """The end of a live session written: what the writer still holds, the corrections, the numbers.
    ``kept``: the session's transcript, flags, prompts and supportive lines with what must not be kept
    hidden (None: hiding was off, the session's own are written); ``hidden``: the count kept with them.
    Returns why it could not be (one sentence), or None; what was written during the call stays."""
    if kept is not None:
        segments, flags, prompts, supportive = kept.segments, kept.flags, kept.prompts, kept.supportive
        answers = kept.answers
    else:
        segments, flags, prompts, supportive = session.segments, session.flags, session.prompts, session.supportive
        answers = session.answers()
    try:
        writer.flush()
        if session.bleed or session.withdrawn or session.restored:
            # Stretches found (sometimes after they were written) to be the buyer's voice on the
            # rep's microphone, flags a partial raised that the whole sentence did not bear out, or
            # the buyer's request for advice heard late (answers to it flagged, or spared ones that were not):
            # what is kept is the session's corrected speech, transcript and flags.
            spans = without_bleed(store.load(sid).spans, session.bleed)
            store.replace_results(sid, session.talk_summary(), spans, segments, flags, prompts, rep_voice=0,
                                  hidden=hidden)
        store.finish_session(sid, duration, session.talk_summary(), supportive, hidden=hidden, answers=answers)
    except StoreError as e:
        return str(e)
    return None
