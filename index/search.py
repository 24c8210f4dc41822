"""The search service: the one seam between the app and the search engine.

Queries are never handed to Whoosh's query language: the text is parsed once by the presentation
layer (index/presentation: symptoms, procedure, time since it, drugs, intent) and the query tree is
built here, so operators, quotes or brackets typed by a user are just words and no input can raise.
Ranking happens on whole entries: the text match (title > aliases > headings > summary > body, an
exact-title/alias bonus, IDF-weighted coverage of the words) plus, when the query describes a
presentation, how well each complication's profile fits it. Only the results that answer the query
are kept (a score ratio to the best), and a second pass over the section documents of the winners
names the section that answers best (Management for "what now") and makes its snippet.
"""

from __future__ import annotations

import dataclasses
import heapq
import html
import json
import logging
import math
import re
import threading
import time
import unicodedata
from collections import Counter, OrderedDict
from pathlib import Path

from whoosh import highlight
from whoosh.collectors import TimeLimit, TimeLimitCollector
from whoosh.query import NullQuery, Or, Phrase, Query, Term
from whoosh.scoring import BM25F

from index.analysis import TOKEN_PATTERN, exact_analyzer, text_analyzer
from index.fuzzy import WordList
from index.layout import SECTIONS_DIR, STORE_FILE, WHOOSH_DIR, normalise_phrase
from index.lexicon import Lexicon
from index.model import SearchHit, SearchResults
from index.presentation import ProfileScorer, SearchQuery, load_vocabulary, parse_query
from index.presentation.profiles import load_profiles
from index.presentation.words import FILLERS, word_key
from index.segment_storage import open_mapped
from index.store import Store

log = logging.getLogger(__name__)

FIELD_BOOSTS = {"title": 5.0, "aliases": 4.0, "headings": 2.0, "summary": 1.5, "body": 1.0}
NAME_FIELDS = {"title": 5.0, "aliases": 4.0}
TEXT_FIELDS = {"headings": 2.0, "summary": 1.5, "body": 1.0}
CONTEXT_WORD_BOOST = 0.3
"""Words that only set the context ("after", or "epidural" in "weak legs after epidural") count
for less than the words that say what is wrong."""
LAY_WORD_WEIGHT = 0.3
"""Text weight of the words of a symptom phrase the content never uses (the profile fit carries
their meaning)."""
PROFILE_WEIGHT = 1.6
"""How much a complication's profile fit counts against the text match (normalised to the best)."""
TREATS_SHARE = 0.5
TREATS_SHARE_ASKED = 0.9
TREATS_SHARE_GIVEN = 1.2
"""A management entry inherits this share of the best fit among the complications it treats; more
when the query asks what to do or names a drug, and most when it names a drug as the treatment ("X
for Y"): the question is then what treats Y with X, not what Y is."""
CONTEXT_LINK = 0.15
"""An entry linked with the procedure the query names ("... before spinal") fits the context."""
DRUG_CONTEXT_LINK = 0.4
"""A drug named with a procedure ("tinzaparin before spinal") asks how the two go together: the
entries linked with the procedure answer that, not the ones that merely use the drug elsewhere."""
DRUG_UNLINKED = 0.7
"""... and an entry with no link to the procedure answers less of that question."""
DRUG_UNNAMED = 0.6
"""A query that names a drug asks about that drug: an entry that never mentions it (nor the class
the content uses for it) answers less of the question, however well it fits the rest."""
NAMED_PROCEDURE = 0.3
NAMED_ENTRY = 1.0
"""Lift for an entry whose title, alias or abbreviation the query types whole, times the share of the
query that name covers: "PDPH in labour" is about PDPH, "LAST lipid dose" about LAST."""
"""The page of the procedure named fits the context more than the pages linked with it."""
NOT_A_TREATMENT = 0.7
"""A question for a treatment of what the query describes ("numbing swab up the nose for headache") is
answered less by an entry that treats none of it (the assessment, the complication's own page)."""
HOW_TO_PROCEDURE = 0.5
"""A question how to do a procedure it names ("spinal for caesarean, how to") is answered by that
procedure's own page, however many other pages share its other words; more so the more of the
query the procedure's name is."""
TRIED = 0.4
"""A step the query says was done, failed or refused ("caffeine not helping", "MRI shows a clot") is
the question's past, not its answer..."""
NEXT_STEP = 0.75
"""... the steps after it on a management pathway, and the other treatments of what it treats, are."""
CUTOFF = 0.3
"""Results scoring below this share of the best are not an answer to the query and are not shown."""
CUTOFF_ONE_WORD = 0.15
"""A one-word query names a topic rather than asking a question: entries that are substantially
about it count, not only the best few."""
COLLECT_LIMIT = 200
EXACT_BOOST = 40.0
PREFIX_BOOST = 3.0
EXPANSION_WEIGHT = 0.6
COORDINATION = 0.9
COVERAGE_WEIGHT = 1.0
CONTAINMENT_WEIGHT = 1.0
RERANK_DEPTH = 50
TYPO_WEIGHT = 0.8
MAX_CORRECTIONS = 4
COMPOUND_MIN_CHARS = 6
"""The shortest unknown word read as two words run together ("wettap" = "wet tap")."""
UNDERSTOOD_TYPO_CHARS = 6
MAX_QUERY_CHARS = 300
PHRASE_CACHE = 10_000
FUNCTION_WORDS = frozenset(
    "a an and are as at be by during for from in into is it of on or the to with without after before".split()
)
"""Still searched (no stop list), but not what a snippet or the page should light up."""
PARTICLES = frozenset("back up down out off".split())
"""Words that mostly finish a verb ("fluid coming back", "wore off"): they name a body part or a
posture only inside a phrase the vocabulary reads ("back pain", "sitting up")."""
MAX_WORDS = 16
TIME_LIMIT_S = 1.0
"""A guard against pathological input only: a search it cuts short is marked partial, never passed off
as complete (under heavy load it can fire on an ordinary query)."""
SNIPPET_CHARS = 170
HIGHLIGHT_TOP = 10
"""Results past the first ten show their matched section's opening words, not a highlight:
highlighting is most of the cost of a query, and the first screen is what is read."""
LANDING_BOOST = 3.0
"""A section whose heading answers what the query asks for ("what now": Management) wins over one
that merely matched more words."""
RECENT_RESULTS = 64
"""Searches remembered whole: the search box asks again for what it just showed (a filter toggled
back, a word deleted while typing)."""
WORD_CACHE = 20_000
"""Per-word answers (analysed terms, known or not, typo corrections) remembered per generation:
each keystroke changes one word, the others were already worked out."""


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


