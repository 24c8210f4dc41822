"""The content store: loaded entries, sections, links and references in SQLite (sqlite-utils).

The store is what the app reads pages from; the Whoosh index only finds them. Both are built
together into one generation directory, so they can never disagree.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from index import SCHEMA_VERSION
from index.content import CITATION, CITATION_KEY, body_citations
from index.model import Corpus, Entry, review_status_text

STORE_BATCH = 500  # rows per INSERT statement (sqlite-utils caps it by SQLite's variable limit)


def citation_numbers(entry: Entry) -> dict[str, int]:
    """Number references in order of first citation; uncited listed ones follow."""
    numbers: dict[str, int] = {}
    in_summary = [k.rstrip(".,;:") for group in CITATION.findall(entry.summary) for k in CITATION_KEY.findall(group)]
    for key in [*in_summary, *(key for key, _ in body_citations(entry))]:
        numbers.setdefault(key, len(numbers) + 1)
    for key in entry.references:
        numbers.setdefault(key, len(numbers) + 1)
    return numbers


def write_store(corpus: Corpus, path: Path, *, fingerprint: str) -> None:
    """Create the SQLite store at path (which must not exist yet)."""
    from index.rendering import render_and_text  # markdown-it: to build a store, not to open one

    db = sqlite_utils.Database(path)
    try:
        # A build writes a fresh file in a private directory that is discarded if the build fails:
        # no journal and no fsync per statement, and the whole store in one transaction.
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        with db.atomic():
            _create_tables(db)
            db["meta"].insert_all(
                [
                    {"key": "content_version", "value": corpus.version},
                    {"key": "fingerprint", "value": fingerprint},
                    {"key": "schema_version", "value": str(SCHEMA_VERSION)},
                    {"key": "entry_count", "value": str(len(corpus.entries))},
                    {"key": "lexicon", "value": json.dumps(corpus.lexicon, default=str)},
                    # The symptom list and pathways as validated, so the finder, the diagrams and the
                    # index always describe the same content (a custom --content brings its own).
                    {"key": "symptoms", "value": json.dumps(corpus.symptoms)},
                    {"key": "pathways", "value": json.dumps(corpus.pathways, default=str)},
                    {"key": "tag_labels", "value": json.dumps(tag_labels(corpus.tags))},
                ]
            )
            db["refs"].insert_all(
                (
                    {
                        "key": r.key,
                        "type": r.type,
                        "authors": r.authors,
                        "title": r.title,
                        "journal": r.journal,
                        "year": r.year,
                        "volume": r.volume,
                        "pages": r.pages,
                        "doi": r.doi,
                        "pmid": r.pmid,
                        "url": r.url,
                        "note": r.note,
                        "citation": r.citation(),
                    }
                    for r in corpus.references.values()
                ),
                batch_size=STORE_BATCH,
            )
            entries = sorted(corpus.entries.values(), key=lambda e: e.id)
            numbers = {entry.id: citation_numbers(entry) for entry in entries}
            db["entries"].insert_all((_entry_row(e) for e in entries), batch_size=STORE_BATCH)

            def section_rows():
                for entry in entries:
                    for ordinal, s in enumerate(entry.sections):
                        html, text = render_and_text(s.markdown, numbers[entry.id])
                        yield {
                            "entry_id": entry.id,
                            "ordinal": ordinal,
                            "heading": s.heading,
                            "anchor": s.anchor,
                            "markdown": s.markdown,
                            "html": html,
                            "text": text,
                            "origin": s.origin,
                            "label": s.label,
                        }

            db["sections"].insert_all(section_rows(), batch_size=STORE_BATCH)
            db["entry_refs"].insert_all(
                (
                    {"entry_id": entry.id, "ref_key": key, "number": number}
                    for entry in entries
                    for key, number in numbers[entry.id].items()
                    if key in corpus.references
                ),
                batch_size=STORE_BATCH,
            )

            def link_rows():
                for entry in entries:
                    seen: set[tuple[str, str]] = set()
                    for link in entry.links:
                        if link.target in corpus.entries and (link.target, link.type) not in seen:
                            seen.add((link.target, link.type))
                            yield {"source": entry.id, "target": link.target, "type": link.type, "origin": link.origin}

            db["links"].insert_all(link_rows(), batch_size=STORE_BATCH)
    finally:
        db.close()


def _entry_row(entry: Entry) -> dict:
    from index.rendering import render

    numbers = citation_numbers(entry)
    return {
        "id": entry.id,
        "kind": entry.kind,
        "title": entry.title,
        "summary": entry.summary,
        "summary_html": render(entry.summary, numbers),
        "aliases": json.dumps(entry.aliases),
        "tags": json.dumps(entry.tags),
        "reviewed": entry.reviewed,
        "review_status": entry.review.status if entry.review else "",
        "review_checked": entry.review.checked if entry.review else "",
        "review_sources": json.dumps(entry.review.sources if entry.review else []),
        "review_reproductions": json.dumps(entry.review.reproductions if entry.review else []),
        "urgency": entry.urgency,
        "onset_from": entry.onset_hours[0] if entry.onset_hours else None,
        "onset_to": entry.onset_hours[1] if entry.onset_hours else None,
        "symptoms": json.dumps(entry.symptoms),
        "source": entry.source,
        "origin": entry.origin,
        "label": entry.label,
    }


def _create_tables(db: sqlite_utils.Database) -> None:
    db["meta"].create({"key": str, "value": str}, pk="key")
    db["refs"].create(
        {
            "key": str,
            "type": str,
            "authors": str,
            "title": str,
            "journal": str,
            "year": int,
            "volume": str,
            "pages": str,
            "doi": str,
            "pmid": str,
            "url": str,
            "note": str,
            "citation": str,
        },
        pk="key",
    )
    db["entries"].create(
        {
            "id": str,
            "kind": str,
            "title": str,
            "summary": str,
            "summary_html": str,
            "aliases": str,
            "tags": str,
            "reviewed": str,
            "review_status": str,
            "review_checked": str,
            "review_sources": str,
            "review_reproductions": str,
            "urgency": str,
            "onset_from": float,
            "onset_to": float,
            "symptoms": str,
            "source": str,
            "origin": str,
            "label": str,
        },
        pk="id",
    )
    db["sections"].create(
        {
            "entry_id": str,
            "ordinal": int,
            "heading": str,
            "anchor": str,
            "markdown": str,
            "html": str,
            "text": str,
            "origin": str,
            "label": str,
        },
        pk=("entry_id", "ordinal"),
        foreign_keys=[("entry_id", "entries", "id")],
    )
    db["links"].create(
        {"source": str, "target": str, "type": str, "origin": str},
        pk=("source", "target", "type"),
        foreign_keys=[("source", "entries", "id"), ("target", "entries", "id")],
    )
    db["entry_refs"].create(
        {"entry_id": str, "ref_key": str, "number": int},
        pk=("entry_id", "ref_key"),
        foreign_keys=[("entry_id", "entries", "id"), ("ref_key", "refs", "key")],
    )
    db["links"].create_index(["target"])


@dataclass
class SectionView:
    heading: str
    anchor: str
    html: str
    text: str
    origin: str = "curated"
    label: str = ""


@dataclass
class LinkView:
    id: str
    title: str
    kind: str
    type: str
    direction: str  # "out" (this entry links to it) or "in"


@dataclass
class ReferenceView:
    number: int
    key: str
    citation: str
    doi: str
    pmid: str
    url: str
    note: str


@dataclass
class ReviewView:
    """The entry's review record as the reader and `show` present it."""

    status: str
    date: str
    checked: str
    sources: list[str] = field(default_factory=list)
    reproductions: list[str] = field(default_factory=list)


