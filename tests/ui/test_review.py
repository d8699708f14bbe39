"""The review window and the report on stored sessions (offscreen): what they show, and managing calls."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from copilot.cli import main
from copilot.core.events import Flag, Segment
from copilot.core.rulebook import Rulebook
from copilot.core.talk import TalkSummary
from copilot.errors import UserError
from copilot.report.html import report_html
from copilot.report.review import build_review
from copilot.scripted.hour import hour_of_calls
from copilot.store.sqlite import SessionStore
from copilot.ui.review import ReviewWindow, SessionsWindow
from copilot.wiring import load_review
from tests.command_line import ROOT
from tests.stored_calls import copied_store


def cell(window: SessionsWindow, row: int, column: int) -> str:
    item = window.table.item(row, column)
    assert item is not None
    return item.text()


@pytest.fixture(scope="module")
def coached(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with an empty session, then a five-minute coached call (the sample's script twice and more)."""
    path = tmp_path_factory.mktemp("coached") / "s.db"
    with SessionStore(path) as s:
        silent = s.create_session("nobody spoke", "live", started=datetime(2026, 1, 5, 9, 30, tzinfo=timezone.utc))
        s.finish_session(silent, 30.0, TalkSummary())
        hour_of_calls(s, minutes=5.0)
    return path


@pytest.fixture
def store(coached: Path, tmp_path: Path) -> SessionStore:
    """That store, a copy of its own for the test (as ``tmp_path/s.db``)."""
    return copied_store(coached, tmp_path)


def newest(store: SessionStore) -> str:
    return store.sessions()[0].id


def test_the_review_shows_numbers_timeline_and_the_transcript_with_what_to_say_instead(
        qtbot: QtBot, store: SessionStore) -> None:
    review = load_review(store, newest(store))
    window = ReviewWindow(review, store)
    qtbot.addWidget(window)
    window.show()
    assert review.flags, "the sample's script has directive phrases"
    labels = [n.label for n in review.numbers]
    assert labels[:2] == ["Talk share (you : them)", "Longest monologue (you)"]
    assert "Directive phrases" in labels and "Autonomy-supportive lines" in labels
    html = window.transcript.toHtml()
    first = review.flags[0]
    assert first.match in window.transcript.toPlainText() and first.prompt in window.transcript.toPlainText()
    assert "#ffe08a" in html  # the flagged phrase is highlighted
    assert window.timeline.flag_marks.data.size == len(review.flags)
    assert window.timeline.prompt_marks.data.size == len(review.stored.prompts) > 0


def test_a_click_on_a_late_flag_scrolls_the_transcript_to_its_line(qtbot: QtBot, store: SessionStore) -> None:
    review = load_review(store, newest(store))
    window = ReviewWindow(review, store)
    qtbot.addWidget(window)
    window.resize(900, 600)
    window.show()
    bar = window.transcript.verticalScrollBar()
    assert bar.value() == 0 and bar.maximum() > 0
    late = review.flags[-1]
    with qtbot.waitSignal(window.timeline.picked) as picked:
        window.timeline.picked.emit(late.start)
    assert picked.args == [late.start]
    scrolled = bar.value()
    assert scrolled > 0  # the click moved the transcript
    line = review.lines[window.scroll_to(late.start)]
    assert line.segment.start <= late.start <= line.segment.end + 1.0 and bar.value() == scrolled


def test_rename_and_delete_change_the_store_and_leave_other_calls_alone(qtbot: QtBot, store: SessionStore) -> None:
    sid, other = newest(store), store.sessions()[1].id
    window = ReviewWindow(load_review(store, sid), store)
    qtbot.addWidget(window)
    window.rename("Acme discovery")
    assert store.load(sid).row.name == "Acme discovery" and window.heading.text() == "Acme discovery"
    assert "Acme discovery" in window.windowTitle()
    with qtbot.waitSignal(window.changed):
        window.delete()
    assert [r.id for r in store.sessions()] == [other]


def test_the_report_is_one_self_contained_page_with_every_section(qtbot: QtBot, store: SessionStore,
                                                                   tmp_path: Path) -> None:
    review = load_review(store, newest(store))
    window = ReviewWindow(review, store)
    qtbot.addWidget(window)
    out = window.save_report(tmp_path)  # a folder: the file is named after the session
    html = out.read_text(encoding="utf-8")
    assert out.name == f"call-review-{review.stored.row.id}.html"
    assert not re.search(r"(src|href)=\"(?!data:|#)", html) and "http" not in html  # nothing fetched
    assert re.search(r'<img class="chart"[^>]*src="data:image/png;base64,iVBOR', html, re.S)
    for section in ("Talk over time", "Talk share (you : them)", "Longest monologue (you)", "Flagged phrases",
                    "Transcript"):
        assert section in html
    for f in review.flags:
        assert f.match.replace("'", "&#x27;") in html
    window.save_json(tmp_path / "call.json")
    assert json.loads((tmp_path / "call.json").read_text(encoding="utf-8"))["session_id"] == review.stored.row.id
    with pytest.raises(UserError, match="Could not write"):
        window.save_json(tmp_path / "no such folder" / "call.json")


