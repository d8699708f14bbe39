""""What the prompts did" in the review window, the HTML report and `copilot report --json` (offscreen)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from copilot.core.events import Flag, Prompt, Segment, SpeechSpan
from copilot.core.prompt_effect_pooled import across_calls
from copilot.core.session import recorded_talk
from copilot.report.html import report_html
from copilot.report.prompt_progress import pooled_effect_html, pooled_effects
from copilot.store.sqlite import SessionStore
from copilot.ui.review import ReviewWindow
from copilot.wiring import load_review
from tests.core.test_prompt_effect import spans_of


def store_call(store: SessionStore, kind: str, spans: Sequence[SpeechSpan], prompts: Sequence[Prompt],
               flags: Sequence[Flag] = (), segments: Sequence[Segment] = ()) -> str:
    sid = store.create_session(f"a {kind} call", kind)
    store.add(sid, spans=spans, segments=segments, flags=flags, prompts=prompts)
    end = max(s.end for s in spans)
    store.finish_session(sid, end, recorded_talk(spans, segments, end))
    return sid


def coached_call(store: SessionStore, kind: str = "live") -> str:
    """Six minutes: the rep pitches, a prompt, the buyer tells a story; a directive line, a prompt, one word from
    the buyer and more pitch; the same kind of line again while the coach cools down; a hand-back line."""
    spans = spans_of([("rep", 70), ("prospect", 60), ("rep", 20), ("prospect", 1.5), ("rep", 90), ("prospect", 40),
                      ("rep", 30), ("prospect", 45)])
    flags = [Flag("rep", 150.0, 151.5, "owning_the_path", "the next step is", "The next step is a pilot.",
                  "What do you want to do next?"),
             Flag("rep", 195.0, 196.5, "owning_the_path", "the next step is", "So the next step is a kickoff.",
                  "What do you want to do next?")]
    segments = [Segment("rep", 152.5, 154.5, "It's completely up to you.")]
    prompts = [Prompt(61.0, "dominance", "What do you want to do next?", "dominance",
                      "you've talked 90% of the last 1 min", 69.0),
               Prompt(152.0, "phrase", "What do you want to do next?", "owning_the_path",
                      "you said: 'the next step is'", 160.0)]
    return store_call(store, kind, spans, prompts, flags, segments)


@pytest.fixture
def store(tmp_path: Path) -> SessionStore:
    return SessionStore(tmp_path / "s.db")


def test_the_review_shows_what_each_prompt_did_and_the_moment_without_one(qtbot: QtBot, store: SessionStore) -> None:
    review = load_review(store, coached_call(store))
    window = ReviewWindow(review, store)
    qtbot.addWidget(window)
    window.show()
    assert window.tabs.count() == 2 and window.tabs.tabText(1) == "What the prompts did (2)"
    window.tabs.setCurrentIndex(1)
    assert window.prompt_effect.isVisible()
    text = window.prompt_effect.toPlainText()
    assert "1:01" in text and "2:32" in text
    first, second = review.effects.prompts
    assert first.change is not None and first.change > 20 and second.change is not None and second.change < -20
    assert second.hand_back and not first.hand_back
    # The line said while the coach cooled down; the monologue it is part of, past the dominance line and
    # 60 s long a few seconds later, is the same moment (the coach shows one prompt in 20 s).
    assert [(m.time, m.kind) for m in review.effects.matched] == [(196.5, "phrase")]
    assert "no prompt" in text and "3:16" in text
    assert review.effects.sentence() in text


def test_an_analysed_recording_has_no_prompts_section(qtbot: QtBot, store: SessionStore, tmp_path: Path) -> None:
    review = load_review(store, coached_call(store, kind="analyze"))
    window = ReviewWindow(review, store)
    qtbot.addWidget(window)
    window.show()
    assert window.tabs.count() == 1 and window.tabs.tabText(0) == "Transcript"
    assert "What the prompts did" not in report_html(review, b"")
    window.save_json(tmp_path / "call.json")
    assert "prompt_effect" not in json.loads((tmp_path / "call.json").read_text(encoding="utf-8"))


def test_the_report_and_its_json_carry_the_prompts_section(qtbot: QtBot, store: SessionStore, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    from copilot.cli import main

    sid = coached_call(store)
    review = load_review(store, sid)
    html = report_html(review, b"")
    assert '<h2>What the prompts did</h2>' in html and 'class="prompts"' in html
    assert html.index("What the prompts did") < html.index("<h2>Transcript</h2>")
    assert main(["report", sid, "--db", str(store.path), "--json", "-"]) == 0
    effect = json.loads(capsys.readouterr().out)["prompt_effect"]
    assert [p["time"] for p in effect["prompts"]] == [61.0, 152.0]
    assert effect["prompts"][1]["hand_back"] is True and effect["matched"][0]["shown"] is False
    assert effect["mean_change_points"] == pytest.approx(review.effects.mean_change(), abs=0.05)


def test_progress_pools_the_live_calls_and_draws_them(store: SessionStore) -> None:
    for _ in range(6):
        coached_call(store)
    coached_call(store, kind="analyze")
    pooled = pooled_effects(store, store.sessions())
    assert pooled.calls == 6 and pooled.measured == 12 and pooled.enough
    assert pooled.matched is not None and pooled.matched_calls == 6
    html = pooled_effect_html(pooled)
    assert html.startswith("<svg") and "After a prompt" in html and "Same trigger, no prompt" in html
    assert pooled.sentences()[0] in html.replace("&#x27;", "'")
    assert "<svg" not in pooled_effect_html(across_calls([]))  # nothing to draw: the sentence alone
