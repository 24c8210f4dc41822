"""The one seam the CLI and the desktop use: open a verified generation and ask it typed questions.

`open_library(sources(...))` finds or builds the current generation; a missing, stale or damaged
index is rebuilt from the content (never silently used), and the reason is reported so the UI can
say so briefly. Callers never see the store, Whoosh or the resources/ files: everything they show
comes from `Library` methods that return plain dataclasses.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from index.logs import configure_logging, get_logger
from index.model import LibraryStats, Problem, SearchRequest, SearchResults
from index.paths import APP_AUTHOR, APP_NAME, AppDirs, bundled_resources, documents_dir

if TYPE_CHECKING:
    from index.builder import Progress
    from index.clinical import BrowseItem, Pathway, PathwayStep, ProfileMatch
    from index.content_update import ContentRelease
    from index.packs import find_packs, is_personal_label
    from index.policy import Policy
    from index.search import SearchService
    from index.sources import Sources, sources
    from index.store import EntryPage
    from index.study import (
        RATINGS,
        ListProgress,
        Retention,
        StudyCard,
        StudyMaterial,
        StudyStore,
        load_study_material,
    )
    from index.userdata import ImportRefusedError, UserData, UserDataError, UserDataWriteError

_LAZY = {
    # Re-exported for the desktop, imported on first use: opening the window needs none of the
    # study scheduler, the signing library, the store writer or the Markdown renderer.
    **dict.fromkeys(("BrowseItem", "Pathway", "PathwayStep", "ProfileMatch"), "index.clinical"),
    "ContentRelease": "index.content_update",
    **dict.fromkeys(("find_packs", "is_personal_label"), "index.packs"),
    "Policy": "index.policy",
    "SearchService": "index.search",
    **dict.fromkeys(("Sources", "sources"), "index.sources"),
    "EntryPage": "index.store",
    **dict.fromkeys(
        (
            "RATINGS",
            "ListProgress",
            "Retention",
            "StudyCard",
            "StudyMaterial",
            "StudyStore",
            "load_study_material",
        ),
        "index.study",
    ),
    **dict.fromkeys(("ImportRefusedError", "UserData", "UserDataError", "UserDataWriteError"), "index.userdata"),
}


def __getattr__(name: str) -> Any:
    """PEP 562: the re-exported names above, imported from their module when first asked for."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "APP_AUTHOR",
    "APP_NAME",
    "AppDirs",
    "BrowseItem",
    "EntryPage",
    "ImportRefusedError",
    "Library",
    "OpenReport",
    "ListProgress",
    "Pathway",
    "PathwayStep",
    "RATINGS",
    "Retention",
    "StudyCard",
    "StudyMaterial",
    "StudyStore",
    "Policy",
    "ProfileMatch",
    "Sources",
    "UserData",
    "UserDataError",
    "UserDataWriteError",
    "app_icon",
    "ContentRelease",
    "configure_logging",
    "disclaimer_text",
    "documents_dir",
    "entry_stylesheet",
    "export_anki",
    "find_packs",
    "is_personal_label",
    "load_study_material",
    "open_library",
    "sources",
]

log = get_logger("library")


def export_anki(material: StudyMaterial, path: Path, *, list_id: str | None = None) -> int:
    """Study mode's Anki export (genanki, imported only when used): one list's cards, or all."""
    from index.anki import export_anki as write

    return write(material.corpus, path, reading_list=material.reading_list(list_id) if list_id else None)


@dataclass
class OpenReport:
    rebuilt: bool
    reason: str  # why it was rebuilt, for a short notice ("" when the index was fine)
    problems: list[Problem] = field(default_factory=list)
    stale: bool = False  # opened as it was, although the content changed: rebuild in the background
    # Why an older sound index answers instead of a current one (a rebuild was impossible): "" if not.
    fallback: str = ""

    @property
    def refused_packs(self) -> list[str]:
        from index.sources import PACK_REFUSED

        return [p.message for p in self.problems if p.code == PACK_REFUSED]

    @property
    def pack_problems(self) -> list[Problem]:
        from index.sources import is_pack_problem

        return [p for p in self.problems if is_pack_problem(p)]


