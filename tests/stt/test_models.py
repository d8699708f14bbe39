"""Model resolution: the bundled tiny.en offline, folders, size names, and clear failures."""

from __future__ import annotations

from pathlib import Path

import pytest

from copilot.stt import models
from copilot.stt.models import ModelError, resolve_model


def test_the_default_is_the_bundled_tiny_en_with_no_network() -> None:
    choice = resolve_model(None)
    assert (choice.path / "model.bin").is_file()
    assert "bundled" in choice.label
    assert resolve_model("tiny.en").path == choice.path


def test_a_model_folder_is_used_as_it_is(tmp_path: Path) -> None:
    (tmp_path / "model.bin").write_bytes(b"x")
    assert resolve_model(str(tmp_path)).path == tmp_path


def test_a_folder_without_a_model_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="no model.bin"):
        resolve_model(str(tmp_path))


def test_an_unknown_name_lists_what_is_accepted() -> None:
    with pytest.raises(ModelError, match="small.en"):
        resolve_model("enormous.en")


def test_a_size_name_that_cannot_be_downloaded_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    def offline(name: str, local_files_only: bool = False) -> str:
        raise OSError("Network is unreachable")

    import faster_whisper.utils

    monkeypatch.setattr(faster_whisper.utils, "download_model", offline)
    with pytest.raises(ModelError) as e:
        models.resolve_model("small.en")
    assert "Could not download the small.en model" in str(e.value)
    assert "bundled tiny.en" in str(e.value)
