"""Ground truth of a scripted call (``NAME.truth.json`` beside the audio) and scoring against it.

The truth file lists every line of the script with its speaker, exact audio times, text and
whether it is directive. From it come the true talk numbers (through the same
:class:`TalkTracker` definitions the app uses) and the checks of the analysis bars.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from copilot.core.events import SPEAKERS, Flag, Speaker, SpeechSpan, Stretch
from copilot.core.talk import TalkTracker

__all__ = ["Line", "CallTruth", "truth_path", "load_truth", "FlagScore", "score_flags"]


@dataclass(frozen=True)
class Line(Stretch):
    """One scripted line: who says it, when, what, and whether it takes the wheel."""

    text: str
    directive: bool


@dataclass(frozen=True)
class CallTruth:
    """What really happened in a scripted call."""

    lines: tuple[Line, ...]
    duration_s: float
    rep_channel: str
    speakers: Mapping[str, float] | None = None  # how the rep's microphone heard the prospect (a bleed call)

    def text(self, speaker: Speaker) -> str:
        """Everything one speaker said, in order."""
        return " ".join(line.text for line in self.lines if line.speaker == speaker)

    def wer(self, texts: Mapping[Speaker, str], *only: Speaker) -> float:
        """Word error rate of a transcript (text per speaker) over both speakers together (or ``only`` these)."""
        from copilot.scripted.wer import normalize, word_errors

        errors = words = 0
        for who in only or SPEAKERS:
            ref = normalize(self.text(who))
            errors += word_errors(ref, normalize(texts.get(who, "")))
            words += len(ref)
        return errors / words if words else 0.0

    def talk(self) -> dict[str, float]:
        """True rep share and longest monologues, by the app's own definitions."""
        tracker = TalkTracker()
        for line in sorted(self.lines, key=lambda x: x.end):
            tracker.add(SpeechSpan(line.speaker, line.start, line.end))
        st = tracker.finish(self.duration_s)
        return {"rep_share": st.rep_share, "longest_rep_monologue_s": st.longest_monologue.get("rep", 0.0),
                "longest_prospect_monologue_s": st.longest_monologue.get("prospect", 0.0)}


def truth_path(audio: str | Path) -> Path:
    """``NAME.truth.json`` beside ``NAME.opus`` (or any other extension)."""
    p = Path(audio)
    return p.with_name(p.name.split(".")[0] + ".truth.json")


def load_truth(audio: str | Path) -> CallTruth:
    """The truth file that belongs to a call recording."""
    data: dict[str, Any] = json.loads(truth_path(audio).read_text(encoding="utf-8"))
    lines = tuple(Line(x["speaker"], float(x["start"]), float(x["end"]), x["text"], bool(x["directive"]))
                  for x in data["lines"])
    return CallTruth(lines, float(data["duration_s"]), str(data.get("rep_channel", "left")), data.get("speakers"))


@dataclass(frozen=True)
class FlagScore:
    """How the flags of a call line up with its directive lines."""

    directive_lines: int
    caught: int
    false_flags: int  # flags on rep lines that are not directive, or on no rep line at all
    missed: tuple[str, ...]
    false: tuple[str, ...]
    on_prospect: int = 0  # of the false flags, those on the prospect's words only (bleed taken for the rep)

    @property
    def recall(self) -> float:
        """Share of directive lines that got a flag."""
        return self.caught / self.directive_lines if self.directive_lines else 1.0


def score_flags(truth: CallTruth, flags: Sequence[Flag]) -> FlagScore:
    """Match each flag to the scripted rep line it overlaps in time."""
    rep_lines = [line for line in truth.lines if line.speaker == "rep"]
    prospect_lines = [line for line in truth.lines if line.speaker == "prospect"]
    flagged: set[int] = set()
    false: list[str] = []
    on_prospect = 0
    for f in flags:
        hits = [i for i, line in enumerate(rep_lines) if f.start < line.end + 0.3 and line.start - 0.3 < f.end]
        if any(rep_lines[i].directive for i in hits):
            flagged.update(i for i in hits if rep_lines[i].directive)
        else:
            false.append(f.text)
            if not hits and any(f.start < line.end and line.start < f.end for line in prospect_lines):
                on_prospect += 1
    directive = [i for i, line in enumerate(rep_lines) if line.directive]
    missed = tuple(rep_lines[i].text for i in directive if i not in flagged)
    return FlagScore(len(directive), len(directive) - len(missed), len(false), missed, tuple(false), on_prospect)
