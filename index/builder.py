"""Build a generation (store + Whoosh index + manifest) and swap it in atomically.

A generation is a directory under the index root. It is built under a temporary name, verified,
renamed into place, and only then named in CURRENT (itself replaced atomically). Readers that
still hold the previous generation keep reading it; old generations are pruned when unused.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import shutil
import sqlite3
import stat
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index

from index import SCHEMA_VERSION
from index.analysis import TOKEN_PATTERN, exact_analyzer
from index.layout import SECTIONS_DIR, STORE_FILE, WHOOSH_DIR
from index.lexicon import Lexicon
from index.logs import get_logger
from index.model import Corpus, Problem
from index.postings import TermPool
from index.safe_io import UnsafeFileError, read_text, sha256_file
from index.schema import ENTRY_DOC, SECTION_DOC, build_schema

CURRENT = "CURRENT"
MANIFEST = "manifest.json"
KEEP_GENERATIONS = 2
PRUNE_GRACE_S = 3600.0
MAX_CURRENT_BYTES = 256
MAX_MANIFEST_BYTES = 4 * 1024 * 1024
# What build_generation names a generation: gen-<stamp>-<fingerprint prefix>-<random suffix>.
GENERATION_NAME = re.compile(r"gen-[0-9]{8}T[0-9]{6}-[A-Za-z0-9_-]{1,100}")

Progress = Callable[[int, int, str], None]
_WORD = re.compile(TOKEN_PATTERN)
_log = get_logger("builder")


class IndexUnavailableError(Exception):
    """The index on disk is missing, stale or damaged (the message says which)."""


class StaleIndexError(IndexUnavailableError):
    """Sound, but built from other content (a pack or entry changed): usable until rebuilt."""


@dataclass(frozen=True)
class Manifest:
    schema_version: int
    content_version: str
    fingerprint: str
    doc_count: int
    entry_count: int
    built_at: str
    files: dict[str, str]
    # Problems found while building (refused packs): kept so every start can report them again.
    problems: list[dict] = field(default_factory=list)

    @classmethod
    def read(cls, generation: Path) -> Manifest:
        try:
            data = json.loads(read_text(generation / MANIFEST, max_bytes=MAX_MANIFEST_BYTES))
            manifest = cls(**data)
            if not isinstance(manifest.files, dict) or not isinstance(manifest.problems, list):
                raise TypeError("files or problems malformed")
            return manifest
        except (ValueError, TypeError, RecursionError) as exc:  # UnsafeFileError is a ValueError
            raise IndexUnavailableError(f"manifest unreadable in {generation.name}: {exc}") from exc

    def problem_list(self) -> list[Problem]:
        """The problems stored at build time (e.g. refused packs), as Problems again."""
        found = []
        for item in self.problems:
            with contextlib.suppress(TypeError, ValueError):
                found.append(Problem(**item) if isinstance(item, dict) else Problem(str(item), 1, str(item)))
        return found


def stored_problems(generation: Path) -> list[Problem]:
    """What the build of this generation reported (refused packs): for the starts that do not rebuild."""
    try:
        return Manifest.read(generation).problem_list()
    except IndexUnavailableError:
        return []


WRITER_LIMIT_MB = 32  # per writer (two are open): postings held in memory before spilling sorted terms to disk
# One file per segment (Whoosh's default), memory-mapped by readers. Separate files are read
# through file handles instead: a reader's peak RSS is then far lower (the mapped pages it touches
# count as resident), but queries measured slower, so the mapped compound file stays.
COMPOUND_SEGMENTS = True


def _one_probe_per_field(writer) -> None:
    """Make the writer's flush read each field's lengths once, not once per posting.

    Whoosh 2.7.4 looks up the document's field length for every posting it writes: for a field
    without a length column (ID, KEYWORD) it checks on disk that the column file exists (one stat()
    per posting, a third of the build), and otherwise it reads the length back from the column.
    Postings arrive sorted by field, so the flush now reads one field's lengths into a list when
    the field starts and answers from it; no column file is created while the segment is flushed.
    """
    make_reader = writer.per_document_reader

    def per_document_reader():
        reader = make_reader()
        reader.has_column = functools.cache(reader.has_column)
        read_length = reader.doc_field_length
        table: dict[str, list] = {}  # the current field only

        def doc_field_length(docnum: int, fieldname: str, default: int = 0):
            lengths = table.get(fieldname)
            if lengths is None:
                table.clear()
                count = reader.doc_count_all()
                lengths = table[fieldname] = [read_length(doc, fieldname, default) for doc in range(count)]
            return lengths[docnum]

        reader.doc_field_length = doc_field_length
        return reader

    writer.per_document_reader = per_document_reader


class _SpellingWordsOnce:
    """Add each "did you mean" word of a field once per build instead of once per document.

    Whoosh 2.7.4 adds every unstemmed word of every document as a posting of the spelling field,
    all for document 0, so a word found in 500 entries becomes 500 identical postings to sort
    and merge (a fifth of all postings). Suggestions read only the spelling field's word list, so
    adding each word once gives the same index terms. The writer's copy of the field skips its
    per-document spelling words while the documents are added and is restored before the commit
    (which saves the schema).
    """

    def __init__(self, writer, fieldname: str) -> None:
        self.writer = writer
        self.field = writer.schema[fieldname]
        self.active = self.field.separate_spelling()  # else the field keeps no spelling words
        self.spelling_field = self.field.spelling_fieldname(fieldname)
        self.words: set[str] = set()
        if self.active:
            self.field.separate_spelling = lambda: False

    def add(self, text: str) -> None:
        if self.active:
            # Each distinct word once: a word's spelling forms do not depend on its neighbours.
            distinct = " ".join(set(_WORD.findall(text)))
            self.words.update(self.field.spellable_words(distinct))

    def finish(self) -> None:
        if not self.active:
            return
        del self.field.separate_spelling
        for word in sorted(self.words):
            # the posting Whoosh's add_document makes for a spelling word: (field, word, doc 0, weight 1)
            self.writer.pool.add((self.spelling_field, word.encode("utf-8"), 0, 1, None))


# Below this many entries the sections index is written in this process: starting a Python
# process (spawn) and sending it the sections costs more than the overlap saves (measured).
PARALLEL_MIN_ENTRIES = 300


def _open_writer(directory: Path, schema, pool_dir: Path, limit_mb: float):
    directory.mkdir()
    ix = whoosh_index.create_in(str(directory), schema)
    writer = ix.writer(limitmb=limit_mb, compound=COMPOUND_SEGMENTS)
    _one_probe_per_field(writer)
    writer.pool = TermPool(pool_dir, limit_mb)
    return ix, writer


def _section_schema(spelling: Mapping):
    # "Did you mean" reads the entries index only: the sections index needs no spelling words.
    return build_schema(spelling, store_body=True, spell_words=False, index_keys=False)


def _write_sections(directory: Path, lexicon_data: dict, docs: list[dict], limit_mb: float) -> int:
    """Write the sections index from its documents' plain fields: what a child process runs."""
    lexicon = Lexicon.from_data(lexicon_data)
    ix, writer = _open_writer(directory, _section_schema(lexicon.spelling), directory.parent, limit_mb)
    try:
        for doc in docs:
            writer.add_document(**doc)
        writer.commit(optimize=True)
    except BaseException:
        with contextlib.suppress(Exception):
            writer.cancel()
        raise
    finally:
        ix.close()
    return len(docs)


