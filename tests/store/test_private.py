"""Owner-only files: folders 0700 and files 0600 whatever the umask, written whole, and the app's old folders
tightened once."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from copilot.store.private import (
    open_private_binary,
    open_private_stream,
    private_dir,
    private_file,
    tighten_app_folders,
    write_private_text,
)
from copilot.store.sqlite import MIGRATIONS, SessionStore
from tests.store.test_sqlite import save

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    """022, as most Linux distributions set it: a file made the ordinary way is readable by every account."""
    before = os.umask(0o022)
    yield
    os.umask(before)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_folder_and_its_missing_parents_are_made_owner_only(tmp_path: Path) -> None:
    folder = private_dir(tmp_path / "a" / "b")
    assert mode(folder) == 0o700 and mode(tmp_path / "a") == 0o700


def test_a_folder_that_is_there_is_left_as_it_is(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    private_dir(shared)
    assert mode(shared) == 0o755


def test_a_file_in_place_of_the_folder_is_an_os_error(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x")
    with pytest.raises(NotADirectoryError):
        private_dir(tmp_path / "f")


def test_a_file_is_written_owner_only_and_replaces_a_readable_one(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    target.write_text("old")
    assert mode(target) == 0o644  # the umask at work: what the store used to make
    write_private_text(target, "new")
    assert target.read_text() == "new" and mode(target) == 0o600


def test_a_failed_write_leaves_the_earlier_file_and_no_temporary_one(tmp_path: Path) -> None:
    target = tmp_path / "t.csv"
    write_private_text(target, "earlier")
    with pytest.raises(RuntimeError), private_file(target) as out:
        out.write(b"half")
        raise RuntimeError("the disk went away")
    assert target.read_text() == "earlier"
    assert [p.name for p in tmp_path.iterdir()] == ["t.csv"]


def test_a_stream_is_owner_only_even_over_a_readable_file(tmp_path: Path) -> None:
    log = tmp_path / "events.jsonl"
    log.write_text("an old log\n")
    with open_private_stream(log) as out:
        out.write("{}\n")
    with open_private_binary(tmp_path / "call.rep.wav") as raw:
        raw.write(b"RIFF")
    assert log.read_text() == "{}\n" and mode(log) == 0o600 and mode(tmp_path / "call.rep.wav") == 0o600


def test_the_store_its_log_and_shared_memory_are_owner_only(tmp_path: Path) -> None:
    with SessionStore(tmp_path / "new" / "sessions.db") as store:
        save(store)
        files = store.files()
        assert {p.name for p in files} == {"sessions.db", "sessions.db-wal", "sessions.db-shm"}
        assert {p.name: mode(p) for p in files} == {p.name: 0o600 for p in files}
    assert mode(tmp_path / "new") == 0o700


def test_a_store_an_older_version_made_readable_is_tightened_when_opened(tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "sessions.db"
    old = sqlite3.connect(db)  # as the store used to open it: 0644 under this umask, its log too
    old.execute("PRAGMA journal_mode = WAL")
    old.executescript(MIGRATIONS[0])  # its first schema (a file of tables without a version is another program's)
    old.execute("PRAGMA user_version = 1")
    old.commit()
    assert mode(db) == 0o644 and mode(tmp_path / "sessions.db-wal") == 0o644
    with SessionStore(db) as store:
        assert {p.name: mode(p) for p in store.files()} == {p.name: 0o600 for p in store.files()}
    old.close()


def test_the_app_folders_an_older_version_made_are_tightened_once(tmp_path: Path) -> None:
    data, config = tmp_path / "data" / "live-call-copilot", tmp_path / "config" / "live-call-copilot"
    (data / "audio").mkdir(parents=True)
    config.mkdir(parents=True)
    for f in (data / "sessions.db", data / "voice.json", data / "audio" / "x.rep.wav", config / "settings.toml"):
        f.write_text("x")
    os.chmod(data, 0o755)
    said = tighten_app_folders((data, config))
    assert said is not None and str(data) in said and str(config) in said and "4 files" in said
    assert "\n" not in said
    assert mode(data) == mode(data / "audio") == mode(config) == 0o700
    assert mode(data / "audio" / "x.rep.wav") == mode(config / "settings.toml") == 0o600
    assert tighten_app_folders((data, config)) is None  # said once: the next start has nothing to say


def test_app_folders_that_are_not_there_are_not_made(tmp_path: Path) -> None:
    assert tighten_app_folders((tmp_path / "none",)) is None
    assert not (tmp_path / "none").exists()


def test_what_the_app_keeps_for_the_rep_is_owner_only_in_fresh_folders(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import numpy as np

    from copilot.core.events import Flag
    from copilot.core.marks import wrong_mark
    from copilot.store.my_examples import MyExamples
    from copilot.store.settings import Settings, default_settings_path, save_settings
    from copilot.voices.profile import VoiceProfile, default_profile_path, save_profile

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    save_settings(Settings(), default_settings_path())
    MyExamples.load().add(wrong_mark(Flag("rep", 1.0, 2.0, "owning_the_path", "The next step", "The next step is x.",
                                          "What next?"), "call-1"))
    vp = np.ones(256, dtype=np.float32)
    save_profile(VoiceProfile(vp / np.linalg.norm(vp), 30.0, "a recording", "2026-12-01"), default_profile_path())
    written = sorted(p for p in tmp_path.rglob("*"))
    assert [p.name for p in written if p.is_file()] == ["settings.toml", "my_examples.json", "voice.json"]
    assert {str(p.relative_to(tmp_path)): mode(p) for p in written} == {
        str(p.relative_to(tmp_path)): 0o700 if p.is_dir() else 0o600 for p in written}
