"""``copilot analyze``: a recorded call in, a stored session and a summary out."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from copilot.commands.call_date import call_started, parse_started
from copilot.commands.same_recording import coached_live_then, recording_began, recording_hash, replaced_sentence
from copilot.errors import UserError
from copilot.pipeline.offline import Progress
from copilot.report.jsonfile import json_target, write_json
from copilot.wiring import load_detector, redactor, whisper

__all__ = ["run_analyze", "BarProgress"]


class BarProgress(Progress):
    """A progress bar on stderr (shown only when stderr is a terminal)."""

    def __init__(self) -> None:
        self._bar: Any = None

    def stage(self, name: str, total_s: float) -> None:
        """Start a new bar for the next stage."""
        from tqdm import tqdm

        self.close()
        self._bar = tqdm(total=round(total_s, 1), desc=name, unit="s", file=sys.stderr, leave=False,
                         disable=None, bar_format="{desc}: {percentage:3.0f}%|{bar}| {n:.0f}/{total:.0f} s audio")

    def advance(self, seconds: float) -> None:
        """Move the bar on."""
        if self._bar is not None:
            self._bar.update(round(seconds, 1))

    def close(self) -> None:
        """Remove the bar."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def run_analyze(args: argparse.Namespace) -> int:
    """Analyse one call, store it, write the JSON and print the summary."""
    from copilot.audio.decode import MixedAudio, check_recordings, load_recording
    from copilot.core.rulebook import Rulebook
    from copilot.pipeline.offline import analyze_call
    from copilot.report.summary import summary
    from copilot.store.sqlite import SessionStore, StoreError
    from copilot.stt.models import check_model_name, resolve_model

    if (args.rep is None) != (args.prospect is None):
        raise UserError("--rep and --prospect go together: give both files, or one stereo CALL instead.")
    # What the rep can get wrong is said before anything heavy loads: the rulebook, the model's name, what can be
    # told of the recording without reading it, and the database first (cheap; the database is the first thing
    # made), then the recording (an hour takes seconds to decode); the models only once they are all right.
    Rulebook.load(args.rules)
    json_out = json_target(args.json)
    started = parse_started(getattr(args, "started", None))
    check_model_name(args.model)
    check_recordings(args.call, rep=args.rep, prospect=args.prospect)
    hide = redactor(getattr(args, "redact", True))
    recording = recording_hash(Path(args.call or args.rep), None if args.call else Path(args.prospect))
    with SessionStore(args.db) as store:  # a bad database fails now, not after the decoding or the transcription
        earlier = store.analysed_before(recording.whole, recording.head)
        before, was_cut = earlier if earlier is not None else (None, False)
        audio = load_recording(args.call, rep_channel=args.rep_channel, rep=args.rep, prospect=args.prospect)
        if not isinstance(audio, MixedAudio) and (getattr(args, "rep_voice", None)
                                                  or getattr(args, "rep_speaker", None)):
            raise UserError("--rep-voice and --rep-speaker are for mixed recordings; this one has the rep on its "
                            "own channel (--rep-channel says which).")
        choice = resolve_model(args.model)
        detector = load_detector(args.rules, meaning=not getattr(args, "rules_only", False))
        engine = whisper(choice, args.threads)
        bar = BarProgress()
        try:
            if isinstance(audio, MixedAudio):
                # The voice the rep said was theirs last time, unless they say now: the split of the same bytes is the
                # same each time (not of a cut copy's, which heard less of each voice).
                said = (store.rep_voice_said(before.id) if before is not None and not was_cut and not any(
                    getattr(args, a, None) for a in ("rep_voice", "rep_speaker", "voices")) else None)
                analysis = _analyze_mixed(audio, engine, detector, choice.label, bar, args, hide, said)
            else:
                analysis = analyze_call(audio, engine, detector, model=choice.label, progress=bar,
                                        echo=args.echo_cancel)
        finally:
            bar.close()
        if hide is not None:
            analysis.hide(hide)
        store_error: StoreError | None = None
        when, dated = call_started(started, Path(args.call or args.rep), analysis.duration_s)
        if before is not None and started is None:
            dated = None  # the earlier analysis's date stays
        try:
            voices = analysis.voices
            analysis.session_id = store.save_analysis(
                analysis.source, "analyze", choice.label, analysis.duration_s, analysis.session.talk_summary(),
                analysis.spans, analysis.segments, analysis.flags, analysis.prompts,
                voice_turns=voices.turns if voices is not None else (), rep_voice=voices.rep if voices else 0,
                rep_guessed=voices.guess if voices else False, supportive=analysis.supportive,
                hidden=analysis.hidden if analysis.hidden is not None else "off", answers=analysis.answers,
                started=when if before is None or started is not None else None, recording=recording.whole,
                recording_head=recording.head,
                replaces=before.id if before is not None else None, cut_short=" ".join(audio.cut_short))
        except StoreError as e:
            store_error = e
        twice = None
        if store_error is None:
            began = when or recording_began(Path(args.call or args.rep), analysis.duration_s)
            try:
                twice = coached_live_then(store.sessions(), began, analysis.duration_s)
            except StoreError:
                twice = None  # a warning only: the analysis is saved
    if json_out is not None:
        write_json(json_out, analysis.as_json())
    print(summary(analysis), file=sys.stderr if json_out == "-" else sys.stdout)
    out = sys.stderr if json_out == "-" else sys.stdout
    for cut in audio.cut_short:  # the numbers above are of what was there, not of the whole call
        print(f"  {cut}", file=out)
    replaced = before is not None and analysis.session_id == before.id  # not if it was deleted meanwhile
    for line in (dated, replaced_sentence(before, started is not None, was_cut) if replaced and before else None,
                 twice):
        if line is not None and store_error is None:
            print(f"  {line}", file=out)
    if store_error is not None:
        print(f"copilot: the analysis above was not saved: {store_error}", file=sys.stderr)
        return 1
    return 0


