"""Cross-entry checks on a loaded corpus: the rules an author can break, each named with file and line."""

from __future__ import annotations

import re
from collections.abc import Iterator

from index.content import body_citations
from index.model import LINK_TYPES, REQUIRED_SECTIONS, URGENCIES, Corpus, Entry, Problem
from index.presentation.vocabulary import check_vocabulary

KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
EXTERNAL_LINK = re.compile(r"\]\((?:https?|ftp|file|mailto|data|javascript):", re.IGNORECASE)
RAW_HTML = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
NUMBERED_ITEM = re.compile(r"^\s*\d+[.)]\s+\S", re.MULTILINE)
MIN_PARAGRAPH_CHARS = 60
"""Shorter blocks ("None known.", a one-word list item) may legitimately recur; longer ones may not."""


def validate(corpus: Corpus) -> list[Problem]:
    """Loader problems plus every cross-entry check, sorted by file and line."""
    problems = list(corpus.problems)
    for entry in corpus.entries.values():
        problems.extend(_check_entry(entry, corpus))
    problems.extend(_check_duplicate_paragraphs(corpus))
    problems.extend(_check_pathways(corpus))
    problems.extend(check_vocabulary(corpus))
    return sorted(set(problems), key=lambda p: (p.path, p.line, p.message))


def _check_entry(entry: Entry, corpus: Corpus) -> Iterator[Problem]:
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
    yield from _check_sections(entry, problem)
    if entry.kind == "complication":
        yield from _check_complication(entry, corpus, problem)
    elif entry.urgency or entry.onset_hours or entry.symptoms:
        yield problem(entry.line_of("urgency"), "urgency, onset_hours and symptoms belong to complications only")

    for number, line in enumerate(entry.body.split("\n"), start=entry.body_line):
        if EXTERNAL_LINK.search(line):
            yield problem(number, "external link in the body: URLs belong in resources/references.yaml")
        if RAW_HTML.search(line):
            yield problem(number, "raw HTML in the body: write Markdown (HTML is shown as text)")


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


def _check_sections(entry: Entry, problem) -> Iterator[Problem]:
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
    if numbered and numbered in by_heading and not NUMBERED_ITEM.search(by_heading[numbered].markdown):
        section = by_heading[numbered]
        yield problem(section.line, f"section '{section.heading}' must be a numbered list (1. …)")


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


def _paragraphs(entry: Entry) -> Iterator[tuple[str, int]]:
    """Blocks of text (paragraphs and list items), normalised, with their first line."""
    block: list[str] = []
    start = entry.body_line
    for number, line in enumerate([*entry.body.split("\n"), ""], start=entry.body_line):
        stripped = line.strip()
        is_item = bool(re.match(r"^([-*+]|\d+[.)])\s+", stripped))
        if not stripped or stripped.startswith("#") or is_item:
            if block:
                yield " ".join(block), start
            block = []
            if is_item:
                block, start = [re.sub(r"^([-*+]|\d+[.)])\s+", "", stripped)], number
            continue
        if not block:
            start = number
        block.append(stripped)
    if entry.summary:
        yield entry.summary, entry.line_of("summary")


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", "", text.lower())).strip()


def _check_duplicate_paragraphs(corpus: Corpus) -> Iterator[Problem]:
    first_seen: dict[str, tuple[str, int]] = {}
    for entry in sorted(corpus.entries.values(), key=lambda e: str(e.path)):
        path = entry.source
        for text, line in _paragraphs(entry):
            key = _normalise(text)
            if len(key) < MIN_PARAGRAPH_CHARS:
                continue
            if key in first_seen:
                other_path, other_line = first_seen[key]
                yield Problem(path, line, f"paragraph repeated from {other_path}:{other_line}")
            else:
                first_seen[key] = (path, line)


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
