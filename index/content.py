"""Load content files (Markdown with YAML front matter) and the resource files beside them.

Loading never stops at the first bad file: every problem becomes a `Problem` with file and line,
and the entries that did load are kept, so one broken file cannot take the corpus down.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from index.model import (
    KINDS,
    REVIEW_FIELDS,
    REVIEW_STATUSES,
    Corpus,
    Entry,
    IdentifierException,
    Link,
    Problem,
    ReadingList,
    ReadingListItem,
    Reference,
    Review,
    Section,
    SelfTestCard,
)
from index.paths import bundled_resources
from index.safe_io import (
    MAX_RESOURCE_BYTES,
    MAX_TEXT_BYTES,
    UnsafeFileError,
    load_yaml,
    read_text,
    sha256_file,
    yaml_error_line,
    yaml_error_reason,
)

FRONT_MATTER_DELIMITER = "---"
ENTRY_SCHEME = "entry:"
IDENTIFIER_EXCEPTIONS = "references-without-identifier.yaml"
"""Beside references.yaml: journal references documented as having neither DOI nor PMID."""
CITATION = re.compile(r"\[(@[^\]\[]+)\]")
CITATION_KEY = re.compile(r"@([A-Za-z0-9][A-Za-z0-9_.:-]*)")
RESOURCE_FILES = ("references.yaml", "lexicon.yaml", "tags.yaml", "symptoms.yaml")
READING_LISTS = "reading-lists.yaml"


@dataclass(frozen=True)
class FieldSpec:
    """One front-matter field: its type, which kinds require it, and what it is for."""

    name: str
    type: type | tuple[type, ...]
    required_for: tuple[str, ...]
    doc: str


ALL_KINDS = KINDS
FRONT_MATTER_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("id", str, ALL_KINDS, "kebab-case id, equal to the file name"),
    FieldSpec("kind", str, ALL_KINDS, "procedure | complication | management"),
    FieldSpec("title", str, ALL_KINDS, "title as shown in the app (US spelling)"),
    FieldSpec("summary", str, ALL_KINDS, "one paragraph shown under the title and in results"),
    FieldSpec("aliases", list, ALL_KINDS, "abbreviations, slang, UK spellings, older names"),
    FieldSpec("tags", list, ALL_KINDS, "ids from resources/tags.yaml"),
    FieldSpec("links", list, (), "typed links: {to: <id>, type: <link type>}"),
    FieldSpec("references", list, ALL_KINDS, "keys into resources/references.yaml"),
    FieldSpec("review", dict, ALL_KINDS, "review record: {status, date, checked, sources, reproductions}"),
    FieldSpec("urgency", str, ("complication",), "emergency | urgent | routine"),
    FieldSpec("onset_hours", list, ("complication",), "[from, to] hours after the procedure"),
    FieldSpec("symptoms", list, ("complication",), "ids from resources/symptoms.yaml"),
    FieldSpec("self_test", list, (), "self-test cards: [{q: question?, a: answer with [@key]}]; never in the body"),
)
FIELD_BY_NAME = {spec.name: spec for spec in FRONT_MATTER_FIELDS}


def slugify(text: str) -> str:
    """Anchor names for sections: stable, ASCII, readable in a URL fragment."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or "section"


def _line_map(node: yaml.Node | None, offset: int) -> dict[str, int]:
    """File line of each top-level key, from the composed YAML node."""
    lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                lines[sys.intern(str(key_node.value))] = key_node.start_mark.line + offset
    return lines