@dataclass
class EntryPage:
    """Everything the reader shows for one entry."""

    id: str
    kind: str
    title: str
    summary_html: str
    aliases: list[str]
    tags: list[str]
    reviewed: str
    urgency: str | None
    onset_hours: tuple[float, float] | None
    symptoms: list[str]
    origin: str
    content_version: str
    label: str = ""
    sections: list[SectionView] = field(default_factory=list)
    links: list[LinkView] = field(default_factory=list)
    references: list[ReferenceView] = field(default_factory=list)
    review: ReviewView | None = None

    @property
    def review_line(self) -> str:
        """ "Checked against sources, 30 Nov 2026" or "Draft — not yet checked against sources"."""
        if self.review is None:
            return f"Reviewed {self.reviewed}" if self.reviewed else "Not reviewed"
        return review_status_text(self.review.status, self.review.date)


def tag_labels(groups: dict) -> dict[str, str]:
    """Tag id → label across the vocabulary's groups (tags.yaml: group → {id: label})."""
    return {
        str(tag): str(label)
        for group in (groups or {}).values()
        if isinstance(group, dict)
        for tag, label in group.items()
    }


class Store:
    """Read-only access to a built store; one connection per thread that uses it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        uri = f"file:{path}?mode=ro"
        # execute_plugins=False: no scan of installed packages for sqlite-utils plugins (~25 ms at
        # every start), and no third-party hook on the connection that answers the app's reads.
        connection = sqlite3.connect(uri, uri=True, check_same_thread=False)
        self.db = sqlite_utils.Database(connection, execute_plugins=False)

    def close(self) -> None:
        self.db.close()

    def meta(self) -> dict[str, str]:
        return {row["key"]: row["value"] for row in self.db["meta"].rows}

    def entries(self) -> list[dict]:
        return list(
            self.db.query(
                "select id, kind, title, summary, tags, urgency, reviewed, origin, label from entries order by title"
            )
        )

    def titles(self) -> dict[str, str]:
        return {row["id"]: row["title"] for row in self.db.query("select id, title from entries")}

    def entry(self, entry_id: str) -> EntryPage | None:
        rows = list(self.db.query("select * from entries where id = ?", [entry_id]))
        if not rows:
            return None
        row = rows[0]
        version = self.meta().get("content_version", "")
        page = EntryPage(
            id=row["id"],
            kind=row["kind"],
            title=row["title"],
            summary_html=row["summary_html"],
            aliases=json.loads(row["aliases"]),
            tags=json.loads(row["tags"]),
            reviewed=row["reviewed"],
            urgency=row["urgency"],
            onset_hours=(row["onset_from"], row["onset_to"]) if row["onset_from"] is not None else None,
            symptoms=json.loads(row["symptoms"]),
            origin=row["origin"],
            content_version=version,
            label=row["label"] or "",
        )
        if row["review_status"]:
            page.review = ReviewView(
                status=row["review_status"],
                date=row["reviewed"],
                checked=row["review_checked"],
                sources=json.loads(row["review_sources"]),
                reproductions=json.loads(row["review_reproductions"]),
            )
        page.sections = [
            SectionView(r["heading"], r["anchor"], r["html"], r["text"], r["origin"], r["label"])
            for r in self.db.query("select * from sections where entry_id = ? order by ordinal", [entry_id])
        ]
        page.links = [
            LinkView(r["id"], r["title"], r["kind"], r["type"], r["direction"])
            for r in self.db.query(
                """
                select e.id, e.title, e.kind, l.type, 'out' as direction
                  from links l join entries e on e.id = l.target where l.source = :id
                union
                select e.id, e.title, e.kind, l.type, 'in' as direction
                  from links l join entries e on e.id = l.source where l.target = :id
                """,
                {"id": entry_id},
            )
        ]
        page.references = [
            ReferenceView(r["number"], r["key"], r["citation"], r["doi"], r["pmid"], r["url"], r["note"])
            for r in self.db.query(
                """select er.number, r.* from entry_refs er join refs r on r.key = er.ref_key
                   where er.entry_id = ? order by er.number""",
                [entry_id],
            )
        ]
        return page
