"""Time since the procedure, read from the query ("12 hours after", "on day 3", "a fortnight later",
"straight after the top-up").

The numbers in a time phrase are time, not words to match: the phrase's span is returned so the
search leaves it out ("12 hours" must not find "12-lead"). An event typed as happening during or just
after an injection ("as the needle went in", "after the bolus", "just had a spinal") is minutes from
it; only its time words are left out, never the procedure it names.
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
_ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
}
_DAY_NUMBERS = {k: v for k, v in _NUMBERS.items() if " " not in k and v >= 1 and k not in ("a", "an", "few", "several")}
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
_PLURAL_UNITS = {
    "minutes": 1 / 60,
    "mins": 1 / 60,
    "hours": 1.0,
    "hrs": 1.0,
    "days": 24.0,
    "weeks": 168.0,
    "months": 720.0,
}
"""A unit with no number ("days after", "weeks later") is read as two of it: the least a plural says."""
_PLURAL = "(" + "|".join(_PLURAL_UNITS) + ")"

_INJECTION = (
    r"(?:(?:the|an?|her|his|my|their|that|this|another|second|third|repeat|further|next)\s+){0,2}"
    r"(?:(?:epidural|spinal|intrathecal|it|lidocaine|lignocaine|bupivacaine|ropivacaine|chloroprocaine|"
    r"local(?:\s+anaesthetic|\s+anesthetic)?|la|catheter|labou?r|extra|big|first|last)\s+)*"
    r"(?:bolus(?:es)?|top[\s-]?ups?|topups?|test[\s-]+doses?|loading[\s-]+doses?|extensions?|"
    r"extra\s+doses?)\b"
)
"""A dose of local anaesthetic given through a needle or catheter: what follows it comes within minutes."""
_INSERTED = (
    r"(?:the\s+|my\s+|her\s+|his\s+|a\s+)?(?:needle|spinal|epidural|block|cse|catheter|tuohy|it|patch|"
    r"blood\s+patch|lp|injection|drug|dose)"
)
"""What goes in at the moment an event is felt ("as the needle went in")."""
_DURING = (
    r"(?:the\s+|my\s+|her\s+|his\s+|a\s+|an\s+)?(?:(?:epidural|spinal|intrathecal|blood)\s+)?"
    r"(?:injection|insertion|procedure|spinal|epidural|cse|patch|block|placement|siting|top[\s-]?ups?|bolus|"
    r"lp|lumbar\s+puncture|puncture|needling|c[\s-]?section|caesarean|cesarean|section|surgery|operation|op|"
    r"test\s+dose|loading(?:\s+dose)?)\b"
)
_PATTERNS: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(rf"\b(\d+)\s*(?:-|–|to)\s*(\d+)\s*{_UNIT}\b{_AFTER}", re.I), "range"),
    (re.compile(rf"\b(\d+(?:\.\d+)?)\s*-?\s*{_UNIT}\b{_AFTER}", re.I), "amount"),
    (re.compile(rf"\b{_WORD_NUMBER}\s+{_WORD_UNIT}\b{_AFTER}", re.I), "amount"),
    (re.compile(rf"\b(?:on\s+)?{_DAY_OF}?(?:day|pod)\s*(\d+)\b", re.I), "day"),
    (re.compile(rf"\b(?:on\s+)?{_DAY_OF}?day\s+({'|'.join(_DAY_NUMBERS)})\b", re.I), "day in words"),
    (
        re.compile(
            r"\b(?:on\s+)?(?:the\s+)?(" + "|".join(_ORDINALS) + r"|\d+(?:st|nd|rd|th))\s+"
            r"(?:post-?op(?:erative)?\s+|post-?partum\s+|post-?natal\s+)?day\b",
            re.I,
        ),
        "nth day",
    ),
    (re.compile(rf"\b(\d+)\s*/\s*(7|52|12)\b{_AFTER}", re.I), "fraction"),
    (re.compile(r"\b(?:a\s+|one\s+)?fortnight(?:\s+(?:after|later|post|ago))?\b", re.I), "fortnight"),
    (
        re.compile(
            r"\b(?:the\s+)?(?:next|following)\s+(?:day|morning|afternoon|evening|night)\b"
            r"|\b(?:the\s+|a\s+|one\s+)?day\s+(?:after|later|post)\b|\bthe\s+(?:morning|evening|night)\s+after\b",
            re.I,
        ),
        "next day",
    ),
    (re.compile(r"\blater\s+(?:that|the\s+same)\s+(?:day|morning|afternoon|evening)\b", re.I), "today"),
    (re.compile(r"\b(?:the\s+)?(?:next|following)\s+week\b|\blast\s+week\b", re.I), "next week"),
    (re.compile(r"\blast\s+month\b", re.I), "last month"),
    (re.compile(r"\b(?:the\s+)?day\s+before\s+yesterday\b", re.I), "two days"),
    (re.compile(r"\byesterday\b", re.I), "yesterday"),
    (re.compile(r"\b(?:last|over|that)\s*night\b|\bovernight\b|\blast\s+evening\b", re.I), "overnight"),
    (re.compile(r"\b(?:this|earlier\s+this)\s+(?:morning|afternoon|evening)\b|\bearlier\s+today\b", re.I), "today"),
    (re.compile(rf"\b(?:for|over|within|some|many|after|in\s+the)\s+{_PLURAL}\b{_AFTER}", re.I), "plural"),
    (re.compile(rf"\b{_PLURAL}\s+(?:after|later|post|afterwards|ago)\b", re.I), "plural"),
    (
        re.compile(
            r"\b(?:immediately|instantly|straight|right|just|directly|seconds|moments)\s+(?:after|post|following)\b"
            r"|\b(?:immediately|instantly|straight\s+away|right\s+away|at\s+once)\b"
            r"|\bwithin\s+(?:seconds|moments|minutes|a\s+minute|mins)\b"
            r"|\b(?:on|at|with|mid[\s-]?)\s*(?:injection|injecting|insertion|inserting)\b"
            r"|\bjust\s+(?:had|given|got|done|sited|put\s+in|inserted|injected|topped\s+up|received|finished)\b",
            re.I,
        ),
        "now",
    ),
    (re.compile(r"\b(?:soon|shortly)\s+(?:after|post|following)\b|\bwithin\s+the\s+(?:first\s+)?hour\b", re.I), "soon"),
    (re.compile(rf"\b(?:during|whilst|while)\s+{_DURING}", re.I), "event"),
    (
        re.compile(
            rf"\b(?:as|when|while|whilst|the\s+moment)\s+{_INSERTED}\s+((?:was\s+|were\s+|is\s+)?"
            r"(?:going|went|being\s+(?:put|pushed|inserted|injected|given)|got\s+put|put|pushed|inserted|injected|"
            r"given|sited|done|placed|topped)(?:\s+in|\s+up)?)\b",
            re.I,
        ),
        "event",
    ),
    (
        re.compile(
            rf"\b(?:after|post|following|from|since)\s+(?:(?:giving|we\s+gave|they\s+gave|i\s+gave)\s+)?{_INJECTION}"
            r"|\b(?:after|since)\s+(?:(?:they|we|i|he|she|you)\s+)?(?:topped|topping)\s+(?:(?:her|him|it|the\s+epidural)\s+)?up\b",
            re.I,
        ),
        "event",
    ),
    (
        re.compile(
            r"\b(?:as|when|while|whilst|the\s+moment)\s+(?:(?:they|he|she|we|you|i|the\s+(?:anaesthetist|anesthetist|"
            r"doctor|registrar|reg|consultant))\s+)?(?:was\s+|were\s+)?(?:putting|put|injecting|injected|inserting|"
            r"inserted|doing|did|giving|gave|siting|sited|topping|topped)\s+(?:(?:in|up)\s+)?"
            r"(?:(?:the|her|his|my|a|an|it)\s+)?(?:epidural|spinal|needle|block|cse|catheter|top[\s-]?up|bolus|dose|"
            r"injection|drugs?|local|patch|blood\s+patch|lp|tuohy|it\s+(?:in|up))\b",
            re.I,
        ),
        "event",
    ),
)
_FIXED = {
    "fortnight": 336.0,
    "next day": 24.0,
    "next week": 168.0,
    "last month": 720.0,
    "two days": 48.0,
    "yesterday": 24.0,
    "overnight": 12.0,
    "today": 6.0,
    "now": 0.1,
    "event": 0.1,
    "soon": 0.5,
}

_UNBLANKED = frozenset({"event", "plural"})
"""Phrases with no number: their words ("during", "went in", "months") are also words to match."""


@dataclass(frozen=True)
class TimeSince:
    hours: float
    span: tuple[int, int]  # characters of the time words in the query: not words to match
    phrase: tuple[int, int] = (0, 0)  # the whole phrase, with the event it is timed from


def _number(text: str) -> float:
    text = " ".join(text.lower().split())
    return float(text) if text[0].isdigit() else float(_NUMBERS.get(text, 1))


def find_times(text: str) -> list[TimeSince]:
    """Every time phrase in the text, in order; overlapping readings keep the first pattern's."""
    found: list[TimeSince] = []
    for pattern, kind in _PATTERNS:
        for match in pattern.finditer(text):
            whole = match.span()
            if any(s < whole[1] and whole[0] < e for s, e in (t.phrase for t in found)):
                continue
            hours = _hours(kind, match)
            if hours is not None:
                # A phrase with no number ("as the needle went in", "months later") leaves its words,
                # and the procedure it names, to be read and matched.
                span = (whole[0], whole[0]) if kind in _UNBLANKED else whole
                found.append(TimeSince(hours, span, whole))
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
    if kind == "plural":
        return 2 * _PLURAL_UNITS[match.group(1).lower()]
    if kind == "day in words":
        return float(_DAY_NUMBERS[match.group(1).lower()]) * 24
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
