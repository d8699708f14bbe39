"""`copilot progress`, `copilot report --progress` and `copilot sessions exclude/include` as a rep runs them."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from copilot.cli import main
from copilot.core.events import Segment, SpeechSpan
from copilot.core.phrases import PhraseDetector
from copilot.core.rulebook import Rulebook
from copilot.core.session import Session
from copilot.store.sqlite import SessionStore

RULES = PhraseDetector(Rulebook.load())
START = datetime(2026, 3, 2, 10, tzinfo=timezone.utc)


def call(store: SessionStore, day: int, rep_s: float, kind: str = "live", supportive: bool = True,
         guessed: bool = False) -> str:
    """A two-turn call on March ``day``: the rep talks ``rep_s`` (one directive line), the buyer 60 s."""
    lines = [Segment("rep", 0.0, rep_s, "The next step is a pilot. It's your call. What do you think?"),
             Segment("prospect", rep_s + 1.0, rep_s + 61.0, "We will think about it with the team.")]
    spans = [SpeechSpan(g.speaker, g.start, g.end) for g in lines]
    session = Session(RULES)
    session.replay(spans, lines, rep_s + 62.0)
    turns = [(1, 0.0, rep_s), (2, rep_s + 1.0, rep_s + 61.0)] if guessed else []
    # Started on its own day, so its id (the start's date and time, then four random hex digits) is too: calls
    # stored in the same second shared the start of their ids now and then, and "a unique start" was not one.
    return store.save_analysis(f"call {day}.opus", kind, "rules", rep_s + 62.0, session.talk_summary(), spans,
                               session.segments, session.flags, session.prompts, voice_turns=turns,
                               rep_voice=1 if guessed else 0, rep_guessed=guessed,
                               supportive=session.supportive if supportive else None,
                               started=START + timedelta(days=day))


@pytest.fixture
def db(tmp_path: Path) -> str:
    """Twenty-two calls: the rep's share falls from the first ten to the last ten; one mixed and guessed."""
    path = tmp_path / "s.db"
    with SessionStore(path) as store:
        for day in range(22):
            call(store, day, 140.0 if day < 12 else 60.0, kind="live" if day % 2 else "analyze",
                 guessed=day == 15)
    return str(path)


