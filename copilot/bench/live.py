"""``copilot bench live``: a recorded call replayed through the live pipeline, with its latencies.

In one process: the call is replayed at ``--speed`` (1 = real time) through the same
pipeline ``copilot live`` runs, every event is kept with the wall time it was emitted,
and the numbers of the live bars are read off them — talk-state latency (against the
script's line starts and ends), final-segment latency (last word → final text), flag
latency (end of the matched phrase → flag), CPU use of this process (percent of one core,
averaged over the replay), peak RSS and its growth, and the transcript's word error rate
beside ``copilot analyze`` of the same file on the same model.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import threading
import time
from pathlib import Path
from typing import Any

from copilot.bench.load import BusyProcesses
from copilot.bench.memory import peak_rss_mb, rss_mb
from copilot.core.assets import asset_path
from copilot.core.events import SPEAKERS, Flag, Speaker
from copilot.errors import UserError
from copilot.scripted.truth import CallTruth, load_truth, score_flags, truth_path

__all__ = ["run", "percentile", "talk_latencies"]

_IMPORTED = time.monotonic()


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of a non-empty list."""
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def talk_latencies(truth: CallTruth, events: list[dict[str, Any]], speed: float = 1.0,
                   within_s: float = 0.6) -> list[float]:
    """Wall delay from each scripted start or stop to the speech event that reports it."""
    out: list[float] = []
    for line in truth.lines:
        for state, t in (("start", line.start), ("end", line.end)):
            match = [e for e in events if e["type"] == "speech" and e["speaker"] == line.speaker
                     and e["state"] == state and abs(e["t"] - t) <= within_s]
            if match:
                out.append(min(e["wall"] for e in match) - t / speed)
    return out


