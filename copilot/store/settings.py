"""The app's settings: one dataclass, kept as TOML in the user's config folder.

What the rep chose in the control window (devices, model, rulebook, how sensitive the
coach is, where the overlay sits) survives a restart. The coach's thresholds are the
core's :class:`CoachSettings`, kept under ``[coach]`` by their own names. A settings file
that cannot be read is reported in one sentence and set aside as ``settings.toml.broken``
(never silently overwritten); the app carries on with the defaults.
"""

from __future__ import annotations

import sys
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from copilot.core.retention import DEFAULT_DAYS, NEVER, Retention, parse_days
from copilot.core.settings import CoachSettings
from copilot.errors import UserError
from copilot.store.private import config_folder, private_dir, tighten, write_private_text

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = ["Settings", "load_settings", "save_settings", "default_settings_path", "SettingsError"]

# Settings files written before the coach's thresholds were kept under [coach].
_OLD_COACH_KEYS = {"prompt_gap_s": "min_gap_s", "cooldown_s": "category_cooldown_s"}


class SettingsError(UserError):
    """The settings file could not be read or written; the message says which and why."""


@dataclass(frozen=True)
class Settings:
    """Everything the rep sets in the control window."""

    mic: str = ""  # device number or name part; "" = the likely microphone
    call: str = ""  # device number or name part; "" = the likely call audio
    model: str = ""  # "" = the bundled tiny.en
    rules: str = ""  # rulebook file; "" = the bundled English one
    coach: CoachSettings = field(default_factory=CoachSettings)  # when and how often to prompt
    overlay_locked: bool = True
    overlay_opacity: float = 0.92
    overlay_x: int = -1  # -1: top centre of the screen
    overlay_y: int = -1
    consent_acknowledged: bool = False  # the rep has seen the notice about telling the other side
    keep_audio: bool = False  # keep the call's audio beside the sessions, to replay moments in the review
    cpu_budget: float = 0.5  # the share of one core a session may use beside the call
    echo_cancel: bool = True  # take the call's echo (laptop speakers) out of the microphone
    learn_voice: bool = False  # the rep agreed: learn their voiceprint from the microphone (for mixed recordings)
    # A call's transcript (and kept audio) is deleted this many days after it; its numbers stay. None: "never".
    delete_transcripts_after_days: int | None = DEFAULT_DAYS

    @property
    def retention(self) -> Retention:
        """How long a call's words are kept (core/retention.py)."""
        return Retention(self.delete_transcripts_after_days)
    redact: bool = True  # hide card and bank numbers, ID numbers, e-mail addresses and phone numbers before keeping


def default_settings_path() -> Path:
    """settings.toml in the user's config folder."""
    return config_folder() / "settings.toml"


def load_settings(path: Path) -> tuple[Settings, str | None]:
    """The saved settings (defaults where absent), and a sentence if the file had to be set aside."""
    if not path.exists():
        return Settings(), None
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return _from_dict(data), None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, ValueError, TypeError) as e:
        broken = path.with_name(path.name + ".broken")
        try:
            path.replace(broken)
            tighten(broken)
            kept = f"; it was kept as {broken.name}"
        except OSError:
            kept = ""
        return Settings(), f"Your settings could not be read ({e}), so the defaults are used{kept}."


def save_settings(settings: Settings, path: Path) -> None:
    """Write the settings (a small TOML file: the app's keys, then the coach's table), or raise SettingsError."""
    values = asdict(settings)
    coach = values.pop("coach")
    lines = [f"{k} = {_toml(NEVER if v is None else v)}" for k, v in values.items()]  # None: only "never"
    lines += ["", "[coach]"] + [f"{k} = {_toml(v)}" for k, v in coach.items()]
    try:
        private_dir(path.parent)
        write_private_text(path, "\n".join(lines) + "\n")
    except OSError as e:
        raise SettingsError(f"Your settings could not be saved to {path}: {e.strerror or e}.") from None


def _from_dict(data: dict[str, Any]) -> Settings:
    """Settings from a parsed file; ValueError for a value of the wrong kind or thresholds that make no sense."""
    coach_table = data.get("coach", {})
    if not isinstance(coach_table, dict):
        raise ValueError("coach should be a table of thresholds")
    known_coach = {f.name for f in fields(CoachSettings)}
    coach_values = {k: _number(k, v) for k, v in coach_table.items() if k in known_coach}
    for old, new in _OLD_COACH_KEYS.items():
        if old in data and new not in coach_values:
            coach_values[new] = _number(old, data[old])
    coach = CoachSettings(**coach_values)  # the thresholds must make sense together (raises ValueError)
    if "dominance_share" in data and "dominance_share" not in coach_values:
        coach = coach.with_dominance(_number("dominance_share", data["dominance_share"]))

    defaults = Settings()
    values: dict[str, Any] = {}
    for f in fields(Settings):
        if f.name == "coach" or f.name not in data:
            continue  # a setting from another version is ignored, not fatal
        value, default = data[f.name], getattr(defaults, f.name)
        if f.name == "delete_transcripts_after_days":
            value = parse_days(value, f.name)
        elif isinstance(default, bool):
            if not isinstance(value, bool):
                raise ValueError(f"{f.name} should be true or false")
        elif isinstance(default, (int, float)):
            value = type(default)(_number(f.name, value))
        elif not isinstance(value, str):
            raise ValueError(f"{f.name} should be text")
        values[f.name] = value
    settings = Settings(coach=coach, **values)
    if not 0 < settings.cpu_budget <= 2:
        raise ValueError("cpu_budget should be a share of one core between 0 and 2")
    return settings


def _number(key: str, value: object) -> float:
    # No setting is a billion (seconds, pixels, shares): a bigger one, nan or inf, is a broken file.
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not abs(value) <= 1e9:
        raise ValueError(f"{key} should be a number")
    return float(value)


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'
