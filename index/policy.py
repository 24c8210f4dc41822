"""Machine-wide policy set by a department's IT: defaults users start with, values they cannot
change where the admin locks them, extra protocol-pack directories, and notes switched off.

An INI file, read-only for users:
  Linux    /etc/xdg/Vademecum/policy.ini
  Windows  %ProgramData%\\Vademecum\\policy.ini
  macOS    /Library/Application Support/Vademecum/policy.ini
The environment variable VADEMECUM_POLICY names another file for tests and trials, and is honoured
only in developer mode (VADEMECUM_DEVELOPER=1) and only where no machine policy exists: it can
never replace or loosen a machine policy.

    [defaults]
    theme = high-contrast
    font_size = 13
    [locked]
    theme = true
    [packs]
    directories = /srv/protocols/anesthesia; /opt/local-packs
    personal_packs = refuse        ; allow: packs no trusted key signed are shown as personal
    [features]
    notes = false
    [trusted-publishers]
    St Elsewhere Anaesthesia = ed25519:<public key printed by `pack keygen`>
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from index.safe_io import UnsafeFileError, read_bytes
from index.signing import SigningError, parse_public_key

POLICY_ENV = "VADEMECUM_POLICY"
DEVELOPER_ENV = "VADEMECUM_DEVELOPER"
TRUSTED = "trusted-publishers"
MAX_POLICY_BYTES = 256 * 1024
SECTIONS = {
    "defaults": None,  # any setting name; desktop.settings checks the values it uses
    "locked": None,  # any setting name: true or false
    "packs": ("directories", "personal_packs"),
    "features": ("notes",),
    TRUSTED: None,  # publisher name = ed25519:<public key>
}
TRUE = ("1", "yes", "true", "on")
FALSE = ("0", "no", "false", "off")
SECTION_LINE = re.compile(r"\[\s*([^\]]*?)\s*\]\s*(?:[#;].*)?")
KEY_LINE = re.compile(r"([^=:\s][^=:]*?)\s*[=:]\s*(.*)")
INLINE_COMMENT = re.compile(r"\s+[;#]")  # "theme = dark   ; why": not in directories, where ; separates


def developer_mode() -> bool:
    return os.environ.get(DEVELOPER_ENV, "").strip().lower() in TRUE


def machine_policy_path() -> Path:
    """Where the department's IT puts the policy (read-only for users)."""
    if sys.platform.startswith("win"):
        return Path(os.environ.get("PROGRAMDATA", r"C:\ProgramData")) / "Vademecum" / "policy.ini"
    if sys.platform == "darwin":
        return Path("/Library/Application Support/Vademecum/policy.ini")
    return Path("/etc/xdg/Vademecum/policy.ini")


def policy_path(*, machine_exists: bool = False) -> tuple[Path, list[str]]:
    """The policy file in force, and a note when VADEMECUM_POLICY was set but not honoured
    (machine_exists: a machine policy was found elsewhere, e.g. in the Windows registry)."""
    machine = machine_policy_path()
    override = os.environ.get(POLICY_ENV)
    if not override:
        return machine, []
    if not developer_mode():
        return machine, [f"{POLICY_ENV} ignored: honoured only with {DEVELOPER_ENV}=1 (testing)"]
    if machine_exists or os.path.lexists(machine):
        return machine, [f"{POLICY_ENV} ignored: a machine policy exists, and is never replaced"]
    return Path(override), []


@dataclass(frozen=True)
class Policy:
    defaults: dict[str, str] = field(default_factory=dict)
    locked: frozenset[str] = frozenset()
    pack_directories: tuple[Path, ...] = ()
    notes_enabled: bool = True
    # Each line or value that was ignored, as "file:line: reason", for About and the log.
    problems: tuple[str, ...] = ()
    machine: bool = False  # a machine policy was found: only trusted packs, unless personal_packs = allow
    personal_packs: bool | None = None  # [packs] personal_packs = allow | refuse
    trusted_publishers: tuple[tuple[str, str], ...] = ()  # (publisher name, "ed25519:…") as written

    def is_locked(self, name: str) -> bool:
        return name in self.locked

    @property
    def personal_packs_allowed(self) -> bool:
        """A personal install allows personal packs; a machine policy only if it says so."""
        return not self.machine if self.personal_packs is None else self.personal_packs


