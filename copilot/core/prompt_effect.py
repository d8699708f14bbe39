"""What each prompt did: did the buyer talk more after it, did the rep hand the choice back?

For every prompt shown live, three things measured from the call as stored:

- the buyer's share of the talk in the two minutes after the prompt against the two
  minutes before it (points of share: 30% before and 42% after is +12 points);
- whether the rep said a hand-back line (the rulebook's autonomy-supportive category,
  "it's your call") within 30 s: a line finished after the prompt and by 30 s after it;
- how long the rep went on holding the floor after it, and the length of their next
  monologue (the first one that starts after the prompt).

After a rep talks too much the buyer tends to talk more anyway (talk evens out), so a
prompt's "after" means little alone. The same is measured at **matched moments**: the
same trigger held but no prompt was shown, because the coach was cooling down or another
prompt was on screen. Phrase triggers are the stored flags with no phrase prompt for
them; monologue and dominance triggers are found by replaying the coach's own conditions
(:class:`~copilot.core.settings.CoachSettings`) over the stored speech spans. A matched
moment within ``apart_s`` of a shown prompt is left out (what follows it is the prompt's
aftermath), and a burst of triggers counts once. What remains can still share part of
its two-minute windows with a prompt's in a busy call, which pulls the two numbers
together: the difference between them is, if anything, understated.

Pure: it takes spans, prompts, flags and supportive lines and returns numbers.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import fmean

from copilot.core.events import Flag, Prompt, PromptKind, Speaker, SpeechSpan, SupportiveLine
from copilot.core.facts import TALK_WINDOW_S
from copilot.core.retention import WORDS_GONE_REASON
from copilot.core.settings import CoachSettings
from copilot.core.talk import TalkTracker

__all__ = ["Moment", "CallEffects", "TalkClock", "call_effects", "measure", "matched_moments",
           "AFTER_S", "HAND_BACK_S"]

AFTER_S = TALK_WINDOW_S
"""Two minutes before and after a prompt: the span of the live talk meter."""
HAND_BACK_S = 30.0
"""A hand-back line within this long after a prompt counts as the rep taking it up."""
MIN_WINDOW_S = 30.0
"""A window cut shorter than this by the start or end of the call says nothing."""
MIN_TALK_S = 5.0
"""A window with less talk than this in it (a long silence) has no share."""
APART_S = 30.0
"""A matched moment this close to a shown prompt is the prompt's aftermath, not a moment without one."""
_STEP_S = 2.0  # how finely the dominance trigger is replayed; the live coach looks every tick


@dataclass(frozen=True)
class Moment:
    """A moment the coach's trigger held: a prompt was shown (``shown``), or it was not (a matched moment).

    Shares are the buyer's share of the talk, 0..1, in the two minutes before and after
    (None when the call was too short or too quiet there to say).
    """

    time: float
    kind: PromptKind
    category: str
    text: str  # the line the prompt showed ("" at a matched moment)
    why: str  # what triggered it: "you said: 'the next step is'"
    shown: bool
    buyer_before: float | None
    buyer_after: float | None
    hand_back: bool  # the rep said a hand-back line within 30 s
    held_on_s: float  # how much longer the rep's monologue going on at the moment lasted (0: none was)
    next_monologue_s: float | None  # the rep's next monologue, starting after the moment (None: none did)

    @property
    def change(self) -> float | None:
        """After minus before, in points of the buyer's share (+12 = the buyer talked 12 points more)."""
        if self.buyer_before is None or self.buyer_after is None:
            return None
        return (self.buyer_after - self.buyer_before) * 100.0

    def as_json(self) -> dict[str, object]:
        """One prompt (or matched moment) in the ``prompt_effect`` object of ``copilot report --json``."""

        def r(x: float | None, n: int = 4) -> float | None:
            return None if x is None else round(x, n)

        return {"time": round(self.time, 2), "kind": self.kind, "category": self.category, "text": self.text,
                "why": self.why, "shown": self.shown, "buyer_share_before": r(self.buyer_before),
                "buyer_share_after": r(self.buyer_after), "change_points": r(self.change, 1),
                "hand_back": self.hand_back, "held_on_s": round(self.held_on_s, 1),
                "next_monologue_s": r(self.next_monologue_s, 1)}


