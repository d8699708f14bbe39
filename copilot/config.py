"""The app's settings: one dataclass, kept as TOML in the user's config folder.

What the rep chose in the control window (devices, model, rulebook, how sensitive the
coach is, where the overlay sits) survives a restart. A settings file that cannot be read
is reported in one sentence and set aside as ``settings.toml.broken`` (never silently
overwritten); the app carries on with the defaults.
"""

from __future__ import annotations

import sys
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from copilot.core.settings import CoachSettings

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = ["Settings", "load_settings", "save_settings", "default_settings_path", "SettingsError"]


class SettingsError(Exception):
    """The settings file could not be read or written; the message says which and why."""


@dataclass(frozen=True)
class Settings:
    """Everything the rep sets in the control window."""

    mic: str = ""  # device number or name part; "" = the likely microphone
    call: str = ""  # device number or name part; "" = the likely call audio
    model: str = ""  # "" = the bundled tiny.en
    rules: str = ""  # rulebook file; "" = the bundled English one
    prompt_gap_s: float = CoachSettings.min_gap_s  # at least this long between two prompts
    cooldown_s: float = CoachSettings.category_cooldown_s  # before the same kind of prompt again
    dominance_share: float = CoachSettings.dominance_share  # rep share of 2 min that earns a prompt
    overlay_locked: bool = True
    overlay_opacity: float = 0.92
    overlay_x: int = -1  # -1: top centre of the screen
    overlay_y: int = -1
    consent_acknowledged: bool = False  # the rep has seen the notice about telling the other side
    keep_audio: bool = False  # keep the call's audio beside the sessions, to replay moments in the review

    def coach(self) -> CoachSettings:
        """The coach thresholds these settings ask for."""
        return replace(CoachSettings(), min_gap_s=self.prompt_gap_s, category_cooldown_s=self.cooldown_s,
                       dominance_share=self.dominance_share,
                       dominance_rearm_share=min(CoachSettings.dominance_rearm_share, self.dominance_share))


def default_settings_path() -> Path:
    """settings.toml in the user's config folder."""
    from platformdirs import user_config_dir

    return Path(user_config_dir("live-call-copilot", appauthor=False)) / "settings.toml"


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
            kept = f"; it was kept as {broken.name}"
        except OSError:
            kept = ""
        return Settings(), f"your settings could not be read ({e}), so the defaults are used{kept}."


def save_settings(settings: Settings, path: Path) -> None:
    """Write the settings (a small flat TOML file), or raise SettingsError."""
    lines = [f"{k} = {_toml(v)}" for k, v in asdict(settings).items()]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
        tmp.replace(path)
    except OSError as e:
        raise SettingsError(f"your settings could not be saved to {path}: {e.strerror or e}.") from None


def _from_dict(data: dict[str, Any]) -> Settings:
    known = {f.name: f for f in fields(Settings)}
    values: dict[str, Any] = {}
    for key, value in data.items():
        f = known.get(key)
        if f is None:
            continue  # a setting from another version: ignored, not fatal
        default = getattr(Settings(), key)
        if isinstance(default, bool):
            if not isinstance(value, bool):
                raise ValueError(f"{key} should be true or false")
        elif isinstance(default, (int, float)):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f"{key} should be a number")
            value = type(default)(value)
        elif not isinstance(value, str):
            raise ValueError(f"{key} should be text")
        values[key] = value
    settings = Settings(**values)
    settings.coach()  # the thresholds must make sense together (raises ValueError)
    return settings


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'
