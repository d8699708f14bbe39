"""Rulebook loading: a broken rulebook fails with one sentence naming the file, the place and the fault."""

from __future__ import annotations

from pathlib import Path

import pytest

from copilot.core.rulebook import Rulebook, RulebookError, default_rules_path

GOOD = """
version = 1
[categories.pushy]
prompts = ["This may not be a fit."]
patterns = ["you should"]
"""


def error_of(text: str) -> str:
    with pytest.raises(RulebookError) as e:
        Rulebook.parse(text, "my-rules.toml")
    message = str(e.value)
    assert "\n" not in message
    assert message.startswith("my-rules.toml: ")
    return message


def test_the_default_rulebook_loads() -> None:
    rb = Rulebook.load()
    assert default_rules_path().name == "en.toml"
    names = [c.name for c in rb.categories]
    assert {
        "owning_the_path",
        "telling_what_makes_sense",
        "social_proof_pressure",
        "imperatives",
        "closing_pressure",
        "autonomy_support",
    } <= set(names)
    prompts = {p for c in rb.categories for p in c.prompts}
    assert {
        "This may not be a fit.",
        "You're free to walk away.",
        "What do you want to do next?",
        "What would you need to see to move forward on your own terms?",
    } <= prompts


def test_a_minimal_rulebook_loads() -> None:
    rb = Rulebook.parse(GOOD)
    assert rb.category("pushy").kind == "directive"


def test_bad_toml_names_the_line() -> None:
    message = error_of('version = 1\n[categories.pushy\nprompts = ["x"]\n')
    assert "line 2" in message and "not valid TOML" in message


def test_unknown_key_names_the_key_and_the_line() -> None:
    message = error_of(GOOD.replace("prompts =", "promtps ="))
    assert "unknown key 'promtps'" in message
    assert "category 'pushy'" in message
    assert "line 4" in message


def test_unknown_top_level_key() -> None:
    assert "unknown key" in error_of("colour = 'red'\n" + GOOD)


def test_bad_regex_names_the_rule_and_the_line() -> None:
    message = error_of(GOOD.replace('"you should"', '"you should", "you (must"'))
    assert "category 'pushy' pattern 2 'you (must'" in message
    assert "not a valid regular expression" in message
    assert "line 5" in message


def test_a_pattern_that_matches_nothing_in_particular_is_refused() -> None:
    assert "matches empty text" in error_of(GOOD.replace('"you should"', '"(you)?"'))


def test_a_directive_category_needs_prompts() -> None:
    assert "needs at least one line in prompts" in error_of(GOOD.replace('prompts = ["This may not be a fit."]', ""))


def test_unknown_guard() -> None:
    assert "unknown guard 'sarcasm'" in error_of(GOOD + 'guards = ["sarcasm"]\n')


def test_missing_and_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(RulebookError, match="no such rulebook file"):
        Rulebook.load(tmp_path / "nope.toml")
    binary = tmp_path / "rules.toml"
    binary.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(RulebookError, match="not a UTF-8 text file"):
        Rulebook.load(binary)
    with pytest.raises(RulebookError, match="is a folder"):
        Rulebook.load(tmp_path)


def test_a_long_or_multi_line_value_from_the_file_is_cut_short_in_the_one_line_message() -> None:
    message = error_of(GOOD.replace("[categories.pushy]", '[categories.pushy]\nkind = "' + "x" * 5000 + '"'))
    assert len(message) < 300 and "kind must be" in message
    message = error_of(GOOD + '\n["line\\nbreak"]\nx = 1\n')
    assert "unknown key" in message  # and on one line (error_of checks)
