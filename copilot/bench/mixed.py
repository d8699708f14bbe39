"""``copilot bench analyze`` on a mixed recording: how well the voices were told apart.

The truth of a mixed call (``"mixed": true``, made by ``tools/make_mixed_call.py`` from
real single-speaker recordings) names each line's voice. Reported: the rep's share against
the truth, a frame-level diarization error rate (10 ms frames; missed speech, false alarm
and confusion over the truth's speech, voices matched to the truth's by most overlap), the
share of lines whose frames went mostly to the right voice, and the real-time factor. The
rep's voice is found from ``NAME.rep.opus`` beside the call (a clip of the rep from other
recordings) when there is one.
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from copilot.scripted.truth import load_truth, truth_path

if TYPE_CHECKING:
    from copilot.core.phrases import PhraseDetector
    from copilot.stt.engine import WhisperEngine

__all__ = ["is_mixed", "bench_mixed", "print_mixed"]


def is_mixed(f: Path) -> bool:
    """True when the call's truth says it is a mixed recording."""
    return bool(json.loads(truth_path(f).read_text(encoding="utf-8")).get("mixed"))


def _frames(intervals: list[tuple[int, float, float]], n: int) -> np.ndarray:
    out = np.full(n, -1, np.int64)
    for v, a, b in intervals:
        out[int(round(a * 100)): int(round(b * 100))] = v
    return out


def bench_mixed(f: Path, engine: WhisperEngine, detector: PhraseDetector, model: str, runs: int) -> dict[str, Any]:
    """Analyse a mixed call ``runs`` times; its diarization numbers against the truth."""
    from copilot.audio.decode import MixedAudio, decode, load_recording
    from copilot.pipeline.mixed import analyze_mixed
    from copilot.voices.embedder import VoiceEmbedder
    from copilot.voices.profile import voiceprint_of

    data = json.loads(truth_path(f).read_text(encoding="utf-8"))
    truth = load_truth(f)
    embedder = VoiceEmbedder()
    clip = f.with_name(f.name.split(".")[0] + ".rep.opus")
    times: list[float] = []
    analysis = None
    for _ in range(runs):
        t = time.perf_counter()
        audio = load_recording(f)
        assert isinstance(audio, MixedAudio), f"{f} has its truth marked mixed but two different channels"
        rep_print = voiceprint_of(decode(clip, mono=True)[0], embedder)[0] if clip.exists() else None
        analysis = analyze_mixed(audio, engine, detector, embedder, model=model, rep_print=rep_print)
        times.append(time.perf_counter() - t)
    assert analysis is not None and analysis.voices is not None
    names = list(data["voices"])
    n = int(truth.duration_s * 100) + 1
    ref = _frames([(names.index(x["voice"]), x["start"], x["end"]) for x in data["lines"]], n)
    # The analysis' own spans say which voice was the rep's; the voices' turns come from the speakers' spans.
    hyp_voice = _frames([(0 if s.speaker == "rep" else 1, s.start, s.end) for s in analysis.spans], n)
    rep_truth = names.index(data.get("rep_voice", names[0]))
    # Frame-level error with the voices as the analysis labelled them: rep vs everyone else (the review's view).
    ref_side = np.where(ref < 0, -1, np.where(ref == rep_truth, 0, 1))
    speech = ref_side >= 0
    missed = int(np.sum(speech & (hyp_voice < 0)))
    false_alarm = int(np.sum(~speech & (hyp_voice >= 0)))
    confusion = int(np.sum(speech & (hyp_voice >= 0) & (hyp_voice != ref_side)))
    lines_ok = 0
    for x in data["lines"]:
        seg = hyp_voice[int(round(x["start"] * 100)): int(round(x["end"] * 100))]
        seg = seg[seg >= 0]
        want = 0 if x["voice"] == names[rep_truth] else 1
        lines_ok += bool(len(seg)) and int(np.bincount(seg, minlength=2).argmax()) == want
    true_share = truth.talk()["rep_share"]
    share = analysis.session.talk_summary().rep_share
    return {
        "file": f.name, "mixed": True, "duration_s": round(analysis.duration_s, 2), "runs": len(times),
        "analyze_s": round(statistics.median(times), 3),
        "analyze_rtf": round(statistics.median(times) / analysis.duration_s, 4),
        "voices_found": len(analysis.voices.voices), "voices_true": len(names),
        "rep_chosen_by": analysis.voices.how,
        "rep_share": share, "true_rep_share": round(true_share, 4),
        "rep_share_error_points": round(100 * (share - true_share), 2),
        "der": round((missed + false_alarm + confusion) / max(1, int(speech.sum())), 4),
        "der_parts": {"missed": round(missed / 100, 1), "false_alarm": round(false_alarm / 100, 1),
                      "confusion": round(confusion / 100, 1)},
        "lines_right": f"{lines_ok}/{len(data['lines'])}",
    }


def print_mixed(r: dict[str, Any]) -> None:
    """The mixed call's lines of the benchmark table."""
    print(f"\n{r['file']} ({r['duration_s']:.1f} s, mixed), median of {r['runs']} runs")
    print(f"  copilot analyze {r['analyze_s']:.2f} s, RTF {r['analyze_rtf']:.3f} (bar <= 0.20)")
    print(f"  voices found {r['voices_found']} (truth {r['voices_true']}); the rep by {r['rep_chosen_by']}")
    print(f"  rep share {r['rep_share']:.1%} vs truth {r['true_rep_share']:.1%} "
          f"({r['rep_share_error_points']:+.1f} points; bar within 3)")
    p = r["der_parts"]
    print(f"  diarization error rate (you vs the others) {r['der']:.1%}: missed {p['missed']} s, "
          f"false alarm {p['false_alarm']} s, confusion {p['confusion']} s")
    print(f"  lines on the right side {r['lines_right']} (bar >= 95%)")