def _sections_child(conn) -> None:
    """Entry point of the sections process: one request in, ("ok", count) or ("error", text) out."""
    try:
        request = conn.recv()
        if request is None:  # the parent gave up before sending the work
            return
        count = _write_sections(**request)
        conn.send(("ok", count))
    except BaseException as exc:  # the parent turns this into a failed build
        import traceback

        with contextlib.suppress(Exception):
            conn.send(("error", f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}"))
    finally:
        conn.close()


class _SectionsProcess:
    """The sections index written by a spawned process while this one writes the entries index.

    Spawn, not fork: fork is unsafe in the threaded Qt app and unavailable on Windows. The process
    is started before the store is written so its interpreter start overlaps that work; it then
    receives the sections as plain dicts (cheap to pickle) and reports success or the error.
    """

    def __init__(self) -> None:
        import multiprocessing

        context = multiprocessing.get_context("spawn")
        self.conn, child_conn = context.Pipe()
        self.process = context.Process(
            target=_sections_child, args=(child_conn,), name="vademecum-sections", daemon=True
        )
        try:
            self.process.start()
        finally:
            child_conn.close()

    def send(self, request: dict) -> None:
        self.conn.send(request)

    def result(self) -> int:
        """Wait for the child; raise RuntimeError with its message if it failed or died."""
        try:
            status, value = self.conn.recv()
        except (EOFError, OSError) as exc:
            self.process.join(5)
            raise RuntimeError(
                f"the sections index process stopped without a result (exit code {self.process.exitcode})"
            ) from exc
        finally:
            self.conn.close()
        self.process.join(5)
        if status != "ok":
            raise RuntimeError(f"the sections index could not be written: {value}")
        return value

    def abandon(self) -> None:
        """Stop the child (the build failed in this process)."""
        with contextlib.suppress(Exception):
            self.conn.send(None)
        with contextlib.suppress(Exception):
            self.conn.close()
        self.process.terminate()
        self.process.join(5)


def _start_sections_process(entry_count: int) -> _SectionsProcess | None:
    """A sections process for a corpus big enough to gain from one, or None (then build in-process)."""
    if entry_count < PARALLEL_MIN_ENTRIES or (os.cpu_count() or 1) < 2:  # one core: no overlap to gain
        return None
    try:
        return _SectionsProcess()
    except Exception as exc:  # no process could start (frozen app quirk, limits): build in-process
        _log.warning("building the sections index in-process: no child process could start: %s", exc)
        return None


def _write_whoosh(
    corpus: Corpus,
    directory: Path,
    store: Path,
    lexicon: Lexicon,
    progress: Progress | None,
    sections_process: _SectionsProcess | None = None,
) -> int:
    """Two indexes: entries (ranked) and sections (to name the matching section and make snippets).

    Separate indexes keep the ranking query off the section postings entirely: measured 2x faster
    than one index filtered by document type. The sections' plain text is read back from the store
    just written rather than extracted from the Markdown a second time. With a sections process the
    sections index is written there, from the same documents, while this process writes the entries.
    """
    from index.rendering import plain_text  # markdown-it: a build needs it, opening an index does not

    entries = sorted(corpus.entries.values(), key=lambda e: e.id)
    texts = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    try:
        section_texts = {entry.id: [] for entry in entries}
        for entry_id, text in texts.execute("select entry_id, text from sections order by entry_id, ordinal"):
            if entry_id in section_texts:
                section_texts[entry_id].append(text)
    finally:
        texts.close()
    prepared = []  # (entry, summary, [(section, text)], section documents)
    for entry in entries:
        found = section_texts[entry.id]
        if len(found) != len(entry.sections):
            raise RuntimeError(f"store and corpus disagree on the sections of {entry.id}")
        sections = list(zip(entry.sections, found, strict=True))
        summary = plain_text(entry.summary)
        common = _common_fields(entry)
        section_docs = []
        for section, text in [(None, summary), *sections]:
            heading = section.heading if section else "Summary"
            anchor = section.anchor if section else "summary"
            section_docs.append(
                dict(
                    key=f"{entry.id}#{anchor}",
                    doctype=SECTION_DOC,
                    heading=heading,
                    anchor=anchor,
                    headings=heading,
                    body=text,
                    label=(section.label if section else "") or entry.label,
                    **common,
                )
            )
        prepared.append((entry, summary, sections, section_docs))
    section_count = sum(len(docs) for *_, docs in prepared)
    sections_dir = directory.parent / SECTIONS_DIR
    if sections_process is not None:
        docs = [doc for *_, entry_docs in prepared for doc in entry_docs]
        sections_process.send(
            {"directory": sections_dir, "lexicon_data": corpus.lexicon, "docs": docs, "limit_mb": WRITER_LIMIT_MB}
        )

    entry_schema = build_schema(lexicon.spelling, store_body=False)
    name_analyzer = entry_schema["title"].analyzer
    entries_ix, entry_writer = _open_writer(directory, entry_schema, directory.parent, WRITER_LIMIT_MB)
    section_writer = None
    if sections_process is None:
        sections_ix, section_writer = _open_writer(
            sections_dir, _section_schema(lexicon.spelling), directory.parent, WRITER_LIMIT_MB
        )
    spelling = _SpellingWordsOnce(entry_writer, "body")
    exact_names = exact_analyzer(lexicon.spelling)
    total = len(prepared)
    try:
        for number, (entry, summary, sections, section_docs) in enumerate(prepared, start=1):
            names = [entry.title, *entry.aliases]
            exact = ",".join(p for p in (" ".join(t.text for t in exact_names(n)) for n in names) if p)
            body = "\n".join(text for _, text in sections)
            spelling.add(body)
            entry_writer.add_document(
                key=entry.id,
                doctype=ENTRY_DOC,
                exact=exact,
                title=entry.title,
                aliases="\n".join(entry.aliases),
                headings="\n".join(s.heading for s in entry.sections),
                summary=summary,
                body=body,
                prefix="\n".join(names),
                name_terms="|".join(" ".join(t.text for t in name_analyzer(n)) for n in names),
                label=entry.label,
                **_common_fields(entry),
            )
            if section_writer is not None:
                for doc in section_docs:
                    section_writer.add_document(**doc)
            # With a sections process the last step is reported once that process is done.
            if progress and (section_writer is not None or number < total):
                progress(number, total, entry.title)
        spelling.finish()
        entry_writer.commit(optimize=True)
        if section_writer is not None:
            section_writer.commit(optimize=True)
        else:
            sections_process.result()
            if progress and prepared:
                progress(total, total, prepared[-1][0].title)
    except BaseException:
        for writer in (entry_writer, section_writer):
            if writer is not None:
                with contextlib.suppress(Exception):
                    writer.cancel()
        raise
    finally:
        entries_ix.close()
        if section_writer is not None:
            sections_ix.close()
    return total + section_count


def _common_fields(entry) -> dict[str, str]:
    """The fields an entry's document and its sections' documents share."""
    return {
        "entry_id": entry.id,
        "kind": entry.kind,
        "urgency": entry.urgency or "",
        "origin": "local" if entry.origin == "local" or entry.has_local else "curated",
        "tags": ",".join(entry.tags),
    }


def build_generation(
    corpus: Corpus,
    index_root: Path,
    *,
    fingerprint: str,
    progress: Progress | None = None,
    problems: list[Problem] | None = None,
) -> Path:
    """Build store + index into a new generation and make it CURRENT. Returns its directory.

    problems (refused packs, say) are stored in the manifest: see stored_problems().
    """
    problems = [*(problems or []), *_prepare_root(index_root)]
    lexicon = Lexicon.from_data(corpus.lexicon)
    stamp = time.strftime("%Y%m%dT%H%M%S")
    temp = Path(tempfile.mkdtemp(prefix=".building-", dir=index_root))
    sections_process = None
    try:
        # Started first: its interpreter starts while this process writes the store.
        sections_process = _start_sections_process(len(corpus.entries))
        from index.store import write_store  # sqlite-utils' writer and markdown-it: only to build

        write_store(corpus, temp / STORE_FILE, fingerprint=fingerprint)
        doc_count = _write_whoosh(corpus, temp / WHOOSH_DIR, temp / STORE_FILE, lexicon, progress, sections_process)
        sections_process = None  # done
        files = {
            str(path.relative_to(temp)).replace(os.sep, "/"): sha256_file(path)
            for path in sorted(temp.rglob("*"))
            if path.is_file() and path.name != "MAIN_WRITELOCK"
        }
        manifest = Manifest(
            schema_version=SCHEMA_VERSION,
            content_version=corpus.version,
            fingerprint=fingerprint,
            doc_count=doc_count,
            entry_count=len(corpus.entries),
            built_at=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            files=files,
            problems=[asdict(p) for p in problems],
        )
        (temp / MANIFEST).write_text(json.dumps(asdict(manifest), indent=2), encoding="utf-8")
        final = index_root / f"gen-{stamp}-{fingerprint[:10]}-{temp.name.rsplit('-', 1)[-1]}"
        os.replace(temp, final)
    except BaseException:
        if sections_process is not None:
            sections_process.abandon()
        shutil.rmtree(temp, ignore_errors=True)
        raise
    set_current(index_root, final)
    prune(index_root)
    return final


def _prepare_root(index_root: Path) -> list[Problem]:
    """Make sure the index root is a directory. Something else in its place (a file left by
    hand or by another program) is moved aside, not deleted, and reported."""
    problems: list[Problem] = []
    if index_root.is_symlink() and not index_root.exists():
        index_root.unlink()  # a dangling link
    elif index_root.exists() and not index_root.is_dir():
        aside = index_root.with_name(f"{index_root.name}.not-a-directory-{time.strftime('%Y%m%dT%H%M%S')}")
        try:
            os.replace(index_root, aside)
        except OSError as exc:
            raise IndexUnavailableError(
                f"the index location {index_root} is a file, not a directory, and cannot be moved: {exc}"
            ) from exc
        problems.append(
            Problem(str(index_root), 1, f"the index location was a file, not a directory: moved aside to {aside.name}")
        )
    index_root.mkdir(parents=True, exist_ok=True)
    return problems


def set_current(index_root: Path, generation: Path) -> None:
    """Point CURRENT at a generation with an atomic replace: readers see old or new, never half."""
    target = index_root / CURRENT
    if target.is_dir() and not target.is_symlink():
        shutil.rmtree(target)  # a directory named CURRENT: os.replace cannot overwrite it
    fd, temp = tempfile.mkstemp(prefix=".current-", dir=index_root)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(generation.name + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def current_generation(index_root: Path) -> Path | None:
    """The generation CURRENT names, or None if CURRENT is missing or odd in any way (not a regular
    file, too long, not UTF-8, not a generation name, naming nothing): the caller then rebuilds."""
    pointer = index_root / CURRENT
    try:
        if not stat.S_ISREG(os.lstat(pointer).st_mode):
            return None
        name = read_text(pointer, max_bytes=MAX_CURRENT_BYTES).strip()
    except (OSError, UnsafeFileError):
        return None
    if not GENERATION_NAME.fullmatch(name):
        return None
    path = index_root / name
    return path if path.is_dir() and not path.is_symlink() else None


def newest_sound_generation(index_root: Path, *, check_hashes: bool = True) -> Path | None:
    """The most recently built generation that verifies (whatever content it was built from).

    For a stale-index fallback: when the current one is unusable and a rebuild is impossible
    (read-only cache, disk full), a sound older index still answers. None if there is none.
    """
    try:
        candidates = [p for p in index_root.iterdir() if GENERATION_NAME.fullmatch(p.name) and p.is_dir()]
    except OSError:
        return None
    for generation in sorted(candidates, key=_built_order, reverse=True):
        try:
            verify(generation, check_hashes=check_hashes)
        except (IndexUnavailableError, OSError):
            continue
        return generation
    return None


def _built_order(generation: Path) -> tuple[str, int]:
    """Newest first: the name's timestamp has one-second resolution (two builds can share it), so
    the directory's modification time, set when its last file was written, breaks the tie."""
    try:
        return generation.name[4:19], generation.stat().st_mtime_ns
    except OSError:
        return generation.name[4:19], 0


def verify(generation: Path, *, fingerprint: str | None = None, check_hashes: bool = True) -> Manifest:
    """Raise IndexUnavailableError unless the generation is complete, current and undamaged."""
    manifest = Manifest.read(generation)
    if manifest.schema_version != SCHEMA_VERSION:
        raise IndexUnavailableError(f"index schema {manifest.schema_version}, app expects {SCHEMA_VERSION}")
    for name, expected in manifest.files.items():
        path = generation / str(name)
        if ".." in Path(str(name)).parts or not path.is_file():
            raise IndexUnavailableError(f"index file missing: {name}")
        try:
            if check_hashes and sha256_file(path) != expected:
                raise IndexUnavailableError(f"index file damaged (checksum mismatch): {name}")
        except (OSError, UnsafeFileError) as exc:
            raise IndexUnavailableError(f"index file unreadable: {name}: {exc}") from exc
    if fingerprint is not None and manifest.fingerprint != fingerprint:
        raise StaleIndexError("index is stale: the content changed since it was built")
    return manifest


def prune(index_root: Path, keep: int = KEEP_GENERATIONS, *, grace_s: float = PRUNE_GRACE_S) -> None:
    """Delete old generations and abandoned builds.

    A generation younger than the grace period is never deleted, whatever its rank: another
    process (a second instance, a CLI run) may have just built it and be about to open it.
    Files still open elsewhere are left alone (Windows refuses; POSIX readers keep their copy).
    """
    current = current_generation(index_root)
    now = time.time()
    generations = sorted(
        (p for p in index_root.glob("gen-*") if p.is_dir() and not p.is_symlink()), key=lambda p: p.stat().st_mtime
    )
    stale = [
        p for p in generations[: max(0, len(generations) - keep)] if p != current and now - p.stat().st_mtime > grace_s
    ]
    stale += [p for p in index_root.glob(".building-*") if p.is_dir() and now - p.stat().st_mtime > grace_s]
    for path in stale:
        with contextlib.suppress(OSError):
            shutil.rmtree(path)
