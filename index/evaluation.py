"""Search quality on judged queries: success@3 and MRR@10, for our search and an FTS5 baseline.

A query is a hit when one of its relevant ids is in the top 3; MRR uses the rank of the first
relevant id within the top 10. The baseline is SQLite FTS5 (bm25, porter) over the same entries,
so every figure is printed side by side with what a plain engine would do.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils
import yaml

from index.model import Corpus
from index.rendering import plain_text


@dataclass
class Judged:
    query: str
    relevant: list[str]


@dataclass
class Score:
    name: str
    success_at_3: float
    mrr_at_10: float
    failures: list[tuple[str, list[str], list[str]]] = field(default_factory=list)  # query, expected, got


def load_judged(path: Path) -> list[Judged]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return [Judged(str(item["q"]), [str(r) for r in item["relevant"]]) for item in data]


def score(name: str, queries: Sequence[Judged], ranker: Callable[[str], list[str]]) -> Score:
    hits = 0
    reciprocal = 0.0
    failures = []
    for judged in queries:
        ranked = ranker(judged.query)[:10]
        first = next((i for i, entry_id in enumerate(ranked) if entry_id in judged.relevant), None)
        if first is not None:
            reciprocal += 1.0 / (first + 1)
        if first is not None and first < 3:
            hits += 1
        else:
            failures.append((judged.query, judged.relevant, ranked[:3]))
    n = max(1, len(queries))
    return Score(name, hits / n, reciprocal / n, failures)


class Fts5Baseline:
    """SQLite FTS5 with the porter tokenizer and bm25, over the same entries (in memory)."""

    def __init__(self, corpus: Corpus) -> None:
        self.db = sqlite_utils.Database(sqlite3.connect(":memory:"))
        rows = [
            {
                "id": e.id,
                "title": e.title,
                "aliases": " ; ".join(e.aliases),
                "summary": plain_text(e.summary),
                "body": "\n".join(f"{s.heading}\n{plain_text(s.markdown)}" for s in e.sections),
            }
            for e in corpus.entries.values()
        ]
        self.db["docs"].insert_all(rows, pk="id")
        self.db["docs"].enable_fts(
            ["title", "aliases", "summary", "body"], tokenize="porter unicode61 remove_diacritics 2"
        )

    def rank(self, query: str) -> list[str]:
        words = re.findall(r"\w+", query.lower())
        if not words:
            return []
        match = " OR ".join(f'"{w}"' for w in words)
        sql = (
            "select docs.id from docs join docs_fts on docs.rowid = docs_fts.rowid "
            "where docs_fts match ? order by bm25(docs_fts, 10.0, 5.0, 2.0, 1.0) limit 10"
        )
        try:
            return [row[0] for row in self.db.execute(sql, [match]).fetchall()]
        except sqlite3.Error:
            return []


def report(scores: Sequence[Score], *, show_failures: bool = True) -> str:
    lines = [f"{'engine':<12} {'success@3':>10} {'MRR@10':>8}"]
    for s in scores:
        lines.append(f"{s.name:<12} {s.success_at_3:>10.3f} {s.mrr_at_10:>8.3f}")
    if show_failures:
        for s in scores:
            for query, expected, got in s.failures:
                lines.append(f"  [{s.name}] miss: {query!r} expected {expected[0]}, top 3: {', '.join(got) or '—'}")
    return "\n".join(lines)
