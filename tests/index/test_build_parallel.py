"""A big corpus gets its sections index written by a second process while this one writes the
entries index: the generation, and so every search, is the same as one built in one process, and
a failure in that process fails the build without making anything current."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import index.builder
from index.builder import CURRENT, build_generation, current_generation
from index.content import corpus_fingerprint, load_corpus
from index.paths import bundled_resources
from index.search import SearchService
from tests.index.test_build_spill import _contents

QUERIES = Path(__file__).parents[1] / "queries"
CONTENT = bundled_resources() / "content"


def _queries() -> list[str]:
    found = []
    for name in ("public.yaml", "judged.yaml"):
        found += [str(item["q"]) for item in yaml.safe_load((QUERIES / name).read_text(encoding="utf-8"))]
    return found


def _build(root: Path, monkeypatch, *, parallel: bool, progress=None) -> Path:
    started = []
    start = index.builder._start_sections_process

    def counted(entry_count: int):
        process = start(entry_count)
        started.append(process is not None)
        return process

    monkeypatch.setattr(index.builder, "PARALLEL_MIN_ENTRIES", 0 if parallel else 10**9)
    monkeypatch.setattr(index.builder, "_start_sections_process", counted)
    try:
        return build_generation(load_corpus(CONTENT), root, fingerprint=corpus_fingerprint(CONTENT), progress=progress)
    finally:
        monkeypatch.undo()
        assert started == [parallel]


def test_a_parallel_build_writes_the_same_index_and_finds_the_same(tmp_path: Path, monkeypatch) -> None:
    reports: list[tuple[int, int]] = []
    parallel = _build(
        tmp_path / "parallel", monkeypatch, parallel=True, progress=lambda n, t, _: reports.append((n, t))
    )
    sequential = _build(tmp_path / "sequential", monkeypatch, parallel=False)
    total = len(load_corpus(CONTENT).entries)
    assert reports == [(n, total) for n in range(1, total + 1)]
    assert (parallel / "manifest.json").is_file()
    assert _contents(parallel) == _contents(sequential)
    services = [SearchService(parallel), SearchService(sequential)]
    try:
        for query in _queries():
            first, second = (service.search(query, limit=10) for service in services)
            assert [(h.id, h.anchor, h.score, h.snippet) for h in first.hits] == [
                (h.id, h.anchor, h.score, h.snippet) for h in second.hits
            ]
            assert first.suggestion == second.suggestion
    finally:
        for service in services:
            service.close()


def test_a_failure_in_the_sections_process_fails_the_build_and_keeps_the_current_index(
    tmp_path: Path, monkeypatch
) -> None:
    root = tmp_path / "index"
    before = _build(root, monkeypatch, parallel=False)
    # The child process imports the builder afresh: a section it cannot index makes it fail there.
    original = index.builder._SectionsProcess.send

    def poisoned(self, request: dict) -> None:
        request["docs"][3]["no_such_field"] = "x"
        original(self, request)

    monkeypatch.setattr(index.builder._SectionsProcess, "send", poisoned)
    with pytest.raises(RuntimeError, match="sections index could not be written.*no_such_field"):
        _build(root, monkeypatch, parallel=True)
    assert current_generation(root) == before
    assert (root / CURRENT).read_text().strip() == before.name
    assert not list(root.glob(".building-*"))


def test_a_sections_process_that_cannot_start_falls_back_to_one_process(tmp_path: Path, monkeypatch, caplog) -> None:
    def refuse() -> None:
        raise OSError("no more processes")

    monkeypatch.setattr(index.builder._SectionsProcess, "__init__", lambda self: refuse())
    monkeypatch.setattr(index.builder, "PARALLEL_MIN_ENTRIES", 0)
    with caplog.at_level("WARNING"):
        generation = build_generation(load_corpus(CONTENT), tmp_path, fingerprint=corpus_fingerprint(CONTENT))
    assert current_generation(tmp_path) == generation
    assert "no child process could start: no more processes" in caplog.text


def test_a_sections_process_that_dies_fails_the_build_with_a_clear_message(tmp_path: Path, monkeypatch) -> None:
    original = index.builder._SectionsProcess.send

    def then_killed(self, request: dict) -> None:
        original(self, request)
        self.process.kill()  # as the system does to a process it runs out of memory for

    monkeypatch.setattr(index.builder._SectionsProcess, "send", then_killed)
    with pytest.raises(RuntimeError, match="sections index process stopped without a result"):
        _build(tmp_path, monkeypatch, parallel=True)
    assert current_generation(tmp_path) is None
    assert not list(tmp_path.glob(".building-*")) and not list(tmp_path.glob("gen-*"))
