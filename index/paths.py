"""Every path the app reads or writes, in one place.

Bundled resources are read-only (source tree or frozen bundle). Everything the app writes goes to
the per-user directories, or under one directory given with --data-dir (tests, smoke runs, portable
use). Nothing is ever written beside the executable.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "Vademecum"
APP_AUTHOR = "Vademecum"
DATA_DIR_ENV = "VADEMECUM_DATA_DIR"


def bundled_resources() -> Path:
    """The resources/ directory, inside a PyInstaller bundle or the source tree."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


@dataclass(frozen=True)
class AppDirs:
    data: Path
    config: Path
    cache: Path

    @property
    def index_root(self) -> Path:
        return self.cache / "index"

    @property
    def user_db(self) -> Path:
        return self.data / "user.sqlite"

    @property
    def settings_file(self) -> Path:
        return self.config / "settings.ini"

    def ensure(self) -> AppDirs:
        for path in (self.data, self.config, self.cache):
            path.mkdir(parents=True, exist_ok=True)
        return self


def documents_dir() -> Path:
    """Where exports go by default: the user's Documents folder (never the working directory,
    which under the Windows shortcut is Program Files), else the home folder."""
    try:
        documents = Path(platformdirs.user_documents_dir())
    except Exception:  # noqa: BLE001 - an odd platform setup must not stop an export
        documents = Path.home()
    return documents if documents.is_dir() else Path.home()


def app_dirs(base: str | os.PathLike[str] | None = None) -> AppDirs:
    """Per-user dirs, or data/, config/ and cache/ under one base dir (--data-dir or env)."""
    base = base or os.environ.get(DATA_DIR_ENV)
    if base:
        root = Path(base).expanduser().resolve()
        return AppDirs(root / "data", root / "config", root / "cache")
    return AppDirs(
        Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR)),
        Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR)),
        Path(platformdirs.user_cache_dir(APP_NAME, APP_AUTHOR)),
    )
