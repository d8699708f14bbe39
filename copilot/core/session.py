"""One call, coached: where the talk tracker, the phrase detector and the coach meet.

Events go in (speech starting, speech spans, transcribed segments, clock ticks) and
events come out (talk state, flags, supportive lines, prompts). The session keeps its own
audio-time "now": the latest time any input has reached, so a transcript that arrives a
little late is still judged against the live state of the call.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from copilot.core.asked import AdviceAsked
from copilot.core.bleed import BuyerWords
from copilot.core.coach import CoachPolicy
from copilot.core.events import Answer, Event, Flag, Prompt, Segment, Speaker, SpeechSpan, SupportiveLine, TalkState
from copilot.core.phrases import Hit, PhraseDetector
from copilot.core.settings import CoachSettings
from copilot.core.talk import TalkSummary, TalkTracker

__all__ = ["Session", "analysis_json", "recorded_talk"]

_SAME_FLAG_WITHIN_S = 3.0
_QUESTION = re.compile(r"\?")


class Session:
    """The coaching state of one call; the same object serves offline, live and tests."""

    def __init__(self, detector: PhraseDetector, settings: CoachSettings | None = None) -> None:
        self.settings = settings or CoachSettings()
        self.detector = detector
        self.tracker = TalkTracker(self.settings)
        lines = {c.name: c.prompts for c in detector.rulebook.categories if c.prompts}
        self.coach = CoachPolicy(lines, self.settings)
        self.now = 0.0
        self.segments: list[Segment] = []
        self.flags: list[Flag] = []
        self.supportive: list[SupportiveLine] = []
        self.prompts: list[Prompt] = []
        self.rep_questions = 0
        # The buyer's words of the last minute: rep segments that repeat them are speaker echo.
        self.buyer_words = BuyerWords()
        self.bleed: list[Segment] = []  # rep segments found to be the buyer's voice (not counted, not flagged)
        # The rep's last partial ends on a pattern the detector holds back until it hears a few more words
        # (PhraseDetector.awaits_words): the live session asks for the next partial sooner.
        self.awaits_words = False
        # Flags raised from the rep's partials that no final has judged yet, and those a final took back:
        # the whole sentence, heard at last, did not say it ("To ask a question, you will need to press
        # star one"). A taken-back flag leaves the call's flags and numbers; its prompt was already shown.
        self._provisional: list[Flag] = []
        self.withdrawn: list[Flag] = []
        # Rep words that answer the buyer's request for advice ("What would you recommend?"): not flags, not
        # prompted, kept so the review can say why (core/asked.py). One the buyer's words, decoded late, showed
        # to be an answer after it was flagged is also in ``withdrawn``.
        self.asked = AdviceAsked(detector.rulebook.guard_patterns.get("asks_for_advice", ()))
        self.answered: list[Flag] = []
        # Words first spared as such an answer that the buyer's later words showed were not one: flags raised
        # after their moment (never prompted, never sent as events), so what is kept at the end must add them.
        self.restored: list[Flag] = []
        # Phrase prompts taken off the screen because their flag was taken back while they were up: not the
        # call's prompts any more (kept here for the live bench's count).
        self.taken_down: list[Prompt] = []
        # First hearings of the buyer's last words, sent when the rep takes the turn (their finals come later,
        # packed): what the coach knows of a question until its final arrives.
        self._buyer_early: list[Segment] = []

    # ---- inputs ------------------------------------------------------------------

    def speech_started(self, speaker: Speaker, t: float) -> list[Event]:
        """A speaker started talking at ``t`` (for the live talk meter)."""
        self._advance(t)
        self.tracker.begin(speaker, t)
        return self._talk_events([])

    def speech(self, span: SpeechSpan) -> list[Event]:
        """A finished stretch of speech on one channel."""
        self._advance(span.end)
        self.tracker.add(span)
        return self._talk_events([])

    def segment(self, segment: Segment) -> list[Event]:
        """Transcribed speech (final, or a live partial): flags, supportive lines, a prompt, and a prompt
        taken back when its flag was (:class:`PromptTakenBack`)."""
        self._advance(segment.end)
        flagged = list(self.flags)
        out: list[Event] = []
        if segment.speaker == "prospect" and segment.final:
            self.buyer_words.heard(segment)
            self._recheck_rep(segment)
        elif segment.speaker == "rep" and self.buyer_words.bleed(segment):
            self.awaits_words = False
            if segment.final:
                if segment.replaces is not None:
                    # A second hearing that turns out to be the buyer's voice still replaces what was
                    # first heard there (a longer final that did not match the buyer's words).
                    self._forget_replaced(segment)
                self._drop_bleed(segment)
            return self._taken_back(flagged) + self._talk_events([], with_state=False)
        if segment.final:
            if segment.replaces is not None:
                self._forget_replaced(segment)
            self.segments.append(segment)
            if segment.replaces is not None:
                self.segments.sort(key=lambda s: s.start)
            if segment.speaker == "rep":
                self.rep_questions += len(_QUESTION.findall(segment.text))
        new_flags: list[Flag] = []
        heard: list[Flag] = []
        spared: list[Flag] = []  # hits that answer the buyer's request for advice
        if segment.speaker == "rep":
            # A live guess may still change its last word, and the guards need the words after
            # a phrase ("what makes sense ... for you?"): judge a partial without its last word.
            text, times = _text_and_times(segment if segment.final else _without_last_word(segment))
            # Whisper starts a sentence with a capital: a segment that starts in lower case is the
            # rest of a sentence cut at a decoding window, not a sentence of its own.
            continued = text.lstrip()[:1].islower()
            self.awaits_words = not segment.final and self.detector.awaits_words(text)
            for hit in self.detector.hits(text, partial=not segment.final, continued=continued):
                start, end = _hit_times(hit, times, segment)
                if hit.kind == "supportive":
                    if segment.final:
                        line = SupportiveLine(segment.speaker, start, end, hit.match, text.strip())
                        self.supportive.append(line)
                        out.append(line)
                    continue
                flag = Flag(segment.speaker, start, end, hit.category, hit.match, text.strip(), hit.prompt or "",
                            revised=segment.replaces is not None)
                if self._answers_buyer(flag):
                    spared.append(flag)
                    if not any(_same_words(a, flag) for a in self.answered):
                        self.answered.append(flag)
                        if not segment.final:
                            self._provisional.append(flag)
                    continue
                heard.append(flag)
                if not self._seen(flag):
                    self.flags.append(flag)
                    new_flags.append(flag)
                    out.append(flag)
            if not segment.final:
                self._provisional += new_flags
            elif segment.replaces is None:
                self._settle(segment, heard, spared)
        else:
            if not segment.final:
                self._buyer_early = [e for e in self._buyer_early if segment.start - e.start < 90.0] + [segment]
            self._rejudge_answers(segment)
        return out + self._taken_back(flagged) + self._talk_events(new_flags, with_state=False)

    def replay(self, spans: Iterable[SpeechSpan], segments: Iterable[Segment], end: float) -> None:
        """A whole recorded call, fed in audio-time order as it would have arrived live (at equal
        times the talk state before the words), then closed at ``end``."""
        timeline: list[tuple[float, int, SpeechSpan | Segment]] = [(s.end, 0, s) for s in spans]
        timeline += [(g.end, 1, g) for g in segments]
        for _t, _order, item in sorted(timeline, key=lambda x: (x[0], x[1])):
            if isinstance(item, SpeechSpan):
                self.speech(item)
            else:
                self.segment(item)
        self.tick(end)
        self.finish(end)

    def tick(self, now: float) -> list[Event]:
        """The clock moved on to ``now`` with nothing else new: talk state and maybe a prompt."""
        self._advance(now)
        return self._talk_events([])

    def finish(self, end: float) -> TalkState:
        """The call ended at ``end``: open speech and monologues close there; the final talk state."""
        self._advance(end)
        return self.tracker.finish(self.now)

    # ---- results -----------------------------------------------------------------

    def state(self) -> TalkState:
        """The talk numbers as of the session's now."""
        return self.tracker.state(self.now)

    def talk_summary(self) -> TalkSummary:
        """The talk numbers of the call so far, rounded as the analysis JSON contract has them."""
        return TalkSummary.of(self.state(), self.rep_questions)

    def answers(self) -> list[Answer]:
        """The rep's words spared as answers to the buyer's requests for advice, each with when the buyer asked."""
        out = []
        for f in self.answered:
            asked = self.question_answered(f)
            out.append(Answer(f, asked.start if asked is not None else None))
        return out

    def question_answered(self, flag: Flag) -> Segment | None:
        """The buyer's request for advice that the rep's flagged words answer (:class:`AdviceAsked`), or None."""
        recent = itertools.takewhile(lambda s: flag.start - s.start < 90.0, reversed(self.segments))
        buyer = [s for s in recent if s.speaker == "prospect"]
        early = [e for e in self._buyer_early if not any(f.start <= e.middle <= f.end for f in buyer)]
        return self.asked.question(flag.start, flag.category, buyer + early)

    # ---- internals ---------------------------------------------------------------

    def _advance(self, t: float) -> None:
        self.now = max(self.now, t)

    def _talk_events(self, flags: list[Flag], with_state: bool = True) -> list[Event]:
        state = self.tracker.state(self.now)
        out: list[Event] = [state] if with_state else []
        prompt = self.coach.consider(self.now, flags, state)
        if prompt is not None:
            self.prompts.append(prompt)
            out.append(prompt)
        return out

    def _taken_back(self, flagged: list[Flag]) -> list[Event]:
        """Flags of ``flagged`` (the call's flags before this segment) no longer among them were taken back: a
        prompt on screen for one goes, unless a flag this segment raised says the same words again. The prompt
        goes from the call's prompts too: its flag is not in the call, and what it "did" would be noise."""
        kept = {id(f) for f in self.flags}
        gone = [f for f in flagged if id(f) not in kept]
        if not gone:
            return []
        before = {id(f) for f in flagged}
        raised = [f for f in self.flags if id(f) not in before and not any(f is r for r in self.restored)]
        taken = self.coach.take_back(gone, self.now, raised)
        if taken is None:
            return []
        shown = [p for p in self.prompts if p.kind == "phrase" and p.time == taken.shown_at]
        self.prompts = [p for p in self.prompts if not any(p is s for s in shown)]
        self.taken_down += shown
        return [taken]

    def _recheck_rep(self, buyer: Segment) -> None:
        """The buyer's words arrived after the rep's finals of the same moment (their decode
        came later): rep finals that turn out to repeat them are taken back."""
        overlapping = []
        for s in reversed(self.segments):
            if s.end < buyer.start - 60.0:
                break  # segments are in time order; older ones cannot overlap
            if s.speaker == "rep" and s.end >= buyer.start and s.start <= buyer.end + 1.5:
                overlapping.append(s)
        for seg in overlapping:
            if self.buyer_words.bleed(seg):
                self.segments.remove(seg)
                self.rep_questions -= len(_QUESTION.findall(seg.text))
                self._drop_bleed(seg)

    def _drop_bleed(self, seg: Segment) -> None:
        """A rep segment that was the buyer's voice: its time is not rep talk and its flags go."""
        self.bleed.append(seg)
        self.tracker.retract("rep", seg.start, seg.end)
        lo, hi = seg.start - 0.3, seg.end + 0.3
        self.flags = [f for f in self.flags if not (f.speaker == "rep" and lo <= f.start and f.end <= hi)]
        self.answered = [f for f in self.answered if not (lo <= f.start and f.end <= hi)]
        self.supportive = [x for x in self.supportive if not (x.speaker == "rep" and lo <= x.start and x.end <= hi)]

    def _forget_replaced(self, revision: Segment) -> None:
        """A second hearing replaces finals: their questions and supportive lines go with them.

        Flags stay: they were raised (and maybe shown) when the words were first heard.
        """
        gone = [s for s in self.segments if s.replaced_by(revision)]
        if not gone:
            return
        self.segments = [s for s in self.segments if not s.replaced_by(revision)]
        if revision.speaker == "rep":
            self.rep_questions -= sum(len(_QUESTION.findall(s.text)) for s in gone)
        a, b = revision.replaces or (0.0, 0.0)
        self.supportive = [x for x in self.supportive
                           if not (x.speaker == revision.speaker and a <= (x.start + x.end) / 2 <= b)]

    def _answers_buyer(self, flag: Flag) -> bool:
        return self.question_answered(flag) is not None

    def _rejudge_answers(self, buyer: Segment) -> None:
        """The buyer's words arrive later than the rep's (their finals are decoded a few at a time): the rep's
        flags after them are judged again. A flag that turns out to answer a request for advice leaves the
        call's flags (its prompt was already shown); words spared as an answer that the buyer's later words
        show were not one become flags (no prompt: the moment has passed)."""
        now_answers = [f for f in self.flags if f.speaker == "rep" and f.start > buyer.start and self._answers_buyer(f)]
        no_longer = [f for f in self.answered if f.start > buyer.start and not self._answers_buyer(f)]
        if now_answers:
            self.flags = [f for f in self.flags if not any(f is a for a in now_answers)]
            self.restored = [f for f in self.restored if not any(f is a for a in now_answers)]
            self.withdrawn += now_answers
            self.answered += now_answers
        if no_longer:
            self.answered = [f for f in self.answered if not any(f is n for n in no_longer)]
            self.withdrawn = [f for f in self.withdrawn if not any(f is n for n in no_longer)]
            self.flags = sorted(self.flags + no_longer, key=lambda f: f.start)
            self.restored += no_longer

    def _seen(self, flag: Flag) -> bool:
        """A flag already raised for the same words (:func:`_same_words`)."""
        for prev in reversed(self.flags):
            if flag.start - prev.start > 60.0:
                break
            if _same_words(prev, flag):
                return True
        return False

    def _settle(self, final: Segment, heard: list[Flag], spared: list[Flag]) -> None:
        """The rep's final judged the whole sentences its partials were guesses of: a flag a partial raised
        within it that the final does not raise again is taken back (``withdrawn``); an answer a partial heard
        (``answered``) that the final does not say again is forgotten."""
        lo, hi = final.start - 0.3, final.end + 0.3
        judged = [f for f in self._provisional if lo <= f.start and f.end <= hi]
        if not judged:
            return
        self._provisional = [f for f in self._provisional if not any(f is j for j in judged)]
        gone = [f for f in judged
                if any(f is k for k in self.flags) and not any(_same_words(f, h) for h in heard)]
        if gone:
            self.flags = [f for f in self.flags if not any(f is g for g in gone)]
            self.withdrawn += gone
        unsaid = [f for f in judged
                  if any(f is a for a in self.answered) and not any(_same_words(f, h) for h in spared)]
        if unsaid:
            self.answered = [f for f in self.answered if not any(f is u for u in unsaid)]