class _FirstOfEqualFragments(highlight.BasicFragmentScorer):
    """Whoosh's fragment score, with the earlier of two equally good fragments preferred: Whoosh
    breaks the tie by the fragments' memory addresses, so the same search could show another
    snippet each time it ran. Scores of fragments with matches are whole multiples of 100, so
    the tie-break (under 1e-6) never reorders unequal ones."""

    def __call__(self, fragment) -> float:
        return super().__call__(fragment) + 1e-6 / (1 + fragment.startchar)


class SearchService:
    """Opened on one built generation; thread-safe (one Whoosh searcher per thread)."""

    def __init__(self, generation: Path) -> None:
        self.generation = generation
        self.index = open_mapped(str(generation / WHOOSH_DIR))
        self.sections = open_mapped(str(generation / SECTIONS_DIR))
        self.store = Store(generation / STORE_FILE)
        self.meta = self.store.meta()  # reads the store now: a damaged file fails here, not mid-search
        self.lexicon = Lexicon.from_data(json.loads(self.meta.get("lexicon") or "{}"))
        self._local = threading.local()
        self._stored: dict[int, dict] | None = None
        self._sections_of: dict[str, list[int]] | None = None
        self._docnum_of: dict[str, int] | None = None
        self._names: dict[tuple[str, ...], set[str]] | None = None
        self._phrase_used: dict[tuple[str, ...], bool] = {}
        self._profiles: ProfileScorer | None = None
        self._treats: dict[str, set[str]] = {}
        self._linked: dict[str, set[str]] = {}
        self._cited_by: dict[str, set[str]] = {}
        self._pathways: list[list[set[str]]] | None = None
        self._searchers: list = []
        self._lock = threading.Lock()
        # Per-generation caches: the index never changes under an opened service (a new generation
        # is a new service), so nothing here is ever stale.
        self._word_lists: dict[str, WordList] = {}
        self._terms_of: dict[str, list[str]] = {}
        self._known_terms: dict[str, bool] = {}
        self._resolved: dict[str, list[str]] = {}
        self._compounds: dict[str, tuple[str, str] | None] = {}
        self._corrections: dict[str, list[str]] = {}
        self._named: dict[str, dict[str, float]] = {}
        self._recent: OrderedDict[tuple, SearchResults] = OrderedDict()
        spelling = self.lexicon.spelling
        self._text = text_analyzer(spelling)
        self._exact = exact_analyzer(spelling)
        self.weighting = BM25F(B=0.75, K1=1.2, title_B=0.0, aliases_B=0.0, headings_B=0.3)
        self.vocabulary = load_vocabulary()

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

    def _entry_docnums(self) -> dict[str, int]:
        if self._docnum_of is None:
            self._docnum_of = {fields["entry_id"]: docnum for docnum, fields in self._stored_fields().items()}
        return self._docnum_of

    def _entry_names(self) -> dict[tuple[str, ...], set[str]]:
        """Each name (title or alias) as index terms, to the entries it names; read once."""
        if self._names is None:
            names: dict[tuple[str, ...], set[str]] = {}
            for fields in self._stored_fields().values():
                for name in (fields.get("name_terms") or "").split("|"):
                    terms = tuple(name.split())
                    if terms:
                        names.setdefault(terms, set()).add(fields["entry_id"])
            self._names = names
        return self._names

    def _named_entries(self, parsed: SearchQuery) -> dict[str, float]:
        """The entries whose name the query types whole (or through an abbreviation or synonym of
        it), with the share of the query's words that name covers; a name inside a longer name also
        typed does not count ("epidural blood patch" in "back pain after epidural blood patch").
        Read once per query text: ranking and the landing section both ask."""
        named = self._named.get(parsed.search_text)
        if named is None:
            named = self._find_named_entries(parsed)
            _remember(self._named, parsed.search_text, named)
        return named

    def _find_named_entries(self, parsed: SearchQuery) -> dict[str, float]:
        exact_words = [t.text for t in self._exact(parsed.search_text)][:MAX_WORDS]
        if not exact_words:
            return {}
        readings = [exact_words]
        for start, end, meaning in self.lexicon.expand(exact_words, parsed.search_text)[:8]:
            if end - start == 1 and len(meaning) > 1:  # an abbreviation read out ("PDPH")
                readings.append(exact_words[:start] + list(meaning) + exact_words[end:])
        names = self._entry_names()
        longest = max(map(len, names), default=0)
        named: dict[str, float] = {}
        for reading in readings:
            terms = [t.text for t in self._text(" ".join(reading))]
            content = sum(t not in FUNCTION_WORDS for t in terms) or 1
            spans = []
            for size in range(min(longest, len(terms)), 0, -1):
                for start in range(len(terms) - size + 1):
                    key = tuple(terms[start : start + size])
                    if key not in names or all(t in FUNCTION_WORDS for t in key):
                        continue
                    if any(s <= start and start + size <= e for s, e, _ in spans):
                        continue
                    spans.append((start, start + size, key))
            for _, _, key in spans:
                share = min(1.0, sum(t not in FUNCTION_WORDS for t in key) / content)
                for entry_id in names[key]:
                    named[entry_id] = max(named.get(entry_id, 0.0), share)
        return named

    def profiles(self) -> ProfileScorer:
        """Complication profiles and what treats them, read once from the store."""
        if self._profiles is None:
            with self._lock:
                if self._profiles is None:
                    treats: dict[str, set[str]] = {}
                    linked: dict[str, set[str]] = {}
                    cited: dict[str, set[str]] = {}  # entry -> the entries whose pages link to it
                    for row in self.store.db.query("select source, target, type from links"):
                        if row["type"] == "treats":
                            treats.setdefault(row["source"], set()).add(row["target"])
                        linked.setdefault(row["source"], set()).add(row["target"])
                        linked.setdefault(row["target"], set()).add(row["source"])
                        cited.setdefault(row["target"], set()).add(row["source"])
                    self._treats = treats
                    self._linked = linked
                    self._cited_by = cited
                    self._profiles = ProfileScorer(load_profiles(self.store), self.vocabulary.red_flags)
        return self._profiles

    def _pathway_steps(self) -> list[list[set[str]]]:
        """Each management pathway's steps in order, as the entries of each step; read once."""
        if self._pathways is None:
            pathways = []
            for item in json.loads(self.meta.get("pathways") or "[]"):
                steps = item.get("steps") if isinstance(item, dict) else None
                boxes = [set(step.get("boxes") or ()) for step in steps or () if isinstance(step, dict)]
                if boxes:
                    pathways.append(boxes)
            self._pathways = pathways
        return self._pathways

    def _tried_entries(self, phrases: tuple[tuple[str, ...], ...], *, about: bool = False) -> set[str]:
        """The entries of the steps typed: a procedure the vocabulary reads in the step's words, an entry
        whose whole name they are ("caffeine", "blood patch"), else one whose name adds a single word to
        them ("MRI": "urgent MRI"); with `about`, also every entry named after the step ("repeat blood
        patch")."""
        tried: set[str] = set()
        names = self._entry_names()
        for phrase in phrases:
            text = " ".join(phrase)
            tried.update(m.meaning.value[0] for m in self.vocabulary.match(text) if m.meaning.kind == "procedure")
            terms = [t.text for t in self._text(text)]
            whole = {
                e
                for size in range(1, len(terms) + 1)
                for start in range(len(terms) - size + 1)
                for e in names.get(tuple(terms[start : start + size]), ())
            }
            wanted = set(terms) - FUNCTION_WORDS
            for name, entries in names.items():
                if not wanted or not wanted <= set(name):
                    continue
                extra = [t for t in name if t not in wanted and t not in FUNCTION_WORDS]
                if about or (not whole and len(extra) == 1):
                    tried.update(entries)
            tried |= whole
        return tried

    def _next_steps(self, tried: set[str], refused: bool) -> dict[str, float]:
        """What comes after the steps tried, nearest first: the later steps on the pathways they are on;
        for a step refused, the alternatives to it instead (the other treatments of what it treats)."""
        self.profiles()  # reads the links
        following: dict[str, float] = {}

        def add(entry_id: str, distance: int) -> None:
            lift = NEXT_STEP / distance**0.5
            if entry_id not in tried and lift > following.get(entry_id, 0.0):
                following[entry_id] = lift

        for steps in self._pathway_steps():
            for place, boxes in enumerate(steps):
                if not boxes & tried:
                    continue
                if refused:  # the alternatives beside it, not what follows doing it
                    for entry_id in boxes:
                        add(entry_id, 1)
                    continue
                for distance, later in enumerate(steps[place + 1 :], start=1):
                    for entry_id in later:
                        add(entry_id, distance)
        if refused:
            for entry_id in tried:
                treated = self._treats.get(entry_id, set())
                for source, targets in self._treats.items():
                    if targets & treated:
                        add(source, 1)
        return following

    def parse(self, text: str) -> SearchQuery:
        """The query's meaning, read once and reused by every step of the search."""
        return parse_query(clean_query(text), self.vocabulary)

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
        terms = self._terms_of.get(text)
        if terms is None:
            seen: dict[str, None] = {}
            for token in self._text(text):
                seen.setdefault(token.text, None)
            terms = list(seen)[:MAX_WORDS]
            _remember(self._terms_of, text, terms)
        return list(terms)

    def _known(self, reader, term: str) -> bool:
        known = self._known_terms.get(term)
        if known is None:
            known = any(reader.doc_frequency(f, term) for f in FIELD_BOOSTS)
            _remember(self._known_terms, term, known)
        return known

    def _terms_within(self, reader, field: str, term: str, maxdist: int, prefix: int = 0) -> list[str]:
        """reader.terms_within from the field's word list, read into memory once per generation
        (the same words, without walking the on-disk term dictionary for every typo)."""
        if not reader.is_atomic():  # several segments: Whoosh's own (slower) way
            return list(reader.terms_within(field, term, maxdist, prefix=prefix))
        words = self._word_lists.get(field)
        if words is None:
            spell_field = reader.schema[field].spelling_fieldname(field)
            words = WordList(reader.schema[spell_field].from_bytes(b) for b in reader.lexicon(spell_field))
            self._word_lists[field] = words
        return words.within(term, maxdist, prefix)

    def _resolve(self, term: str, reader) -> list[str]:
        """The index terms a query term stands for: itself, or, if the index has never seen it,
        the terms within a small edit distance, a swap of two letters counting as one edit (typo
        tolerance that costs nothing on good input)."""
        if len(term) < 4 or self._known(reader, term):
            return [term]
        resolved = self._resolved.get(term)
        if resolved is None:
            resolved = self._resolve_typo(term, reader)
            _remember(self._resolved, term, resolved)
        return list(resolved)

    def _resolve_typo(self, term: str, reader) -> list[str]:
        distance = 1 if len(term) < 6 else 2  # Elasticsearch "AUTO": 1 edit up to 5 letters, then 2
        near: dict[str, int] = {}
        for field in ("title", "aliases", "body"):
            for candidate in self._terms_within(reader, field, term, distance, prefix=1):
                near[candidate] = near.get(candidate, 0) + reader.doc_frequency(field, candidate)
        swaps: dict[str, int] = {}
        for i in range(1, len(term) - 1):  # transpositions: "pdhp" is one slip from "pdph"
            swapped = term[:i] + term[i + 1] + term[i] + term[i + 2 :]
            if swapped == term:
                continue
            if self._known(reader, swapped):
                near[swapped] = near.get(swapped, 0) + 1000  # nearer than any two-edit candidate
            elif distance > 1:  # a swap and one more slip ("pnuemocephalous") is two slips too
                for field in ("title", "aliases", "body"):
                    for candidate in self._terms_within(reader, field, swapped, distance - 1, prefix=1):
                        swaps[candidate] = swaps.get(candidate, 0) + reader.doc_frequency(field, candidate)
        for candidate, frequency in swaps.items():
            near.setdefault(candidate, frequency)
        best = sorted(near, key=lambda c: (-near[c], c))[:MAX_CORRECTIONS]
        return best or [term]

    def _split_compound(self, word: str, reader) -> tuple[str, str] | None:
        """An unknown word that is two known words run together ("bloodpatch" = "blood patch")."""
        word = word.lower()
        if word in self._compounds:
            return self._compounds[word]
        parts = self._find_compound(word, reader)
        _remember(self._compounds, word, parts)
        return parts

    def _find_compound(self, word: str, reader) -> tuple[str, str] | None:
        if (
            len(word) < COMPOUND_MIN_CHARS
            or not word.isalpha()
            or any(self._known(reader, t) for t in self._terms(word))
        ):
            return None
        for cut in range(3, len(word) - 2):
            left, right = self._terms(word[:cut]), self._terms(word[cut:])
            if len(left) == 1 and len(right) == 1:
                if reader.doc_frequency("body", left[0]) and reader.doc_frequency("body", right[0]):
                    return word[:cut], word[cut:]
        return None

    def _term_query(self, term: str, alternatives: list[str], fields: dict[str, float] | None = None) -> Query:
        # Or, not DisjunctionMax: Whoosh 2.7.4's DisMax matcher scores documents that only a
        # low-weight field matched with another document's maximum (measured; see tests).
        return Or(
            [
                Term(field, alt, boost=boost * (1.0 if alt == term else TYPO_WEIGHT))
                for alt in alternatives
                for field, boost in (fields or FIELD_BOOSTS).items()
            ]
        )

    def _phrase_query(self, stems: list[str], weight: float) -> Query:
        return Or([Phrase(field, stems, boost=boost * weight) for field, boost in FIELD_BOOSTS.items()])

    def build_query(
        self, parsed: SearchQuery, searcher, lay: set[str] | None = None
    ) -> tuple[Query, list[list[str]], list[float]]:
        """The query tree; for each query word the index terms it stands for, and its weight."""
        text = parsed.search_text
        reader = searcher.reader()
        # With a presentation typed, the words naming the procedure only set the context, and a lay
        # phrase's words ("two of everything") are read by the profile fit, not matched as text.
        presenting = parsed.describes_presentation
        context_words = parsed.context_words if presenting else parsed.setting_words
        # The words of a step already done or refused ("caffeine not helping") are its past, not its topic.
        context_words = context_words | {w for step in parsed.tried + parsed.refused for w in step}
        if lay is None:
            lay = self._lay_words(parsed, searcher)
        words: dict[str, tuple[list[str], dict[str, float], float]] = {}
        clauses: list[Query] = []
        typed_words = re.findall(TOKEN_PATTERN, text)[: MAX_WORDS * 2]
        single_names = [name for name in parsed.drug_names if len(self._terms(name)) == 1]
        drug_terms = list(dict.fromkeys(t for name in single_names for t in self._terms(name)))
        compounds = {}
        for typed in typed_words:
            parts = self._split_compound(typed, reader)
            if parts:
                compounds[typed] = parts
                clauses.append(self._phrase_query([t for p in parts for t in self._terms(p)], 1.0))
        if compounds:  # read on as if typed apart: names and synonyms then meet ("blood patch")
            text = " ".join(" ".join(compounds.get(w, (w,))) for w in typed_words)
        for typed in typed_words:
            written = self.lexicon.case_sensitive.get(typed.lower())
            fields = FIELD_BOOSTS if written is None else (NAME_FIELDS if typed == written else TEXT_FIELDS)
            lowered = typed.lower()
            particle = lowered in PARTICLES and lowered not in parsed.understood and len(typed_words) > 1
            if lowered in FUNCTION_WORDS or lowered in context_words or word_key(lowered) in FILLERS or particle:
                weight = CONTEXT_WORD_BOOST
            elif lowered in lay:
                weight = LAY_WORD_WEIGHT
            else:
                weight = 1.0
            for term in self._terms(typed):
                if term in words or len(words) >= MAX_WORDS:
                    continue
                # A short word the vocabulary read ("pee", "cant") is not a typo to correct.
                short = lowered in parsed.understood and len(lowered) < UNDERSTOOD_TYPO_CHARS
                alternatives = [term] if short else self._resolve(term, reader)
                if lowered in parsed.drug_words:  # a brand or a drug the content names by its class
                    alternatives = [term] + [t for t in drug_terms if t != term]
                words[term] = (alternatives, fields, weight)
        if not words:
            return NullQuery, [], []
        for term, (alternatives, fields, weight) in words.items():
            clauses.append(self._term_query(term, alternatives, fields).with_boost(weight))
        exact_words = [t.text for t in self._exact(text)][:MAX_WORDS]
        phrase = normalise_phrase(text, self.lexicon.spelling)
        if phrase and (len(exact_words) > 1 or self.lexicon.typed_as_abbreviation(phrase, text)):
            clauses.append(Term("exact", phrase, boost=EXACT_BOOST))
        if len(words) == 1:  # one mistyped word: its correction is taken as the name it stands for
            term, (alternatives, _, _) = next(iter(words.items()))
            for alternative in alternatives[:1] if alternatives != [term] else []:
                clauses.append(Term("exact", alternative, boost=EXACT_BOOST * TYPO_WEIGHT))
                exact_words = [alternative]
        last = exact_words[-1] if exact_words else ""
        if last and len(last) >= 2 and not text.endswith(" "):
            clauses.append(Term("prefix", last[:15], boost=PREFIX_BOOST))
        meanings = [(s, e, m, EXPANSION_WEIGHT) for s, e, m in self.lexicon.expand(exact_words, text)]
        # A drug typed is the topic: the names the content uses for it weigh as much as typed words.
        meanings += [(0, 0, tuple(name.split()), 1.0) for name in parsed.drug_names if name not in single_names]
        for start, end, meaning, weight in meanings:
            meaning_text = " ".join(meaning)
            stems = self._terms(meaning_text)
            if start == 0 and end == len(exact_words):  # the whole query is a known synonym of a name
                clauses.append(Term("exact", meaning_text, boost=EXACT_BOOST * weight))
            if len(stems) > 1:
                clauses.append(self._phrase_query(stems, weight))
            elif stems:
                clauses.append(self._term_query(stems[0], [stems[0]]).with_boost(weight))
        slots = [alternatives for alternatives, _, _ in words.values()]
        weights = [weight for _, _, weight in words.values()]
        query = Or(clauses, scale=COORDINATION)
        if len(query.existing_terms(reader, phrases=False)) < 2:
            # Whoosh's coordination bonus (CoordMatcher) multiplies by (n - 1) / n over the terms
            # that exist: with only one, every score would be zero.
            query = Or(clauses)
        return query, slots, weights

    def _lay_words(self, parsed: SearchQuery, searcher) -> set[str]:
        """The words of the symptom phrases the content never uses as typed ("two of everything",
        "head hurts when I stand up"): their meaning reaches the ranking through the profile fit,
        and as text they would only match chance words."""
        lay: set[str] = set()
        if not parsed.describes_presentation:
            return lay
        for phrase in parsed.symptom_phrases:
            stems = [t for word in phrase for t in self._terms(word)]
            if not stems:
                continue
            key = tuple(stems)
            used = self._phrase_used.get(key)
            if used is None:
                if len(stems) == 1:
                    used = any(searcher.reader().doc_frequency(f, stems[0]) for f in FIELD_BOOSTS)
                else:
                    used = not searcher.search(self._phrase_query(stems, 1.0), limit=1).is_empty()
                if len(self._phrase_used) < PHRASE_CACHE:  # the generation never changes under us
                    self._phrase_used[key] = used
            if not used:
                lay.update(phrase)
        return lay

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
        """The entries that answer a query, best first; never raises for any input string.

        If the engine itself fails, the result is empty and says so in `error`, so the caller can
        tell "nothing matched" from "search is broken".
        """
        text = clean_query(query)
        filters = {"kind": kinds, "tags": tags, "urgency": urgencies, "origin": origins}
        try:
            limit = max(1, int(limit))
            key = (text, limit, tuple(tuple(values or ()) for values in filters.values()))
            with self._lock:
                results = self._recent.get(key)
                if results is not None:
                    self._recent.move_to_end(key)
            if results is None:
                results = self._search(text, limit=limit, filters=filters)
                if not results.partial and not results.error:
                    with self._lock:
                        self._recent[key] = results
                        while len(self._recent) > RECENT_RESULTS:
                            self._recent.popitem(last=False)
            return _copy(results)
        except Exception as exc:  # the search box must not crash the app, nor hide a fault
            log.exception("search failed for %r", text)
            return SearchResults(query=text, hits=[], total=0, error=f"search failed ({type(exc).__name__}: {exc})")

    def _search(self, text: str, *, limit: int, filters: dict) -> SearchResults:
        searcher = self._searcher()
        parsed = parse_query(text, self.vocabulary)
        lay = self._lay_words(parsed, searcher)
        q, slots, weights = self.build_query(parsed, searcher, lay)
        if q is NullQuery and not parsed.describes_presentation:
            return SearchResults(query=text, hits=[], total=0)
        partial = False
        scores: dict[int, float] = {}
        if q is not NullQuery:
            # The best COLLECT_LIMIT by text score; the time limit only guards pathological input and,
            # if it ever cuts a search short, the result says it is partial.
            collector = _DeadlineCollector(searcher.collector(limit=COLLECT_LIMIT), timelimit=TIME_LIMIT_S)
            try:
                searcher.search_with_collector(q, collector)
            except TimeLimit:
                partial = True
            scores = {hit.docnum: float(hit.score or 0.0) for hit in collector.results()}
        stored = self._stored_fields()
        candidates = [_Candidate(docnum, score, stored[docnum]) for docnum, score in scores.items()]
        ranked = self._rank(candidates, parsed, slots, weights, searcher, lay)
        facets = _facets([hit for hit, _ in ranked])
        allowed = _allowed([hit for hit, _ in ranked], filters)
        ranked = [(hit, score) for hit, score in ranked if hit.docnum in allowed]
        total = len(ranked)
        top = ranked[:limit]
        sections = self._best_sections(parsed, [hit["entry_id"] for hit, _ in top])
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
        corrected = any(alts != [term] for term, alts in zip(self._terms(parsed.search_text), slots, strict=False))
        suggestion = self.suggest(text, searcher, parsed) if corrected or not total else None
        return SearchResults(query=text, hits=hits, total=total, suggestion=suggestion, facets=facets, partial=partial)

    def _one_word_synonyms(self, parsed: SearchQuery, slots: list[list[str]]) -> list[list[str]]:
        """The slots with the one-word synonym of the run of words they are part of ("didnt work" =
        "failed"), so an entry named with the synonym ("Failed blood patch") covers those words."""
        text = parsed.search_text
        exact_words = [t.text for t in self._exact(text)][:MAX_WORDS]
        renamed: dict[str, list[str]] = {}
        for start, end, meaning in self.lexicon.expand(exact_words, text):
            stems = self._terms(" ".join(meaning))
            if len(stems) == 1:
                for term in (t for word in exact_words[start:end] for t in self._terms(word)):
                    renamed.setdefault(term, []).append(stems[0])
        if not renamed:
            return slots
        return [alts + [s for t in alts[:1] for s in renamed.get(t, []) if s not in alts] for alts in slots]

    def _rank(self, candidates: list, parsed: SearchQuery, slots, weights, searcher, lay=frozenset()) -> list[tuple]:
        """Text match and profile fit together, best first, cut to the results that answer."""
        text_scores = dict(self._rerank(candidates, self._one_word_synonyms(parsed, slots), weights, searcher))
        # The best text match counts in full only when the words it matched are the content's own:
        # a query typed all in lay words leaves the order to the profile fit.
        content = [w.lower() for w in re.findall(TOKEN_PATTERN, parsed.search_text)]
        content = [w for w in content if w not in FUNCTION_WORDS and word_key(w) not in FILLERS]
        procedure_share = sum(w in parsed.context_words for w in content) / max(1, len(content))
        content = [w for w in content if w not in parsed.context_words] or content
        text_share = 1.0 - (1.0 - LAY_WORD_WEIGHT) * sum(w in lay for w in content) / max(1, len(content))
        best_text = (max(text_scores.values(), default=0.0) or 1.0) / text_share
        fits = self._profile_fits(parsed)
        stored = self._stored_fields()
        by_id = {hit["entry_id"]: hit for hit in candidates}
        docnums = self._entry_docnums()
        for entry_id in fits:
            if entry_id not in by_id and entry_id in docnums:
                docnum = docnums[entry_id]
                by_id[entry_id] = _Candidate(docnum, 0.0, stored[docnum])
        combined = []
        self.profiles()  # reads the links too
        named = set(parsed.procedures)
        naming_drug = self._naming_drug(parsed, searcher)
        # A procedure typed is the context (weighed above); a drug typed asks what it treats.
        named_entries = {} if naming_drug is not None else self._named_entries(parsed)
        named_entries = {e: share for e, share in named_entries.items() if e not in named}
        # A step refused takes with it every entry named after it ("repeat blood patch").
        tried = self._tried_entries(parsed.tried) | self._tried_entries(parsed.refused, about=True)
        following = self._next_steps(tried, refused=bool(parsed.refused)) if tried else {}
        for entry_id in following:
            if entry_id not in by_id and entry_id in docnums:
                by_id[entry_id] = _Candidate(docnums[entry_id], 0.0, stored[docnums[entry_id]])
        for entry_id in named_entries:
            if entry_id not in by_id and entry_id in docnums:
                docnum = docnums[entry_id]
                by_id[entry_id] = _Candidate(docnum, 0.0, stored[docnum])
        # "<something> for <symptom>" asks for a treatment: when something treats what fits best, an entry
        # that does not answers less.
        treating = None
        if parsed.treatment_asked and fits:
            first = max(fits.values())
            best_fits = {entry_id for entry_id, fit in fits.items() if fit >= 0.8 * first}
            treating = {source for source, targets in self._treats.items() if targets & best_fits} or None
        for entry_id, hit in by_id.items():
            text = text_scores.get(hit.docnum, 0.0) / best_text
            if entry_id in named and entry_id not in parsed.settings:  # its own page ("how to do an epidural")
                text *= 1.0 + NAMED_PROCEDURE
                if parsed.intent in ("howto", "equipment") and entry_id not in tried:
                    text += HOW_TO_PROCEDURE * (1.0 + procedure_share)
            elif named & self._linked.get(entry_id, set()):  # linked with the procedure named
                # With a drug, the procedure's own page says which drug pages go with it ("catheter
                # removal" points at the neuraxial anticoagulant timings, not at treating a CVST).
                cited = named & self._cited_by.get(entry_id, set())
                text *= 1.0 + (DRUG_CONTEXT_LINK if naming_drug is not None and cited else CONTEXT_LINK)
            elif named and naming_drug is not None and not parsed.describes_presentation:
                text *= DRUG_UNLINKED
            profile = PROFILE_WEIGHT * parsed.presentation_share * fits.get(entry_id, 0.0)
            # A name typed inside a presentation weighs less than the presentation ("breakthrough
            # pain" in a labour scenario); a query that is the name alone names it.
            named_share = named_entries.get(entry_id, 0.0)
            named_lift = NAMED_ENTRY * named_share * (1.0 if named_share >= 1.0 else 1.0 - parsed.presentation_share)
            score = text + profile + named_lift
            if naming_drug is not None and hit.docnum not in naming_drug:
                score *= DRUG_UNNAMED
            if treating is not None and entry_id not in treating:
                score *= NOT_A_TREATMENT
            if entry_id in tried:
                score *= TRIED
            score += following.get(entry_id, 0.0)
            combined.append((hit, score))
        combined.sort(key=lambda item: (-item[1], item[0]["title"]))
        if not combined:
            return []
        floor = combined[0][1] * (CUTOFF_ONE_WORD if len(slots) == 1 else CUTOFF)
        return [(hit, score) for hit, score in combined if score >= floor and score > 0]

    def _naming_drug(self, parsed: SearchQuery, searcher) -> set[int] | None:
        """The entries that mention a drug the query names (as typed, or by the one-word names the
        content uses for its class); None when the query names no drug."""
        if not parsed.drug_words:
            return None
        # "X for Y after Z": the question is about X, the treatment; Z is where it happened.
        typed, names = (
            (parsed.given_words, parsed.given_names) if parsed.given_words else (parsed.drug_words, parsed.drug_names)
        )
        terms = {t for word in typed for t in self._terms(word)}
        terms |= {t for name in names if len(self._terms(name)) == 1 for t in self._terms(name)}
        reader = searcher.reader()
        docs: set[int] = set()
        for term in terms:
            for field in FIELD_BOOSTS:
                if reader.doc_frequency(field, term):
                    docs.update(reader.postings(field, term).all_ids())
        return docs

    def _profile_fits(self, parsed: SearchQuery) -> dict[str, float]:
        """Each complication's profile fit to the presentation typed, and what treats them."""
        if not parsed.describes_presentation:
            return {}
        scorer = self.profiles()
        fits = {
            profile.id: fit.score
            for profile, fit in scorer.rank(parsed.symptoms, hours=parsed.hours, procedures=parsed.procedures)
        }
        # A drug named with the presentation ("gabapentin for spinal headache") asks what treats it.
        asked = parsed.intent in ("act", "dose") or bool(parsed.drug_words)
        given = bool(parsed.given_words) or parsed.treatment_asked
        share = TREATS_SHARE_GIVEN if given else TREATS_SHARE_ASKED if asked else TREATS_SHARE
        for source, targets in self._treats.items():
            inherited = max((fits.get(t, 0.0) for t in targets), default=0.0) * share
            if inherited > fits.get(source, 0.0):
                fits[source] = inherited
        return fits

    def _rerank(self, hits: list, slots: list[list[str]], weights: list[float], searcher) -> list[tuple]:
        """Re-rank the candidates by how well their names (title, aliases) fit the query.

        BM25 alone lets a short title sharing two words ("Epidural blood patch") beat the entry
        whose name holds every word typed ("Persistent headache after epidural blood patch"), and
        cannot tell that "epidural blood patch volume" names one entry plus a detail. Two general
        signals fix both, each weighted by the words' rarity (BM25 IDF, near zero for a word nearly
        every entry has, such as "after" or "epidural") and by the word's own weight (context words
        count less): the share of the query found in the entry's names (coverage), and the longest
        name contained whole in the query (containment).
        """
        scored = [(hit.docnum, float(hit.score or 0.0)) for hit in hits]
        if len(slots) < 2:
            return scored
        reader = searcher.reader()
        total = max(1, reader.doc_count())

        def idf(term: str) -> float:
            n = reader.doc_frequency("body", term)
            return math.log(1.0 + (total - n + 0.5) / (n + 0.5))

        slot_weights = [w * max(idf(t) for t in alts) for w, alts in zip(weights, slots, strict=True)]
        query_weight = sum(slot_weights) or 1.0
        by_docnum = {hit.docnum: hit for hit in hits}

        def boosted(item: tuple) -> tuple:
            docnum, score = item
            hit = by_docnum[docnum]
            names = [set(name.split()) for name in (hit.get("name_terms") or "").split("|") if name.strip()]
            every = set().union(*names) if names else set()
            covered = sum(w for w, alts in zip(slot_weights, slots, strict=True) if every & set(alts)) / query_weight
            contained = 0.0
            for name in names:
                if name and all(any(t in alts for alts in slots) for t in name):
                    matched = sum(w for w, alts in zip(slot_weights, slots, strict=True) if name & set(alts))
                    contained = max(contained, matched / query_weight)
            return docnum, score * (1.0 + COVERAGE_WEIGHT * covered + CONTAINMENT_WEIGHT * contained)

        return [boosted(item) for item in scored]

    def _highlight_terms(self, parsed: SearchQuery) -> list[str]:
        """The content words of the query: never "what", "now", "after" or a time phrase."""
        words = [w for w in re.findall(TOKEN_PATTERN, parsed.search_text) if w.lower() not in FUNCTION_WORDS]
        terms = [t for w in words for t in self._terms(w)]
        terms += [t for name in parsed.drug_names for t in self._terms(name)]
        return list(dict.fromkeys(terms))[:MAX_WORDS]

    def _best_sections(self, parsed: SearchQuery, entry_ids: list[str]) -> dict[str, tuple[str, str, str, str]]:
        """For each entry, the section that answers the query, with a snippet: the one whose heading
        answers what is asked (Management for "what now"), else the one that matches best."""
        if not entry_ids:
            return {}
        by_entry = self._section_docnums()
        scope = {docnum for entry_id in entry_ids for docnum in by_entry.get(entry_id, ())}
        searcher = self._searcher("sections")
        terms = self._highlight_terms(parsed)
        clauses = []
        for term in terms:
            clauses.append(Term("body", term))
            clauses.append(Term("headings", term, boost=1.5))
        wanted = {heading.lower(): rank for rank, heading in enumerate(parsed.sections)}
        scored: dict[str, list[tuple[float, object]]] = {}
        results = None
        if clauses:
            results = searcher.search(Or(clauses, scale=COORDINATION), filter=scope, limit=len(scope), terms=True)
            results.fragmenter = highlight.PinpointFragmenter(maxchars=SNIPPET_CHARS, surround=60, autotrim=True)
            results.formatter = _HitFormatter()
            results.scorer = _FirstOfEqualFragments()
            for hit in results:
                rank = wanted.get(hit["heading"].lower())
                bonus = LANDING_BOOST / (1 + rank) if rank is not None else 1.0
                scored.setdefault(hit["entry_id"], []).append((hit.score * bonus, hit))
        highlighted = set(entry_ids[:HIGHLIGHT_TOP])
        named_whole = {e for e, share in self._named_entries(parsed).items() if share >= 1.0} if wanted else set()
        best: dict[str, tuple[str, str, str, str]] = {}
        for entry_id in entry_ids:
            choice = max(scored.get(entry_id, []), key=lambda pair: pair[0], default=(0.0, None))[1]
            landing = self._landing_section(entry_id, wanted)
            if landing is not None and (choice is None or landing[0] != choice["heading"]):
                # A query that is the entry's name and a question ("LAST what now") says nothing more:
                # the question alone decides the section, not where the name's words happen to occur.
                if choice is None or wanted.get(choice["heading"].lower()) is None or entry_id in named_whole:
                    heading, anchor, body, label = landing
                    best[entry_id] = (heading, anchor, _excerpt(body), label)
                    continue
            if choice is None:
                continue
            snippet = choice.highlights("body", top=1) if entry_id in highlighted else ""
            best[entry_id] = (
                choice["heading"],
                choice["anchor"],
                snippet or _excerpt(choice.get("body", "")),
                choice.get("label") or "",
            )
        return best

    def _landing_section(self, entry_id: str, wanted: dict[str, int]) -> tuple[str, str, str, str] | None:
        """The entry's section whose heading best answers the intent, if it has one."""
        if not wanted:
            return None
        searcher = self._searcher("sections")
        best = None
        for docnum in self._section_docnums().get(entry_id, ()):
            fields = searcher.stored_fields(docnum)
            rank = wanted.get(str(fields.get("heading", "")).lower())
            if rank is not None and (best is None or rank < best[0]):
                best = (rank, fields)
        if best is None:
            return None
        fields = best[1]
        return fields["heading"], fields["anchor"], fields.get("body", ""), fields.get("label") or ""

    def matching_words(self, query: str, words: list[str]) -> set[str]:
        """Which of these words (from a page) the query would match: what the reader highlights."""
        parsed = self.parse(query)
        reader = self._searcher().reader()
        wanted = set()
        for term in self._highlight_terms(parsed):
            wanted.update(self._resolve(term, reader))
        wanted -= FUNCTION_WORDS
        if not wanted:
            return set()
        return {word for word in set(words) if wanted & {t.text for t in self._text(word)}}

    def suggest(self, text: str, searcher=None, parsed: SearchQuery | None = None) -> str | None:
        """ "Did you mean": each unknown word replaced by the closest word in the corpus; words the
        vocabulary understood (a drug brand, "cant pee") and time phrases are left as typed."""
        searcher = searcher or self._searcher()
        parsed = parsed or parse_query(text, self.vocabulary)
        searched = {w.lower() for w in re.findall(r"\w+", parsed.search_text)}
        reader = searcher.reader()
        words = re.findall(r"\w+", text.lower())
        changed = False
        out = []
        for word in words:
            stems = self._terms(word)
            known = any(reader.doc_frequency(f, s) for s in stems for f in FIELD_BOOSTS) if stems else True
            if known or len(word) < 3 or word in parsed.understood or word not in searched:
                out.append(word)
                continue
            candidates = [c for c in self._corrections_of(word, reader) if c != word]
            if candidates:
                out.append(candidates[0])
                changed = True
            else:
                out.append(word)
        return " ".join(out) if changed else None

    def _corrections_of(self, word: str, reader) -> list[str]:
        """What Whoosh's body corrector suggests for the word (suggest(word, limit=3, maxdist=2)):
        the nearest words by the same scores, from the in-memory word list, once per word."""
        corrections = self._corrections.get(word)
        if corrections is None:
            if reader.is_atomic():
                maxdist = 2
                scored = [
                    (0 - (maxdist + (1.0 / (reader.frequency("body", w) or 1) * 0.5)), w)
                    for w in self._terms_within(reader, "body", word, maxdist)
                ]
                best = heapq.nlargest(3, scored)  # ReaderCorrector keeps the 3 largest (score, word)
                corrections = [w for _, w in sorted(best, key=lambda x: (0 - x[0], x[1]))]
            else:
                corrections = reader.corrector("body").suggest(word, limit=3, maxdist=2)
            _remember(self._corrections, word, corrections)
        return list(corrections)


