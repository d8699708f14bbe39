"""The counselling benchmark reads AnnoMI-format files and counts what it should."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from copilot.bench.counselling import measure, read_annomi
from copilot.core.phrases import PhraseDetector
from copilot.core.rulebook import Rulebook

COLUMNS = [
    "mi_quality",
    "transcript_id",
    "utterance_id",
    "interlocutor",
    "utterance_text",
    "main_therapist_behaviour",
    "therapist_input_subtype",
    "advice_subtype",
]


def write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(COLUMNS)
        w.writerows(rows)
    return path


def test_measure_counts_advice_reflections_and_sessions(tmp_path: Path) -> None:
    rows = [
        ["low", "1", "0", "therapist", "You need to stop drinking.", "therapist_input", "advice", "ADW"],
        ["low", "1", "1", "client", "I know.", "n/a", "n/a", ""],
        ["low", "1", "2", "therapist", "So you feel stuck.", "reflection", "", ""],
        ["high", "2", "0", "therapist", "It sounds like you want a change.", "reflection", "", ""],
        ["high", "2", "1", "therapist", "What would you like to do?", "question", "", ""],
        ["high", "2", "1", "therapist", "What would you like to do?", "question", "", ""],  # 2nd annotator
        ["high", "3", "0", "therapist", "Some people find the patches help.", "therapist_input", "advice", ""],
    ]
    lines = read_annomi(write(tmp_path / "a.csv", rows))
    assert len(lines) == 5
    r = measure(lines, PhraseDetector(Rulebook.load()))
    assert r["advice_without_permission"] == {"n": 1, "flagged": 1, "rate": 1.0}
    assert r["advice"] == {"n": 2, "flagged": 1, "rate": 0.5}
    assert r["advice_low_quality"] == {"n": 1, "flagged": 1, "rate": 1.0}  # the bar: low-quality only
    assert r["reflections"] == {"n": 2, "flagged": 0, "rate": 0.0}
    sessions = r["sessions"]
    assert isinstance(sessions, dict)
    assert sessions["low_quality"]["median_flagged_share"] == 0.5
    assert sessions["high_quality"]["median_flagged_share"] == 0.0
    assert sessions["auc_low_above_high"] == 1.0


def test_bad_files_are_one_clear_sentence(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no such file"):
        read_annomi(tmp_path / "missing.csv")
    other = tmp_path / "other.csv"
    other.write_text("a,b\n1,2\n")
    with pytest.raises(ValueError, match="not an AnnoMI-format CSV"):
        read_annomi(other)
    clients_only = write(tmp_path / "c.csv", [["low", "1", "0", "client", "Hi", "n/a", "", ""]])
    with pytest.raises(ValueError, match="no counsellor"):
        read_annomi(clients_only)


def test_a_short_row_is_read_as_empty_fields(tmp_path: Path) -> None:
    path = tmp_path / "short.csv"
    path.write_text(",".join(COLUMNS) + "\nlow,1,0,therapist\n", encoding="utf-8")
    (line,) = read_annomi(path)
    assert line.text == "" and line.behaviour == ""
    assert measure([line], PhraseDetector(Rulebook.load()))["counsellor_lines"] == 1
