"""Local protocol packs: a department's own entries and "Local protocol" sections, layered on the
curated content without copying it, integrity-checked, and refused whole when anything is wrong.

A pack is a directory:

    pack.yaml                 name, publisher, version, reviewed, files: {path: sha256}
    references.yaml           optional: the pack's own references (keys must be new)
    <kind>/<id>.md            new entries, in the same format as the curated ones
    local/<curated-id>.md     front matter {extends: <curated id>}; its ## sections are added to
                              that curated entry, shown as local
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from index.content import (
    content_files,
    load_references,
    parse_entry,
    split_front_matter,
    split_sections,
)
from index.model import KINDS, Corpus, Entry, Problem

MANIFEST = "pack.yaml"
LOCAL_DIR = "local"
MANIFEST_FIELDS = ("name", "publisher", "version", "reviewed")


@dataclass
class Pack:
    path: Path
    name: str
    publisher: str
    version: str
    reviewed: str
    files: dict[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"Local — {self.publisher}, reviewed {self.reviewed}"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def pack_files(path: Path) -> list[Path]:
    """Every file that belongs in the manifest: content, local sections and the pack's references."""
    files = [p for p in path.rglob("*") if p.is_file() and p.name != MANIFEST and not p.name.startswith(".")]
    return sorted(files)


