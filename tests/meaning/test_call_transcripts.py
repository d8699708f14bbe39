"""Edited earnings-call transcripts as real talk (issue 25): cut into sentences by speaker, split by call,
and the blind labels of what the detector flagged there kept without the transcripts' text."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

from tests.wavs import ROOT

TOOL = ROOT / "tools" / "call_transcript_sentences.py"
LABELS = ROOT / "tests" / "data" / "real_talk" / "call_transcripts" / "labelled.tsv"

# Written here in the layout of the public transcripts: names, affiliation lines, wrapped words (their
# turns are apart by a line holding one space; an empty line reads the same).
TRANSCRIPT = """CORPORATE PARTICIPANTS

Jane Roe
Acme Corp. - CFO
PRESENTATION

Operator
Good morning. Welcome to the Acme Corp. Third Quarter Call. (Operator Instructions)
I would now like to turn the call over to Jane Roe. Please go ahead.

Jane Roe
Acme Corp. - CFO
Thanks. Revenue in the U.S. grew 4.5% to $2.1 billion, and Mr. Smith will cover the rest. Our same-store
sales rose.
QUESTIONS AND ANSWERS

John Doe
Big Bank Securities, Research Division - Analyst
Can you talk about margins? Thanks.
"""


def test_a_transcript_is_cut_into_each_speakers_sentences_and_put_in_one_split(tmp_path: Path) -> None:
    call = tmp_path / "Q3 2022 Acme Earnings Call.txt"
    call.write_text(TRANSCRIPT, encoding="utf-8")
    done = subprocess.run([sys.executable, str(TOOL), str(call), "--out", str(tmp_path / "out")],
                          capture_output=True, text=True, check=True)
    assert "1 calls" in done.stdout
    [text] = list((tmp_path / "out").glob("*/Q3_2022_Acme_Earnings_Call.txt"))
    assert text.parent.name in ("read", "held")
    assert text.read_text(encoding="utf-8").splitlines() == [
        "Good morning.",
        "Welcome to the Acme Corp. Third Quarter Call.",  # not cut after "Corp."; the instructions dropped
        "I would now like to turn the call over to Jane Roe.",
        "Please go ahead.",
        "Thanks.",
        "Revenue in the U.S. grew 4.5% to $2.1 billion, and Mr. Smith will cover the rest.",
        "Our same-store sales rose.",  # the lines of a turn joined
        "Can you talk about margins?",
        "Thanks.",
    ]
    roles = [line.split("\t")[2] for line in (tmp_path / "out" / "context" / "Q3_2022_Acme_Earnings_Call.tsv")
             .read_text(encoding="utf-8").splitlines()]
    assert roles == ["operator"] * 4 + ["company"] * 3 + ["analyst"] * 2


def test_a_file_that_is_not_a_call_transcript_gets_one_sentence(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("Just some notes.\n", encoding="utf-8")
    done = subprocess.run([sys.executable, str(TOOL), str(notes), "--out", str(tmp_path / "out")],
                          capture_output=True, text=True)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "notes.txt: no PRESENTATION section" in done.stderr


def test_the_labels_keep_no_transcript_text_and_say_what_the_docs_report() -> None:
    """docs/detector.md, "Earnings calls nobody here had read": 88 flags at 8f578b2, 28 of them right."""
    with LABELS.open(encoding="utf-8") as f:
        rows = list(csv.DictReader((line for line in f if not line.startswith("#")), delimiter="\t",
                                   quoting=csv.QUOTE_NONE))
    assert "text" not in rows[0] and all(len(r["sha1"]) == 40 for r in rows)
    assert {r["label"] for r in rows} <= {"0", "1", "i"} and {r["split"] for r in rows} == {"read", "held"}
    flags = [r for r in rows if r["chosen"] == "flagged at 8f578b2"]
    assert len(flags) == 88 and sum(r["label"] != "0" for r in flags) == 28
    assert len(rows) - len(flags) == 80 and len({r["sha1"] for r in rows}) == len(rows)
