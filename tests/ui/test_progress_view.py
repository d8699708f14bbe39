"""The Progress view beside the list of calls (offscreen): read off the Qt thread, drawn, and kept right."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt
from pytestqt.qtbot import QtBot

from copilot.report import progress as progress_module
from copilot.report.review import build_review
from copilot.store.sqlite import SessionStore
from copilot.ui.progress import RANGES, ProgressView
from copilot.ui.review import SessionsWindow
from tests.test_progress_cli import RULES, call


@pytest.fixture
def store(tmp_path: Path) -> SessionStore:
    """Twenty-two calls, the rep's share falling; call 15 a mixed recording whose voice was guessed."""
    s = SessionStore(tmp_path / "s.db")
    for day in range(22):
        call(s, day, 140.0 if day < 12 else 60.0, kind="live" if day % 2 else "analyze", guessed=day == 15)
    return s


def shown(qtbot: QtBot, window: SessionsWindow) -> ProgressView:
    """Open the Progress tab and wait until it has drawn what the worker read."""
    window.tabs.setCurrentWidget(window.progress)
    qtbot.waitUntil(lambda: window.progress.progress is not None, timeout=10_000)
    return window.progress


def test_progress_is_read_off_the_qt_thread_and_drawn_a_chart_a_number(
        qtbot: QtBot, store: SessionStore, monkeypatch: pytest.MonkeyPatch) -> None:
    threads: list[threading.Thread] = []
    load = progress_module.load_progress

    def watched(*args: Any, **kw: Any) -> Any:
        threads.append(threading.current_thread())
        return load(*args, **kw)

    monkeypatch.setattr(progress_module, "load_progress", watched)
    window = SessionsWindow(store, lambda sid: build_review(store.load(sid), RULES.rulebook))
    qtbot.addWidget(window)
    assert threads == []  # the list opens without reading Progress
    view = shown(qtbot, window)
    assert threads and threads[0] is not threading.main_thread()
    assert view.headline.text() == ("You talk 20 points less than in your previous ten calls "
                                    "(median 50% over your last ten calls, 70% over the ones before).")
    assert set(view.plots) == {"share", "monologue", "directive", "questions", "patience", "supportive"}
    assert "your voice guessed" in view.legend.text()
    assert view.meta.text().startswith("22 calls")


def test_a_dot_clicked_opens_that_calls_review(qtbot: QtBot, store: SessionStore) -> None:
    window = SessionsWindow(store, lambda sid: build_review(store.load(sid), RULES.rulebook))
    qtbot.addWidget(window)
    view = shown(qtbot, window)
    dots = next(item for item in view.plots["share"].items if hasattr(item, "points") and len(item.points()))
    oldest = dots.points()[0]
    dots.sigClicked.emit(dots, [oldest], None)
    assert len(window.open_reviews) == 1
    qtbot.addWidget(window.open_reviews[0])
    assert window.open_reviews[0].review.stored.row.id == view.progress.calls[0].id  # type: ignore[union-attr]


def test_a_call_unticked_in_the_list_is_left_out_of_progress(qtbot: QtBot, store: SessionStore) -> None:
    window = SessionsWindow(store, lambda sid: build_review(store.load(sid), RULES.rulebook))
    qtbot.addWidget(window)
    view = shown(qtbot, window)
    before = view.progress
    box = window.table.item(0, 4)
    assert box is not None and box.text() == "counted"
    box.setCheckState(Qt.CheckState.Unchecked)  # the rep unticks the newest call
    assert store.sessions()[0].excluded
    qtbot.waitUntil(lambda: view.progress is not before, timeout=10_000)
    assert view.progress is not None and len(view.progress.calls) == 21 and len(view.progress.left_out) == 1
    assert "Left out by you" in view.notes.text()
    assert window.table.item(0, 4).text() == "left out"  # type: ignore[union-attr]


def test_a_date_range_is_chosen_in_the_view(qtbot: QtBot, store: SessionStore) -> None:
    window = SessionsWindow(store, lambda sid: build_review(store.load(sid), RULES.rulebook))
    qtbot.addWidget(window)
    view = shown(qtbot, window)
    first = view.progress
    view.range.setCurrentIndex(len(RANGES) - 1)  # "Between…": the two dates show
    assert view.since.isVisibleTo(view) and view.until.isVisibleTo(view)
    view.since.setDate(QDate(2026, 3, 5))
    view.until.setDate(QDate(2026, 3, 9))
    qtbot.waitUntil(lambda: view.progress is not first and view.progress is not None
                    and len(view.progress.calls) == 5, timeout=10_000)
    assert view.headline.text().startswith("Five calls so far")


def test_one_call_and_no_calls_read_as_sentences(qtbot: QtBot, tmp_path: Path) -> None:
    with SessionStore(tmp_path / "s.db") as empty:
        window = SessionsWindow(empty, lambda sid: build_review(empty.load(sid), RULES.rulebook))
        qtbot.addWidget(window)
        view = shown(qtbot, window)
        assert view.headline.text().startswith("No calls in Progress yet") and not view.charts.isVisibleTo(view)
        call(empty, 0, 90.0)
        window.refresh()
        qtbot.waitUntil(lambda: view.progress is not None and len(view.progress.calls) == 1, timeout=10_000)
        assert view.headline.text().startswith("One call so far")
        assert view.charts.isVisibleTo(view) and len(view.plots) == 6


def test_the_view_saves_the_page_it_shows(qtbot: QtBot, store: SessionStore, tmp_path: Path) -> None:
    window = SessionsWindow(store, lambda sid: build_review(store.load(sid), RULES.rulebook))
    qtbot.addWidget(window)
    view = shown(qtbot, window)
    page = view.save_page(tmp_path)
    html = page.read_text(encoding="utf-8")
    assert page.name == "progress.html" and html.split('id="prompt-effect"')[0].count("<svg") == 6
    assert view.progress is not None and view.progress.headline in html
