"""Settings declared once (name, type, default), stored in an INI file with a version.

Settings are what the user chooses; UI state (window geometry, splitter sizes) is persisted
separately under the "state/" group so a settings reset never loses a layout and vice versa.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

from index.library import Policy

SETTINGS_VERSION = 1


@dataclass(frozen=True)
class Setting:
    name: str
    type: type
    default: Any


SETTINGS: tuple[Setting, ...] = (
    Setting("theme", str, "light"),  # the window and the content: light, dark or high-contrast
    Setting("font_size", int, 11),  # reading size of entries, in points (Ctrl+= / Ctrl+- / Ctrl+0)
    Setting("highlight_matches", bool, True),  # mark the search terms in the matched section of an opened entry
    Setting("disclaimer_accepted", bool, False),  # the clinical disclaimer was acknowledged on first start
)
BY_NAME = {s.name: s for s in SETTINGS}
THEMES = ("light", "dark", "high-contrast")
FONT_SIZES = (8, 32)


class Settings:
    """User settings over the machine policy: a locked policy value always wins; otherwise the
    user's own choice, else the policy default, else the built-in default."""

    def __init__(self, path: Path, policy: Policy | None = None) -> None:
        self.policy = policy or Policy()
        path.parent.mkdir(parents=True, exist_ok=True)
        self.qsettings = QSettings(str(path), QSettings.Format.IniFormat)
        if self.qsettings.value("settings_version") is None:
            self.qsettings.setValue("settings_version", SETTINGS_VERSION)

    def is_locked(self, name: str) -> bool:
        return self.policy.is_locked(name)

    def get(self, name: str) -> Any:
        setting = BY_NAME[name]
        default = self.policy.defaults.get(name, setting.default)
        if self.policy.is_locked(name):
            value = default
        else:
            value = self.qsettings.value(f"settings/{name}", default)
        if setting.type is bool:
            return value in (True, "true", "1", 1)
        try:
            value = setting.type(value)
        except (TypeError, ValueError):
            return setting.default
        if name == "theme" and value not in THEMES:
            return setting.default
        if name == "font_size":
            return max(FONT_SIZES[0], min(FONT_SIZES[1], value))
        return value

    def set(self, name: str, value: Any) -> None:
        BY_NAME[name]  # unknown names are a programming error
        if self.policy.is_locked(name):
            return  # the administrator decided; the UI shows the control disabled
        self.qsettings.setValue(f"settings/{name}", value)
        self.qsettings.sync()

    def state(self, name: str) -> QByteArray | None:
        value = self.qsettings.value(f"state/{name}")
        return value if isinstance(value, QByteArray) else None

    def set_state(self, name: str, value: QByteArray) -> None:
        self.qsettings.setValue(f"state/{name}", value)
        self.qsettings.sync()
