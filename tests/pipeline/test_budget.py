"""The CPU budget: the session's own CPU over a sliding window; over it, fewer partials and every final."""

from __future__ import annotations

import numpy as np

from copilot.audio.sources import FileSource
from copilot.core.events import Segment
from copilot.core.phrases import PhraseDetector
from copilot.core.rulebook import Rulebook
from copilot.pipeline.budget import CpuBudget
from copilot.pipeline.live import LivePipeline
from copilot.stt.streaming import Job
from tests.fakes import FakeClock, LoggedEvents, SaysNextStep
from tests.wavs import sample_call


class Clocks:
    """Wall time that the test moves, and CPU time spent at ``rate`` cores per wall second."""

    def __init__(self, rate: float) -> None:
        self.now, self.rate = 0.0, rate

    def wall(self) -> float:
        return self.now

    def cpu(self) -> float:
        return self.now * self.rate


def test_the_budget_compares_the_share_of_a_core_used_over_the_window() -> None:
    for rate, over in ((0.8, True), (0.3, False)):
        clocks = Clocks(rate)
        budget = CpuBudget(0.5, window_s=10.0, cpu=clocks.cpu, wall=clocks.wall)
        assert budget.used() is None  # nothing measured yet
        for _ in range(30):
            clocks.now += 1.0
            budget.over()
        used = budget.used()
        assert used is not None and abs(used - rate) < 1e-9 and budget.over() is over


def test_the_window_forgets_what_was_spent_long_ago() -> None:
    clocks = Clocks(2.0)
    budget = CpuBudget(0.5, window_s=10.0, cpu=clocks.cpu, wall=clocks.wall)
    for _ in range(20):
        clocks.now += 1.0
        budget.over()
    spent = clocks.cpu()
    budget.cpu = lambda: spent  # the busy part of the call is over: nothing more is spent
    for _ in range(15):
        clocks.now += 1.0
        budget.over()
    assert not budget.over()


class FinalsKept(LivePipeline):
    """The live pipeline, noting the stretch of call time each final decode of the rep heard."""

    rep_finals: list[tuple[float, float]]

    def _run(self, job: Job) -> None:
        if job.kind == "final" and job.speaker == "rep":  # at once, or packed (a revision)
            self.rep_finals += [(a, a + d) for a, d in job.pieces] or [(job.start, job.end)]
        super()._run(job)


def merged(stretches: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Stretches of call time joined where they touch or overlap."""
    out: list[tuple[float, float]] = []
    for a, b in sorted(stretches):
        if out and a <= out[-1][1] + 1e-6:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


class AlwaysAwaits(PhraseDetector):
    """A detector that always waits for the rep's next words (as on "The next step is", doubted)."""

    def awaits_words(self, text: str) -> bool:
        return True


def replay(budget: CpuBudget | None) -> tuple[FinalsKept, LoggedEvents]:
    clock = FakeClock()
    events = LoggedEvents()
    source = FileSource(sample_call(), speed=1.0, clock=clock, sleep=clock.sleep)
    pipeline = FinalsKept(source, SaysNextStep(), PhraseDetector(Rulebook.load()), [events], clock=clock,
                          budget=budget)
    pipeline.rep_finals = []
    pipeline.run()
    return pipeline, events


def test_over_budget_partials_come_rarer_and_no_final_is_lost() -> None:
    free, free_events = replay(None)
    # Ten CPU seconds for every wall second each time it looks: as if every core were taken.
    always_over = CpuBudget(0.5, cpu=iter(range(0, 10**9, 10)).__next__, wall=iter(range(0, 10**9)).__next__)
    held, held_events = replay(always_over)
    assert held.counters.partials_held > 0
    assert held.counters.partial_jobs < free.counters.partial_jobs

    def finals(events: LoggedEvents, who: str) -> list[tuple[float, float]]:
        return sorted((e["start"], e["end"]) for e in events
                      if e["type"] == "segment" and e["speaker"] == who and "replaces" not in e)

    assert finals(held_events, "prospect") == finals(free_events, "prospect")
    # Every stretch of the rep's speech is still heard by a final decode, at once or packed with
    # its neighbours (where utterances are cut depends on when the worker looks, so the number
    # of decodes is not compared).
    spans = [(e["start"], e["end"]) for e in held_events
             if e["type"] == "speech" and e["state"] == "end" and e["speaker"] == "rep"]
    heard = merged(held.rep_finals)
    assert spans and all(any(a <= s + 0.01 and e <= b + 0.01 for a, b in heard) for s, e in spans)
    talk = [e["t"] for e in free_events if e["type"] == "talk"]
    assert [e["t"] for e in held_events if e["type"] == "talk"] == talk  # the meter never waits



def test_over_budget_a_partial_awaited_for_its_next_words_is_not_put_off() -> None:
    clock = FakeClock()
    always_over = CpuBudget(0.5, cpu=iter(range(0, 10**9, 10)).__next__, wall=iter(range(0, 10**9)).__next__)
    source = FileSource(sample_call(), speed=1.0, clock=clock, sleep=clock.sleep)
    pipeline = LivePipeline(source, SaysNextStep(), AlwaysAwaits(Rulebook.load()), [], clock=clock,
                            budget=always_over)
    # The rep has said 1 s since the last partial guess (less than the 1.5 s a guess waits for over budget).
    rep, prospect = pipeline.transcribers["rep"], pipeline.transcribers["prospect"]
    guess = Job("rep", "partial", 1, 0.0, np.zeros(16000, np.float32))
    rep.partial_due = lambda: 1.0  # type: ignore[method-assign]
    rep.job = lambda allow_partial=True: guess if allow_partial else None  # type: ignore[method-assign]
    prospect.partial_due = lambda: 0.0  # type: ignore[method-assign]
    prospect.job = lambda allow_partial=True: None  # type: ignore[method-assign]
    while not always_over.over():  # the budget has measured a while
        pass
    assert pipeline._pick() is None  # put off
    # The rep's last guess ended on a pattern the detector holds back for its next words: heard now.
    pipeline._on_segments([Segment("rep", 0.0, 1.0, "The next step is to", final=False)])
    assert pipeline._pick() is guess
    pipeline._on_segments([Segment("rep", 0.0, 2.0, "The next step is to sign.")])  # the final settles it
    assert pipeline._pick() is None
