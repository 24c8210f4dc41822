"""Open the content library: find or build the current generation, verify it, serve searches.

This is what the CLI and the desktop call. A missing, stale or damaged index is rebuilt from the
content files (never silently used), and the reason is reported so the UI can say so briefly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from whoosh.index import IndexError as WhooshIndexError

from index.builder import IndexUnavailableError, Progress, build_generation, current_generation, verify
from index.content import corpus_fingerprint, load_corpus
from index.model import Problem
from index.paths import AppDirs, bundled_resources
from index.search import SearchService
from index.store import EntryPage

OPEN_ERRORS = (IndexUnavailableError, WhooshIndexError, OSError, EOFError, ValueError, KeyError, Exception)


@dataclass
class OpenReport:
    rebuilt: bool
    reason: str  # why it was rebuilt, for a short notice ("" when the index was fine)
    problems: list[Problem]


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
    progress: Progress | None = None,
    force_rebuild: bool = False,
    on_rebuild: Callable[[str], None] | None = None,
) -> Library:
    """Open the current generation if it is sound and up to date; otherwise rebuild it first."""
    content_dir = content_dir or bundled_resources() / "content"
    fingerprint = corpus_fingerprint(content_dir)
    index_root = dirs.index_root
    reason = "forced rebuild" if force_rebuild else ""
    generation = None if force_rebuild else current_generation(index_root)
    if generation is None and not reason:
        reason = "no index built yet"
    if generation is not None:
        try:
            verify(generation, fingerprint=fingerprint)
        except IndexUnavailableError as exc:
            reason, generation = str(exc), None
    corpus = None
    problems: list[Problem] = []
    if generation is not None:
        try:
            return Library(_open_service(generation), OpenReport(False, "", problems))
        except OPEN_ERRORS as exc:  # Whoosh raises many kinds on damaged files
            reason = f"index could not be opened ({type(exc).__name__}: {exc})"
    if on_rebuild:
        on_rebuild(reason)
    corpus = load_corpus(content_dir)
    problems = corpus.problems
    generation = build_generation(corpus, index_root, fingerprint=fingerprint, progress=progress)
    return Library(_open_service(generation), OpenReport(True, reason, problems))


def _open_service(generation: Path) -> SearchService:
    return SearchService(generation)
