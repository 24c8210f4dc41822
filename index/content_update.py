"""The curated corpus as a versioned, signed content file, replaceable without reinstalling the app.

A content file (`vademecum-content-<version>.zip`, made by `content build`) holds:

    manifest.yaml     format, version, date, files: {path: sha256}
    manifest.sig      Ed25519 signature over the bytes of manifest.yaml, and the key id
    content/<kind>/<id>.md, references.yaml, lexicon.yaml, tags.yaml, symptoms.yaml,
    pathways.yaml, references-without-identifier.yaml, VERSION

Only keys whose public part ships with the app (resources/content-keys/*.pub) are trusted.
`content install` checks the file whole (signature, names, sizes, checksums, content that loads)
before it unpacks it into DATA/content/<version>-<id>/ and makes it the active one;
`content rollback` returns to the previous one, or to the shipped content. At every start the
active update is checked again against its signed manifest: a damaged one is set aside for the
shipped content, with a message, and an update older than the shipped content is not used.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import stat
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from index import signing
from index.model import Problem
from index.paths import AppDirs, bundled_resources
from index.safe_io import MAX_RESOURCE_BYTES, UnsafeFileError, load_yaml, read_bytes, read_text, sha256_file

FORMAT = 1  # the content-file layout this app reads; a newer one is refused with a message
MANIFEST = "manifest.yaml"
SIGNATURE = "manifest.sig"
CONTENT = "content"
RESOURCES = (
    "references.yaml",
    "lexicon.yaml",
    "tags.yaml",
    "symptoms.yaml",
    "pathways.yaml",
    "references-without-identifier.yaml",
    "VERSION",
)
DATE_FILE = "CONTENT_DATE"  # beside VERSION: the date of this content release (YYYY-MM-DD)
KEYS_DIR = "content-keys"  # resources/content-keys/*.pub: the project keys that sign content files
MAX_FILES = 20_000
MAX_TOTAL_BYTES = 256 * 1024 * 1024
STATE = "state.json"
UPDATE_PROBLEM = "content-update"  # Problem.code of a note about the content in use
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


class ContentUpdateError(ValueError):
    """A content file or an install that cannot be used: the message says why."""


@dataclass(frozen=True)
class ContentRelease:
    """Which curated content is in use: what About, every page and `--version` show."""

    version: str
    date: str
    format: int
    source: str  # "shipped" or "update"
    content_dir: Path

    @property
    def label(self) -> str:
        return f"{self.version} of {self.date}" if self.date else self.version


def version_key(version: str) -> tuple:
    """'2026.11.1' < '2026.11.10' < '2026.12': numbers compare as numbers."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"[.\-+]", version))


def shipped_keys() -> list[signing.PublicKey]:
    """The project's content-signing keys shipped in resources/content-keys/ (public parts only)."""
    keys = []
    folder = bundled_resources() / KEYS_DIR
    for path in sorted(folder.glob("*.pub")) if folder.is_dir() else []:
        try:
            keys.append(signing.parse_public_key(read_text(path, max_bytes=1024)))
        except (UnsafeFileError, signing.SigningError):
            continue  # a damaged key file trusts nothing
    return keys


def shipped_release() -> ContentRelease:
    root = bundled_resources()
    return ContentRelease(
        _read_small(root / "VERSION") or "unversioned", _read_small(root / DATE_FILE), FORMAT, "shipped", root / CONTENT
    )


def _read_small(path: Path) -> str:
    try:
        return read_text(path, max_bytes=1024).strip() if path.is_file() else ""
    except UnsafeFileError:
        return ""


# -- building (the project's side) ---------------------------------------------------------------