class Library:
    """The opened content: search, pages and clinical views from one verified generation.

    Not thread-safe for the store: use one Library from one thread at a time (the app's worker).
    """

    def __init__(self, service: SearchService, report: OpenReport, release: ContentRelease | None = None) -> None:
        self.service = service
        self.report = report
        self.meta = service.meta
        self.release = release  # the curated content release in use (None: a --content directory)

    @property
    def content_date(self) -> str:
        """The date of the curated content release in use ("" for a --content directory)."""
        return self.release.date if self.release else ""

    @property
    def content_source(self) -> str:
        """ "shipped" (installed with the app), "update" (a content file installed later) or "custom"."""
        return self.release.source if self.release else "custom"

    @property
    def schema_version(self) -> str:
        """The index schema of this generation (what --version reports with the content version)."""
        return self.meta.get("schema_version", "")

    @property
    def generation(self) -> Path:
        return self.service.generation

    @property
    def content_version(self) -> str:
        return self.meta.get("content_version", "")

    @property
    def entry_count(self) -> int:
        return int(self.meta.get("entry_count") or 0)

    def search(self, request: SearchRequest | str, /, **filters) -> SearchResults:
        """Ranked entries; a failure of the engine comes back as results.error (and in the log),
        never as an empty list that would read "No results"."""
        if isinstance(request, str):
            request = SearchRequest.of(request, **filters)
        try:
            results = self.service.search(request.query, limit=request.limit, **request.filters())
        except Exception as exc:
            log.exception("search failed for %r", request.query)
            return SearchResults(query=request.query, hits=[], total=0, error=f"Search failed: {exc}")
        if results.error:
            log.error("search failed for %r: %s", request.query, results.error)
        return results

    def matching_words(self, query: str, words: list[str]) -> set[str]:
        """Which of these words (from a page) the query matches: they are marked in the reader."""
        return self.service.matching_words(query, words)

    def entry(self, entry_id: str) -> EntryPage | None:
        """One entry's page; its content version names the release date too (every page, print
        and PDF footer says which content release it comes from)."""
        page = self.service.store.entry(entry_id)
        if page is not None and self.content_date and page.content_version == self.content_version:
            page.content_version = f"{page.content_version} of {self.content_date}"
        return page

    def browse(self) -> list[BrowseItem]:
        from index.clinical import browse_items

        return browse_items(self.service.store)

    def symptoms(self) -> dict[str, str]:
        """Symptom id → label, as validated with this generation's content."""
        return dict(json.loads(self.meta.get("symptoms") or "{}"))

    def tag_labels(self) -> dict[str, str]:
        """Tag id → the name a person reads ("labor-ward" → "Labor ward"); an index built before
        the labels were stored falls back to the id made readable."""
        labels = dict(json.loads(self.meta.get("tag_labels") or "{}"))
        for item in self.browse():
            for tag in item.tags:
                labels.setdefault(tag, tag.replace("-", " ").capitalize())
        return labels

    def profiles(self, symptoms: list[str], hours_since: float | None) -> list[ProfileMatch]:
        from index.clinical import find_profiles

        return find_profiles(self.service.store, symptoms, hours_since, self.service.profiles())

    def pathways(self) -> list[Pathway]:
        """The pathways stored with this generation; boxes whose entry is missing are dropped."""
        from index.clinical import Pathway, PathwayStep

        titles = self.service.store.titles()
        pathways = []
        for item in json.loads(self.meta.get("pathways") or "[]"):
            if not isinstance(item, dict) or "id" not in item:
                continue
            steps = []
            for step in item.get("steps") or []:
                if not isinstance(step, dict):
                    continue  # the validator reports it; the diagram draws what is sound
                boxes = tuple((b, titles[b]) for b in step.get("boxes") or [] if b in titles)
                if boxes:
                    steps.append(PathwayStep(boxes, str(step.get("note") or "")))
            pathways.append(
                Pathway(str(item["id"]), str(item.get("title", item["id"])), str(item.get("entry", "")), tuple(steps))
            )
        return pathways

    def stats(self) -> LibraryStats:
        counts: dict[str, int] = {}
        for item in self.browse():
            counts[item.kind] = counts.get(item.kind, 0) + 1
        references = self.service.store.db["refs"].count
        version = f"{self.content_version} of {self.content_date}" if self.content_date else self.content_version
        return LibraryStats(version, counts, references)

    def close(self) -> None:
        self.service.close()


def _open_reason(exc: Exception) -> str:
    from index.builder import IndexUnavailableError

    if isinstance(exc, IndexUnavailableError):
        return str(exc)
    return f"index could not be opened ({type(exc).__name__}: {exc})"


