"""The library controller: opens the library and the user's data on the worker thread, runs every
question to them there, rebuilds in the background and swaps, and reports through signals.

Nothing here touches a widget, and nothing outside touches the library or the user data: both
SQLite connections are only ever used from the worker thread.
"""

from __future__ import annotations

import contextlib
import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from desktop.tasks import TaskRunner
from index.library import (
    EntryPage,
    Library,
    OpenReport,
    Sources,
    UserData,
    UserDataError,
    open_library,
)
from index.model import LibraryStats, SearchRequest, SearchResults

log = logging.getLogger("vademecum.controller")
WARM_UP_QUERY = "headache"  # a common bedside word: a typical search, not the cheapest one
SEARCH_WARM_UP_LIMIT = 50  # as many hits as the result list asks for


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
    note_readable: bool = True  # False: the stored note could not be read, so it must not be overwritten
    problems: tuple[str, ...] = ()  # user-data reads or writes that failed while loading (told to the user)


class LibraryController(QObject):
    opened = Signal()  # library and user data are ready
    failed = Signal(str)  # the library could not be opened
    notice = Signal(str, int)  # a status line, and how long to show it (ms; 0 = until replaced)
    progress = Signal(int, int)  # done, total while building (0, 0: busy, count unknown)
    rebuilt = Signal()  # a background rebuild finished and the new index is in use
    results_ready = Signal(object)  # SearchResults for the newest request only
    searched = Signal(float)  # how long the last search ran on the worker (ms), dropped ones too
    entry_loaded = Signal(object, object)  # Opening, LoadedEntry
    browse_ready = Signal(list, dict)  # BrowseItem list, tag id → label
    lists_ready = Signal(list, list)  # bookmarks, recent: (entry id, title) pairs
    bookmark_changed = Signal(bool)
    userdata_changed = Signal()  # a note was saved
    # -- user data trouble: the reference goes on, the user is told at once, nothing typed is lost
    userdata_notices = Signal(list)  # what to tell the user once about their bookmarks and notes file
    userdata_failed = Signal(str)  # a change was not saved (or could not be read): the message says what and why
    note_saved = Signal(str, str)  # entry id, the text now stored
    note_not_saved = Signal(str, str, str, str)  # entry id, title, the text that was not saved, why
    import_progress = Signal(int, int)  # done, total while importing bookmarks and notes

    def __init__(self, src: Sources, runner: TaskRunner | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.sources = src
        self.runner = runner or TaskRunner(self)
        self.library: Library | None = None
        self.userdata: UserData | None = None
        self._request = 0
        self._pending: SearchRequest | None = None
        self.userdata_notices_shown: list[str] = []  # kept for About
        self.notes_problem = ""  # why notes cannot be saved this session ("" when they can)

    # -- open, rebuild, swap ---------------------------------------------------------------------
    def start(self) -> None:
        """Open on the worker at once; the notice goes through the event loop, so a window may
        call this before it has connected its signals (and it is not said once the library is open)."""
        QTimer.singleShot(0, self, lambda: self.library is None and self.notice.emit("Opening the library…", 0))

        def open_all():
            library = open_library(
                self.sources,
                progress=lambda done, total, _title: self.runner.post(self._progress, (done, total)),
                on_rebuild=lambda reason: self.runner.post(self._rebuilding, reason),
                stale_ok=True,
                fallback=True,
            )
            return library, _open_userdata(self.sources.dirs.user_db)

        self.runner.run(open_all, self._opened, self._failed)

    def _progress(self, value: tuple[int, int]) -> None:
        self.progress.emit(*value)

    def _rebuilding(self, reason: str) -> None:
        self.notice.emit(f"Building the search index ({reason})…", 0)
        self.progress.emit(0, 0)

    def _failed(self, message: str) -> None:
        self.failed.emit(message)

    def _opened(self, opened) -> None:
        """Ready as soon as the library answers: a search typed meanwhile goes first to the
        worker, then the browse tree and the lists, which the first window does not wait for."""
        self.library, (self.userdata, notices) = opened
        report = self.library.report
        if report.stale:
            self._rebuild_in_background()
        note = " (index rebuilt)" if report.rebuilt else ""
        self.notice.emit(
            f"{self.library.entry_count} entries · content version {self.library.content_version}{note}", 8000
        )
        self._report(report)
        if report.fallback:
            log.warning("%s", report.fallback)
            self.notice.emit(f"Search index: {report.fallback} — recent content changes may be missing", 0)
        self._tell_userdata(notices)
        self.opened.emit()
        if self._pending is not None:
            self.search(self._pending)
        else:
            self._warm_up(self.library)
        self._browse(self.library)
        self.refresh_lists()

    def _warm_up(self, library: Library) -> None:
        """One search nobody sees, right after opening: the searcher's files are read before the
        first key, and `searched` tells the search field how quick this library is, so the
        first query typed neither waits for a pause it does not need nor floods a slow worker."""

        def timed() -> float:
            started = time.perf_counter()
            library.search(SearchRequest(WARM_UP_QUERY, limit=SEARCH_WARM_UP_LIMIT))
            return (time.perf_counter() - started) * 1000

        self.runner.run(timed, self.searched.emit, lambda message: log.warning("warm-up search: %s", message))

    def _browse(self, library: Library) -> None:
        self.runner.run(lambda: (library.browse(), library.tag_labels()), lambda b: self.browse_ready.emit(*b))

    def _tell_userdata(self, notices: list[str]) -> None:
        """Notices about the user's file (damaged and kept aside, rows salvaged, read-only): logged,
        in the status line until replaced, and kept for About."""
        if self.userdata is not None and self.userdata.read_only:
            self.notes_problem = self.userdata.read_only_reason
        elif self.userdata is None:
            self.notes_problem = "bookmarks and notes could not be opened"
        if not notices:
            return
        self.userdata_notices_shown = list(notices)
        for message in notices:
            log.warning("user data: %s", message)
        self.notice.emit("Bookmarks and notes (again in Help › About): " + " · ".join(notices), 0)
        self.userdata_notices.emit(list(notices))

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
        self._browse(library)
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
        problems = self.sources.policy.problems
        for problem in problems:
            log.warning("machine policy: %s", problem)
        if problems:
            more = f" (and {len(problems) - 1} more, see About)" if len(problems) > 1 else ""
            self.notice.emit(f"Machine policy setting ignored: {problems[0]}{more}", 15000)

    # -- questions to the library ----------------------------------------------------------------
    def search(self, request: SearchRequest) -> None:
        """Search on the worker; a request overtaken before the worker reaches it is skipped, and
        an answer older than the newest request is dropped, so a stale list never shows."""
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

        def timed() -> tuple[SearchResults, float] | None:
            if number != self._request:  # typed on meanwhile: nobody will see this answer
                return None
            started = time.perf_counter()
            results = library.search(request)
            return results, (time.perf_counter() - started) * 1000

        self.runner.run(timed, lambda answer: self._answer(number, answer))

    def _answer(self, number: int, answer: tuple[SearchResults, float] | None) -> None:
        if answer is None:
            return
        results, elapsed_ms = answer
        self.searched.emit(elapsed_ms)
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
            # The page opens whatever happens to the user's file: its failures are told, not raised.
            note, bookmarked, readable, problems = "", False, userdata is not None, []
            if userdata is not None:
                try:
                    note = userdata.note(page.id)
                    bookmarked = userdata.is_bookmarked(page.id)
                except UserDataError as exc:
                    log.warning("user data: %s", exc)
                    readable = False
                    problems.append(f"Your note on '{page.title}' cannot be shown: {exc}")
                if opening.record:
                    try:
                        userdata.record_visit(page.id, page.title)
                    except UserDataError as exc:
                        log.warning("user data: %s", exc)
                        problems.append(str(exc))
            return LoadedEntry(page, marked, note, bookmarked, readable, tuple(problems))

        def done(loaded: LoadedEntry | None) -> None:
            if loaded is None:
                self.notice.emit(f"No entry '{opening.entry_id}'", 5000)
                return
            self.entry_loaded.emit(opening, loaded)
            for problem in loaded.problems:
                self._write_failed(problem)
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
    def _userdata_call(
        self,
        work: Callable[[UserData], object],
        done: Callable[[object], None],
        failed: Callable[[str], None] | None = None,
    ) -> None:
        """Run work(userdata) on the worker; a UserDataError (disk full, read-only, damaged) comes
        back as its own message, told to the user at once, never dropped."""
        userdata = self.userdata
        if userdata is None:
            if failed is not None:
                failed("your bookmarks and notes could not be opened this session")
            return

        def guarded() -> tuple[bool, object]:
            try:
                return True, work(userdata)
            except (UserDataError, OSError) as exc:  # OSError: an import file that cannot be read
                log.warning("user data: %s", exc)
                return False, str(exc)

        def deliver(outcome: tuple[bool, object]) -> None:
            ok, value = outcome
            if ok:
                done(value)
            else:
                (failed or self._write_failed)(str(value))

        self.runner.run(guarded, deliver)

    def _write_failed(self, message: str) -> None:
        self.notice.emit(message, 20000)
        self.userdata_failed.emit(message)

    def toggle_bookmark(self, entry_id: str, title: str) -> None:
        def done(state: object) -> None:
            self.bookmark_changed.emit(bool(state))
            self.notice.emit("Bookmarked" if state else "Bookmark removed", 3000)
            self.refresh_lists()

        def not_saved(message: str) -> None:
            self._write_failed(message)
            # the star was flipped by the click: show again what is stored
            self._userdata_call(
                lambda userdata: userdata.is_bookmarked(entry_id), lambda state: self.bookmark_changed.emit(bool(state))
            )

        self._userdata_call(lambda userdata: userdata.toggle_bookmark(entry_id, title), done, not_saved)

    def save_note(self, entry_id: str, title: str, text: str) -> None:
        """Save a note; if it cannot be saved, note_not_saved gives the text back with the reason."""

        def saved(_result: object) -> None:
            self.note_saved.emit(entry_id, text)
            self.userdata_changed.emit()

        def not_saved(message: str) -> None:
            self._write_failed(message)
            self.note_not_saved.emit(entry_id, title, text, message)

        self._userdata_call(lambda userdata: userdata.set_note(entry_id, title, text), saved, not_saved)

    def refresh_lists(self) -> None:
        self._userdata_call(
            lambda userdata: ([(b.entry_id, b.title) for b in userdata.bookmarks()], userdata.recent()),
            lambda lists: self.lists_ready.emit(*lists),
            lambda message: self.notice.emit(message, 20000),
        )

    def export_userdata(self, path: Path, done: Callable[[str], None], on_error: Callable[[str], None]) -> None:
        """Write bookmarks and notes (JSON, or Markdown for a .md file) from the worker thread."""
        userdata = self.userdata
        if userdata is None:
            on_error("your bookmarks and notes could not be opened this session")
            return

        def write() -> str:
            text = userdata.export_markdown() if path.suffix.lower() == ".md" else userdata.export_json()
            path.write_text(text, encoding="utf-8")
            return str(path)

        self.runner.run(write, done, on_error)

    def import_userdata(
        self, path: Path, done: Callable[[tuple[int, int]], None], on_error: Callable[[str], None]
    ) -> None:
        """Import on the worker: checked whole first, applied in one transaction, with progress.
        A refused or failed import changes nothing; on_error gets the reason in plain words."""

        def report(done_count: int, total: int) -> None:
            self.runner.post(lambda value: self.import_progress.emit(*value), (done_count, total))

        def imported(counts: object) -> None:
            self.refresh_lists()
            done(counts)  # type: ignore[arg-type]

        self.import_progress.emit(0, 0)
        self._userdata_call(lambda userdata: userdata.import_file(path, report), imported, on_error)

    def settle(self, timeout_s: float = 10.0) -> None:
        """Wait for the work already queued (a note saved on closing) and deliver its answers, so
        a save that fails is known before the window goes."""
        with contextlib.suppress(Exception):
            self.runner.run(lambda: None).result(timeout=timeout_s)
        QCoreApplication.processEvents()

    def close(self) -> None:
        """Close both databases on the worker (after queued work), then stop it."""
        userdata, library = self.userdata, self.library
        if userdata is not None:
            self.runner.run(userdata.close)
        if library is not None:
            self.runner.run(library.close)
        self.runner.shutdown()
        self.userdata = self.library = None


def _open_userdata(path: Path) -> tuple[UserData | None, list[str]]:
    """The user's file, opened apart from the library: nothing wrong with it may block the
    reference (UserData recovers what it can; anything else is told, not raised)."""
    try:
        userdata = UserData(path)
    except Exception as exc:  # a failure UserData did not foresee: the reference goes on without it
        log.exception("user data could not be opened")
        return None, [f"Bookmarks and notes are unavailable this session: {exc} ({path})"]
    return userdata, list(userdata.notices)