def _mapping_node(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if getattr(key_node, "value", None) == key:
                return value_node
    return None


def _list_item_lines(node: yaml.Node | None, key: str, offset: int) -> list[int]:
    if not isinstance(node, yaml.MappingNode):
        return []
    for key_node, value_node in node.value:
        if getattr(key_node, "value", None) == key and isinstance(value_node, yaml.SequenceNode):
            return [item.start_mark.line + offset for item in value_node.value]
    return []


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """Return (front matter, body, first body line), or None when the file has no front matter."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != FRONT_MATTER_DELIMITER:
        return None
    for number, line in enumerate(lines[1:], start=1):
        if line.strip() == FRONT_MATTER_DELIMITER:
            return "\n".join(lines[1:number]), "\n".join(lines[number + 1 :]), number + 2
    return None


def split_sections(body: str, body_line: int) -> list[Section]:
    """Level-2 headings start sections; text before the first heading is ignored by design."""
    from index.structure import parse_body  # markdown-it: to load content, not to open an index

    return [
        Section(heading=span.heading, anchor=slugify(span.heading), markdown=span.markdown, line=span.line)
        for span in parse_body(body, body_line).sections
    ]


def parse_entry(path: Path, text: str, *, display_path: str) -> tuple[Entry | None, list[Problem]]:
    """Parse one entry file. Structural problems here; cross-entry checks live in validate.py."""
    problems: list[Problem] = []

    def problem(line: int, message: str) -> None:
        problems.append(Problem(display_path, line, message))

    split = split_front_matter(text)
    if split is None:
        problem(1, "no YAML front matter: the file must start with '---' and close it with '---'")
        return None, problems
    front_text, body, body_line = split
    try:
        data, node = load_yaml(front_text, aliases=False)
    except yaml.YAMLError as exc:
        problem(yaml_error_line(exc, 2), f"invalid YAML in front matter: {yaml_error_reason(exc)}")
        return None, problems
    if not isinstance(data, dict):
        problem(2, "front matter must be a mapping of field: value")
        return None, problems

    lines = _line_map(node, offset=2)
    kind = data.get("kind")
    for name in data:
        if name == "reviewed":
            problem(
                lines.get("reviewed", 2),
                "'reviewed' is replaced by a review record: write 'review:' with status (draft or "
                "checked-against-sources), date, checked (what was checked) and sources (reference keys)",
            )
        elif name not in FIELD_BY_NAME:
            known = ", ".join(FIELD_BY_NAME)
            problem(lines.get(str(name), 2), f"unknown field '{name}' (known fields: {known})")
    for spec in FRONT_MATTER_FIELDS:
        value = data.get(spec.name)
        if value is None and spec.name == "review" and "reviewed" in data:
            continue  # already told to replace 'reviewed' with a review record
        if value is None:
            if kind in spec.required_for:
                problem(2, f"missing required field '{spec.name}' ({spec.doc})")
            continue
        if not isinstance(value, spec.type):
            expected = spec.type.__name__ if isinstance(spec.type, type) else "date"
            expected = "mapping" if expected == "dict" else expected
            problem(lines.get(spec.name, 2), f"field '{spec.name}' must be a {expected}")
    if kind is not None and kind not in ALL_KINDS:
        problem(lines.get("kind", 2), f"unknown kind '{kind}' (expected one of: {', '.join(ALL_KINDS)})")
    if any(p.severity == "error" for p in problems) and not isinstance(data.get("id"), str):
        return None, problems

    def text_list(name: str) -> list[str]:
        value = data.get(name) or []
        if not isinstance(value, list):
            return []
        item_lines = _list_item_lines(node, name, 2)
        out = []
        for index, item in enumerate(value):
            if isinstance(item, str | int | float) and not isinstance(item, bool):
                out.append(sys.intern(str(item)))  # tags, reference keys, symptoms recur across entries
            else:
                line = item_lines[index] if index < len(item_lines) else lines.get(name, 2)
                problem(line, f"'{name}' items must be plain text, got {type(item).__name__}")
        return out

    links: list[Link] = []
    link_lines = _list_item_lines(node, "links", 2)
    raw_links = data.get("links") or []
    for index, raw in enumerate(raw_links if isinstance(raw_links, list) else []):
        line = link_lines[index] if index < len(link_lines) else lines.get("links", 2)
        if not isinstance(raw, dict) or not isinstance(raw.get("to"), str) or not raw.get("type"):
            problem(line, "a link must look like {to: <entry id>, type: <link type>}")
            continue
        links.append(Link(target=sys.intern(raw["to"]), type=sys.intern(str(raw["type"])), line=line))

    onset = data.get("onset_hours")
    onset_pair: tuple[float, float] | None = None
    if onset is not None:
        if (
            isinstance(onset, list)
            and len(onset) == 2
            and all(isinstance(v, int | float) and not isinstance(v, bool) for v in onset)
            and 0 <= onset[0] <= onset[1]
        ):
            onset_pair = (float(onset[0]), float(onset[1]))
        else:
            problem(lines.get("onset_hours", 2), "onset_hours must be [from, to] hours with 0 <= from <= to")

    self_test: list[SelfTestCard] = []
    card_lines = _list_item_lines(node, "self_test", 2)
    raw_cards = data.get("self_test") or []
    for index, raw in enumerate(raw_cards if isinstance(raw_cards, list) else []):
        line = card_lines[index] if index < len(card_lines) else lines.get("self_test", 2)
        if isinstance(raw, dict):
            unknown = tuple(sorted(str(k) for k in raw if k not in ("q", "a")))
            self_test.append(SelfTestCard(raw.get("q"), raw.get("a"), line, unknown))
        else:
            self_test.append(SelfTestCard(None, None, line, is_mapping=False))

    review = _parse_review(data.get("review"), _mapping_node(node, "review"), lines.get("review", 2), problem)
    reviewed = review.date if review else _iso(data.get("reviewed"))
    from index.structure import parse_body

    # Parsed for the sections and body links, then let go: the structure (every block's text again)
    # is not kept on the entry; the validator parses each body again, one at a time.
    structure = parse_body(body, body_line)
    sections = [
        Section(
            heading=sys.intern(span.heading),
            anchor=sys.intern(slugify(span.heading)),
            markdown=span.markdown,
            line=span.line,
        )
        for span in structure.sections
    ]
    summary = data.get("summary")
    entry = Entry(
        id=str(data.get("id", "")),
        kind=sys.intern(str(kind or "")),
        title=str(data.get("title") or "").strip(),
        summary=" ".join(summary.split()) if isinstance(summary, str) else "",
        path=path,
        aliases=text_list("aliases"),
        tags=text_list("tags"),
        links=links,
        references=text_list("references"),
        reviewed=reviewed,
        review=review,
        urgency=sys.intern(str(data["urgency"])) if data.get("urgency") is not None else None,
        onset_hours=onset_pair,
        symptoms=text_list("symptoms"),
        self_test=self_test,
        sections=sections,
        body=body,
        body_line=body_line,
        field_lines=lines,
        source=display_path,
    )
    for link in structure.links:
        if link.href.startswith(ENTRY_SCHEME):
            target = sys.intern(link.href[len(ENTRY_SCHEME) :].split("#")[0])
            entry.links.append(Link(target=target, type="see-also", line=link.line, origin="body"))
    return entry, problems


def _iso(value: object) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value or "")


def _parse_review(raw: object, node: yaml.Node | None, line: int, problem) -> Review | None:
    """The review record, each sub-field checked here with its own line; its source keys are
    checked against the bibliography in validate.py."""
    if not isinstance(raw, dict):
        return None  # missing or not a mapping: reported with the other field checks
    lines = {"review": line, **_line_map(node, offset=2)}
    for name in raw:
        if name not in REVIEW_FIELDS:
            problem(lines.get(str(name), line), f"unknown review field '{name}' (known: {', '.join(REVIEW_FIELDS)})")
    status = raw.get("status")
    if status not in REVIEW_STATUSES:
        problem(lines.get("status", line), f"review status must be one of: {', '.join(REVIEW_STATUSES)}")
    date = raw.get("date")
    if isinstance(date, dt.datetime) or not isinstance(date, dt.date | str):
        problem(lines.get("date", line), "review date must be a date (YYYY-MM-DD)")
        date = ""
    elif isinstance(date, str):
        try:
            dt.date.fromisoformat(date)
        except ValueError:
            problem(lines.get("date", line), f"review date must be a date (YYYY-MM-DD), got '{date}'")
    checked = raw.get("checked")
    if not isinstance(checked, str) or not checked.strip():
        problem(lines.get("checked", line), "review 'checked' must say, in a sentence, what was checked")
    lists: dict[str, list[str]] = {}
    for name in ("sources", "reproductions"):
        value = raw.get(name, [])
        items = value if isinstance(value, list) else None
        if items is None or not all(isinstance(item, str) and item.strip() for item in items):
            problem(lines.get(name, line), f"review '{name}' must be a list of non-empty text items")
            items = [item for item in items or [] if isinstance(item, str) and item.strip()]
        lists[name] = [item.strip() for item in items]
    if status == "checked-against-sources" and not lists["sources"]:
        problem(lines.get("sources", line), "a review checked against sources names those sources (reference keys)")
    return Review(
        status=str(status or ""),
        date=_iso(date),
        checked=checked.strip() if isinstance(checked, str) else "",
        sources=lists["sources"],
        reproductions=lists["reproductions"],
        lines=lines,
    )


def body_citations(entry: Entry) -> list[tuple[str, int]]:
    """Every [@key] cited in the body, with its file line, in order of appearance."""
    found: list[tuple[str, int]] = []
    for number, line in enumerate(entry.body.split("\n"), start=entry.body_line):
        for group in CITATION.finditer(line):
            found.extend((key.rstrip(".,;:"), number) for key in CITATION_KEY.findall(group.group(1)))
    return found


def load_references(path: Path, display: str) -> tuple[dict[str, Reference], list[Problem]]:
    problems: list[Problem] = []
    if not path.exists():
        return {}, [Problem(display, 1, "bibliography file is missing")]
    try:
        data, node = load_yaml(read_text(path, max_bytes=MAX_RESOURCE_BYTES))
        data = data or {}
    except UnsafeFileError as exc:
        return {}, [Problem(display, exc.line, str(exc))]
    except yaml.YAMLError as exc:
        return {}, [Problem(display, yaml_error_line(exc), f"invalid YAML: {yaml_error_reason(exc)}")]
    if not isinstance(data, dict):
        return {}, [Problem(display, 1, "the bibliography must map keys to records")]
    lines = _line_map(node, offset=1)
    refs: dict[str, Reference] = {}
    for key, record in data.items():
        line = lines.get(str(key), 1)
        if not isinstance(record, dict):
            problems.append(Problem(display, line, f"reference '{key}' must be a mapping of fields"))
            continue
        missing = [name for name in ("authors", "title", "year") if not record.get(name)]
        if missing:
            problems.append(Problem(display, line, f"reference '{key}' lacks {', '.join(missing)}"))
        if not any(record.get(name) for name in ("doi", "pmid", "url")):
            problems.append(
                Problem(display, line, f"reference '{key}' has neither doi, pmid nor url: it cannot be traced")
            )
        year = record.get("year")
        refs[str(key)] = Reference(
            key=str(key),
            type=str(record.get("type", "article")),
            authors=str(record.get("authors", "")),
            title=str(record.get("title", "")),
            year=int(year) if isinstance(year, int) else None,
            journal=str(record.get("journal", "") or ""),
            volume=str(record.get("volume", "") or ""),
            pages=str(record.get("pages", "") or ""),
            doi=str(record.get("doi", "") or ""),
            pmid=str(record.get("pmid", "") or ""),
            url=str(record.get("url", "") or ""),
            note=str(record.get("note", "") or ""),
            line=line,
            source=display,
        )
    return refs, problems


def load_identifier_exceptions(path: Path, display: str) -> tuple[dict[str, IdentifierException], list[Problem]]:
    """The documented list of journal references that have no DOI and no PMID.

    A YAML list of {key, reason}. Whether each key exists and really lacks both identifiers is a
    check against the bibliography, in validate.py."""
    if not path.exists():
        return {}, []
    try:
        data, node = load_yaml(read_text(path, max_bytes=MAX_RESOURCE_BYTES))
    except UnsafeFileError as exc:
        return {}, [Problem(display, 1, str(exc))]
    except yaml.YAMLError as exc:
        return {}, [Problem(display, yaml_error_line(exc), f"invalid YAML: {yaml_error_reason(exc)}")]
    if data is None:
        return {}, []
    if not isinstance(data, list) or not isinstance(node, yaml.SequenceNode):
        return {}, [Problem(display, 1, "must be a list of {key: <reference key>, reason: <why no DOI or PMID>}")]
    problems: list[Problem] = []
    found: dict[str, IdentifierException] = {}
    for item, item_node in zip(data, node.value, strict=True):
        line = item_node.start_mark.line + 1
        if not isinstance(item, dict):
            problems.append(Problem(display, line, "each exception is {key: <reference key>, reason: <why>}"))
            continue
        unknown = sorted(str(name) for name in item if name not in ("key", "reason"))
        if unknown:
            problems.append(Problem(display, line, f"unknown field(s) {', '.join(unknown)} (expected key, reason)"))
        key, reason = item.get("key"), item.get("reason")
        if not isinstance(key, str) or not key.strip():
            problems.append(Problem(display, line, "an exception needs the reference 'key'"))
            continue
        if not isinstance(reason, str) or not reason.strip():
            problems.append(Problem(display, line, f"exception '{key}' needs a 'reason' (why no DOI or PMID exists)"))
        if key in found:
            problems.append(Problem(display, line, f"'{key}' is listed twice (also line {found[key].line})"))
            continue
        found[key] = IdentifierException(key, str(reason or "").strip(), display, line)
    return found, problems


def load_reading_lists(path: Path, display: str) -> tuple[list[ReadingList], list[Problem]]:
    """Reading lists: a YAML list of {title, entries: [{id, reason}]}, in reading order.

    Shape problems are reported here with their line; whether each id exists is checked in
    validate.py, against the corpus."""
    if not path.exists():
        return [], []
    try:
        data, node = load_yaml(read_text(path, max_bytes=MAX_RESOURCE_BYTES))
    except UnsafeFileError as exc:
        return [], [Problem(display, exc.line, str(exc))]
    except yaml.YAMLError as exc:
        return [], [Problem(display, yaml_error_line(exc), f"invalid YAML: {yaml_error_reason(exc)}")]
    if data is None:
        return [], []
    shape = "must be a list of {title: <list title>, entries: [{id: <entry id>, reason: <one line>}]}"
    if not isinstance(data, list) or not isinstance(node, yaml.SequenceNode):
        return [], [Problem(display, 1, shape)]
    problems: list[Problem] = []
    lists: list[ReadingList] = []
    for raw, list_node in zip(data, node.value, strict=True):
        line = list_node.start_mark.line + 1
        if not isinstance(raw, dict) or not isinstance(raw.get("title"), str) or not raw["title"].strip():
            problems.append(Problem(display, line, "each reading list " + shape.removeprefix("must be a list of ")))
            continue
        unknown = sorted(str(k) for k in raw if k not in ("title", "entries"))
        if unknown:
            problems.append(Problem(display, line, f"unknown field(s) {', '.join(unknown)} (expected title, entries)"))
        title = " ".join(raw["title"].split())
        raw_items = raw.get("entries")
        entries_node = _mapping_node(list_node, "entries")
        if not isinstance(raw_items, list) or not raw_items or not isinstance(entries_node, yaml.SequenceNode):
            problems.append(Problem(display, line, f"reading list '{title}' needs a non-empty list of entries"))
            continue
        items: list[ReadingListItem] = []
        for item, item_node in zip(raw_items, entries_node.value, strict=True):
            item_line = item_node.start_mark.line + 1
            entry_id = item.get("id") if isinstance(item, dict) else None
            reason = item.get("reason") if isinstance(item, dict) else None
            if not isinstance(entry_id, str) or not isinstance(reason, str) or not reason.strip():
                problems.append(
                    Problem(display, item_line, "a reading-list item is {id: <entry id>, reason: <one line why>}")
                )
                continue
            if "\n" in reason.strip():
                problems.append(Problem(display, item_line, f"the reason for '{entry_id}' must be one line"))
            extra = sorted(str(k) for k in item if k not in ("id", "reason"))
            if extra:
                problems.append(
                    Problem(display, item_line, f"unknown field(s) {', '.join(extra)} (expected id, reason)")
                )
            items.append(ReadingListItem(entry_id.strip(), " ".join(reason.split()), item_line))
        lists.append(ReadingList(slugify(title), title, tuple(items), line, display))
    return lists, problems


def _load_yaml(path: Path, display: str, problems: list[Problem]) -> Any:
    if not path.exists():
        problems.append(Problem(display, 1, "file is missing"))
        return None
    try:
        return load_yaml(read_text(path, max_bytes=MAX_RESOURCE_BYTES))[0]
    except UnsafeFileError as exc:
        problems.append(Problem(display, exc.line, str(exc)))
    except yaml.YAMLError as exc:
        problems.append(Problem(display, yaml_error_line(exc), f"invalid YAML: {yaml_error_reason(exc)}"))
    return None


def resource_file(name: str, content_dir: Path) -> Path:
    """A resource file beside a custom content dir wins over the bundled one."""
    for candidate in (content_dir / name, content_dir.parent / name):
        if candidate.is_file():
            return candidate
    return bundled_resources() / name


def content_files(content_dir: Path) -> list[Path]:
    return sorted(p for p in content_dir.glob("*/*.md") if p.is_file())


def fingerprint(content_dir: Path, extra: Iterable[Path] = ()) -> str:
    """SHA-256 over every input file (names and bytes): equal fingerprints mean equal content."""
    digest = hashlib.sha256()
    for path in [*content_files(content_dir), *sorted(set(extra))]:
        digest.update(path.name.encode() + b"\0" + path.parent.name.encode() + b"\0")
        digest.update(_file_identity(path).encode())
    return digest.hexdigest()


def _file_identity(path: Path) -> str:
    """A file's checksum; for a file too large to be loaded (it will be refused), its size and
    time instead, so an oversized file costs no time at every start."""
    try:
        info = path.stat()
        if info.st_size > MAX_RESOURCE_BYTES:
            return f"oversize:{info.st_size}:{info.st_mtime_ns}"
        return sha256_file(path)
    except (OSError, UnsafeFileError) as exc:
        return f"unreadable:{type(exc).__name__}"


def load_corpus(content_dir: Path | None = None) -> Corpus:
    """Load every entry and resource file; problems are collected, never raised."""
    content_dir = Path(content_dir) if content_dir else bundled_resources() / "content"
    problems: list[Problem] = []
    root = content_dir.parent

    def display(path: Path) -> str:
        try:
            return str(path.relative_to(root.parent))
        except ValueError:
            return str(path)

    resource_paths = {name: resource_file(name, content_dir) for name in RESOURCE_FILES}
    references, ref_problems = load_references(
        resource_paths["references.yaml"], display(resource_paths["references.yaml"])
    )
    problems.extend(ref_problems)
    # Only the list beside the bibliography in use: another bibliography's exceptions mean nothing here.
    exceptions_path = resource_paths["references.yaml"].parent / IDENTIFIER_EXCEPTIONS
    exceptions, exception_problems = load_identifier_exceptions(exceptions_path, display(exceptions_path))
    problems.extend(exception_problems)
    tags = _load_yaml(resource_paths["tags.yaml"], display(resource_paths["tags.yaml"]), problems) or {}
    raw_symptoms = _load_yaml(resource_paths["symptoms.yaml"], display(resource_paths["symptoms.yaml"]), problems) or []
    symptoms = {str(s["id"]): str(s.get("label", s["id"])) for s in raw_symptoms if isinstance(s, dict) and "id" in s}
    lexicon = _load_yaml(resource_paths["lexicon.yaml"], display(resource_paths["lexicon.yaml"]), problems) or {}
    # Pathways describe the bundled corpus: a custom content dir uses its own file or none.
    candidates = [content_dir / "pathways.yaml", content_dir.parent / "pathways.yaml"]
    if content_dir.resolve() == (bundled_resources() / "content").resolve():
        candidates.append(bundled_resources() / "pathways.yaml")
    pathways_path = next((p for p in candidates if p.is_file()), None)
    pathways = _load_yaml(pathways_path, display(pathways_path), problems) if pathways_path else []
    # Reading lists, like pathways, name entries of the bundled corpus: a custom content dir uses its own.
    candidates = [content_dir / READING_LISTS, content_dir.parent / READING_LISTS]
    if content_dir.resolve() == (bundled_resources() / "content").resolve():
        candidates.append(bundled_resources() / READING_LISTS)
    lists_path = next((p for p in candidates if p.is_file()), None)
    reading_lists: list[ReadingList] = []
    if lists_path is not None:
        reading_lists, list_problems = load_reading_lists(lists_path, display(lists_path))
        problems.extend(list_problems)
    version_file = resource_file("VERSION", content_dir)
    try:
        version = read_text(version_file, max_bytes=1024).strip() if version_file.exists() else "unversioned"
    except UnsafeFileError as exc:
        problems.append(Problem(display(version_file), 1, str(exc)))
        version = "unversioned"

    entries: dict[str, Entry] = {}
    if not content_dir.is_dir():
        problems.append(Problem(str(content_dir), 0, "content directory does not exist"))
    for path in content_files(content_dir) if content_dir.is_dir() else []:
        shown = display(path)
        try:
            text = read_text(path, max_bytes=MAX_TEXT_BYTES)
        except UnsafeFileError as exc:
            problems.append(Problem(shown, exc.line, f"cannot read file: {exc}"))
            continue
        entry, entry_problems = parse_entry(path, text, display_path=shown)
        problems.extend(entry_problems)
        if entry is None:
            continue
        if entry.id in entries:
            first = display(entries[entry.id].path)
            problems.append(Problem(shown, entry.line_of("id"), f"duplicate id '{entry.id}' (also in {first})"))
            continue
        entries[entry.id] = entry

    return Corpus(
        entries=entries,
        references=references,
        tags=tags if isinstance(tags, dict) else {},
        symptoms=symptoms,
        lexicon=lexicon if isinstance(lexicon, dict) else {},
        version=version,
        problems=problems,
        pathways=pathways if isinstance(pathways, list) else [],
        identifier_exceptions=exceptions,
        reading_lists=reading_lists,
    )


def corpus_fingerprint(content_dir: Path | None = None, packs: list[Path] | None = None) -> str:
    """Content, resources and every pack file: a pack added, changed or removed changes it."""
    content_dir = Path(content_dir) if content_dir else bundled_resources() / "content"
    extra = [resource_file(name, content_dir) for name in (*RESOURCE_FILES, "VERSION")]
    for pack in packs or []:
        extra += [p for p in Path(pack).rglob("*") if p.is_file()]
    return fingerprint(content_dir, [p for p in extra if p.is_file()])
