"""The commit state of one utterance, for guesses that heard only the audio after the committed words."""

from __future__ import annotations

from copilot.core.events import Word
from copilot.stt.agreement import Agreement


def words(*ws: tuple[str, float, float]) -> list[Word]:
    return [Word(w, a, b) for w, a, b in ws]


def committed(*ws: tuple[str, float, float]) -> Agreement:
    a = Agreement()
    for _ in range(2):
        a.offer(words(*ws), settled_until=99.0)
    assert [w.text for w in a.committed] == [w for w, _, _ in ws]
    return a


def test_a_resumed_guess_drops_the_last_committed_word_it_hears_again_and_a_fragment_before_it() -> None:
    a = committed((" in", 0.0, 0.2), (" your", 0.2, 0.5), (" position", 0.5, 1.0))
    # The window began inside "your": Whisper made "and" of its end, then heard "position" again.
    a.offer(words((" and", 0.45, 0.55), (" position", 0.55, 1.0), (" have", 1.0, 1.2)), settled_until=0.0,
            resumed=True)
    assert [w.text for w in a.shown] == [" in", " your", " position", " have"]


def test_a_resumed_guess_that_hears_the_last_word_differently_is_cut_by_time() -> None:
    a = committed((" other", 0.0, 0.3), (" client", 0.3, 0.8))
    a.offer(words((" clients", 0.25, 0.75), (" in", 0.8, 1.0), (" your", 1.0, 1.2)), settled_until=0.0, resumed=True)
    assert [w.text for w in a.shown] == [" other", " client", " in", " your"]
