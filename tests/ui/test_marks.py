"""In the review the rep says "that wasn't pushy" (or "that was"): the call's numbers follow, and their detector."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from pytestqt.qtbot import QtBot

from copilot.cli import main
from copilot.core.events import Segment, SpeechSpan
from copilot.core.marks import flag_sentence, missed_mark, wrong_mark
from copilot.core.phrases import PhraseDetector
from copilot.core.rulebook import Rulebook
from copilot.core.session import Session
from copilot.report.html import report_html
from copilot.report.review import Review, build_review, stored_json
from copilot.report.transcript import transcript_html
from copilot.scripted.hour import hour_of_calls
from copilot.store.my_examples import MyExamples
from copilot.store.sqlite import SessionStore
from copilot.ui.review import ReviewWindow
from copilot.voices.this_is_me import this_is_me
from copilot.wiring import load_detector
from tests.stored_calls import copied_store

RULES = PhraseDetector(Rulebook.load())  # the patterns alone: the review's flags come from the store


@pytest.fixture(scope="module")
def coached(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with one coached call: the sample call's script, twice."""
    path = tmp_path_factory.mktemp("coached") / "s.db"
    with SessionStore(path) as s:
        hour_of_calls(s, minutes=2.5)
    return path


@pytest.fixture
def store(coached: Path, tmp_path: Path) -> SessionStore:
    """That store, a copy of its own for the test (as ``tmp_path/s.db``)."""
    return copied_store(coached, tmp_path)


def review_of(store: SessionStore, examples: MyExamples | None = None) -> Review:
    sid = store.sessions()[0].id
    return build_review(store.load(sid), RULES.rulebook, (examples or MyExamples.load()).of(sid))


def directive(review: Review) -> str:
    return next(n.value for n in review.numbers if n.label == "Directive phrases")


def first_flagged(review: Review) -> int:
    return next(i for i, line in enumerate(review.lines) if line.flags)


def click(qtbot: QtBot, window: ReviewWindow, link: str) -> str:
    """Click one of the transcript's links; the sentence the window says about it."""
    with qtbot.waitSignal(window.marked) as said:
        window.transcript.anchorClicked.emit(QUrl(link))
    return str(said.args[0])


