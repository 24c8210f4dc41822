"""Cross-entry checks on a loaded corpus: the rules an author can break, each named with file and line.

Structure (sections, paragraphs, list items, table rows, links, raw HTML) comes from markdown-it
tokens (index/structure.py), so the checks see what the reader sees.

Doses and intervals must be cited where they stand. A *dose or interval* is a number (digits,
optionally with a decimal point or thousands separator, optionally a range "10-20", "10–20" or
"10 to 20") followed, after an optional space or hyphen, by one of the units in DOSE_UNITS
(mg, mcg, µg, microgram, g, mL, L, units, IU, mmol, mEq, %, h, hours, hourly, min, seconds,
days, weeks …), optionally per kg / h / min / day ("mg/kg", "mL/kg/h"). Units are case-sensitive,
so "25G" (a needle gauge) is not a dose. A block that contains one — a paragraph, a list item, or
a table row (each row on its own; a citation before the table does not count) — must contain a
`[@key]` citation; a nested list item is part of the item it sits in, so a citation in that item's
own text covers it. In the "Immediate actions" and "Technique or dosing" sections any number
counts, unit or not (a ratio such as 1:200,000 or "repeat up to 3 times" is a dose too). Citation
keys and link targets are not read as numbers. The summary is checked as one paragraph.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator

from index.content import CITATION, CITATION_KEY, body_citations
from index.model import (
    ACTION_FIRST_URGENCIES,
    IDENTIFIED_REFERENCE_TYPES,
    IMMEDIATE_ACTIONS,
    LINK_TYPES,
    REQUIRED_SECTIONS,
    URGENCIES,
    Corpus,
    Entry,
    Problem,
)
from index.plaintext import entry_text_problems
from index.presentation.vocabulary import check_vocabulary
from index.structure import Block, Structure, parse_body

KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SAFE_LINK = ("entry:", "#")
MIN_PARAGRAPH_CHARS = 60
"""Shorter blocks ("None known.", a one-word list item) may legitimately recur; longer ones may not."""

DOSE_UNITS = (
    "mg mcg µg μg micrograms microgram milligrams milligram grams gram g mL ml L units unit IU mmol mEq % "
    "hours hour hourly hrs hr h minutes minute mins min seconds second secs sec days day weeks week"
).split()
NUMBER = r"(?<![\w.,])\d+(?:[.,]\d+)*"
DOSE = re.compile(
    rf"{NUMBER}(?:\s*(?:-|–|—|to)\s*\d+(?:[.,]\d+)*)?(?:\s*|-)(?:{'|'.join(map(re.escape, DOSE_UNITS))})"
    r"(?:/(?:kg|h|hr|hour|min|day|dose))*(?![\w])"
)
ANY_NUMBER = re.compile(r"\d+(?:[.,:]\d+)*")
CITED = re.compile(r"\[@[^\]\[]+\]")
NOT_TEXT = re.compile(r"\[@[^\]\[]+\]|\]\([^)]*\)")  # citations and link destinations
DOSING_SECTIONS = (IMMEDIATE_ACTIONS.lower(), "technique or dosing")


def validate(corpus: Corpus) -> list[Problem]:
    """Loader problems plus every cross-entry check, sorted by file and line."""
    problems = list(corpus.problems)
    # One pass in file order: each body is parsed once, checked, fed to the duplicate-paragraph
    # rule and let go, so validating holds one entry's structure at a time, not the whole corpus's.
    duplicates = _DuplicateParagraphs()
    for entry in sorted(corpus.entries.values(), key=lambda e: str(e.path)):
        structure = _structure(entry)
        problems.extend(_check_entry(entry, corpus, structure))
        problems.extend(duplicates.check(entry, structure))
    problems.extend(_check_pathways(corpus))
    problems.extend(_check_identifiers(corpus))
    problems.extend(check_vocabulary(corpus))
    problems.extend(_check_self_test(corpus))
    problems.extend(_check_reading_lists(corpus))
    return sorted(set(problems), key=lambda p: (p.path, p.line, p.message))


def _structure(entry: Entry) -> Structure:
    """The entry's parsed body: the one already kept on it, or a fresh parse that is not kept."""
    return entry.structure if entry.structure is not None else parse_body(entry.body, entry.body_line)


