"""Machine-wide policy set by a department's IT: defaults users start with, values they cannot
change where the admin locks them, extra protocol-pack directories, and notes switched off.

An INI file, read-only for users:
  Linux    /etc/xdg/Vademecum/policy.ini
  Windows  %ProgramData%\\Vademecum\\policy.ini
  macOS    /Library/Application Support/Vademecum/policy.ini
The environment variable VADEMECUM_POLICY names another file (tests, trials).

    [defaults]
    theme = high-contrast
    font_size = 13
    [locked]
    theme = true
    [packs]
    directories = /srv/protocols/anesthesia; /opt/local-packs
    [features]
    notes = false
"""

from __future__ import annotations

import configparser
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

POLICY_ENV = "VADEMECUM_POLICY"


def policy_path() -> Path:
    override = os.environ.get(POLICY_ENV)
    if override:
        return Path(override)
    if sys.platform.startswith("win"):
        return Path(os.environ.get("PROGRAMDATA", r"C:\ProgramData")) / "Vademecum" / "policy.ini"
    if sys.platform == "darwin":
        return Path("/Library/Application Support/Vademecum/policy.ini")
    return Path("/etc/xdg/Vademecum/policy.ini")


@dataclass(frozen=True)
class Policy:
    defaults: dict[str, str] = field(default_factory=dict)
    locked: frozenset[str] = frozenset()
    pack_directories: tuple[Path, ...] = ()
    notes_enabled: bool = True
    source: str = ""
    problem: str = ""  # why the file could not be read, if it could not

    def is_locked(self, name: str) -> bool:
        return name in self.locked


def load_policy(path: Path | None = None) -> Policy:
    """The policy in force; a missing file means no policy, an unreadable one is reported, not fatal."""
    path = path or policy_path()
    if not path.is_file():
        return Policy()
    parser = configparser.ConfigParser()
    try:
        parser.read(path, encoding="utf-8")
    except (OSError, configparser.Error, UnicodeDecodeError) as exc:
        return Policy(source=str(path), problem=f"policy file ignored: {exc}")
    defaults = dict(parser["defaults"]) if parser.has_section("defaults") else {}
    locked = set()
    if parser.has_section("locked"):
        locked = {name for name in parser["locked"] if parser.getboolean("locked", name, fallback=False)}
    directories: tuple[Path, ...] = ()
    if parser.has_section("packs"):
        raw = parser.get("packs", "directories", fallback="")
        directories = tuple(Path(p.strip()) for p in raw.replace("\n", ";").split(";") if p.strip())
    notes = parser.getboolean("features", "notes", fallback=True) if parser.has_section("features") else True
    return Policy(defaults, frozenset(locked), directories, notes, str(path))