def recorded_talk(spans: Iterable[SpeechSpan], segments: Iterable[Segment], end: float) -> TalkSummary:
    """The talk numbers of a call from what was kept of it (speech spans and final transcript), to ``end``:
    for a session whose recording stopped before its numbers were written."""
    tracker = TalkTracker()
    for span in sorted(spans, key=lambda s: s.end):
        tracker.add(span)
    questions = sum(len(_QUESTION.findall(s.text)) for s in segments if s.speaker == "rep" and s.final)
    return TalkSummary.of(tracker.finish(end), questions)


def _same_words(prev: Flag, flag: Flag) -> bool:
    """Two flags for the same words: the same phrase close by, or the same kind of phrase over the same
    moment (a partial heard "in your position have started", the final "Other clients in your position
    have started")."""
    if prev.category != flag.category or prev.speaker != flag.speaker:
        return False
    if prev.match.lower() == flag.match.lower() and abs(prev.start - flag.start) < _SAME_FLAG_WITHIN_S:
        return True
    return prev.start < flag.end and flag.start < prev.end


def _without_last_word(segment: Segment) -> Segment:
    if segment.words:
        return replace(segment, words=segment.words[:-1])
    return replace(segment, text=segment.text.rsplit(maxsplit=1)[0] if " " in segment.text.strip() else "")