def _copy(results: SearchResults) -> SearchResults:
    """A caller's own copy of remembered results (hits are frozen; the lists and dicts are not)."""
    facets = {name: dict(counts) for name, counts in results.facets.items()}
    return dataclasses.replace(results, hits=list(results.hits), facets=facets)


def _remember(cache: dict, key, value) -> None:
    """Keep an answer unless the cache is full (bounded memory; what is there stays valid)."""
    if len(cache) < WORD_CACHE:
        cache[key] = value


class _DeadlineCollector(TimeLimitCollector):
    """Whoosh's time limit without its timer thread: the clock is read between matched documents
    (starting and joining a thread per query cost more than many whole searches)."""

    def __init__(self, child, timelimit: float) -> None:
        super().__init__(child, timelimit, use_alarm=False)
        self._deadline = 0.0

    def prepare(self, top_searcher, q, context) -> None:
        self.child.prepare(top_searcher, q, context)
        self.timedout = False
        self.timer = None
        self._deadline = time.perf_counter() + self.timelimit

    def collect_matches(self) -> None:
        child = self.child
        deadline = self._deadline
        clock = time.perf_counter
        for sub_docnum in child.matches():
            if not self.timedout and clock() > deadline:
                self._timestop()
            if self.timedout:
                raise TimeLimit
            child.collect(sub_docnum)


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
