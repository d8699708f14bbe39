"""The rep's examples file: kept beside sessions.db, never lost, never written over when broken."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from copilot.core.events import Flag, Segment
from copilot.core.marks import missed_mark, wrong_mark
from copilot.core.rulebook import Rulebook
from copilot.errors import UserError
from copilot.report.review import build_review
from copilot.store.my_examples import ExamplesError, MyExamples, default_examples_path
from copilot.store.private import private_dir, write_private_text
from copilot.store.sqlite import MIGRATIONS, SessionStore, default_db_path
from tests.command_line import copilot

FLAG = Flag("rep", 11.0, 12.0, "owning_the_path", "The next step is", "The next step is a pilot.", "Over to you.")


def test_marks_are_kept_beside_the_sessions_and_undone(tmp_path: Path) -> None:
    assert default_examples_path() == default_db_path().parent / "my_examples.json"
    path = tmp_path / "my_examples.json"
    mine = MyExamples.load(path)
    assert mine.marks == []  # no file yet: nothing marked
    wrong = wrong_mark(FLAG, "call-1")
    mine.add(wrong)
    other_window = MyExamples.load(path)  # e.g. another review open at the same time
    line = Segment("rep", 40.0, 44.0, "I'd lock this in before Friday.")
    other_window.add(missed_mark(line, line.text, "closing_pressure", "Take your time.", "call-2"))
    mine.add(wrong)  # the same mark again is one mark, and the other window's is not lost
    again = MyExamples.load(path)
    assert [m.kind for m in again.marks] == ["example", "not_example"]
    assert again.of("call-1")[0].sentence == "The next step is a pilot." and again.of("call-1")[0].marked
    again.remove(again.of("call-1")[0])
    assert [m.session for m in MyExamples.load(path).marks] == ["call-2"]


def test_a_broken_examples_file_is_one_sentence_and_is_never_written_over(tmp_path: Path) -> None:
    path = tmp_path / "my_examples.json"
    mine = MyExamples.load(path)
    mine.add(wrong_mark(FLAG, "call-1"))
    broken = path.read_text(encoding="utf-8")[:-20]  # cut off, as by a full disk or a bad hand edit
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(ExamplesError, match=r"my_examples.json cannot be read .*nothing in it was changed") as e:
        MyExamples.load(path)
    assert isinstance(e.value, UserError) and "\n" not in str(e.value)
    with pytest.raises(ExamplesError):
        mine.add(wrong_mark(FLAG, "call-2"))  # a window opened before it broke does not overwrite it either
    assert path.read_text(encoding="utf-8") == broken
    # The detector is made with the rep's file: the commands say the one sentence, no traceback.
    data = private_dir(path.parent / "data" / "live-call-copilot")  # as the app makes it (no notice to tighten it)
    write_private_text(data / "my_examples.json", broken)
    r = copilot("detect", "--rules-only", stdin="The next step is a pilot.\n",
                env={**os.environ, "XDG_DATA_HOME": str(path.parent / "data")})
    assert r.returncode != 0 and "Traceback" not in r.stderr
    assert "my_examples.json cannot be read" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert (data / "my_examples.json").read_text(encoding="utf-8") == broken


def test_a_mark_with_a_long_value_where_a_number_goes_is_a_short_sentence(tmp_path: Path) -> None:
    path = tmp_path / "my_examples.json"
    path.write_text('{"version": 1, "marks": [{"kind": "example", "sentence": "Sign today.", "category": "x", '
                    '"session": "s", "start": "' + "x" * 5000 + '"}]}', encoding="utf-8")
    with pytest.raises(ExamplesError) as e:
        MyExamples.load(path)
    assert len(str(e.value)) < 400 and "\n" not in str(e.value) and "could not convert string to float" in str(e.value)


def test_the_examples_file_survives_a_schema_upgrade_and_marks_work_on_an_old_database(tmp_path: Path) -> None:
    path = tmp_path / "sessions.db"
    db = sqlite3.connect(path)
    for script in MIGRATIONS[:-1]:  # the schema before the newest
        db.executescript(script)
    db.execute("INSERT INTO sessions (id, started, source, kind, duration_s, talk, ended) VALUES ('old-1', "
               "'2026-01-01T10:00:00+00:00', 'call.opus', 'analyze', 60, '{\"rep_s\": 30.0}', 'finished')")
    db.execute("INSERT INTO segments VALUES ('old-1', 'rep', 10.0, 13.0, 'The next step is a pilot.', '[]')")
    db.execute("INSERT INTO flags VALUES ('old-1', 'rep', 11.0, 12.0, 'owning_the_path', 'The next step is', "
               "'The next step is a pilot.', 'Over to you.')")
    db.execute(f"PRAGMA user_version = {len(MIGRATIONS) - 1}")
    db.commit()
    db.close()
    examples = tmp_path / "my_examples.json"
    MyExamples.load(examples).add(wrong_mark(FLAG, "call-from-before"))
    kept = examples.read_bytes()
    with SessionStore(path) as store:  # upgraded in place
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        assert examples.read_bytes() == kept
        stored = store.load("old-1")
        mine = MyExamples.load(examples)
        mine.add(wrong_mark(stored.flags[0], "old-1", stored.segments[0].text))
        review = build_review(stored, Rulebook.load(), mine.of("old-1"))
    assert review.flags == [] and [f.match for f in review.cleared] == ["The next step is"]
    directive = next(n for n in review.numbers if n.label == "Directive phrases")
    assert directive.value.startswith("0.0 per 10 min")
    assert len(MyExamples.load(examples).marks) == 2
