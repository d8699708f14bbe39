"""Retention: an old call's words are deleted (for real), its numbers stay exactly as the rep saw them."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from functools import cache
from html import escape
from pathlib import Path

import pytest

from copilot.core.assets import asset_path
from copilot.core.events import Segment, SpeechSpan
from copilot.core.marks import missed_mark, wrong_mark
from copilot.core.phrases import PhraseDetector
from copilot.core.retention import WORDS_GONE_REASON, Retention, parse_days
from copilot.core.rulebook import Rulebook
from copilot.core.session import Session
from copilot.report.html import report_html
from copilot.report.progress import load_progress
from copilot.report.review import build_review, stored_json
from copilot.scripted.truth import load_truth
from copilot.store.my_examples import MyExamples
from copilot.store.sqlite import SessionStore
from copilot.wiring import apply_retention, load_detector

UNIQUE = "my card number ends in four four seven one, the zebra quartz manifesto."


@cache
def shipped_detector() -> PhraseDetector:
    """The shipped detector, both layers (the sentence model loaded once for every call the tests coach)."""
    return load_detector(None, mine=False)


def coached_call(store: SessionStore, days_ago: float, extra: str = "", kind: str = "live") -> str:
    """The sample call's script coached by the core session (real flags, prompts and supportive lines), stored as
    started ``days_ago``; ``extra``: one more line of the prospect's, at the end."""
    truth = load_truth(asset_path("samples", "discovery_call.opus"))
    spans = [SpeechSpan(line.speaker, line.start, line.end) for line in truth.lines]
    segments = [Segment(line.speaker, line.start, line.end, line.text) for line in truth.lines]
    end = truth.duration_s
    if extra:
        spans.append(SpeechSpan("prospect", end, end + 4.0))
        segments.append(Segment("prospect", end, end + 4.0, extra))
        end += 4.0
    session = Session(shipped_detector())
    session.replay(spans, segments, end)
    started = datetime.now(timezone.utc) - timedelta(days=days_ago)
    return store.save_analysis("the sample call", kind, "script", end, session.talk_summary(), spans,
                               session.segments, session.flags, session.prompts, supportive=session.supportive,
                               started=started)


def numbers_of(store: SessionStore, sid: str) -> tuple[object, ...]:
    """Everything a review counts of a call: its numbers, flags' times and kinds, prompts and what they did."""
    review = build_review(store.load(sid), Rulebook.load())
    effects = review.effects.as_json()
    for moments in (effects["prompts"], effects["matched"]):
        for m in moments:  # type: ignore[attr-defined]
            m.pop("why")
    return ([(n.label, n.value) for n in review.numbers], [(f.start, f.end, f.category) for f in review.flags],
            [(f.start, f.category) for f in review.cleared], [(p.time, p.kind, p.text) for p in review.stored.prompts],
            effects, len(review.supportive))


def test_an_old_calls_words_go_and_every_number_stays_as_the_rep_judged_it(tmp_path: Path) -> None:
    with SessionStore(tmp_path / "sessions.db") as store:
        old = coached_call(store, days_ago=120, extra=UNIQUE)
        recent = coached_call(store, days_ago=10)
        # The rep judged the old call: one flag was not pushy, one line of theirs was.
        found = store.load(old)
        assert len(found.flags) >= 2 and found.prompts and found.supportive
        marks = MyExamples.load()
        line = next(s for s in found.segments if s.start <= found.flags[0].start <= s.end)
        marks.add(wrong_mark(found.flags[0], old, line.text))
        missed = next(s for s in found.segments if s.speaker == "rep" and not any(
            s.start - 1 <= f.start <= s.end + 1 for f in found.flags))
        marks.add(missed_mark(missed, missed.text, "owning_the_path", "What next?", old))
        judged = build_review(store.load(old), Rulebook.load())
        assert len(judged.cleared) == 1 and sum(f.added for f in judged.flags) == 1
        before = numbers_of(store, old), numbers_of(store, recent)
        progress_before = load_progress(store, marks.marks)
        assert UNIQUE.encode() in b"".join(p.read_bytes() for p in store.files())

        expired = apply_retention(store, Retention(90))
        assert expired is not None and expired.sessions == (old,)
        said = expired.sentence(Retention(90).said)
        assert said.startswith("Deleted the transcripts of 1 call older than your setting (transcripts are kept 90 "
                               "days)") and "numbers are kept" in said

        gone = store.load(old)
        assert gone.transcript_removed == datetime.now(timezone.utc).date().isoformat()
        assert all(s.text == "" and s.words == () for s in gone.segments) and gone.segments
        assert all(f.text == f.match == "" for f in gone.flags)
        assert gone.supportive and all(x.text == x.match == "" for x in gone.supportive)
        assert {p.reason for p in gone.prompts if p.kind == "phrase"} == {WORDS_GONE_REASON}
        assert store.load(recent).transcript_removed == "" and all(s.text for s in store.load(recent).segments)
        assert (numbers_of(store, old), numbers_of(store, recent)) == before
        progress_after = load_progress(store, marks.marks)
        assert [c.directive for c in progress_after.calls] == [c.directive for c in progress_before.calls]
        assert progress_after.calls == progress_before.calls
        # Deleted for real: not in the database's files, even before the store is closed.
        assert UNIQUE.encode() not in b"".join(p.read_bytes() for p in store.files())

        review = build_review(gone, Rulebook.load())
        assert review.lines == [] and review.words_left_out.startswith("The transcript of this call was deleted on")
        page = report_html(review, b"")
        assert escape(review.words_left_out) in page and "zebra" not in page
        script = load_truth(asset_path("samples", "discovery_call.opus")).lines
        coach = {p.text for p in gone.prompts} | {f.prompt for f in gone.flags}  # the coach's lines, not the call's
        assert [line.text for line in script if line.text in page and line.text not in coach] == []
        data = stored_json(gone)
        assert data["transcript_removed"] == gone.transcript_removed
        assert all(s["text"] == "" for s in data["segments"]) and all(f["match"] == "" for f in data["flags"])

        again = apply_retention(store, Retention(90))
        assert again is not None and again.sessions == ()
        assert again.sentence("kept 90 days") == ("No transcript was old enough to delete (transcripts are kept "
                                                  "90 days).")


