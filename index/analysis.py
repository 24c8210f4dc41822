"""Whoosh analyzers. This module's import path is pickled into every index: do not move it.

One chain at index and query time: tokens are lower-cased, accent-folded, UK spellings mapped to
US ones and stemmed, with no stop list (clinical text needs "not", "K", "A", "1").
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import lru_cache

from whoosh.analysis import (
    CharsetFilter,
    CompositeAnalyzer,
    Filter,
    LowercaseFilter,
    NgramFilter,
    RegexTokenizer,
    StemFilter,
    Token,
)
from whoosh.support.charset import accent_map

TOKEN_PATTERN = r"\w+(?:[-'’]\w+)*"
"""Hyphenated words stay one token here; HyphenFilter splits them and adds the joined form."""

# Rules that hold across medical English; anything else goes into the lexicon's spelling map.
_PREFIX_RULES = (
    ("anaesth", "anesth"),
    ("haem", "hem"),
    ("paed", "ped"),
    ("orthopaed", "orthoped"),
    ("oesoph", "esoph"),
    ("oestr", "estr"),
    ("caesar", "cesar"),
    ("foet", "fet"),
    ("diarrhoe", "diarrhe"),
    ("dyspnoe", "dyspne"),
    ("apnoe", "apne"),
    ("aetiol", "etiol"),
    ("gynaec", "gynec"),
    ("coeliac", "celiac"),
    ("faec", "fec"),
    ("leuco", "leuko"),
    ("sulph", "sulf"),
)
_INFIX_RULES = (
    ("aemi", "emi"),  # anaemia, ischaemia, septicaemia, hypoxaemia, bacteraemia
    ("oedem", "edem"),  # oedema, lymphoedema, papilloedema
    ("aesthe", "esthe"),  # anaesthesia, paraesthesia, hypoaesthesia
    ("isation", "ization"),
    ("ysing", "yzing"),
    ("ysed", "yzed"),
    ("yse", "yze"),
)
_SUFFIX_RULES = (
    ("ogue", "og"),  # analogue, catalogue
    ("litre", "liter"),
    ("litres", "liters"),
    ("metre", "meter"),
    ("metres", "meters"),
    ("centre", "center"),
    ("centres", "centers"),
)
_OUR_WORDS = re.compile(r"^(labo|tumo|colo|behavio|favo|vapo|odo|hono|humo|rigo)ur(s|ed|ing|ite|able)?$")
_ISE_WORDS = re.compile(r"^(\w{2,}(?:al|il|ol|ogn|n|it|et|at|dom|nom|or|er|ur|im))is(e|es|ed|ing|ation|ations)$")
"""-ise verbs spelt -ize in US English (localised, stabilised, anaesthetised, catheterised, minimised),
by their endings (randomised, traumatised too), which leave out the -ise words of both spellings (raise,
promise, advertise, arise)."""


def fold_spelling(word: str, extra: Mapping[str, str] | None = None) -> str:
    """UK → US spelling for one lower-case word (anaesthesia → anesthesia, labour → labor)."""
    if extra and word in extra:
        return extra[word]
    return _fold_rules(word)


@lru_cache(maxsize=100_000)
def _fold_rules(word: str) -> str:
    """The general rules, cached: the same few thousand words recur in every text analysed."""
    for old, new in _PREFIX_RULES:
        if word.startswith(old):
            word = new + word[len(old) :]
            break
    for old, new in _INFIX_RULES:
        if old in word:
            word = word.replace(old, new)
    for old, new in _SUFFIX_RULES:
        if word.endswith(old) and len(word) > len(old):
            word = word[: -len(old)] + new
            break
    match = _OUR_WORDS.match(word)
    if match:
        word = f"{match.group(1)}r{match.group(2) or ''}"
    match = _ISE_WORDS.match(word)
    if match:
        word = f"{match.group(1)}iz{match.group(2)}"
    return word


class SpellingFilter(Filter):
    """Maps UK spellings (and lexicon variants) to one form, at index and query time alike."""

    def __init__(self, extra: Mapping[str, str] | None = None) -> None:
        self.extra = {k.lower(): v.lower() for k, v in (extra or {}).items()}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SpellingFilter) and other.extra == self.extra

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            token.text = fold_spelling(token.text, self.extra)
            yield token


class HyphenFilter(Filter):
    """post-dural → post, dural (+ postdural): all three spellings of a compound then meet."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        shift = 0
        for token in tokens:
            if token.positions:
                token.pos += shift
            text = token.text
            if not any(ch in text for ch in "-'’"):
                yield token
                continue
            parts = [p for p in re.split(r"[-'’]", text) if p]
            if "'" in text or "’" in text:
                # possessives and elisions: keep the word itself, drop the clitic
                token.text = parts[0] if parts else text
                yield token
                continue
            base_pos = token.pos if token.positions else 0
            start = token.startchar if token.chars else 0
            for index, part in enumerate(parts):
                token.text = part
                if token.positions:
                    token.pos = base_pos + index
                if token.chars:
                    token.startchar = start
                    token.endchar = start + len(part)
                    start += len(part) + 1
                yield token
            if len(parts) > 1:
                token.text = "".join(parts)
                if token.positions:
                    token.pos = base_pos + len(parts) - 1
                yield token
                shift += len(parts) - 1