def test_progress_says_what_changed_and_lists_the_latest_calls(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["progress", "--db", db]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Progress: 22 calls, ")
    assert ("You talk 20 points less than in your previous ten calls (median 50% over your last ten calls, 70% "
            "over the ones before).") in out
    assert "Talk share (you)" in out and "Autonomy-supportive lines" in out
    assert "… and 7 earlier calls (--all lists every one)" in out
    assert "50%?" in out  # the guessed call is marked
    assert main(["progress", "--db", db, "--all"]) == 0
    assert "earlier calls" not in capsys.readouterr().out


def test_progress_json_has_every_call_and_every_change(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["progress", "--db", db, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["calls"]) == 22 and data["calls"][0]["started"] < data["calls"][-1]["started"]
    share = next(c for c in data["changes"] if c["metric"] == "share")
    assert (share["recent_calls"], share["previous_calls"], share["change"]) == (10, 10, -20.0)
    assert data["calls"][15]["guessed"] is True and data["calls"][0]["supportive"] == 1


def test_a_left_out_call_is_not_counted_until_it_is_included_again(db: str,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    with SessionStore(db) as store:
        newest = store.sessions()[0].id
    assert main(["sessions", "exclude", newest[:-1], "--db", db]) == 0
    assert "left out of Progress" in capsys.readouterr().out
    assert main(["sessions", "--db", db]) == 0
    assert "(left out of Progress)" in capsys.readouterr().out
    assert main(["progress", "--db", db, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["calls"]) == 21 and data["left_out"] == [newest]
    assert main(["progress", "--db", db]) == 0
    assert f"({newest})" in capsys.readouterr().out  # the id `copilot sessions include ID` needs
    assert main(["sessions", "include", newest, "--db", db]) == 0
    capsys.readouterr()
    assert main(["progress", "--db", db, "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["calls"]) == 22


def test_a_date_range_chooses_the_calls(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["progress", "--db", db, "--since", "2026-03-05", "--until", "2026-03-09", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["calls"]) == 5
    assert main(["progress", "--db", db, "--since", "March"]) == 2
    assert "--since takes a date as YEAR-MONTH-DAY" in capsys.readouterr().err
    assert main(["progress", "--db", db, "--since", "2026-03-09", "--until", "2026-03-05"]) == 2
    assert "ends (2026-03-05) before it starts" in capsys.readouterr().err


def test_an_empty_store_and_one_call_read_as_sentences(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "s.db")
    SessionStore(db).close()  # made, as the first call makes it, and empty
    assert main(["progress", "--db", db]) == 0
    assert "No calls in Progress yet" in capsys.readouterr().out
    assert main(["progress", "--db", db, "--since", "2026-01-01"]) == 0
    assert "No calls in this range of days." in capsys.readouterr().out
    with SessionStore(db) as store:
        call(store, 0, 90.0)
    assert main(["progress", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "One call so far: after 5 more" in out and "60%" in out


def test_a_cut_call_name_and_a_call_too_short_for_a_rate_are_said(tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "s.db")
    with SessionStore(db) as store:
        call(store, 0, 90.0)
        sid = call(store, 1, 40.0)  # under a minute of the rep's talk: no rate per 10 minutes
        store.rename(sid, "Quarterly renewal with the Northwind finance team")
    assert main(["progress", "--db", db]) == 0
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if "Quarterly" in line)
    assert "Quarterly renewal with the…" in row and " - " in row
    assert "dir/10 -: under a minute of your talk, too little for a rate" in out


def test_the_progress_page_is_one_self_contained_file_with_a_chart_a_number(
        db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--progress", "--db", db, "--html", str(tmp_path)]) == 0
    page = tmp_path / "progress.html"
    assert f"Progress written: {page}" in capsys.readouterr().out
    html = page.read_text(encoding="utf-8")
    assert not re.search(r"(src|href)=\"(?!data:|#)", html) and "http://" not in html.replace(
        'xmlns="http://www.w3.org/2000/svg"', "")  # nothing fetched
    charts, prompts = html.split('<section id="prompt-effect">')  # the six numbers, then what the prompts did
    assert charts.count("<svg") == 6 and charts.count("<circle") == 6 * 22
    assert "You talk 20 points less than in your previous ten calls" in html
    assert "What the prompts did" in prompts and ("Not enough calls yet" in prompts or "<svg" in prompts)
    assert "your voice guessed" in html and "43% best calls" in html and "65% too much" in html


def test_report_says_what_it_needs(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--db", db]) == 2
    assert "Say which call" in capsys.readouterr().err
    assert main(["report", "--progress", "--db", db, "--json", "-"]) == 2
    assert "copilot progress --json" in capsys.readouterr().err


def test_calls_stored_before_supportive_lines_were_kept_are_found_once(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "s.db")
    with SessionStore(db) as store:
        for day in range(3):
            call(store, day, 90.0, supportive=False)
    assert main(["progress", "--db", db, "--json"]) == 0
    captured = capsys.readouterr()
    assert "supportive lines of 3 calls stored by an earlier version (once)" in captured.err
    assert [c["supportive"] for c in json.loads(captured.out)["calls"]] == [1, 1, 1]
    assert main(["progress", "--db", db, "--json"]) == 0
    assert capsys.readouterr().err == ""


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium here (the page's render check needs a browser)")
def test_headless_chromium_renders_the_progress_page_without_errors(db: str, tmp_path: Path) -> None:
    assert main(["report", "--progress", "--db", db, "--html", str(tmp_path / "p.html")]) == 0
    shot = tmp_path / "p.png"
    run = subprocess.run([str(CHROMIUM), "--headless=new", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr",
                          "--window-size=1100,1600", f"--screenshot={shot}", (tmp_path / "p.html").as_uri()],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0 and shot.stat().st_size > 10_000
    page_errors = [line for line in run.stderr.splitlines()
                   if "CONSOLE" in line or "net::ERR" in line or "Failed to load" in line]
    assert page_errors == []
