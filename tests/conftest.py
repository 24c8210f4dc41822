"""Shared fixtures: offscreen Qt, a tiny fixture corpus, and libraries built into tmp dirs."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from index.library import open_library  # noqa: E402
from index.paths import app_dirs  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini"


@pytest.fixture
def mini_corpus(tmp_path: Path) -> Path:
    """A writable copy of the three-entry fixture corpus; returns its content dir."""
    root = tmp_path / "corpus"
    shutil.copytree(MINI, root)
    return root / "content"


@pytest.fixture(scope="session")
def mini_library(tmp_path_factory):
    dirs = app_dirs(tmp_path_factory.mktemp("mini-data")).ensure()
    library = open_library(dirs, content_dir=MINI / "content")
    yield library
    library.close()


@pytest.fixture(scope="session")
def bundled_library(tmp_path_factory):
    dirs = app_dirs(tmp_path_factory.mktemp("bundled-data")).ensure()
    library = open_library(dirs)
    yield library
    library.close()
