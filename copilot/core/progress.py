"""Is the coaching working? A rep's numbers across calls: each call in time order, the trend, what changed.

A rep uses a coach to change a habit over weeks. Progress shows, for every call they kept
in it, the six numbers the review judges a call by — talk share, longest monologue,
directive phrases per 10 minutes of their talk, questions asked, patience and
autonomy-supportive lines — with the median of the last five calls (one odd call does not
swing the line) and the latest calls against the ones before, said as one sentence each
("You talk 9 points less than in your previous ten calls").

Pure: the store gives one :class:`CallNumbers` a call; the terminal, the HTML page and the
app's view all read the :class:`Progress` worked out here. The comparison uses medians
(a typical call, not an average one long call can drag) and needs three calls a side:
fewer and it says "not enough calls yet" rather than a number that means nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from copilot.core.facts import HIGH_REP_SHARE, IDEAL_REP_SHARE, LONG_PITCH_S
from copilot.core.prompt_effect_pooled import AcrossCalls

__all__ = ["CallNumbers", "Metric", "METRICS", "Change", "Series", "Month", "months", "Progress", "progress",
           "rolling_median", "compare", "median", "MIN_REP_TALK_S", "ROLLING", "COMPARE", "MIN_TO_COMPARE",
           "MIN_TALK_S", "silent_sentence"]

MIN_REP_TALK_S = 60.0
"""Directive phrases per 10 minutes need a minute of the rep's talk: one phrase in 20 s would read as 30."""

ROLLING = 5
"""The trend line is the median of the last five calls."""

COMPARE = 10
"""The latest ten calls against the ten before."""

MIN_TO_COMPARE = 6
MIN_TALK_S = 30.0  # a call with less talk than this (a test of the app, a call that dropped) is not counted
"""Three calls against three is the least that says anything; fewer and Progress says so."""

Key = Literal["share", "monologue", "directive", "questions", "patience", "supportive"]
Trend = Literal["better", "worse", "same"]


@dataclass(frozen=True)
class CallNumbers:
    """One stored call as Progress counts it (the review's numbers, with the flags as the rep judged them)."""

    id: str
    started: str  # ISO 8601, UTC
    label: str  # its name, or where it came from
    kind: str  # "live" (coached as it happened) or "analyze" (a recording analysed afterwards)
    duration_s: float
    rep_s: float  # seconds the rep talked
    prospect_s: float
    rep_share: float
    longest_monologue_s: float
    directive: int  # the rep's directive phrases, less those they marked "not pushy", plus the ones they added
    questions: int
    patience_s: float
    supportive: int | None  # autonomy-supportive lines; None: not known (the call was stored before they were kept)
    mixed: bool = False  # a mixed recording, told apart by voice
    guessed: bool = False  # ... whose rep voice was guessed: every number of it is a guess
    excluded: bool = False  # the rep left it out of Progress (an internal meeting)

    @property
    def spoken(self) -> bool:
        """Enough was said to count: a call with no speech, or a few seconds of it (a test of the app, a call that
        dropped), has no numbers worth a trend."""
        return self.rep_s + self.prospect_s >= MIN_TALK_S

    @property
    def directive_per_10(self) -> float | None:
        """Directive phrases per 10 minutes of the rep's talk; None under a minute of it (too little to say)."""
        return self.directive / (self.rep_s / 600.0) if self.rep_s >= MIN_REP_TALK_S else None

    def value(self, key: Key) -> float | None:
        """This call's number for one metric; None where the call cannot say."""
        if key == "share":
            return self.rep_share if self.rep_s + self.prospect_s > 0 else None
        if key == "monologue":
            return self.longest_monologue_s
        if key == "directive":
            return self.directive_per_10
        if key == "questions":
            return float(self.questions)
        if key == "patience":
            # Patience is the pause after the buyer finishes: with one side silent there was none to measure.
            return self.patience_s if self.rep_s > 0 and self.prospect_s > 0 else None
        return None if self.supportive is None else float(self.supportive)


def _clock(t: float) -> str:
    t = max(0, int(round(t)))
    return f"{t // 60}:{t % 60:02d}"


