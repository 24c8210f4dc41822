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
    """Open a sound, current generation: the one shipped with the app, else the user's cached one;
    if neither is usable, rebuild into the user's cache and say why."""
    bundled_content = bundled_resources() / "content"
    content_dir = Path(content_dir) if content_dir else bundled_content
    fingerprint = corpus_fingerprint(content_dir)
    reason = "forced rebuild" if force_rebuild else ""
    # The shipped index only ever describes the shipped content.
    shipped = [bundled_index_root()] if content_dir.resolve() == bundled_content.resolve() else []
    if not force_rebuild:
        for index_root in (*shipped, dirs.index_root):
            generation = current_generation(index_root)
            if generation is None:
                continue
            try:
                verify(generation, fingerprint=fingerprint)
                return Library(SearchService(generation), OpenReport(False, "", []))
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
    generation = build_generation(corpus, dirs.index_root, fingerprint=fingerprint, progress=progress)
    return Library(SearchService(generation), OpenReport(True, reason, corpus.problems))


def bundled_index_root() -> Path:
    """Where a packaged build ships its prebuilt, read-only index (see `build-index --bundled`)."""
    return bundled_resources() / "index"
