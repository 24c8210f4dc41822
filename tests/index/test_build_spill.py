"""A build larger than the writers' memory spills postings to disk and merges them back: the index
it writes, and so every search, is the same as one built wholly in memory."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import yaml
from whoosh.index import open_dir

import index.builder
import index.postings
from index.builder import SECTIONS_DIR, WHOOSH_DIR, build_generation
from index.content import corpus_fingerprint, load_corpus
from index.paths import bundled_resources
from index.postings import TermPool
from index.search import SearchService

QUERIES = Path(__file__).parents[1] / "queries" / "judged.yaml"


def _contents(generation: Path) -> list:
    """Every posting (field, term, doc, weight, value), field length and stored field of both indexes."""
    found = []
    for sub in (WHOOSH_DIR, SECTIONS_DIR):
        ix = open_dir(str(generation / sub), readonly=True)
        with ix.reader() as reader:
            for fieldname in sorted(reader.indexed_field_names()):
                for term in reader.lexicon(fieldname):
                    matcher = reader.postings(fieldname, term)
                    while matcher.is_active():
                        found.append((sub, fieldname, term, matcher.id(), matcher.weight(), _value(matcher)))
                        matcher.next()
            for docnum in range(reader.doc_count_all()):
                found.append(sorted(reader.stored_fields(docnum).items()))
                found.append([reader.doc_field_length(docnum, f) for f in ("body", "title", "headings")])
        ix.close()
    return found


def _value(matcher):
    try:
        return matcher.value()
    except IndexError:  # a field that stores no value per posting (Whoosh raises instead of None)
        return None


def _build(root: Path, monkeypatch, limit_mb: float | None) -> tuple[Path, int]:
    spills = []
    spill = index.postings.TermPool._spill

    def counted(self) -> None:
        spills.append(1)
        spill(self)

    monkeypatch.setattr(index.postings.TermPool, "_spill", counted)
    if limit_mb is not None:
        monkeypatch.setattr(index.builder, "WRITER_LIMIT_MB", limit_mb)
    content = bundled_resources() / "content"
    generation = build_generation(load_corpus(content), root, fingerprint=corpus_fingerprint(content))
    monkeypatch.undo()
    return generation, len(spills)


@pytest.fixture(scope="module")
def judged_queries() -> list[str]:
    return [str(item["q"]) for item in yaml.safe_load(QUERIES.read_text(encoding="utf-8"))]


def test_a_build_that_spills_writes_the_same_index_and_finds_the_same(
    tmp_path: Path, monkeypatch, judged_queries
) -> None:
    in_memory, spills = _build(tmp_path / "memory", monkeypatch, None)
    assert spills == 0
    spilled, spills = _build(tmp_path / "spilled", monkeypatch, 0.2)
    assert spills > 10
    assert not list(spilled.rglob("*.run")) and not list(spilled.rglob(".postings-*"))
    assert _contents(spilled) == _contents(in_memory)
    services = [SearchService(in_memory), SearchService(spilled)]
    try:
        for query in judged_queries:
            first, second = (service.search(query, limit=10) for service in services)
            assert [(h.id, h.anchor, h.score) for h in first.hits] == [(h.id, h.anchor, h.score) for h in second.hits]
            assert first.suggestion == second.suggestion
    finally:
        for service in services:
            service.close()


@pytest.mark.parametrize("limit_mb", [64, 0.01])
def test_the_pool_hands_back_postings_as_whoosh_sorts_them(tmp_path: Path, limit_mb: float) -> None:
    """What Whoosh's own pool gives for the same postings: every tuple, sorted (field, term, doc)."""
    rng = random.Random(7)
    words = [f"w{n}".encode() for n in range(300)]
    postings = []
    for docnum in range(400):
        for fieldname in ("body", "spell", "title"):
            for term in rng.sample(words, rng.randint(0, 30)):
                value = None if fieldname == "spell" else bytes(rng.randrange(256) for _ in range(rng.randint(0, 9)))
                postings.append((fieldname, term, docnum, rng.choice([1.0, 2.5, 0.75]), value))
    pool = TermPool(tmp_path, limit_mb)
    for posting in postings:
        pool.add(posting)
    assert list(pool.iter_postings()) == sorted(postings, key=lambda p: p[:3])
    pool.cleanup()
    assert list(tmp_path.iterdir()) == []