def _secs(t: float) -> str:
    """A change in monologue length: "40 s", "1 min 10 s"."""
    t = int(round(abs(t)))
    return f"{t} s" if t < 60 else f"{t // 60} min {t % 60} s" if t % 60 else f"{t // 60} min"


@dataclass(frozen=True)
class Metric:
    """One number Progress follows: how it is shown, which way is better, and the lines it is read against."""

    key: Key
    title: str  # "Talk share (you)"
    shown: Callable[[float], str]  # a value as the rep reads it: "48%", "1:10"
    rounded: Callable[[float], float]  # a value at the precision it is shown (changes are worked out on these)
    same_within: float  # a change smaller than this (in rounded units) is "about the same"
    lines: tuple[tuple[float, str], ...] = ()  # benchmark lines: (value, what it means)
    band: tuple[float, float] | None = None  # a benchmark range (11 to 14 questions)
    higher_is_better: bool = False
    target: float | None = None  # better is closer to this (the 43% of the best calls)
    benchmark: str = ""  # the benchmark in words


_SHARE_LINES = ((IDEAL_REP_SHARE, f"{IDEAL_REP_SHARE:.0%} best calls"),
                (HIGH_REP_SHARE, f"{HIGH_REP_SHARE:.0%} too much"))

METRICS: tuple[Metric, ...] = (
    Metric("share", "Talk share (you)", lambda v: f"{v:.0%}", lambda v: float(round(v * 100)), 3,
           _SHARE_LINES, target=IDEAL_REP_SHARE,
           benchmark=f"{IDEAL_REP_SHARE:.0%} on the best-converting calls; over {HIGH_REP_SHARE:.0%} win rates drop"),
    Metric("monologue", "Longest monologue (you)", _clock, lambda v: float(round(v)), 10,
           ((LONG_PITCH_S, f"{_clock(LONG_PITCH_S)} too long"),),
           benchmark=f"under {_clock(LONG_PITCH_S)}; past that pitches lose the buyer"),
    Metric("directive", "Directive phrases per 10 min of your talk", lambda v: f"{v:.1f}",
           lambda v: round(v, 1), 0.5, benchmark="as few as possible: each one steers the buyer"),
    Metric("questions", "Questions asked", lambda v: f"{v:.0f}" if v == int(v) else f"{v:.1f}",
           lambda v: round(v, 1), 1, band=(11, 14), higher_is_better=True,
           benchmark="11 to 14 on the best discovery calls"),
    Metric("patience", "Patience (pause before you answer)", lambda v: f"{v:.1f} s", lambda v: round(v, 1), 0.2,
           higher_is_better=True, benchmark="longer is better"),
    Metric("supportive", "Autonomy-supportive lines", lambda v: f"{v:.0f}" if v == int(v) else f"{v:.1f}",
           lambda v: round(v, 1), 1, higher_is_better=True, benchmark="more is better: \"it's your call\""),
)

_WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine", 10: "ten"}


