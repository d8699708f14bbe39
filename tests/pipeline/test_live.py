"""The live pipeline driven by the replay source, a fake transcriber and a fake clock (no sleeps)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from copilot.audio.sources import FileSource
from copilot.core.events import SPEAKERS, TalkState
from copilot.core.facts import SAMPLE_RATE
from copilot.core.phrases import Hit, PhraseDetector
from copilot.core.rulebook import Rulebook
from copilot.pipeline.events import Stamped
from copilot.pipeline.live import ECHO_OFF, LivePipeline
from copilot.pipeline.sinks import StoreWriter
from copilot.scripted.truth import load_truth
from copilot.store.sqlite import SessionStore
from tests.fakes import FakeClock, LoggedEvents, SaysNextStep
from tests.wavs import SAMPLE, first_seconds, sample_call


@pytest.fixture(scope="module")
def replay(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    clock = FakeClock()
    engine = SaysNextStep()
    events = LoggedEvents()
    db = tmp_path_factory.mktemp("live") / "s.db"
    store = SessionStore(db)
    sid = store.create_session("sample (replay)", "live")
    writer = StoreWriter(store, sid)
    audio = sample_call()
    source = FileSource(audio, speed=1.0, clock=clock, sleep=clock.sleep)
    pipeline = LivePipeline(source, engine, PhraseDetector(Rulebook.load()), [events, writer], clock=clock)
    session = pipeline.run()
    writer.flush()
    return {"events": events, "session": session, "engine": engine, "store": store, "sid": sid, "audio": audio,
            "pipeline": pipeline, "db": db}


def of(replay: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e for e in replay["events"] if e["type"] == kind]


def test_every_event_carries_its_type_audio_time_and_wall_time(replay: dict[str, Any]) -> None:
    for e in replay["events"]:
        assert {"type", "t", "wall"} <= set(e)
        assert list(e)[0] == "type" and list(e)[-1] == "wall"
    assert {e["type"] for e in replay["events"]} >= {"speech", "talk", "partial", "segment", "flag", "prompt"}


def test_speech_events_follow_the_script(replay: dict[str, Any]) -> None:
    truth = load_truth(SAMPLE)
    starts = [e for e in of(replay, "speech") if e["state"] == "start" and e["speaker"] == "rep"]
    rep_lines = [line for line in truth.lines if line.speaker == "rep"]
    assert len(starts) >= len(rep_lines)
    for line in rep_lines:
        assert any(abs(e["t"] - line.start) < 0.3 for e in starts), line.text


def test_whisper_hears_only_speech_and_never_more_than_a_window(replay: dict[str, Any]) -> None:
    lengths = replay["engine"].lengths
    assert 0 < max(lengths) <= 30.0
    talk = replay["session"].talk_summary()
    speech_s = talk.rep_s + talk.prospect_s
    counters = replay["pipeline"].counters
    assert counters.partial_jobs <= speech_s / 0.6 + counters.final_jobs  # one guess per 0.6 s of speech at most
    assert replay["pipeline"].counters.final_jobs >= 20


def test_flags_are_on_the_rep_only_and_prompts_follow(replay: dict[str, Any]) -> None:
    flags = of(replay, "flag")
    assert flags and all(f["speaker"] == "rep" for f in flags)
    assert all({"start", "end", "category", "match", "text"} <= set(f) for f in flags)
    assert all(f["t"] == f["end"] for f in flags)
    assert of(replay, "prompt")


def test_the_talk_share_matches_the_offline_definition(replay: dict[str, Any]) -> None:
    truth = load_truth(SAMPLE).talk()
    assert abs(replay["session"].talk_summary().rep_share - truth["rep_share"]) < 0.02


def test_the_session_is_in_the_store_as_it_happened(replay: dict[str, Any]) -> None:
    store, sid = replay["store"], replay["sid"]
    segments = store.segments(sid)
    assert len(segments) == len(replay["session"].segments)
    flags = store.db.execute("SELECT count(*) FROM flags WHERE session_id = ?", (sid,)).fetchone()[0]
    assert flags == len(replay["session"].flags)


def test_stop_ends_the_session_early_and_keeps_what_was_heard(tmp_path: Path) -> None:
    clock = FakeClock()
    audio = sample_call()
    pipeline: LivePipeline
    stopped: list[bool] = []

    def stop_after_a_while(stamped: Stamped) -> None:
        e = stamped.event
        if isinstance(e, TalkState) and e.time >= 20.0 and not stopped:
            stopped.append(True)
            pipeline.stop()

    source = FileSource(audio, speed=1.0, clock=clock, sleep=clock.sleep)
    pipeline = LivePipeline(source, SaysNextStep(), PhraseDetector(Rulebook.load()), [stop_after_a_while], clock=clock)
    session = pipeline.run()
    assert pipeline.audio_time < audio.duration_s
    assert session.talk_summary().rep_s > 0


def test_a_store_that_fails_mid_call_keeps_the_session_in_memory_and_retries(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from copilot.core.events import SpeechSpan

    store = SessionStore(tmp_path / "s.db")
    sid = store.create_session("x", "live")
    said: list[str] = []
    writer = StoreWriter(store, sid, every_s=0.0, notice=said.append)
    store.db.execute("CREATE TRIGGER full BEFORE INSERT ON speech_spans BEGIN SELECT RAISE(ABORT, 'disk is full'); END")
    writer(Stamped(SpeechSpan("rep", 0.0, 1.0), wall=1.0))
    writer(Stamped(SpeechSpan("rep", 1.5, 2.0), wall=2.0))
    assert len(said) == 1 and "disk is full" in said[0]  # said once, to the rep
    assert capsys.readouterr().err == ""  # the coach thread prints nothing the app cannot show
    store.db.execute("DROP TRIGGER full")
    writer.flush()
    assert store.db.execute("SELECT count(*) FROM speech_spans").fetchone()[0] == 2  # nothing lost


def test_a_session_that_keeps_its_audio_writes_both_channels_and_deleting_it_removes_them(tmp_path: Path) -> None:
    from copilot.audio.kept import kept_files, load_kept
    from copilot.pipeline.recorded import record_live

    clock = FakeClock()
    audio = first_seconds(sample_call(), 30)  # what is kept, not what is coached: half a minute will do
    store = SessionStore(tmp_path / "s.db")

    def make(sinks: list[Any]) -> LivePipeline:
        source = FileSource(audio, speed=1.0, clock=clock, sleep=clock.sleep)
        return LivePipeline(source, SaysNextStep(), PhraseDetector(Rulebook.load()), sinks, clock=clock)

    done = record_live(store, "sample", "fake", [], make, keep_audio=True)
    base = store.load(done.session_id).audio
    assert base and Path(base).parent == tmp_path / "audio"
    kept = load_kept(base)
    assert kept is not None
    for who in SPEAKERS:
        track = audio.rep if who == "rep" else audio.prospect
        assert abs(len(kept[who]) - len(track)) < SAMPLE_RATE * 0.1  # the whole call, sample for sample
    n = min(len(kept["rep"]), len(audio.rep))
    assert np.allclose(kept["rep"][:n], np.clip(audio.rep[:n], -1, 1), atol=2e-4)
    store.delete(done.session_id)
    assert not any(p.exists() for p in kept_files(base).values())


def test_a_save_failing_mid_call_reaches_the_sinks_as_a_notice_the_rep_sees(tmp_path: Path) -> None:
    from copilot.pipeline.recorded import record_live

    clock = FakeClock()
    store = SessionStore(tmp_path / "s.db")
    store.db.execute("CREATE TRIGGER full BEFORE INSERT ON speech_spans BEGIN SELECT RAISE(ABORT, 'disk is full'); END")
    source = FileSource(first_seconds(sample_call(), 30), speed=1.0, clock=clock, sleep=clock.sleep)
    events = LoggedEvents()
    ticks = iter(range(10**6))  # the session's wall clock: half a second an event, so the writer writes mid-call
    done = record_live(store, "sample", "fake", [events], lambda sinks: LivePipeline(
        source, SaysNextStep(), PhraseDetector(Rulebook.load()), sinks, clock=lambda: next(ticks) / 2))
    notices = [e["message"] for e in of({"events": events}, "device")]
    assert len(notices) == 1 and "disk is full" in notices[0] and "the call is saved up to 0:00" in notices[0]
    assert done.save_error is not None and "disk is full" in done.save_error


def test_without_opting_in_no_audio_is_kept(tmp_path: Path) -> None:
    from copilot.pipeline.recorded import record_live

    clock = FakeClock()
    store = SessionStore(tmp_path / "s.db")
    source = FileSource(first_seconds(sample_call(), 30), speed=1.0, clock=clock, sleep=clock.sleep)
    done = record_live(store, "sample", "fake", [], lambda sinks: LivePipeline(
        source, SaysNextStep(), PhraseDetector(Rulebook.load()), sinks, clock=clock))
    assert store.load(done.session_id).audio == "" and not (tmp_path / "audio").exists()


def on_speakers() -> Any:
    """The sample as recorded on laptop speakers: the microphone hears the prospect 60 ms late at -12 dB."""
    from copilot.audio.decode import CallAudio

    clean = sample_call()
    echo = np.zeros(len(clean.prospect), np.float32)
    d = int(0.06 * SAMPLE_RATE)  # speakers to microphone: 60 ms, -12 dB, one reflection 10 ms later
    echo[d:] += 0.25 * clean.prospect[:-d]
    echo[d + 160:] -= 0.1 * clean.prospect[: -d - 160]
    return CallAudio(clean.rep + echo, clean.prospect, "speakers")


def test_on_laptop_speakers_the_echo_is_taken_out_live_and_the_talk_share_is_the_headset_one() -> None:
    from copilot.audio.echo import EchoCanceller

    speakers = on_speakers()
    truth = load_truth(SAMPLE).talk()["rep_share"]
    share = {}
    for on in (False, True):
        clock = FakeClock()
        source = FileSource(speakers, speed=1.0, clock=clock, sleep=clock.sleep)
        events = LoggedEvents()
        pipeline = LivePipeline(source, SaysNextStep(), PhraseDetector(Rulebook.load()), [events], clock=clock,
                                echo=EchoCanceller() if on else None)
        share[on] = pipeline.run().talk_summary().rep_share
        said = [e["message"] for e in events if e["type"] == "echo"]
        if on:
            assert pipeline.echo is not None and pipeline.echo.report().found
            assert pipeline.heard["rep"] == pipeline.heard["prospect"]  # every microphone sample came through
            # What the window shows, sent by the coach thread as it changes: listening, then removed.
            assert said[0].endswith("(the buyer has not spoken yet).")
            assert said[-1].startswith("Echo from your speakers: removed")
            assert all(a != b for a, b in zip(said, said[1:], strict=False))  # only changes are sent
            assert len(said) < speakers.duration_s  # at most one a tick
        else:
            assert said == [ECHO_OFF]
    assert share[False] - truth > 0.05
    assert abs(share[True] - truth) < 0.02


def test_bleed_found_late_is_taken_out_of_what_is_kept_too(tmp_path: Path) -> None:
    """No canceller: the fake transcriber hears the same words on both sides at the same moments, so the
    rep's side carries the buyer's words; what the store keeps is the session's corrected call."""
    from copilot.pipeline.recorded import record_live

    clock = FakeClock()
    store = SessionStore(tmp_path / "s.db")
    source = FileSource(on_speakers(), speed=1.0, clock=clock, sleep=clock.sleep)
    done = record_live(store, "speakers", "fake", [], lambda sinks: LivePipeline(
        source, SaysNextStep(), PhraseDetector(Rulebook.load()), sinks, clock=clock))
    session = done.session
    assert session.bleed  # the buyer's voice was found on the rep's side
    kept = store.load(done.session_id)
    assert len(kept.flags) == len(session.flags)
    assert kept.talk is not None and kept.talk.rep_share == session.talk_summary().rep_share
    rep_kept = sum(s.end - s.start for s in kept.spans if s.speaker == "rep")
    assert abs(rep_kept - session.talk_summary().rep_s) < 0.5  # the timeline shows the same rep talk
    for b in session.bleed:
        assert not [s for s in kept.segments if s.speaker == "rep" and s.start == b.start]