def _check_entry(entry: Entry, corpus: Corpus, structure: Structure) -> Iterator[Problem]:
    path = entry.source

    def problem(line: int, message: str) -> Problem:
        return Problem(path, line, message)

    if not KEBAB.match(entry.id):
        yield problem(entry.line_of("id"), f"id '{entry.id}' must be kebab-case (a-z, 0-9, hyphens)")
    if entry.path.stem != entry.id:
        yield problem(entry.line_of("id"), f"id '{entry.id}' does not match the file name '{entry.path.name}'")
    if entry.kind in REQUIRED_SECTIONS and entry.path.parent.name != entry.kind:
        yield problem(entry.line_of("kind"), f"kind '{entry.kind}' but the file is in '{entry.path.parent.name}/'")
    if not entry.title:
        yield problem(entry.line_of("title"), "title is empty")
    yield from entry_text_problems(entry, path)
    if entry.kind and not entry.summary:
        yield problem(entry.line_of("summary"), "summary is empty")

    for link in entry.links:
        if link.target not in corpus.entries:
            yield problem(link.line, f"link to unknown entry '{link.target}'")
        elif link.target == entry.id:
            yield problem(link.line, "an entry must not link to itself")
        if link.type not in LINK_TYPES:
            yield problem(link.line, f"unknown link type '{link.type}' (expected one of: {', '.join(LINK_TYPES)})")

    known_tags = {tag for group in corpus.tags.values() if isinstance(group, dict) for tag in group}
    population = set(corpus.tags.get("population", {}) or {})
    for tag in entry.tags:
        if tag not in known_tags:
            yield problem(entry.line_of("tags"), f"unknown tag '{tag}' (add it to resources/tags.yaml first)")
    if entry.kind and population and not population & set(entry.tags):
        yield problem(entry.line_of("tags"), f"needs a population tag ({', '.join(sorted(population))})")

    yield from _check_references(entry, corpus, problem)
    yield from _check_sections(entry, structure, problem)
    if entry.kind == "complication":
        yield from _check_complication(entry, corpus, problem)
    elif entry.urgency or entry.onset_hours or entry.symptoms:
        yield problem(entry.line_of("urgency"), "urgency, onset_hours and symptoms belong to complications only")

    for link in structure.links:
        if not link.href.startswith(SAFE_LINK):
            yield problem(link.line, "external link in the body: URLs belong in resources/references.yaml")
    for line in structure.html_lines:
        yield problem(line, "raw HTML in the body: write Markdown (HTML is shown as text)")
    yield from _check_review(entry, corpus, problem)
    yield from _check_dose_citations(entry, structure, problem)


def _check_review(entry: Entry, corpus: Corpus, problem) -> Iterator[Problem]:
    if entry.review is None:
        return
    for key in entry.review.sources:
        if key not in corpus.references:
            yield problem(entry.review.line_of("sources"), f"review source '{key}' is not in resources/references.yaml")


def _uncited_dose(text: str, any_number: bool) -> str | None:
    """The first dose or interval in text, when text carries no citation."""
    if CITED.search(text):
        return None
    plain = NOT_TEXT.sub(" ", text)
    match = DOSE.search(plain) or (ANY_NUMBER.search(plain) if any_number else None)
    return match.group(0) if match else None


def _cited_by_enclosing_item(block: Block) -> bool:
    parent = block.parent
    while parent is not None:
        if CITED.search(parent.text):
            return True
        parent = parent.parent
    return False


def _check_dose_citations(entry: Entry, structure: Structure, problem) -> Iterator[Problem]:
    """Every dose or interval carries a citation in the same paragraph, list item or table row."""
    names = {"paragraph": "paragraph", "item": "list item", "row": "table row"}
    for block in structure.blocks:
        if block.kind == "header":  # column labels ("Patient over 70 kg") state no dose
            continue
        strict = (block.section or "").lower() in DOSING_SECTIONS
        found = _uncited_dose(block.text, strict)
        if found and not _cited_by_enclosing_item(block):
            yield problem(
                block.line,
                f"'{found}' is a dose or interval without a citation: cite its source with [@key] "
                f"in the same {names[block.kind]}",
            )
    found = _uncited_dose(entry.summary, False)
    if found:
        yield problem(entry.line_of("summary"), f"'{found}' in the summary is a dose or interval without a citation")


def _check_references(entry: Entry, corpus: Corpus, problem) -> Iterator[Problem]:
    line = entry.line_of("references")
    for key in entry.references:
        if key not in corpus.references:
            yield problem(line, f"unknown reference key '{key}' (not in resources/references.yaml)")
    listed = set(entry.references)
    for key, cited_line in body_citations(entry):
        if key not in corpus.references:
            yield problem(cited_line, f"unknown reference key '{key}' cited in the text")
        elif key not in listed:
            yield problem(cited_line, f"'{key}' is cited in the text but missing from the front matter references")
    if entry.kind:
        if len(listed) < 2:
            yield problem(line, "an entry cites at least two references")
        traceable = [
            k for k in listed if k in corpus.references and (corpus.references[k].doi or corpus.references[k].pmid)
        ]
        if listed and not traceable:
            yield problem(line, "at least one reference needs a DOI or PMID")