def test_a_calls_kept_audio_goes_with_its_transcript(tmp_path: Path) -> None:
    with SessionStore(tmp_path / "sessions.db") as store:
        old = coached_call(store, days_ago=40)
        base = tmp_path / "audio" / old
        base.parent.mkdir()
        for side in ("rep", "prospect"):
            Path(f"{base}.{side}.wav").write_bytes(b"RIFF")
        store.set_audio(old, str(base))
        expired = apply_retention(store, Retention(30))
        assert expired is not None and expired.audio_files == 2 and "2 audio files" in expired.sentence("kept 30 days")
        assert not list(base.parent.iterdir()) and store.load(old).audio == ""


def test_never_keeps_everything_and_a_call_being_recorded_is_left_alone(tmp_path: Path) -> None:
    with SessionStore(tmp_path / "sessions.db") as store:
        old = coached_call(store, days_ago=400)
        assert apply_retention(store, Retention(None)) is None
        assert all(s.text for s in store.load(old).segments)
        recording = store.create_session("mic + call", "live",
                                         started=datetime.now(timezone.utc) - timedelta(days=400))
        store.add(recording, segments=[Segment("rep", 0.0, 2.0, "still talking")])
        store.db.execute("UPDATE sessions SET owner = ? WHERE id = ?", (f"{__import__('socket').gethostname()}:1",
                                                                          recording))  # pid 1: alive
        expired = apply_retention(store, Retention(1))
        assert expired is not None and expired.sessions == (old,)
        assert store.segments(recording)[0][3] == "still talking"


@pytest.mark.parametrize(("value", "days"), [(90, 90), ("30", 30), ("never", None), (" Never ", None), (1, 1)])
def test_the_setting_takes_a_number_of_days_or_never(value: object, days: int | None) -> None:
    assert parse_days(value) == days


# inf, nan and a day before the calendar began: the fuzzer's settings files (docs/faults.md)
@pytest.mark.parametrize("value", [0, -3, 2.5, "soon", True, "", float("inf"), float("nan"), 1e308, "99999999999"])
def test_a_bad_setting_is_one_sentence(value: object) -> None:
    with pytest.raises(ValueError) as e:
        parse_days(value, "--keep-days")
    assert re.match(r"--keep-days should be", str(e.value)) and "\n" not in str(e.value)


def test_the_cutoff_is_that_many_days_before_now() -> None:
    now = datetime(2026, 12, 1, tzinfo=timezone.utc)
    assert Retention(90).cutoff(now) == datetime(2026, 9, 2, tzinfo=timezone.utc)
    assert Retention(None).cutoff(now) is None and Retention(None).said == "kept for good"


def test_the_setting_is_kept_in_the_settings_file_never_included(tmp_path: Path) -> None:
    from dataclasses import replace

    from copilot.store.settings import Settings, load_settings, save_settings

    path = tmp_path / "settings.toml"
    for days in (None, 30):
        save_settings(replace(Settings(), delete_transcripts_after_days=days), path)
        loaded, notice = load_settings(path)
        assert notice is None and loaded.delete_transcripts_after_days == days
    assert 'delete_transcripts_after_days = 30' in path.read_text(encoding="utf-8")
    assert Settings().retention == Retention(90)


def test_a_long_damaged_days_value_is_quoted_short() -> None:
    """The settings fuzzer's find: a value of thousands of characters came back whole in the sentence."""
    with pytest.raises(ValueError) as said:
        parse_days("x" * 5000)
    assert len(str(said.value)) < 200 and "…" in str(said.value)
