"""Who holds the floor: talk share over the call and the last two minutes, monologues,
patience and interruptions, computed from voice-activity spans of the two channels.

The tracker is fed closed spans as each channel's VAD reports them (each speaker's spans
in time order) and, for the live meter, the moment a speaker starts talking. It never
reads a clock: every question is asked "as of" an audio time.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from dataclasses import asdict, dataclass

from copilot.core.events import SPEAKERS, Monologue, Speaker, SpeechSpan, TalkState, other
from copilot.core.settings import CoachSettings

__all__ = ["TalkTracker", "TalkSummary"]


@dataclass(frozen=True)
class TalkSummary:
    """The talk numbers of a whole call: the ``talk`` object of the analysis JSON contract (DESIGN.md)."""

    rep_s: float = 0.0
    prospect_s: float = 0.0
    rep_share: float = 0.0
    longest_rep_monologue_s: float = 0.0
    longest_prospect_monologue_s: float = 0.0
    patience_s: float = 0.0
    interruptions: int = 0
    rep_questions: int = 0

    def as_json(self) -> dict[str, float | int]:
        """The contract's ``talk`` object, keys in the contract's order."""
        return asdict(self)

    @property
    def both_spoke(self) -> bool:
        """Both sides were heard: patience (the pause before the rep answers) means something only then."""
        return self.rep_s > 0 and self.prospect_s > 0

    @classmethod
    def of(cls, state: TalkState, rep_questions: int) -> TalkSummary:
        """The summary of a talk state (rounded as the contract has it), with the questions the rep asked."""
        return cls(
            rep_s=round(state.rep_s, 2),
            prospect_s=round(state.prospect_s, 2),
            rep_share=round(state.rep_share, 4),
            longest_rep_monologue_s=round(state.longest_monologue.get("rep", 0.0), 2),
            longest_prospect_monologue_s=round(state.longest_monologue.get("prospect", 0.0), 2),
            patience_s=round(state.patience_s, 2),
            interruptions=state.interruptions,
            rep_questions=rep_questions,
        )

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> TalkSummary:
        """Read back a stored ``talk`` object; a number it lacks (or that is not a number) is zero."""

        def number(name: str) -> float:
            v = data.get(name)
            return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else 0.0

        return cls(number("rep_s"), number("prospect_s"), number("rep_share"), number("longest_rep_monologue_s"),
                   number("longest_prospect_monologue_s"), number("patience_s"), int(number("interruptions")),
                   int(number("rep_questions")))


class TalkTracker:
    """Keeps the talk numbers of one call up to date, span by span, in memory bounded by the longest monologue.

    A monologue is a stretch in which one speaker talks and the other does not; the
    speaker's own pauses are inside it; it ends when the other side talks for
    ``floor_s`` (1 s) or more, so a short "mm-hmm" does not end it.
    """

    def __init__(self, settings: CoachSettings | None = None) -> None:
        self.settings = settings or CoachSettings()
        self._total: dict[Speaker, float] = {s: 0.0 for s in SPEAKERS}
        self._recent: dict[Speaker, deque[SpeechSpan]] = {s: deque() for s in SPEAKERS}
        self._open: dict[Speaker, float | None] = {s: None for s in SPEAKERS}
        self._first_start: float | None = None
        self._last_end: dict[Speaker, float | None] = {s: None for s in SPEAKERS}
        # A "run" is one speaker's talk with pauses under bridge_gap_s bridged.
        self._run: dict[Speaker, tuple[float, float] | None] = {s: None for s in SPEAKERS}
        self._mono: dict[Speaker, tuple[float, float] | None] = {s: None for s in SPEAKERS}
        self._mono_spans: dict[Speaker, list[tuple[float, float]]] = {s: [] for s in SPEAKERS}  # its pieces
        self._longest: dict[Speaker, float] = {s: 0.0 for s in SPEAKERS}
        self._monologues: list[Monologue] = []
        self._prospect_turn_end: float | None = None
        self._patience_sum = 0.0
        self._patience_n = 0
        self._interruptions = 0
        self._counted_rep_starts: deque[float] = deque(maxlen=64)

    # ---- input -------------------------------------------------------------------

    def begin(self, speaker: Speaker, t: float) -> None:
        """The speaker started talking at ``t`` (the span is still open)."""
        if self._open[speaker] is None:
            self._open[speaker] = t
            self._note_start(t)

    def add(self, span: SpeechSpan) -> None:
        """A finished stretch of speech; closes the speaker's open speech, if any."""
        if span.end <= span.start:
            return
        s, o = span.speaker, other(span.speaker)
        self._open[s] = None
        self._note_start(span.start)
        self._total[s] += span.duration
        self._recent[s].append(span)
        self._count_patience(span)
        self._count_interruption(span)
        self._last_end[s] = max(span.end, self._last_end[s] or span.end)

        run = self._run[s]
        if run is not None and span.start - run[1] <= self.settings.bridge_gap_s:
            run = (run[0], max(run[1], span.end))
        else:
            run = (span.start, span.end)
        self._run[s] = run
        if run[1] - run[0] >= self.settings.floor_s:
            self._end_monologue(o, taken_at=run[0])
            if s == "prospect":
                self._prospect_turn_end = span.end

        mono = self._mono[s]
        self._mono[s] = (span.start, span.end) if mono is None else (mono[0], max(mono[1], span.end))
        self._mono_spans[s].append((span.start, span.end))

    def retract(self, speaker: Speaker, start: float, end: float) -> None:
        """Take ``start``-``end`` out of the speaker's talk: it turned out not to be theirs (the
        buyer's voice on the rep's microphone). Totals, the recent window and interruptions
        are corrected; monologues already measured keep their length."""
        kept: deque[SpeechSpan] = deque()
        for sp in self._recent[speaker]:
            if sp.end <= start or end <= sp.start:
                kept.append(sp)
                continue
            self._total[speaker] -= min(sp.end, end) - max(sp.start, start)
            if sp.start in self._counted_rep_starts and start <= sp.start:
                self._counted_rep_starts.remove(sp.start)
                self._interruptions -= 1
            if sp.start < start:
                kept.append(SpeechSpan(speaker, sp.start, start))
            if end < sp.end:
                kept.append(SpeechSpan(speaker, end, sp.end))
        self._total[speaker] = max(0.0, self._total[speaker])
        self._recent[speaker] = kept

    # ---- questions ---------------------------------------------------------------

    def state(self, now: float) -> TalkState:
        """The talk numbers as of audio time ``now`` (call with non-decreasing times)."""
        rep_s = self._total["rep"] + self._open_seconds("rep", now)
        prospect_s = self._total["prospect"] + self._open_seconds("prospect", now)
        w_rep = self._window_seconds("rep", now)
        w_prospect = self._window_seconds("prospect", now)
        current = self._current(now)
        longest = dict(self._longest)
        for m in current:
            longest[m.speaker] = max(longest[m.speaker], m.duration)
        return TalkState(
            time=now,
            rep_s=rep_s,
            prospect_s=prospect_s,
            rep_share=_share(rep_s, prospect_s),
            window_s=min(self.settings.window_s, max(0.0, now)),
            window_rep_s=w_rep,
            window_prospect_s=w_prospect,
            window_rep_share=_share(w_rep, w_prospect),
            speaking=tuple(s for s in SPEAKERS if self._open[s] is not None),
            current_monologue=max(current, key=lambda m: m.duration) if current else None,
            longest_monologue=longest,
            conversation_s=0.0 if self._first_start is None else max(0.0, now - self._first_start),
            patience_s=self._patience_sum / self._patience_n if self._patience_n else 0.0,
            interruptions=self._interruptions,
        )

    def current_monologue(self, speaker: Speaker, now: float) -> Monologue | None:
        """The speaker's monologue still going on at ``now``, if they hold the floor."""
        for m in self._current(now):
            if m.speaker == speaker:
                return m
        return None

    def monologues(self, min_s: float = 0.0) -> list[Monologue]:
        """Finished monologues of at least ``min_s`` seconds, in the order they ended."""
        return [m for m in self._monologues if m.duration >= min_s]

    def finish(self, end: float) -> TalkState:
        """Close the call at ``end``: open speech and open monologues end there."""
        for s in SPEAKERS:
            start = self._open[s]
            if start is not None and end > start:
                self.add(SpeechSpan(s, start, end))
        state = self.state(end)
        for s in SPEAKERS:
            self._end_monologue(s)
        return state

    # ---- internals ---------------------------------------------------------------

    def _note_start(self, t: float) -> None:
        if self._first_start is None or t < self._first_start:
            self._first_start = t

    def _open_seconds(self, speaker: Speaker, now: float) -> float:
        start = self._open[speaker]
        return max(0.0, now - start) if start is not None else 0.0

    def _window_seconds(self, speaker: Speaker, now: float) -> float:
        lo = now - self.settings.window_s
        recent = self._recent[speaker]
        while recent and recent[0].end <= lo:
            recent.popleft()
        total = sum(min(sp.end, now) - max(sp.start, lo) for sp in recent if sp.start < now)
        start = self._open[speaker]
        if start is not None and now > start:
            total += now - max(start, lo)
        return max(0.0, total)

    def _current(self, now: float) -> list[Monologue]:
        out = []
        for s in SPEAKERS:
            o = other(s)
            o_open = self._open[o]
            if o_open is not None and now - o_open >= self.settings.floor_s:
                continue  # the other side has been talking for a while: the floor changed
            mono = self._mono[s]
            s_open = self._open[s]
            if mono is None and s_open is None:
                continue
            start = mono[0] if mono is not None else s_open
            end = now if s_open is not None else (mono[1] if mono is not None else now)
            assert start is not None
            out.append(Monologue(s, start, max(start, end)))
        return out

    def _end_monologue(self, speaker: Speaker, taken_at: float | None = None) -> None:
        """The speaker's monologue ends: the other side took the floor at ``taken_at`` (None: the call ended)."""
        mono, pieces = self._mono[speaker], self._mono_spans[speaker]
        self._mono[speaker], self._mono_spans[speaker] = None, []
        if mono is None:
            return
        if taken_at is not None:
            # What the speaker said after the other side took the floor is a backchannel inside the other's turn,
            # heard first because it ended first ("Mm-hmm" during the rep's 30 s span), not more of this monologue.
            before = [end for start, end in pieces if start < taken_at]
            if not before:
                return
            mono = (mono[0], max(before))
        m = Monologue(speaker, mono[0], mono[1])
        self._longest[speaker] = max(self._longest[speaker], m.duration)
        if m.duration >= self.settings.floor_s:
            self._monologues.append(m)

    def _count_patience(self, span: SpeechSpan) -> None:
        """Silence between the prospect finishing a turn and the rep starting to reply."""
        if span.speaker != "rep" or self._prospect_turn_end is None:
            return
        rep_last = self._last_end["rep"]
        if rep_last is not None and rep_last >= self._prospect_turn_end:
            return  # the rep already replied to that turn
        prospect_last = self._last_end["prospect"]
        if prospect_last is None or span.start < prospect_last:
            return  # the rep started while the prospect was still talking
        gap = span.start - prospect_last
        if gap <= self.settings.max_response_gap_s:
            self._patience_sum += gap
            self._patience_n += 1

    def _count_interruption(self, span: SpeechSpan) -> None:
        """The rep starts while the prospect is talking and overlaps for long enough."""
        need = self.settings.interruption_overlap_s
        if span.speaker == "rep":
            p_open = self._open["prospect"]
            if p_open is not None and p_open < span.start and span.duration >= need:
                self._mark_interruption(span.start)
                return
            for p in self._recent["prospect"]:
                if p.start < span.start < p.end and min(p.end, span.end) - span.start >= need:
                    self._mark_interruption(span.start)
                    return
        else:
            for r in self._recent["rep"]:
                if span.start < r.start < span.end and min(span.end, r.end) - r.start >= need:
                    self._mark_interruption(r.start)

    def _mark_interruption(self, rep_start: float) -> None:
        if rep_start not in self._counted_rep_starts:
            self._counted_rep_starts.append(rep_start)
            self._interruptions += 1


def _share(rep: float, prospect: float) -> float:
    total = rep + prospect
    return rep / total if total > 0 else 0.0
