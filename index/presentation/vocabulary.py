"""The bedside vocabulary (resources/presentations.yaml and drugs.yaml): typed phrases to meanings.

A meaning is a controlled symptom (or any of several, for "headache"), a procedure that sets the
context, an intent ("what now" asks for the management), or a drug class and the names the content
uses for it. Phrases are matched longest first, order-free within the phrase, with one typo
allowed in words of five letters or more.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from index.model import Corpus, Problem
from index.paths import bundled_resources
from index.presentation.data import line_of, load_with_lines
from index.presentation.measures import Measure, MeasureReader, Reading, Threshold
from index.presentation.words import WORD, Word, deletions, one_slip, phrase_key, words

PRESENTATIONS_FILE = "presentations.yaml"
DRUGS_FILE = "drugs.yaml"
TYPO_MIN_CHARS = 5
SHORT_WORD = 3
"""A phrase that filler words reduce to one word this short matches far more than it says."""


@dataclass(frozen=True)
class Meaning:
    kind: str  # "symptom", "procedure", "intent", "question", "drug"
    value: tuple[str, ...]  # symptom ids; a procedure entry id; an intent name; a drug class's content names
    name: str = ""  # what the data calls it (symptom id, "broad: headache", intent or drug class)


@dataclass(frozen=True)
class Match:
    meaning: Meaning
    words: tuple[Word, ...]


@dataclass
class Vocabulary:
    phrases: dict[tuple[str, ...], Meaning] = field(default_factory=dict)
    red_flags: frozenset[str] = frozenset()
    intent_sections: dict[str, tuple[str, ...]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    measures: MeasureReader = field(default_factory=lambda: MeasureReader(()))
    body_parts: dict[tuple[str, ...], str] = field(default_factory=dict)  # word keys -> symptom id
    reread: frozenset[str] = frozenset()  # the symptoms a body part typed next to them re-reads
    postures: frozenset[tuple[str, ...]] = frozenset()  # word keys of a change of posture
    posture_reread: frozenset[str] = frozenset()  # the headaches a posture typed near them re-reads
    posture_symptom: str = ""  # ... as this one
    _longest: int = 1
    _near: dict[str, set[str]] = field(default_factory=dict)  # deletion variant -> known words
    _known: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self._index()

    def _index(self) -> None:
        self._longest = max((len(k) for k in self.phrases), default=1)
        near: dict[str, set[str]] = {}
        self._known = {word for key in self.phrases for word in key}
        for key in self.phrases:
            for word in key:
                if len(word) >= TYPO_MIN_CHARS:
                    near.setdefault(word, set()).add(word)
                    for variant in deletions(word):
                        near.setdefault(variant, set()).add(word)
        self._near = near

    def _spelled(self, word: str) -> str:
        """The known word one edit away from an unknown one (a typo), or the word itself."""
        if len(word) < TYPO_MIN_CHARS or word in self._known:
            return word
        candidates = set()
        for variant in deletions(word) | {word}:
            candidates |= {c for c in self._near.get(variant, ()) if one_slip(word, c)}
        return min(candidates) if len(candidates) == 1 else word

    def readings(self, text: str) -> list[Reading]:
        """The bedside values typed ("RR 7", "plt 65"), in order."""
        return self.measures.read(text)

    def match(self, text: str, *, skip: list[tuple[int, int]] = ()) -> list[Match]:
        """Every phrase found in the text, longest first, never two over the same word; words inside
        the skipped character spans (a time phrase) are not looked at."""
        typed = [w for w in words(text) if not any(s <= w.start < e for s, e in skip)]
        keys = [self._spelled(w.key) for w in typed]
        taken = [False] * len(typed)
        found: list[Match] = []
        for size in range(min(self._longest, len(typed)), 0, -1):
            for start in range(len(typed) - size + 1):
                if any(taken[start : start + size]):
                    continue
                meaning = self.phrases.get(tuple(sorted(keys[start : start + size])))
                if meaning is None:
                    continue
                found.append(Match(meaning, tuple(typed[start : start + size])))
                for i in range(start, start + size):
                    taken[i] = True
        found.sort(key=lambda m: m.words[0].start)
        return found


def load_vocabulary(
    resources: Path | None = None, *, symptoms: Mapping[str, str] | None = None, entries: set[str] | None = None
) -> Vocabulary:
    """Read presentations.yaml and drugs.yaml; problems (unknown symptom ids, duplicate or
    conflicting phrases) are collected with file and line, never raised."""
    resources = resources or bundled_resources()
    vocabulary = Vocabulary()
    problems = vocabulary.problems
    seen: dict[tuple[str, ...], tuple[Meaning, str, int]] = {}
    presentations_path = resources / PRESENTATIONS_FILE
    shown = f"resources/{PRESENTATIONS_FILE}"

    def add(text: str, meaning: Meaning, where: str, default_line: int) -> None:
        line = line_of(text, default_line)
        key = phrase_key(str(text))
        if not key:
            problems.append(Problem(where, line, f"phrase '{text}' has no words that count"))
            return
        if meaning.kind in ("symptom", "procedure") and len(key) == 1 and len(key[0]) <= SHORT_WORD:
            typed = WORD.findall(str(text))
            if len(typed) > 1:  # "out of it" would read every "out" ("epidural out") as confusion
                problems.append(
                    Problem(
                        where,
                        line,
                        f"phrase '{text}' reads as the one word '{key[0]}' (the others are filler words): "
                        "every text with that word would match it",
                    )
                )
                return
        if key in seen:
            other, other_where, other_line = seen[key]
            if other == meaning:
                problems.append(Problem(where, line, f"duplicate phrase '{text}' (also at line {other_line})"))
            else:
                problems.append(
                    Problem(
                        where,
                        line,
                        f"phrase '{text}' means '{meaning.name}' here but '{other.name}' at {other_where}:{other_line}",
                    )
                )
            return
        seen[key] = (meaning, where, line)
        vocabulary.phrases[key] = meaning

    data = load_with_lines(presentations_path, shown, problems) if presentations_path.is_file() else None
    data = data if isinstance(data, dict) else {}
    known = set(symptoms) if symptoms is not None else None

    def check_symptom(symptom_id: str, line: int) -> bool:
        if known is not None and symptom_id not in known:
            problems.append(Problem(shown, line, f"unknown symptom '{symptom_id}' (see resources/symptoms.yaml)"))
            return False
        return True

    for symptom_id, phrases in _mapping(data.get("symptoms")).items():
        if not check_symptom(symptom_id, line_of(symptom_id)):
            continue
        meaning = Meaning("symptom", (str(symptom_id),), str(symptom_id))
        for phrase in _sequence(phrases):
            add(phrase, meaning, shown, line_of(symptom_id))
    for phrase, symptom_ids in _mapping(data.get("broad")).items():
        ids = tuple(str(s) for s in _sequence(symptom_ids) if check_symptom(s, line_of(s, line_of(phrase))))
        if ids:
            add(phrase, Meaning("symptom", ids, f"broad: {phrase}"), shown, line_of(phrase))
    procedures = _mapping(data.get("procedures"))
    # A corpus that has none of these procedures is another corpus (a test or a department's own):
    # the context simply does not apply there. One that has some should have them all.
    if entries is not None and entries & {str(p) for p in procedures}:
        for entry_id in procedures:
            if str(entry_id) not in entries:
                problems.append(
                    Problem(shown, line_of(entry_id), f"procedure '{entry_id}' is not an entry", severity="warning")
                )
    for entry_id, phrases in procedures.items():
        meaning = Meaning("procedure", (str(entry_id),), str(entry_id))
        for phrase in _sequence(phrases):
            add(phrase, meaning, shown, line_of(entry_id))
    flags = []
    for symptom_id in _sequence(data.get("red_flags")):
        if check_symptom(symptom_id, line_of(symptom_id)):
            flags.append(str(symptom_id))
    vocabulary.red_flags = frozenset(flags)
    body = data.get("body_parts") if isinstance(data.get("body_parts"), dict) else {}
    vocabulary.reread = frozenset(
        str(s) for s in _sequence(body.get("reread")) if check_symptom(s, line_of(s, line_of("body_parts")))
    )
    for symptom_id, parts in _mapping(body.get("parts")).items():
        if not check_symptom(symptom_id, line_of(symptom_id)):
            continue
        for part in _sequence(parts):
            key = tuple(w.key for w in words(str(part)))
            if not key:
                continue
            if key in vocabulary.body_parts:
                problems.append(
                    Problem(shown, line_of(part, line_of(symptom_id)), f"body part '{part}' is listed twice")
                )
                continue
            vocabulary.body_parts[key] = str(symptom_id)
    posture = data.get("postures") if isinstance(data.get("postures"), dict) else {}
    posture_line = line_of(next((k for k in data if k == "postures"), "postures"))
    vocabulary.posture_reread = frozenset(
        str(s) for s in _sequence(posture.get("reread")) if check_symptom(s, line_of(s, posture_line))
    )
    symptom = posture.get("symptom")
    if symptom is not None and check_symptom(symptom, line_of(symptom, posture_line)):
        vocabulary.posture_symptom = str(symptom)
    vocabulary.postures = frozenset(
        key for key in (tuple(w.key for w in words(str(p))) for p in _sequence(posture.get("words"))) if key
    )
    vocabulary.measures = MeasureReader(_measures(data.get("measures"), shown, problems, check_symptom))
    for name, spec in _mapping(data.get("intents")).items():
        spec = spec if isinstance(spec, dict) else {}
        vocabulary.intent_sections[str(name)] = tuple(str(s) for s in _sequence(spec.get("sections")))
        for phrase in _sequence(spec.get("phrases")):
            add(phrase, Meaning("question", (str(name),), str(name)), shown, line_of(name))
        for phrase in _sequence(spec.get("words")):
            add(phrase, Meaning("intent", (str(name),), str(name)), shown, line_of(name))

    drugs_path = resources / DRUGS_FILE
    drugs_shown = f"resources/{DRUGS_FILE}"
    drugs = load_with_lines(drugs_path, drugs_shown, problems) if drugs_path.is_file() else None
    class_names: dict[Meaning, tuple[str, ...]] = {}
    for name, spec in _mapping(drugs).items():
        spec = spec if isinstance(spec, dict) else {}
        names = tuple(str(n) for n in _sequence(spec.get("names")))
        if not names:
            problems.append(Problem(drugs_shown, line_of(name), f"drug class '{name}' names nothing the content uses"))
            continue
        meaning = Meaning("drug", names, str(name))
        for member in _sequence(spec.get("members")):
            add(member, meaning, drugs_shown, line_of(name))
        class_names[meaning] = names
    # The class's own names read as the class too ("low molecular weight heparin" is not "heparin"),
    # unless a member or another class already claims the phrase.
    claims: dict[tuple[str, ...], set[Meaning]] = {}
    for meaning, names in class_names.items():
        for text in names:
            claims.setdefault(phrase_key(text), set()).add(meaning)
    for key, meanings in claims.items():
        if key and len(meanings) == 1 and key not in vocabulary.phrases:
            vocabulary.phrases[key] = next(iter(meanings))
    vocabulary._index()
    return vocabulary


def _measures(data, shown: str, problems: list[Problem], check_symptom) -> list[Measure]:
    """The measures section: names typed with a value, and the thresholds that make it a symptom."""
    measures = []
    seen: dict[str, tuple[str, int]] = {}
    for name, spec in _mapping(data).items():
        spec = spec if isinstance(spec, dict) else {}
        line = line_of(name)
        names = []
        for typed in _sequence(spec.get("names")):
            key = " ".join(str(typed).lower().split())
            if key in seen:
                other, other_line = seen[key]
                problems.append(
                    Problem(
                        shown, line_of(typed, line), f"measure name '{typed}' is also '{other}' at line {other_line}"
                    )
                )
                continue
            seen[key] = (str(name), line_of(typed, line))
            names.append(str(typed))
        limits: dict[str, Threshold | None] = {}
        for side in ("below", "above"):
            value = spec.get(side)
            limits[side] = None
            if value is None:
                continue
            try:
                if not isinstance(value, list):
                    raise TypeError(side)
                limit, symptom_id = value
                limits[side] = Threshold(float(limit), str(symptom_id)) if check_symptom(symptom_id, line) else None
            except (TypeError, ValueError):
                problems.append(Problem(shown, line, f"measure '{name}': {side} must be [limit, symptom id]"))
        numbers: dict[str, float | None] = {}
        for key in ("second_above", "fahrenheit_over"):
            try:
                numbers[key] = float(spec[key]) if spec.get(key) is not None else None
            except (TypeError, ValueError):
                problems.append(Problem(shown, line, f"measure '{name}': {key} must be a number"))
                numbers[key] = None
        if names:
            about = tuple(str(a) for a in _sequence(spec.get("about")))
            measures.append(Measure(str(name), tuple(names), limits["below"], limits["above"], **numbers, about=about))
    return measures


def _mapping(value) -> dict:
    return value if isinstance(value, dict) else {}


def _sequence(value) -> list:
    return [v for v in value if v is not None] if isinstance(value, list) else []


def check_vocabulary(corpus: Corpus) -> list[Problem]:
    """The presentation and drug data checked against a loaded corpus (its symptoms and entries):
    what `validate` reports, each problem with file and line."""
    symptoms = corpus.symptoms or None
    return load_vocabulary(symptoms=symptoms, entries=set(corpus.entries)).problems
