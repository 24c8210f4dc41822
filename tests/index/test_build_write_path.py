"""The build's write path: what the store and the index hold after the batched, single-parse build.

Correctness only: build speed is measured by the benchmark (`python -m tests.benchmarks.run`).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml
from whoosh.index import open_dir

import index.builder
from index.analysis import text_analyzer
from index.builder import SECTIONS_DIR, WHOOSH_DIR, current_generation
from index.content import load_corpus
from index.lexicon import Lexicon
from index.library import Library, open_library
from index.paths import app_dirs, bundled_resources
from index.rendering import plain_text, render
from index.store import citation_numbers

QUERIES = Path(__file__).parents[1] / "queries"


def _build(content: Path, data: Path) -> Library:
    return open_library(app_dirs(data).ensure(), content_dir=content, force_rebuild=True)


def test_every_page_shows_each_section_as_rendered_from_its_markdown(bundled_library) -> None:
    corpus = load_corpus(bundled_resources() / "content")
    for entry in corpus.entries.values():
        page = bundled_library.entry(entry.id)
        assert page is not None
        numbers = citation_numbers(entry)
        assert [s.heading for s in page.sections] == [s.heading for s in entry.sections]
        for shown, section in zip(page.sections, entry.sections, strict=True):
            assert shown.html == render(section.markdown, numbers), (entry.id, section.heading)
            assert shown.text == plain_text(section.markdown), (entry.id, section.heading)


def test_a_word_found_in_one_section_only_names_that_section(mini_corpus: Path, tmp_path: Path) -> None:
    corpus = load_corpus(mini_corpus)
    analyse = text_analyzer(Lexicon.from_data(corpus.lexicon).spelling)

    def stems(text: str) -> set[str]:
        return {token.text for token in analyse(text)}

    sections = [(entry, s) for entry in corpus.entries.values() for s in entry.sections]
    documents = [stems(f"{s.heading}\n{plain_text(s.markdown)}") for _, s in sections]
    documents += [stems(f"{e.title} {' '.join(e.aliases)} {plain_text(e.summary)}") for e in corpus.entries.values()]
    counts = Counter(stem for document in documents for stem in document)
    library = _build(mini_corpus, tmp_path / "data")
    checked = 0
    try:
        for entry, section in sections:
            words = sorted(
                set(re.findall(r"[a-z]{7,}", plain_text(section.markdown).lower()))
            )  # not "before", "during": time words
            unique = [w for w in words if len(stems(w)) == 1 and counts[next(iter(stems(w)))] == 1]
            if not unique:
                continue
            hits = {hit.id: hit for hit in library.search(unique[0], limit=10).hits}
            assert entry.id in hits, (unique[0], entry.id)
            assert hits[entry.id].section == section.heading, (unique[0], entry.id)
            checked += 1
    finally:
        library.close()
    assert checked >= 6


def _block_lengths(data: Path) -> dict[tuple[str, str, str], list[tuple]]:
    """Per term, the field lengths the build wrote into each posting block (the bounds a top-N
    search uses to skip blocks that cannot make the cut)."""
    generation = current_generation(app_dirs(data).index_root)
    assert generation is not None
    found = {}
    for name in (WHOOSH_DIR, SECTIONS_DIR):
        ix = open_dir(str(generation / name), readonly=True)
        with ix.reader() as reader:
            for field, term in reader.all_terms():
                if not reader.schema[field].scorable:
                    continue
                matcher = reader.postings(field, term)
                blocks = []
                while matcher.is_active():
                    blocks.append((matcher.id(), matcher.block_min_length(), matcher.block_max_length()))
                    matcher.next()
                found[(name, field, term)] = blocks
        ix.close()
    return found


def _results(library: Library, queries: list[str]) -> dict[str, tuple]:
    answers = {}
    for q in queries:
        results = library.search(q, limit=10)
        answers[q] = ([(h.id, round(h.score, 6), h.section) for h in results.hits], results.suggestion)
    return answers


class _WhooshPerDocumentSpelling:
    """Whoosh's own path: spelling words added by add_document, once per document."""

    def __init__(self, writer, fieldname: str) -> None:
        pass

    def add(self, text: str) -> None:
        pass

    def finish(self) -> None:
        pass


def test_rankings_and_suggestions_are_those_of_whoosh_own_write_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build's shortcuts (field lengths read once per field, spelling words added once) change
    no score, section or "did you mean" suggestion, nor the length bounds stored with the postings."""
    queries = [
        q["q"]
        for name in ("public.yaml", "judged.yaml")
        for q in yaml.safe_load((QUERIES / name).read_text(encoding="utf-8"))
    ]
    content = bundled_resources() / "content"
    fast = _build(content, tmp_path / "fast")
    try:
        expected = _results(fast, queries)
    finally:
        fast.close()
    expected_lengths = _block_lengths(tmp_path / "fast")
    assert sum(1 for _, suggestion in expected.values() if suggestion) >= 3  # the typos are exercised
    monkeypatch.setattr(index.builder, "_one_probe_per_field", lambda writer: None)
    monkeypatch.setattr(index.builder, "_SpellingWordsOnce", _WhooshPerDocumentSpelling)
    plain = _build(content, tmp_path / "plain")
    try:
        assert _results(plain, queries) == expected
    finally:
        plain.close()
    assert _block_lengths(tmp_path / "plain") == expected_lengths
