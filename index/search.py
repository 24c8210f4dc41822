"""The search service: the one seam between the app and the search engine.

Queries are never handed to Whoosh's query language: the text is analysed into words and the
query tree is built here, so operators, quotes or brackets typed by a user are just words and no
input can raise. Ranking happens on whole entries (title > aliases > headings > summary > body,
plus an exact-title/alias bonus and a bonus for matching more of the words); a second pass over
the section documents of the winners names the section that matched best and makes its snippet.
"""

from __future__ import annotations

import html
import json
import math
import re
import threading
import unicodedata
from collections import Counter
from pathlib import Path

from whoosh import highlight
from whoosh import index as whoosh_index
from whoosh.collectors import TimeLimit, TimeLimitCollector
from whoosh.query import NullQuery, Or, Phrase, Query, Term
from whoosh.scoring import BM25F

from index.analysis import exact_analyzer, text_analyzer
from index.builder import SECTIONS_DIR, STORE_FILE, WHOOSH_DIR, normalise_phrase
from index.lexicon import Lexicon
from index.model import SearchHit, SearchResults
from index.store import Store

FIELD_BOOSTS = {"title": 5.0, "aliases": 4.0, "headings": 2.0, "summary": 1.5, "body": 1.0}
EXACT_BOOST = 40.0
PREFIX_BOOST = 3.0
EXPANSION_WEIGHT = 0.6
COORDINATION = 0.9
COVERAGE_WEIGHT = 1.0
CONTAINMENT_WEIGHT = 1.0
RERANK_DEPTH = 50
TYPO_WEIGHT = 0.8
MAX_CORRECTIONS = 4
MAX_QUERY_CHARS = 300
FUNCTION_WORDS = frozenset(
    "a an and are as at be by during for from in into is it of on or the to with without after before".split()
)
"""Still searched (no stop list), but not what a snippet or the page should light up."""
MAX_WORDS = 16
TIME_LIMIT_S = 0.5
SNIPPET_CHARS = 170
HIGHLIGHT_TOP = 10
"""Results past the first ten show their matched section's opening words, not a highlight:
highlighting is most of the cost of a query, and the first screen is what is read."""


def clean_query(text: str) -> str:
    """Drop control and format characters and cap the length; the rest is just words."""
    text = unicodedata.normalize("NFKC", str(text))[: MAX_QUERY_CHARS * 4]
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)
    return " ".join(text.split())[:MAX_QUERY_CHARS]


class _HitFormatter(highlight.Formatter):
    """Escaped text with <b class="hit"> around matched terms (safe to show in QTextBrowser)."""

    between = " … "

    def format_token(self, text, token, replace=False):
        return f'<b class="hit">{html.escape(highlight.get_text(text, token, replace))}</b>'

    def _text(self, text):
        return html.escape(text)