def build_content_file(out: Path, key_file: Path, content_dir: Path | None = None, date: str = "") -> ContentRelease:
    """Pack the curated content (and the resource files beside it) into a signed content file."""
    from index.content import content_files, resource_file  # local: content imports nothing from here

    key = signing.load_private_key(key_file)
    content_dir = Path(content_dir) if content_dir else bundled_resources() / CONTENT
    files: dict[str, Path] = {}
    for path in content_files(content_dir):
        files[f"{CONTENT}/{path.relative_to(content_dir).as_posix()}"] = path
    for name in RESOURCES:
        path = resource_file(name, content_dir)
        if path.is_file():
            files[name] = path
    version = _read_small(files["VERSION"]) if "VERSION" in files else ""
    if not version:
        raise ContentUpdateError("no VERSION beside the content: a content file must have a version")
    date = date or _read_small(resource_file(DATE_FILE, content_dir)) or dt.date.today().isoformat()
    manifest = {
        "format": FORMAT,
        "version": version,
        "date": date,
        "files": {name: sha256_file(path) for name, path in sorted(files.items())},
    }
    raw = yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True).encode("utf-8")
    public = signing.public_key_of(key)
    sig = f'key_id: "{public.key_id}"\nsignature: "{signing.encode_signature(signing.sign(key, raw))}"\n'
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST, raw)
        archive.writestr(SIGNATURE, sig)
        for name, path in sorted(files.items()):
            archive.write(path, name)
    return ContentRelease(version, date, FORMAT, "update", out)


# -- checking ------------------------------------------------------------------------------------


def _check_manifest(raw: bytes, sig_text: str, keys: list[signing.PublicKey]) -> dict:
    """The manifest, if a trusted key signed exactly these bytes; else ContentUpdateError."""
    try:
        sig = load_yaml(sig_text, aliases=False)[0]
        key_id, signature = sig["key_id"], signing.decode_signature(str(sig["signature"]))
    except (yaml.YAMLError, TypeError, KeyError, signing.SigningError) as exc:
        raise ContentUpdateError(f"{SIGNATURE} cannot be used: {exc}") from exc
    key = next((k for k in keys if k.key_id == key_id), None)
    if key is None:
        raise ContentUpdateError(f"signed with key {str(key_id)[:16]}, which is not a content key this app trusts")
    if not key.verifies(raw, signature):
        raise ContentUpdateError("the signature does not match manifest.yaml: the file was changed after signing")
    try:
        manifest = load_yaml(raw.decode("utf-8"), aliases=False)[0]
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ContentUpdateError(f"{MANIFEST} cannot be read: {exc}") from exc
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
        raise ContentUpdateError(f"{MANIFEST} lacks its file list")
    if not isinstance(manifest.get("format"), int) or manifest["format"] > FORMAT:
        raise ContentUpdateError(f"content format {manifest.get('format')!r} is newer than this app reads ({FORMAT})")
    version = str(manifest.get("version") or "")
    if not NAME.fullmatch(version) or len(version) > 40:
        raise ContentUpdateError(f"version {version[:40]!r} is not a plain version string")
    manifest["date"] = str(manifest.get("date") or "")
    return manifest


def _safe_name(name: str) -> bool:
    parts = name.split("/")
    return not name.startswith("/") and "\\" not in name and ":" not in name and all(NAME.fullmatch(p) for p in parts)


