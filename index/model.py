"""Plain dataclasses that cross the boundary between index/ and its callers."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

KINDS = ("procedure", "complication", "management")
LINK_TYPES = ("treats", "complication-of", "differential", "see-also")
URGENCIES = ("emergency", "urgent", "routine")

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

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.message}"


@dataclass
class Link:
    target: str
    type: str
    line: int = 0
    origin: str = "front-matter"  # or "body"


@dataclass
class Section:
    heading: str
    anchor: str
    markdown: str
    line: int
    level: int = 2
    origin: str = "curated"  # or "local" (added by a protocol pack)
    label: str = ""  # "Local — <publisher>, reviewed <date>" for local sections


@dataclass
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
    reviewed: str = ""
    urgency: str | None = None
    onset_hours: tuple[float, float] | None = None
    symptoms: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    body: str = ""
    body_line: int = 1
    field_lines: dict[str, int] = field(default_factory=dict)
    origin: str = "curated"
    source: str = ""  # the path shown in messages
    label: str = ""  # provenance shown for local entries
    has_local: bool = False  # a pack added a local section

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
    facets: dict[str, dict[str, int]] = field(default_factory=dict)  # counts over the results shown
    error: str | None = None  # set when the engine failed: the empty result is not "nothing matched"
    partial: bool = False  # the time limit cut the search short: better matches may be missing