class SaysItsYourCall:
    """Hears "It's your call." in any audio of 2 s or more (an autonomy-supportive line)."""

    def transcribe(self, audio: Any, context: str = "") -> list[Any]:
        from copilot.core.events import Word
        from copilot.stt.engine import RawSegment

        if len(audio) < 2 * SAMPLE_RATE:
            return []
        words = tuple(Word(w, 0.3 + 0.2 * i, 0.45 + 0.2 * i) for i, w in enumerate([" It's", " your", " call."]))
        return [RawSegment(0.3, 0.85, " It's your call.", -0.2, 0.01, words)]


def test_a_live_sessions_supportive_lines_are_kept_with_it_for_progress(tmp_path: Path) -> None:
    from copilot.pipeline.recorded import record_live

    clock = FakeClock()
    store = SessionStore(tmp_path / "s.db")
    source = FileSource(first_seconds(sample_call(), 30), speed=1.0, clock=clock, sleep=clock.sleep)
    done = record_live(store, "sample", "fake", [], lambda sinks: LivePipeline(
        source, SaysItsYourCall(), PhraseDetector(Rulebook.load()), sinks, clock=clock))
    said = done.session.supportive
    assert said and all(x.speaker == "rep" for x in said)
    assert store.load(done.session_id).supportive == sorted(said, key=lambda x: x.start)
    (row,) = store.call_rows()
    from copilot.core.scorecard import supportive_count

    # Lines, not phrases: the fake says "It's your call." again and again, and live lines join some of them.
    lines = supportive_count(said, store.load(done.session_id).segments)
    assert row.kind == "live" and row.supportive == lines and 0 < lines <= len(said)


