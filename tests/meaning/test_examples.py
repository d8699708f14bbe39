"""Teach it by example: a rulebook category's examples are caught by resemblance, not by patterns."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from copilot.core.rulebook import Rulebook, RulebookError
from tests.command_line import copilot

TAUGHT = """
[categories.discount_pressure]
prompts = ["You're free to walk away."]
examples = ["I can knock ten percent off if you sign today", "That discount won't be there next week"]
not_examples = ["Our prices are on the website"]
"""


def verdicts(rules: Path, *lines: str, extra: tuple[str, ...] = ()) -> list[dict[str, object]]:
    r = copilot("detect", "--rules", str(rules), *extra, stdin="\n".join(lines) + "\n")
    assert r.returncode == 0, r.stderr
    return [json.loads(line) for line in r.stdout.splitlines()]


def test_a_team_teaches_a_category_by_example_and_detect_says_which_example_fired(tmp_path: Path) -> None:
    rules = tmp_path / "taught.toml"
    rules.write_text(TAUGHT, encoding="utf-8")
    said = verdicts(rules, "I'll take fifteen percent off if you sign before Friday.",
                    "Our prices are listed on our website.", "How was your weekend?", extra=("--explain",))
    assert said[0]["flagged"] and said[0]["category"] == "discount_pressure" and said[0]["layer"] == "example"
    assert "ten percent off" in str(said[0]["why"]) and said[0]["prompt"] == "You're free to walk away."
    assert not said[1]["flagged"] and not said[2]["flagged"]


def test_explain_names_the_pattern_that_fired() -> None:
    r = copilot("detect", "--explain", stdin="The next step is a pilot.\n")
    line = json.loads(r.stdout)
    assert line["layer"] == "rules" and str(line["why"]).startswith("pattern: ") and "next steps?" in str(line["why"])


def test_a_category_needs_a_pattern_or_an_example(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[categories.nothing]\nprompts = ["x"]\n', encoding="utf-8")
    with pytest.raises(RulebookError, match="at least one pattern or one example"):
        Rulebook.load(str(bad))
    wrong = tmp_path / "wrong.toml"
    wrong.write_text('[categories.x]\nprompts = ["x"]\nexamples = "just one"\n', encoding="utf-8")
    with pytest.raises(RulebookError, match="examples must be a list"):
        Rulebook.load(str(wrong))