def parse_ini(text: str, shown: str) -> tuple[dict[str, dict[str, tuple[str, int]]], list[str]]:
    """Sections of key -> (value, line), with a problem per line it could not use.

    Written out rather than configparser: no interpolation (a value may contain %), and a
    duplicate or malformed line costs that line alone, never the rest of the file.
    """
    sections: dict[str, dict[str, tuple[str, int]]] = {}
    problems: list[str] = []
    seen_sections: set[str] = set()
    current: dict[str, tuple[str, int]] | None = None
    section = ""
    last_key: str | None = None
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if raw[:1].isspace() and current is not None and last_key is not None:
            value, first = current[last_key]  # an indented line continues the previous value
            current[last_key] = (f"{value}\n{line}", first)
            continue
        last_key = None
        if match := SECTION_LINE.fullmatch(line):
            section = match.group(1).lower()
            if section in seen_sections:
                problems.append(f"{shown}:{number}: section [{section}] appears twice: its entries are merged")
            seen_sections.add(section)
            current = sections.setdefault(section, {})
            continue
        match = KEY_LINE.fullmatch(line)
        if match is None:
            problems.append(f"{shown}:{number}: not 'name = value' or '[section]': line ignored")
            continue
        if current is None:
            problems.append(f"{shown}:{number}: '{match.group(1)}' is outside any [section]: ignored")
            continue
        key = match.group(1).strip()
        key = key if section == TRUSTED else key.lower()  # a publisher's name keeps its case
        if key in current:
            problems.append(f"{shown}:{number}: [{section}] {key} is set twice: the later value is used")
        value = match.group(2).strip()
        if (section, key) != ("packs", "directories"):
            value = INLINE_COMMENT.split(value, 1)[0]
        current[key] = (value, number)
        last_key = key
    return sections, problems


def _boolean(value: str) -> bool | None:
    lowered = value.strip().lower()
    return True if lowered in TRUE else False if lowered in FALSE else None


def load_policy(path: Path | None = None, *, registry: Any = None) -> Policy:
    """The policy in force. A missing file means no policy; a bad line or value is ignored and
    named in Policy.problems while everything else, locks included, still applies. Never raises.

    On Windows, values under HKLM\\Software\\Policies\\Vademecum (Group Policy, see the ADMX
    templates in packaging/windows/) are read too and win over the same setting in the INI file.
    `registry` is a winreg-like module (tests); by default winreg on Windows only."""
    notes: list[str] = []
    reg_sections, reg_problems = registry_sections(registry)
    if path is None:
        path, notes = policy_path(machine_exists=bool(reg_sections))
    shown = str(path)
    sections: dict[str, dict[str, tuple[str, int]]] = {}
    problems: list[str] = list(notes)
    if os.path.lexists(path):
        try:
            data = read_bytes(path, max_bytes=MAX_POLICY_BYTES)
        except UnsafeFileError as exc:
            # unreadable: no setting can be trusted, but it still is a machine policy (no personal packs)
            problems.append(f"{shown}:1: policy file ignored: {exc}")
            data = b""
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            problems.append(f"{shown}:{line}: not valid UTF-8 (save the file as UTF-8): unreadable characters replaced")
            text = data.decode("utf-8-sig", errors="replace")
        sections, found = parse_ini(text.replace("\r\n", "\n").replace("\r", "\n"), shown)
        problems += found
    elif not reg_sections:
        return Policy(problems=tuple(notes + reg_problems))
    for name, values in reg_sections.items():
        sections.setdefault(name, {}).update(values)
    return policy_from_sections(sections, shown, problems + reg_problems)


REGISTRY_KEY = r"Software\Policies\Vademecum"
# registry subkey -> INI section: the same settings, so one policy can be set either way
REGISTRY_SECTIONS = {
    "Defaults": "defaults",
    "Locked": "locked",
    "Packs": "packs",
    "Features": "features",
    "TrustedPublishers": TRUSTED,
}
MAX_REGISTRY_VALUES = 1000


