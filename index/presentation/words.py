"""How typed words are compared with the phrases in the presentation data.

Both sides go through the same key: lower case, accents and apostrophes dropped ("can't" = "cant"),
UK spellings folded to US, a plural "s" dropped. Filler words ("my", "the", "both") are skipped, so
"can't feel my legs" meets the phrase "cant feel legs".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from index.analysis import fold_spelling

WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
FILLERS = frozenset(
    "a an the my her his their our your its this that these both very really any all of in on at is are was "
    "were be been being has have had she he they it patient pt lady woman man mum mother properly quite so too "
    "i me im shes hes going getting gets got keeps keep just went totally completely again".split()
)

LINKS = frozenset("and or with after before during since post following then but also plus".split())
"""Words that join the parts of a presentation: not themselves part of what is wrong."""


@dataclass(frozen=True)
class Word:
    key: str
    start: int  # character offsets in the text it came from
    end: int


@lru_cache(maxsize=20_000)
def word_key(word: str) -> str:
    text = unicodedata.normalize("NFKD", word.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch) and ch not in "'’")
    text = fold_spelling(text)
    if len(text) > 3 and text.endswith("s") and not text.endswith(("ss", "us", "is")):
        text = text[:-1]
    return text


def words(text: str) -> list[Word]:
    """The words of a text that carry meaning, with their place in it (fillers skipped)."""
    out = []
    for match in WORD.finditer(text):
        key = word_key(match.group())
        if key and key not in FILLERS:
            out.append(Word(key, match.start(), match.end()))
    return out


def phrase_key(text: str) -> tuple[str, ...]:
    """Order-free key of a phrase: its word keys, sorted ("legs weak" = "weak legs")."""
    return tuple(sorted(w.key for w in words(text)))


def deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def one_slip(typed: str, known: str) -> bool:
    """One letter left out, added, changed, or two neighbours swapped ("tachy" is two slips from
    "itchy", though each loses a letter to reach "tchy")."""
    if abs(len(typed) - len(known)) > 1:
        return False
    if len(typed) == len(known):
        diff = [i for i, (a, b) in enumerate(zip(typed, known, strict=True)) if a != b]
        return len(diff) <= 1 or (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and typed[diff[0]] == known[diff[1]]
            and typed[diff[1]] == known[diff[0]]
        )
    short, long = sorted((typed, known), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))
