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
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from index.content import load_references, parse_entry, split_front_matter, split_sections
from index.model import KINDS, Corpus, Entry, Problem
from index.plaintext import MAX_TITLE_CHARS, entry_text_problems, heading_problems, plain_text_problem
from index.safe_io import (
    MAX_RESOURCE_BYTES,
    MAX_TEXT_BYTES,
    UnsafeFileError,
    YamlLimitError,
    inside,
    load_yaml,
    read_text,
    sha256_file,
    yaml_error_line,
    yaml_error_reason,
)

MANIFEST = "pack.yaml"
LOCAL_DIR = "local"
REFERENCES = "references.yaml"
MANIFEST_FIELDS = ("name", "publisher", "version", "reviewed")
MAX_PACK_FILES = 100_000  # files in one pack; each file is also capped (safe_io.MAX_TEXT_BYTES)
REFUSED = "pack-refused"  # Problem.code of the one-line summary of each refused pack
PACK_PROBLEM = "pack-problem"  # Problem.code of the detailed reasons under it


class PackError(ValueError):
    """A pack directory that cannot be authored (pack build): the message says why."""


@dataclass
class Pack:
    path: Path
    name: str
    publisher: str
    version: str
    reviewed: str
    files: dict[str, str] = field(default_factory=dict)  # as listed in pack.yaml: path -> SHA-256
    present: dict[str, Path] = field(default_factory=dict)  # what the walk found and verified

    @property
    def label(self) -> str:
        return f"Local — {self.publisher}, reviewed {self.reviewed}"


def sha256(path: Path) -> str:
    return sha256_file(path)


def _relative(path: Path, root: Path) -> str:
    return str(path.relative_to(root)).replace("\\", "/")


def walk_pack(root: Path) -> tuple[dict[str, Path], list[Problem]]:
    """The one walk used to check and to load a pack: every regular file (dot-files ignored),
    keyed by its path in the pack, and a problem for everything that cannot be served safely —
    special files, folders named like entry files, links leading outside the pack, oversize files."""
    files: dict[str, Path] = {}
    problems: list[Problem] = []

    def refuse(path: Path, message: str) -> None:
        problems.append(Problem(str(path), 1, message))

    def on_error(exc: OSError) -> None:
        refuse(Path(exc.filename or root), f"cannot be read: {exc.strerror or exc}")

    for dirpath, dirnames, filenames in os.walk(root, onerror=on_error, followlinks=False):
        here = Path(dirpath)
        for name in sorted(dirnames):
            path = here / name
            if name.startswith("."):
                dirnames.remove(name)
            elif path.is_symlink():
                dirnames.remove(name)
                refuse(path, "a symbolic link to a folder: not allowed (copy the files into the pack)")
            elif name.endswith((".md", ".yaml")):
                refuse(path, "a folder where a file is expected")
        dirnames.sort()
        for name in sorted(filenames):
            path = here / name
            if name.startswith(".") or (here == root and name == MANIFEST):
                continue
            try:
                info = os.stat(path)
            except OSError as exc:
                refuse(path, f"cannot be read: {exc.strerror or exc} (a broken link?)")
                continue
            if path.is_symlink() and not inside(path, root):
                refuse(path, "a symbolic link that points outside the pack: not allowed")
            elif not stat.S_ISREG(info.st_mode):
                refuse(path, "a special file (FIFO, device or socket), not a regular file")
            elif info.st_size > (MAX_RESOURCE_BYTES if name == REFERENCES else MAX_TEXT_BYTES):
                limit = MAX_RESOURCE_BYTES if name == REFERENCES else MAX_TEXT_BYTES
                refuse(path, f"too large: {info.st_size:,} bytes, over the {limit:,}-byte limit for a pack file")
            else:
                files[_relative(path, root)] = path
            if len(files) > MAX_PACK_FILES:
                refuse(root, f"more than {MAX_PACK_FILES:,} files in one pack")
                return files, problems
    return files, problems


def pack_files(path: Path) -> list[Path]:
    """Every file that belongs in the manifest: content, local sections and the pack's references."""
    return sorted(walk_pack(path)[0].values())


def _read_manifest(manifest: Path) -> dict:
    """pack.yaml as a mapping; raises UnsafeFileError or yaml.YAMLError (no aliases allowed)."""
    data = load_yaml(read_text(manifest, max_bytes=MAX_TEXT_BYTES), aliases=False)[0] or {}
    if not isinstance(data, dict):
        raise UnsafeFileError("pack.yaml must be a mapping of field: value")
    return data


