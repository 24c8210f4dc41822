"""Query fuzzing at volume: 10,000 generated queries, no exception, each under a time cap."""

from __future__ import annotations

import os
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

EXAMPLES = int(os.environ.get("VADEMECUM_FUZZ_EXAMPLES", "10000"))
WORDS = [
    "blood",
    "patch",
    "PDPH",
    "haematoma",
    "epidural",
    "spinal",
    "wet",
    "tap",
    "LAST",
    "lipid",
    "AND",
    "OR",
    "NOT",
    "*",
    "?",
    '"',
    "(",
    ")",
    "~2",
    "^3",
    "field:",
    "é",
    "ß",
    "صداع",
    "头痛",
    "🙂",
    "\u200b",
    "\x00",
]


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.one_of(st.text(max_size=120), st.lists(st.sampled_from(WORDS), max_size=12).map(" ".join)))
def test_ten_thousand_queries_never_raise(mini_library, query: str) -> None:
    started = time.perf_counter()
    results = mini_library.search(query, limit=10)
    assert time.perf_counter() - started < 2.0
    assert results.error is None  # the engine answered: a fault caught inside would show here
    assert len(results.hits) <= 10
    if any(word in query.split() for word in ("blood", "patch", "wet", "tap")) and not results.partial:
        assert results.hits, query  # a query holding a known word finds its entry