def _text_and_times(segment: Segment) -> tuple[str, list[tuple[int, int, float, float]]]:
    """The text to scan, with the character range and audio times of each word."""
    if not segment.words:
        return segment.text, []
    parts: list[str] = []
    times: list[tuple[int, int, float, float]] = []
    pos = 0
    for w in segment.words:
        parts.append(w.text)
        times.append((pos, pos + len(w.text), w.start, w.end))
        pos += len(w.text)
    return "".join(parts), times


def _hit_times(hit: Hit, times: list[tuple[int, int, float, float]], segment: Segment) -> tuple[float, float]:
    """Audio times of a hit: from word timestamps where known, else the whole segment."""
    inside = [(ws, we) for cs, ce, ws, we in times if cs < hit.end and hit.start < ce]
    if not inside:
        return segment.start, segment.end
    return inside[0][0], inside[-1][1]


def analysis_json(session_id: str | None, duration_s: float, source: str, model: str,
                  talk: TalkSummary | None, segments: Sequence[Segment], flags: Sequence[Flag],
                  prompts: Sequence[Prompt], answers: Sequence[Answer] = ()) -> dict[str, Any]:
    """The analysis JSON contract of DESIGN.md, for a fresh analysis or a stored session; ``answered``: the rep's
    phrases not counted because the buyer had asked for that advice (``asked_at``: when; null if not known)."""
    return {
        "session_id": session_id,
        "duration_s": round(duration_s, 2),
        "source": source,
        "model": model,
        "talk": talk.as_json() if talk is not None else {},
        "segments": [{"speaker": g.speaker, "start": round(g.start, 2), "end": round(g.end, 2), "text": g.text}
                     for g in segments],
        "flags": [{"speaker": f.speaker, "start": round(f.start, 2), "end": round(f.end, 2),
                   "category": f.category, "match": f.match, "text": f.text, "prompt": f.prompt}
                  for f in flags],
        "prompts": [{"time": round(p.time, 2), "kind": p.kind, "text": p.text} for p in prompts],
        "answered": [{"speaker": a.flag.speaker, "start": round(a.flag.start, 2), "end": round(a.flag.end, 2),
                      "category": a.flag.category, "match": a.flag.match, "text": a.flag.text,
                      "asked_at": round(a.asked_at, 2) if a.asked_at is not None else None} for a in answers],
    }
