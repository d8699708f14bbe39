"""What the post-call review shows, worked out from a finished call.

Pure, so the review window, the HTML report and the tests read the same numbers: the
rolling two-minute rep share for the timeline, the headline numbers beside the benchmarks
they are judged by, and which flags belong to which line of the transcript.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, TypeVar

from copilot.core.events import Answer, Flag, Segment, Speaker, SpeechSpan, SupportiveLine
from copilot.core.facts import HIGH_REP_SHARE, IDEAL_REP_SHARE, LONG_PITCH_S, TALK_WINDOW_S
from copilot.core.phrases import PhraseDetector
from copilot.core.talk import TalkSummary

LINE_SLACK_S = 0.5  # a phrase's word times may start a little before its line's (Whisper's timings differ)

__all__ = ["Number", "FlaggedLine", "LINE_SLACK_S", "rolling_share", "numbers",
           "supportive_lines", "flagged_lines", "whole_sentences", "clock"]

Rating = Literal["good", "watch", "poor", ""]

_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)")
# How far apart the two parts of one cut sentence can be: live speech to text packs at most a
# 30 s window, and a word it misplaced moved by less than that.
_CUT_WITHIN_S = 30.0


@dataclass(frozen=True)
class Number:
    """One headline number of the call, with the benchmark it is read against."""

    label: str
    value: str
    benchmark: str
    verdict: Rating = ""  # "" when the benchmark gives no line to cross


@dataclass(frozen=True)
class FlaggedLine:
    """A transcript line and the flags raised on it (the phrase, its category, the line to say instead), and
    those the rep marked as not pushy (left out of the call's numbers)."""

    segment: Segment
    flags: tuple[Flag, ...]
    cleared: tuple[Flag, ...] = ()
    answers: tuple[Answer, ...] = ()  # phrases not counted: the buyer had asked for that advice
    supportive: tuple[SupportiveLine, ...] = ()  # phrases that handed the choice back ("it's your call")


def clock(t: float) -> str:
    """Seconds as m:ss (or h:mm:ss) for a rep reading a timeline."""
    t = max(0, int(round(t)))
    h, rest = divmod(t, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def rolling_share(spans: Sequence[SpeechSpan], duration_s: float, window_s: float = TALK_WINDOW_S,
                  step_s: float = 5.0) -> list[tuple[float, float | None]]:
    """(time, rep share of the talk in the ``window_s`` before it) every ``step_s``; None while nobody talked.

    One pass over the spans per speaker (cumulative talk at each step), so an hour-long call
    with thousands of spans costs milliseconds.
    """
    steps = sorted({min(i * step_s, duration_s) for i in range(int(duration_s // step_s) + 2)})
    talked = {who: _talked_by(spans, who, steps) for who in ("rep", "prospect")}
    out: list[tuple[float, float | None]] = []
    for i, t in enumerate(steps):
        j = bisect_right(steps, t - window_s) - 1  # the last step at or before the window's start
        rep = talked["rep"][i] - (talked["rep"][j] if j >= 0 else 0.0)
        prospect = talked["prospect"][i] - (talked["prospect"][j] if j >= 0 else 0.0)
        total = rep + prospect
        out.append((t, rep / total if total > 0.5 else None))
    return out


def _talked_by(spans: Sequence[SpeechSpan], who: Speaker, steps: Sequence[float]) -> list[float]:
    """Seconds ``who`` had talked by each step time (steps ascending)."""
    mine = sorted((s for s in spans if s.speaker == who), key=lambda s: s.start)
    out: list[float] = []
    done = 0.0  # talk in spans that ended by the current step
    k = 0
    for t in steps:
        while k < len(mine) and mine[k].end <= t:
            done += mine[k].end - mine[k].start
            k += 1
        still_open = t - mine[k].start if k < len(mine) and mine[k].start < t else 0.0
        out.append(done + still_open)
    return out


def supportive_lines(segments: Sequence[Segment], detector: PhraseDetector) -> list[SupportiveLine]:
    """The rep's autonomy-supportive lines ("it's your call") in the transcript: the rulebook's patterns alone,
    as the live session found them (the model layer judges only directive phrasing, and is never run here)."""
    out: list[SupportiveLine] = []
    for seg in segments:
        if seg.speaker == "rep":
            out += [SupportiveLine("rep", seg.start, seg.end, h.match, seg.text)
                    for h in detector.supportive_hits(seg.text)]
    return out


def supportive_count(supportive: Sequence[SupportiveLine], segments: Sequence[Segment]) -> int:
    """How many of the rep's lines handed the choice back: a line with two such phrases ("What would you need to
    see to move forward on your own terms?") is one line, as the review's number says. Each phrase has its own
    time (from the words), so a phrase belongs to the rep's transcript line it starts in (``segments``: the
    call's, kept with their times when retention deletes their words); one in no line counts on its own.
    store/progress.py counts them the same way in SQL."""
    rep = sorted((g for g in segments if g.speaker == "rep"), key=lambda g: g.start)
    starts = [g.start for g in rep]
    lines: set[int] = set()
    alone = 0
    for x in supportive:
        if x.speaker != "rep":
            continue
        # The earliest line that holds it, as the SQL picks (lines start before it ends; few are long).
        held = next((k for k in range(bisect_right(starts, x.start + LINE_SLACK_S))
                     if x.start <= rep[k].end + LINE_SLACK_S), None)
        if held is None:
            alone += 1
        else:
            lines.add(held)
    return len(lines) + alone


def numbers(talk: TalkSummary | None, flags: Sequence[Flag], supportive: int) -> list[Number]:
    """The review's headline numbers, each beside its benchmark (zeros for a call that never finished)."""
    talk = talk or TalkSummary()
    share = talk.rep_share
    rep_s = talk.rep_s
    mono = talk.longest_rep_monologue_s
    story = talk.longest_prospect_monologue_s
    questions = talk.rep_questions
    directive = sum(1 for f in flags if f.speaker == "rep")
    per_10 = directive / (rep_s / 600.0) if rep_s > 0 else 0.0
    share_verdict: Rating = "good" if share <= 0.5 else "watch" if share <= HIGH_REP_SHARE else "poor"
    ideal, high = round(IDEAL_REP_SHARE * 100), round(HIGH_REP_SHARE * 100)
    return [
        Number("Talk share (you : them)", f"{share:.0%} : {1 - share:.0%}",
               f"{ideal} : {100 - ideal} on the best-converting calls; over {high} : {100 - high} win rates drop",
               share_verdict),
        Number("Longest monologue (you)", clock(mono), f"under {clock(LONG_PITCH_S)}; past that pitches lose the buyer",
               "good" if mono <= 60 else "watch" if mono <= LONG_PITCH_S else "poor"),
        Number("Longest story (them)", clock(story), "longer is better: let them tell it"),
        Number("Patience", f"{talk.patience_s:.1f} s", "the pause before you answer; longer is better")
        if talk.both_spoke else
        Number("Patience", "-", "no answer to time: only one side spoke"),
        Number("Interruptions", str(talk.interruptions), "fewer is better",
               "good" if talk.interruptions <= 2 else "watch"),
        Number("Questions asked", str(questions), "11 to 14 on the best discovery calls",
               "good" if 11 <= questions <= 14 else "watch"),
        Number("Directive phrases", f"{per_10:.1f} per 10 min of your talk ({directive} in all)",
               "as few as possible: each one steers the buyer", "good" if directive == 0 else
               "watch" if per_10 <= 2 else "poor"),
        Number("Autonomy-supportive lines", str(supportive), "more is better: \"it's your call\"",
               "good" if supportive else "watch"),
    ]


def flagged_lines(segments: Sequence[Segment], flags: Sequence[Flag], cleared: Sequence[Flag] = (),
                  answers: Sequence[Answer] = (), supportive: Sequence[SupportiveLine] = ()) -> list[FlaggedLine]:
    """Every transcript line with the flags raised on it (and those the rep ``cleared``: "that wasn't pushy", the
    ``answers`` to the buyer's requests for advice, not counted, and the ``supportive`` phrases, counted for them).

    A flag belongs to the rep line its phrase overlaps most; a flag no line overlaps (the
    transcript was revised after the live flag) goes to the nearest rep line, so none is lost.
    """
    lines = list(segments)
    rep = sorted((i for i, s in enumerate(lines) if s.speaker == "rep"), key=lambda i: lines[i].start)
    owned, gone = _owners(lines, rep, flags), _owners(lines, rep, cleared)
    answer_of = {id(a.flag): a for a in answers}
    asked = {i: tuple(answer_of[id(f)] for f in fs) for i, fs in _owners(lines, rep, [a.flag for a in answers]).items()}
    handed = _owners(lines, rep, supportive)
    return [FlaggedLine(s, tuple(owned.get(i, ())), tuple(gone.get(i, ())), asked.get(i, ()), tuple(handed.get(i, ())))
            for i, s in enumerate(lines)]


_Said = TypeVar("_Said", Flag, SupportiveLine)


def _owners(lines: list[Segment], rep: list[int], of: Sequence[_Said]) -> dict[int, list[_Said]]:
    """Which rep line (its index in ``lines``; ``rep``: the rep's, in time order) each phrase belongs to."""
    starts = [lines[i].start for i in rep]
    owned: dict[int, list[_Said]] = {}
    for f in of:
        k = bisect_right(starts, f.end)  # rep lines that start before the phrase ends: the last few may overlap it
        near = rep[max(0, k - 3):k + 1]
        if near:
            best = max(near, key=lambda i: (_overlap(lines[i], f), -_distance(lines[i], f)))
            owned.setdefault(best, []).append(f)
    return owned


def whole_sentences(segments: Sequence[Segment]) -> list[Segment]:
    """The transcript's lines (in time order) with no sentence cut in two: the rest of a sentence that live
    speech to text cut at a decoding window joins the line it was said in.

    The rest of a cut sentence is a line that starts in lower case (Whisper starts a sentence with a
    capital) after the same speaker's line that ended without a full stop. Calls stored before the
    live path kept sentences whole read "…start a pilot with your whole team next", the buyer's
    answer, then "week. Other clients in your position…". Only the words up to the first full stop
    move; the line's other sentences stay where and when they were said.
    """
    out: list[Segment] = []
    last: dict[Speaker, int] = {}  # each speaker's latest line in ``out``
    for seg in segments:
        i = last.get(seg.speaker)
        if (i is not None and seg.text.lstrip()[:1].islower() and not _ends_sentence(out[i].text)
                and seg.start - out[i].end <= _CUT_WITHIN_S):
            rest, after = _first_sentence(seg)
            held = out[i]
            out[i] = Segment(held.speaker, held.start, max(held.end, rest.end), f"{held.text.rstrip()} {rest.text}",
                             held.final, held.words + rest.words)
            if after is None:
                continue
            seg = after
        last[seg.speaker] = len(out)
        out.append(seg)
    return out


def _ends_sentence(text: str) -> bool:
    return text.rstrip().endswith((".", "!", "?"))


def _first_sentence(seg: Segment) -> tuple[Segment, Segment | None]:
    """A line cut after its first sentence: that sentence, and the rest (None when there is no more)."""
    words = seg.words if "".join(w.text for w in seg.words).strip() == seg.text.strip() else ()
    if words:
        k = next((j + 1 for j, w in enumerate(words) if _ends_sentence(w.text)), len(words))
        if k == len(words):
            return seg, None
        head, tail = words[:k], words[k:]
        return (Segment(seg.speaker, head[0].start, head[-1].end, "".join(w.text for w in head).strip(), seg.final,
                        head),
                Segment(seg.speaker, tail[0].start, tail[-1].end, "".join(w.text for w in tail).strip(), seg.final,
                        tail))
    m = _SENTENCE_END.search(seg.text)
    if m is None or not seg.text[m.end():].strip():
        return seg, None
    # No word times: the rest keeps the line's times.
    return (Segment(seg.speaker, seg.start, seg.start, seg.text[:m.end()].strip(), seg.final),
            Segment(seg.speaker, seg.start, seg.end, seg.text[m.end():].strip(), seg.final))


def _overlap(seg: Segment, flag: Flag | SupportiveLine) -> float:
    return max(0.0, min(seg.end, flag.end) - max(seg.start, flag.start))


def _distance(seg: Segment, flag: Flag | SupportiveLine) -> float:
    return max(seg.start - flag.end, flag.start - seg.end, 0.0)
