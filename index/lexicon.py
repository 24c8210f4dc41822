"""The field's vocabulary (resources/lexicon.yaml): spelling variants, drug names, abbreviations, slang.

Spelling variants and drug names (INN/USAN) are single-word equivalences folded inside the
analyzer, so both spellings index and search alike. Abbreviations and multi-word synonyms are
expanded at query time with a lower weight than the words typed, so a lexicon change needs no
re-index of the meaning, and the literal words still rank first.

Abbreviations listed under `case_sensitive` are also ordinary words ("LAST" / "last"): they are
read as the abbreviation only when typed in its capitals.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from index.analysis import exact_analyzer


@dataclass
class Lexicon:
    spelling: dict[str, str] = field(default_factory=dict)
    expansions: dict[tuple[str, ...], list[tuple[str, ...]]] = field(default_factory=dict)
    max_words: int = 1
    case_sensitive: dict[str, str] = field(default_factory=dict)  # lower-case form -> as written
    _analyzer: Any = field(default=None, repr=False, compare=False)

    @classmethod
    def from_data(cls, data: Mapping | None) -> Lexicon:
        data = data or {}
        spelling: dict[str, str] = {}
        for section in ("spelling", "drugs"):
            for variant, canonical in (data.get(section) or {}).items():
                spelling[str(variant).lower()] = str(canonical).lower()
        lexicon = cls(spelling=spelling)
        for abbreviation in data.get("case_sensitive") or []:
            lexicon.case_sensitive[str(abbreviation).lower()] = str(abbreviation)
        for abbreviation, meaning in (data.get("abbreviations") or {}).items():
            meanings = meaning if isinstance(meaning, list) else [meaning]
            for text in meanings:
                lexicon._link(str(abbreviation), str(text))
        for group in data.get("synonyms") or []:
            terms = [str(t) for t in group]
            for term in terms:
                for other in terms:
                    if other != term:
                        lexicon._link(term, other)
        return lexicon

    def _link(self, term: str, meaning: str) -> None:
        if self._analyzer is None:  # one for the whole lexicon, not one per phrase (~5 ms at every open)
            self._analyzer = exact_analyzer(self.spelling)
        key = tuple(token.text for token in self._analyzer(term))
        value = tuple(token.text for token in self._analyzer(meaning))
        if not key or not value or key == value:
            return
        bucket = self.expansions.setdefault(key, [])
        if value not in bucket:
            bucket.append(value)
        self.max_words = max(self.max_words, len(key))

    def expand(self, words: list[str], typed: str | None = None) -> list[tuple[int, int, tuple[str, ...]]]:
        """(start, end, meaning) for every run of query words the lexicon knows, longest first.

        With the typed text given, a case-sensitive abbreviation counts only when typed as written.
        """
        found: list[tuple[int, int, tuple[str, ...]]] = []
        for size in range(min(self.max_words, len(words)), 0, -1):
            for start in range(len(words) - size + 1):
                key = tuple(words[start : start + size])
                if typed is not None and size == 1 and not self.typed_as_abbreviation(key[0], typed):
                    continue
                for meaning in self.expansions.get(key, []):
                    found.append((start, start + size, meaning))
        return found

    def typed_as_abbreviation(self, word: str, typed: str) -> bool:
        """False for a case-sensitive abbreviation typed otherwise ("last" is not "LAST")."""
        written = self.case_sensitive.get(word.lower())
        return written is None or re.search(rf"(?<!\w){re.escape(written)}(?!\w)", typed) is not None
