"""The per-word cache of the analyzers changes nothing: same tokens, positions and offsets as the
plain chain, over every text of the bundled corpus (this is what the index and the queries see)."""

from __future__ import annotations

import pytest
from whoosh.analysis import CompositeAnalyzer

from index.analysis import exact_analyzer, text_analyzer
from index.content import load_corpus
from index.lexicon import Lexicon
from index.paths import bundled_resources
from index.rendering import plain_text


def _tokens(analyzer, text: str, **kwargs) -> list[tuple]:
    return [
        (t.text, t.pos, t.startchar, t.endchar, t.boost)
        for t in analyzer(text, positions=True, chars=True, boosts=True, **kwargs)
    ]


@pytest.fixture(scope="module")
def texts_and_spelling() -> tuple[list[str], dict[str, str]]:
    corpus = load_corpus(bundled_resources() / "content")
    texts = []
    for entry in corpus.entries.values():
        texts += [entry.title, *entry.aliases, plain_text(entry.summary)]
        texts += [f"{s.heading}\n{plain_text(s.markdown)}" for s in entry.sections]
    texts += ["post-dural puncture, women's anaesthetist’s re-sited l'épidurale  ANAESTHESIA Anaesthetised"]
    return texts, Lexicon.from_data(corpus.lexicon).spelling


@pytest.mark.parametrize("make", [text_analyzer, exact_analyzer])
def test_cached_analyzer_gives_the_plain_chains_tokens(make, texts_and_spelling) -> None:
    texts, spelling = texts_and_spelling
    cached = make(spelling)
    plain = CompositeAnalyzer(*make(spelling).items)
    words = 0
    for no_morph in (False, True):
        for text in texts:  # twice over: the second pass answers from the cache
            for _ in range(2):
                expected = _tokens(plain, text, no_morph=no_morph)
                assert _tokens(cached, text, no_morph=no_morph) == expected, text[:80]
                words += len(expected)
    assert words > 100_000


def test_cached_analyzer_gives_the_plain_tokens_at_query_time(texts_and_spelling) -> None:
    texts, spelling = texts_and_spelling
    cached, plain = text_analyzer(spelling), CompositeAnalyzer(*text_analyzer(spelling).items)
    for text in texts[:200]:
        expected = [t.text for t in plain(text, mode="query")]
        assert [t.text for t in cached(text, mode="query")] == expected
