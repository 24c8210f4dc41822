"""Search quality on judged queries: success@3 and MRR@10, for our search and an FTS5 baseline.

A query is a hit when one of its relevant ids is in the top 3; MRR uses the rank of the first
relevant id within the top 10. The baseline is SQLite FTS5 (bm25, porter) over the same entries,
so every figure is printed side by side with what a plain engine would do. Queries may carry a
`category` (presentation, scenario, drug...): figures are given per category as well.
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
    category: str = ""


@dataclass
class Miss:
    query: str
    expected: list[str]
    got: list[str]  # our top 3
    category: str = ""


@dataclass
class Score:
    name: str
    success_at_3: float
    mrr_at_10: float
    misses: list[Miss] = field(default_factory=list)
    count: int = 0
    categories: dict[str, tuple[float, float, int]] = field(default_factory=dict)  # name: (s@3, MRR, n)


def load_judged(path: Path) -> list[Judged]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return [
        Judged(str(item["q"]), [str(r) for r in item["relevant"]], str(item.get("category") or "")) for item in data
    ]


def score(name: str, queries: Sequence[Judged], ranker: Callable[[str], list[str]]) -> Score:
    per_category: dict[str, list[tuple[int, float]]] = {}
    misses = []
    for judged in queries:
        ranked = ranker(judged.query)[:10]
        first = next((i for i, entry_id in enumerate(ranked) if entry_id in judged.relevant), None)
        success = int(first is not None and first < 3)
        per_category.setdefault(judged.category, []).append((success, 0.0 if first is None else 1.0 / (first + 1)))
        if not success:
            misses.append(Miss(judged.query, judged.relevant, ranked[:3], judged.category))
    every = [pair for pairs in per_category.values() for pair in pairs]

    def mean(pairs: list[tuple[int, float]], index: int) -> float:
        return sum(p[index] for p in pairs) / max(1, len(pairs))

    categories = {
        cat: (mean(pairs, 0), mean(pairs, 1), len(pairs)) for cat, pairs in sorted(per_category.items()) if cat
    }
    return Score(name, mean(every, 0), mean(every, 1), misses, len(every), categories)


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


def report(ours: Score, baseline: Score, *, misses: bool = True) -> str:
    """The set's figures, then one line per category, ours against the baseline, then our misses."""
    lines = [
        f"{'':<26} {'n':>4}  {ours.name + ' s@3':>16} {'MRR':>6}  {baseline.name + ' s@3':>10} {'MRR':>6}",
        _row("all", ours.count, (ours.success_at_3, ours.mrr_at_10), (baseline.success_at_3, baseline.mrr_at_10)),
    ]
    for category, (s3, mrr, n) in ours.categories.items():
        other = baseline.categories.get(category, (0.0, 0.0, 0))
        lines.append(_row(f"  {category}", n, (s3, mrr), other[:2]))
    if misses:
        for miss in ours.misses:
            where = f" [{miss.category}]" if miss.category else ""
            got = ", ".join(miss.got) or "—"
            lines.append(f"  miss{where}: {miss.query!r} expected {miss.expected[0]}, top 3: {got}")
    return "\n".join(lines)


def _row(label: str, n: int, ours: tuple[float, float], baseline: tuple[float, float]) -> str:
    return f"{label:<26} {n:>4}  {ours[0]:>16.3f} {ours[1]:>6.3f}  {baseline[0]:>10.3f} {baseline[1]:>6.3f}"
