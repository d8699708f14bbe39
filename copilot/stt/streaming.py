"""Live speech to text for one channel: utterances, partial guesses, and text that never changes once said.

Push-only and free of threads and models, in the spirit of whisper_streaming's
``OnlineASRProcessor``: audio goes in with :meth:`feed`, voice activity with
:meth:`speech_started` / :meth:`speech_ended`; :meth:`job` says what Whisper should hear
next (or nothing: Whisper is never run on silence) and :meth:`deliver` turns what it heard
into :class:`Segment` events.

- An **utterance** is the speech between pauses of at least ``final_gap_s``; its **final**
  segment is asked for as soon as the pause is long enough.
- While the speaker is still talking, a **partial** is asked for every ``partial_every_s``
  of new speech, so a directive phrase in the middle of a long turn is seen before the turn
  ends. Words two partials in a row agree on, once ``settle_s`` of audio follows them, are
  **committed** (LocalAgreement-2); a committed word is never taken back. Whisper hears
  the committed words again at the start of each window; they are matched by text.
- Once an utterance is longer than ``trim_after_s``, its committed whole sentences are
  sent as a final segment and cut off (past ``max_utterance_s``, every committed word), so
  the audio Whisper hears stays short and is cut where the speaker paused for a full stop.
- With ``finals="packed"`` or ``"revised"`` closed utterances are decoded **packed**
  together, as the offline analysis does (Whisper hears a lone short utterance worse): the
  only final, or a **revision** of the finals already sent (``Segment.replaces``):
  committed text is never taken back live, but the stored transcript is the better one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt

from copilot.core.events import Segment, Speaker, Stretch, Word
from copilot.core.facts import SAMPLE_RATE
from copilot.stt.agreement import Agreement
from copilot.stt.cleanup import heard_words, without_repeats
from copilot.stt.engine import RawSegment
from copilot.stt.spans import plan_windows

__all__ = ["Job", "StreamingSettings", "StreamingTranscriber", "AudioTail"]

JobKind = Literal["partial", "final", "peek"]
"""``peek``: a first hearing of a packed channel's last closed utterance, sent as a partial (``turn_taken``)."""
Finals = Literal["at_once", "packed", "revised"]
"""How an utterance's final text is heard:

- ``at_once``: decoded on its own as soon as the speaker pauses;
- ``packed``: closed utterances wait and are decoded packed together, as the offline
  analysis does (Whisper hears a lone short utterance worse); that is the only final;
- ``revised``: at once, and later packed again with its neighbours as a revision
  (``Segment.replaces``). The packed decoding runs only while the speaker is silent, so it
  never holds up a partial of theirs.
"""

# A revision is a second hearing, meant to be better: one that heard fewer than this many words a
# second over a stretch of the speaker's speech this long missed most of it (tiny.en can skip the
# first seconds of a window: the pitch call's "Most of our customers tell us … simply stops. The
# next", 8.5 s, came back as "The next"), and the finals sent there stand. Speech runs 2-3 words a
# second.
_REVISION_MIN_WORDS_PER_S = 0.6
PEEK_S = 8.0
"""How much of a packed channel's last closed utterance a peek hears: its end, where a question sits."""
PEEK_LATE_S = 1.5
"""A peek is due only for an utterance that ended at most this long after the other side took the turn."""
_REVISION_CHECKED_FROM_S = 3.0


@dataclass(frozen=True)
class StreamingSettings:
    """When to ask Whisper for what, on one channel."""

    partial_every_s: float = 0.6  # new speech between two partial guesses
    pre_s: float = 0.3  # audio kept before the VAD's speech start
    post_s: float = 0.2  # audio kept after the VAD's speech end
    final_gap_s: float = 0.5  # a pause this long ends the utterance (shorter ones stay inside)
    settle_s: float = 1.0  # a word is not committed before this much audio follows it
    trim_after_s: float = 8.0  # past this, committed whole sentences are finalised and cut off
    max_utterance_s: float = 12.0  # past this, all committed words are finalised and cut off
    tail_s: float = 60.0  # audio kept in memory per channel
    partials: bool = True  # guesses while talking (the prospect's are not needed for coaching)
    # A partial hears only the audio from the last committed word on (from resume_lead_s
    # before it), with the committed words before it as Whisper's context, instead of the
    # whole open utterance.
    resume_partials: bool = False
    resume_lead_s: float = 0.1
    finals: Finals = "at_once"
    # "packed" and "revised" pack closed utterances up to this much audio, or until the
    # oldest has waited batch_wait_s.
    batch_s: float = 20.0
    batch_wait_s: float = 12.0