def run(args: argparse.Namespace) -> int:
    """Replay the call, print the numbers (or JSON)."""
    from copilot.audio.decode import load_call
    from copilot.audio.sources import FileSource
    from copilot.pipeline.events import Stamped
    from copilot.pipeline.offline import analyze_call
    from copilot.pipeline.options import LiveOptions
    from copilot.pipeline.sinks import event_json
    from copilot.stt.engine import ShortWindows
    from copilot.stt.models import resolve_model
    from copilot.wiring import live_detector, live_session, live_threads, whisper

    f = Path(args.file) if args.file else asset_path("samples", "discovery_call.opus")
    truth = load_truth(f) if truth_path(f).is_file() else None
    options = LiveOptions.from_args(args)
    detector = live_detector(options, mine=False)  # the bundled detector, whatever the rep taught it
    audio = load_call(f, rep_channel="right" if truth and truth.rep_channel == "right" else "left")
    choice = resolve_model(options.model)
    if not args.speed > 0:
        raise UserError("--speed must be more than 0.")
    # One model for both: the live session's threads (the offline comparison is not timed).
    offline_engine = whisper(choice, live_threads(options.threads))
    engine = ShortWindows(offline_engine)

    events: list[dict[str, Any]] = []
    rss: list[tuple[float, float]] = []
    done = threading.Event()

    def sample_rss() -> None:
        start = time.monotonic()
        while not done.wait(1.0):
            if (mb := rss_mb()) is not None:
                rss.append((time.monotonic() - start, mb))

    sampler = threading.Thread(target=sample_rss, daemon=True)
    def keep(stamped: Stamped) -> None:
        # Only the event log's fields are kept (not the events with their words): over an hour
        # the bench's own list would otherwise be most of the memory growth it reports.
        events.append(event_json(stamped))

    pipeline = live_session(options, FileSource(audio, speed=args.speed), [keep], engine=engine, detector=detector)
    load = BusyProcesses(args.load)
    before = time.process_time()  # user and system CPU of every thread, as getrusage counts it
    wall0 = time.monotonic()
    sampler.start()
    try:
        session = pipeline.run()
    finally:
        load.stop()
    wall = time.monotonic() - wall0
    after = time.process_time()
    done.set()
    session_cpu_s = after - before
    cpu = session_cpu_s / wall * 100
    # The whole process: start-up and the model's load too, over the time since the process began.
    whole = after / _process_age_s() * 100
    peak_mb = peak_rss_mb()

    # The offline analysis of the same call, unless --no-compare (a long call's memory run).
    offline = None if args.no_compare else analyze_call(audio, offline_engine, detector, model=choice.label,
                                                        echo=options.echo_cancel)
    # The transcript as stored: finals, with the rep's revisions in place of what they replace.
    live_text: dict[Speaker, str] = {
        w: " ".join(s.text for s in session.segments if s.speaker == w) for w in SPEAKERS
    }
    # Live flags (from what was heard as it was said) are the ones a prompt can follow; a flag
    # found only in a revision comes seconds late and is kept for the review.
    all_flags = [e for e in events if e["type"] == "flag"]
    flags = [e for e in all_flags if not e.get("revised")]
    finals = [e for e in events if e["type"] == "segment" and "replaces" not in e]
    revisions = [e for e in events if e["type"] == "segment" and "replaces" in e]
    out: dict[str, Any] = {
        "file": f.name, "duration_s": round(audio.duration_s, 2), "speed": args.speed, "model": choice.label,
        "wall_s": round(wall, 2),
        "cpu_percent_of_one_core": round(cpu, 1),
        "cpu_percent_whole_process": round(whole, 1),
        "cpu_budget_percent": options.cpu_share * 100, "load_processes": args.load,
        "speaker_echo": pipeline.echo.report().sentence() if pipeline.echo is not None else "not cancelled",
        "echo_canceller_cpu_percent": (round(100 * pipeline.echo.report().cpu_s * args.speed / audio.duration_s, 2)
                                       if pipeline.echo is not None else None),
        # Live the canceller measures the echo's lag and moves the pairing when the call audio came late.
        "echo_mic_held_back_s": round(pipeline.echo.mic_delay_s, 3) if pipeline.echo is not None else None,
        "peak_rss_mb": round(peak_mb, 1) if peak_mb is not None else None,
        "rss_growth_after_5min_mb": _growth(rss, 300.0 / args.speed),
        "rss_highest_above_5min_mb": _growth(rss, 300.0 / args.speed, highest=True),
        "rss_mb_every_5min": [round(mb) for t, mb in _every(rss, 300.0 / args.speed)],
        # Latencies in wall seconds: audio time t is played at wall time t / speed.
        "final_latency_s": _stats([e["wall"] - e["end"] / args.speed for e in finals]),
        "flag_latency_s": _stats([e["wall"] - e["t"] / args.speed for e in flags]),
        # Each live flag's own latency, to tell which phrase came late.
        "flags": [{"match": e["match"], "latency_s": round(e["wall"] - e["t"] / args.speed, 3)} for e in flags],
        "revision_latency_s": _stats([e["wall"] - e["end"] / args.speed for e in revisions]),
        # Prompts that left the screen early because their flag was taken back, and how long each was up (audio s).
        "prompts": sum(e["type"] == "prompt" for e in events),
        "prompts_taken_back": [round(e["t"] - e["shown_at"], 2) for e in events if e["type"] == "taken_back"],
        "stt_jobs": {"partial": pipeline.counters.partial_jobs, "final": pipeline.counters.final_jobs,
                     "peek": pipeline.counters.peek_jobs,
                     "busy_s": round(pipeline.counters.stt_busy_s, 1),
                     "partial_checks_held_over_budget": pipeline.counters.partials_held},
        # Of the session's CPU time: each decoding stage's share, and the rest (VAD, coach, replay, glue).
        "cpu_s_by_stage": _by_stage(engine.times.cpu_s, session_cpu_s),
        "decodes_by_window_s": {str(k): v for k, v in sorted(engine.times.windows.items())},
        "live_rep_share": session.talk_summary().rep_share,
        "analyze_rep_share": offline.session.talk_summary().rep_share if offline else None,
    }
    if truth is not None:
        out["talk_latency_s"] = _stats(talk_latencies(truth, events, args.speed))
        def score(chosen: list[dict[str, Any]]) -> Any:
            return score_flags(truth, [Flag(e["speaker"], e["start"], e["end"], e["category"], e["match"],
                                            e["text"], e["prompt"]) for e in chosen])

        live, stored = score(flags), score(all_flags)
        out["directive_caught"] = f"{live.caught}/{live.directive_lines}"
        out["false_flags"] = live.false_flags
        out["flags_on_prospect_words"] = live.on_prospect
        out["true_rep_share"] = round(truth.talk()["rep_share"], 4)
        out["missed"] = list(live.missed)
        out["false"] = list(live.false)
        out["directive_caught_with_revisions"] = f"{stored.caught}/{stored.directive_lines}"
        # What the review and the stored call keep: a partial's flag the whole sentence did not bear out is taken back.
        kept = score_flags(truth, session.flags)
        out["kept"] = {"caught": f"{kept.caught}/{kept.directive_lines}", "false_flags": kept.false_flags,
                       "taken_back": len(session.withdrawn)}
        out["live_wer"] = round(truth.wer(live_text), 4)
        out["wer_by_speaker"] = {w: {"live": round(truth.wer({w: live_text[w]}, w), 4)} for w in SPEAKERS}
        if offline is not None:
            offline_text: dict[Speaker, str] = {
                w: " ".join(s.text for s in offline.segments if s.speaker == w) for w in SPEAKERS
            }
            out["analyze_wer"] = round(truth.wer(offline_text), 4)
            for w in SPEAKERS:
                out["wer_by_speaker"][w]["analyze"] = round(truth.wer({w: offline_text[w]}, w), 4)
    print(json.dumps(out, indent=1) if args.json else _table(out))
    return 0


