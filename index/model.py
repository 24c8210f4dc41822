"""Plain dataclasses that cross the boundary between index/ and its callers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from index.structure import Structure

# The vocabulary, defined once: the loader, the validator, the CLI and the window all read it here.
KINDS = ("procedure", "complication", "management")
KIND_LABELS = {"procedure": "Procedure", "complication": "Complication", "management": "Management"}
KIND_PLURALS = {"procedure": "Procedures", "complication": "Complications", "management": "Management options"}
LINK_TYPES = ("treats", "complication-of", "differential", "see-also")
LINK_LABELS = {  # (from this entry, to this entry)
    "treats": ("Treats", "Treated by"),
    "complication-of": ("Complication of", "Complications"),
    "differential": ("Differential", "Differential"),
    "see-also": ("See also", "Referenced by"),
}
URGENCIES = ("emergency", "urgent", "routine")  # most urgent first
URGENCY_LABELS = {"emergency": "Emergency", "urgent": "Urgent", "routine": "Routine"}
POPULATIONS = ("obstetric", "pediatric", "adult")  # tags the population filter offers
POPULATION_LABELS = {"obstetric": "Obstetric", "pediatric": "Pediatric", "adult": "Adult"}
ACTION_FIRST_URGENCIES = ("emergency", "urgent")
"""Complications a clinician opens under pressure: their page starts with "Immediate actions"."""
IMMEDIATE_ACTIONS = "Immediate actions"
REVIEW_STATUSES = ("draft", "checked-against-sources")
REVIEW_FIELDS = ("status", "date", "checked", "sources", "reproductions")
IDENTIFIED_REFERENCE_TYPES = ("article",)
"""Reference types that must carry a DOI or PMID; so must a guideline that names the journal it was
published in (it is indexed too). Other guidelines and web pages may rest on a URL."""

REQUIRED_SECTIONS: dict[str, tuple[str, ...]] = {
    "procedure": (
        "Indications",
        "Contraindications",
        "Preparation and equipment",
        "Steps",
        "Aftercare and monitoring",
        "Complications",
        "Documentation",
    ),
    "complication": (
        "At a glance",
        "Definition",
        "Risk factors",
        "Presentation",
        "Red flags",
        "Differential diagnosis",
        "Investigations",
        "Management",
        "Prognosis and follow-up",
    ),
    "management": (
        "Indications",
        "How it works and evidence",
        "Technique or dosing",
        "Contraindications and cautions",
        "Adverse effects",
        "Where it fits",
    ),
}


@dataclass(frozen=True)
class Problem:
    """A validation error or warning, always pointing at a file and line."""

    path: str
    line: int
    message: str
    severity: str = "error"
    code: str = ""  # what kind of problem, for callers that act on it ("pack-refused"); never parse message

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.message}"


@dataclass(slots=True)
class Link:
    target: str
    type: str
    line: int = 0
    origin: str = "front-matter"  # or "body"


@dataclass(slots=True)
class Section:
    heading: str
    anchor: str
    markdown: str
    line: int
    level: int = 2
    origin: str = "curated"  # or "local" (added by a protocol pack)
    label: str = ""  # "Local — <publisher>, reviewed <date>" for local sections


@dataclass
class Review:
    """How far an entry has been checked, and against what: no person is named, no sign-off implied."""

    status: str
    date: str  # ISO date
    checked: str
    sources: list[str] = field(default_factory=list)
    reproductions: list[str] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)  # file line of each sub-field

    def line_of(self, name: str) -> int:
        return self.lines.get(name, self.lines.get("review", 1))


def review_status_text(status: str, date: str) -> str:
    """The status line a reader sees: "Checked against sources, 30 Nov 2026" or the draft notice."""
    if status == "checked-against-sources":
        try:
            day = dt.date.fromisoformat(date)
        except ValueError:
            return f"Checked against sources, {date}"
        return f"Checked against sources, {day.day} {day:%b %Y}"
    if status == "draft":
        return "Draft — not yet checked against sources"
    return f"Review status unknown ({status})" if status else "Not reviewed"


@dataclass(frozen=True)
class SelfTestCard:
    """One self-test question from an entry's front matter (`self_test:`), kept as written so that
    validate can name what is wrong with it; it never enters the page body or the search index."""

    question: object
    answer: object
    line: int
    unknown_keys: tuple[str, ...] = ()
    is_mapping: bool = True


@dataclass(frozen=True)
class ReadingListItem:
    entry_id: str
    reason: str
    line: int


@dataclass(frozen=True)
class ReadingList:
    """An ordered path through the corpus for study, from resources/reading-lists.yaml."""

    id: str
    title: str
    items: tuple[ReadingListItem, ...]
    line: int
    source: str = "resources/reading-lists.yaml"

    @property
    def entry_ids(self) -> list[str]:
        return [item.entry_id for item in self.items]


@dataclass(slots=True)
class Entry:
    id: str
    kind: str
    title: str
    summary: str
    path: Path
    aliases: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    reviewed: str = ""  # the review date (derived from review), kept for footers and listings
    review: Review | None = None
    urgency: str | None = None
    onset_hours: tuple[float, float] | None = None
    symptoms: list[str] = field(default_factory=list)
    self_test: list[SelfTestCard] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    body: str = ""
    body_line: int = 1
    field_lines: dict[str, int] = field(default_factory=dict)
    origin: str = "curated"
    source: str = ""  # the path shown in messages
    label: str = ""  # provenance shown for local entries
    has_local: bool = False  # a pack added a local section
    structure: Structure | None = field(default=None, repr=False, compare=False)  # body, parsed on demand

    def body_structure(self) -> Structure:
        """The body's sections, blocks, links and raw HTML, parsed on first call and kept; the loader
        and the validator do not call it, so a loaded corpus holds no parsed bodies."""
        if self.structure is None:
            from index.structure import parse_body  # markdown-it: only once a body is read

            self.structure = parse_body(self.body, self.body_line)
        return self.structure

    def line_of(self, name: str) -> int:
        return self.field_lines.get(name, 1)


@dataclass
class Reference:
    key: str
    type: str
    authors: str
    title: str
    year: int | None
    journal: str = ""
    volume: str = ""
    pages: str = ""
    doi: str = ""
    pmid: str = ""
    url: str = ""
    note: str = ""
    line: int = 1
    source: str = ""  # the bibliography file, as shown in messages

    @property
    def needs_identifier(self) -> bool:
        """Journal articles and journal-published guidelines are indexed: they carry a DOI or PMID."""
        return self.type in IDENTIFIED_REFERENCE_TYPES or (self.type == "guideline" and bool(self.journal))

    def citation(self) -> str:
        """A Vancouver-style one-line citation, as shown under an entry."""
        parts = [f"{self.authors}.", f"{self.title.rstrip('.')}."]
        where = self.journal
        if self.year:
            where = f"{where} {self.year}" if where else str(self.year)
        if self.volume:
            where += f";{self.volume}"
        if self.pages:
            where += f":{self.pages}"
        if where:
            parts.append(where.strip() + ".")
        return " ".join(parts)


@dataclass(frozen=True)
class IdentifierException:
    """A journal reference documented as having no DOI and no PMID, and why."""

    key: str
    reason: str
    path: str
    line: int


@dataclass
class Corpus:
    """Everything loaded from a content directory, with the problems found on the way."""

    entries: dict[str, Entry]
    references: dict[str, Reference]
    tags: dict[str, dict[str, str]]
    symptoms: dict[str, str]
    lexicon: dict
    version: str
    problems: list[Problem] = field(default_factory=list)
    pathways: list = field(default_factory=list)  # raw resources/pathways.yaml, checked by validate
    identifier_exceptions: dict[str, IdentifierException] = field(default_factory=dict)
    reading_lists: list[ReadingList] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


@dataclass(frozen=True)
class SearchHit:
    id: str
    kind: str
    title: str
    score: float
    section: str
    anchor: str
    snippet: str  # HTML: escaped text with <b class="hit"> around matched terms
    urgency: str | None = None
    tags: tuple[str, ...] = ()
    label: str = ""  # "Local — …" when the entry or its matched section comes from a pack

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "score": round(self.score, 4),
            "section": self.section,
            "snippet": self.snippet,
        }


@dataclass(frozen=True)
class SearchResults:
    query: str
    hits: list[SearchHit]
    total: int
    suggestion: str | None = None
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    error: str | None = None  # the search failed: say so, never pretend there were no results
    partial: bool = False  # the time limit cut the search short: better matches may be missing


@dataclass(frozen=True)
class SearchRequest:
    """One search, parsed once: what the search field and its filters ask of the library."""

    query: str
    limit: int = 20
    kinds: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    urgencies: tuple[str, ...] = ()
    origins: tuple[str, ...] = ()

    @classmethod
    def of(
        cls,
        query: str,
        *,
        limit: int = 20,
        kinds: list[str] | None = None,
        tags: list[str] | None = None,
        urgencies: list[str] | None = None,
        origins: list[str] | None = None,
    ) -> SearchRequest:
        """From the keyword form callers used before (None or a list per filter)."""
        return cls(query, limit, tuple(kinds or ()), tuple(tags or ()), tuple(urgencies or ()), tuple(origins or ()))

    def filters(self) -> dict[str, list[str] | None]:
        return {
            "kinds": list(self.kinds) or None,
            "tags": list(self.tags) or None,
            "urgencies": list(self.urgencies) or None,
            "origins": list(self.origins) or None,
        }


@dataclass(frozen=True)
class LibraryStats:
    """What About shows: the content version and how much there is."""

    content_version: str
    entries_by_kind: dict[str, int]
    references: int

    @property
    def entries(self) -> int:
        return sum(self.entries_by_kind.values())
