"""Typo lookups against an index field's word list, held in memory once per generation.

Whoosh's `reader.terms_within` walks a Levenshtein automaton over the on-disk term dictionary:
tens of milliseconds per word even on the bundled content, paid again for every typo on every
keystroke. `WordList.within` answers the same question (the same words: plain Levenshtein
distance, the first `prefix` characters equal) from a list read once, so a typo costs a scan
of the words of about the right length with a cheap letter-set test before the exact distance.
"""

from __future__ import annotations

from collections.abc import Iterable


def _mask(word: str) -> int:
    """One bit per distinct character (characters may share a bit: the test stays a lower bound)."""
    mask = 0
    for ch in word:
        mask |= 1 << (ord(ch) % 61)
    return mask


def within_distance(a: str, b: str, limit: int) -> bool:
    """Whether the Levenshtein distance (insert, delete, substitute) of a and b is at most limit."""
    if abs(len(a) - len(b)) > limit:
        return False
    if len(a) > len(b):
        a, b = b, a
    previous = list(range(len(a) + 1))
    for i, cb in enumerate(b, 1):
        current = [i]
        best = i
        for j, ca in enumerate(a, 1):
            cost = previous[j - 1] + (ca != cb)
            if previous[j] + 1 < cost:
                cost = previous[j] + 1
            if current[j - 1] + 1 < cost:
                cost = current[j - 1] + 1
            current.append(cost)
            if cost < best:
                best = cost
        if best > limit:
            return False
        previous = current
    return previous[-1] <= limit


class WordList:
    """The words of one field, bucketed by length, each with its letter-set mask."""

    def __init__(self, words: Iterable[str]) -> None:
        self._by_length: dict[int, list[tuple[str, int]]] = {}
        for word in words:
            self._by_length.setdefault(len(word), []).append((word, _mask(word)))

    def within(self, term: str, maxdist: int, prefix: int = 0) -> list[str]:
        """The words within maxdist edits of term that start with its first `prefix` characters
        (what Whoosh's terms_within yields for the same arguments), in sorted order."""
        head, tail = term[:prefix], term[prefix:]
        tail_mask = _mask(tail)
        found = []
        for length in range(max(0, len(term) - maxdist), len(term) + maxdist + 1):
            for word, mask in self._by_length.get(length, ()):
                if prefix and not word.startswith(head):
                    continue
                rest = word[prefix:]
                rest_mask = _mask(rest) if prefix else mask
                if (rest_mask & ~tail_mask).bit_count() > maxdist or (tail_mask & ~rest_mask).bit_count() > maxdist:
                    continue
                if within_distance(rest, tail, maxdist):
                    found.append(word)
        return sorted(found)