def read_pack(path: Path) -> tuple[Pack | None, list[Problem]]:
    """Read and verify a pack's manifest and checksums; any problem refuses the whole pack."""
    manifest = path / MANIFEST
    shown = str(manifest)
    if not manifest.is_file():
        return None, [Problem(shown, 1, "not a pack: pack.yaml is missing")]
    try:
        data = yaml.safe_load(manifest.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        mark = getattr(exc, "problem_mark", None)
        return None, [Problem(shown, mark.line + 1 if mark else 1, f"pack.yaml is not valid YAML: {exc}")]
    if not isinstance(data, dict):
        return None, [Problem(shown, 1, "pack.yaml must be a mapping")]
    problems = [Problem(shown, 1, f"pack.yaml lacks '{name}'") for name in MANIFEST_FIELDS if not data.get(name)]
    files = data.get("files") or {}
    if not isinstance(files, dict):
        problems.append(Problem(shown, 1, "'files' must map each file to its SHA-256"))
        files = {}
    reviewed = data.get("reviewed")
    pack = Pack(
        path=path,
        name=str(data.get("name", path.name)),
        publisher=str(data.get("publisher", "")),
        version=str(data.get("version", "")),
        reviewed=reviewed.isoformat() if isinstance(reviewed, dt.date) else str(reviewed or ""),
        files={str(k): str(v) for k, v in files.items()},
    )
    present = {str(p.relative_to(path)).replace("\\", "/"): p for p in pack_files(path)}
    for name, expected in pack.files.items():
        if name not in present:
            problems.append(Problem(shown, 1, f"checksum list names '{name}', which is missing"))
        elif sha256(present[name]) != expected:
            problems.append(
                Problem(str(present[name]), 1, "checksum does not match pack.yaml: file changed or damaged")
            )
    for name in sorted(set(present) - set(pack.files)):
        problems.append(Problem(str(present[name]), 1, "file is not listed in pack.yaml (run `pack build`)"))
    return (None if problems else pack), problems


def apply_pack(pack: Pack, corpus: Corpus) -> list[Problem]:
    """Add the pack's entries and local sections to the corpus. Returns problems; on any error the
    corpus is left exactly as it was."""
    from index.validate import validate  # local import: validate imports content, not packs

    problems: list[Problem] = []
    new_refs, ref_problems = ({}, [])
    if (pack.path / "references.yaml").is_file():
        new_refs, ref_problems = load_references(pack.path / "references.yaml", str(pack.path / "references.yaml"))
        problems += [p for p in ref_problems if p.severity == "error"]
        for key in new_refs:
            if key in corpus.references:
                problems.append(
                    Problem(
                        str(pack.path / "references.yaml"),
                        new_refs[key].line,
                        f"reference key '{key}' already exists in the curated bibliography",
                    )
                )
    entries: list[Entry] = []
    for path in content_files(pack.path):
        if path.parent.name == LOCAL_DIR:
            continue
        if path.parent.name not in KINDS:
            problems.append(Problem(str(path), 1, f"'{path.parent.name}/' is not a kind directory or local/"))
            continue
        entry, entry_problems = parse_entry(path, path.read_text(encoding="utf-8"), display_path=str(path))
        problems += entry_problems
        if entry is None:
            continue
        if entry.id in corpus.entries:
            problems.append(
                Problem(str(path), entry.line_of("id"), f"id '{entry.id}' already exists in the curated content")
            )
            continue
        entry.origin, entry.label = "local", pack.label
        entries.append(entry)
    extensions: list[tuple[str, list, str, int]] = []
    for path in sorted((pack.path / LOCAL_DIR).glob("*.md")) if (pack.path / LOCAL_DIR).is_dir() else []:
        split = split_front_matter(path.read_text(encoding="utf-8"))
        if split is None:
            problems.append(Problem(str(path), 1, "no front matter: expected {extends: <curated entry id>}"))
            continue
        front, body, body_line = split
        try:
            data = yaml.safe_load(front) or {}
        except yaml.YAMLError as exc:
            problems.append(Problem(str(path), 2, f"invalid YAML in front matter: {exc}"))
            continue
        target = data.get("extends") if isinstance(data, dict) else None
        if target not in corpus.entries:
            problems.append(Problem(str(path), 2, f"extends unknown entry '{target}'"))
            continue
        sections = split_sections(body, body_line)
        if not sections:
            problems.append(Problem(str(path), body_line, "no '## ' section to add"))
            continue
        extensions.append((target, sections, str(path), body_line))
    if problems:
        return problems

    trial = Corpus(
        entries={**corpus.entries, **{e.id: e for e in entries}},
        references={**corpus.references, **new_refs},
        tags=corpus.tags,
        symptoms=corpus.symptoms,
        lexicon=corpus.lexicon,
        version=corpus.version,
    )
    mine = {str(e.path) for e in entries}
    problems = [p for p in validate(trial) if p.path in mine and p.severity == "error"]
    if problems:
        return problems
    corpus.entries.update({e.id: e for e in entries})
    corpus.references.update(new_refs)
    for target, sections, _path, _line in extensions:
        entry = corpus.entries[target]
        for section in sections:
            section.origin, section.label = "local", pack.label
            entry.sections.append(section)
        entry.has_local = True
    return []


def find_packs(directories: list[Path]) -> list[Path]:
    """Pack directories: each given dir if it is a pack, else its subdirectories that are."""
    found: list[Path] = []
    for directory in directories:
        directory = Path(directory)
        if (directory / MANIFEST).is_file():
            found.append(directory)
        elif directory.is_dir():
            found += sorted(p for p in directory.iterdir() if (p / MANIFEST).is_file())
    return found


def load_packs(corpus: Corpus, directories: list[Path]) -> tuple[list[Pack], list[Problem]]:
    """Apply every sound pack; a refused pack is reported and left out, the rest go on."""
    applied: list[Pack] = []
    problems: list[Problem] = []
    for path in find_packs(directories):
        pack, found = read_pack(path)
        if pack is not None:
            found = apply_pack(pack, corpus)
        if found:
            problems.append(Problem(str(path / MANIFEST), 1, f"pack '{path.name}' refused: {found[0].message}"))
            problems += found
        else:
            applied.append(pack)
    return applied, problems


def build_manifest(path: Path) -> dict:
    """Write pack.yaml's checksum list from the files present (authoring: `pack build`)."""
    manifest = path / MANIFEST
    data = yaml.safe_load(manifest.read_text(encoding="utf-8")) if manifest.is_file() else {}
    data = data if isinstance(data, dict) else {}
    data["files"] = {str(p.relative_to(path)).replace("\\", "/"): sha256(p) for p in pack_files(path)}
    manifest.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return data


def init_pack(path: Path, *, name: str, publisher: str) -> None:
    """Create a pack skeleton with one example local section (authoring: `pack init`)."""
    (path / LOCAL_DIR).mkdir(parents=True, exist_ok=True)
    for kind in KINDS:
        (path / kind).mkdir(exist_ok=True)
    (path / MANIFEST).write_text(
        yaml.safe_dump(
            {
                "name": name,
                "publisher": publisher,
                "version": "1",
                "reviewed": dt.date.today().isoformat(),
                "files": {},
            },
            sort_keys=False,
        ),
        encoding="utf-8",
    )
    example = path / LOCAL_DIR / "spinal-epidural-hematoma.md"
    if not example.exists():
        example.write_text(
            "---\nextends: spinal-epidural-hematoma\n---\n\n## Local protocol\n\n"
            "Replace this text with your department's pathway, e.g. who to call for an urgent spinal MRI "
            "and the on-call neurosurgery number.\n",
            encoding="utf-8",
        )
    build_manifest(path)