def _scalar(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value if isinstance(value, str) else str(value) if isinstance(value, int | float) else ""


def read_pack(path: Path) -> tuple[Pack | None, list[Problem]]:
    """Read and verify a pack's manifest and checksums; any problem refuses the whole pack."""
    manifest = path / MANIFEST
    shown = str(manifest)
    if not os.path.lexists(manifest):
        return None, [Problem(shown, 1, "not a pack: pack.yaml is missing")]
    try:
        data = _read_manifest(manifest)
    except UnsafeFileError as exc:
        return None, [Problem(shown, exc.line, f"pack.yaml {exc}")]
    except yaml.YAMLError as exc:
        prefix = "pack.yaml: " if isinstance(exc, YamlLimitError) else "pack.yaml is not valid YAML: "
        return None, [Problem(shown, yaml_error_line(exc), prefix + yaml_error_reason(exc))]
    problems = [Problem(shown, 1, f"pack.yaml lacks '{name}'") for name in MANIFEST_FIELDS if not data.get(name)]
    for name in MANIFEST_FIELDS:
        value = data.get(name)
        if value and not _scalar(value):
            problems.append(Problem(shown, 1, f"pack.yaml '{name}' must be plain text"))
        elif reason := plain_text_problem(_scalar(value), max_chars=MAX_TITLE_CHARS):
            problems.append(Problem(shown, 1, f"pack.yaml '{name}' {reason}"))
    files = data.get("files") or {}
    if not isinstance(files, dict) or not all(isinstance(v, str) for v in files.values()):
        problems.append(Problem(shown, 1, "'files' must map each file to its SHA-256"))
        files = {}
    pack = Pack(
        path=path,
        name=_scalar(data.get("name")) or path.name,
        publisher=_scalar(data.get("publisher")),
        version=_scalar(data.get("version")),
        reviewed=_scalar(data.get("reviewed")),
        files={str(k): str(v) for k, v in files.items()},
    )
    present, problems_found = walk_pack(path)
    problems += problems_found
    for name, expected in pack.files.items():
        if name not in present:
            if not any(p.path == str(path / name) for p in problems_found):
                problems.append(Problem(shown, 1, f"checksum list names '{name}', which is missing"))
            continue
        try:
            matches = sha256_file(present[name]) == expected
        except (OSError, UnsafeFileError) as exc:
            problems.append(Problem(str(present[name]), 1, f"cannot be read: {exc}"))
            continue
        if not matches:
            problems.append(
                Problem(str(present[name]), 1, "checksum does not match pack.yaml: file changed or damaged")
            )
    for name in sorted(set(present) - set(pack.files)):
        problems.append(Problem(str(present[name]), 1, "file is not listed in pack.yaml (run `pack build`)"))
    pack.present = present
    return (None if problems else pack), problems


def _read(path: Path, root: Path, problems: list[Problem]) -> str | None:
    try:
        return read_text(path, max_bytes=MAX_TEXT_BYTES, root=root)
    except UnsafeFileError as exc:
        problems.append(Problem(str(path), exc.line, f"cannot read file: {exc}"))
        return None


def apply_pack(pack: Pack, corpus: Corpus) -> list[Problem]:
    """Add the pack's entries and local sections to the corpus. Returns problems; on any error the
    corpus is left exactly as it was."""
    from index.validate import validate  # local import: validate imports content, not packs

    problems: list[Problem] = []
    present = pack.present or walk_pack(pack.path)[0]
    new_refs, ref_problems = ({}, [])
    if REFERENCES in present:
        shown = str(present[REFERENCES])
        new_refs, ref_problems = load_references(present[REFERENCES], shown)
        problems += [p for p in ref_problems if p.severity == "error"]
        for key in new_refs:
            if key in corpus.references:
                problems.append(
                    Problem(
                        shown, new_refs[key].line, f"reference key '{key}' already exists in the curated bibliography"
                    )
                )
    entries: dict[str, Entry] = {}
    extensions: list[tuple[str, list, str, int]] = []
    for name, path in present.items():
        parts = name.split("/")
        if len(parts) != 2 or not parts[1].endswith(".md"):
            continue
        if parts[0] not in (*KINDS, LOCAL_DIR):
            problems.append(Problem(str(path), 1, f"'{parts[0]}/' is not a kind directory or local/"))
            continue
        text = _read(path, pack.path, problems)
        if text is None:
            continue
        if parts[0] == LOCAL_DIR:
            extension = _local_sections(path, text, corpus, problems)
            if extension:
                extensions.append(extension)
            continue
        entry, entry_problems = parse_entry(path, text, display_path=str(path))
        problems += entry_problems
        if entry is None:
            continue
        problems += entry_text_problems(entry, str(path))
        line = entry.line_of("id")
        if entry.id in entries:
            problems.append(Problem(str(path), line, f"duplicate id '{entry.id}' (also in {entries[entry.id].path})"))
            continue
        existing = corpus.entries.get(entry.id)
        if existing is not None and existing.origin == "local":
            problems.append(
                Problem(str(path), line, f"id '{entry.id}' is already used by another pack ({existing.source})")
            )
            continue
        if existing is not None:
            problems.append(Problem(str(path), line, f"id '{entry.id}' already exists in the curated content"))
            continue
        entry.origin, entry.label = "local", pack.label
        entries[entry.id] = entry
    if problems:
        return problems

    trial = Corpus(
        entries={**corpus.entries, **entries},
        references={**corpus.references, **new_refs},
        tags=corpus.tags,
        symptoms=corpus.symptoms,
        lexicon=corpus.lexicon,
        version=corpus.version,
    )
    mine = {str(e.path) for e in entries.values()}
    problems = [p for p in validate(trial) if p.path in mine and p.severity == "error"]
    if problems:
        return problems
    corpus.entries.update(entries)
    corpus.references.update(new_refs)
    for target, sections, _path, _line in extensions:
        entry = corpus.entries[target]
        for section in sections:
            section.origin, section.label = "local", pack.label
            entry.sections.append(section)
        entry.has_local = True
    return []


def _local_sections(path: Path, text: str, corpus: Corpus, problems: list[Problem]) -> tuple | None:
    """A local/<id>.md file: (target id, its ## sections, path, first body line), or None."""
    split = split_front_matter(text)
    if split is None:
        problems.append(Problem(str(path), 1, "no front matter: expected {extends: <curated entry id>}"))
        return None
    front, body, body_line = split
    try:
        data = load_yaml(front, aliases=False)[0] or {}
    except yaml.YAMLError as exc:
        problems.append(
            Problem(str(path), yaml_error_line(exc, 2), f"invalid YAML in front matter: {yaml_error_reason(exc)}")
        )
        return None
    target = data.get("extends") if isinstance(data, dict) else None
    if not isinstance(target, str) or target not in corpus.entries:
        shown = target if isinstance(target, str) else type(target).__name__
        problems.append(Problem(str(path), 2, f"extends unknown entry '{shown[:80]}'"))
        return None
    sections = split_sections(body, body_line)
    if not sections:
        problems.append(Problem(str(path), body_line, "no '## ' section to add"))
        return None
    found = heading_problems(sections, str(path))
    problems += found
    return None if found else (target, sections, str(path), body_line)


def find_packs(directories: list[Path]) -> list[Path]:
    """Pack directories: each given dir if it is a pack, else its subdirectories that are."""
    found: list[Path] = []
    for directory in directories:
        directory = Path(directory)
        if os.path.lexists(directory / MANIFEST):
            found.append(directory)
            continue
        try:
            found += sorted(p for p in directory.iterdir() if os.path.lexists(p / MANIFEST))
        except OSError:
            continue  # not a directory, or unreadable: nothing to load from it
    return found


def load_packs(corpus: Corpus, directories: list[Path]) -> tuple[list[Pack], list[Problem]]:
    """Apply every sound pack; a refused pack is reported and left out, the rest go on.

    Each refused pack gives one summary Problem (code "pack-refused": which pack, the first
    reason with its file and line) followed by every reason (code "pack-problem")."""
    applied: list[Pack] = []
    problems: list[Problem] = []
    for path in find_packs(directories):
        try:
            pack, found = read_pack(path)
            if pack is not None:
                twin = next((p for p in applied if p.name == pack.name), None)
                if twin is not None:
                    found = [
                        Problem(
                            str(path / MANIFEST),
                            1,
                            f"a pack named '{pack.name}' is already loaded from {twin.path} (installed twice?)",
                        )
                    ]
                else:
                    found = apply_pack(pack, corpus)
        except Exception as exc:  # noqa: BLE001 - whatever one pack does, the others and the library go on
            pack, found = None, [Problem(str(path), 1, f"could not be loaded ({type(exc).__name__}: {exc})"[:300])]
        if found:
            first = found[0]
            where = _where(first, path)
            summary = f"pack '{path.name}' refused: {where}{first.message}"
            problems.append(Problem(str(path / MANIFEST), 1, summary, code=REFUSED))
            problems += [Problem(p.path, p.line, p.message, p.severity, PACK_PROBLEM) for p in found]
        else:
            applied.append(pack)
    return applied, problems


def _where(problem: Problem, pack: Path) -> str:
    try:
        name = _relative(Path(problem.path), pack)
    except ValueError:
        return ""
    return "" if name in ("", ".") else f"{name}:{problem.line}: "


def build_manifest(path: Path) -> dict:
    """Write pack.yaml's checksum list from the files present (authoring: `pack build`)."""
    manifest = path / MANIFEST
    data: dict = {}
    if os.path.lexists(manifest):
        try:
            data = _read_manifest(manifest)
        except (UnsafeFileError, yaml.YAMLError) as exc:
            raise PackError(f"{manifest}: cannot be read, fix it first: {yaml_error_reason(exc)}") from exc
    data["files"] = {name: sha256_file(p) for name, p in sorted(walk_pack(path)[0].items())}
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
