"""Can the window really start on this machine? The self-test renders it in a child process on the
platform plugin the app itself would use (QT_QPA_PLATFORM if set, else Qt's default), because a
missing system library aborts the process (exit 134) where an offscreen render would pass.

Stdlib only: nothing here loads Qt into the calling process."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

TIMEOUT_S = 180


@dataclass(frozen=True)
class WindowCheck:
    platform: str
    problem: str = ""  # one line for the user; empty when the window rendered


def app_platform() -> str:
    """The platform plugin(s) Qt will try when the app starts, as QT_QPA_PLATFORM spells them."""
    chosen = os.environ.get("QT_QPA_PLATFORM", "").strip()
    if chosen:
        return chosen
    if sys.platform == "win32":
        return "windows"
    if sys.platform == "darwin":
        return "cocoa"
    wayland = os.environ.get("WAYLAND_DISPLAY") or os.environ.get("XDG_SESSION_TYPE") == "wayland"
    return "wayland;xcb" if wayland else "xcb"


def plugin_file(platform: str) -> Path | None:
    """The platform plugin's shared library (Linux), inside a frozen bundle or the installed PySide6."""
    frozen = getattr(sys, "_MEIPASS", None)
    spec = None if frozen else find_spec("PySide6")
    roots = [Path(frozen) / "PySide6"] if frozen else [Path(p) for p in (spec.submodule_search_locations or [])]
    for root in roots:
        candidate = root / "Qt" / "plugins" / "platforms" / f"libq{platform}.so"
        if candidate.is_file():
            return candidate
    return None


def missing_libraries(platform: str) -> list[str]:
    """Shared libraries the plugin needs and the system lacks (ldd), e.g. libxcb-cursor.so.0."""
    plugin = plugin_file(platform)
    if plugin is None or shutil.which("ldd") is None:
        return []
    try:
        out = subprocess.run(["ldd", str(plugin)], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return sorted(set(re.findall(r"^\s*(\S+) => not found", out, re.MULTILINE)))


def check_window(command: list[str], env: dict[str, str] | None = None) -> WindowCheck:
    """Run `command` (the app's screenshot command) on the app's platform; say why it failed."""
    platform = app_platform()
    environment = {**(env or os.environ), "QT_QPA_PLATFORM": platform}
    try:
        result = subprocess.run(command, capture_output=True, text=True, env=environment, timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return WindowCheck(platform, f"the window did not render within {TIMEOUT_S} s")
    if result.returncode == 0:
        return WindowCheck(platform)
    return WindowCheck(platform, _diagnose(platform, result))


def _diagnose(platform: str, result: subprocess.CompletedProcess) -> str:
    first = platform.split(";")[-1]
    missing = [lib for name in platform.split(";") for lib in missing_libraries(name)]
    if missing:
        return f"the '{first}' platform plugin cannot load: missing {', '.join(missing)}"
    lines = [line.strip() for line in result.stderr.splitlines() if line.strip()]
    reason = next((line for line in lines if "could not" in line.lower() or "cannot" in line.lower()), "")
    reason = reason or (lines[-1] if lines else f"exit status {result.returncode}")
    return f"the window cannot start on platform '{platform}': {reason[:200]}"
