"""The SQLite store, the generation build with its manifest, and the atomic swap."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlite_utils

from index.builder import (
    STORE_FILE,
    IndexUnavailableError,
    Manifest,
    build_generation,
    current_generation,
    verify,
)
from index.content import corpus_fingerprint, load_corpus
from index.library import open_library
from index.paths import app_dirs
from index.search import SearchService


def build(content: Path, root: Path) -> Path:
    return build_generation(load_corpus(content), root, fingerprint=corpus_fingerprint(content))


def test_store_has_keys_links_and_meta(mini_corpus: Path, tmp_path: Path) -> None:
    generation = build(mini_corpus, tmp_path / "index")
    db = sqlite_utils.Database(generation / STORE_FILE)
    assert db["entries"].pks == ["id"]
    assert {fk.other_table for fk in db["sections"].foreign_keys} == {"entries"}
    assert {fk.other_table for fk in db["links"].foreign_keys} == {"entries"}
    meta = {r["key"]: r["value"] for r in db["meta"].rows}
    assert meta["content_version"] == "fixture-1"
    assert meta["fingerprint"] == corpus_fingerprint(mini_corpus)
    links = {(r["source"], r["target"]) for r in db["links"].rows}
    assert ("fixture-blood-patch", "fixture-headache") in links
    assert ("fixture-headache", "fixture-rest") in links  # body link from the Management list
    db.close()


def test_entry_page_has_sections_references_and_backlinks(mini_library) -> None:
    page = mini_library.entry("fixture-headache")
    assert page is not None and page.title == "Fixture headache"
    assert [s.heading for s in page.sections][0] == "At a glance"
    assert [r.key for r in page.references] == ["beta2019", "alpha2020"]  # numbered by first citation
    linked = {(link.id, link.direction) for link in page.links}
    assert ("fixture-blood-patch", "in") in linked and ("fixture-rest", "out") in linked


def test_manifest_lists_every_file_with_its_hash(mini_corpus: Path, tmp_path: Path) -> None:
    generation = build(mini_corpus, tmp_path / "index")
    manifest = verify(generation, fingerprint=corpus_fingerprint(mini_corpus))
    assert manifest == Manifest.read(generation)
    assert STORE_FILE in manifest.files
    assert any(name.startswith("whoosh/") and name.endswith(".seg") for name in manifest.files)
    assert manifest.entry_count == 3 and manifest.doc_count > 3


def test_flipped_bytes_are_caught_by_the_manifest(mini_corpus: Path, tmp_path: Path) -> None:
    generation = build(mini_corpus, tmp_path / "index")
    segment = next((generation / "whoosh").glob("*.seg"))
    data = bytearray(segment.read_bytes())
    data[len(data) // 2] ^= 0xFF
    segment.write_bytes(bytes(data))
    with pytest.raises(IndexUnavailableError, match="checksum"):
        verify(generation)


def test_stale_index_is_detected(mini_corpus: Path, tmp_path: Path) -> None:
    generation = build(mini_corpus, tmp_path / "index")
    path = mini_corpus / "management" / "fixture-rest.md"
    path.write_text(path.read_text().replace("reassurance", "reassurance and rest"))
    with pytest.raises(IndexUnavailableError, match="stale"):
        verify(generation, fingerprint=corpus_fingerprint(mini_corpus))


def test_rebuild_swaps_atomically_while_a_reader_keeps_its_snapshot(mini_corpus: Path, tmp_path: Path) -> None:
    root = tmp_path / "index"
    first = build(mini_corpus, root)
    reader = SearchService(first)
    assert reader.search("fixture headache").hits[0].id == "fixture-headache"

    path = mini_corpus / "management" / "fixture-rest.md"
    path.write_text(path.read_text().replace("title: Fixture rest and acetaminophen", "title: Zebra rest"))
    second = build(mini_corpus, root)
    assert second != first and current_generation(root) == second
    # the old reader still answers from its generation; a new one sees the change
    assert reader.search("fixture headache").hits[0].id == "fixture-headache"
    fresh = SearchService(second)
    assert fresh.search("zebra").hits[0].id == "fixture-rest"
    reader.close()
    fresh.close()


def test_open_library_rebuilds_a_damaged_index(mini_corpus: Path, tmp_path: Path) -> None:
    dirs = app_dirs(tmp_path / "data").ensure()
    library = open_library(dirs, content_dir=mini_corpus)
    assert library.report.rebuilt and library.report.reason == "no index built yet"
    generation = library.service.generation
    library.close()
    next((generation / "whoosh").glob("*.seg")).write_bytes(b"garbage")

    reasons: list[str] = []
    library = open_library(dirs, content_dir=mini_corpus, on_rebuild=reasons.append)
    assert library.report.rebuilt and "checksum" in reasons[0]
    assert library.search("wet tap").hits[0].id == "fixture-headache"
    library.close()

    library = open_library(dirs, content_dir=mini_corpus)
    assert not library.report.rebuilt  # a sound, current index is reused, not rebuilt each start
    library.close()


def test_prune_keeps_recent_generations_for_other_processes(mini_corpus: Path, tmp_path: Path) -> None:
    import os
    import time

    from index.builder import prune

    root = tmp_path / "index"
    generations = [build(mini_corpus, root) for _ in range(4)]
    assert all(g.is_dir() for g in generations)  # all young: another process may be opening one
    for age, generation in zip((9000, 8000, 7200), generations[:3], strict=True):
        stamp = time.time() - age
        os.utime(generation, (stamp, stamp))
    prune(root)
    assert [g.is_dir() for g in generations] == [False, False, True, True]