@dataclass(frozen=True)
class Job:
    """Audio for Whisper to hear: ``audio[0]`` is at ``start`` on the call clock."""

    speaker: Speaker
    kind: JobKind
    utterance: int
    start: float
    audio: npt.NDArray[np.float32] = field(repr=False)
    # A batch of closed utterances packed end to end: (call start, seconds) of each piece.
    pieces: tuple[tuple[float, float], ...] = ()
    # What was said just before the audio (a resumed partial): Whisper's context, not heard again.
    context: str = ""

    @property
    def end(self) -> float:
        """Call time of the end of the audio."""
        if self.pieces:
            return self.pieces[-1][0] + self.pieces[-1][1]
        return self.start + len(self.audio) / SAMPLE_RATE


class AudioTail:
    """The last ``seconds`` of one channel, addressable by call time (a ring: writing never moves old audio)."""

    def __init__(self, seconds: float) -> None:
        self.data = np.zeros(int(seconds * SAMPLE_RATE), dtype=np.float32)
        self.total = 0  # samples ever written; sample k lives at data[k % capacity]

    @property
    def end(self) -> float:
        """Call time of the newest sample."""
        return self.total / SAMPLE_RATE

    def write(self, samples: npt.NDArray[np.float32]) -> None:
        """Append samples, overwriting the oldest beyond capacity."""
        cap = len(self.data)
        keep = samples[-cap:]
        at = (self.total + len(samples) - len(keep)) % cap
        first = min(len(keep), cap - at)
        self.data[at : at + first] = keep[:first]
        self.data[: len(keep) - first] = keep[first:]
        self.total += len(samples)

    def read(self, start: float, end: float) -> tuple[float, npt.NDArray[np.float32]]:
        """A copy of the audio between two call times, clipped to what is kept, with its real start."""
        cap = len(self.data)
        a = max(round(start * SAMPLE_RATE), self.total - cap, 0)
        b = min(round(end * SAMPLE_RATE), self.total)
        if b <= a:
            return a / SAMPLE_RATE, np.zeros(0, dtype=np.float32)
        i, j = a % cap, (b - 1) % cap + 1
        out = self.data[i:j].copy() if i < j else np.concatenate([self.data[i:], self.data[:j]])
        return a / SAMPLE_RATE, out