def test_marking_a_flag_wrong_removes_it_from_the_calls_numbers_and_survives_reopening(
        qtbot: QtBot, store: SessionStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    review = review_of(store)
    n = len(review.flags)
    assert f"({n} in all)" in directive(review)
    window = ReviewWindow(review, store)
    qtbot.addWidget(window)
    window.show()
    assert "Not pushy" in window.transcript.toPlainText() and "Mark as pushy…" in window.transcript.toPlainText()
    i = first_flagged(review)
    flag = review.lines[i].flags[0]
    said = click(qtbot, window, f"wrong:{i}.0")
    assert "not pushy" in said and flag.match in said and window.status.text() == said
    # The phrase, not the whole sentence, is what the detector will not flag again (another push in it still flags).
    assert f"will not flag “{flag.match}” in “" in said
    assert f"({n - 1} in all)" in directive(window.review)
    value = window.number_labels[[x.label for x in window.review.numbers].index("Directive phrases")][1]
    assert value.text() == directive(window.review)  # the window shows the new number
    assert window.timeline.flag_marks.data.size == n - 1
    assert "You marked “" + flag.match + "” not pushy" in window.transcript.toPlainText()
    # Kept in the rep's file: the call reopens with the flag left out, in the report and its JSON too.
    again = review_of(store)
    assert len(again.flags) == n - 1 and flag not in again.flags and again.cleared == (flag,)
    sid = again.stored.row.id
    assert main(["report", sid, "--db", str(store.path), "--json", "-"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["flags"]) == n - 1 and data["marks"][0]["kind"] == "not_example"
    assert "You marked 1 flag as not pushy" in report_html(again, b"")
    # ...and the rep's detector does not flag that sentence again, in any call.
    sentence = again.marks[0].sentence
    assert RULES.detect(sentence).flagged and not load_detector(None, meaning=False).detect(sentence).flagged


def test_undo_puts_a_flag_marked_wrong_back(qtbot: QtBot, store: SessionStore) -> None:
    review = review_of(store)
    n = len(review.flags)
    window = ReviewWindow(review, store)
    qtbot.addWidget(window)
    i = first_flagged(review)
    click(qtbot, window, f"wrong:{i}.0")
    assert len(window.review.flags) == n - 1
    said = click(qtbot, window, f"restore:{i}.0")
    assert said.startswith("Undone") and len(window.review.flags) == n and not window.review.cleared
    assert MyExamples.load().marks == [] and len(review_of(store).flags) == n
    assert window.timeline.flag_marks.data.size == n


def test_a_missed_line_becomes_one_of_the_calls_flags_marked_as_the_reps(
        qtbot: QtBot, store: SessionStore, monkeypatch: pytest.MonkeyPatch) -> None:
    review = review_of(store)
    n = len(review.flags)
    window = ReviewWindow(review, store)
    qtbot.addWidget(window)
    i = next(i for i, line in enumerate(review.lines)
             if line.segment.speaker == "rep" and not line.flags and "fit" in line.segment.text)
    label = next(c.label for c in review.categories if c.name == "closing_pressure")
    asked: list[str] = []

    def pick(_parent: object, _title: str, question: str, items: list[str], *_: object) -> tuple[str, bool]:
        asked.append(question)
        if question == "Which words were pushy?":  # the whole line, then its parts
            assert items[0] == review.lines[i].segment.text and len(items) > 1
            return items[0], True
        return next(x for x in items if x.startswith(label)), True

    monkeypatch.setattr("copilot.ui.marking.QInputDialog.getItem", pick)
    said = click(qtbot, window, f"missed:{i}")
    assert asked[-1] == "What kind of push was it?" and "as pushy" in said
    assert f"({n + 1} in all)" in directive(window.review)
    added = [f for f in window.review.flags if f.added]
    assert len(added) == 1 and added[0].category == "closing_pressure"
    assert added[0].match == review.lines[i].segment.text and added[0].prompt
    assert "you marked this pushy" in window.transcript.toPlainText()
    data = stored_json(window.review.stored, window.review.marks)
    assert [f for f in data["flags"] if f.get("added_by_rep")][0]["category"] == "closing_pressure"
    assert MyExamples.load().marks[0].kind == "example"
    j = next(j for j, f in enumerate(window.review.lines[i].flags) if f.added)
    click(qtbot, window, f"unmark:{i}.{j}")
    assert len(window.review.flags) == n and MyExamples.load().marks == []


def test_a_part_of_a_sentence_can_be_marked_pushy_alone(
        qtbot: QtBot, store: SessionStore, monkeypatch: pytest.MonkeyPatch) -> None:
    review = review_of(store)
    window = ReviewWindow(review, store)
    qtbot.addWidget(window)
    i = next(i for i, line in enumerate(review.lines)
             if line.segment.speaker == "rep" and not line.flags and ", and " in line.segment.text)
    whole = review.lines[i].segment.text
    part = whole.split(", and ")[0].split(". ")[-1]
    label = next(c.label for c in review.categories if c.name == "closing_pressure")

    def pick(_parent: object, _title: str, question: str, items: list[str], *_: object) -> tuple[str, bool]:
        return (part, True) if question == "Which words were pushy?" else (
            next(x for x in items if x.startswith(label)), True)

    monkeypatch.setattr("copilot.ui.marking.QInputDialog.getItem", pick)
    said = click(qtbot, window, f"missed:{i}")
    assert f"Marked “{part}” as pushy" in said
    (added,) = [f for f in window.review.flags if f.added]
    assert added.match == part and added.text == whole
    assert MyExamples.load().marks[0].sentence == part
    from html import escape

    assert f'<span class="flagged">{escape(part)}</span>' in transcript_html(window.review.lines)


def test_a_line_marked_pushy_that_the_call_now_flags_itself_keeps_its_undo(qtbot: QtBot, store: SessionStore) -> None:
    # The rep marked a line pushy, then analysed the call again with the detector that had learnt it: the call's
    # own flag now stands for the mark, shown as the rep's (Undo), not with "Not pushy" on their own example.
    review = review_of(store)
    i = first_flagged(review)
    line, flag = review.lines[i].segment, review.lines[i].flags[0]
    MyExamples.load().add(missed_mark(line, flag_sentence(flag, line.text), flag.category, flag.prompt,
                                      review.stored.row.id))
    review = review_of(store)
    n = len(review.flags)
    window = ReviewWindow(review, store)
    qtbot.addWidget(window)
    assert review.lines[i].flags[0].added and f"unmark:{i}.0" in transcript_html(review.lines, markable=True)
    said = click(qtbot, window, f"unmark:{i}.0")
    assert "stays flagged in this call" in said and len(window.review.flags) == n
    assert MyExamples.load().marks == [] and not window.review.lines[i].flags[0].added


def test_a_mark_survives_this_is_me_and_the_flag_marked_wrong_does_not_come_back(tmp_path: Path) -> None:
    with SessionStore(tmp_path / "mixed.db") as store:
        lines = [Segment("rep", 0.0, 3.0, "The next step is a pilot."), Segment("prospect", 4.0, 6.0, "Sounds fine."),
                 Segment("rep", 7.0, 9.0, "You should sign today.")]
        spans = [SpeechSpan(g.speaker, g.start, g.end) for g in lines]
        session = Session(RULES)
        session.replay(spans, lines, 10.0)
        sid = store.save_analysis("a mixed recording", "analyze", "fake", 10.0, session.talk_summary(), spans,
                                  session.segments, session.flags, session.prompts,
                                  voice_turns=[(1, 0.0, 3.0), (2, 4.0, 6.0), (1, 7.0, 9.0)], rep_voice=1,
                                  rep_guessed=True)
        first = build_review(store.load(sid), RULES.rulebook)
        assert first.flags[0].match == "The next step is" and len(first.flags) > 1
        mine = MyExamples.load()
        mine.add(wrong_mark(first.flags[0], sid, lines[0].text))
        # "This is me": the call is worked out again, by the rep's detector, and reviewed with their marks.
        stored = this_is_me(store, sid, 1, load_detector(None, meaning=False))
        after = build_review(stored, RULES.rulebook)
    assert [f.match for f in after.flags] == [f.match for f in first.flags[1:]]
    assert [f.match for f in after.cleared] == ["The next step is"]  # still there to undo