@dataclass(frozen=True)
class Change:
    """The latest calls against the ones before, for one metric: typical (median) values and the sentence."""

    metric: Metric
    recent_calls: int
    previous_calls: int
    recent: float
    previous: float

    @property
    def delta(self) -> float:
        """The change as shown (rounded values), recent minus previous."""
        return round(self.metric.rounded(self.recent) - self.metric.rounded(self.previous), 1)

    @property
    def verdict(self) -> Trend:
        """Better, worse, or about the same, by the metric's own benchmark."""
        m = self.metric
        if abs(self.delta) < m.same_within:
            return "same"
        if m.target is not None:
            closer = abs(self.recent - m.target) < abs(self.previous - m.target)
            return "better" if closer else "worse"
        return "better" if (self.delta > 0) == m.higher_is_better else "worse"

    @property
    def sentence(self) -> str:
        """The change in one sentence a rep understands."""
        m, d, same = self.metric, abs(self.delta), self.verdict == "same"
        than = f"than in your previous {_WORDS.get(self.previous_calls, self.previous_calls)} calls"
        up = self.delta > 0
        n = f"{d:g}"
        said = {
            "share": ("You talk about as much as" if same else f"You talk {n} points {'more' if up else 'less'}"),
            "monologue": ("Your longest monologue is about as long as" if same
                          else f"Your longest monologue is {_secs(self.delta)} {'longer' if up else 'shorter'}"),
            "directive": ("You use about as many directive phrases per 10 minutes of your talk as" if same
                          else f"You use {n} {'more' if up else 'fewer'} directive phrases per 10 minutes of your "
                          "talk"),
            "questions": ("You ask about as many questions a call as" if same
                          else f"You ask {n} {'more' if up else 'fewer'} question{'' if d == 1 else 's'} a call"),
            "patience": ("You pause about as long before you answer as" if same
                         else f"You pause {n} s {'longer' if up else 'less'} before you answer"),
            "supportive": ("You hand the choice back (\"it's your call\") about as often as" if same
                           else f"You hand the choice back (\"it's your call\") {n} {'more' if up else 'fewer'} "
                           f"time{'' if d == 1 else 's'} a call"),
        }[m.key]
        than = than.replace("than in", "in") if same else than
        # "median", not "typically": the table's "typical" is the median of the last five calls, a window of its own.
        last = "call" if self.recent_calls == 1 else f"{_WORDS.get(self.recent_calls, self.recent_calls)} calls"
        return (f"{said} {than} (median {m.shown(self.recent)} over your last {last}, {m.shown(self.previous)} over "
                "the ones before).")

    def as_json(self) -> dict[str, Any]:
        """The change for ``copilot progress --json``."""
        return {"metric": self.metric.key, "recent_calls": self.recent_calls, "previous_calls": self.previous_calls,
                "recent": round(self.recent, 4), "previous": round(self.previous, 4), "change": self.delta,
                "verdict": self.verdict, "sentence": self.sentence}


@dataclass(frozen=True)
class Month:
    """The calls of one calendar month (UTC), by their place in the list, and the month's median."""

    month: str  # "2026-03"
    first: int  # index of its first call among the counted calls
    last: int  # index of its last call
    median: float


@dataclass(frozen=True)
class Series:
    """One metric across the counted calls: each call's value, the five-call median, and what changed."""

    metric: Metric
    values: list[float | None]  # per counted call, in time order; None where the call cannot say
    median5: list[float | None]  # the median of the last five calls' known values at each call
    change: Change | None  # None: not enough calls with this number yet
    months: list[Month] = field(default_factory=list)  # the typical call of each month (for many calls)

    @property
    def known(self) -> int:
        """How many calls have this number."""
        return sum(v is not None for v in self.values)

    @property
    def waiting(self) -> str | None:
        """Why there is no change to say yet, and after how many more calls there will be (None: there is one, no
        call has this number at all, or every call has it: then the headline already says how many more)."""
        if self.change is not None or not self.known or self.known == len(self.values):
            return None
        more = MIN_TO_COMPARE - self.known
        why = " (a call needs a minute of your talk for a rate)" if self.metric.key == "directive" else ""
        have = "one call has" if self.known == 1 else f"{_WORDS.get(self.known, self.known)} calls have".lower()
        return (f"{self.metric.title}: {have} a number so far{why}; after {more} more, Progress compares your "
                "latest calls with the ones before.")


