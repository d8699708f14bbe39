"""After the fact: the rep says which voice of a mixed recording is theirs, and the numbers follow."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from copilot.core.phrases import PhraseDetector
from copilot.core.rulebook import Rulebook
from copilot.errors import UserError
from copilot.pipeline.offline import Analysis
from copilot.report.review import build_review, stored_json
from copilot.store.sqlite import SessionStore
from copilot.ui.review import ReviewWindow
from copilot.voices.this_is_me import this_is_me


@pytest.fixture(scope="module")
def detector() -> PhraseDetector:
    return PhraseDetector(Rulebook.load())


@pytest.fixture
def analysed(guessed_dev_a: Analysis) -> Analysis:
    """The mixed recording, its rep's voice a guess (tests/voices/conftest.py); each test stores it anew."""
    return guessed_dev_a


def saved(store: SessionStore, a: Analysis) -> str:
    assert a.voices is not None
    s = a.session
    return store.save_analysis(a.source, "analyze", "fake", a.duration_s, s.talk_summary(), a.spans, a.segments,
                               s.flags, s.prompts, voice_turns=a.voices.turns, rep_voice=a.voices.rep,
                               rep_guessed=a.voices.guess)


def test_this_is_me_swaps_the_sides_and_works_the_numbers_out_again(tmp_path: Path, analysed: Analysis,
                                                                    detector: PhraseDetector) -> None:
    with SessionStore(tmp_path / "s.db") as store:
        sid = saved(store, analysed)
        before = store.load(sid)
        assert before.rep_voice == 1 and before.talk is not None
        after = this_is_me(store, sid, 2, detector)
        assert after.rep_voice == 2 and after.talk is not None
        assert after.talk.rep_share == pytest.approx(1 - before.talk.rep_share, abs=0.01)
        # The fake transcriber says "the next step is ..." for every line: the flags follow the rep's side.
        assert {round(f.start) for f in after.flags} != {round(f.start) for f in before.flags}
        assert all(f.speaker == "rep" for f in after.flags)
        assert stored_json(after)["voices"]["rep_voice"] == 2
        assert store.load(sid).rep_voice == 2  # stored, not only returned
        with pytest.raises(UserError, match="no voice 3"):
            this_is_me(store, sid, 3, detector)


def test_the_review_lists_the_voices_and_this_is_me_opens_the_recomputed_call(
        qtbot: QtBot, tmp_path: Path, analysed: Analysis, detector: PhraseDetector) -> None:
    store = SessionStore(tmp_path / "s.db")
    sid = saved(store, analysed)
    window = ReviewWindow(build_review(store.load(sid), detector.rulebook), store)
    qtbot.addWidget(window)
    window.show()
    voices = [n for n in window.review.numbers if n.label.startswith("Voices")]
    assert voices and "you (a guess): voice 1" in voices[0].value and "a guess" in voices[0].benchmark
    assert window.me_button.isVisible()
    again = window.this_is_me(2)
    qtbot.addWidget(again)
    assert not window.isVisible() and again.isVisible()
    assert "you: voice 2" in [n for n in again.review.numbers if n.label.startswith("Voices")][0].value
    store.close()


def test_the_list_of_calls_marks_a_guessed_share_until_the_rep_says(tmp_path: Path, analysed: Analysis,
                                                                     detector: PhraseDetector) -> None:
    from tests.command_line import copilot

    with SessionStore(tmp_path / "s.db") as store:
        sid = saved(store, analysed)
        assert store.sessions()[0].rep_guessed
    listed = copilot("sessions", "--db", str(tmp_path / "s.db")).stdout
    assert "%?" in listed and "sessions me ID N" in listed
    with SessionStore(tmp_path / "s.db") as store:
        this_is_me(store, sid, 1, detector)
        assert not store.sessions()[0].rep_guessed


def test_this_is_me_in_the_review_judges_the_call_with_the_reps_own_rulebook(
        qtbot: QtBot, tmp_path: Path, analysed: Analysis, detector: PhraseDetector) -> None:
    """The window was opened with the rep's rulebook (their --rules, or the app's setting): "This is me…" works the
    call out again with it, not with the bundled one, and the review after it keeps it."""
    mine = tmp_path / "mine.toml"
    mine.write_text('[categories.pilot_talk]\nprompts = ["Whose pilot would it be?"]\npatterns = ["a pilot"]\n',
                    encoding="utf-8")
    store = SessionStore(tmp_path / "s.db")
    sid = saved(store, analysed)  # every line "The next step is a pilot.": the bundled rulebook's owning_the_path
    assert {f.category for f in store.load(sid).flags} == {"owning_the_path"}
    window = ReviewWindow(build_review(store.load(sid), Rulebook.load(mine)), store, rules=str(mine),
                          rules_only=True)
    qtbot.addWidget(window)
    again = window.this_is_me(2)
    qtbot.addWidget(again)
    assert again.review.flags and {f.category for f in again.review.flags} == {"pilot_talk"}
    assert [c.name for c in again.review.categories] == ["pilot_talk"]
    assert (again.rules, again.rules_only) == (str(mine), True)  # a second "This is me…" judges alike
    store.close()
