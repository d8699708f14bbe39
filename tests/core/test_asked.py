"""AdviceAsked: which buyer words ask for the rep's advice, and which rep words answer them."""

from __future__ import annotations

import pytest

from copilot.core.asked import ANSWER_WITHIN_S, AdviceAsked
from copilot.core.events import Segment
from copilot.core.rulebook import Rulebook


@pytest.fixture(scope="module")
def asked() -> AdviceAsked:
    return AdviceAsked(Rulebook.load().guard_patterns["asks_for_advice"])


@pytest.mark.parametrize("text", [
    "What would you recommend?",
    "Okay, so which plan should we go with?",
    "Which one would you pick for a team our size?",
    "Any suggestions?",
    "What's your advice here?",
    "If you were in my shoes, what would you do?",
    "What are the next steps?",
    "So where do we go from here?",
    "How should we get started?",
    "Should we wait until the new budget year?",
    "Is it worth upgrading to the premium tier?",
    "Honestly, just tell me what to do.",
    "Do you recommend the annual plan?",
    "What do you think we should do about the other two offices?",
])
def test_the_buyer_asks_for_advice(asked: AdviceAsked, text: str) -> None:
    assert asked.asks(text)


@pytest.mark.parametrize("text", [
    "What does it cost for one office?",
    "How long does the data connection really take?",
    "Can you send me a one page summary?",
    "Where do I send the details?",
    "What would those reports show her, exactly?",
    "Should I be worried about the migration?",
    "We already decided on the annual plan.",
    "My boss suggested we look at other vendors.",
    "What do you do at Ledgerline?",
    "Which plan do you sell the most?",
])
def test_other_questions_and_statements_do_not(asked: AdviceAsked, text: str) -> None:
    assert not asked.asks(text)


def test_the_buyers_turn_runs_over_their_pauses(asked: AdviceAsked) -> None:
    buyer = [Segment("prospect", 0.0, 2.0, "What would you recommend?"),
             Segment("prospect", 2.8, 5.0, "We have three offices and a very small team.")]
    assert asked.question(6.0, "imperatives", buyer) is buyer[0]
    assert asked.question(5.0 + ANSWER_WITHIN_S + 1, "imperatives", buyer) is None
    assert asked.question(6.0, "closing_pressure", buyer) is None
    # A longer pause, and the buyer's next words are a turn of their own that asks nothing.
    apart = [buyer[0], Segment("prospect", 4.5, 6.0, "We have three offices and a very small team.")]
    assert asked.question(7.0, "imperatives", apart) is None
    # The rep's words said while the buyer was still asking answer it too; words said before do not.
    assert asked.question(1.0, "imperatives", buyer[:1]) is buyer[0]
    assert asked.question(-1.0, "imperatives", buyer[:1]) is None
