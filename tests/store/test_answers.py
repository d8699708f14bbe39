"""Advice the buyer asked for: kept with the call, shown in its review, hidden and deleted like its other words."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from copilot.core.events import Segment, SpeechSpan
from copilot.core.phrases import PhraseDetector
from copilot.core.rulebook import Rulebook
from copilot.core.session import Session
from copilot.pipeline.offline import Analysis
from copilot.redaction import redactor
from copilot.report.numbers_only import numbers_only, numbers_only_json
from copilot.report.review import build_review, stored_json
from copilot.report.transcript import transcript_html
from copilot.store.sqlite import SessionStore

ANSWER = "For twelve people you should start with the team plan, call me on 020 7946 0958."


def advised_call() -> Analysis:
    """A call where the buyer asks which plan to take and the rep answers with advice (and a phone number),
    then later pushes unasked."""
    spans = [SpeechSpan("prospect", 60.0, 63.0), SpeechSpan("rep", 64.0, 70.0), SpeechSpan("prospect", 72.0, 78.0),
             SpeechSpan("rep", 80.0, 84.0)]
    said = [Segment("prospect", 60.0, 63.0, "Which plan would you go with, for a team of twelve?"),
            Segment("rep", 64.0, 70.0, ANSWER),
            Segment("prospect", 72.0, 78.0, "Okay, we will think about it over the next few weeks."),
            Segment("rep", 80.0, 84.0, "Honestly, you should sign before the end of the month.")]
    session = Session(PhraseDetector(Rulebook.load()))
    session.replay(spans, said, 90.0)
    analysis = Analysis(session, 90.0, "call.m4a", "script", spans)
    analysis.hide(redactor())
    return analysis


def saved(store: SessionStore, analysis: Analysis, days_ago: float = 0.0) -> str:
    return store.save_analysis(analysis.source, "analyze", analysis.model, analysis.duration_s,
                               analysis.session.talk_summary(), analysis.spans, analysis.segments, analysis.flags,
                               analysis.prompts, supportive=analysis.supportive, hidden=analysis.hidden or {},
                               answers=analysis.answers,
                               started=datetime.now(timezone.utc) - timedelta(days=days_ago))


def test_an_answer_to_the_buyers_request_is_kept_hidden_and_shown_in_the_review(tmp_path: Path) -> None:
    analysis = advised_call()
    assert analysis.flags and all(f.start >= 80.0 for f in analysis.flags)  # the unasked push only
    with SessionStore(tmp_path / "s.db") as store:
        stored = store.load(saved(store, analysis))
    [answer] = stored.answers
    assert answer.asked_at == 60.0 and answer.flag.match == "you should" and answer.flag.category == "imperatives"
    assert "7946" not in answer.flag.text and "[phone number]" in answer.flag.text
    review = build_review(stored, Rulebook.load(), marks=())
    html = transcript_html(review.lines, markable=True)
    assert "Not counted: “you should” answers the buyer's request at 1:00 — advice they asked for" in html
    assert html.count("Not counted") == 1 and html.count("Not pushy") == len(analysis.flags)
    data = stored_json(stored)
    assert [(a["match"], a["asked_at"]) for a in data["answered"]] == [("you should", 60.0)]
    assert len(data["flags"]) == len(analysis.flags)


def test_numbers_only_leaves_out_the_answers_words(tmp_path: Path) -> None:
    with SessionStore(tmp_path / "s.db") as store:
        stored = store.load(saved(store, advised_call()))
    review = build_review(stored, Rulebook.load(), marks=())
    bare = numbers_only_json(review)
    assert [(a["match"], a["text"], a["asked_at"]) for a in bare["answered"]] == [("", "", 60.0)]
    assert numbers_only(review).lines == []


def test_retention_deletes_the_answers_with_the_words_and_a_new_analysis_replaces_them(tmp_path: Path) -> None:
    with SessionStore(tmp_path / "s.db") as store:
        old, new = saved(store, advised_call(), days_ago=40), saved(store, advised_call())
        store.expire_transcripts(datetime.now(timezone.utc) - timedelta(days=30))
        assert store.load(old).answers == [] and len(store.load(new).answers) == 1
        stored = store.load(new)
        store.replace_results(new, stored.talk or pytest.fail("no talk"), stored.spans, stored.segments, stored.flags,
                              stored.prompts, rep_voice=0)
        assert store.load(new).answers == []
        third = saved(store, advised_call())
        assert store.db.execute("SELECT COUNT(*) FROM answers").fetchone()[0] == 1
        store.delete(third)  # deleting a call deletes its answers
        assert store.db.execute("SELECT COUNT(*) FROM answers").fetchone()[0] == 0


def test_a_live_call_keeps_its_answers_when_it_finishes(tmp_path: Path) -> None:
    analysis = advised_call()
    with SessionStore(tmp_path / "s.db") as store:
        sid = store.create_session("mic + call", "live", hidden={})
        store.add(sid, segments=analysis.segments, flags=analysis.flags)
        store.finish_session(sid, 90.0, analysis.session.talk_summary(), answers=analysis.answers)
        store.finish_session(sid, 90.0, analysis.session.talk_summary(), answers=analysis.answers)  # once, not twice
        assert [(a.flag.match, a.asked_at) for a in store.load(sid).answers] == [("you should", 60.0)]


def test_the_end_of_a_live_call_writes_its_answers_hidden(tmp_path: Path) -> None:
    from copilot.pipeline.recorded import save_end
    from copilot.pipeline.sinks import StoreWriter

    session = advised_call().session
    kept = redactor().call(session.segments, session.flags, session.supportive, session.prompts, session.answers())
    with SessionStore(tmp_path / "s.db") as store:
        sid = store.create_session("mic + call", "live", hidden={})
        assert save_end(store, sid, StoreWriter(store, sid), session, 90.0, kept, kept.hidden) is None
        [answer] = store.load(sid).answers
    assert answer.asked_at == 60.0 and "[phone number]" in answer.flag.text
