"""``copilot bench counselling CSV``: does the detector generalise beyond sales scripts?

Runs the detector over the counsellor's lines of expert-annotated counselling dialogues in
the AnnoMI format (public motivational-interviewing transcripts, high and low quality) and
reports:

- how often the counsellor's **advice** is flagged (AnnoMI ``therapist_input_subtype`` =
  advice; where a file also has ``advice_subtype`` ADW/ADP, advice *without* permission is
  reported on its own): it should be flagged at least half the time;
- how often **reflections** ("So you're worried that…") are flagged: almost never (≤ 5%);
- whether **directive-heavy** (low-quality) sessions stand out from autonomy-supportive
  (high-quality) ones: flagged share of counsellor lines per session, and the chance that a
  random low-quality session has a higher share than a random high-quality one (AUC).
"""

from __future__ import annotations

import csv
import json
import statistics
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from copilot.core.phrases import PhraseDetector
from copilot.errors import UserError

__all__ = ["Utterance", "CounsellingFileError", "read_annomi", "measure", "run"]

_REQUIRED = ("transcript_id", "mi_quality", "interlocutor", "utterance_text", "main_therapist_behaviour")


@dataclass(frozen=True)
class Utterance:
    """One counsellor line with its expert labels."""

    transcript: str
    quality: str
    text: str
    behaviour: str
    input_subtype: str
    advice_subtype: str


class CounsellingFileError(UserError, ValueError):
    """The counselling CSV cannot be used; the message names the file and what is wrong."""


def read_annomi(path: str | Path) -> list[Utterance]:
    """Counsellor lines of an AnnoMI-format CSV, one annotation per line."""
    p = Path(path)
    if not p.is_file():
        raise CounsellingFileError(f"{p}: no such file; give the path of an AnnoMI-format CSV")
    try:
        with p.open(newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            missing = [c for c in _REQUIRED if c not in (reader.fieldnames or [])]
            if missing:
                raise CounsellingFileError(f"{p}: not an AnnoMI-format CSV (no column {missing[0]!r})")
            seen: set[tuple[str, str]] = set()
            out = []
            for row in reader:
                if row["interlocutor"] != "therapist":
                    continue
                key = (row["transcript_id"], row.get("utterance_id") or str(len(seen)))
                if key in seen:
                    continue  # a second annotator of the same line
                seen.add(key)
                out.append(
                    Utterance(
                        transcript=row["transcript_id"] or "",
                        quality=row["mi_quality"] or "",
                        text=row["utterance_text"] or "",  # a short row leaves fields empty
                        behaviour=row["main_therapist_behaviour"] or "",
                        input_subtype=row.get("therapist_input_subtype") or "",
                        advice_subtype=(row.get("advice_subtype") or "").upper(),
                    )
                )
    except PermissionError:
        raise CounsellingFileError(f"{p}: cannot be opened: permission denied") from None
    except UnicodeDecodeError:
        raise CounsellingFileError(f"{p}: not a UTF-8 text file") from None
    except csv.Error as e:
        raise CounsellingFileError(f"{p}: not a readable CSV ({e})") from None
    if not out:
        raise CounsellingFileError(f"{p}: has no counsellor (therapist) lines")
    return out


def measure(utterances: list[Utterance], detector: PhraseDetector) -> dict[str, object]:
    """The generalisation numbers for these lines (see the module docstring)."""
    detector.prime([u.text for u in utterances])  # the model layer, if on, scores in batches
    flagged = [detector.detect(u.text).flagged for u in utterances]

    def rate(pick: list[bool]) -> dict[str, float | int]:
        chosen = [f for f, p in zip(flagged, pick, strict=True) if p]
        return {"n": len(chosen), "flagged": sum(chosen), "rate": sum(chosen) / len(chosen) if chosen else 0.0}

    per_session: dict[str, list[bool]] = defaultdict(list)
    quality: dict[str, str] = {}
    for u, f in zip(utterances, flagged, strict=True):
        per_session[u.transcript].append(f)
        quality[u.transcript] = u.quality
    shares = {t: sum(fs) / len(fs) for t, fs in per_session.items()}
    high = [s for t, s in shares.items() if quality[t] == "high"]
    low = [s for t, s in shares.items() if quality[t] == "low"]
    pairs = [(lo, hi) for lo in low for hi in high]
    auc = sum(1.0 if lo > hi else 0.5 if lo == hi else 0.0 for lo, hi in pairs) / len(pairs) if pairs else None
    return {
        "counsellor_lines": len(utterances),
        "advice": rate([u.input_subtype == "advice" for u in utterances]),
        "advice_low_quality": rate([u.input_subtype == "advice" and u.quality == "low" for u in utterances]),
        "advice_without_permission": rate([u.advice_subtype == "ADW" for u in utterances]),
        "advice_with_permission": rate([u.advice_subtype == "ADP" for u in utterances]),
        "reflections": rate([u.behaviour == "reflection" for u in utterances]),
        "questions": rate([u.behaviour == "question" for u in utterances]),
        "sessions": {
            "high_quality": {"n": len(high), "median_flagged_share": statistics.median(high) if high else None},
            "low_quality": {"n": len(low), "median_flagged_share": statistics.median(low) if low else None},
            "auc_low_above_high": auc,
        },
    }


def run(path: str, detector: PhraseDetector, as_json: bool = False) -> int:
    """Print the numbers for an AnnoMI-format CSV."""
    result = measure(read_annomi(path), detector)
    if as_json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"copilot bench counselling: {result['counsellor_lines']} counsellor lines from {path}")
    for key, label, bar in (
        ("advice", "advice (all)", "higher is better"),
        ("advice_low_quality", "advice, low-quality sessions", ">= 50% flagged"),
        ("advice_without_permission", "advice without permission", ">= 50% flagged"),
        ("advice_with_permission", "advice with permission", "lower is better"),
        ("reflections", "reflections", "<= 5% flagged"),
        ("questions", "questions", "lower is better"),
    ):
        r = result[key]
        assert isinstance(r, dict)
        if r["n"]:
            print(f"  {label:<28} {r['flagged']:>4} / {r['n']:<5} flagged = {r['rate']:6.1%}   (bar: {bar})")
    s = result["sessions"]
    assert isinstance(s, dict)
    for q in ("high_quality", "low_quality"):
        if s[q]["n"]:
            print(
                f"  {q.replace('_', '-')} sessions: {s[q]['n']:>3}, median share of lines flagged "
                f"{s[q]['median_flagged_share']:.1%}"
            )
    if s["auc_low_above_high"] is not None:
        auc = s["auc_low_above_high"]
        print(f"  chance a low-quality session is more directive than a high-quality one: {auc:.2f}")
    return 0
