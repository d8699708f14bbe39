"""The false-alarm benchmark reads real talk in its two formats and counts flags as a rep would meet them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from copilot.bench.false_alarms import CorpusError, measure, read_corpus, read_talk
from copilot.core.phrases import PhraseDetector
from copilot.core.rulebook import Rulebook
from tests.command_line import copilot

NLP_HEADER = "token|speaker|ts|endTs|punctuation|prepunctuation|case|tags"


def nlp(path: Path, tokens: list[tuple[str, str, str]]) -> Path:
    """An Earnings-style .nlp transcript: (token, speaker, punctuation) a line."""
    rows = [NLP_HEADER] + [f"{t}|{s}|||{p}||LC|[]" for t, s, p in tokens]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_an_nlp_transcript_is_cut_at_full_stops_and_at_a_change_of_speaker(tmp_path: Path) -> None:
    f = nlp(tmp_path / "call.nlp", [
        ("Good", "0", ""), ("morning", "0", ","), ("and", "0", ""), ("welcome", "0", "."),
        ("Thanks", "0", "."),  # two words or fewer: left out
        ("You", "1", ""), ("should", "1", ""), ("sign", "1", ""), ("today", "1", "!"),
        ("With", "2", ""), ("that", "2", ","), ("over", "2", ""), ("to", "2", ""), ("Jim", "2", ""),
        ("Our", "3", ""), ("margins", "3", ""), ("grew", "3", ""),
    ])
    sentences = read_corpus([f])
    assert [s.text for s in sentences] == ["Good morning, and welcome.", "You should sign today!",
                                           "With that, over to Jim", "Our margins grew"]
    assert sentences[1].source == "call.nlp#1"


def test_measure_counts_flags_per_thousand_sentences_by_layer_and_category(tmp_path: Path) -> None:
    text = tmp_path / "talk.txt"
    text.write_text("With that, I'll turn it over to Jim.\nYou should sign this week.\n"
                    "Revenue grew nine percent in the quarter.\nWe did have to move quickly on costs.\n",
                    encoding="utf-8")
    folder = tmp_path / "calls"
    folder.mkdir()
    nlp(folder / "a.nlp", [("The", "0", ""), ("offer", "0", ""), ("expires", "0", ""), ("on", "0", ""),
                           ("Friday", "0", ".")])
    result = measure(read_corpus([text, folder]), PhraseDetector(Rulebook.load()))
    assert result["sentences"] == 5 and result["flagged"] == 2
    assert result["per_1000_sentences"] == pytest.approx(400.0)
    assert result["by_layer"] == {"rules": 2}
    assert result["by_category"] == {"imperatives": 1, "closing_pressure": 1}
    words = 8 + 5 + 7 + 8 + 5
    assert result["hours_estimated"] == pytest.approx(words / 141 / 60)


def test_a_call_kept_twice_in_a_folder_is_read_once_and_the_copy_is_named(tmp_path: Path) -> None:
    # The Earnings sets keep each call as the reference and again force-aligned, under other names.
    tokens = [("You", "0", ""), ("should", "0", ""), ("sign", "0", ""), ("today", "0", "."),
              ("Revenue", "1", ""), ("grew", "1", ""), ("nine", "1", ""), ("percent", "1", "."),
              ("Thank", "2", ""), ("you", "2", ""), ("all", "2", ""), ("for", "2", ""), ("joining", "2", ".")]
    root = tmp_path / "earnings"
    (root / "force_aligned_nlp_references").mkdir(parents=True)
    (root / "nlp_references").mkdir()
    nlp(root / "force_aligned_nlp_references" / "2021-Acme-Q3-call.aligned.nlp", tokens)
    nlp(root / "nlp_references" / "4420696.nlp", tokens)
    # Another call that shares only its operator's boilerplate is not a copy.
    nlp(root / "nlp_references" / "4420697.nlp", tokens[8:] + [("Margins", "3", ""), ("held", "3", ""),
                                                                ("up", "3", ""), ("well", "3", "."),
                                                                ("Costs", "4", ""), ("fell", "4", ""),
                                                                ("a", "4", ""), ("little", "4", ".")])
    r = copilot("bench", "false-alarms", str(root), "--json")
    assert r.returncode == 0, r.stderr
    result = json.loads(r.stdout)["rules only"]
    assert result["sentences"] == 3 + 3 and result["flagged"] == 1
    assert result["repeats_left_out"] == ["force_aligned_nlp_references/2021-Acme-Q3-call.aligned.nlp"]
    said = copilot("bench", "false-alarms", str(root))
    assert ("left out 1 file(s) that repeat a call already read "
            "(force_aligned_nlp_references/2021-Acme-Q3-call.aligned.nlp)") in said.stdout


def test_two_meetings_that_share_a_file_name_in_two_folders_are_both_read(tmp_path: Path) -> None:
    for split, lines in (("dev", ["The filter bank runs at eight kilohertz now.", "We tried three window sizes."]),
                         ("held", ["The committee will hear the minister next week.", "Thank you, Chair."])):
        (tmp_path / split).mkdir()
        (tmp_path / split / "Academic.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    corpus = read_talk([tmp_path / "dev", tmp_path / "held"])
    assert len(corpus.sentences) == 4 and corpus.repeats == []


CALL = ["Revenue grew nine percent in the third quarter this year.", "Margins held up well across every region.",
        "We opened two new plants in Ohio and Texas.", "Free cash flow came in above our own plan.",
        "The board approved a new buyback of fifty million.", "Churn fell for the fourth quarter in a row.",
        "Our backlog is the largest it has ever been.", "Hiring slowed as we planned at the start of the year.",
        "Freight costs came down from their peak last spring.", "We expect the new line to ship in March."]


def test_a_call_written_out_again_under_its_own_name_is_left_out_and_another_call_is_not(tmp_path: Path) -> None:
    # Part of the call again, the rest with its ums: Earnings-22's non-verbatim copy of a call.
    redone = CALL[:4] + [" uh ".join(line.split(" ", 3)) for line in CALL[4:]]  # 42% of its runs read before
    for folder, name, lines in (("reference", "4420696.txt", CALL), ("nonverbatim", "4420696.txt", redone),
                                ("other", "4420697.txt", redone)):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    corpus = read_talk([tmp_path / "reference", tmp_path / "nonverbatim", tmp_path / "other"])
    assert corpus.repeats == ["4420696.txt"]  # the non-verbatim copy; the other call shares as much, and stays
    assert len(corpus.sentences) == 2 * len(CALL)


def test_a_file_given_with_its_folder_or_twice_is_read_once(tmp_path: Path) -> None:
    (tmp_path / "calls").mkdir()
    short = tmp_path / "calls" / "short.txt"
    short.write_text("We did just renew.\n", encoding="utf-8")  # fewer than six words
    corpus = read_talk([short, tmp_path / "calls", short])
    assert [s.text for s in corpus.sentences] == ["We did just renew."] and corpus.repeats == []


@pytest.mark.parametrize("content, says", [
    ("token|speaker|ts\nHello|0|\n", "not an .nlp transcript"),
    (NLP_HEADER + "\nHello|0\n", "line 2"),
])
def test_a_broken_transcript_is_one_sentence_naming_the_file(tmp_path: Path, content: str, says: str) -> None:
    f = tmp_path / "bad.nlp"
    f.write_text(content, encoding="utf-8")
    with pytest.raises(CorpusError, match=says):
        read_corpus([f])


def test_the_command_writes_the_flagged_lines_and_says_a_missing_corpus_in_one_sentence(tmp_path: Path) -> None:
    text = tmp_path / "talk.txt"
    text.write_text("You should sign this week.\nRevenue grew nine percent.\n", encoding="utf-8")
    out = tmp_path / "flagged.tsv"
    r = copilot("bench", "false-alarms", str(text), "--out", str(out), "--json")
    assert r.returncode == 0, r.stderr
    numbers = json.loads(r.stdout)
    assert numbers["rules only"]["flagged"] == 1 and numbers["both layers"]["sentences"] == 2
    rows = out.read_text(encoding="utf-8").splitlines()
    assert rows[0].split("\t") == ["detector", "layer", "category", "match", "text", "source"]
    assert any(r.startswith("rules only\trules\timperatives\tYou should") for r in rows)
    missing = copilot("bench", "false-alarms", str(tmp_path / "nowhere"))
    assert missing.returncode != 0 and "Traceback" not in missing.stderr
    assert "no such file or folder" in missing.stderr


def test_hand_labels_say_how_many_flags_are_right_by_text_or_by_its_sha1(tmp_path: Path) -> None:
    import hashlib

    text = tmp_path / "talk.txt"
    text.write_text('You should sign this week.\nYou have to "turn off" your mic.\nYou need to see it.\n'
                    "Revenue grew nine percent.\n", encoding="utf-8")
    labels = tmp_path / "labels.tsv"
    hidden = hashlib.sha1(b"You need to see it.").hexdigest()  # a corpus whose text may not be kept
    labels.write_text("label\tsha1\ttext\n1\t\tYou should sign this week.\n"
                      '0\t\tYou have to "turn off" your mic.\n'  # a quote mark is part of the sentence
                      f"0\t{hidden}\t\n", encoding="utf-8")
    r = copilot("bench", "false-alarms", str(text), "--labels", str(labels), "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["rules only"]["read_by_hand"] == {"right": 1, "wrong": 2, "not_labelled": 0}
    shown = copilot("bench", "false-alarms", str(text), "--labels", str(labels))
    assert "read by hand: 1 of 3 labelled flags" in shown.stdout
    later = tmp_path / "later.tsv"  # a second file: its own sentences, and a label that overrides the first's
    later.write_text('label\ttext\n1\tYou have to "turn off" your mic.\n', encoding="utf-8")
    both = copilot("bench", "false-alarms", str(text), "--labels", str(labels), "--labels", str(later), "--json")
    assert json.loads(both.stdout)["rules only"]["read_by_hand"] == {"right": 2, "wrong": 1, "not_labelled": 0}
    labels.write_text("label\tsentence\n1\tYou should sign this week.\n", encoding="utf-8")
    wrong = copilot("bench", "false-alarms", str(text), "--labels", str(labels))
    assert wrong.returncode != 0 and "Traceback" not in wrong.stderr
    assert "need a 'label' column and a 'text' or 'sha1' column" in wrong.stderr


def test_as_heard_counts_what_a_partial_guess_flags_on_the_way_but_the_whole_sentence_does_not(
        tmp_path: Path) -> None:
    text = tmp_path / "talk.txt"
    # The first is excused only by its last words (the choice handed back); the second is flagged whole;
    # the third is never flagged.
    talk = ["You should sign this week if you'd like.", "You should sign this week.", "Revenue grew nine percent."]
    text.write_text("\n".join(talk) + "\n", encoding="utf-8")
    detector = PhraseDetector(Rulebook.load())
    whole = measure(read_corpus([text]), detector)
    assert whole["flagged"] == 1 and "as_heard" not in whole
    heard = measure(read_corpus([text]), detector, as_heard=True)
    assert heard["flagged"] == 1
    assert heard["as_heard"] == {"flagged": 1, "per_1000_sentences": pytest.approx(1000 / 3)}
    lines = heard["heard_lines"]
    assert isinstance(lines, list) and [line["text"] for line in lines] == ["You should sign this week if you'd like."]
    out = tmp_path / "flagged.tsv"
    r = copilot("bench", "false-alarms", str(text), "--as-heard", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert "as heard live: 1 more flagged by a partial guess" in r.stdout
    written = out.read_text(encoding="utf-8")
    assert "rules only\tpartial\t\tYou should\tYou should sign this week if you'd like." in written
