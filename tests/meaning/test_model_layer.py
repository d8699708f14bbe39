"""The detector's model layer: directive meaning the rulebook's patterns miss, with the guards still vetoing."""

from __future__ import annotations

import json

import pytest

from copilot.core.phrases import PhraseDetector
from copilot.core.rulebook import Rulebook
from copilot.meaning.head import DirectiveModel
from tests.command_line import copilot
from tests.wavs import ROOT

# Issue 18's examples of what the rules miss, from a held-out set written outside the team: never trained on.
UNSEEN = [
    "Just sign the order form and we'll take care of the rest",
    "I'm going to put you down for the Tuesday slot",
    "Your best option is clearly the premium package",
    "We need to get this across the line this month",
    "Every company in your space is already using this",
    "Let me tell you what makes sense for a company your size",
]


@pytest.fixture(scope="module")
def fused() -> PhraseDetector:
    return PhraseDetector(Rulebook.load(), model=DirectiveModel())


def test_the_unseen_misses_are_not_in_the_training_lines() -> None:
    lines = (ROOT / "tests" / "data" / "directive_lines" / "lines.tsv").read_text(encoding="utf-8").lower()
    assert not [u for u in UNSEEN if u.lower() in lines]


def test_the_model_layer_catches_what_the_rules_miss(fused: PhraseDetector) -> None:
    rules = PhraseDetector(Rulebook.load())
    missed_by_rules = [u for u in UNSEEN if not rules.detect(u).flagged]
    caught = [u for u in missed_by_rules if fused.detect(u).flagged]
    assert len(missed_by_rules) >= 4 and len(caught) >= len(missed_by_rules) - 1  # measured: 5 of 6
    hit = fused.detect("I'm going to put you down for the Tuesday slot").directive
    assert hit is not None and hit.layer == "model" and hit.prompt  # the prompt comes from the category


@pytest.mark.parametrize("text", [
    "Most of our customers are mid-sized healthcare companies.",
    "I don't think you need to put anyone down for a slot yet.",
    "What would you like to do about the Tuesday slot?",
    "It's completely your call whether the premium package is worth it.",
    "How was your weekend?",
])
def test_facts_and_what_the_guards_excuse_are_not_flagged(fused: PhraseDetector, text: str) -> None:
    assert not fused.detect(text).flagged


@pytest.mark.parametrize("text", [
    "Walk us through your budgeting process.",
    "Just walk me through what a typical week looks like for your team.",
    "Maybe give us a sense of who else weighs in on this.",
    "Tell us a little about how your team buys software today.",
    "Why don't you walk me through your current setup?",
])
def test_a_request_to_tell_the_rep_something_is_discovery_not_steering(fused: PhraseDetector, text: str) -> None:
    assert not fused.detect(text).flagged


@pytest.mark.parametrize("text", [
    "Walk your CFO through the proposal before Friday.",
    "Tell your team you're signing this week.",
    "Tell me you'll sign today.",
    "Expand the rollout to all regions next month.",
])
def test_a_command_about_the_buyers_own_doing_is_still_flagged(fused: PhraseDetector, text: str) -> None:
    assert fused.detect(text).flagged


def test_detect_with_meaning_says_which_layer_flagged() -> None:
    r = copilot("detect", "--meaning",
                stdin="The next step is a pilot.\nYour best option is clearly the premium package\n")
    assert r.returncode == 0, r.stderr
    first, second = (json.loads(line) for line in r.stdout.splitlines())
    assert first["layer"] == "rules" and second["layer"] == "model"
    plain = json.loads(copilot("detect", stdin="The next step is a pilot.\n").stdout)
    assert "layer" not in plain  # the contract's keys stay as they were without --meaning