class _PartialsOnly(PhraseDetector):
    """Flags what the rep's partial guesses say, never a final: every flag is taken back when the whole
    sentence comes."""

    def hits(self, text: str, first_only: bool = False, partial: bool = False, continued: bool = False) -> list[Hit]:
        out = super().hits(text, first_only, partial, continued)
        return out if partial else [h for h in out if h.kind != "directive"]


def test_a_flag_the_whole_sentence_took_back_is_not_kept(tmp_path: Path) -> None:
    from copilot.pipeline.recorded import record_live

    clock = FakeClock()
    store = SessionStore(tmp_path / "s.db")
    events = LoggedEvents()
    source = FileSource(first_seconds(sample_call(), 60), speed=1.0, clock=clock, sleep=clock.sleep)
    done = record_live(store, "sample", "fake", [events], lambda sinks: LivePipeline(
        source, SaysNextStep(), _PartialsOnly(Rulebook.load()), sinks, clock=clock))
    raised = [e for e in events if e["type"] == "flag"]
    assert raised and done.session.withdrawn  # raised live from the guesses (and maybe shown), then taken back
    # (The stand-in's word times are not where the words were said: a guess's flag can fall outside the final
    # of its utterance and is then left as raised.)
    kept = store.load(done.session_id).flags
    assert len(kept) == len(done.session.flags) < len(raised)
    assert not {(f.start, f.match) for f in kept} & {(round(f.start, 3), f.match) for f in done.session.withdrawn}
    # A prompt still up when its flag was taken back was taken down, and only a prompt that was shown.
    taken = [e for e in events if e["type"] == "taken_back"]
    assert taken and {e["shown_at"] for e in taken} <= {e["t"] for e in events if e["type"] == "prompt"}
