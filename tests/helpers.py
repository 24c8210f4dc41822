"""Helpers shared by tests that are not fixtures (context managers used inside a test)."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from index.content import load_corpus
from index.validate import validate


@contextlib.contextmanager
def read_only(path: Path) -> Iterator[None]:
    """Nothing may be created in or written to path, root included (chattr +i on Linux)."""
    if os.geteuid() == 0:
        if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(path)]).returncode != 0:
            pytest.skip("cannot make a file read-only for root here")
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(path)], check=True)
    else:
        mode = path.stat().st_mode
        path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield
        finally:
            path.chmod(mode)


def problems_for(content: Path) -> list[str]:
    """What `validate` says about a content folder, one "file:line: severity: message" per problem."""
    return [str(p) for p in validate(load_corpus(content))]


def line_of(path: Path, text: str) -> int:
    """The 1-based line of the first line containing text: what an author would look for."""
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} not in {path}")


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first occurrence of old in a fixture file (which must contain it)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text not found: {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def bounded(seconds: float, action: Callable[[], object]) -> object:
    """Run action in a thread; fail (instead of hanging the suite) if it takes longer."""
    result: list[object] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            result.append(action())
        except BaseException as exc:  # noqa: BLE001 - re-raised below in the test's thread
            errors.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still running after {seconds} s"
    if errors:
        raise errors[0]
    return result[0]


def slow_searches(monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    """Every search takes at least `seconds` longer: a slow library, for the as-you-type paths."""
    import time

    from index.search import SearchService

    real = SearchService.search

    def slow(self, query, **filters):
        time.sleep(seconds)
        return real(self, query, **filters)

    monkeypatch.setattr(SearchService, "search", slow)