class WordCachedAnalyzer(CompositeAnalyzer):
    """The same chain, with the filters' output remembered per distinct word.

    Every filter after the tokenizer looks at one word alone (its text, and for HyphenFilter the
    running position shift), so a word always gives the same tokens: the chain runs once per
    distinct word and the result is replayed, with positions and character offsets moved to where
    the word stands. An index build analyses millions of words drawn from a few tens of thousands.
    The cache is not pickled with the schema; it is bounded for long-lived (query-time) use.
    """

    CACHE_LIMIT = 200_000

    def __getstate__(self) -> dict:
        return {key: value for key, value in self.__dict__.items() if key != "_word_cache"}

    def __call__(self, value, no_morph: bool = False, **kwargs) -> Iterator[Token]:
        try:
            caches = self._word_cache
        except AttributeError:
            caches = self._word_cache = ({}, {})
        cache = caches[bool(no_morph)]
        tokenizer = self.items[0]
        if (
            type(tokenizer) is RegexTokenizer
            and not tokenizer.gaps
            and kwargs.get("tokenize", True)
            and not kwargs.get("keeporiginal")
        ):
            yield from self._tokens(value, cache, no_morph, **kwargs)
            return
        shift = 0
        for token in tokenizer(value, **kwargs):
            found = cache.get(token.text)
            if found is None:
                if len(cache) >= self.CACHE_LIMIT:
                    cache.clear()
                found = cache[token.text] = self._analyse_word(token.text, no_morph)
            outputs, word_shift = found
            if token.positions:
                base_pos = token.pos + shift
            if token.chars:
                base_char = token.startchar
            for text, pos, start, end in outputs:
                token.text = text
                if token.positions:
                    token.pos = base_pos + pos
                if token.chars:
                    token.startchar = base_char + start
                    token.endchar = base_char + end
                yield token
            shift += word_shift

    def _tokens(
        self,
        value: str,
        cache: dict,
        no_morph: bool,
        positions: bool = False,
        chars: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        mode: str = "",
        **kwargs,
    ) -> Iterator[Token]:
        """RegexTokenizer's matching done here (the common case), word by word from the cache."""
        assert isinstance(value, str), f"{value!r} is not unicode"
        kwargs.pop("tokenize", None)
        kwargs.pop("keeporiginal", None)
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        shift = 0
        for pos, match in enumerate(self.items[0].expression.finditer(value)):
            word = match.group(0)
            found = cache.get(word)
            if found is None:
                if len(cache) >= self.CACHE_LIMIT:
                    cache.clear()
                found = cache[word] = self._analyse_word(word, no_morph)
            outputs, word_shift = found
            base_pos = start_pos + pos + shift
            base_char = start_char + match.start()
            for text, dpos, dstart, dend in outputs:
                token.text = text
                token.boost = 1.0
                token.stopped = False
                if positions:
                    token.pos = base_pos + dpos
                if chars:
                    token.startchar = base_char + dstart
                    token.endchar = base_char + dend
                yield token
            shift += word_shift

    def _analyse_word(self, word: str, no_morph: bool) -> tuple[tuple[tuple[str, int, int, int], ...], int]:
        """The chain's tokens for one word at position 0, and how far it moves the words after it.

        A one-letter sentinel word follows it through the chain: its position comes out shifted
        by exactly what this word added (hyphenated compounds take one position per part)."""

        def stream() -> Iterator[Token]:
            for pos, text in enumerate((word, "a")):
                yield Token(
                    positions=True,
                    chars=True,
                    boost=1.0,
                    removestops=True,
                    mode="index",
                    text=text,
                    pos=pos,
                    startchar=0,
                    endchar=len(text),
                )

        gen = stream()
        for item in self.items[1:]:
            if not (no_morph and getattr(item, "is_morph", False)):
                gen = item(gen)
        outputs = [(t.text, t.pos, t.startchar, t.endchar) for t in gen]
        sentinel = outputs.pop()
        return tuple(outputs), sentinel[1] - 1


def _folding(spelling: Mapping[str, str] | None) -> list:
    """Tokens, hyphens, case, accents and UK/US spelling: what the text and exact analyzers share."""
    return [
        RegexTokenizer(TOKEN_PATTERN),
        HyphenFilter(),
        LowercaseFilter(),
        CharsetFilter(accent_map),
        SpellingFilter(spelling),
    ]


def text_analyzer(spelling: Mapping[str, str] | None = None):
    """Stemmed, folded analysis for the searchable text fields."""
    return WordCachedAnalyzer(*_folding(spelling), StemFilter(cachesize=50000))


def exact_analyzer(spelling: Mapping[str, str] | None = None):
    """Folded but unstemmed: what "the same words" means for exact title and alias matches."""
    return WordCachedAnalyzer(*_folding(spelling))


def prefix_analyzer():
    """Word-start n-grams of titles and aliases, so a half-typed word already finds its entry."""
    return (
        RegexTokenizer(TOKEN_PATTERN)
        | HyphenFilter()
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | NgramFilter(minsize=2, maxsize=15, at="start")
    )