def _by_stage(stages: dict[str, float], total: float) -> dict[str, float]:
    out = {k: round(v, 1) for k, v in stages.items()}
    out["other"] = round(max(0.0, total - sum(stages.values())), 1)
    return out


def _process_age_s() -> float:
    """Wall seconds since this process started (Linux: from /proc; elsewhere since this module loaded)."""
    try:
        with open("/proc/self/stat") as f:
            start_ticks = int(f.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime") as f:
            uptime = float(f.read().split()[0])
        return uptime - start_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return time.monotonic() - _IMPORTED


def _growth(samples: list[tuple[float, float]], after_s: float, window: int = 30,
            highest: bool = False) -> float | None:
    """How far memory climbed after ``after_s``: the median RSS of the last ``window`` samples
    minus that of the first ``window`` after it (a leak moves them apart; a short spike that
    is given back does not). With ``highest``: the highest sample instead of the last ones."""
    later = [mb for t, mb in samples if t >= after_s]
    if len(later) < 2 * window:
        return None
    top = max(later) if highest else statistics.median(later[-window:])
    return round(top - statistics.median(later[:window]), 1)


def _every(samples: list[tuple[float, float]], step: float) -> list[tuple[float, float]]:
    """The first sample at or after each multiple of ``step`` seconds (RSS over the call)."""
    out: list[tuple[float, float]] = []
    for t, mb in samples:
        if t >= len(out) * step:
            out.append((t, mb))
    return out


def _stats(values: list[float]) -> dict[str, float | int]:
    if not values:
        return {"n": 0}
    return {"n": len(values), "median": round(statistics.median(values), 3), "p95": round(percentile(values, 95), 3),
            "max": round(max(values), 3)}


def _table(o: dict[str, Any]) -> str:
    def s(d: dict[str, Any]) -> str:
        return "none" if not d.get("n") else f"median {d['median']:.2f} s, p95 {d['p95']:.2f} s (n={d['n']})"

    lines = [
        f"bench live: {o['file']} ({o['duration_s']:.0f} s) at speed {o['speed']}, model {o['model']}",
        f"  flag latency        {s(o['flag_latency_s'])}   bars: median <= 1.0 s, p95 <= 2.0 s",
        f"  final latency       {s(o['final_latency_s'])}",
        f"  revision latency    {s(o['revision_latency_s'])}",
    ]
    if "talk_latency_s" in o:
        lines.append(f"  talk-state latency  {s(o['talk_latency_s'])}   bar: within 0.3 s")
    lines += [
        f"  CPU                 {o['cpu_percent_of_one_core']:.0f}% of one core for the session (model load "
        f"excluded), {o['cpu_percent_whole_process']:.0f}% for the whole process; budget "
        f"{o['cpu_budget_percent']:g}%   bar: <= 50%"
        + (f"   ({o['load_processes']} busy process{'es' if o['load_processes'] != 1 else ''} beside it)"
           if o["load_processes"] else ""),
        (f"  peak RSS            {o['peak_rss_mb']:.0f} MB   bar: <= 700 MB" if o["peak_rss_mb"] is not None
         else "  peak RSS            not measured (no resource module here, nor psutil)")
        + (f"; growth after 5 min {o['rss_growth_after_5min_mb']} MB (bar <= 50; highest "
           f"{o['rss_highest_above_5min_mb']} MB above; every 5 min: "
           f"{', '.join(str(mb) for mb in o['rss_mb_every_5min'])})" if o["rss_growth_after_5min_mb"] is not None
           else ""),
        f"  speaker echo        {o['speaker_echo']}"
        + (f" (the canceller: {o['echo_canceller_cpu_percent']:.1f}% of a core; bar <= 3%)"
           if o["echo_canceller_cpu_percent"] is not None else ""),
        f"  STT jobs            {o['stt_jobs']['final']} finals, {o['stt_jobs']['partial']} partials, "
        f"{o['stt_jobs']['peek']} peeks, "
        f"{o['stt_jobs']['busy_s']} s busy",
        "  CPU by stage        " + ", ".join(f"{k} {v:.1f} s" for k, v in o["cpu_s_by_stage"].items())
        + "; decodes by window: " + ", ".join(f"{k} s x{v}" for k, v in o["decodes_by_window_s"].items()),
    ]
    if o["analyze_rep_share"] is not None:
        lines.append(f"  rep share           live {o['live_rep_share']:.1%} vs analyze {o['analyze_rep_share']:.1%}   "
                     "bar: within 2 points")
    if "analyze_wer" in o:
        ratio = o["live_wer"] / o["analyze_wer"] if o["analyze_wer"] else float("inf")
        lines.append(f"  WER                 live {o['live_wer']:.1%} vs analyze {o['analyze_wer']:.1%} "
                     f"(ratio {ratio:.2f}; bar <= 1.15)")
    if "live_wer" in o:
        lines += [
            f"  directive lines     {o['directive_caught']} caught live, {o['false_flags']} flags on other lines; "
            f"{o['directive_caught_with_revisions']} with the revisions (no prompt: late); "
            f"{o['flags_on_prospect_words']} on the prospect's words",
            f"  kept for the review {o['kept']['caught']} caught, {o['kept']['false_flags']} flags on other lines "
            f"({o['kept']['taken_back']} taken back when the whole sentence or the buyer was heard)",
            f"  prompts             {o['prompts']} shown, {len(o['prompts_taken_back'])} withdrawn early "
            f"(up {', '.join(f'{s:.1f}' for s in o['prompts_taken_back']) or '-'} s)",
            f"  rep share (truth)   live {o['live_rep_share']:.1%} vs truth {o['true_rep_share']:.1%}",
        ]
        lines += [f"    missed: {m}" for m in o["missed"]]
        lines += [f"    false flag: {m}" for m in o.get("false", [])]
    return "\n".join(lines)