@dataclass(frozen=True)
class CallEffects:
    """What the prompts of one call did, and what happened at its matched moments."""

    prompts: tuple[Moment, ...]
    matched: tuple[Moment, ...]
    live: bool  # prompts were shown to the rep (a live session); an analysed recording's never were

    def mean_change(self, shown: bool = True) -> float | None:
        """Mean change in the buyer's share, in points, over the prompts (or the matched moments) measured."""
        changes = [c for m in (self.prompts if shown else self.matched) if (c := m.change) is not None]
        return fmean(changes) if changes else None

    def measured(self, shown: bool = True) -> int:
        """How many prompts (or matched moments) had talk enough on both sides to be measured."""
        return sum(1 for m in (self.prompts if shown else self.matched) if m.change is not None)

    def sentence(self) -> str:
        """One or two sentences a rep reads under the table."""
        if not self.live:
            return "No prompts were shown: this call was analysed from a recording, not coached live."
        if not self.prompts:
            return "No prompts were shown in this call."
        n, mean = self.measured(), self.mean_change()
        if mean is None:
            return ("The call ended too soon after its prompts (or was too quiet around them) to say what they "
                    "did.")
        said = (f"After {_count(n, 'prompt')}, the buyer's share of the talk went {_updown(mean)} "
                f"over the next two minutes.")
        m, mm = self.measured(shown=False), self.mean_change(shown=False)
        if mm is None:
            said += " No moment in this call had the same trigger without a prompt, to compare with."
        else:
            said += (f" At {_count(m, 'moment')} with the same trigger but no prompt shown, it went "
                     f"{_updown(mm)}.")
        return said + " One call says little on its own: Progress pools your calls."

    def as_json(self) -> dict[str, object]:
        """The ``prompt_effect`` object of ``copilot report --json``."""
        def mean(x: float | None) -> float | None:
            return None if x is None else round(x, 1)

        return {"live": self.live, "prompts": [m.as_json() for m in self.prompts],
                "matched": [m.as_json() for m in self.matched],
                "mean_change_points": mean(self.mean_change()),
                "matched_mean_change_points": mean(self.mean_change(shown=False)),
                "summary": self.sentence()}


def _count(n: int, what: str) -> str:
    return f"the {what}" if n == 1 else f"{n} {what}s"


def _updown(points: float) -> str:
    p = round(points)
    return "about the same" if p == 0 else f"up {p} points" if p > 0 else f"down {-p} points"


class TalkClock:
    """How much each side has talked by any moment of a call: any window's talk in two bisections."""

    def __init__(self, spans: Sequence[SpeechSpan], end: float) -> None:
        self.end = end
        self._starts: dict[Speaker, list[float]] = {}
        self._ends: dict[Speaker, list[float]] = {}
        self._done: dict[Speaker, list[float]] = {}  # talk in the first k spans
        self.first: float | None = min((s.start for s in spans), default=None)
        for who in ("rep", "prospect"):
            mine = _merged(sorted((s.start, s.end) for s in spans if s.speaker == who and s.end > s.start))
            self._starts[who] = [a for a, _ in mine]
            self._ends[who] = [b for _, b in mine]
            done = [0.0]
            for a, b in mine:
                done.append(done[-1] + b - a)
            self._done[who] = done

    def talked(self, who: Speaker, t: float) -> float:
        """Seconds ``who`` had talked by ``t``."""
        k = bisect_right(self._ends[who], t)  # spans over by t
        extra = t - self._starts[who][k] if k < len(self._starts[who]) and self._starts[who][k] < t else 0.0
        return self._done[who][k] + extra

    def talked_at(self, who: Speaker, times: Sequence[float]) -> list[float]:
        """Seconds ``who`` had talked by each of ``times`` (ascending): one walk along the spans, no bisection."""
        starts, ends, done = self._starts[who], self._ends[who], self._done[who]
        out: list[float] = []
        k, n = 0, len(ends)
        for t in times:
            while k < n and ends[k] <= t:
                k += 1
            out.append(done[k] + (t - starts[k] if k < n and starts[k] < t else 0.0))
        return out

    def between(self, who: Speaker, a: float, b: float) -> float:
        """Seconds ``who`` talked from ``a`` to ``b``."""
        return max(0.0, self.talked(who, b) - self.talked(who, a))

    def buyer_share(self, a: float, b: float) -> float | None:
        """The buyer's share of the talk from ``a`` to ``b``, clipped to the call; None if the window is cut
        short to under 30 s or has under 5 s of talk."""
        a, b = max(0.0, a), min(self.end, b)
        if b - a < MIN_WINDOW_S:
            return None
        buyer, rep = self.between("prospect", a, b), self.between("rep", a, b)
        return buyer / (buyer + rep) if buyer + rep >= MIN_TALK_S else None

    def rep_share(self, a: float, b: float) -> float:
        """The rep's share of the talk from ``a`` to ``b`` (0 with no talk), as the live coach reads it."""
        rep, buyer = self.between("rep", a, b), self.between("prospect", a, b)
        return rep / (rep + buyer) if rep + buyer > 0 else 0.0


