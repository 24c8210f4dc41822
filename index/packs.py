"""Local protocol packs: a department's own entries and "Local protocol" sections, layered on the
curated content without copying it, integrity-checked, and refused whole when anything is wrong.

A pack is a directory:

    pack.yaml                 name, publisher, version, reviewed, files: {path: sha256}
    pack.sig                  Ed25519 signature over the bytes of pack.yaml, and the signer's key id
    references.yaml           optional: the pack's own references (keys must be new)
    <kind>/<id>.md            new entries, in the same format as the curated ones
    local/<curated-id>.md     front matter {extends: <curated id>}; its ## sections are added to
                              that curated entry, shown as local

Trust: pack.yaml pins every file by SHA-256 and pack.sig signs pack.yaml, so a signature covers
exactly the files the walk finds and the loader reads. A pack signed by a key the machine policy
trusts is shown as "Local — <publisher bound to that key>"; any other pack is refused, or, where
personal packs are allowed (no machine policy, or `personal_packs = allow`), shown as "Personal,
unverified" and never with a department's name.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from index import signing
from index.content import load_references, parse_entry, split_front_matter, split_sections
from index.model import KINDS, Corpus, Entry, Problem
from index.plaintext import MAX_TITLE_CHARS, entry_text_problems, heading_problems, plain_text_problem
from index.safe_io import (
    MAX_RESOURCE_BYTES,
    MAX_TEXT_BYTES,
    UnsafeFileError,
    YamlLimitError,
    decode_text,
    inside,
    load_yaml,
    read_bytes,
    read_text,
    sha256_file,
    yaml_error_line,
    yaml_error_reason,
)

MANIFEST = "pack.yaml"
SIGNATURE = "pack.sig"
MAX_SIGNATURE_BYTES = 4096
PERSONAL = "Personal, unverified"  # the start of every label of a pack no trusted key signed
LOCAL_DIR = "local"
REFERENCES = "references.yaml"
MANIFEST_FIELDS = ("name", "publisher", "version", "reviewed")
MAX_PACK_FILES = 100_000  # files in one pack; each file is also capped (safe_io.MAX_TEXT_BYTES)
REFUSED = "pack-refused"  # Problem.code of the one-line summary of each refused pack
PACK_PROBLEM = "pack-problem"  # Problem.code of the detailed reasons under it
DUPLICATE = "pack-duplicate"  # Problem.code of a warning: a local entry repeats a curated title or alias


class PackError(ValueError):
    """A pack directory that cannot be authored (pack build): the message says why."""


@dataclass(frozen=True)
class Trust:
    """What the machine policy trusts: publisher keys (key id -> (publisher name, key)) and
    whether packs no trusted key signed may be shown as personal ones."""

    publishers: dict[str, tuple[str, signing.PublicKey]] = field(default_factory=dict)
    personal_allowed: bool = True

    @classmethod
    def of(cls, named_keys: dict[str, signing.PublicKey], personal_allowed: bool) -> Trust:
        return cls({key.key_id: (name, key) for name, key in named_keys.items()}, personal_allowed)


@dataclass
class Pack:
    path: Path
    name: str
    publisher: str
    version: str
    reviewed: str
    files: dict[str, str] = field(default_factory=dict)  # as listed in pack.yaml: path -> SHA-256
    present: dict[str, Path] = field(default_factory=dict)  # what the walk found and verified
    signed_by: str = ""  # the publisher bound to the trusted key that signed it; "" = personal
    key_id: str = ""

    @property
    def trusted(self) -> bool:
        return bool(self.signed_by)

    @property
    def label(self) -> str:
        if self.trusted:
            return f"Local — {self.signed_by}, reviewed {self.reviewed}"
        return f"{PERSONAL} — pack '{self.name}'"


def is_personal_label(label: str) -> bool:
    return label.startswith(PERSONAL)


def sha256(path: Path) -> str:
    return sha256_file(path)


def _relative(path: Path, root: Path) -> str:
    return str(path.relative_to(root)).replace("\\", "/")


def writable_by_others(path: Path) -> str:
    """Why users other than the owner (or root) could change this folder, or "" (POSIX only:
    on Windows, folder ACLs are the admin's to set and are not read here)."""
    if os.name != "posix":
        return ""
    try:
        info = os.stat(path)
    except OSError as exc:
        return f"cannot be checked: {exc.strerror or exc}"
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return (
            f"can be written by users other than its owner (mode {stat.filemode(info.st_mode)}): "
            "a pack folder named by the machine policy must be writable by its owner only (chmod go-w)"
        )
    if info.st_uid not in (0, os.getuid()):
        return f"is owned by another user (uid {info.st_uid}), who could change it: it must be owned by root or you"
    return ""


def walk_pack(root: Path, *, guarded: bool = False) -> tuple[dict[str, Path], list[Problem]]:
    """The one walk used to check and to load a pack: every regular file (dot-files ignored),
    keyed by its path in the pack, and a problem for everything that cannot be served safely —
    special files, folders named like entry files, links leading outside the pack, oversize files.
    pack.yaml and pack.sig at the top are the pack's own and not listed. `guarded` (a pack named by
    the machine policy) also refuses every folder that other users could write."""
    files: dict[str, Path] = {}
    problems: list[Problem] = []

    def refuse(path: Path, message: str) -> None:
        problems.append(Problem(str(path), 1, message))

    def on_error(exc: OSError) -> None:
        refuse(Path(exc.filename or root), f"cannot be read: {exc.strerror or exc}")

    for dirpath, dirnames, filenames in os.walk(root, onerror=on_error, followlinks=False):
        here = Path(dirpath)
        if guarded and (reason := writable_by_others(here)):
            refuse(here, f"folder {reason}")
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
            if name.startswith(".") or (here == root and name in (MANIFEST, SIGNATURE)):
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


def _read_manifest(manifest: Path, raw: bytes | None = None) -> dict:
    """pack.yaml as a mapping; raises UnsafeFileError or yaml.YAMLError (no aliases allowed)."""
    raw = read_bytes(manifest, max_bytes=MAX_TEXT_BYTES) if raw is None else raw
    data = load_yaml(decode_text(raw), aliases=False)[0] or {}
    if not isinstance(data, dict):
        raise UnsafeFileError("pack.yaml must be a mapping of field: value")
    return data


def read_signature(path: Path) -> tuple[str, bytes]:
    """(key id, signature) from pack.sig; raises UnsafeFileError or signing.SigningError."""
    try:
        data = load_yaml(read_text(path, max_bytes=MAX_SIGNATURE_BYTES), aliases=False)[0]
    except yaml.YAMLError as exc:
        raise signing.SigningError(f"not valid YAML: {yaml_error_reason(exc)}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("key_id"), str):
        raise signing.SigningError("expected 'key_id:' and 'signature:' (written by `pack sign`)")
    return data["key_id"], signing.decode_signature(str(data.get("signature") or ""))


def check_signature(pack: Pack, raw_manifest: bytes, trust: Trust) -> list[Problem]:
    """Bind the pack to the publisher of the trusted key that signed its pack.yaml, or mark it
    personal (where allowed); otherwise a problem that says why it is refused."""
    sig_path = pack.path / SIGNATURE
    shown = str(sig_path)
    key_id, signature = "", b""
    if os.path.lexists(sig_path):
        try:
            key_id, signature = read_signature(sig_path)
        except (UnsafeFileError, signing.SigningError) as exc:
            return [Problem(shown, 1, f"pack.sig cannot be used: {exc}")]
    if key_id in trust.publishers:
        publisher, key = trust.publishers[key_id]
        if not key.verifies(raw_manifest, signature):
            return [
                Problem(
                    shown,
                    1,
                    f"signature does not match pack.yaml: pack.yaml was changed after signing, or it was "
                    f"not signed with the key of '{publisher}' ({key_id})",
                )
            ]
        pack.signed_by, pack.key_id = publisher, key_id
        return []
    if trust.personal_allowed:
        return []  # shown as personal, unverified
    if key_id:
        why = f"signed with key {key_id[:16]}, which the machine policy does not trust"
    else:
        why = "not signed (no pack.sig): the machine policy accepts only packs signed by a trusted publisher"
    return [Problem(shown if key_id else str(pack.path / MANIFEST), 1, why)]


def _scalar(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value if isinstance(value, str) else str(value) if isinstance(value, int | float) else ""


def read_pack(path: Path, trust: Trust | None = None, *, guarded: bool = False) -> tuple[Pack | None, list[Problem]]:
    """Read and verify a pack's signature, manifest and checksums; any problem refuses the whole
    pack. Without `trust`, nothing is trusted and personal packs are allowed (authoring)."""
    trust = trust or Trust()
    manifest = path / MANIFEST
    shown = str(manifest)
    if not os.path.lexists(manifest):
        return None, [Problem(shown, 1, "not a pack: pack.yaml is missing")]
    try:
        raw = read_bytes(manifest, max_bytes=MAX_TEXT_BYTES)
        data = _read_manifest(manifest, raw)
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
    if guarded and (reason := writable_by_others(path.parent)):
        problems.append(Problem(str(path.parent), 1, f"folder {reason}"))
    problems += check_signature(pack, raw, trust)
    present, problems_found = walk_pack(path, guarded=guarded)
    problems += problems_found
    for name, expected in pack.files.items():
        parts = name.replace("\\", "/").split("/")
        if name.startswith(("/", "\\")) or ".." in parts or (len(name) > 1 and name[1] == ":"):
            problems.append(Problem(shown, 1, f"checksum list names '{name[:120]}': a path outside the pack"))
            continue
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
    warnings: list[Problem] = []
    curated_names = {
        name.casefold(): e.id for e in corpus.entries.values() if e.origin != "local" for name in (e.title, *e.aliases)
    }
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
        warnings += _curated_twins(entry, curated_names, str(path))
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
    return warnings


def _curated_twins(entry: Entry, curated: dict[str, str], shown: str) -> list[Problem]:
    """A local entry may not pass for a curated one: an alias that repeats a curated title or
    alias is dropped, a repeated title is marked "(local)" so the curated entry keeps the exact
    match. Each is a warning, shown with the pack's problems."""
    warnings = []
    kept = []
    for alias in entry.aliases:
        twin = curated.get(alias.casefold())
        if twin:
            warnings.append(
                Problem(
                    shown,
                    entry.line_of("aliases"),
                    f"alias '{alias}' repeats curated entry '{twin}': dropped",
                    "warning",
                    DUPLICATE,
                )
            )
        else:
            kept.append(alias)
    entry.aliases = kept
    twin = curated.get(entry.title.casefold())
    if twin:
        warnings.append(
            Problem(
                shown,
                entry.line_of("title"),
                f"title '{entry.title}' repeats curated entry '{twin}': shown as "
                f"'{entry.title} (local)' and never ranked above it; extend it with local/{twin}.md instead",
                "warning",
                DUPLICATE,
            )
        )
        entry.title = f"{entry.title} (local)"
    return warnings


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


def load_packs(
    corpus: Corpus,
    directories: list[Path],
    trust: Trust | None = None,
    guarded: tuple[Path, ...] | list[Path] = (),
) -> tuple[list[Pack], list[Problem]]:
    """Apply every sound pack; a refused pack is reported and left out, the rest go on.

    Each refused pack gives one summary Problem (code "pack-refused": which pack, the first
    reason with its file and line) followed by every reason (code "pack-problem"). Packs in or at
    a `guarded` directory (named by the machine policy) must not be writable by other users.
    Warnings (a local title or alias repeating a curated one) do not refuse a pack."""
    applied: list[Pack] = []
    problems: list[Problem] = []
    guarded_roots = [Path(g) for g in guarded]
    for path in find_packs(directories):
        is_guarded = any(path == g or path.parent == g for g in guarded_roots)
        try:
            pack, found = read_pack(path, trust, guarded=is_guarded)
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
        warnings = [p for p in found if p.severity != "error"]
        found = [p for p in found if p.severity == "error"]
        problems += warnings
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


def sign_pack(path: Path, key_file: Path) -> signing.PublicKey:
    """Sign pack.yaml as it is now (authoring: `pack sign`, after `pack build`): writes pack.sig.
    Raises PackError if the checksums do not match, signing.SigningError for a bad key."""
    key = signing.load_private_key(key_file)
    public = signing.public_key_of(key)
    pack, problems = read_pack(path)
    if pack is None:
        details = "; ".join(str(p) for p in problems[:3])
        raise PackError(f"{path} is not ready to sign (run `pack build` first): {details}")
    raw = read_bytes(path / MANIFEST, max_bytes=MAX_TEXT_BYTES)
    signature = signing.encode_signature(signing.sign(key, raw))
    (path / SIGNATURE).write_text(
        f"# Ed25519 signature over the exact bytes of pack.yaml (vademecum pack sign)\n"
        f'key_id: "{public.key_id}"\nsignature: "{signature}"\n',
        encoding="utf-8",
    )
    return public
