"""Time since the procedure, read from the query ("12 hours after", "on day 3", "a fortnight later").

The numbers in a time phrase are time, not words to match: the phrase's span is returned so the
search leaves it out ("12 hours" must not find "12-lead").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "few": 3,
    "a few": 3,
    "couple of": 2,
    "a couple of": 2,
    "several": 4,
    "half an": 0.5,
    "half a": 0.5,
}
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "tenth": 10}
_UNITS = {
    "min": 1 / 60,
    "mins": 1 / 60,
    "minute": 1 / 60,
    "minutes": 1 / 60,
    "h": 1,
    "hr": 1,
    "hrs": 1,
    "hour": 1,
    "hours": 1,
    "d": 24,
    "day": 24,
    "days": 24,
    "wk": 168,
    "wks": 168,
    "week": 168,
    "weeks": 168,
    "month": 720,
    "months": 720,
}
_WORD_NUMBER = "(" + "|".join(sorted((re.escape(k) for k in _NUMBERS), key=len, reverse=True)) + ")"
_UNIT = "(" + "|".join(sorted(_UNITS, key=len, reverse=True)) + ")"
_WORD_UNIT = "(" + "|".join(sorted((u for u in _UNITS if len(u) > 3), key=len, reverse=True)) + ")"
_DAY_OF = r"(?:post-?op(?:erative)?\s+|post-?partum\s+|post-?natal\s+)"
_AFTER = r"(?:\s+(?:after|later|post|since|ago|afterwards|out))?"
_PATTERNS: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(rf"\b(\d+)\s*(?:-|–|to)\s*(\d+)\s*{_UNIT}\b{_AFTER}", re.I), "range"),
    (re.compile(rf"\b(\d+(?:\.\d+)?)\s*-?\s*{_UNIT}\b{_AFTER}", re.I), "amount"),
    (re.compile(rf"\b{_WORD_NUMBER}\s+{_WORD_UNIT}\b{_AFTER}", re.I), "amount"),
    (re.compile(rf"\b(?:on\s+)?{_DAY_OF}?(?:day|pod)\s*(\d+)\b", re.I), "day"),
    (re.compile(r"\b(?:on\s+)?(?:the\s+)?(" + "|".join(_ORDINALS) + r"|\d+(?:st|nd|rd|th))\s+day\b", re.I), "nth day"),
    (re.compile(rf"\b(\d+)\s*/\s*(7|52|12)\b{_AFTER}", re.I), "fraction"),
    (re.compile(r"\b(?:a\s+|one\s+)?fortnight(?:\s+(?:after|later|post|ago))?\b", re.I), "fortnight"),
    (re.compile(r"\b(?:the\s+)?(?:next|following)\s+(?:day|morning)\b|\bthe\s+day\s+after\b", re.I), "next day"),
    (re.compile(r"\byesterday\b", re.I), "yesterday"),
    (re.compile(r"\b(?:last|over)\s*night\b", re.I), "overnight"),
    (re.compile(r"\b(?:immediately|straight|right|just)\s+after\b|\bimmediately\b|\bwithin\s+minutes\b", re.I), "now"),
)
_FIXED = {"fortnight": 336.0, "next day": 24.0, "yesterday": 24.0, "overnight": 12.0, "now": 0.1}


@dataclass(frozen=True)
class TimeSince:
    hours: float
    span: tuple[int, int]  # characters of the phrase in the query


def _number(text: str) -> float:
    text = " ".join(text.lower().split())
    return float(text) if text[0].isdigit() else float(_NUMBERS.get(text, 1))


def find_times(text: str) -> list[TimeSince]:
    """Every time phrase in the text, in order; overlapping readings keep the first pattern's."""
    found: list[TimeSince] = []
    for pattern, kind in _PATTERNS:
        for match in pattern.finditer(text):
            span = match.span()
            if any(s < span[1] and span[0] < e for s, e in (t.span for t in found)):
                continue
            hours = _hours(kind, match)
            if hours is not None:
                found.append(TimeSince(hours, span))
    return sorted(found, key=lambda t: t.span)


def _hours(kind: str, match: re.Match) -> float | None:
    if kind in _FIXED:
        return _FIXED[kind]
    if kind == "range":
        return (float(match.group(1)) + float(match.group(2))) / 2 * _UNITS[match.group(3).lower()]
    if kind == "amount":
        return _number(match.group(1)) * _UNITS[match.group(2).lower()]
    if kind == "day":
        return float(match.group(1)) * 24
    if kind == "nth day":
        word = match.group(1).lower()
        return float(_ORDINALS.get(word) or int(re.sub(r"\D", "", word))) * 24
    if kind == "fraction":  # UK notes: 3/7 = three days, 2/52 = two weeks, 1/12 = a month
        unit = {"7": 24, "52": 168, "12": 720}[match.group(2)]
        return float(match.group(1)) * unit
    return None


_BACKGROUND = tuple(
    re.compile(pattern, re.I)
    for pattern in (
        r"\b(?:[4-9]|[1-3]\d|4[0-2])(?:\s*\+\s*\d)?\s*/\s*40\b",  # gestation, UK notes: 36/40
        r"\b(?:[4-9]|[1-3]\d|4[0-2])(?:\s*\+\s*\d)?\s*(?:weeks?|wks?)\s+(?:pregnant|gestation(?:al)?|gest|of\s+pregnancy)\b",
        r"\b\d{1,3}\s*(?:yo|y/o|yrs?\s+old|years?\s+old|years?-old|yr-old)\b",  # age
        r"\bG\d{1,2}\s*P\d{1,2}(?:\s*\+\s*\d{1,2})?\b",  # gravidity and parity: G2P1
        r"\b(?:[01]?\d|2[0-3]):[0-5]\d\b(?:\s*(?:am|pm|h|hrs)\b)?",  # clock time: 14:30
        r"\b(?:1[0-2]|0?[1-9])(?:[:.][0-5]\d)?\s*(?:am|pm)\b",  # 3am, 10.30pm
        r"\b(?:at|since|from|until|till|by|around)\s+(?:[01]\d|2[0-3])[0-5]\d\s*(?:h|hrs|hours)?\b",  # at 0300
    )
)


def find_background(text: str) -> list[tuple[int, int]]:
    """Spans that describe the patient or the clock, not the time since the procedure nor words to
    match: gestation ("38 weeks pregnant", "36/40"), age ("35yo"), parity ("G2P1"), clock times
    ("at 0300", "3am", "14:30")."""
    spans: list[tuple[int, int]] = []
    for pattern in _BACKGROUND:
        for match in pattern.finditer(text):
            span = match.span()
            if not any(s < span[1] and span[0] < e for s, e in spans):
                spans.append(span)
    return sorted(spans)