class SearchService:
    """Opened on one built generation; thread-safe (one Whoosh searcher per thread)."""

    def __init__(self, generation: Path) -> None:
        self.generation = generation
        self.index = whoosh_index.open_dir(str(generation / WHOOSH_DIR), readonly=True)
        self.sections = whoosh_index.open_dir(str(generation / SECTIONS_DIR), readonly=True)
        self.store = Store(generation / STORE_FILE)
        self.meta = self.store.meta()  # reads the store now: a damaged file fails here, not mid-search
        self.lexicon = Lexicon.from_data(json.loads(self.meta.get("lexicon") or "{}"))
        self._local = threading.local()
        self._stored: dict[int, dict] | None = None
        self._sections_of: dict[str, list[int]] | None = None
        self._searchers: list = []
        self._lock = threading.Lock()
        spelling = self.lexicon.spelling
        self._text = text_analyzer(spelling)
        self._exact = exact_analyzer(spelling)
        self.weighting = BM25F(B=0.75, K1=1.2, title_B=0.0, aliases_B=0.0, headings_B=0.3)

    # -- lifecycle -------------------------------------------------------------------------
    def _searcher(self, index: str = "entries"):
        """One searcher per thread and index, opened once and reused."""
        name = f"searcher_{index}"
        searcher = getattr(self._local, name, None)
        if searcher is None:
            source = self.index if index == "entries" else self.sections
            searcher = source.searcher(weighting=self.weighting)
            setattr(self._local, name, searcher)
            with self._lock:
                self._searchers.append(searcher)
        return searcher

    def _stored_fields(self) -> dict[int, dict]:
        """Stored fields of every entry document, read once: facets and re-ranking need them for
        every candidate, and reading them from disk per hit was a third of the query time."""
        if self._stored is None:
            with self._lock:
                if self._stored is None:
                    with self.index.reader() as reader:
                        self._stored = dict(reader.iter_docs())
        return self._stored

    def _section_docnums(self) -> dict[str, list[int]]:
        """Each entry's section documents, read once: the section pass is restricted to them by
        docnum instead of by a query per entry."""
        if self._sections_of is None:
            with self._lock:
                if self._sections_of is None:
                    mapping: dict[str, list[int]] = {}
                    with self.sections.reader() as reader:
                        for docnum, fields in reader.iter_docs():
                            mapping.setdefault(fields["entry_id"], []).append(docnum)
                    self._sections_of = mapping
        return self._sections_of

    def close(self) -> None:
        with self._lock:
            for searcher in self._searchers:
                searcher.close()
            self._searchers.clear()
        self.index.close()
        self.sections.close()
        self.store.close()

    # -- queries ---------------------------------------------------------------------------
    def _terms(self, text: str) -> list[str]:
        seen: dict[str, None] = {}
        for token in self._text(text):
            seen.setdefault(token.text, None)
        return list(seen)[:MAX_WORDS]

    def _resolve(self, term: str, reader) -> list[str]:
        """The index terms a query term stands for: itself, or, if the index has never seen it,
        the terms within a small edit distance (typo tolerance that costs nothing on good input)."""
        if len(term) < 4 or any(reader.doc_frequency(f, term) for f in FIELD_BOOSTS):
            return [term]
        distance = 1 if len(term) < 6 else 2  # Elasticsearch "AUTO": 1 edit up to 5 letters, then 2
        near: dict[str, int] = {}
        for field in ("title", "aliases", "body"):
            for candidate in reader.terms_within(field, term, distance, prefix=1):
                near[candidate] = near.get(candidate, 0) + reader.doc_frequency(field, candidate)
        best = sorted(near, key=lambda c: (-near[c], c))[:MAX_CORRECTIONS]
        return best or [term]

    def _term_query(self, term: str, alternatives: list[str]) -> Query:
        # Or, not DisjunctionMax: Whoosh 2.7.4's DisMax matcher scores documents that only a
        # low-weight field matched with another document's maximum (measured; see tests).
        return Or(
            [
                Term(field, alt, boost=boost * (1.0 if alt == term else TYPO_WEIGHT))
                for alt in alternatives
                for field, boost in FIELD_BOOSTS.items()
            ]
        )

    def build_query(self, text: str, searcher) -> tuple[Query, list[list[str]]]:
        """The query tree, and for each query word the index terms it stands for."""
        terms = self._terms(text)
        if not terms:
            return NullQuery, []
        reader = searcher.reader()
        slots = [self._resolve(term, reader) for term in terms]
        clauses: list[Query] = [self._term_query(term, alts) for term, alts in zip(terms, slots, strict=True)]
        words = [t.text for t in self._exact(text)][:MAX_WORDS]
        phrase = normalise_phrase(text, self.lexicon.spelling)
        if phrase:
            clauses.append(Term("exact", phrase, boost=EXACT_BOOST))
        last = words[-1] if words else ""
        if last and len(last) >= 2 and not text.endswith(" "):
            clauses.append(Term("prefix", last[:15], boost=PREFIX_BOOST))
        for start, end, meaning in self.lexicon.expand(words):
            meaning_text = " ".join(meaning)
            stems = self._terms(meaning_text)
            if start == 0 and end == len(words):  # the whole query is a known synonym of a name
                clauses.append(Term("exact", meaning_text, boost=EXACT_BOOST * EXPANSION_WEIGHT))
            if len(stems) > 1:
                clauses.append(
                    Or([Phrase(field, stems, boost=boost * EXPANSION_WEIGHT) for field, boost in FIELD_BOOSTS.items()])
                )
            elif stems:
                clauses.append(self._term_query(stems[0], [stems[0]]).with_boost(EXPANSION_WEIGHT))
        return Or(clauses, scale=COORDINATION), slots

    def search(
        self,
        query: str,
        *,
        limit: int = 20,
        kinds: list[str] | None = None,
        tags: list[str] | None = None,
        urgencies: list[str] | None = None,
        origins: list[str] | None = None,
    ) -> SearchResults:
        """Ranked entries for a query; never raises for any input string."""
        text = clean_query(query)
        filters = {"kind": kinds, "tags": tags, "urgency": urgencies, "origin": origins}
        try:
            return self._search(text, limit=max(1, int(limit)), filters=filters)
        except Exception:  # a search box must never crash the app; an empty answer is honest
            return SearchResults(query=text, hits=[], total=0)

    def _search(self, text: str, *, limit: int, filters: dict) -> SearchResults:
        searcher = self._searcher()
        q, slots = self.build_query(text, searcher)
        if q is NullQuery:
            return SearchResults(query=text, hits=[], total=0)
        # Kind/tag/urgency filters apply after collection so that facet counts describe the query.
        collector = TimeLimitCollector(searcher.collector(limit=None), timelimit=TIME_LIMIT_S, use_alarm=False)
        try:
            searcher.search_with_collector(q, collector)
        except TimeLimit:
            pass
        stored = self._stored_fields()
        everything = [_Candidate(docnum, score, stored[docnum]) for docnum, score in collector.results().items()]
        facets = _facets(everything)
        allowed = _allowed(everything, filters)
        ranked = self._rerank([hit for hit in everything if hit.docnum in allowed], slots, searcher)
        total = len(ranked)
        top = ranked[:limit]
        sections = self._best_sections(text, [hit["entry_id"] for hit, _ in top], searcher)
        hits = []
        for hit, score in top:
            entry_id = hit["entry_id"]
            heading, anchor, snippet, label = sections.get(entry_id) or ("Summary", "summary", "", "")
            if not snippet:
                snippet = _excerpt(hit.get("summary", ""))
            hits.append(
                SearchHit(
                    id=entry_id,
                    kind=hit["kind"],
                    title=hit["title"],
                    score=score,
                    section=heading,
                    anchor=anchor,
                    snippet=snippet,
                    urgency=hit.get("urgency") or None,
                    tags=tuple(t for t in (hit.get("tags") or "").split(",") if t),
                    label=label or hit.get("label") or "",
                )
            )
        corrected = any(alts != [term] for term, alts in zip(self._terms(text), slots, strict=False))
        suggestion = self.suggest(text, searcher) if corrected or total < 3 else None
        return SearchResults(query=text, hits=hits, total=total, suggestion=suggestion, facets=facets)

    def _rerank(self, hits: list, slots: list[list[str]], searcher) -> list[tuple]:
        """Re-rank the top candidates by how well their names (title, aliases) fit the query.

        BM25 alone lets a short title sharing two words ("Epidural blood patch") beat the entry
        whose name holds every word typed ("Persistent headache after epidural blood patch"), and
        cannot tell that "epidural blood patch volume" names one entry plus a detail. Two general
        signals fix both, each weighted by the words' rarity (IDF) so that "after" or "epidural"
        count for less than "abscess" or "drop": the share of the query found in the entry's names
        (coverage), and the longest name contained whole in the query (containment).
        """
        scored = [(hit, float(hit.score or 0.0)) for hit in hits]
        if len(slots) < 2:
            return scored
        reader = searcher.reader()
        total = max(1, reader.doc_count())

        def idf(term: str) -> float:
            return math.log(1.0 + total / (1 + reader.doc_frequency("body", term)))

        weights = [max(idf(t) for t in alternatives) for alternatives in slots]
        query_weight = sum(weights)
        head, tail = scored[:RERANK_DEPTH], scored[RERANK_DEPTH:]

        def boosted(item: tuple) -> tuple:
            hit, score = item
            names = [set(name.split()) for name in (hit.get("name_terms") or "").split("|") if name.strip()]
            every = set().union(*names) if names else set()
            covered = sum(w for w, alts in zip(weights, slots, strict=True) if every & set(alts)) / query_weight
            contained = 0.0
            for name in names:
                if name and all(any(t in alts for alts in slots) for t in name):
                    matched = sum(w for w, alts in zip(weights, slots, strict=True) if name & set(alts))
                    contained = max(contained, matched / query_weight)
            return hit, score * (1.0 + COVERAGE_WEIGHT * covered + CONTAINMENT_WEIGHT * contained)

        return sorted(map(boosted, head), key=lambda item: item[1], reverse=True) + tail

    def _best_sections(self, text: str, entry_ids: list[str], searcher) -> dict[str, tuple[str, str, str, str]]:
        """For each entry, the section whose text best matches the query, with a snippet."""
        if not entry_ids:
            return {}
        terms = [t for t in self._terms(text) if t not in FUNCTION_WORDS] or self._terms(text)
        clauses = []
        for term in terms:
            clauses.append(Term("body", term))
            clauses.append(Term("headings", term, boost=1.5))
        if not clauses:
            return {}
        q = Or(clauses, scale=COORDINATION)
        by_entry = self._section_docnums()
        scope = {docnum for entry_id in entry_ids for docnum in by_entry.get(entry_id, ())}
        results = self._searcher("sections").search(q, filter=scope, limit=len(scope), terms=True)
        results.fragmenter = highlight.PinpointFragmenter(maxchars=SNIPPET_CHARS, surround=60, autotrim=True)
        results.formatter = _HitFormatter()
        best: dict[str, tuple[str, str, str, str]] = {}
        highlighted = set(entry_ids[:HIGHLIGHT_TOP])
        for hit in results:
            entry_id = hit["entry_id"]
            if entry_id in best:
                continue
            snippet = hit.highlights("body", top=1) if entry_id in highlighted else ""
            best[entry_id] = (
                hit["heading"],
                hit["anchor"],
                snippet or _excerpt(hit.get("body", "")),
                hit.get("label") or "",
            )
        return best

    def matching_words(self, query: str, words: list[str]) -> set[str]:
        """Which of these words (from a page) the query would match: what the reader highlights."""
        text = clean_query(query)
        reader = self._searcher().reader()
        wanted = {alt for term in self._terms(text) for alt in self._resolve(term, reader)} - FUNCTION_WORDS
        if not wanted:
            return set()
        return {word for word in set(words) if wanted & {t.text for t in self._text(word)}}

    def suggest(self, text: str, searcher=None) -> str | None:
        """ "Did you mean": each unknown word replaced by the closest word in the corpus."""
        searcher = searcher or self._searcher()
        corrector = searcher.corrector("body")
        reader = searcher.reader()
        words = re.findall(r"\w+", text.lower())
        changed = False
        out = []
        for word in words:
            stems = self._terms(word)
            known = any(reader.doc_frequency(f, s) for s in stems for f in FIELD_BOOSTS) if stems else True
            if known or len(word) < 3:
                out.append(word)
                continue
            candidates = [c for c in corrector.suggest(word, limit=3, maxdist=2) if c != word]
            if candidates:
                out.append(candidates[0])
                changed = True
            else:
                out.append(word)
        return " ".join(out) if changed else None


