"""Bedside values read from the query ("RR 7", "plt 65", "bp 70/40", "sats 88%", "INR 1.4").

A number typed after a vital sign or a lab test is its value, not a word to match ("65" must not
find a dose of 65 mg); a value past the abnormal threshold the data gives is the symptom it shows
("RR 7" is respiratory depression, "bp 70/40" hypotension). The measures are data
(resources/presentations.yaml, `measures`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_VALUE = r"(?:[:=]\s*|\s+(?:of|is|was|now|at|down\s+to|up\s+to|only|just|around|about|approx|~)\s+|\s*)"
_NUMBER = r"(\d+(?:[.,]\d+)?)(?:\s*/\s*(\d+(?:[.,]\d+)?))?"
_UNIT = r"(?:\s*(?:%|mmhg|mm\s*hg|/min|bpm|breaths?(?:/min)?|°\s*[cf]|c\b|f\b|x\s*10\^?9(?:/l)?|k\b|/l\b))?"

_NOT_TIME = r"(?!\s*-?\s*(?:min|mins|minutes?|h|hrs?|hours?|d|days?|wks?|weeks?|months?|/\s*(?:7|52|12))\b)"
"""A number followed by a time unit is a time ("sat 2 hours after"), not a value."""


@dataclass(frozen=True)
class Threshold:
    limit: float
    symptom: str


@dataclass(frozen=True)
class Measure:
    name: str  # what the data calls it ("respiratory-rate")
    names: tuple[str, ...]  # what people type for it ("RR", "resp rate")
    below: Threshold | None = None  # a value under the limit shows the symptom
    above: Threshold | None = None  # a value over the limit shows the symptom
    second_above: float | None = None  # the second value ("180/115": diastolic) over this shows `above`
    fahrenheit_over: float | None = None  # a temperature typed in °F (over this) is converted
    about: tuple[str, ...] = ()  # what the content calls the topic a value raises ("INR": anticoagulant)


@dataclass(frozen=True)
class Reading:
    measure: Measure
    value: float
    second: float | None  # the diastolic of "70/40"
    span: tuple[int, int]  # the name and the value
    value_span: tuple[int, int]  # the value alone: blanked from the text search
    name_words: tuple[str, ...]  # the typed words of the name, lower case

    @property
    def symptom(self) -> str | None:
        """The symptom the value shows, if it is past a threshold."""
        value = self.value
        if self.measure.fahrenheit_over is not None and value > self.measure.fahrenheit_over:
            value = (value - 32.0) * 5.0 / 9.0
        below, above = self.measure.below, self.measure.above
        if below is not None and value < below.limit:
            return below.symptom
        if above is not None and value > above.limit:
            return above.symptom
        second_above = self.measure.second_above
        if above is not None and second_above is not None and self.second is not None and self.second > second_above:
            return above.symptom
        return None


class MeasureReader:
    """Finds "<name> <value>" in a text; names match case-insensitively and with their UK/US
    spellings, since a number must follow them."""

    def __init__(self, measures: Iterable[Measure]) -> None:
        self.measures = tuple(measures)
        by_name: dict[str, Measure] = {}
        for measure in self.measures:
            for name in measure.names:
                by_name[" ".join(name.lower().split())] = measure
        self._by_name = by_name
        self._pattern = None
        if by_name:
            names = sorted(by_name, key=len, reverse=True)
            alternatives = "|".join(r"\s+".join(re.escape(part) for part in name.split()) for name in names)
            self._pattern = re.compile(
                rf"(?<![\w/.'’])({alternatives}){_VALUE}{_NUMBER}{_UNIT}(?![\w/]){_NOT_TIME}", re.I
            )

    def read(self, text: str) -> list[Reading]:
        if self._pattern is None:
            return []
        found = []
        for match in self._pattern.finditer(text):
            typed = " ".join(match.group(1).lower().split())
            measure = self._by_name.get(typed)
            if measure is None:
                continue
            try:
                value = float(match.group(2).replace(",", "."))
                second = float(match.group(3).replace(",", ".")) if match.group(3) else None
            except ValueError:
                continue
            found.append(
                Reading(
                    measure=measure,
                    value=value,
                    second=second,
                    span=match.span(),
                    value_span=(match.start(2), match.end()),
                    name_words=tuple(typed.split()),
                )
            )
        return found
