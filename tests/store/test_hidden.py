"""What the store keeps of hiding: the count with each session, text kept as heard when the rep said so,
and calls stored before anything was hidden hidden when they are read."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from copilot.core.events import Flag, Prompt, Segment, SpeechSpan
from copilot.core.rulebook import Rulebook
from copilot.core.talk import TalkSummary
from copilot.report.review import build_review, stored_json
from copilot.store.sqlite import MIGRATIONS, HiddenLater, SessionStore

TALK = TalkSummary(rep_s=60.0, prospect_s=40.0, rep_share=0.6)
CARD = "The card number is 4111 1111 1111 1111."


def save(store: SessionStore, text: str, hidden: dict[str, int] | HiddenLater) -> str:
    return store.save_analysis(
        "call.opus", "analyze", "tiny.en", 60.0, TALK, [SpeechSpan("prospect", 1.0, 4.0)],
        [Segment("prospect", 1.0, 4.0, text)],
        [Flag("prospect", 1.0, 2.0, "x", "The card", text, "")],
        [Prompt(3.0, "phrase", "What next?", "x", f"you said: '{text}'", 9.0)], hidden=hidden)


def test_a_session_keeps_the_count_of_what_was_hidden_before_it_came(tmp_path: Path) -> None:
    with SessionStore(tmp_path / "s.db") as store:
        sid = save(store, "The card number is [card number].", {"card": 1})
        stored = store.load(sid)
    assert stored.hidden == {"card": 1}
    assert stored.segments[0].text == "The card number is [card number]."
    assert stored_json(stored)["hidden"] == {"card": 1}


def test_a_session_the_rep_kept_as_heard_is_read_as_heard(tmp_path: Path) -> None:
    with SessionStore(tmp_path / "s.db") as store:
        sid = save(store, CARD, "off")
        stored = store.load(sid)
    assert stored.hidden is None and stored.segments[0].text == CARD and stored.flags[0].text == CARD
    assert "kept as heard" in build_review(stored, Rulebook.load(), marks=()).hidden


def test_a_session_stored_before_hiding_is_hidden_when_read_and_the_file_is_left_as_it_was(tmp_path: Path) -> None:
    with SessionStore(tmp_path / "s.db") as store:
        sid = save(store, CARD, "later")
        stored = store.load(sid)
        assert store.segments(sid)[0][3] == CARD  # the file is not rewritten behind the rep's back
    assert stored.hidden == {"card": 1}
    assert stored.segments[0].text == "The card number is [card number]."
    assert stored.flags[0].text == "The card number is [card number]."
    assert "4111" not in stored.prompts[0].reason
    assert build_review(stored, Rulebook.load(), marks=()).hidden == "1 card-like number hidden."


def test_a_store_of_the_schema_before_hiding_opens_and_its_calls_are_hidden_when_read(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = sqlite3.connect(path)
    for script in MIGRATIONS[:5]:
        db.executescript(script)
    db.execute("INSERT INTO sessions (id, started, source, kind, duration_s, rep_share, talk, ended) VALUES ('old-1', "
               "'2026-01-01T10:00:00+00:00', 'call.opus', 'analyze', 60, 0.5, "
               "'{\"rep_s\": 30.0, \"prospect_s\": 30.0, \"rep_share\": 0.5}', 'finished')")
    db.execute("INSERT INTO segments VALUES ('old-1', 'prospect', 10.0, 13.0, 'Mail me at sam@example.com.', '[]')")
    db.execute("PRAGMA user_version = 5")
    db.commit()
    db.close()
    with SessionStore(path) as store:
        stored = store.load("old-1")
    assert stored.segments[0].text == "Mail me at [e-mail]."
    assert stored.hidden == {"email": 1}


def test_a_live_session_writes_its_count_as_it_goes(tmp_path: Path) -> None:
    with SessionStore(tmp_path / "s.db") as store:
        sid = store.create_session("mic + call", "live", hidden={})
        store.add(sid, segments=[Segment("prospect", 1.0, 2.0, "It's [phone number].")], hidden={"phone": 1})
        assert store.load(sid).hidden == {"phone": 1}
        store.add(sid, segments=[Segment("prospect", 3.0, 4.0, "And [e-mail].")], hidden={"phone": 1, "email": 1})
        store.finish_session(sid, 5.0, TALK)
        assert store.load(sid).hidden == {"phone": 1, "email": 1}
