"""Known Whisper failure modes on near-silence, removed before anyone sees them.

Whisper was trained on subtitles, so a cough or room noise can come out as "Thank you."
or "Thanks for watching!", and a decode can get stuck repeating a phrase. These checks
are plain text rules, testable without a model.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from copilot.core.events import Word

if TYPE_CHECKING:
    from copilot.stt.engine import RawSegment

__all__ = ["is_hallucination", "collapse_repeats", "HALLUCINATIONS", "heard_words", "without_repeats"]

# Phrases Whisper invents from silence or noise (the subtitle-credit family).
HALLUCINATIONS = frozenset({
    "thank you", "thank you very much", "thanks", "thanks for watching", "thank you for watching",
    "thanks for watching and see you next time", "please subscribe", "subscribe", "like and subscribe",
    "bye", "bye bye", "you", "oh", "so", "um", "uh", "hmm", "the end", "music", "applause", "silence",
    "subtitles by the amara org community", "transcription by castingwords", "i'll see you next time",
    "see you next time", "okay", "ok",
})
_WORDS = re.compile(r"[a-z']+")


def _norm(text: str) -> str:
    return " ".join(_WORDS.findall(text.lower().replace("’", "'")))


def is_hallucination(text: str, avg_logprob: float, no_speech_prob: float) -> bool:
    """True for a stock subtitle phrase the model was not sure of, or for text with no words."""
    norm = _norm(text)
    if not norm:
        return True
    if norm in HALLUCINATIONS:
        return avg_logprob < -0.6 or no_speech_prob > 0.4
    return no_speech_prob > 0.8 and avg_logprob < -1.0


def collapse_repeats(words: list[str], max_repeats: int = 2) -> list[int]:
    """Indexes of the words to keep once a run of the same phrase (up to 40 words) repeats too often.

    ``words`` are the word texts in order; a phrase said more than ``max_repeats`` times in a
    row keeps only its first ``max_repeats`` occurrences ("no, no" stays; a loop does not).
    A phrase of four words or more is kept once: people do not repeat a whole clause word
    for word, but a small model filling a padded window does.
    """
    norm = [_norm(w) for w in words]
    keep = list(range(len(words)))
    for n in range(1, 41):
        out: list[int] = []
        i = 0
        while i < len(keep):
            phrase = [norm[k] for k in keep[i : i + n]]
            reps = 1
            while len(phrase) == n and [norm[k] for k in keep[i + reps * n : i + (reps + 1) * n]] == phrase:
                reps += 1
            limit = max_repeats if n < 4 else 1
            if reps > limit and any(phrase):
                out.extend(keep[i : i + limit * n])
                i += reps * n
            else:
                out.append(keep[i])
                i += 1
        keep = out
    return keep


def heard_words(heard: Sequence[RawSegment]) -> list[Word]:
    """The words of Whisper's segments, leaving out the segments that are hallucinations.

    A lone punctuation mark ("?" aligned as a word of its own) joins the word before it.
    """
    out: list[Word] = []
    for seg in heard:
        if is_hallucination(seg.text, seg.avg_logprob, seg.no_speech_prob):
            continue
        for w in seg.words:
            if out and not any(ch.isalnum() for ch in w.text):
                out[-1] = Word(out[-1].text + w.text.strip(), out[-1].start, max(out[-1].end, w.end))
            else:
                out.append(w)
    return out


def without_repeats(words: Sequence[Word]) -> list[Word]:
    """``words`` with repetition loops cut (see :func:`collapse_repeats`)."""
    return [words[i] for i in collapse_repeats([w.text for w in words])]