class StreamingTranscriber:
    """One channel's live transcript, driven by audio, voice activity and Whisper's answers."""

    def __init__(self, speaker: Speaker, settings: StreamingSettings | None = None) -> None:
        self.speaker = speaker
        self.settings = settings or StreamingSettings()
        self.tail = AudioTail(self.settings.tail_s)
        self._utterance = 0
        self._start: float | None = None  # call time the open utterance's audio starts
        self._speaking = False
        self._last_speech_end = 0.0  # end of the latest VAD span (plus post_s)
        self._partial_at = 0.0  # audio end of the last partial asked for
        self._words = Agreement()  # the open utterance's words, committed and still guessed
        self._in_flight: Job | None = None
        self._next_start: float | None = None  # speech that began while a final was being decoded
        self._closed: list[tuple[float, float]] = []  # closed utterances waiting for a packed final
        self._peek_at: float | None = None  # when the other side took the turn (a peek may be due)
        self._peeked_to = 0.0  # the end of the last utterance so heard (never heard twice)

    # ---- inputs ------------------------------------------------------------------

    def feed(self, samples: npt.NDArray[np.float32]) -> None:
        """The next audio of this channel."""
        self.tail.write(samples)

    def speech_started(self, t: float) -> None:
        """The VAD heard this speaker start at ``t``."""
        self._speaking = True
        if self._in_flight is not None and self._in_flight.kind == "final" and not self._in_flight.pieces:
            self._next_start = t
            return
        if self._start is None:
            self._utterance += 1
            self._start = max(t - self.settings.pre_s, 0.0)
            self._partial_at = t
            self._words = Agreement()

    def speech_ended(self, end: float) -> None:
        """The VAD closed a span of this speaker at ``end``."""
        self._speaking = False
        self._last_speech_end = end + self.settings.post_s

    def turn_taken(self) -> None:
        """The other side started talking. On a channel whose finals wait to be packed, a first hearing of
        this side's last utterance (its last :data:`PEEK_S` at most) is due as soon as that utterance has
        closed, as a partial: the coach must know the buyer's "Which plan would you pick?" before it judges
        the rep's answer, and the packed final, the better hearing, still comes as before. Not when this
        side talks on for more than :data:`PEEK_LATE_S` (the other side's words were a backchannel)."""
        if self.settings.finals == "packed":
            self._peek_at = self.tail.end

    # ---- what Whisper should hear next ---------------------------------------------

    def final_due(self) -> bool:
        """True when the open utterance has ended (a long enough pause) and is not being decoded."""
        return (self._start is not None and not self._speaking and self._in_flight is None
                and self.tail.end >= self._last_speech_end + self.settings.final_gap_s - self.settings.post_s - 1e-6)

    def partial_due(self) -> float:
        """Seconds of new speech since the last partial (0 when none is wanted)."""
        if not self.settings.partials or self._start is None or not self._speaking or self._in_flight is not None:
            return 0.0
        new = self.tail.end - self._partial_at
        return new if new >= self.settings.partial_every_s - 1e-6 else 0.0

    def job(self, allow_partial: bool = True) -> Job | None:
        """The next audio Whisper should hear on this channel, if any."""
        if self._in_flight is not None:
            return None
        if self.settings.finals == "packed" and self.final_due():
            assert self._start is not None
            self._closed.append((self._start, self._last_speech_end))
            self._start = None
        if self._closed and not (self.settings.finals == "revised" and self._start is not None) and (
                sum(b - a for a, b in self._closed) >= self.settings.batch_s
                or self.tail.end - self._closed[0][1] >= self.settings.batch_wait_s):
            return self._batch_job()
        if self._peek_at is not None and self._start is None:
            peek_at, self._peek_at = self._peek_at, None
            if self._closed and peek_at + PEEK_LATE_S >= self._closed[-1][1] > self._peeked_to:
                a, b = self._closed[-1]
                self._peeked_to = b
                peek = Job(self.speaker, "peek", -1, *self.tail.read(max(a, b - PEEK_S), b))
                self._in_flight = peek
                return peek
        if self._start is None:
            return None
        if self.final_due():
            job = self._final_job(self._last_speech_end)
        elif allow_partial and self.partial_due():
            self._partial_at = self.tail.end
            job = self._partial_job()
        else:
            return None
        self._in_flight = job
        return job

    def finish(self) -> Job | None:
        """The channel ended: the final job for whatever is still open (call until it returns None)."""
        if self._in_flight is not None:
            return None
        if self.settings.finals == "packed" and self._start is not None:
            end = min(self._last_speech_end, self.tail.end) if self._last_speech_end > self._start else self.tail.end
            self._closed.append((self._start, end))
            self._start = None
        if self._start is None:
            return self._batch_job() if self._closed else None
        self._speaking = False
        self._last_speech_end = min(self._last_speech_end, self.tail.end) if self._last_speech_end else self.tail.end
        self._last_speech_end = max(self._last_speech_end, self._start)
        job = self._final_job(self.tail.end)
        self._in_flight = job
        return job

    def _batch_job(self) -> Job:
        """Closed utterances packed end to end, as many as fill one window (a longer one in parts);
        the rest wait for the next."""
        windows = plan_windows([Stretch(self.speaker, a, b) for a, b in self._closed], self.tail.end, pad_s=0.0)
        first, rest = windows[0], [p for w in windows[1:] for p in w]
        if rest and _follows_on(first[-1].end, rest[0].start):
            # A long turn cut while it went on is one utterance: it waits for the next window whole
            # rather than be split between two (unless it alone fills this one).
            j = len(first) - 1
            while j > 0 and _follows_on(first[j - 1].end, first[j].start):
                j -= 1
            if j > 0:
                first, rest = first[:j], first[j:] + rest
        self._closed = [(p.start, p.end) for p in rest]
        pieces: list[tuple[float, float]] = []
        chunks: list[npt.NDArray[np.float32]] = []
        for p in first:
            start, audio = self.tail.read(p.start, p.end)
            pieces.append((start, len(audio) / SAMPLE_RATE))
            chunks.append(audio)
        job = Job(self.speaker, "final", -1, pieces[0][0], np.concatenate(chunks), tuple(pieces))
        self._in_flight = job
        return job

    def _partial_job(self) -> Job:
        """The open utterance so far; resumed, only what came after its committed words."""
        assert self._start is not None
        committed = self._words.committed
        if not (self.settings.resume_partials and committed):
            return Job(self.speaker, "partial", self._utterance, *self.tail.read(self._start, self.tail.end))
        start = max(self._start, committed[-1].start - self.settings.resume_lead_s)
        context = "".join(w.text for w in committed[:-1]).strip()
        return Job(self.speaker, "partial", self._utterance, *self.tail.read(start, self.tail.end), context=context)

    def _final_job(self, end: float) -> Job:
        """The whole open utterance up to ``end``."""
        assert self._start is not None
        return Job(self.speaker, "final", self._utterance, *self.tail.read(self._start, end))

    # ---- what Whisper heard ---------------------------------------------------------

    def deliver(self, job: Job, heard: Sequence[RawSegment]) -> list[Segment]:
        """Whisper's answer for ``job``: the segments to show (finals and partials)."""
        self._in_flight = None
        if job.pieces:
            return self._unpack(job, heard)
        words = _clean_words(heard, job.start)
        if job.kind == "peek":
            return [self._segment(words, final=False)] if words else []
        if job.kind == "final":
            return self._finalise(job, words)
        if job.utterance != self._utterance or self._start is None:
            return []  # the utterance was finalised meanwhile: the guess is stale
        # A word is committed once it also ended settle_s before the end of the audio: with no
        # speech after it yet, Whisper often hears it wrong twice. No agreement for too long:
        # all but the last two words are committed, to keep the audio bounded.
        self._words.offer(words, settled_until=job.end - self.settings.settle_s,
                          force=job.end - self._start > 2 * self.settings.max_utterance_s, resumed=bool(job.context))
        committed = self._words.committed
        out: list[Segment] = []
        length = job.end - self._start
        ends = [i for i, w in enumerate(committed) if w.text.rstrip().endswith((".", "?", "!"))]
        cut = (len(committed) if length > self.settings.max_utterance_s
               else ends[-1] + 1 if ends and length > self.settings.trim_after_s else 0)
        if cut:
            sent = self._words.take(cut)
            out.append(self._segment(sent, final=True))
            if self.settings.finals == "revised":
                self._closed.append((self._start, sent[-1].end))
            self._start = sent[-1].end
        shown = self._words.shown
        if shown:
            out.append(self._segment(shown, final=False))
        return out

    def _finalise(self, job: Job, words: list[Word]) -> list[Segment]:
        all_words = self._words.complete(words)
        if self.settings.finals == "revised" and all_words:
            self._closed.append((job.start, job.end))
        self._start = None
        self._words = Agreement()
        if self._next_start is not None:
            # Speech began while the final was decoded (and may have ended too: then it stays ended).
            t, self._next_start = self._next_start, None
            speaking = self._speaking
            self.speech_started(t)
            self._speaking = speaking
        return [self._segment(all_words, final=True)] if all_words else []

    def _unpack(self, job: Job, heard: Sequence[RawSegment]) -> list[Segment]:
        """A packed final: each word back to its utterance and call time; one segment per utterance.

        A word belongs to the piece its start lies in. Alignment stretches the last word of an
        utterance, with its full stop, over the pause after it and often past the join, so by its
        middle "…your whole team next week." lost "week." to the rep's next utterance, after the
        buyer's answer (the sample call: the last word before a join starts 0.26–0.70 s before
        it, the first word after it 0.35–0.66 s after). Pieces that follow on without a pause (a
        long turn cut while it went on) are cut where a sentence ends: a sentence going on over
        the join stays with its start. A turn that goes on past the window into the next one
        leaves the sentence it was in when the window ended to be heard whole with the next window.
        When revising, each segment replaces what was sent before for its part of the call, unless it
        heard too few words for it (:func:`_missed_most`): then what was sent there stands."""
        pieces = job.pieces
        offsets = np.cumsum([0.0] + [d for _, d in pieces[:-1]])
        run = [0] * len(pieces)  # the first piece of the stretch without a pause each piece is part of
        for k in range(1, len(pieces)):
            run[k] = run[k - 1] if _follows_on(pieces[k - 1][0] + pieces[k - 1][1], pieces[k][0]) else k
        run_end = {r: pieces[k][0] + pieces[k][1] for k, r in enumerate(run)}
        placed: list[tuple[int, Word]] = []  # (piece, word on the call clock)
        for w in _clean_words(heard, 0.0):
            k = max(0, int(np.searchsorted(offsets, w.start, side="right")) - 1)
            shift, end = pieces[k][0] - offsets[k], run_end[run[k]]
            placed.append((k, Word(w.text, min(w.start + shift, end), min(w.end + shift, end))))
        groups = _utterances(placed, run)
        if placed and placed[-1][0] == len(pieces) - 1 and self._closed and _follows_on(job.end, self._closed[0][0]):
            # The turn goes on in the next window: the sentence this one ends in waits to be heard whole there.
            groups, held = _without_unfinished_sentence(placed, groups)
            if held:
                self._closed.insert(0, (_part_of_call(placed, held, pieces)[0], job.end))
        if self.settings.finals != "revised":
            return [self._segment([placed[i][1] for i in g], final=True) for g in groups]
        revised = [(g, _part_of_call(placed, g, pieces)) for g in groups]
        return [self._segment([placed[i][1] for i in g], final=True, replaces=(lo, hi))
                for g, (lo, hi) in revised if not _missed_most(len(g), hi - lo)]

    def _segment(self, words: list[Word], final: bool, replaces: tuple[float, float] | None = None) -> Segment:
        text = "".join(w.text for w in words).strip()
        return Segment(self.speaker, words[0].start, words[-1].end, text, final, tuple(words), replaces)


