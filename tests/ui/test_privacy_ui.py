"""The app's side of privacy (offscreen): retention kept while it runs, a deleted transcript said in one line,
a report saved with numbers only, and the setting in the control window's form."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

from pytestqt.qtbot import QtBot

from copilot.core.retention import Retention
from copilot.store.settings import Settings
from copilot.store.sqlite import SessionStore
from copilot.ui.coaching_form import CoachingForm
from copilot.ui.retention import RetentionKeeper
from copilot.ui.review import ReviewWindow
from copilot.wiring import apply_retention, load_review
from tests.store.test_retention import UNIQUE, coached_call


def test_the_app_deletes_old_transcripts_off_the_qt_thread_at_start_and_again_later(qtbot: QtBot,
                                                                                    tmp_path: Path) -> None:
    db = tmp_path / "sessions.db"
    with SessionStore(db) as store:
        coached_call(store, days_ago=100, extra=UNIQUE)
    keeper = RetentionKeeper(str(db), lambda: Retention(90), lambda: None, every_ms=50)
    threads: list[str] = []
    keeper.done.connect(lambda _said: threads.append(threading.current_thread().name))  # delivered on the Qt thread
    with qtbot.waitSignal(keeper.done, timeout=10_000) as said:
        keeper.start()
    assert said.args[0].startswith("Deleted the transcripts of 1 call") and threads == ["MainThread"]
    with SessionStore(db) as store:
        coached_call(store, days_ago=200)  # a call from an older export, say, arrives while the app runs
    with qtbot.waitSignal(keeper.done, timeout=10_000) as again:  # the next interval finds it
        pass
    assert again.args[0].startswith("Deleted the transcripts of 1 call")
    keeper._timer.stop()


def test_never_runs_nothing(qtbot: QtBot, tmp_path: Path) -> None:
    keeper = RetentionKeeper(str(tmp_path / "s.db"), lambda: Retention(None), lambda: None)
    assert keeper.run() is None and not (tmp_path / "s.db").exists()


def test_a_call_whose_transcript_was_deleted_says_so_in_one_line(qtbot: QtBot, tmp_path: Path) -> None:
    with SessionStore(tmp_path / "s.db") as store:
        sid = coached_call(store, days_ago=100, extra=UNIQUE)
        apply_retention(store, Retention(90))
        window = ReviewWindow(load_review(store, sid), store)
        qtbot.addWidget(window)
        window.show()
        shown = window.transcript.toPlainText().strip()
        assert shown.startswith("The transcript of this call was deleted on") and "\n" not in shown
        assert window.timeline.flag_marks.data.size == len(window.review.flags) > 0  # the flags' times stay


def test_the_review_saves_a_report_with_numbers_only(qtbot: QtBot, tmp_path: Path) -> None:
    with SessionStore(tmp_path / "s.db") as store:
        sid = coached_call(store, days_ago=1, extra=UNIQUE)
        window = ReviewWindow(load_review(store, sid), store)
        qtbot.addWidget(window)
        assert not window.numbers_only.isChecked()
        assert "zebra quartz" in window.save_report(tmp_path / "whole.html").read_text(encoding="utf-8")
        window.numbers_only.setChecked(True)
        page = window.save_report(tmp_path / "share.html").read_text(encoding="utf-8")
        window.save_json(tmp_path / "share.json")
        assert "zebra quartz" not in page and "Numbers only" in page
        assert "zebra quartz" not in (tmp_path / "share.json").read_text(encoding="utf-8")
        assert "zebra quartz" in window.transcript.toPlainText()  # the window itself still shows the call


def test_the_control_windows_form_keeps_the_retention_setting(qtbot: QtBot) -> None:
    form = CoachingForm(Settings())
    assert form.retention.currentText() == "90 days"
    form.retention.setCurrentIndex(form.retention.findData(0))
    assert form.apply(Settings()).delete_transcripts_after_days is None
    odd = CoachingForm(replace(Settings(), delete_transcripts_after_days=45))  # typed in the file by hand
    assert odd.retention.currentText() == "45 days" and odd.apply(Settings()).delete_transcripts_after_days == 45