@dataclass(frozen=True)
class Progress:
    """What Progress shows: the counted calls in time order, each metric's series, and what changed."""

    calls: list[CallNumbers]  # counted, oldest first
    series: list[Series]
    left_out: list[CallNumbers] = field(default_factory=list)  # the rep left them out
    silent: list[CallNumbers] = field(default_factory=list)  # under MIN_TALK_S of talk: nothing to count
    prompts: AcrossCalls | None = None  # what the overlay's prompts did in the counted live calls (None: not read)
    ranged: bool = False  # over the days the rep chose (--since, --until), not every call

    def of(self, key: Key) -> Series:
        """The series of one metric."""
        return next(s for s in self.series if s.metric.key == key)

    @property
    def headline(self) -> str:
        """One sentence: how the talk share moved, or how many calls it takes before Progress can say."""
        n = len(self.calls)
        if n == 0:
            if self.left_out:
                return "Every call in this range was left out of Progress."
            if self.ranged:
                return "No calls in this range of days."
            return "No calls in Progress yet: coach a call live or analyse a recording, and each one shows here."
        change = self.of("share").change
        if change is not None:
            return change.sentence
        more = MIN_TO_COMPARE - n
        calls = "One call so far" if n == 1 else f"{_WORDS.get(n, n)} calls so far".capitalize()
        return (f"{calls}: after {more} more, Progress compares your latest calls with the ones before."
                if more > 0 else f"{calls}: not enough with your talk share to compare yet.")

    @property
    def sentences(self) -> list[str]:
        """What changed, one sentence a metric that can say (the talk share first), and for a metric that cannot
        yet, after how many more calls it will."""
        out = []
        for s in self.series:
            said = s.change.sentence if s.change is not None else s.waiting if s.metric.key != "share" else None
            if said:
                out.append(said)
        return out

    @property
    def unknown_supportive(self) -> int:
        """Counted calls whose autonomy-supportive lines are not known."""
        return sum(c.supportive is None for c in self.calls)

    def as_json(self) -> dict[str, Any]:
        """Everything Progress shows, for ``copilot progress --json``."""
        calls = []
        for i, c in enumerate(self.calls):
            row: dict[str, Any] = {"id": c.id, "started": c.started, "label": c.label, "kind": c.kind,
                                   "mixed": c.mixed, "guessed": c.guessed, "duration_s": round(c.duration_s, 2)}
            for s in self.series:
                v, m = s.values[i], s.median5[i]
                row[s.metric.key] = None if v is None else round(v, 4)
                row[f"{s.metric.key}_median5"] = None if m is None else round(m, 4)
            row["directive_phrases"] = c.directive
            calls.append(row)
        return {"headline": self.headline, "calls": calls,
                "changes": [s.change.as_json() for s in self.series if s.change is not None],
                "left_out": [c.id for c in self.left_out], "no_speech": [c.id for c in self.silent],
                "prompt_effect": self.prompts.as_json() if self.prompts is not None else None}


def median(values: Sequence[float]) -> float:
    """The middle value (the mean of the middle two for an even count); ``values`` not empty."""
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def rolling_median(values: Sequence[float | None], window: int = ROLLING) -> list[float | None]:
    """At each call, the median of the known values among it and the ``window - 1`` calls before it."""
    out: list[float | None] = []
    for i in range(len(values)):
        known = [v for v in values[max(0, i - window + 1):i + 1] if v is not None]
        out.append(median(known) if known else None)
    return out


def compare(metric: Metric, values: Sequence[float | None], most: int = COMPARE) -> Change | None:
    """The latest calls against as many before them (up to ``most`` a side), by their medians; None with fewer
    than :data:`MIN_TO_COMPARE` calls that have the number."""
    known = [v for v in values if v is not None]
    if len(known) < MIN_TO_COMPARE:
        return None
    k = min(most, len(known) // 2)
    recent, previous = known[-k:], known[-2 * k:-k]
    return Change(metric, len(recent), len(previous), median(recent), median(previous))


def months(calls: Sequence[CallNumbers], values: Sequence[float | None]) -> list[Month]:
    """Each calendar month of ``calls`` (in time order) with the median of its known ``values``: with hundreds of
    calls the five-call median wanders call to call; a month's typical call is the trend a rep reads."""
    out: list[Month] = []
    start = 0
    for i in range(1, len(calls) + 1):
        if i == len(calls) or calls[i].started[:7] != calls[start].started[:7]:
            known = [v for v in values[start:i] if v is not None]
            if known:
                out.append(Month(calls[start].started[:7], start, i - 1, median(known)))
            start = i
    return out


def progress(calls: Sequence[CallNumbers]) -> Progress:
    """Progress over ``calls`` (any order): those the rep left out and those with no speech are set aside."""
    ordered = sorted(calls, key=lambda c: (c.started, c.id))
    counted = [c for c in ordered if not c.excluded and c.spoken]
    series = []
    for m in METRICS:
        values = [c.value(m.key) for c in counted]
        series.append(Series(m, values, rolling_median(values), compare(m, values), months(counted, values)))
    return Progress(counted, series, [c for c in ordered if c.excluded],
                    [c for c in ordered if not c.excluded and not c.spoken])


def silent_sentence(p: Progress) -> str:
    """The calls set aside for too little talk, said (the reason, and how many)."""
    n = len(p.silent)
    return (f"{n} call{'s' if n != 1 else ''} with under {MIN_TALK_S:.0f} s of talk (a test of the app, a call that "
            "dropped) not counted.")
