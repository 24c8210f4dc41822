"""Shared fixtures: offscreen Qt, no machine policy, a tiny fixture corpus, libraries built into tmp
dirs, and windows that are always closed (with their databases) after the test."""

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
MINI_PACK = FIXTURES / "packs" / "mini-pack"


@pytest.fixture(autouse=True)
def no_machine_policy(tmp_path_factory, monkeypatch) -> None:
    """The developer's or CI machine's policy file must never change what a test sees (the
    override is honoured in developer mode only, and only where no machine policy exists)."""
    monkeypatch.setenv("VADEMECUM_DEVELOPER", "1")
    monkeypatch.setenv("VADEMECUM_POLICY", str(tmp_path_factory.getbasetemp() / "no-policy.ini"))


@pytest.fixture
def mini_corpus(tmp_path: Path) -> Path:
    """A writable copy of the three-entry fixture corpus; returns its content dir."""
    root = tmp_path / "corpus"
    shutil.copytree(MINI, root)
    return root / "content"


@pytest.fixture
def mini_pack(tmp_path: Path) -> Path:
    """A writable copy of the fixture protocol pack (adds a local entry and a local section)."""
    path = tmp_path / "packs" / "mini-pack"
    shutil.copytree(MINI_PACK, path)
    return path


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


def close_window(win) -> None:
    """Close a window the way quitting does: save state, then close its databases on their thread."""
    win.close()
    win.shutdown()


@pytest.fixture
def make_window(qtbot):
    """make_window(data_dir, content, packs=(), policy=None): the app's own window, assembled the
    way the app assembles it; every window made is closed after the test."""
    from desktop.app import create_window
    from index.library import Policy, sources

    made = []

    def make(data_dir: Path, content: Path | None, *, packs=(), policy=None, first_run: bool = False):
        src = sources(data_dir, content, list(packs), policy or Policy())
        win = create_window(src, first_run=first_run)
        qtbot.addWidget(win)
        win.show()
        qtbot.waitExposed(win)
        made.append(win)
        return win

    yield make
    for win in made:
        close_window(win)


@pytest.fixture
def window(qtbot, make_window, mini_corpus, tmp_path):
    """A window on the fixture corpus with its library and user data open."""
    win = make_window(tmp_path / "data", mini_corpus)
    qtbot.waitUntil(lambda: win.library is not None and win.controller.userdata is not None, timeout=30000)
    return win
