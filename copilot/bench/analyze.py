"""``copilot bench analyze``: speed and accuracy of the analysis on scripted calls.

For each call (with its ``NAME.truth.json``), in the same process and alternating runs:
the full ``copilot analyze`` path (decode, VAD, speech-only transcription, coaching), and
a plain ``faster_whisper.WhisperModel.transcribe`` of each whole channel with the library's
defaults, on the same loaded model. Reports medians of the wall times as real-time
factors, the word error rate of each against the script, and the talk and flag numbers
against the truth. A call rendered as on laptop speakers (its truth says ``speakers``) is
also analysed once with the echo canceller off: the numbers the canceller is there to fix.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from copilot.bench.load import BusyProcesses
from copilot.bench.mixed import bench_mixed, is_mixed, print_mixed
from copilot.core.assets import asset_path
from copilot.core.events import SPEAKERS, Speaker
from copilot.errors import UserError
from copilot.scripted.truth import CallTruth, load_truth, score_flags, truth_path

if TYPE_CHECKING:
    from copilot.core.phrases import PhraseDetector
    from copilot.stt.engine import WhisperEngine

__all__ = ["run", "SAMPLE"]

SAMPLE = ("samples", "discovery_call.opus")


def run(args: argparse.Namespace) -> int:
    """Benchmark each file; print a table (or JSON)."""
    from copilot.stt.engine import WhisperEngine
    from copilot.stt.models import resolve_model
    from copilot.wiring import load_detector, stt_threads

    files = [Path(f) for f in args.files] or [asset_path(*SAMPLE)]
    for f in files:
        if not truth_path(f).is_file():
            raise UserError(f"{f} has no {truth_path(f).name} beside it; the benchmark needs the script's truth.")
    detector = load_detector(args.rules, meaning=not getattr(args, "rules_only", False), mine=False)
    threads = stt_threads(args.threads)
    choice = resolve_model(args.model)
    t0 = time.perf_counter()
    engine = WhisperEngine(choice, threads=threads)
    load_s = time.perf_counter() - t0

    results: list[dict[str, Any]] = []
    with BusyProcesses(args.load):
        for f in files:
            if is_mixed(f):
                results.append(bench_mixed(f, engine, detector, choice.label, max(1, args.runs)))
                continue
            results.append(_bench_call(f, engine, detector, choice.label, max(1, args.runs),
                                       echo=args.echo_cancel))
    out = {"model": choice.label, "threads": threads, "model_load_s": round(load_s, 2), "load_processes": args.load,
           "calls": results}
    if args.json:
        print(json.dumps(out, indent=1))
    else:
        _print(out)
    return 0


def _bench_call(f: Path, engine: WhisperEngine, detector: PhraseDetector, model: str, runs: int,
                echo: bool = True) -> dict[str, Any]:
    """One call: the analysis and plain faster-whisper, ``runs`` times each, alternating."""
    from copilot.audio.decode import load_call
    from copilot.pipeline.offline import analyze_call

    truth = load_truth(f)
    ours: list[float] = []
    plain: list[float] = []
    analysis = None
    plain_text: dict[Speaker, str] = {}
    for _ in range(runs):
        t = time.perf_counter()
        audio = load_call(f, rep_channel="right" if truth.rep_channel == "right" else "left")
        analysis = analyze_call(audio, engine, detector, model=model, echo=echo)
        ours.append(time.perf_counter() - t)
        t = time.perf_counter()
        audio = load_call(f, rep_channel="right" if truth.rep_channel == "right" else "left")
        for who in SPEAKERS:
            segments, _ = engine.model.transcribe(audio.rep if who == "rep" else audio.prospect, language="en")
            plain_text[who] = " ".join(s.text for s in segments)
        plain.append(time.perf_counter() - t)
    assert analysis is not None
    ours_text: dict[Speaker, str] = {
        who: " ".join(s.text for s in analysis.segments if s.speaker == who) for who in SPEAKERS
    }
    talk = analysis.session.talk_summary()
    true_talk = truth.talk()
    flags = score_flags(truth, analysis.session.flags)
    result: dict[str, Any] = {
        "file": f.name,
        "duration_s": round(analysis.duration_s, 2),
        "runs": len(ours),
        "analyze_s": round(statistics.median(ours), 3),
        "analyze_rtf": round(statistics.median(ours) / analysis.duration_s, 4),
        "plain_s": round(statistics.median(plain), 3),
        "plain_rtf": round(statistics.median(plain) / analysis.duration_s, 4),
        "analyze_wer": round(truth.wer(ours_text), 4),
        "plain_wer": round(truth.wer(plain_text), 4),
        "rep_share": talk.rep_share,
        "true_rep_share": round(true_talk["rep_share"], 4),
        "longest_rep_monologue_s": talk.longest_rep_monologue_s,
        "true_longest_rep_monologue_s": round(true_talk["longest_rep_monologue_s"], 2),
        "directive_lines": flags.directive_lines,
        "directive_caught": flags.caught,
        "false_flags": flags.false_flags,
        "flags_on_prospect_words": flags.on_prospect,
        "missed": list(flags.missed),
        "false": list(flags.false),
    }
    if analysis.echo is not None:
        result["speaker_echo"] = analysis.as_json()["speaker_echo"]
    if truth.speakers is not None:
        result["bleed"] = dict(truth.speakers)
        if echo:
            result["echo_canceller_off"] = _without_canceller(f, truth, engine, detector, model)
    return result


def _without_canceller(f: Path, truth: CallTruth, engine: WhisperEngine, detector: PhraseDetector,
                       model: str) -> dict[str, Any]:
    """A bleed call analysed once with the microphone left as recorded: what the canceller fixes."""
    from copilot.audio.decode import load_call
    from copilot.pipeline.offline import analyze_call

    audio = load_call(f, rep_channel="right" if truth.rep_channel == "right" else "left")
    analysis = analyze_call(audio, engine, detector, model=model, echo=False)
    flags = score_flags(truth, analysis.session.flags)
    return {"rep_share": analysis.session.talk_summary().rep_share, "directive_caught": flags.caught,
            "false_flags": flags.false_flags, "flags_on_prospect_words": flags.on_prospect}


def _print(out: dict[str, Any]) -> None:
    busy = out["load_processes"]
    print(f"bench analyze: model {out['model']}, {out['threads']} threads (model load {out['model_load_s']} s, "
          "not counted)" + (f", {busy} busy process{'es' if busy != 1 else ''} beside it" if busy else ""))
    for r in out["calls"]:
        if r.get("mixed"):
            print_mixed(r)
            continue
        print(f"\n{r['file']} ({r['duration_s']:.1f} s), median of {r['runs']} runs")
        print(f"  {'':<24}{'time':>8}{'RTF':>8}{'WER':>8}")
        print(f"  {'copilot analyze':<24}{r['analyze_s']:>7.2f}s{r['analyze_rtf']:>8.3f}{r['analyze_wer']:>8.1%}")
        print(f"  {'plain faster-whisper':<24}{r['plain_s']:>7.2f}s{r['plain_rtf']:>8.3f}{r['plain_wer']:>8.1%}")
        ratio = r["analyze_wer"] / r["plain_wer"] if r["plain_wer"] else float("inf")
        print(f"  WER ratio {ratio:.2f} (bar <= 1.10); RTF bar <= 0.15")
        print(f"  rep share {r['rep_share']:.1%} vs truth {r['true_rep_share']:.1%} "
              f"({abs(r['rep_share'] - r['true_rep_share']) * 100:.1f} points; bar <= 2)")
        print(f"  longest rep monologue {r['longest_rep_monologue_s']:.1f} s vs truth "
              f"{r['true_longest_rep_monologue_s']:.1f} s (bar within 2 s)")
        print(f"  directive lines caught {r['directive_caught']}/{r['directive_lines']} (bar >= 80%), "
              f"flags on other lines {r['false_flags']} (bar <= 1), "
              f"on the prospect's words {r['flags_on_prospect_words']}")
        if "speaker_echo" in r:
            e = r["speaker_echo"]
            said = f"removed, -{e['removed_db']:.0f} dB" if e["found"] else "none found"
            print(f"  speaker echo: {said} (microphone {e['mic_delay_s'] * 1000:.0f} ms behind the call audio)")
        if "echo_canceller_off" in r:
            o = r["echo_canceller_off"]
            b = r["bleed"]
            print(f"  bleed {b['gain_db']:+.0f} dB, {b['delay_ms']:.0f} ms, {b['drift_ppm']:.0f} ppm; canceller off: "
                  f"rep share {o['rep_share']:.1%}, caught {o['directive_caught']}/{r['directive_lines']}, "
                  f"{o['false_flags']} other flags ({o['flags_on_prospect_words']} on the prospect's words)")
        for m in r["missed"]:
            print(f"    missed: {m}")
        for m in r["false"]:
            print(f"    false flag: {m}")