def _analyze_mixed(audio: Any, engine: Any, detector: Any, model: str, bar: BarProgress,
                   args: argparse.Namespace, hide: Any, said_before: int | None = None) -> Any:
    """A mixed recording: split by voice; the rep from --rep-voice, the profile, --rep-speaker or a question."""
    from copilot.audio.decode import decode
    from copilot.commands.voice import profile_path
    from copilot.pipeline.mixed import analyze_mixed
    from copilot.voices.embedder import VoiceEmbedder
    from copilot.voices.profile import load_profile, voiceprint_of

    embedder = VoiceEmbedder()
    rep_print, rep_from = None, "voice sample"
    if getattr(args, "rep_voice", None):
        rep_print, _ = voiceprint_of(decode(args.rep_voice, mono=True)[0], embedder)
    elif getattr(args, "rep_speaker", None) is None:
        profile = load_profile(profile_path(args))
        if profile is not None:
            rep_print, rep_from = profile.voiceprint, "voice profile"
    ask = _ask if sys.stdin.isatty() and sys.stdout.isatty() else None

    def choose(voices: Any) -> int | None:
        bar.close()
        if ask is None:
            return None
        # Their first words are shown to the rep: hidden like everything else shown of the call.
        return ask(voices if hide is None
                   else tuple(replace(v, first_words=tuple(hide.text(w)[0] for w in v.first_words)) for v in voices))

    return analyze_mixed(audio, engine, detector, embedder, model=model, rep_print=rep_print, rep_print_from=rep_from,
                         rep_speaker=getattr(args, "rep_speaker", None), said_before=said_before,
                         voices=getattr(args, "voices", None),
                         choose=choose, progress=bar)


def _ask(voices: Any) -> int | None:
    """In a terminal: list the voices with their first words and ask which is the rep."""
    print("This recording has everyone on one track. The voices heard:", file=sys.stderr)
    for v in voices:
        words = " / ".join(f'"{w[:70]}"' for w in v.first_words) or "(no words)"
        print(f"  {v.number}: {v.share:.0%} of the talk, first: {words}", file=sys.stderr)
    while True:
        try:
            answer = input(f"Which voice is you? [1-{len(voices)}, Enter if you cannot tell] ").strip()
        except EOFError:
            return None
        if not answer:
            return None
        if answer.isdigit() and 1 <= int(answer) <= len(voices):
            return int(answer)
