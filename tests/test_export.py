"""`copilot export` as a manager's spreadsheet or notebook reads it: a small store made through the real
SessionStore, the calls coached by the real core, exported and read back with the csv module, arro3 and DuckDB."""

from __future__ import annotations

import csv
import os
import re
import stat
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from copilot.cli import main
from copilot.core.events import Flag, Prompt, Segment, SpeechSpan
from copilot.core.marks import missed_mark, wrong_mark
from copilot.core.phrases import PhraseDetector
from copilot.core.rulebook import Rulebook
from copilot.core.session import Session
from copilot.core.talk import TalkSummary
from copilot.report.review import build_review
from copilot.report.tables import FLAG_SENTENCE, FLAGS, PROMPTS, SEGMENTS, SESSIONS, TURNS
from copilot.store.my_examples import MyExamples
from copilot.store.sqlite import SessionStore
from tests.command_line import ROOT

SECRET = "Zanzibar"  # a word said on the calls that no number, category or prompt contains
RULES = PhraseDetector(Rulebook.load())
TABLES = ("sessions", "turns", "flags", "prompts")

# (day the call started, kind, a mixed recording whose rep voice was guessed, the lines: who, start, end, text)
CALLS = (
    ("2026-10-05", "live", False, [
        ("rep", 0.5, 6.0, f"Thanks for the time. The next step is a pilot in {SECRET}."),
        ("prospect", 6.8, 20.0, "We have been looking at a couple of options."),
        ("rep", 20.5, 31.0, "What makes sense here is to start next week. It's your call."),
        ("prospect", 31.6, 40.0, "Let me think about it."),
        ("rep", 40.4, 44.0, "How are you handling that today?"),
    ]),
    ("2026-10-20", "analyze", True, [
        ("rep", 1.0, 9.0, "You should get your manager on the next call."),
        ("prospect", 9.5, 30.0, f"Honestly the export is a pain every week in {SECRET}."),
        ("rep", 30.2, 33.0, "Whatever works best for you."),
    ]),
    ("2026-11-03", "analyze", False, [
        ("prospect", 0.3, 12.0, "Our year ends in March."),
        ("rep", 12.5, 60.0, "Other clients in your position signed up for the annual plan. We can start today."),
        ("prospect", 60.4, 64.0, "Yeah."),
    ]),
)


def make_store(db: Path) -> list[str]:
    """The calls above, coached by the core and saved as `copilot analyze` saves one; the rep marks the first
    call's first flag "not pushy" and a line of the third call as pushy and missed."""
    ids = []
    with SessionStore(db) as store:
        for day, kind, mixed, lines in CALLS:
            spans = [SpeechSpan(who, a, b) for who, a, b, _ in lines]  # type: ignore[arg-type]
            segments = [Segment(who, a, b, text, True) for who, a, b, text in lines]  # type: ignore[arg-type]
            end = lines[-1][2] + 1.0
            session = Session(RULES)
            session.replay(spans, segments, end)
            turns = [(1 if s.speaker == "rep" else 2, s.start, s.end) for s in spans] if mixed else []
            started = datetime.fromisoformat(f"{day}T12:00:00+00:00")  # noon UTC: the same day in any time zone
            ids.append(store.save_analysis(f"{day}.wav", kind, "tiny.en", end, session.talk_summary(), spans,
                                           session.segments, session.flags, session.prompts, turns,
                                           rep_voice=1 if mixed else 0, rep_guessed=mixed, started=started))
        first, third = store.load(ids[0]), store.load(ids[2])
    marks = MyExamples.load()
    marks.add(wrong_mark(first.flags[0], ids[0], first.segments[0].text))
    marks.add(missed_mark(third.segments[1], "We can start today.", "closing_pressure", "It's your call.", ids[2]))
    return ids


@pytest.fixture
def store(tmp_path: Path) -> tuple[Path, list[str]]:
    db = tmp_path / "sessions.db"
    return db, make_store(db)


@pytest.fixture
def parquet() -> Any:
    """The Parquet library (``arro3.io``); installed with the app from Python 3.11 on, and without it (3.10)
    export writes CSV only, which the last tests check."""
    return pytest.importorskip("arro3.io", reason="the Parquet library installs from Python 3.11 on")


