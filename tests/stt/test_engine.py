"""Short live windows: what is left after Whisper stops early is decoded again, echoes are not kept."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from copilot.core.events import Word
from copilot.stt.engine import RawSegment, decode_with_rest

RATE = 16_000


def seg(*words: tuple[str, float, float]) -> RawSegment:
    ws = tuple(Word(w, a, b) for w, a, b in words)
    return RawSegment(0.0, ws[-1].end, "".join(w.text for w in ws), -0.2, 0.01, ws)


class Stops:
    """A decoder that hears only the first sentence of what it is given, like tiny.en in a short window."""

    def __init__(self, answers: list[RawSegment | None]) -> None:
        self.answers = answers
        self.lengths: list[float] = []
        self.contexts: list[str] = []

    def __call__(self, audio: npt.NDArray[np.float32], context: str) -> RawSegment | None:
        self.lengths.append(len(audio) / RATE)
        self.contexts.append(context)
        return self.answers.pop(0) if self.answers else None


def test_the_rest_after_an_early_full_stop_is_decoded_and_placed_after_it() -> None:
    decode = Stops([seg((" who", 2.5, 2.7), (" needs", 2.7, 2.9), (" a", 2.9, 3.1), (" nudge.", 3.1, 4.5)),
                    seg((" Firms", 0.1, 0.4), (" usually", 0.4, 0.8), (" see", 0.8, 1.0), (" clicks", 1.0, 3.0))])
    out = decode_with_rest(decode, np.zeros(int(7.8 * RATE), dtype=np.float32), "For the rep")
    assert [s.text for s in out] == [" who needs a nudge.", " Firms usually see clicks"]
    # Each decode has what was said before its audio as context.
    assert decode.contexts[:2] == ["For the rep", "For the rep who needs a nudge."]
    # The stretched full stop may not hide the words after it: the rest starts 0.5 s into "nudge."
    assert abs(decode.lengths[1] - (7.8 - 3.6)) < 1e-3
    assert abs(out[1].words[0].start - 3.7) < 1e-6


def test_a_window_heard_to_its_end_is_decoded_once() -> None:
    decode = Stops([seg((" Not", 0.1, 0.4), (" yet.", 0.4, 1.5)), seg((" Not", 0.1, 0.4))])
    out = decode_with_rest(decode, np.zeros(int(2.0 * RATE), dtype=np.float32))
    assert [s.text for s in out] == [" Not yet."] and len(decode.lengths) == 1


def test_a_rest_that_echoes_what_was_heard_is_dropped() -> None:
    decode = Stops([seg((" How", 0.0, 0.3), (" many", 0.3, 0.6), (" calls?", 0.6, 1.0)),
                    seg((" How", 0.0, 0.3), (" many", 0.3, 0.6), (" calls?", 0.6, 1.0))])
    out = decode_with_rest(decode, np.zeros(int(4.0 * RATE), dtype=np.float32))
    assert [s.text for s in out] == [" How many calls?"]