def _utterances(placed: list[tuple[int, Word]], run: list[int]) -> list[list[int]]:
    """The words of a packed window (with the piece each was heard in) as segments: one per piece, except
    that a sentence going on over a join without a pause (``run``: the first piece of each piece's
    stretch) stays whole with its start."""
    groups: list[list[int]] = []
    carry = False  # the words finish a sentence begun before a join without a pause
    for i, (k, _) in enumerate(placed):
        before, said = placed[i - 1] if i else (-1, None)
        if said is None:
            new = True
        elif k != before:  # the first word of a piece
            carry = run[k] == run[before] and not _ends_sentence(said.text)
            new = not carry
        else:  # the rest of a piece: a new segment once the sentence carried over it has ended
            new = carry and _ends_sentence(said.text)
            carry = carry and not new
        if new:
            groups.append([])
        groups[-1].append(i)
    return groups


def _without_unfinished_sentence(placed: list[tuple[int, Word]],
                                 groups: list[list[int]]) -> tuple[list[list[int]], list[int]]:
    """A window's segments without the words after its last full stop, and those words (none when the window
    ends a sentence, or holds no full stop at all: a turn with no full stop in a whole window is sent as heard)."""
    ends = [j for j, i in enumerate(groups[-1]) if _ends_sentence(placed[i][1].text)] if groups else []
    last = ends[-1] + 1 if ends else 0
    if not groups or last == len(groups[-1]) or (last == 0 and len(groups) == 1):
        return groups, []
    kept, held = groups[-1][:last], groups[-1][last:]
    return groups[:-1] + ([kept] if kept else []), held