def test_the_training_lines_are_many_labelled_and_not_copies_of_the_test_calls() -> None:
    import re

    rows = (ROOT / "tests" / "data" / "directive_lines" / "lines.tsv").read_text(encoding="utf-8").splitlines()[1:]
    cells = [r.split("\t") for r in rows]
    assert len(cells) >= 1500 and all(c[0] in ("0", "1") and len(c) == 4 for c in cells)
    assert {c[1] for c in cells if c[0] == "1"} == {"owning_the_path", "telling_what_makes_sense",
                                                     "social_proof_pressure", "imperatives", "closing_pressure"}

    def words(s: str) -> set[str]:
        return set(re.findall(r"[a-z']+", s.lower()))

    # The calls whose flags measure the detector; the prompted_* calls measure what a prompt did to the buyer's
    # talk (their directive lines only have to be caught to fire prompts), so their wording may be the training's.
    calls = [*sorted(f for f in (ROOT / "tests" / "data" / "calls").glob("*.truth.json")
                     if not f.name.startswith("prompted_")),
             ROOT / "assets" / "samples" / "discovery_call.truth.json"]
    said = [words(s) for f in calls for line in json.loads(f.read_text())["lines"] if line["speaker"] == "rep"
            for s in re.split(r"(?<=[.!?])\s+", line["text"])]
    lines = [(c[3], words(c[3])) for c in cells]
    close = [text for text, mine in lines if any(len(mine & w) / len(mine | w) >= 0.5 for w in said)]
    assert close == []  # the calls' flag numbers stay a fair check of the model layer


def test_a_file_through_detect_with_meaning_gets_the_same_verdicts_batched(fused: PhraseDetector) -> None:
    rows = (ROOT / "tests" / "data" / "directive_lines" / "lines.tsv").read_text(encoding="utf-8").splitlines()[1:]
    texts = [r.split("\t")[3] for r in rows[::50]]
    r = copilot("detect", "--meaning", stdin="\n".join(texts) + "\n")
    assert r.returncode == 0, r.stderr
    batched = [json.loads(line)["flagged"] for line in r.stdout.splitlines()]
    assert batched == [fused.detect(t).flagged for t in texts]


def test_detect_uses_the_model_by_default_and_rules_only_turns_it_off() -> None:
    line = "Your best option is clearly the premium package\n"
    default = json.loads(copilot("detect", stdin=line).stdout)
    rules_only = json.loads(copilot("detect", "--rules-only", stdin=line).stdout)
    assert default["flagged"] and not rules_only["flagged"]
    assert set(default) == {"text", "flagged", "category", "match", "prompt", "supportive"}  # the contract's keys


def test_a_live_partial_has_its_unfinished_sentence_judged_by_the_rules_only(fused: PhraseDetector) -> None:
    said = "How was the trip back? I'm going to put you down for the Tuesday slot"
    assert any(h.layer == "model" for h in fused.hits(said))
    assert not [h for h in fused.hits(said, partial=True) if h.kind == "directive"]  # still growing: not yet
    ended = "I'm going to put you down for the Tuesday slot. And how was the trip"
    assert [h.layer for h in fused.hits(ended, partial=True) if h.kind == "directive"] == ["model"]


def test_a_run_on_longer_than_any_training_sentence_is_left_to_the_rules(fused: PhraseDetector) -> None:
    pushy = "Your best option is clearly the premium package"
    run_on = " ".join([pushy.lower(), "and"] + ["the team reviews every call and the managers see the scores"] * 3)
    assert fused.detect(pushy).flagged and len(run_on.split()) > 30
    assert not fused.detect(run_on).flagged


def test_the_rest_of_a_sentence_cut_at_a_decoding_window_is_left_to_the_rules(fused: PhraseDetector) -> None:
    whole = "I'm going to put you down for the Tuesday slot"
    assert [h.layer for h in fused.hits(whole, continued=False)] == ["model"]
    assert not fused.hits("put you down for the Tuesday slot. And the calls are all there", continued=True)
    assert [h.layer for h in fused.hits(f"went through the calls. {whole}.", continued=True)] == ["model"]


def test_a_file_spread_over_cores_gets_the_embeddings_one_core_gives() -> None:
    from copilot.meaning.encoder import SentenceEncoder, shared_encoder

    texts = [f"{u} for site {i}" for i in range(7) for u in UNSEEN]  # 42 sentences: two batches (32 and 10), one a core
    spread = SentenceEncoder(threads=2).encode(texts)
    assert spread.shape == (42, 384)
    assert (spread == shared_encoder().encode(texts)).all()
