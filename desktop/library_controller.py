"""The library controller: opens the library and the user's data on the worker thread, runs every
question to them there, rebuilds in the background and swaps, and reports through signals.

Nothing here touches a widget, and nothing outside touches the library or the user data: both
SQLite connections are only ever used from the worker thread.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from desktop.tasks import TaskRunner
from index.library import EntryPage, Library, OpenReport, Sources, UserData, open_library
from index.model import LibraryStats, SearchRequest, SearchResults

log = logging.getLogger("vademecum.controller")


@dataclass(frozen=True)
class Opening:
    """A request to show an entry: from a hit (anchor, query to mark), a link, or history."""

    entry_id: str
    anchor: str = ""
    query: str = ""
    record: bool = True  # False when moving through history
    scroll: int = -1  # where the reader was (history); -1: the anchor or the top


@dataclass(frozen=True)
class LoadedEntry:
    page: EntryPage
    marked: set[str]
    note: str
    bookmarked: bool


class LibraryController(QObject):
    opened = Signal()  # library and user data are ready
    failed = Signal(str)  # the library could not be opened
    notice = Signal(str, int)  # a status line, and how long to show it (ms; 0 = until replaced)
    progress = Signal(int, int)  # done, total while building (0, 0: busy, count unknown)
    rebuilt = Signal()  # a background rebuild finished and the new index is in use
    results_ready = Signal(object)  # SearchResults for the newest request only
    entry_loaded = Signal(object, object)  # Opening, LoadedEntry
    browse_ready = Signal(list, dict)  # BrowseItem list, tag id → label
    lists_ready = Signal(list, list)  # bookmarks, recent: (entry id, title) pairs
    bookmark_changed = Signal(bool)
    userdata_changed = Signal()  # a note was saved

    def __init__(self, src: Sources, runner: TaskRunner | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.sources = src
        self.runner = runner or TaskRunner(self)
        self.library: Library | None = None
        self.userdata: UserData | None = None
        self._request = 0
        self._pending: SearchRequest | None = None

    # -- open, rebuild, swap ---------------------------------------------------------------------
    def start(self) -> None:
        self.notice.emit("Opening the library…", 0)

        def open_all():
            library = open_library(
                self.sources,
                progress=lambda done, total, _title: self.runner.post(self._progress, (done, total)),
                on_rebuild=lambda reason: self.runner.post(self._rebuilding, reason),
                stale_ok=True,
            )
            return library, UserData(self.sources.dirs.user_db), (library.browse(), library.tag_labels())

        self.runner.run(open_all, self._opened, self._failed)

    def _progress(self, value: tuple[int, int]) -> None:
        self.progress.emit(*value)

    def _rebuilding(self, reason: str) -> None:
        self.notice.emit(f"Building the search index ({reason})…", 0)
        self.progress.emit(0, 0)

    def _failed(self, message: str) -> None:
        self.failed.emit(message)

    def _opened(self, opened) -> None:
        self.library, self.userdata, items = opened
        report = self.library.report
        if report.stale:
            self._rebuild_in_background()
        note = " (index rebuilt)" if report.rebuilt else ""
        self.notice.emit(
            f"{self.library.entry_count} entries · content version {self.library.content_version}{note}", 8000
        )
        self._report(report)
        self.browse_ready.emit(*items)
        self.refresh_lists()
        self.opened.emit()
        if self._pending is not None:
            self.search(self._pending)

    def _rebuild_in_background(self) -> None:
        """Content or packs changed: validate and rebuild on a thread of its own while searches go on."""
        self.notice.emit("Local content changed — updating the index in the background…", 0)

        def work() -> None:
            try:
                library = open_library(self.sources, force_rebuild=True)
            except Exception as exc:  # keep the old index; say why
                log.exception("background rebuild failed")
                self.runner.post(lambda message: self.notice.emit(message, 0), f"Index update failed: {exc}")
                return
            self.runner.post(self._swap, library)

        threading.Thread(target=work, name="vademecum-rebuild", daemon=True).start()

    def _swap(self, library: Library) -> None:
        old, self.library = self.library, library
        self.runner.run(old.close)  # after the searches already queued on the old one
        self.runner.run(lambda: (library.browse(), library.tag_labels()), lambda b: self.browse_ready.emit(*b))
        self.notice.emit("Index updated", 5000)
        self._report(library.report)
        self.rebuilt.emit()

    def _report(self, report: OpenReport) -> None:
        """Problems go to the log; a refused pack or an unreadable policy also to the status line."""
        for problem in report.problems:
            log.warning("%s", problem)
        messages = list(report.refused_packs)
        if messages:
            self.notice.emit(" · ".join(messages) + " — the app runs on without it", 15000)
        if self.sources.policy.problem:
            log.warning("%s", self.sources.policy.problem)
            self.notice.emit(f"Machine policy not applied: {self.sources.policy.problem}", 15000)

    # -- questions to the library ----------------------------------------------------------------
    def search(self, request: SearchRequest) -> None:
        """Search on the worker; an answer older than one already shown is dropped."""
        if self.library is None:
            self._pending = request
            return
        self._pending = None
        self._request += 1
        number = self._request
        if not request.query.strip():
            self.results_ready.emit(SearchResults(query="", hits=[], total=0))
            return
        library = self.library
        self.runner.run(lambda: library.search(request), lambda results: self._answer(number, results))

    def _answer(self, number: int, results: SearchResults) -> None:
        if number == self._request:  # a newer request is on its way or already shown
            self.results_ready.emit(results)

    def load_entry(self, opening: Opening) -> None:
        library, userdata = self.library, self.userdata
        if library is None:
            return

        def load() -> LoadedEntry | None:
            page = library.entry(opening.entry_id)
            if page is None:
                return None
            words = re.findall(r"\w+", " ".join(s.text for s in page.sections) + " " + page.title)
            marked = library.matching_words(opening.query, words) if opening.query else set()
            note = userdata.note(page.id) if userdata else ""
            bookmarked = userdata.is_bookmarked(page.id) if userdata else False
            if userdata and opening.record:
                userdata.record_visit(page.id, page.title)
            return LoadedEntry(page, marked, note, bookmarked)

        def done(loaded: LoadedEntry | None) -> None:
            if loaded is None:
                self.notice.emit(f"No entry '{opening.entry_id}'", 5000)
                return
            self.entry_loaded.emit(opening, loaded)
            self.refresh_lists()

        self.runner.run(load, done)

    def ask(self, question: Callable[[Library], object], answer: Callable[[object], None]) -> None:
        """Any other read (stats, symptoms, profiles, pathways) on the worker, answered on the GUI thread."""
        library = self.library
        if library is not None:
            self.runner.run(lambda: question(library), answer)

    def stats(self, answer: Callable[[LibraryStats], None]) -> None:
        self.ask(Library.stats, answer)

    # -- the user's data -------------------------------------------------------------------------
    def toggle_bookmark(self, entry_id: str, title: str) -> None:
        userdata = self.userdata
        if userdata is None:
            return

        def done(state: bool) -> None:
            self.bookmark_changed.emit(state)
            self.notice.emit("Bookmarked" if state else "Bookmark removed", 3000)
            self.refresh_lists()

        self.runner.run(lambda: userdata.toggle_bookmark(entry_id, title), done)

    def save_note(self, entry_id: str, title: str, text: str) -> None:
        userdata = self.userdata
        if userdata is not None:
            self.runner.run(lambda: userdata.set_note(entry_id, title, text), lambda _r: self.userdata_changed.emit())

    def refresh_lists(self) -> None:
        userdata = self.userdata
        if userdata is None:
            return
        self.runner.run(
            lambda: ([(b.entry_id, b.title) for b in userdata.bookmarks()], userdata.recent()),
            lambda lists: self.lists_ready.emit(*lists),
        )

    def export_userdata(self, path: Path, done: Callable[[str], None], on_error: Callable[[str], None]) -> None:
        """Write bookmarks and notes (JSON, or Markdown for a .md file) from the worker thread."""
        userdata = self.userdata
        if userdata is None:
            return

        def write() -> str:
            text = userdata.export_markdown() if path.suffix.lower() == ".md" else userdata.export_json()
            path.write_text(text, encoding="utf-8")
            return str(path)

        self.runner.run(write, done, on_error)

    def import_userdata(
        self, path: Path, done: Callable[[tuple[int, int]], None], on_error: Callable[[str], None]
    ) -> None:
        userdata = self.userdata
        if userdata is None:
            return

        def read() -> tuple[int, int]:
            return userdata.import_json(path.read_text(encoding="utf-8"))

        def imported(counts: tuple[int, int]) -> None:
            self.refresh_lists()
            done(counts)

        self.runner.run(read, imported, on_error)

    def close(self) -> None:
        """Close both databases on the worker (after queued work), then stop it."""
        userdata, library = self.userdata, self.library
        if userdata is not None:
            self.runner.run(userdata.close)
        if library is not None:
            self.runner.run(library.close)
        self.runner.shutdown()
        self.userdata = self.library = None