def _check_sections(entry: Entry, structure: Structure, problem) -> Iterator[Problem]:
    required = REQUIRED_SECTIONS.get(entry.kind)
    if not required:
        return
    by_heading = {s.heading.lower(): s for s in entry.sections}
    present = [s.heading.lower() for s in entry.sections]
    for heading in required:
        section = by_heading.get(heading.lower())
        if section is None:
            yield problem(entry.body_line, f"missing required section '## {heading}' for a {entry.kind}")
        elif not section.markdown.strip():
            yield problem(section.line, f"section '{heading}' is empty")
    order = [h.lower() for h in required if h.lower() in present]
    if [h for h in present if h in order] != order:
        yield problem(entry.body_line, f"sections out of order: expected {' · '.join(required)}")
    seen: set[str] = set()
    for section in entry.sections:
        if section.heading.lower() in seen:
            yield problem(section.line, f"section '{section.heading}' appears twice")
        seen.add(section.heading.lower())
    numbered = {"procedure": "steps", "complication": "management"}.get(entry.kind)
    if numbered and numbered in by_heading and not _numbered_items(structure.section_blocks(numbered)):
        section = by_heading[numbered]
        yield problem(section.line, f"section '{section.heading}' must be a numbered list (1. …)")
    actions = by_heading.get(IMMEDIATE_ACTIONS.lower())
    needs_actions = entry.kind == "complication" and entry.urgency in ACTION_FIRST_URGENCIES
    if needs_actions and actions is None:
        yield problem(
            entry.body_line,
            f"a complication of urgency '{entry.urgency}' starts with '## {IMMEDIATE_ACTIONS}': "
            "a numbered list of first actions, each cited",
        )
    if actions is not None:
        if entry.sections[0] is not actions:
            yield problem(actions.line, f"'{IMMEDIATE_ACTIONS}' must be the first section, before the others")
        blocks = structure.section_blocks(IMMEDIATE_ACTIONS)
        items = _numbered_items(blocks)
        if not items:
            yield problem(actions.line, f"section '{IMMEDIATE_ACTIONS}' must be a numbered list (1. …)")
        for item in items:
            if not any(CITED.search(block.text) for block in blocks if block.within(item)):
                yield problem(item.line, f"each of the '{IMMEDIATE_ACTIONS}' cites its source with [@key]")


def _numbered_items(blocks: list[Block]) -> list[Block]:
    """The items of the section's outermost numbered lists."""
    items = [b for b in blocks if b.kind == "item"]
    top = min((b.depth for b in items), default=0)
    return [b for b in items if b.ordered and b.depth == top]


def _check_complication(entry: Entry, corpus: Corpus, problem) -> Iterator[Problem]:
    if entry.urgency is not None and entry.urgency not in URGENCIES:
        yield problem(entry.line_of("urgency"), f"urgency must be one of: {', '.join(URGENCIES)}")
    for symptom in entry.symptoms:
        if symptom not in corpus.symptoms:
            yield problem(entry.line_of("symptoms"), f"unknown symptom '{symptom}' (see resources/symptoms.yaml)")
    if entry.kind == "complication" and not entry.symptoms:
        yield problem(entry.line_of("symptoms"), "a complication lists at least one presenting symptom")
    glance = next((s for s in entry.sections if s.heading.lower() == "at a glance"), None)
    if glance and entry.urgency and entry.urgency not in glance.markdown.lower():
        yield problem(glance.line, f"'At a glance' does not state the urgency '{entry.urgency}' of the front matter")


def _paragraphs(entry: Entry, structure: Structure) -> Iterator[tuple[str, int]]:
    """Blocks of text (paragraphs, list items, table rows) with their first line, and the summary."""
    for block in structure.blocks:
        yield block.text, block.line
    if entry.summary:
        yield entry.summary, entry.line_of("summary")


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", "", text.lower())).strip()


class _DuplicateParagraphs:
    """Remembers each long paragraph seen so far (entries fed in file order) by a 16-byte digest of
    its normalised text, not the text itself: the whole corpus's paragraphs would not fit twice."""

    def __init__(self) -> None:
        self.first_seen: dict[bytes, tuple[str, int]] = {}

    def check(self, entry: Entry, structure: Structure) -> list[Problem]:
        found = []
        path = entry.source
        for text, line in _paragraphs(entry, structure):
            key = _normalise(text)
            if len(key) < MIN_PARAGRAPH_CHARS:
                continue
            digest = hashlib.blake2b(key.encode(), digest_size=16).digest()
            if digest in self.first_seen:
                other_path, other_line = self.first_seen[digest]
                found.append(Problem(path, line, f"paragraph repeated from {other_path}:{other_line}"))
            else:
                self.first_seen[digest] = (path, line)
        return found


