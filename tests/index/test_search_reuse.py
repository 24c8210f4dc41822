"""Work reused between searches (typing a query key by key, asking again) answers exactly what a
fresh search answers, and never outlives the generation it was worked out on."""

from __future__ import annotations

from pathlib import Path

from index.builder import build_generation
from index.content import corpus_fingerprint, load_corpus
from index.search import SearchService


def answer(results) -> tuple:
    """What a reader sees of the results, bar the snippet text (Whoosh picks among equally good
    fragments by object identity, so that may differ between any two searches)."""
    hits = [(h.id, h.section, h.anchor, round(h.score, 9), h.kind, h.title) for h in results.hits]
    return hits, results.total, results.suggestion, results.facets


def typed(query: str) -> list[str]:
    return [query[:end] for end in range(1, len(query) + 1)]


def test_typing_key_by_key_answers_as_a_fresh_search_would(bundled_library) -> None:
    service = bundled_library.service
    generation = bundled_library.generation
    queries = ["epidrual blood pacth", "haematoma what now", "bloodpatch after spinal"]
    seen = {}
    for query in queries:
        for text in typed(query):
            seen[text] = answer(service.search(text, limit=20))
    # asked again, narrowed to a kind, or for fewer results: still what a fresh search says
    again = {text: answer(service.search(text, limit=20)) for text in queries}
    narrowed = {text: answer(service.search(text, limit=20, kinds=["complication"])) for text in queries}
    fewer = {text: answer(service.search(text, limit=3)) for text in queries}
    fresh = SearchService(generation)
    try:
        for text, got in seen.items():
            assert got == answer(fresh.search(text, limit=20)), text
        for text in queries:
            assert again[text] == seen[text], text
            assert narrowed[text] == answer(fresh.search(text, limit=20, kinds=["complication"])), text
            assert fewer[text] == answer(fresh.search(text, limit=3)), text
            assert len(fewer[text][0]) <= 3
    finally:
        fresh.close()


def test_results_handed_out_are_the_callers_own(bundled_library) -> None:
    first = bundled_library.search("caffeine")
    first.hits.clear()
    first.facets.clear()
    again = bundled_library.search("caffeine")
    assert again.hits and again.facets


def test_a_new_generation_answers_from_its_own_content(mini_corpus: Path, tmp_path: Path) -> None:
    root = tmp_path / "index"
    corpus = load_corpus(mini_corpus)
    old = SearchService(build_generation(corpus, root, fingerprint=corpus_fingerprint(mini_corpus)))
    # asked (and typo-corrected) on the old generation first
    assert not old.search("zebra").hits
    old.search("zebar")

    path = mini_corpus / "management" / "fixture-rest.md"
    path.write_text(path.read_text().replace("title: Fixture rest and acetaminophen", "title: Zebra rest"))
    new = SearchService(build_generation(load_corpus(mini_corpus), root, fingerprint=corpus_fingerprint(mini_corpus)))
    try:
        assert new.search("zebra").hits[0].id == "fixture-rest"
        assert "fixture-rest" in [h.id for h in new.search("zebar").hits]  # the typo meets the new word
        assert not old.search("zebra").hits
    finally:
        old.close()
        new.close()


def test_the_same_search_shows_the_same_snippets_every_time(bundled_library) -> None:
    # Whoosh breaks ties between equally good fragments by memory address; the snippet must not
    # change from one run of a search to the next.
    for query in ["cant pee after epidural", "headache 12 hours after spinal what now", "spinal he", "lipid e"]:
        shown = {}
        for limit in range(20, 12, -1):  # distinct searches (none answered from memory)
            for hit in bundled_library.search(query, limit=limit).hits[:10]:
                assert shown.setdefault(hit.id, hit.snippet) == hit.snippet, (query, hit.id)