def parquet_strings(io: Any, path: Path) -> list[str]:
    """Every text value of a Parquet file, read back by arro3."""
    table = io.read_parquet(path).read_all()
    return [v for name in table.column_names for v in table.column(name).to_pylist() if isinstance(v, str)]


def export(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["export", *args])
    out, err = capsys.readouterr()
    return code, out, err


def sql(query: str) -> list[tuple[Any, ...]]:
    """DuckDB's answer to ``query``, as a notebook asks it."""
    rows: list[tuple[Any, ...]] = duckdb.connect().execute(query).fetchall()
    return rows


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_csv_and_parquet_hold_every_stored_row_and_the_stored_talk_shares(
        store: tuple[Path, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str], parquet: Any) -> None:
    db, ids = store
    out = tmp_path / "export"
    code, said, _ = export(capsys, "--db", str(db), "--out", str(out))
    assert code == 0 and "Exported 3 calls" in said
    with SessionStore(db) as s:
        stored = [s.load(i) for i in ids]
    expected = {"sessions": 3, "turns": sum(len(c.spans) for c in stored),
                "prompts": sum(len(c.prompts) for c in stored),
                "flags": sum(len(c.flags) for c in stored) + 1}  # + the line the rep marked as missed
    shares = {c.row.id: c.talk.rep_share for c in stored if c.talk is not None}
    for name, rows in expected.items():
        assert len(read_csv(out / f"{name}.csv")) == rows
        assert parquet.read_parquet(out / f"{name}.parquet").read_all().num_rows == rows
        assert sql(f"SELECT count(*) FROM '{out / name}.parquet'") == [(rows,)]
    assert {r["session_id"]: float(r["rep_share"]) for r in read_csv(out / "sessions.csv")} == shares
    assert dict(sql(f"SELECT session_id, rep_share FROM '{out}/sessions.parquet'")) == shares
    # The turns are the spans the shares were worked out from: a notebook gets the same shares from them.
    from_turns = sql(f"""SELECT session_id, round(sum(duration_s) FILTER (speaker = 'rep') / sum(duration_s), 4)
                         FROM '{out}/turns.parquet' GROUP BY session_id""")
    assert dict(from_turns) == shares
    kinds = sql(f"SELECT kind, mixed, rep_guessed, date FROM '{out}/sessions.parquet' ORDER BY started")
    assert [(k, m, g, str(d)) for k, m, g, d in kinds] == [(k, m, m, day) for day, k, m, _ in CALLS]