def _check_archive(archive: zipfile.ZipFile, keys: list[signing.PublicKey]) -> tuple[dict, dict[str, zipfile.ZipInfo]]:
    infos = archive.infolist()
    if len(infos) > MAX_FILES:
        raise ContentUpdateError(f"more than {MAX_FILES:,} files")
    members: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        if info.is_dir():
            continue
        name = info.filename
        if not _safe_name(name):
            raise ContentUpdateError(f"'{name[:120]}': a path outside the content (absolute, '..' or odd characters)")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise ContentUpdateError(f"'{name}': a symbolic link, not allowed")
        if name in members:
            raise ContentUpdateError(f"'{name}' appears twice")
        if info.file_size > MAX_RESOURCE_BYTES:
            raise ContentUpdateError(f"'{name}' is too large ({info.file_size:,} bytes)")
        total += info.file_size
        members[name] = info
    if total > MAX_TOTAL_BYTES:
        raise ContentUpdateError(f"too large once unpacked ({total:,} bytes)")
    if MANIFEST not in members or SIGNATURE not in members:
        raise ContentUpdateError(f"not a content file: {MANIFEST} or {SIGNATURE} is missing")
    raw = archive.read(members.pop(MANIFEST))
    manifest = _check_manifest(raw, archive.read(members.pop(SIGNATURE)).decode("utf-8", "replace"), keys)
    if version_key(str(manifest["version"])) < version_key(shipped_release().version):
        raise ContentUpdateError(
            f"content {manifest['version']} is older than the content shipped with this app "
            f"({shipped_release().version}): not installed"
        )
    listed = {str(k): str(v) for k, v in manifest["files"].items()}
    if set(listed) != set(members):
        extra, missing = sorted(set(members) - set(listed)), sorted(set(listed) - set(members))
        raise ContentUpdateError(f"files do not match the signed list (extra: {extra[:3]}, missing: {missing[:3]})")
    for name, info in members.items():
        digest = hashlib.sha256()
        with archive.open(info) as handle:
            for chunk in iter(lambda h=handle: h.read(1 << 20), b""):
                digest.update(chunk)
        if digest.hexdigest() != listed[name]:
            raise ContentUpdateError(f"'{name}' does not match its checksum: the file is damaged")
    return manifest, members


def verify_installed(root: Path, keys: list[signing.PublicKey]) -> dict:
    """An unpacked update, checked again against its signed manifest: exactly its files, unchanged."""
    try:
        raw = read_bytes(root / MANIFEST, max_bytes=MAX_RESOURCE_BYTES)
        manifest = _check_manifest(raw, read_text(root / SIGNATURE, max_bytes=4096), keys)
    except UnsafeFileError as exc:
        raise ContentUpdateError(f"its manifest cannot be read: {exc}") from exc
    listed = {str(k): str(v) for k, v in manifest["files"].items()}
    found = set()
    for dirpath, _dirnames, filenames in os.walk(root):
        for name in filenames:
            rel = (Path(dirpath) / name).relative_to(root).as_posix()
            if rel not in (MANIFEST, SIGNATURE):
                found.add(rel)
    if found != set(listed):
        raise ContentUpdateError(f"files changed since it was installed ({len(found ^ set(listed))} differ)")
    for name, expected in listed.items():
        path = root / name
        if path.is_symlink() or not path.is_file():
            raise ContentUpdateError(f"'{name}' is not a regular file")
        try:
            if sha256_file(path) != expected:
                raise ContentUpdateError(f"'{name}' was changed or damaged since it was installed")
        except (OSError, UnsafeFileError) as exc:
            raise ContentUpdateError(f"'{name}' cannot be read: {exc}") from exc
    return manifest


# -- installing, choosing, rolling back ----------------------------------------------------------


def updates_dir(dirs: AppDirs) -> Path:
    return dirs.data / "content"


def _state(dirs: AppDirs) -> dict:
    try:
        data = json.loads(read_text(updates_dir(dirs) / STATE, max_bytes=64 * 1024))
    except (UnsafeFileError, ValueError):
        return {"active": None, "history": []}
    active = data.get("active") if isinstance(data, dict) else None
    history = data.get("history") if isinstance(data, dict) else []
    clean = [h for h in history or [] if isinstance(h, str) and NAME.fullmatch(h)]
    return {"active": active if isinstance(active, str) and NAME.fullmatch(active) else None, "history": clean}


def _write_state(dirs: AppDirs, state: dict) -> None:
    folder = updates_dir(dirs)
    folder.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=folder, prefix=".state-")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(state, handle)
    os.replace(temp, folder / STATE)


