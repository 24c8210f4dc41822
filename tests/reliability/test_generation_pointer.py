"""CURRENT, the one-line pointer to the index in use, cannot take the app down: the sweep's cases.

Anything odd about it (bytes that are not UTF-8, an absurd name, a directory, a FIFO, a link to
/dev/zero) means "no index": the library is rebuilt once and answers, the next start uses it,
and no generation is leaked per start. An index root that is a file is moved aside, and said so.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from index.builder import CURRENT, current_generation, newest_sound_generation
from index.library import open_library
from index.paths import app_dirs
from tests.helpers import bounded


def generations(index_root: Path) -> list[Path]:
    return sorted(p for p in index_root.glob("gen-*") if p.is_dir())


def replace_current(index_root: Path, make: Callable[[Path], None]) -> None:
    pointer = index_root / CURRENT
    pointer.unlink()
    make(pointer)


CASES: dict[str, Callable[[Path], None]] = {
    "non-utf8": lambda p: p.write_bytes(b"gen-\xff\xfe\n"),
    "300-character name": lambda p: p.write_text("gen-" + "a" * 300 + "\n"),
    "names a path outside": lambda p: p.write_text("../../etc\n"),
    "names a missing generation": lambda p: p.write_text("gen-20260101T000000-abc-def\n"),
    "empty": lambda p: p.write_bytes(b""),
    "directory": lambda p: p.mkdir(),
    "dangling link": lambda p: p.symlink_to(p.parent / "nowhere"),
}
if hasattr(os, "mkfifo"):
    CASES["FIFO"] = lambda p: os.mkfifo(p)
if Path("/dev/zero").exists():
    CASES["link to /dev/zero"] = lambda p: p.symlink_to("/dev/zero")


@pytest.mark.parametrize("case", list(CASES))
def test_odd_current_is_rebuilt_once_and_never_leaks(mini_corpus: Path, tmp_path: Path, case: str) -> None:
    dirs = app_dirs(tmp_path / "data").ensure()
    open_library(dirs, content_dir=mini_corpus).close()
    replace_current(dirs.index_root, CASES[case])
    assert bounded(10, lambda: current_generation(dirs.index_root)) is None

    notices: list[str] = []
    library = bounded(60, lambda: open_library(dirs, content_dir=mini_corpus, on_rebuild=notices.append))
    assert library.report.rebuilt and notices
    assert library.search("muffled hearing").hits[0].id == "fixture-headache"
    library.close()
    count = len(generations(dirs.index_root))
    for _ in range(3):  # later starts use the rebuilt index: no new generation each time
        library = open_library(dirs, content_dir=mini_corpus)
        assert not library.report.rebuilt
        library.close()
    assert len(generations(dirs.index_root)) == count


def test_index_root_that_is_a_file_is_moved_aside(mini_corpus: Path, tmp_path: Path) -> None:
    dirs = app_dirs(tmp_path / "data").ensure()
    shutil.rmtree(dirs.index_root, ignore_errors=True)
    dirs.index_root.write_text("not an index")
    library = open_library(dirs, content_dir=mini_corpus)
    assert library.search("muffled hearing").hits[0].id == "fixture-headache"
    messages = [str(p) for p in library.report.problems]
    assert any("was a file, not a directory: moved aside" in m for m in messages), messages
    library.close()
    aside = [p for p in dirs.cache.iterdir() if p.name.startswith("index.not-a-directory-")]
    assert len(aside) == 1 and aside[0].read_text() == "not an index"  # kept, not deleted


def test_newest_sound_generation_is_the_stale_fallback(mini_corpus: Path, tmp_path: Path) -> None:
    dirs = app_dirs(tmp_path / "data").ensure()
    open_library(dirs, content_dir=mini_corpus).close()
    first = current_generation(dirs.index_root)
    open_library(dirs, content_dir=mini_corpus, force_rebuild=True).close()
    second = current_generation(dirs.index_root)
    assert first != second and newest_sound_generation(dirs.index_root) == second

    (dirs.index_root / CURRENT).write_bytes(b"\xff")  # CURRENT lost: the newest sound one remains
    assert current_generation(dirs.index_root) is None
    assert newest_sound_generation(dirs.index_root) == second

    store = second / "content.sqlite"
    store.write_bytes(store.read_bytes()[:100])  # the newest damaged: fall back to the older one
    assert newest_sound_generation(dirs.index_root) == first
    shutil.rmtree(first)
    assert newest_sound_generation(dirs.index_root) is None
