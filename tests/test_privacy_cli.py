"""What a call leaves on this computer, from the command line: deleting calls, pruning old transcripts, and a
report safe to share (numbers only)."""

from __future__ import annotations

import io
import json
import os
import stat
import sys
from pathlib import Path

import pytest

from copilot.cli import main
from copilot.core.assets import asset_path
from copilot.scripted.truth import load_truth
from copilot.store.sqlite import SessionStore
from tests.store.test_retention import UNIQUE, coached_call

SCRIPT = load_truth(asset_path("samples", "discovery_call.opus")).lines


@pytest.fixture
def db(tmp_path: Path) -> str:
    """A store with an old coached call (120 days) holding a unique sentence, and a recent one (3 days)."""
    path = tmp_path / "sessions.db"
    with SessionStore(path) as store:
        coached_call(store, days_ago=120, extra=UNIQUE)
        coached_call(store, days_ago=3)
    return str(path)


def raw(db: str) -> bytes:
    return b"".join(p.read_bytes() for p in Path(db).parent.iterdir() if p.name.startswith("sessions.db"))


def test_prune_deletes_the_old_transcripts_and_says_what_went(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sessions", "prune", "--db", db]) == 0  # the default setting: 90 days
    out = capsys.readouterr().out
    assert out.startswith("Deleted the transcripts of 1 call older than your setting (transcripts are kept 90 days)")
    assert UNIQUE.encode() not in raw(db)
    assert main(["sessions", "prune", "--db", db, "--keep-days", "2"]) == 0
    assert capsys.readouterr().out.startswith("Deleted the transcripts of 1 call older than 2 days:")  # not "setting"
    assert main(["sessions", "prune", "--db", db, "--keep-days", "2"]) == 0
    assert capsys.readouterr().out.startswith("No transcript was older than 2 days; nothing was deleted.")
    assert main(["sessions", "prune", "--db", db]) == 0
    assert capsys.readouterr().out.startswith("No transcript was old enough to delete")


def test_prune_follows_the_settings_file_and_a_bad_value_is_one_sentence(
        db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    settings = tmp_path / "settings.toml"
    settings.write_text('delete_transcripts_after_days = "never"\n', encoding="utf-8")
    assert main(["sessions", "prune", "--db", db, "--settings", str(settings)]) == 0
    assert "kept for good" in capsys.readouterr().out and UNIQUE.encode() in raw(db)
    assert main(["sessions", "prune", "--db", db, "--keep-days", "soon"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == "copilot: --keep-days should be a number of days or \"never\", not 'soon'."
    settings.write_text("delete_transcripts_after_days = 0\n", encoding="utf-8")
    assert main(["sessions", "prune", "--db", db, "--settings", str(settings)]) == 0
    captured = capsys.readouterr()
    assert "delete_transcripts_after_days should be 1 day or more" in captured.err  # set aside; the default is used
    assert "Deleted the transcripts of 1 call" in captured.out


def test_delete_all_asks_first_and_empties_the_store(db: str, capsys: pytest.CaptureFixture[str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("yes\n"))  # not a terminal: it will not ask, it says how
    assert main(["sessions", "delete", "--all", "--db", db]) == 2
    assert "add --yes" in capsys.readouterr().err
    assert main(["sessions", "delete", "--db", db]) == 2
    assert "Say which call" in capsys.readouterr().err
    assert main(["sessions", "delete", "--all", "--yes", "--db", db]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Deleted all 2 calls in {db}: the store is empty")
    with SessionStore(db) as store:
        assert store.sessions() == []
    assert UNIQUE.encode() not in raw(db) and SCRIPT[1].text.encode() not in raw(db)


@pytest.mark.parametrize("where", ["before", "after"])
def test_the_db_named_before_or_after_the_action_is_the_one_acted_on(db: str, where: str,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    default = Path(os.environ["XDG_DATA_HOME"]) / "live-call-copilot" / "sessions.db"
    default.parent.mkdir(parents=True, exist_ok=True)
    with SessionStore(default) as store:
        coached_call(store, days_ago=1)  # the rep's real calls, which a command on another file must not touch

    def run(action: list[str], *rest: str) -> int:
        return main(["sessions", "--db", db, *action, *rest] if where == "before"
                    else ["sessions", *action, *rest, "--db", db])

    with SessionStore(db) as store:
        old = store.sessions()[-1].id
    assert run(["rename", old, "Acme renewal"]) == 0
    assert run(["exclude", old]) == 0
    assert run(["delete", "--all"], "--yes") == 0
    assert f"Deleted all 2 calls in {db}: the store is empty" in capsys.readouterr().out
    with SessionStore(db) as store:
        assert store.sessions() == []
    with SessionStore(default) as store:
        assert len(store.sessions()) == 1


def test_deleting_one_call_leaves_none_of_its_sentences_in_the_files(db: str,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    with SessionStore(db) as store:
        old = store.sessions()[-1].id
    assert main(["sessions", "delete", old, "--db", db]) == 0
    assert capsys.readouterr().out.startswith(f"Deleted {old}: its transcript, numbers and any kept audio")
    assert UNIQUE.encode() not in raw(db)


def test_a_numbers_only_report_has_no_word_of_the_call_and_every_number(db: str, tmp_path: Path) -> None:
    with SessionStore(db) as store:
        old = store.sessions()[-1].id
    full, bare = tmp_path / "full.html", tmp_path / "bare.html"
    assert main(["report", old, "--db", db, "--html", str(full), "--json", str(tmp_path / "full.json")]) == 0
    assert main(["report", old, "--db", db, "--numbers-only", "--html", str(bare),
                 "--json", str(tmp_path / "bare.json")]) == 0
    page, whole = bare.read_text(encoding="utf-8"), full.read_text(encoding="utf-8")
    data = json.loads((tmp_path / "bare.json").read_text(encoding="utf-8"))
    everything = json.loads((tmp_path / "full.json").read_text(encoding="utf-8"))
    said = [line.text for line in SCRIPT if "you need to see" not in line.text]  # not the coach's own line
    assert all(s.replace("'", "&#x27;") in whole for s in said[:3])  # the test can fail: the full report has them
    assert [s for s in said if s.replace("'", "&#x27;") in page] == [] and "zebra" not in page
    assert "Numbers only: the transcript and the flagged sentences are left out" in page
    assert "You said" not in page and "Talk share (you : them)" in page and "data:image/png;base64" in page
    assert data["numbers_only"] is True and data["talk"] == everything["talk"]
    assert [(f["start"], f["category"]) for f in data["flags"]] == [(f["start"], f["category"])
                                                                    for f in everything["flags"]]
    assert all(f["match"] == f["text"] == "" for f in data["flags"]) and all(s["text"] == "" for s in data["segments"])
    assert [p["text"] for p in data["prompts"]] == [p["text"] for p in everything["prompts"]]
    text = json.dumps(data)
    assert [s for s in said if s in text] == [] and "you said: '" not in text and "marks" not in data
    if sys.platform != "win32":
        assert {stat.S_IMODE(os.stat(p).st_mode) for p in tmp_path.iterdir() if p.suffix in (".html", ".json")} \
            == {0o600}


class Terminal(io.StringIO):
    """A terminal on stdin, the rep typing ``answer``."""

    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("answer", "code", "left"), [("no\n", 1, 2), ("yes\n", 0, 0)])
def test_delete_all_in_a_terminal_deletes_only_on_yes(db: str, capsys: pytest.CaptureFixture[str],
                                                       monkeypatch: pytest.MonkeyPatch, answer: str, code: int,
                                                       left: int) -> None:
    monkeypatch.setattr(sys, "stdin", Terminal(answer))
    assert main(["sessions", "delete", "--all", "--db", db]) == code
    assert f"Delete all 2 calls in {db}" in capsys.readouterr().out
    with SessionStore(db) as store:
        assert len(store.sessions()) == left


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")
def test_any_command_tightens_what_an_older_version_left_readable_and_says_so_once(
        capsys: pytest.CaptureFixture[str]) -> None:
    import sqlite3

    data = Path(os.environ["XDG_DATA_HOME"]) / "live-call-copilot"
    data.mkdir(mode=0o755)
    os.chmod(data, 0o755)
    sqlite3.connect(data / "sessions.db").close()
    os.chmod(data / "sessions.db", 0o644)  # as an older version made them under umask 022
    assert main(["sessions"]) == 0
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"copilot: Your calls and settings in {data} were readable by other accounts") \
        and "\n" not in err
    assert stat.S_IMODE(data.stat().st_mode) == 0o700 and stat.S_IMODE((data / "sessions.db").stat().st_mode) == 0o600
    assert main(["sessions"]) == 0 and capsys.readouterr().err == ""  # once
