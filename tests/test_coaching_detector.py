"""A call about to begin is coached even when the rep's rulebook or examples file is broken, and says so."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from copilot.core.rulebook import RulebookError
from copilot.pipeline.options import LiveOptions
from copilot.wiring import coaching_detector, load_rulebook


def test_a_broken_rulebook_in_the_settings_coaches_with_the_bundled_one_and_says_so(tmp_path: Path) -> None:
    broken = tmp_path / "team.toml"
    broken.write_text("[categories.pushy\npatterns = [", encoding="utf-8")
    with pytest.raises(RulebookError):
        load_rulebook(str(broken))  # what `copilot live --rules` says at once
    detector, said = coaching_detector(LiveOptions(rules=str(broken), rules_only=True))
    assert said is not None and said.startswith("Coaching this call with the bundled rulebook.") and "team.toml" in said
    assert detector.detect("The next step is a pilot.").flagged  # the bundled rulebook's
    assert broken.read_text(encoding="utf-8") == "[categories.pushy\npatterns = ["  # left as it was


def test_both_files_broken_are_both_said(tmp_path: Path) -> None:
    broken = tmp_path / "team.toml"
    broken.write_text("not = [toml", encoding="utf-8")
    examples = Path(os.environ["XDG_DATA_HOME"]) / "live-call-copilot" / "my_examples.json"
    examples.parent.mkdir(parents=True, exist_ok=True)
    examples.write_text("{", encoding="utf-8")
    try:
        _, said = coaching_detector(LiveOptions(rules=str(broken), rules_only=True))
    finally:
        examples.unlink()
    assert said is not None and "bundled rulebook" in said and "Coaching this call without your marks." in said


def test_nothing_is_said_when_both_are_fine() -> None:
    _, said = coaching_detector(LiveOptions(rules_only=True))
    assert said is None