class _Candidate:
    """A matched entry document: its score and its cached stored fields (reads like a Whoosh hit)."""

    __slots__ = ("docnum", "fields", "score")

    def __init__(self, docnum: int, score: float, fields: dict) -> None:
        self.docnum, self.score, self.fields = docnum, score, fields

    def __getitem__(self, name: str):
        return self.fields[name]

    def get(self, name: str, default=None):
        return self.fields.get(name, default)


def _facets(results) -> dict[str, dict[str, int]]:
    counts: dict[str, Counter] = {"kind": Counter(), "tags": Counter(), "urgency": Counter(), "origin": Counter()}
    for hit in results:
        counts["kind"][hit["kind"]] += 1
        counts["origin"][hit.get("origin") or "curated"] += 1
        if hit.get("urgency"):
            counts["urgency"][hit["urgency"]] += 1
        for tag in (hit.get("tags") or "").split(","):
            if tag:
                counts["tags"][tag] += 1
    return {name: dict(counter.most_common()) for name, counter in counts.items()}


def _allowed(results, filters: dict) -> set[int]:
    """Documents that pass every filter: any of the values within a facet, all facets together."""
    allowed = set()
    for hit in results:
        ok = True
        for field, values in filters.items():
            if not values:
                continue
            have = set((hit.get(field) or "").split(",")) if field == "tags" else {hit.get(field) or ""}
            if field == "origin" and have == {""}:
                have = {"curated"}
            if not have & set(values):
                ok = False
                break
        if ok:
            allowed.add(hit.docnum)
    return allowed


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    if len(text) > SNIPPET_CHARS:
        text = text[:SNIPPET_CHARS].rsplit(" ", 1)[0] + " …"
    return html.escape(text)
