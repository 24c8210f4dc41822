"""Open the content library: find or build the current generation, verify it, serve searches.

This is what the CLI and the desktop call. A missing, stale or damaged index is rebuilt from the
content files (never silently used), and the reason is reported so the UI can say so briefly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from whoosh.index import IndexError as WhooshIndexError

from index.builder import (
    IndexUnavailableError,
    Progress,
    StaleIndexError,
    build_generation,
    current_generation,
    stored_problems,
    verify,
)
from index.content import corpus_fingerprint, load_corpus
from index.model import Problem
from index.packs import find_packs, load_packs
from index.paths import AppDirs, bundled_resources
from index.search import SearchService
from index.store import EntryPage

OPEN_ERRORS = (IndexUnavailableError, WhooshIndexError, OSError, EOFError, ValueError, KeyError, Exception)


@dataclass
class OpenReport:
    rebuilt: bool
    reason: str  # why it was rebuilt, for a short notice ("" when the index was fine)
    problems: list[Problem]
    stale: bool = False  # opened as it was, although the content changed: rebuild in the background

    @property
    def refused_packs(self) -> list[str]:
        return [p.message for p in self.problems if "refused" in p.message]


class Library:
    """The opened content: search, pages and metadata from one verified generation."""

    def __init__(self, service: SearchService, report: OpenReport) -> None:
        self.service = service
        self.report = report
        self.meta = service.meta

    @property
    def content_version(self) -> str:
        return self.meta.get("content_version", "")

    def search(self, query: str, **kwargs):
        return self.service.search(query, **kwargs)

    def matching_words(self, query: str, words: list[str]) -> set[str]:
        return self.service.matching_words(query, words)

    def entry(self, entry_id: str) -> EntryPage | None:
        return self.service.store.entry(entry_id)

    def close(self) -> None:
        self.service.close()


def open_library(
    dirs: AppDirs,
    *,
    content_dir: Path | None = None,
    packs: list[Path] | None = None,
    progress: Progress | None = None,
    force_rebuild: bool = False,
    stale_ok: bool = False,
    on_rebuild: Callable[[str], None] | None = None,
) -> Library:
    """Open a sound, current generation: the one shipped with the app, else the user's cached one;
    if neither is usable, rebuild into the user's cache and say why.

    With stale_ok, a sound generation built from other content (a pack added, changed or removed)
    is opened as it is and report.stale is set: the caller rebuilds in the background and swaps,
    so search keeps working meanwhile.
    """
    bundled_content = bundled_resources() / "content"
    content_dir = Path(content_dir) if content_dir else bundled_content
    pack_dirs = find_packs(list(packs or []))
    fingerprint = corpus_fingerprint(content_dir, pack_dirs)
    reason = "forced rebuild" if force_rebuild else ""
    # The shipped index only ever describes the shipped content without packs.
    shipped = [bundled_index_root()] if content_dir.resolve() == bundled_content.resolve() and not pack_dirs else []
    if not force_rebuild:
        for index_root in (*shipped, dirs.index_root):
            generation = current_generation(index_root)
            if generation is None:
                continue
            try:
                verify(generation, fingerprint=fingerprint)
                return Library(SearchService(generation), OpenReport(False, "", stored_problems(generation)))
            except StaleIndexError as exc:
                if stale_ok and index_root == dirs.index_root:
                    library = Library(
                        SearchService(generation), OpenReport(False, str(exc), stored_problems(generation))
                    )
                    library.report.stale = True
                    return library
                reason = str(exc)
            except OPEN_ERRORS as exc:  # Whoosh raises many kinds on damaged files
                if index_root == dirs.index_root or not reason:
                    reason = (
                        str(exc)
                        if isinstance(exc, IndexUnavailableError)
                        else (f"index could not be opened ({type(exc).__name__}: {exc})")
                    )
        reason = reason or "no index built yet"
    if on_rebuild:
        on_rebuild(reason)
    corpus = load_corpus(content_dir)
    _, pack_problems = load_packs(corpus, pack_dirs)
    generation = build_generation(
        corpus, dirs.index_root, fingerprint=fingerprint, progress=progress, problems=pack_problems
    )
    # stored_problems: the pack refusals plus anything the build itself reported
    return Library(SearchService(generation), OpenReport(True, reason, corpus.problems + stored_problems(generation)))


def pack_directories(dirs: AppDirs, extra: list[Path] | None = None) -> list[Path]:
    """Where packs come from: the user's data dir (packs/), then any given (CLI, admin policy)."""
    return [dirs.data / "packs", *(extra or [])]


def bundled_index_root() -> Path:
    """Where a packaged build ships its prebuilt, read-only index (see `build-index --bundled`)."""
    return bundled_resources() / "index"