def _part_of_call(placed: list[tuple[int, Word]], group: list[int],
                  pieces: tuple[tuple[float, float], ...]) -> tuple[float, float]:
    """The stretch of the call a revised segment stands for: from the start of the piece it begins
    (or from its first word, inside a piece) to the end of the piece it ends (or the next segment's first
    word). The segments of a window share no part, so none replaces another."""
    (k0, first), (k1, _) = placed[group[0]], placed[group[-1]]
    before, after = group[0] - 1, group[-1] + 1
    lo = pieces[k0][0] if before < 0 or placed[before][0] != k0 else first.start
    hi = pieces[k1][0] + pieces[k1][1] if after == len(placed) or placed[after][0] != k1 else placed[after][1].start
    return lo, hi


def _missed_most(words: int, seconds: float) -> bool:
    """A revised segment with too few words for the stretch of speech it would replace."""
    return seconds >= _REVISION_CHECKED_FROM_S and words < _REVISION_MIN_WORDS_PER_S * seconds


def _ends_sentence(text: str) -> bool:
    return text.rstrip().endswith((".", "?", "!"))


def _follows_on(end: float, start: float) -> bool:
    """Two stretches of a channel's audio meet (a turn cut while it went on), a sample or two aside."""
    return abs(start - end) < 0.01


def _clean_words(heard: Sequence[RawSegment], offset: float) -> list[Word]:
    """Whisper's words on the call clock, without hallucinations or repetition loops."""
    return without_repeats([Word(w.text, w.start + offset, w.end + offset) for w in heard_words(heard)])