def _check_pathways(corpus: Corpus) -> Iterator[Problem]:
    """Every box of a pathway diagram must open an entry that exists."""
    for index, item in enumerate(corpus.pathways):
        if not isinstance(item, dict):
            yield Problem("resources/pathways.yaml", 1, f"pathway #{index + 1} must be a mapping")
            continue
        named = [item.get("entry"), *(b for step in item.get("steps", []) for b in step.get("boxes", []))]
        for entry_id in named:
            if entry_id and entry_id not in corpus.entries:
                yield Problem(
                    "resources/pathways.yaml", 1, f"pathway '{item.get('id')}' names unknown entry '{entry_id}'"
                )


def _check_identifiers(corpus: Corpus) -> Iterator[Problem]:
    """Journal references carry a DOI or a PMID, unless documented as having neither."""
    exceptions = corpus.identifier_exceptions
    for ref in corpus.references.values():
        identified = bool(ref.doi or ref.pmid)
        if ref.needs_identifier and not identified and ref.key not in exceptions:
            kind = "article" if ref.type in IDENTIFIED_REFERENCE_TYPES else f"{ref.type} in {ref.journal}"
            yield Problem(
                ref.source or "resources/references.yaml",
                ref.line,
                f"{kind} '{ref.key}' has neither DOI nor PMID: add the one its record shows, or list it "
                "with the reason in references-without-identifier.yaml",
            )
    for key, exception in exceptions.items():
        ref = corpus.references.get(key)
        if ref is None:
            yield Problem(exception.path, exception.line, f"'{key}' is not in the bibliography")
        elif ref.doi or ref.pmid:
            yield Problem(exception.path, exception.line, f"'{key}' has a DOI or PMID: remove it from the exceptions")


def _check_self_test(corpus: Corpus) -> Iterator[Problem]:
    """Self-test cards: {q, a} text, a question that asks, an answer that carries the citation the
    entry uses for it (a key the entry lists and cites in its text), no question asked twice."""
    asked: dict[str, tuple[str, int]] = {}
    for entry in sorted(corpus.entries.values(), key=lambda e: str(e.path)):
        path = entry.source
        cited = {key for key, _ in body_citations(entry)}
        for card in entry.self_test:
            if not card.is_mapping:
                yield Problem(path, card.line, 'a self-test card looks like {q: "question?", a: "answer [@key]"}')
                continue
            if card.unknown_keys:
                yield Problem(
                    path, card.line, f"unknown self-test field(s) {', '.join(card.unknown_keys)} (expected q, a)"
                )
            question, answer = card.question, card.answer
            if not isinstance(question, str) or not question.strip():
                yield Problem(path, card.line, "self-test card needs a question 'q' (text)")
            elif not question.strip().endswith("?"):
                yield Problem(path, card.line, f"self-test question must end with '?': {question.strip()!r}")
            else:
                key = _normalise(question)
                if key in asked:
                    other_path, other_line = asked[key]
                    yield Problem(path, card.line, f"self-test question repeated from {other_path}:{other_line}")
                else:
                    asked[key] = (path, card.line)
            if not isinstance(answer, str) or not answer.strip():
                yield Problem(path, card.line, "self-test card needs an answer 'a' (text)")
                continue
            keys = [
                k.rstrip(".,;:") for group in CITATION.finditer(answer) for k in CITATION_KEY.findall(group.group(1))
            ]
            if not keys:
                yield Problem(path, card.line, "self-test answer carries no citation: end it with the entry's [@key]")
            for key in keys:
                if key not in entry.references:
                    yield Problem(path, card.line, f"self-test answer cites '{key}', which the entry does not list")
                elif key not in cited:
                    yield Problem(
                        path, card.line, f"self-test answer cites '{key}', which the entry's text never cites"
                    )


def _check_reading_lists(corpus: Corpus) -> Iterator[Problem]:
    """Every reading list names entries that exist, each once; no two lists share a title."""
    titles: dict[str, int] = {}
    for reading_list in corpus.reading_lists:
        path = reading_list.source
        if reading_list.id in titles:
            yield Problem(
                path,
                reading_list.line,
                f"reading list '{reading_list.title}' repeated (also line {titles[reading_list.id]})",
            )
        else:
            titles[reading_list.id] = reading_list.line
        seen: dict[str, int] = {}
        for item in reading_list.items:
            if item.entry_id not in corpus.entries:
                yield Problem(
                    path, item.line, f"reading list '{reading_list.title}' names unknown entry '{item.entry_id}'"
                )
            if item.entry_id in seen:
                yield Problem(
                    path,
                    item.line,
                    f"'{item.entry_id}' appears twice in '{reading_list.title}' (also line {seen[item.entry_id]})",
                )
            else:
                seen[item.entry_id] = item.line