def registry_sections(winreg: Any = None) -> tuple[dict[str, dict[str, tuple[str, int]]], list[str]]:
    """The Group Policy values under HKLM\\Software\\Policies\\Vademecum as INI-like sections
    (numbers as text, a multi-string as a ;-separated list). Nothing on other platforms."""
    if winreg is None:
        if not sys.platform.startswith("win"):
            return {}, []
        import winreg  # Windows only
    sections: dict[str, dict[str, tuple[str, int]]] = {}
    problems: list[str] = []
    try:
        root = winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, REGISTRY_KEY)
    except OSError:
        return {}, []
    for subkey, section in REGISTRY_SECTIONS.items():
        try:
            key = winreg.OpenKey(root, subkey)
        except OSError:
            continue
        values = sections.setdefault(section, {})
        for index in range(MAX_REGISTRY_VALUES):
            try:
                name, value, _kind = winreg.EnumValue(key, index)
            except OSError:
                break
            shown = f"HKLM\\{REGISTRY_KEY}\\{subkey}\\{name}"
            if isinstance(value, list | tuple):
                value = "; ".join(str(v) for v in value)
            elif isinstance(value, bool) or not isinstance(value, str | int):
                problems.append(f"{shown}: not text or a number: ignored")
                continue
            values[name if section == TRUSTED else name.lower()] = (str(value), 0)
    return sections or {"defaults": {}}, problems  # the key exists: a machine policy, even if empty


def policy_from_sections(sections: dict[str, dict[str, tuple[str, int]]], shown: str, problems: list[str]) -> Policy:
    """Settings from parsed sections (the INI file, or the Windows registry); bad values named."""
    for name, keys in sections.items():
        if name not in SECTIONS:
            problems.append(f"{shown}: unknown section [{name}]: ignored (known: {', '.join(SECTIONS)})")
            continue
        for key, (_, line) in keys.items():
            if SECTIONS[name] is not None and key not in SECTIONS[name]:
                problems.append(f"{shown}:{line}: unknown setting '{key}' in [{name}]: ignored")

    defaults = {key: value for key, (value, _) in sections.get("defaults", {}).items()}
    locked = set()
    for key, (value, line) in sections.get("locked", {}).items():
        flag = _boolean(value)
        if flag is None:
            problems.append(f"{shown}:{line}: [locked] {key} = '{value}' is not true or false: ignored")
        elif flag:
            locked.add(key)
    directories: tuple[Path, ...] = ()
    if "directories" in sections.get("packs", {}):
        raw = sections["packs"]["directories"][0]
        directories = tuple(Path(p.strip()) for p in raw.replace("\n", ";").split(";") if p.strip())
    personal: bool | None = None
    if "personal_packs" in sections.get("packs", {}):
        value, line = sections["packs"]["personal_packs"]
        lowered = value.strip().lower()
        personal = True if lowered in ("allow", *TRUE) else False if lowered in ("refuse", *FALSE) else None
        if personal is None:
            problems.append(f"{shown}:{line}: [packs] personal_packs = '{value}' is not allow or refuse: refused")
    trusted = []
    for name, (value, line) in sections.get(TRUSTED, {}).items():
        try:
            parse_public_key(value)
        except SigningError as exc:
            problems.append(f"{shown}:{line}: [{TRUSTED}] {name}: {exc}: ignored")
            continue
        trusted.append((name, value.strip()))
    notes = True
    if "notes" in sections.get("features", {}):
        value, line = sections["features"]["notes"]
        flag = _boolean(value)
        if flag is None:
            problems.append(f"{shown}:{line}: [features] notes = '{value}' is not true or false: ignored")
        else:
            notes = flag
    return Policy(
        defaults,
        frozenset(locked),
        directories,
        notes,
        tuple(problems),
        machine=True,
        personal_packs=personal,
        trusted_publishers=tuple(trusted),
    )
