"""A short seeded pass of ``copilot bench fuzz`` over every kind of file a rep feeds in (the long run is by hand,
docs/faults.md): broken files get one sentence, never a traceback."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from copilot.bench.fuzz import fuzz_case, problems_of
from copilot.bench.fuzz_kinds import KINDS, Outcome, Target, make_target, not_one_sentence
from copilot.bench.fuzz_mutate import mutate_bytes, mutate_pages, mutate_text

# Cases per kind: a few seconds each here.
CASES = {"audio": 14, "rules": 16, "settings": 24, "voice": 6, "db": 16, "examples": 8}


@pytest.fixture
def own_folders(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The fuzzer points the user folders at its own work folder; put them back after the test."""
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "QT_QPA_PLATFORM"):
        monkeypatch.setenv(name, str(tmp_path / "was") if name != "QT_QPA_PLATFORM" else "offscreen")
    return tmp_path / "work"


@pytest.mark.parametrize("kind", KINDS)
def test_every_seed_is_a_good_file_the_app_accepts(kind: str, own_folders: Path) -> None:
    target = make_target(kind, own_folders)
    target.costly_s = float("inf")  # the cheap entry points only: a whole analysis of each seed takes long
    for name, data in dict(target.seeds).items():
        if name == "other.db":
            continue  # another program's database: a seed to break, rejected as it is
        path = own_folders / "case" / f"good{''.join(Path(name).suffixes)}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        target.extra["seed"] = name
        outcomes = target.run(target, path, random.Random(0))
        assert outcomes and all(o.verdict == "accepted" for o in outcomes), (name, outcomes)


@pytest.mark.parametrize("kind", KINDS)
def test_broken_files_get_one_sentence_never_a_traceback(kind: str, own_folders: Path) -> None:
    target: Target = make_target(kind, own_folders)
    verdicts: list[str] = []
    for n in range(CASES[kind]):
        _path, outcomes = fuzz_case(target, seed=27, n=n)
        assert problems_of(outcomes) == [], f"case {n}"
        verdicts += [o.verdict for o in outcomes]
    assert "rejected" in verdicts  # the cases do break the files


def test_a_case_is_the_same_broken_file_every_time(own_folders: Path) -> None:
    target = make_target("rules", own_folders)
    first = fuzz_case(target, seed=5, n=3)[0].read_bytes()
    assert fuzz_case(target, seed=5, n=3)[0].read_bytes() == first
    assert fuzz_case(target, seed=5, n=4)[0].read_bytes() != first


def test_the_mutations_change_the_file_and_stay_seeded() -> None:
    data = bytes(range(256)) * 40
    assert mutate_bytes(data, random.Random(1)) == mutate_bytes(data, random.Random(1))
    assert sum(mutate_bytes(data, random.Random(n)) != data for n in range(20)) >= 18
    assert sum(mutate_pages(data, random.Random(n), page=1024) != data for n in range(20)) >= 15
    text = 'version = 1\nname = "x"\nlimit = 30.0\n'
    assert sum(mutate_text(text, random.Random(n)) != text for n in range(20)) >= 15


@pytest.mark.parametrize(("message", "ok"), [
    ("Could not open s.db: it is not a session database or it is damaged; move it aside or pass --db.", True),
    ("rules.toml: line 3: unknown key 'x. Y' (expected one of ['kind'])", True),
    ("case.toml: line 153, category 'imperatives' pattern 13 'I'd (go with|go fon your (shoes|position),? I('d| "
     "would)': not a valid regular expression (missing ), unterminated subpattern)", True),
    ("The file is broken. Fix it and try again.", False),
    ("two\nlines", False),
    ("", False),
    ("Traceback (most recent call last):", False),
])
def test_a_rejection_must_be_one_sentence(message: str, ok: bool) -> None:
    assert (not_one_sentence(message) is None) == ok


def test_a_failure_and_a_long_rejection_are_problems() -> None:
    outcomes = [Outcome("detect", "accepted"), Outcome("detect", "rejected", "One. Two sentences here."),
                Outcome("analyze", "failed", "Traceback ...\nValueError: x")]
    assert [p.split(":")[0] for p in problems_of(outcomes)] == ["detect", "analyze"]