def open_library(
    src: Sources | AppDirs,
    *,
    content_dir: Path | None = None,
    packs: list[Path] | None = None,
    progress: Progress | None = None,
    force_rebuild: bool = False,
    stale_ok: bool = False,
    on_rebuild: Callable[[str], None] | None = None,
    fallback: bool = False,
) -> Library:
    """Open a sound, current generation: the one shipped with the app, else the user's cached one;
    if neither is usable, validate the content, rebuild into the user's cache and say why.

    With stale_ok, a sound generation built from other content (a pack added, changed or removed)
    is opened as it is and report.stale is set: the caller rebuilds in the background and swaps,
    so search keeps working meanwhile.

    With fallback, a rebuild that fails (read-only cache, full disk) opens the newest sound
    generation instead, whatever content it was built from, and report.fallback says why: an
    older index that answers beats no reference at all. Without a sound one the error is raised.

    Given AppDirs (not Sources), content_dir and packs name the sources directly, without the
    data dir's packs or the policy: what tests of the core use.
    """
    from index.sources import Sources, bundled_content_dir

    if isinstance(src, AppDirs):
        from index.content_update import shipped_release
        from index.packs import find_packs

        content = Path(content_dir) if content_dir else bundled_content_dir()
        release = None if content_dir else shipped_release()
        src = Sources(src, content, tuple(find_packs(list(packs or []))), release=release)
    library = _open(
        src, progress=progress, force_rebuild=force_rebuild, stale_ok=stale_ok, on_rebuild=on_rebuild, fallback=fallback
    )
    library.release = src.release
    for note in src.notes:  # e.g. a damaged content update set aside: said at every start
        log.warning("%s", note)
        library.report.problems.append(note)
    return library


def _open(
    src: Sources,
    *,
    progress: Progress | None,
    force_rebuild: bool,
    stale_ok: bool,
    on_rebuild: Callable[[str], None] | None,
    fallback: bool,
) -> Library:
    from index.builder import StaleIndexError, current_generation, stored_problems, verify
    from index.search import SearchService
    from index.sources import build, bundled_index_root

    fingerprint = src.fingerprint()
    reason = "forced rebuild" if force_rebuild else ""
    # The shipped index only ever describes the shipped content without packs.
    shipped = [bundled_index_root()] if src.bundled_content and not src.packs else []
    if not force_rebuild:
        for index_root in (*shipped, src.dirs.index_root):
            generation = current_generation(index_root)
            if generation is None:
                continue
            try:
                verify(generation, fingerprint=fingerprint)
                # refused packs are reported on every start, not only on the one that rebuilt
                return Library(SearchService(generation), OpenReport(False, "", stored_problems(generation)))
            except StaleIndexError as exc:
                if stale_ok and index_root == src.dirs.index_root:
                    report = OpenReport(False, str(exc), stored_problems(generation), stale=True)
                    return Library(SearchService(generation), report)
                reason = str(exc)
            except Exception as exc:  # Whoosh raises many kinds on damaged files
                if index_root == src.dirs.index_root or not reason:
                    reason = _open_reason(exc)
        reason = reason or "no index built yet"
    log.info("building the index: %s", reason)
    if on_rebuild:
        on_rebuild(reason)
    try:
        built = build(src, progress=progress)
    except Exception as exc:
        older = _newest_sound(src) if fallback else None
        if older is None:
            raise
        log.exception("the index could not be rebuilt; answering from %s", older.name)
        why = f"the index could not be rebuilt ({_one_line(exc)}); answering from the index built {_built_at(older)}"
        return Library(SearchService(older), OpenReport(False, reason, stored_problems(older), fallback=why))
    for problem in built.problems:
        log.warning("%s", problem)
    return Library(SearchService(built.generation), OpenReport(True, reason, built.problems))


def _newest_sound(src: Sources) -> Path | None:
    """The user's newest sound generation, else (for the shipped content) the shipped index."""
    from index.builder import newest_sound_generation
    from index.sources import bundled_index_root

    roots = [src.dirs.index_root] + ([bundled_index_root()] if src.bundled_content else [])
    for root in roots:
        generation = newest_sound_generation(root)
        if generation is not None:
            return generation
    return None


def _built_at(generation: Path) -> str:
    from index.builder import IndexUnavailableError, verify

    try:
        return verify(generation, check_hashes=False).built_at.replace("T", " ")[:16] or generation.name
    except (IndexUnavailableError, OSError):
        return generation.name


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 200 else text[:199] + "…"


def disclaimer_text() -> str:
    return (bundled_resources() / "disclaimer.md").read_text(encoding="utf-8")


def entry_stylesheet() -> str:
    """The CSS every entry page starts from (the theme adds its colours)."""
    return (bundled_resources() / "styles" / "entry.css").read_text(encoding="utf-8")


def app_icon() -> Path:
    return bundled_resources() / "icons" / "vademecum.png"