def install(file: Path, dirs: AppDirs, keys: list[signing.PublicKey] | None = None) -> ContentRelease:
    """Check a content file whole, unpack it and make it the active content. Nothing changes if
    anything is wrong (ContentUpdateError says what)."""
    from index.content import load_corpus
    from index.validate import validate

    keys = shipped_keys() if keys is None else keys
    try:
        with zipfile.ZipFile(file) as archive:
            manifest, members = _check_archive(archive, keys)
            folder = updates_dir(dirs)
            folder.mkdir(parents=True, exist_ok=True)
            temp = Path(tempfile.mkdtemp(dir=folder, prefix=".install-"))
            try:
                for name, info in members.items():
                    target = temp / name
                    target.parent.mkdir(parents=True, exist_ok=True)
                    with archive.open(info) as source, open(target, "wb") as sink:
                        shutil.copyfileobj(source, sink)
                (temp / MANIFEST).write_bytes(archive.read(MANIFEST))
                (temp / SIGNATURE).write_bytes(archive.read(SIGNATURE))
                corpus = load_corpus(temp / CONTENT)
                errors = [p for p in validate(corpus) if p.severity == "error"]
                if errors or not corpus.entries:
                    raise ContentUpdateError(f"its content does not validate: {errors[0] if errors else 'no entries'}")
                digest = hashlib.sha256(archive.read(MANIFEST)).hexdigest()[:12]
                name = f"{manifest['version']}-{digest}"
                final = folder / name
                if final.exists():
                    shutil.rmtree(temp)
                else:
                    os.replace(temp, final)
            except BaseException:
                shutil.rmtree(temp, ignore_errors=True)
                raise
    except (zipfile.BadZipFile, OSError, EOFError, zipfile.LargeZipFile) as exc:
        raise ContentUpdateError(f"{file} cannot be read as a content file: {exc}") from exc
    state = _state(dirs)
    if state["active"] and state["active"] != name:
        state["history"].append(state["active"])
    state["active"] = name
    _write_state(dirs, state)
    return ContentRelease(
        str(manifest["version"]), manifest["date"], int(manifest["format"]), "update", final / CONTENT
    )


def rollback(dirs: AppDirs, keys: list[signing.PublicKey] | None = None) -> ContentRelease:
    """Leave the active update (it is removed) for the one before it, or the shipped content."""
    state = _state(dirs)
    if state["active"] is None:
        raise ContentUpdateError("the shipped content is in use: there is no update to roll back")
    shutil.rmtree(updates_dir(dirs) / state["active"], ignore_errors=True)
    state["active"] = state["history"].pop() if state["history"] else None
    _write_state(dirs, state)
    release, _ = active_release(dirs, keys)
    return release


def active_release(dirs: AppDirs, keys: list[signing.PublicKey] | None = None) -> tuple[ContentRelease, list[Problem]]:
    """The content to use: the active update if it still verifies and is not older than the shipped
    content, else the shipped content (with a problem saying why)."""
    shipped = shipped_release()
    state = _state(dirs)
    if state["active"] is None:
        return shipped, []
    keys = shipped_keys() if keys is None else keys
    root = updates_dir(dirs) / state["active"]
    try:
        manifest = verify_installed(root, keys)
    except ContentUpdateError as exc:
        message = f"content update {state['active']} is not used: {exc}; using the shipped content {shipped.label}"
        return shipped, [Problem(str(root), 1, message, "warning", UPDATE_PROBLEM)]
    release = ContentRelease(
        str(manifest["version"]), manifest["date"], int(manifest["format"]), "update", root / CONTENT
    )
    if version_key(release.version) < version_key(shipped.version):
        message = f"content update {release.version} is older than the shipped content {shipped.version}: not used"
        return shipped, [Problem(str(root), 1, message, "warning", UPDATE_PROBLEM)]
    return release, []


def installed(dirs: AppDirs) -> list[str]:
    """The installed updates, oldest first, the active one last (for `content status`)."""
    state = _state(dirs)
    return [*state["history"], *([state["active"]] if state["active"] else [])]