def test_the_reports_flagged_phrases_quote_the_whole_sentence_not_the_live_guess(tmp_path: Path) -> None:
    s = SessionStore(tmp_path / "live.db")
    sid = s.create_session("a live call", "live")
    # Live, the flag was raised on a guess ("The next step is a"); the transcript has the sentence, cut at a
    # decoding window as calls stored before issue 26 were.
    s.add(sid, segments=[Segment("rep", 75.3, 77.0, "The next step is a call with your leads"),
                         Segment("rep", 77.0, 81.0, "on Thursday. And I'll send the agreement.")],
          flags=[Flag("rep", 75.3, 76.7, "owning_the_path", "The next step is", "The next step is a", "What next?")])
    s.finish_session(sid, 90.0, TalkSummary())
    html = report_html(build_review(s.load(sid), Rulebook.load(), marks=()), b"")
    assert '<span class="bench">The next step is a call with your leads on Thursday.</span>' in html
    s.close()


def test_a_call_with_no_speech_still_opens_and_reports(qtbot: QtBot, store: SessionStore, tmp_path: Path) -> None:
    silent = store.sessions()[1].id
    review = build_review(store.load(silent), Rulebook.load())
    window = ReviewWindow(review, store)
    qtbot.addWidget(window)
    window.show()
    assert "No speech was transcribed" in window.transcript.toPlainText()
    assert window.scroll_to(10.0) == -1
    html = window.save_report(tmp_path / "silent.html").read_text(encoding="utf-8")
    assert "No directive phrases were flagged" in html and "No speech was transcribed" in html


def test_the_list_of_calls_is_newest_first_and_opens_a_review(qtbot: QtBot, store: SessionStore) -> None:
    window = SessionsWindow(store, lambda sid: build_review(store.load(sid), Rulebook.load()), "mine.toml")
    qtbot.addWidget(window)
    assert window.table.rowCount() == 2
    assert cell(window, 1, 1) == "nobody spoke"
    review = window.open_selected()
    assert review is not None and review.review.stored.row.id == newest(store)
    assert review.rules == "mine.toml"  # the rep's rulebook, should they say "This is me…" there
    qtbot.addWidget(review)
    review.rename("Renamed here")
    assert cell(window, 0, 1) == "Renamed here"  # the list follows


