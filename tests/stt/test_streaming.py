"""The live transcriber of one channel: when Whisper is asked, and what the rep sees come back."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from copilot.core.events import Segment, Word
from copilot.stt.engine import RawSegment
from copilot.stt.streaming import AudioTail, Job, StreamingSettings, StreamingTranscriber

RATE = 16_000
SETTINGS = StreamingSettings(partial_every_s=0.6, pre_s=0.3, post_s=0.2, final_gap_s=0.5, settle_s=0.0,
                             trim_after_s=8.0, max_utterance_s=12.0)


def seconds(s: float) -> np.ndarray:
    return np.full(int(s * RATE), 0.1, dtype=np.float32)


def heard(*words: tuple[str, float, float]) -> list[RawSegment]:
    """Whisper's answer, times relative to the job's audio."""
    ws = tuple(Word(w, a, b) for w, a, b in words)
    return [RawSegment(0.0, ws[-1].end, "".join(w.text for w in ws), -0.2, 0.01, ws)]


# Distinct words for long turns (a word said over and over is a repetition loop, and is cut).
NATO = ("alpha bravo charlie delta echo foxtrot golf hotel india juliett kilo lima mike november oscar papa quebec "
        "romeo sierra tango uniform victor whiskey xray yankee zulu apple banana cherry damson elder fig grape hazel "
        "ivy jasmine kale lemon mango nutmeg olive pear quince rhubarb sage thyme ugli vanilla walnut yam").split()


def perfect(job: Job, words: list[tuple[str, float, float]]) -> list[RawSegment]:
    """A Whisper that hears every word (call times) inside the job's audio, on the job's own clock."""
    said, offset = [], 0.0
    for a, d in job.pieces or ((job.start, job.end - job.start),):
        said += [(w, s - a + offset, e - a + offset) for w, s, e in words if a - 1e-6 <= s and e <= a + d + 1e-6]
        offset += d
    return heard(*said) if said else []


def utterance(t: StreamingTranscriber, start: float, end: float) -> None:
    """Silence up to ``start``, speech to ``end``, then a pause long enough to end the utterance."""
    t.feed(seconds(start - t.tail.end))
    t.speech_started(start)
    t.feed(seconds(end - start))
    t.speech_ended(end)
    t.feed(seconds(0.6))


def call(t: StreamingTranscriber, turns: list[tuple[float, float]], words: list[tuple[str, float, float]],
         until: float) -> list[Segment]:
    """The channel as the live pipeline drives it (0.1 s blocks, the VAD's ``turns``), to the end and its
    revisions; every segment sent."""
    out: list[Segment] = []
    while t.tail.end < until - 1e-9:
        for a, b in turns:
            if abs(t.tail.end - a) < 1e-6:
                t.speech_started(a)
            if abs(t.tail.end - b) < 1e-6:
                t.speech_ended(b)
        t.feed(seconds(0.1))
        job = t.job()
        if job is not None:
            out += t.deliver(job, perfect(job, words))
    while (job := t.finish()) is not None:
        out += t.deliver(job, perfect(job, words))
    return out


def test_whisper_is_never_asked_about_silence() -> None:
    t = StreamingTranscriber("rep", SETTINGS)
    t.feed(seconds(10))
    assert t.job() is None


def test_a_partial_is_asked_for_every_bit_of_new_speech_while_talking() -> None:
    t = StreamingTranscriber("rep", SETTINGS)
    t.feed(seconds(1.0))
    t.speech_started(1.0)
    t.feed(seconds(0.5))
    assert t.job() is None  # only 0.5 s of speech so far
    t.feed(seconds(0.2))
    job = t.job()
    assert job is not None and job.kind == "partial"
    assert abs(job.start - 0.7) < 1e-6  # 0.3 s before the speech started
    assert abs(job.end - 1.7) < 1e-6
    assert t.job() is None  # one job in flight per channel


def test_words_two_guesses_agree_on_are_committed_and_never_change() -> None:
    t = StreamingTranscriber("rep", SETTINGS)
    t.speech_started(0.0)
    t.feed(seconds(0.7))
    job = t.job()
    assert job is not None
    (p1,) = t.deliver(job, heard((" The", 0.3, 0.5), (" next", 0.5, 0.7)))
    assert not p1.final and p1.text == "The next"
    t.feed(seconds(0.7))
    job = t.job()
    assert job is not None
    (p2,) = t.deliver(job, heard((" The", 0.3, 0.5), (" next", 0.5, 0.7), (" stop", 0.7, 1.0)))
    assert p2.text == "The next stop"
    t.feed(seconds(0.7))
    job = t.job()
    assert job is not None
    # Whisper now hears "the best step" at the start: the committed words stand.
    (p3,) = t.deliver(job, heard((" The", 0.3, 0.5), (" best", 0.5, 0.7), (" step", 0.7, 1.0), (" is", 1.0, 1.2)))
    assert p3.text.startswith("The next")
    t.speech_ended(2.0)
    t.feed(seconds(0.6))
    job = t.job()
    assert job is not None and job.kind == "final"
    (final,) = t.deliver(job, heard((" The", 0.3, 0.5), (" best", 0.5, 0.7), (" step", 0.7, 1.0), (" is", 1.0, 1.2),
                                    (" yours.", 1.2, 1.6)))
    assert final.final and final.text == "The next step is yours."
    assert final.words[0].start == 0.3


def test_a_word_is_committed_only_once_a_second_of_speech_follows_it() -> None:
    t = StreamingTranscriber("rep", replace(SETTINGS, settle_s=1.0))
    t.speech_started(0.0)
    said = heard((" The", 0.3, 0.5), (" next", 0.5, 0.7), (" stop", 0.7, 1.0))
    for _ in range(2):  # two guesses agree on every word, but nothing has been said after them
        t.feed(seconds(0.7))
        job = t.job()
        assert job is not None
        t.deliver(job, said)
    t.feed(seconds(0.7))  # now at 2.1 s: "The" and "next" have a second of audio after them
    job = t.job()
    assert job is not None
    (p3,) = t.deliver(job, heard((" The", 0.3, 0.5), (" next", 0.5, 0.7), (" step", 0.7, 1.0), (" is", 1.0, 1.2)))
    assert p3.text == "The next step is"  # "stop" was never committed, so it could still be heard right
    t.feed(seconds(0.7))
    job = t.job()
    assert job is not None
    (p4,) = t.deliver(job, heard((" The", 0.3, 0.5), (" best", 0.5, 0.7), (" step", 0.7, 1.0), (" is", 1.0, 1.2)))
    assert p4.text.startswith("The next step")


def test_committed_words_heard_a_little_differently_are_matched_by_text_not_repeated() -> None:
    t = StreamingTranscriber("rep", SETTINGS)
    t.speech_started(0.0)
    for _ in range(2):
        t.feed(seconds(0.7))
        job = t.job()
        assert job is not None
        t.deliver(job, heard((" a", 0.3, 0.5), (" look,", 0.5, 0.7), (" with", 0.7, 0.9)))
    t.feed(seconds(0.7))
    job = t.job()
    assert job is not None
    # Whisper now hears "the look with", and places "with" a little later than before.
    (guess,) = t.deliver(job, heard((" the", 0.3, 0.5), (" look", 0.5, 0.7), (" with", 0.85, 0.95),
                                    (" the", 0.95, 1.05), (" moment.", 1.05, 1.4)))
    assert guess.text == "a look, with the moment."


def test_a_long_turn_is_cut_after_a_whole_sentence() -> None:
    t = StreamingTranscriber("rep", SETTINGS)
    t.speech_started(0.0)
    words = [(" One", 0.5), (" two", 1.5), (" three.", 2.5), (" Four", 6.0), (" five", 7.0), (" six", 8.0)]
    out = []
    for _ in range(15):
        t.feed(seconds(0.6))
        job = t.job()
        assert job is not None
        said = [(w, a - job.start, a + 0.4 - job.start) for w, a in words if job.start <= a and a + 0.4 <= job.end]
        out += t.deliver(job, heard(*said) if said else [])
    finals = [s for s in out if s.final]
    assert [s.text for s in finals] == ["One two three."]
    assert all(not s.text.startswith("One") for s in out if not s.final and s.start > finals[0].end)


def test_a_final_comes_once_the_pause_is_long_enough() -> None:
    t = StreamingTranscriber("prospect", SETTINGS)
    t.speech_started(0.0)
    t.feed(seconds(1.0))
    t.speech_ended(1.0)
    assert t.job() is None  # no partial once the speaker has stopped
    t.feed(seconds(0.1))
    assert t.job() is None  # 0.1 s of pause: the speaker may go on
    t.feed(seconds(0.4))  # 0.5 s of pause ends the utterance
    job = t.job()
    assert job is not None and job.kind == "final"
    assert abs(job.end - 1.2) < 1e-6  # up to the end of speech plus 0.2 s
    (segment,) = t.deliver(job, heard((" Not", 0.1, 0.4), (" yet.", 0.4, 0.8)))
    assert segment.final and segment.speaker == "prospect" and segment.text == "Not yet."
    assert abs(segment.start - 0.1) < 1e-6


def test_a_long_turn_sends_its_committed_words_as_a_final_and_carries_on() -> None:
    t = StreamingTranscriber("rep", SETTINGS)
    t.speech_started(0.0)
    out = []
    words = [(f" w{i}", 0.5 * i, 0.5 * i + 0.4) for i in range(40)]
    for _ in range(22):
        t.feed(seconds(0.6))
        job = t.job()
        assert job is not None
        said = [w for w in words if job.start <= w[1] and w[2] <= job.end]
        out += t.deliver(job, heard(*[(w, a - job.start, b - job.start) for w, a, b in said]) if said else [])
    finals = [s for s in out if s.final]
    assert finals, "a 13 s turn should have been cut"
    assert finals[0].text.startswith("w0 w1")
    later = [s for s in out if not s.final and s.start >= finals[0].end]
    assert later and all(not s.text.startswith("w0") for s in later)


def test_a_resumed_partial_hears_only_what_came_after_the_committed_words_with_them_as_context() -> None:
    t = StreamingTranscriber("rep", replace(SETTINGS, resume_partials=True, resume_lead_s=0.1))
    t.speech_started(0.0)
    words = [(" The", 0.3, 0.5), (" next", 0.5, 0.7), (" step", 0.7, 1.0), (" is", 1.0, 1.2), (" a", 1.3, 1.4),
             (" pilot.", 1.4, 1.9)]
    jobs, out = [], []
    for _ in range(4):
        t.feed(seconds(0.7))
        job = t.job()
        assert job is not None
        jobs.append(job)
        said = [(w, a - job.start, b - job.start) for w, a, b in words if a >= job.start - 0.05 and b <= job.end]
        # Whisper hears the last committed word again, at the start of the window.
        out += t.deliver(job, heard(*said))
    assert jobs[0].context == "" and jobs[1].context == ""  # nothing committed yet
    assert jobs[2].context == "The"  # "The next" agreed by the first two guesses; "next" is heard again
    assert abs(jobs[2].start - (0.5 - 0.1)) < 1e-6  # from just before the last committed word
    assert [s.text for s in out][-1] == "The next step is a pilot."  # nothing said twice, nothing lost
    t.speech_ended(2.8)
    t.feed(seconds(0.6))
    final = t.job()
    assert final is not None and final.kind == "final" and final.context == "" and final.start == 0.0


def a_final_in_flight() -> tuple[StreamingTranscriber, Job]:
    """A second of the rep's speech, a pause, and its final asked for (not yet answered)."""
    t = StreamingTranscriber("rep", SETTINGS)
    t.speech_started(0.0)
    t.feed(seconds(1.0))
    t.speech_ended(1.0)
    t.feed(seconds(0.5))
    job = t.job()
    assert job is not None and job.kind == "final"
    return t, job


def test_speech_that_starts_while_a_final_is_decoded_opens_the_next_utterance() -> None:
    t, job = a_final_in_flight()
    t.speech_started(1.5)
    t.deliver(job, heard((" Yes.", 0.3, 0.6)))
    t.feed(seconds(0.7))
    nxt = t.job()
    assert nxt is not None and nxt.kind == "partial" and abs(nxt.start - 1.2) < 1e-6


def test_speech_that_starts_and_ends_while_a_final_is_decoded_gets_its_own_final() -> None:
    t, job = a_final_in_flight()
    t.speech_started(1.5)  # a short "yes" while Whisper is busy with the first utterance
    t.feed(seconds(0.4))
    t.speech_ended(1.9)
    t.deliver(job, heard((" Right.", 0.3, 0.6)))
    t.feed(seconds(0.5))
    nxt = t.job()
    assert nxt is not None and nxt.kind == "final"  # not left open until the rep speaks again
    assert abs(nxt.end - 2.1) < 1e-6


def test_the_audio_tail_wraps_around_and_still_reads_what_was_written() -> None:
    tail = AudioTail(1.0)
    everything = np.arange(int(3.7 * RATE), dtype=np.float32)
    at = 0
    for n in (800, 12_345, 16_000, 3, 20_000, 7_000):  # blocks smaller, equal to and larger than the tail
        tail.write(everything[at : at + n])
        at += n
    for start, end in ((at / RATE - 1.0, at / RATE), (at / RATE - 0.7, at / RATE - 0.1), (0.0, 10.0)):
        got_start, audio = tail.read(start, end)
        first = round(got_start * RATE)
        assert first >= at - RATE and np.array_equal(audio, everything[first : min(round(end * RATE), at)])


def test_the_audio_tail_reads_by_call_time_and_forgets_the_oldest() -> None:
    tail = AudioTail(2.0)
    tail.write(np.arange(3 * RATE, dtype=np.float32))
    start, audio = tail.read(0.0, 1.5)
    assert start == 1.0 and len(audio) == RATE // 2 and audio[0] == RATE


def test_without_partials_closed_utterances_are_decoded_packed_together() -> None:
    t = StreamingTranscriber("prospect", StreamingSettings(partials=False, finals="packed", batch_s=20.0,
                                                           batch_wait_s=5.0,
                                                           pre_s=0.0, post_s=0.0, final_gap_s=0.5))
    for start in (1.0, 4.0):  # two 1 s utterances with silence between
        t.feed(seconds(start - t.tail.end))
        t.speech_started(start)
        t.feed(seconds(1.0))
        t.speech_ended(start + 1.0)
        t.feed(seconds(0.6))
        assert t.job() is None  # waits for more, or for batch_wait_s
    t.feed(seconds(3.0))
    job = t.job()
    assert job is not None and job.kind == "final" and len(job.pieces) == 2
    assert len(job.audio) == 2 * RATE  # silence between them is not sent
    segments = t.deliver(job, heard((" Not", 0.1, 0.5), (" yet.", 0.5, 0.9), (" Maybe.", 1.2, 1.8)))
    assert [(s.text, round(s.start, 2)) for s in segments] == [("Not yet.", 1.1), ("Maybe.", 4.2)]
    assert all(s.final for s in segments)
    assert t.finish() is None


def test_when_the_other_side_takes_the_turn_its_last_words_are_heard_at_once_and_still_packed_later() -> None:
    t = StreamingTranscriber("prospect", StreamingSettings(partials=False, finals="packed", batch_s=20.0,
                                                           batch_wait_s=12.0, pre_s=0.0, post_s=0.0,
                                                           final_gap_s=0.5))
    utterance(t, 1.0, 3.0)
    assert t.job() is None  # waits to be packed with more
    t.feed(seconds(1.0))
    t.speech_started(4.5)
    t.turn_taken()  # the rep talks over the buyer (a backchannel): the buyer's turn goes on
    t.feed(seconds(8.5))
    assert t.job() is None
    t.speech_ended(13.0)
    t.feed(seconds(0.3))
    t.turn_taken()  # the buyer stopped and the rep answers
    t.feed(seconds(0.3))
    peek = t.job()
    assert peek is not None and peek.kind == "peek" and not peek.pieces
    assert (peek.start, peek.end) == (5.0, 13.0)  # the last 8 s of the last utterance
    said = t.deliver(peek, heard((" Which", 0.1, 0.5), (" plan?", 0.5, 1.0)))
    assert [(s.text, s.final, s.start) for s in said] == [("Which plan?", False, 5.1)]
    assert t.job() is None  # once heard, the utterances wait to be packed as before
    t.turn_taken()
    assert t.job() is None  # and the same words are not heard first twice
    t.feed(seconds(12.0))
    final = t.job()
    assert final is not None and final.kind == "final" and final.pieces == ((1.0, 2.0), (4.5, 8.5))


def test_a_peek_waits_for_the_utterance_the_turn_was_taken_after_even_when_the_answer_overlaps_it() -> None:
    t = StreamingTranscriber("prospect", StreamingSettings(partials=False, finals="packed", batch_s=20.0,
                                                           batch_wait_s=12.0, pre_s=0.0, post_s=0.0,
                                                           final_gap_s=0.5))
    utterance(t, 1.0, 3.0)
    assert t.job() is None  # an older utterance waits to be packed
    t.feed(seconds(0.4))
    t.speech_started(4.0)
    t.feed(seconds(2.0))
    t.turn_taken()  # the rep answers a moment before the buyer's question has ended
    t.speech_ended(6.2)
    assert t.job() is None  # the question is still open: the older utterance is not the one to hear
    t.feed(seconds(0.8))
    peek = t.job()
    assert peek is not None and peek.kind == "peek" and (peek.start, peek.end) == (4.0, 6.2)


def test_with_revise_a_final_comes_at_once_and_a_packed_revision_replaces_it_once_the_rep_is_silent() -> None:
    t = StreamingTranscriber("rep", StreamingSettings(finals="revised", batch_s=20.0, batch_wait_s=3.0, pre_s=0.0,
                                                      post_s=0.0, final_gap_s=0.5, settle_s=0.0))
    t.speech_started(1.0)
    t.feed(seconds(1.0))
    t.feed(seconds(1.0))
    t.speech_ended(2.0)
    t.feed(seconds(0.6))
    job = t.job(allow_partial=False)
    assert job is not None and job.kind == "final" and not job.pieces
    (fast,) = t.deliver(job, heard((" Next", 0.1, 0.4), (" step.", 0.4, 0.8)))
    assert fast.final and fast.replaces is None and fast.text == "Next step." and abs(fast.start - 1.1) < 1e-6
    t.speech_started(2.6)
    t.feed(seconds(3.4))  # speaking again past batch_wait_s: the revision waits, partials go on
    partial = t.job()
    assert partial is not None and partial.kind == "partial"
    t.deliver(partial, [])
    t.speech_ended(6.0)
    t.feed(seconds(0.6))
    final = t.job()
    assert final is not None and final.kind == "final" and not final.pieces
    t.deliver(final, [])  # nothing heard: nothing to revise either
    revision = t.job()
    assert revision is not None and revision.kind == "final" and len(revision.pieces) == 1
    (better,) = t.deliver(revision, heard((" The", 0.1, 0.3), (" next", 0.3, 0.6), (" step.", 0.6, 0.9)))
    assert better.text == "The next step." and better.replaces == (1.0, 2.0)
    assert fast.replaced_by(better) and abs(better.start - 1.1) < 1e-6
    assert t.finish() is None


def test_a_closed_stretch_longer_than_a_window_is_decoded_in_parts_not_cut_off() -> None:
    t = StreamingTranscriber("prospect", StreamingSettings(partials=False, finals="packed", batch_s=20.0, pre_s=0.0,
                                                           post_s=0.0))
    t.speech_started(0.0)
    t.feed(seconds(40.0))
    t.speech_ended(40.0)
    t.feed(seconds(1.0))
    first = t.job()
    assert first is not None and first.pieces == ((0.0, 28.0),)
    t.deliver(first, [])
    second = t.finish() or t.job()
    assert second is not None and second.pieces == ((28.0, 12.0),)


def test_the_last_word_of_an_utterance_stays_with_it_though_alignment_stretches_it_past_the_join() -> None:
    # The sample call, live: the buyer's two closed utterances packed (88.57-92.90 and 98.13-100.10 s) and
    # the words tiny.en aligned in them. "do" and its "?" run 0.5 s past the join.
    t = StreamingTranscriber("prospect", StreamingSettings(partials=False, finals="packed", batch_wait_s=8.0,
                                                           pre_s=0.0, post_s=0.0))
    for start, end in ((88.57, 92.90), (98.13, 100.10)):
        utterance(t, start, end)
        assert t.job() is None
    t.feed(seconds(4.0))
    job = t.job()
    assert job is not None and len(job.pieces) == 2 and abs(job.pieces[0][1] - 4.33) < 1e-3
    said = heard((" I", 0.0, 0.62), (" appreciate", 0.62, 1.02), (" that", 1.02, 1.58), (".", 1.58, 1.96),
                 (" What", 1.96, 2.14), (" would", 2.14, 2.44), (" the", 2.44, 2.56), (" lead", 2.56, 2.76),
                 (" make", 2.76, 3.06), (" truly", 3.06, 3.36), (" need", 3.36, 3.7), (" to", 3.7, 3.94),
                 (" do", 3.94, 4.4), ("?", 4.4, 4.86), (" That", 4.86, 5.0), (" sounds", 5.0, 5.42),
                 (" manageable", 5.42, 5.86), (".", 5.86, 6.304))
    first, second = t.deliver(job, said)
    assert first.text == "I appreciate that. What would the lead make truly need to do?"
    assert second.text == "That sounds manageable."
    assert first.end <= 92.90 + 1e-6 < 98.13 <= second.start  # "do?" kept its own time, not the next one's


def test_a_revision_of_a_long_turn_cut_while_it_went_on_is_cut_where_its_sentences_end() -> None:
    t = StreamingTranscriber("rep", replace(SETTINGS, finals="revised", batch_wait_s=2.0))
    # 18 s without a pause: cut after "delta." once past 8 s, then inside the next sentence once past 12 s more.
    words = [(f" {NATO[i]}{'.' if i in (3, 34) else ''}", 0.5 + 0.5 * i, 0.9 + 0.5 * i) for i in range(35)]
    out = call(t, [(0.3, 18.0)], words, until=22.0)
    fast = [s for s in out if s.final and s.replaces is None]
    assert len(fast) >= 3, "the turn should have been cut twice while it went on"
    assert not fast[1].text.endswith(".")  # the cut past 12 s fell inside a sentence
    revisions = [s for s in out if s.replaces is not None]
    assert [s.text for s in revisions] == ["alpha bravo charlie delta.", " ".join(NATO[4:34]) + " " + NATO[34] + "."]
    # Every fast final gives way to one revision, and no revision to another.
    assert all(sum(s.replaced_by(r) for r in revisions) == 1 for s in fast)
    assert not any(a.replaced_by(b) for a in revisions for b in revisions if a is not b)


def test_a_long_turn_cut_while_it_went_on_waits_for_a_window_of_its_own_rather_than_be_split() -> None:
    t = StreamingTranscriber("rep", replace(SETTINGS, finals="revised", batch_wait_s=2.0))
    # 1.7 s and 27.5 s of audio: together more than one window holds, the pitch alone not. The pitch is one
    # sentence, so it is cut while it goes on only every 12 s, inside it.
    hello = [(" Hi", 0.4, 0.8), (" there.", 0.9, 1.4)]
    pitch = [(f" {NATO[i]}{'.' if i == 49 else ''}", 3.0 + 0.52 * i, 3.4 + 0.52 * i) for i in range(50)]
    out = call(t, [(0.3, 1.5), (2.8, 29.8)], hello + pitch, until=36.0)
    revisions = [s for s in out if s.replaces is not None]
    assert [s.text for s in revisions] == ["Hi there.", "".join(w for w, _, _ in pitch).strip()]


def test_a_long_turn_split_between_two_windows_is_split_where_a_sentence_ends() -> None:
    # CI met this on the sample call: a turn without a pause longer than one window, cut live inside a
    # sentence, was revised window by window, and the store read "…and the coaching gets more", then
    # "consistent, because…". The sentence a window ends in waits for the next window, heard with its rest.
    t = StreamingTranscriber("rep", replace(SETTINGS, finals="revised", batch_wait_s=2.0))
    ends = (3, 25, 55, 79)  # sentences of 2 to 15 s; the first window ends inside the third
    words = [(f" {NATO[i % len(NATO)]}{i // len(NATO) or ''}{'.' if i in ends else ''}", 0.5 + 0.5 * i,
              0.9 + 0.5 * i) for i in range(80)]
    out = call(t, [(0.3, 40.4)], words, until=46.0)
    fast = [s for s in out if s.final and s.replaces is None]
    assert len(fast) >= 4 and not all(s.text.endswith(".") for s in fast)  # cut live inside sentences
    revisions = [s for s in out if s.replaces is not None]
    said = [w.strip() for w, _, _ in words]
    sentences = [" ".join(said[a + 1:b + 1]) for a, b in zip((-1, *ends[:-1]), ends, strict=True)]
    assert [s.text for s in revisions] == sentences
    assert all(sum(s.replaced_by(r) for r in revisions) == 1 for s in fast)
    assert not any(a.replaced_by(b) for a in revisions for b in revisions if a is not b)


def test_a_revision_that_missed_most_of_a_stretch_leaves_the_finals_sent_there_standing() -> None:
    # tiny.en, on the pitch call: a revision window's first 8.5 s ("Most of our customers tell us … simply
    # stops. The next") came back as "The next", and replaced the sentence the finals had heard.
    t = StreamingTranscriber("rep", StreamingSettings(finals="revised", batch_s=20.0, batch_wait_s=3.0, pre_s=0.0,
                                                      post_s=0.0, final_gap_s=0.5, settle_s=0.0, partials=False))
    sent = []
    for start, end in ((1.0, 9.5), (10.5, 14.5)):
        utterance(t, start, end)
        job = t.job()
        assert job is not None and not job.pieces
        length = end - start
        sent += t.deliver(job, heard(*[(f" {NATO[i]}", 0.4 * i, 0.4 * i + 0.3) for i in range(int(length / 0.4))]))
    t.feed(seconds(3.0))
    revision = t.job()
    assert revision is not None and [round(d, 1) for _, d in revision.pieces] == [8.5, 4.0]
    # Only "The next" in the first piece; the second heard whole.
    rest = [(f" {NATO[i]}", 8.5 + 0.4 * i, 8.8 + 0.4 * i) for i in range(10)]
    said = [(" The", 0.0, 0.3), (" next", 8.0, 8.5), *rest]
    (kept,) = t.deliver(revision, heard(*said))
    assert kept.replaces == (10.5, 14.5) and kept.text.startswith("alpha")
    assert [s.replaced_by(kept) for s in sent] == [False, True]  # the first final stands