def test_the_numbers_are_the_ones_the_review_shows_the_flags_marked_not_pushy_left_out(
        store: tuple[Path, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db, ids = store
    out = tmp_path / "export"
    assert export(capsys, "--db", str(db), "--out", str(out), "--format", "csv")[0] == 0
    sessions = {r["session_id"]: r for r in read_csv(out / "sessions.csv")}
    flags = read_csv(out / "flags.csv")
    marks = MyExamples.load()
    with SessionStore(db) as s:
        for sid in ids:
            review = build_review(s.load(sid), RULES.rulebook, marks.of(sid))
            shown = {n.label: n.value for n in review.numbers}
            row = sessions[sid]
            directive = re.search(r"([\d.]+) per 10 min of your talk \((\d+) in all\)", shown["Directive phrases"])
            assert directive is not None
            assert (f"{float(row['directive_per_10_min']):.1f}", row["directive_phrases"]) == directive.groups()
            assert row["supportive_lines"] == shown["Autonomy-supportive lines"]
            assert row["rep_questions"] == shown["Questions asked"]
            assert row["flags_not_pushy"] == str(len([f for f in review.cleared]))
            counted = [f for f in flags if f["session_id"] == sid and f["counted"] == "true"]
            assert len(counted) == len(review.flags) == int(row["directive_phrases"])
    assert [f["marked"] for f in flags if f["session_id"] == ids[0]].count("not_pushy") == 1
    assert [f["marked"] for f in flags if f["session_id"] == ids[2]].count("added_by_rep") == 1
    assert sessions[ids[2]]["flags_added_by_rep"] == "1"


def test_a_flag_marked_not_pushy_that_the_call_no_longer_raises_stays_as_the_review_shows_it(
        store: tuple[Path, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db, ids = store
    with SessionStore(db) as s:
        first = s.load(ids[0])
        assert first.talk is not None
        kept = first.flags[1:]  # worked out again ("This is me…") without the flag the rep had marked
        s.replace_results(ids[0], first.talk, first.spans, first.segments, kept, first.prompts, rep_voice=0)
        review = build_review(s.load(ids[0]), RULES.rulebook, MyExamples.load().of(ids[0]))
    out = tmp_path / "export"
    assert export(capsys, ids[0], "--db", str(db), "--out", str(out), "--format", "csv")[0] == 0
    flags = read_csv(out / "flags.csv")
    assert [f["marked"] for f in flags].count("not_pushy") == len(review.cleared) == 1
    (row,) = read_csv(out / "sessions.csv")
    assert row["flags_not_pushy"] == "1" and int(row["directive_phrases"]) == len(review.flags) == len(kept)


def test_what_was_said_is_written_only_with_transcripts(
        store: tuple[Path, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str], parquet: Any) -> None:
    db, _ = store
    numbers, said = tmp_path / "numbers", tmp_path / "said"
    code, text, _ = export(capsys, "--db", str(db), "--out", str(numbers))
    assert code == 0 and "--with-transcripts" in text
    assert sorted(p.name for p in numbers.iterdir()) == sorted(f"{t}.{f}" for t in TABLES for f in ("csv", "parquet"))
    assert not any(SECRET in p.read_text(encoding="utf-8") for p in numbers.glob("*.csv"))
    parquet_text = [v for p in numbers.glob("*.parquet") for v in parquet_strings(parquet, p)]
    assert parquet_text and not any(SECRET in v for v in parquet_text)
    assert FLAG_SENTENCE.name not in read_csv(numbers / "flags.csv")[0]

    assert export(capsys, "--db", str(db), "--out", str(said), "--with-transcripts")[0] == 0
    segments = read_csv(said / "segments.csv")
    assert sum(SECRET in r["text"] for r in segments) == 2
    assert sum(SECRET in v for v in parquet_strings(parquet, said / "segments.parquet")) == 2
    assert sql(f"SELECT count(*) FROM '{said}/segments.parquet' WHERE text LIKE '%{SECRET}%'") == [(2,)]
    sentences = [r["sentence"] for r in read_csv(said / "flags.csv")]
    assert f"The next step is a pilot in {SECRET}." in sentences


def test_one_call_or_a_range_of_days(store: tuple[Path, list[str]], tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    db, ids = store
    for args, chosen in (([ids[1][:17]], [ids[1]]), (["--since", "2026-10-06", "--until", "2026-11-03"], ids[1:]),
                         (["--until", "2026-10-20"], ids[:2]), (["--since", "2026-11-03"], ids[2:])):
        out = tmp_path / "-".join(args)
        assert export(capsys, "--db", str(db), "--out", str(out), "--format", "csv", *args)[0] == 0
        assert [r["session_id"] for r in read_csv(out / "sessions.csv")] == chosen
        assert {r["session_id"] for r in read_csv(out / "turns.csv")} == set(chosen)


def test_files_are_readable_by_their_owner_only(store: tuple[Path, list[str]], tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str], parquet: Any) -> None:
    db, _ = store
    out = tmp_path / "new" / "export"
    assert export(capsys, "--db", str(db), "--out", str(out), "--with-transcripts")[0] == 0
    assert len(list(out.glob("*.parquet"))) == 5
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    assert {stat.S_IMODE(p.stat().st_mode) for p in out.iterdir()} == {0o600}
    (out / "sessions.csv").chmod(0o644)  # an earlier export's file, opened up: the new one is owner-only again
    assert export(capsys, "--db", str(db), "--out", str(out), "--format", "csv")[0] == 0
    assert stat.S_IMODE((out / "sessions.csv").stat().st_mode) == 0o600


def test_tables_an_earlier_export_left_in_the_folder_are_named(
        store: tuple[Path, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db, _ = store
    out = tmp_path / "export"
    assert export(capsys, "--db", str(db), "--out", str(out), "--format", "csv", "--with-transcripts")[0] == 0
    code, said, _ = export(capsys, "--db", str(db), "--out", str(out), "--format", "csv")
    assert code == 0 and "segments.csv" in said and "earlier export" in said
    assert (out / "segments.csv").exists()  # left as found: it may be someone's


@pytest.mark.parametrize(("args", "says"), [
    (["--since", "2026-13-01"], "--since 2026-13-01 is not a day; give it as YYYY-MM-DD"),
    (["--until", "last week"], "--until last week is not a day"),
    (["--since", "2026-11-01", "--until", "2026-10-01"], "is after --until"),
    (["20991231"], "There is no session 20991231"),
    (["--since", "2030-01-01"], "No calls on or after 2030-01-01"),
])
def test_a_bad_choice_of_calls_is_one_sentence_and_writes_nothing(
        store: tuple[Path, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str],
        args: list[str], says: str) -> None:
    db, _ = store
    out = tmp_path / "export"
    code, _, err = export(capsys, "--db", str(db), "--out", str(out), *args)
    assert code == 2 and says in err and err.count("\n") == 1 and err.startswith("copilot: ")
    assert not out.exists()


def test_a_folder_that_cannot_be_written_is_one_sentence(store: tuple[Path, list[str]], tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    db, _ = store
    a_file = tmp_path / "notes.txt"
    a_file.write_text("mine")
    for out, says in ((a_file, "is a file; give a folder"), (a_file / "export", "Could not make the folder")):
        code, _, err = export(capsys, "--db", str(db), "--out", str(out))
        assert code == 2 and says in err and err.count("\n") == 1
    assert a_file.read_text() == "mine"
    if os.geteuid() != 0:  # root writes anywhere
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        code, _, err = export(capsys, "--db", str(db), "--out", str(locked))
        assert code == 2 and "Could not write" in err and err.count("\n") == 1


def test_an_empty_store_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    SessionStore(tmp_path / "s.db").close()
    code, _, err = export(capsys, "--db", str(tmp_path / "s.db"), "--out", str(tmp_path / "export"))
    assert code == 2 and "There are no calls" in err and not (tmp_path / "export").exists()


def test_without_the_parquet_library_csv_is_written_and_parquet_by_name_is_one_sentence(
        store: tuple[Path, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    db, _ = store
    monkeypatch.setitem(sys.modules, "arro3.io", None)  # as on an install without it: the import fails
    code, said, _ = export(capsys, "--db", str(db), "--out", str(tmp_path / "default"))
    assert code == 0 and "Only CSV was written: Parquet needs the arro3-io package" in said
    assert sorted(p.suffix for p in (tmp_path / "default").iterdir()) == [".csv"] * 4
    code, _, err = export(capsys, "--db", str(db), "--out", str(tmp_path / "asked"), "--format", "parquet")
    assert code == 2 and "--format csv" in err and err.count("\n") == 1 and not (tmp_path / "asked").exists()


def test_a_csv_export_loads_neither_parquet_nor_speech_sound_or_qt(store: tuple[Path, list[str]],
                                                                    tmp_path: Path) -> None:
    db, _ = store
    code = ("import sys\nfrom copilot.cli import main\n"
            f"assert main(['export', '--db', {str(db)!r}, '--out', {str(tmp_path / 'e')!r}, '--format', 'csv']) == 0\n"
            "print('HEAVY', [m for m in ('arro3', 'faster_whisper', 'onnxruntime', 'sounddevice', 'PySide6', 'numpy')"
            " if m in sys.modules])\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert r.returncode == 0, r.stderr
    assert "HEAVY []" in r.stdout


def test_docs_describe_every_column() -> None:
    doc = (ROOT / "docs" / "export.md").read_text(encoding="utf-8")
    for columns in (SESSIONS, TURNS, FLAGS, PROMPTS, SEGMENTS, (FLAG_SENTENCE,)):
        for c in columns:
            assert f"`{c.name}`" in doc, c.name


def test_with_transcripts_what_was_hidden_stays_hidden_and_is_counted(tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    from copilot.core.talk import TalkSummary

    db = tmp_path / "s.db"
    with SessionStore(db) as s:  # one call kept as heard, one stored before anything was hidden
        for hidden in ("off", "later"):
            s.save_analysis("call.opus", "analyze", "tiny.en", 30.0, TalkSummary(10.0, 10.0, 0.5),
                            [SpeechSpan("prospect", 1.0, 5.0)],
                            [Segment("prospect", 1.0, 5.0, "It's 4111 1111 1111 1111, mail sam@example.com.")], [],
                            [], hidden=hidden)
    assert export(capsys, "--db", str(db), "--out", str(tmp_path / "out"), "--with-transcripts")[0] == 0
    said = sorted(r["text"] for r in read_csv(tmp_path / "out" / "segments.csv"))
    assert said == ["It's 4111 1111 1111 1111, mail sam@example.com.", "It's [card number], mail [e-mail]."]
    assert sorted(r["hidden"] for r in read_csv(tmp_path / "out" / "sessions.csv")) == ["", "2"]


def test_without_transcripts_a_flag_of_a_whole_sentence_keeps_no_word_of_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The model layer flags a whole sentence: its match is the sentence, and the prompt quotes it.
    said = f"Let's get the {SECRET} rollout booked for Monday."
    model = Flag("rep", 1.0, 4.0, "owning_the_path", said, said, "What do you want to do next?")
    rule = Flag("rep", 5.0, 6.0, "owning_the_path", "The next step is", f"The next step is {SECRET}.", "Over to you?")
    prompts = [Prompt(4.2, "phrase", "What do you want to do next?", "owning_the_path", f"you said: '{said}'", 4.2),
               Prompt(6.2, "phrase", "Over to you?", "owning_the_path", "you said: 'The next step is'", 6.2)]
    db = tmp_path / "s.db"
    with SessionStore(db) as s:
        s.save_analysis("call.wav", "analyze", "tiny.en", 10.0, TalkSummary(rep_s=6.0, prospect_s=3.0, rep_share=0.67),
                        [SpeechSpan("rep", 1.0, 7.0)], [Segment("rep", 1.0, 7.0, f"{said} The next step is {SECRET}.")],
                        [model, rule], prompts)
    assert export(capsys, "--db", str(db), "--out", str(tmp_path / "numbers"), "--format", "csv")[0] == 0
    assert not any(SECRET in p.read_text(encoding="utf-8") for p in (tmp_path / "numbers").glob("*.csv"))
    flags = read_csv(tmp_path / "numbers" / "flags.csv")
    assert [r["match"] for r in flags] == ["", "The next step is"]  # the rulebook's phrase stays
    reasons = [r["reason"] for r in read_csv(tmp_path / "numbers" / "prompts.csv")]
    assert reasons == ["you said a directive phrase", "you said: 'The next step is'"]
    assert export(capsys, "--db", str(db), "--out", str(tmp_path / "said"), "--format", "csv",
                  "--with-transcripts")[0] == 0
    assert [r["match"] for r in read_csv(tmp_path / "said" / "flags.csv")] == [said, "The next step is"]


def test_a_disk_that_fills_part_way_leaves_the_earlier_export_as_it_was(
        store: tuple[Path, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    import copilot.report.table_files as files
    from copilot.store.private import write_private_bytes

    db, _ = store
    out = tmp_path / "out"
    assert export(capsys, "--db", str(db), "--out", str(out), "--format", "csv")[0] == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    real, n = write_private_bytes, [0]

    def fills(target: Path, data: bytes) -> Path:
        n[0] += 1
        if n[0] == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(target, data)

    monkeypatch.setattr(files, "write_private_bytes", fills)
    code, _, err = export(capsys, "--db", str(db), "--out", str(out), "--with-transcripts")
    assert code == 2 and "No space left on device" in err and "nothing was written" in err and err.count("\n") == 1
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # no table half-new, no temporary file left