def test_report_json_and_session_commands(store: SessionStore, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    db = str(store.path)
    sid = newest(store)
    assert main(["report", sid[:-1], "--db", db, "--json", "-"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["session_id"] == sid and set(data) >= {"duration_s", "talk", "segments", "flags", "prompts"}
    assert data["flags"] and data["segments"][0]["speaker"] in ("rep", "prospect")
    assert main(["report", sid, "--db", db, "--html", str(tmp_path / "r.html")]) == 0
    assert (tmp_path / "r.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert main(["sessions", "rename", sid, "Big one", "--db", db]) == 0
    assert main(["sessions", "delete", sid, "--db", db]) == 0
    capsys.readouterr()
    assert main(["report", sid, "--db", db, "--json", "-"]) == 2
    assert "no session" in capsys.readouterr().err


def test_a_report_reads_the_stored_call_and_loads_no_model(store: SessionStore, tmp_path: Path) -> None:
    """The review is read from the store: ``copilot report`` loads neither the sentence model nor its runtime, not
    even for a rep whose marks taught their detector by example (a rulebook with examples needs the encoder)."""
    from copilot.core.marks import missed_mark
    from copilot.store.my_examples import MyExamples

    sid = newest(store)
    line = next(g for g in store.load(sid).segments if g.speaker == "rep")
    MyExamples.load().add(missed_mark(line, line.text, "imperatives", "What would help you decide?", sid))
    code = ("import sys\nfrom copilot.cli import main\n"
            f"assert main(['report', {sid!r}, '--db', {str(store.path)!r}, '--html', {str(tmp_path / 'r.html')!r},"
            f" '--json', {str(tmp_path / 'r.json')!r}]) == 0\n"
            "print('MODEL', sorted(m for m in sys.modules if m.startswith(('onnxruntime', 'tokenizers', "
            "'faster_whisper', 'ctranslate2', 'copilot.meaning'))))\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "MODEL []" in r.stdout
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert data["marks"][0]["sentence"] == line.text and data["flags"]  # the rep's mark and the stored flags


def test_a_call_stored_before_its_supportive_lines_were_kept_has_them_found_once_and_kept(
        store: SessionStore) -> None:
    sid = newest(store)
    kept = store.load(sid).supportive
    assert kept, "the coached call says supportive lines"
    # As a call stored before schema 5 reads (or one whose recording died before its end was written):
    store.db.execute("DELETE FROM supportive WHERE session_id = ?", (sid,))
    store.db.execute("UPDATE sessions SET supportive_known = 0 WHERE id = ?", (sid,))
    assert store.load(sid).supportive is None and sid in store.unknown_supportive()
    review = load_review(store, sid)
    assert review.supportive == kept  # the rulebook's patterns find what the live session found
    assert store.load(sid).supportive == kept and sid not in store.unknown_supportive()  # kept: not found again


def test_a_call_still_being_recorded_shows_its_supportive_lines_so_far_and_keeps_none(tmp_path: Path) -> None:
    with SessionStore(tmp_path / "s.db") as s:
        sid = s.create_session("a live call", "live")
        s.add(sid, segments=[Segment("rep", 1.0, 3.0, "Honestly, it is up to you.")])
        review = load_review(s, sid)
        assert [x.match for x in review.supportive] == ["up to you"]
        assert s.load(sid).supportive is None  # the live session writes them when it ends


def test_a_damaged_database_is_one_sentence_and_is_left_as_it_was(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "sessions.db"
    bad.write_bytes(b"this is not sqlite, it is a shopping list" * 100)
    before = bad.read_bytes()
    assert main(["report", "2026", "--db", str(bad), "--html", str(tmp_path / "r.html")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err and "damaged" in err
    assert bad.read_bytes() == before and not (tmp_path / "r.html").exists()


def test_report_needs_something_to_write(store: SessionStore, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", newest(store), "--db", str(store.path)]) == 2
    assert "--html OUT" in capsys.readouterr().err


def test_a_call_with_kept_audio_plays_from_the_line_clicked(qtbot: QtBot, store: SessionStore,
                                                            tmp_path: Path) -> None:
    from PySide6.QtCore import QUrl

    from copilot.audio.kept import CallRecorder
    from tests.fakes import StandInSounddevice
    from tests.fakes import level as tone

    sid = newest(store)
    rec = CallRecorder(tmp_path / "audio" / sid)
    for who in ("rep", "prospect"):
        rec.write(who, tone(400.0, 0.1))
    rec.close()
    store.set_audio(sid, str(tmp_path / "audio" / sid))
    window = ReviewWindow(load_review(store, sid), store)
    qtbot.addWidget(window)
    assert window.player is not None and "play:3" in window.transcript.toHtml()
    window.player.sd = sd = StandInSounddevice()
    window.transcript.anchorClicked.emit(QUrl("play:3"))
    start = window.review.lines[3].segment.start
    (data, _rate), = sd.played
    assert len(data) == round((400.0 - start) * 16_000) and window.status.text().startswith("Playing from")
    window.stop()
    assert sd.stopped == 1 and not window.stop_button.isEnabled()


def test_a_call_whose_audio_files_are_gone_says_so_and_offers_no_play(qtbot: QtBot, store: SessionStore,
                                                                      tmp_path: Path) -> None:
    sid = newest(store)
    store.set_audio(sid, str(tmp_path / "audio" / sid))
    window = ReviewWindow(load_review(store, sid), store)
    qtbot.addWidget(window)
    assert window.player is None and "play:" not in window.transcript.toHtml()
    assert "missing" in window.status.text() and not window.play(0)


def test_copilot_review_opens_a_call_or_the_list_and_says_why_when_it_cannot(
        qtbot: QtBot, store: SessionStore, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from PySide6.QtWidgets import QApplication

    shown: list[str] = []

    def run_and_close(_app: QApplication) -> int:
        for w in QApplication.topLevelWidgets():
            if w.isVisible():
                shown.append(type(w).__name__)
                w.close()
        return 0

    monkeypatch.setattr(QApplication, "exec", run_and_close)
    db = str(store.path)
    assert main(["review", newest(store)[:10], "--db", db]) == 0 and "ReviewWindow" in shown
    assert main(["review", "--db", db]) == 0 and "SessionsWindow" in shown
    assert main(["review", "nope", "--db", db]) == 2 and "no session nope" in capsys.readouterr().err
    for key in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(key, raising=False)
    assert main(["review", "--db", db]) == 2
    assert "no display" in capsys.readouterr().err


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium here (the report's render check needs a browser)")
def test_headless_chromium_renders_the_report_without_errors(qtbot: QtBot, store: SessionStore,
                                                             tmp_path: Path) -> None:
    window = ReviewWindow(load_review(store, newest(store)), store)
    qtbot.addWidget(window)
    report = window.save_report(tmp_path / "r.html")
    shot = tmp_path / "r.png"
    run = subprocess.run([str(CHROMIUM), "--headless=new", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr",
                          "--window-size=1100,1600", f"--screenshot={shot}", report.as_uri()],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0 and shot.stat().st_size > 10_000
    page_errors = [line for line in run.stderr.splitlines()
                   if "CONSOLE" in line or "net::ERR" in line or "Failed to load" in line]
    assert page_errors == []


@pytest.mark.parametrize("seconds", [2.2, 9.0, 3600.0])
def test_the_timelines_time_labels_never_repeat(qtbot: QtBot, seconds: float) -> None:
    from copilot.ui.timeline import TimeAxis

    axis = TimeAxis("bottom")
    levels = axis.tickValues(0.0, seconds, 800.0)  # (spacing, values) for the major ticks, then the minor
    assert all(spacing >= 1.0 for spacing, _ in levels)
    labels = [label for spacing, values in levels for label in axis.tickStrings(values, 1.0, spacing)]
    assert labels and len(labels) == len(set(labels)), labels
