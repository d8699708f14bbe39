"""Progress from the store: the numbers stay right after a mark, a rename, a deletion, "This is me…",
a left-out call, a date range and a schema upgrade."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from copilot.core.events import Segment, SpeechSpan
from copilot.core.marks import missed_mark, wrong_mark
from copilot.core.phrases import PhraseDetector
from copilot.core.rulebook import Rulebook
from copilot.core.session import Session
from copilot.report.progress import date_bounds, find_supportive, load_progress
from copilot.report.review import build_review
from copilot.store.sqlite import MIGRATIONS, SessionStore, StoreError
from copilot.voices.this_is_me import this_is_me

RULES = PhraseDetector(Rulebook.load())

LINES = [Segment("rep", 0.0, 20.0, "The next step is a pilot. It's your call."),
         Segment("prospect", 21.0, 60.0, "We need to think about it with the team first."),
         Segment("rep", 61.0, 90.0, "You should sign today. No pressure. What would help you decide?"),
         Segment("prospect", 91.0, 120.0, "Let me talk to finance.")]


def coached(store: SessionStore, started: datetime, lines: list[Segment] = LINES, **kw: object) -> str:
    """A call coached by the rules alone, stored as ``copilot analyze`` stores it, started at ``started``."""
    spans = [SpeechSpan(g.speaker, g.start, g.end) for g in lines]
    session = Session(RULES)
    session.replay(spans, lines, lines[-1].end)
    sid = store.save_analysis("call.opus", "analyze", "rules", lines[-1].end, session.talk_summary(), spans,
                              session.segments, session.flags, session.prompts, supportive=session.supportive,
                              **kw)  # type: ignore[arg-type]
    store.db.execute("UPDATE sessions SET started = ? WHERE id = ?", (started.isoformat(timespec="seconds"), sid))
    return sid


def day(d: int, hour: int = 12) -> datetime:
    return datetime(2026, 3, d, hour, tzinfo=timezone.utc)


def test_each_call_is_counted_from_the_stores_tables_as_the_review_counts_it(tmp_path: Path) -> None:
    with SessionStore(tmp_path / "s.db") as store:
        sid = coached(store, day(2))
        (c,) = load_progress(store, []).calls
        review = build_review(store.load(sid), RULES.rulebook, [])
    numbers = {n.label: n.value for n in review.numbers}
    assert c.directive == len(review.flags) == 3  # "The next step is", "You should", "sign today"
    assert numbers["Directive phrases"].endswith("(3 in all)")
    assert c.supportive == len(review.supportive) == 2  # "your call", "No pressure"
    assert numbers["Autonomy-supportive lines"] == "2"
    assert c.questions == 1 and c.kind == "analyze" and c.label == "call.opus"
    assert c.rep_share == pytest.approx(49 / (49 + 68), abs=0.001)


def test_a_line_with_two_supportive_phrases_is_one_line_in_progress_and_the_review(tmp_path: Path) -> None:
    from copilot.core.events import Word

    text = "What would you need to see to move forward on your own terms?"
    words = tuple(Word(" " + w, 0.4 * k, 0.4 * k + 0.35) for k, w in enumerate(text.split()))  # as Whisper times them
    lines = [Segment("rep", 0.0, 5.0, text, True, words), Segment("prospect", 5.5, 35.0, "Let me talk to finance."),
             Segment("rep", 40.0, 45.0, text, True, tuple(Word(w.text, w.start + 40, w.end + 40) for w in words))]
    with SessionStore(tmp_path / "s.db") as store:
        sid = coached(store, day(2), lines)
        (c,) = load_progress(store, []).calls
        review = build_review(store.load(sid), RULES.rulebook, [])
    assert len(review.supportive) == 4 and len({x.start for x in review.supportive}) == 4  # each phrase its time
    assert c.supportive == 2  # two lines, said 40 s apart
    assert {n.label: n.value for n in review.numbers}["Autonomy-supportive lines"] == "2"


def test_a_flag_marked_not_pushy_is_not_counted_and_a_missed_line_is(tmp_path: Path) -> None:
    with SessionStore(tmp_path / "s.db") as store:
        sid = coached(store, day(2))
        flags = store.load(sid).flags
        wrong = wrong_mark(flags[0], sid, LINES[0].text)
        assert load_progress(store, [wrong]).calls[0].directive == 2
        missed = missed_mark(LINES[2], "What would help you decide?", "owning_the_path", "Over to you.", sid)
        assert load_progress(store, [wrong, missed]).calls[0].directive == 3
        other = wrong_mark(flags[0], "another-call", LINES[0].text)
        assert load_progress(store, [other]).calls[0].directive == 3  # a mark of another call changes nothing


def test_a_renamed_call_keeps_its_numbers_and_a_deleted_one_is_gone_with_its_lines(tmp_path: Path) -> None:
    with SessionStore(tmp_path / "s.db") as store:
        keep, gone = coached(store, day(2)), coached(store, day(3))
        store.rename(keep, "Acme discovery")
        p = load_progress(store, [])
        assert [c.label for c in p.calls] == ["Acme discovery", "call.opus"]
        store.delete(gone)
        p = load_progress(store, [])
        assert [c.id for c in p.calls] == [keep] and p.calls[0].supportive == 2
        assert store.db.execute("SELECT count(*) FROM supportive WHERE session_id = ?", (gone,)).fetchone()[0] == 0


def test_a_call_left_out_stays_listed_but_is_not_counted_and_can_come_back(tmp_path: Path) -> None:
    with SessionStore(tmp_path / "s.db") as store:
        a, b = coached(store, day(2)), coached(store, day(3))
        store.set_excluded(b, True)
        assert next(r for r in store.sessions() if r.id == b).excluded
        p = load_progress(store, [])
        assert [c.id for c in p.calls] == [a] and [c.id for c in p.left_out] == [b]
        store.set_excluded(b, False)
        assert len(load_progress(store, []).calls) == 2
        with pytest.raises(StoreError, match="no session"):
            store.set_excluded("nope", True)


def test_a_date_range_takes_the_reps_whole_days(tmp_path: Path) -> None:
    with SessionStore(tmp_path / "s.db") as store:
        ids = [coached(store, day(d)) for d in (1, 5, 9)]
        p = load_progress(store, [], since=date(2026, 3, 5), until=date(2026, 3, 5))
        assert [c.id for c in p.calls] == [ids[1]]
        assert [c.id for c in load_progress(store, [], since=date(2026, 3, 5)).calls] == ids[1:]
        assert [c.id for c in load_progress(store, [], until=date(2026, 3, 5)).calls] == ids[:2]
    lo, hi = date_bounds(date(2026, 3, 5), date(2026, 3, 5))
    assert lo is not None and hi is not None and lo < "2026-03-05T12:00:00+00:00" < hi


def test_a_call_still_being_recorded_is_not_counted_yet(tmp_path: Path) -> None:
    with SessionStore(tmp_path / "s.db") as store:
        coached(store, day(2))
        store.create_session("Built-in Microphone + Monitor", "live")  # this process records it
        assert len(load_progress(store, []).calls) == 1


def test_this_is_me_recounts_the_call_and_its_supportive_lines(tmp_path: Path) -> None:
    with SessionStore(tmp_path / "s.db") as store:
        sid = coached(store, day(2), voice_turns=[(1, 0.0, 20.0), (2, 21.0, 60.0), (1, 61.0, 90.0), (2, 91.0, 120.0)],
                      rep_voice=1, rep_guessed=True)
        before = load_progress(store, []).calls[0]
        assert before.guessed and before.mixed and before.supportive == 2
        this_is_me(store, sid, 2, RULES)  # the rep was the other voice: the buyer's lines are theirs now
        after = load_progress(store, []).calls[0]
        assert not after.guessed and after.mixed
        assert after.rep_share == pytest.approx(1 - before.rep_share, abs=0.01)
        assert after.supportive == 0 and after.directive == 0 and after.questions == 0


def test_sessions_stored_before_supportive_lines_were_kept_are_unknown_until_found_once(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = sqlite3.connect(path)
    for script in MIGRATIONS[:4]:  # the schema before supportive lines were kept
        db.executescript(script)
    db.execute("INSERT INTO sessions (id, started, source, kind, duration_s, rep_share, talk, ended) VALUES ('old-1', "
               "'2026-01-01T10:00:00+00:00', 'call.opus', 'live', 60, 0.5, "
               "'{\"rep_s\": 30.0, \"prospect_s\": 30.0, \"rep_share\": 0.5}', 'finished')")
    db.execute("INSERT INTO segments VALUES ('old-1', 'rep', 10.0, 13.0, 'Honestly, it is up to you.', '[]')")
    db.execute("INSERT INTO segments VALUES ('old-1', 'prospect', 14.0, 16.0, 'It is your call, they said.', '[]')")
    db.execute("PRAGMA user_version = 4")
    db.commit()
    db.close()
    with SessionStore(path) as store:
        assert load_progress(store, []).calls[0].supportive is None  # not a zero
        assert store.load("old-1").supportive is None
        told: list[int] = []
        assert find_supportive(store, RULES, told.append) == 1 and told == [1]
        assert find_supportive(store, RULES) == 0  # once
        assert load_progress(store, []).calls[0].supportive == 1  # the rep's line, not the buyer's
        stored = store.load("old-1")
        assert stored.supportive is not None and [x.match for x in stored.supportive] == ["up to you"]


def test_a_damaged_talk_column_reads_as_zeros_like_the_review_reads_it(tmp_path: Path) -> None:
    with SessionStore(tmp_path / "s.db") as store:
        for talk in ("not json", "[1, 2]", '{"rep_s": "a lot", "rep_share": 0.5, "rep_questions": 3}'):
            sid = store.create_session("x", "live")
            store.db.execute("UPDATE sessions SET talk = ?, ended = 'finished' WHERE id = ?", (talk, sid))
        rows = sorted(store.call_rows(), key=lambda r: r.talk.rep_questions)
    assert [r.talk.rep_s for r in rows] == [0.0, 0.0, 0.0]
    assert (rows[-1].talk.rep_share, rows[-1].talk.rep_questions) == (0.5, 3)