def _merged(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """One speaker's spans with overlaps joined, so no second is counted twice."""
    out: list[tuple[float, float]] = []
    for a, b in spans:
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def rep_monologues(spans: Sequence[SpeechSpan], end: float, settings: CoachSettings) -> list[tuple[float, float]]:
    """(start, end) of every monologue of the rep, by the talk tracker's own definition, in time order."""
    tracker = TalkTracker(settings)
    for span in sorted(spans, key=lambda s: s.end):
        tracker.add(span)
    tracker.finish(end)
    return sorted((m.start, m.end) for m in tracker.monologues() if m.speaker == "rep")


def measure(time: float, kind: PromptKind, category: str, text: str, why: str, shown: bool, clock: TalkClock,
            monologues: Sequence[tuple[float, float]], hand_backs: Sequence[float]) -> Moment:
    """The three measures at one moment of a call: a prompt ``shown`` with ``text``, or a matched moment;
    ``hand_backs``: end times of the rep's supportive lines, sorted;
    ``monologues``: the rep's, from :func:`rep_monologues`."""
    before = clock.buyer_share(time - AFTER_S, time)
    after = clock.buyer_share(time, time + AFTER_S)
    k = bisect_right(hand_backs, time)
    hand_back = k < len(hand_backs) and hand_backs[k] <= time + HAND_BACK_S
    held_on = max((b - time for a, b in monologues if a <= time < b), default=0.0)
    following = [b - a for a, b in monologues if a > time]
    return Moment(time, kind, category, text, why, shown, before, after, hand_back, held_on,
                  following[0] if following else None)


def call_effects(spans: Sequence[SpeechSpan], prompts: Sequence[Prompt], flags: Sequence[Flag],
                 supportive: Sequence[SupportiveLine], end: float, live: bool = True,
                 settings: CoachSettings | None = None) -> CallEffects:
    """What the prompts of one call did, with its matched moments.

    ``flags`` are the flags as the call raised them (before the rep's marks; a line the rep
    marked as missed was never a trigger); ``supportive`` the rep's hand-back lines; ``end``
    the call's length. An analysed recording (``live=False``) showed no prompts to anyone:
    its coach's prompts are not counted.
    """
    settings = settings or CoachSettings()
    clock = TalkClock(spans, end)
    monologues = rep_monologues(spans, end, settings)
    # A hand-back line counts by when it was finished: a stored line is a whole transcript segment, which may
    # have started before the prompt although its "it's your call" came after it.
    hand_backs = sorted(s.end for s in supportive if s.speaker == "rep")
    if not live:
        return CallEffects((), (), live=False)
    shown = tuple(measure(p.time, p.kind, p.category, p.text, p.reason, True, clock, monologues, hand_backs)
                  for p in sorted(prompts, key=lambda p: p.time))
    matched = tuple(measure(t, kind, category, "", why, False, clock, monologues, hand_backs)
                    for t, kind, category, why in matched_moments(clock, prompts, flags, monologues, settings))
    return CallEffects(shown, matched, live=True)


def matched_moments(clock: TalkClock, prompts: Sequence[Prompt], flags: Sequence[Flag],
                    monologues: Sequence[tuple[float, float]], settings: CoachSettings,
                    apart_s: float = APART_S) -> list[tuple[float, PromptKind, str, str]]:
    """(time, kind, category, what) of each moment the coach's trigger held but no prompt was shown for it.

    A phrase: a rep's flag with no phrase prompt of its category from its end to ``flag_fresh_s``
    after. A monologue: a rep monologue that reached ``monologue_s`` with no monologue prompt
    during it. Dominance: a stretch in which the rep's share of the last two minutes rose
    past ``dominance_share`` (the coach armed) and no dominance prompt came before it was
    re-armed. Moments within ``apart_s`` of any shown prompt are left out; of moments closer
    together than ``min_gap_s`` (the coach's least gap between two prompts) the first stands for them.
    """
    s = settings
    times = sorted(p.time for p in prompts)
    found: list[tuple[float, PromptKind, str, str]] = []
    for f in flags:
        if f.speaker != "rep" or f.added:
            continue
        prompted = any(p.kind == "phrase" and p.category == f.category
                       and f.end - 1.0 <= p.time <= f.end + s.flag_fresh_s for p in prompts)
        if not prompted:
            found.append((f.end, "phrase", f.category, f"you said: '{f.match}'" if f.match else WORDS_GONE_REASON))
    for a, b in monologues:
        if b - a >= s.monologue_s and not any(p.kind == "monologue" and a <= p.time <= b + 1.0 for p in prompts):
            found.append((a + s.monologue_s, "monologue", "monologue",
                          f"you held the floor for {b - a:.0f} s"))
    for a, b in _dominance_stretches(clock, s):
        if not any(p.kind == "dominance" and a - _STEP_S <= p.time <= b for p in prompts):
            found.append((a, "dominance", "dominance",
                          f"you talked over {s.dominance_share:.0%} of the last {s.window_s / 60:.0f} min"))
    kept: list[tuple[float, PromptKind, str, str]] = []
    for moment in sorted(found):
        t = moment[0]
        k = bisect_left(times, t - apart_s)
        if k < len(times) and times[k] <= t + apart_s:
            continue
        if kept and t - kept[-1][0] < s.min_gap_s:
            continue  # the coach shows one prompt in that time, so one moment stands for them
        kept.append(moment)
    return kept


def _dominance_stretches(clock: TalkClock, s: CoachSettings) -> list[tuple[float, float]]:
    """(from, to) of each stretch in which the coach would have been armed to prompt on dominance: from the
    moment the rep's share of the window passed the line to the moment it fell back below the re-arm line."""
    if clock.first is None:
        return []
    out: list[tuple[float, float]] = []
    armed, since = True, 0.0
    start = clock.first + s.dominance_min_conversation_s
    times = [start + i * _STEP_S for i in range(int((clock.end - start) // _STEP_S) + 1)] if clock.end >= start else []
    # The window's talk at every step in two walks a speaker (the window's end, then its start): a
    # thousand calls of Progress in a fraction of a second, where a bisection a step took seconds.
    talked = {who: (clock.talked_at(who, times), clock.talked_at(who, [t - s.window_s for t in times]))
              for who in ("rep", "prospect")}
    for i, t in enumerate(times):
        rep = max(0.0, talked["rep"][0][i] - talked["rep"][1][i])
        buyer = max(0.0, talked["prospect"][0][i] - talked["prospect"][1][i])
        share = rep / (rep + buyer) if rep + buyer > 0 else 0.0
        if armed and share > s.dominance_share:
            armed, since = False, t
        elif not armed and share < s.dominance_rearm_share:
            armed = True
            out.append((since, t))
    if not armed:
        out.append((since, clock.end))
    return out
