"""The main window: lays out the search pane, the reader pane and its side column, and wires them
to the library controller. The panes never call each other or the library; they talk through
signals connected here.

Start-up is on the clock (the user waits for the first window): the library starts opening on the
worker before the panes are built, the browse tree fills after the library is ready, and the
tool windows and dialogs are imported only when first opened."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox, QProgressBar, QSplitter

from desktop.actions import SHORTCUTS, WindowActions
from desktop.file_commands import ERROR_MS, FileCommands
from desktop.library_controller import LibraryController, LoadedEntry, Opening
from desktop.reader_pane import ReaderPane
from desktop.search_pane import SearchPane
from desktop.settings import FONT_SIZES, THEMES, Settings
from desktop.study_controller import StudyController
from desktop.study_pane import StudyPane
from desktop.themes import palette
from index.model import LibraryStats, SearchResults

if TYPE_CHECKING:
    from desktop.pathway_view import PathwayView
    from desktop.symptom_finder import SymptomFinder
    from index.library import BrowseItem, Library, Sources

log = logging.getLogger("vademecum.window")
SIDE_WIDTH = 240

__all__ = ["SHORTCUTS", "MainWindow"]


class MainWindow(FileCommands, QMainWindow):
    results_shown = Signal(object)  # SearchResults, after the list is updated
    entry_shown = Signal(str)  # entry id, after the reader shows it
    library_ready = Signal()
    userdata_changed = Signal()
    rebuilt = Signal()  # a background rebuild finished and the new index is in use
    error_shown = Signal(str)  # something failed and the user was told

    def __init__(self, src: Sources, *, first_run_dialogs: bool = True) -> None:
        super().__init__()
        self.setWindowTitle("Vademecum — neuraxial anesthesia reference")
        self.sources = src
        self.policy = src.policy
        self.settings = Settings(src.dirs.settings_file, self.policy)
        self.controller = LibraryController(src, parent=self)
        self.runner = self.controller.runner
        self.controller.start()  # the worker opens the library while the panes are built
        self.search_pane = SearchPane()
        self.reader_pane = ReaderPane(self, notes_enabled=self.policy.notes_enabled)
        self.study_pane = StudyPane()
        self.study = StudyController(self.controller, parent=self)
        self.search_pane.tabs.addTab(self.study_pane, "Study")
        self.symptom_finder: SymptomFinder | None = None
        self._marked_at_end: set[str] = set()
        self.pathway_view: PathwayView | None = None
        self.splitter = QSplitter()
        self.splitter.setObjectName("main-splitter")
        for index, (widget, stretch) in enumerate(
            ((self.search_pane, 2), (self.reader_pane.page_host, 4), (self.reader_pane.side, 1))
        ):
            self.splitter.addWidget(widget)
            self.splitter.setStretchFactor(index, stretch)
        self.splitter.setSizes([430, 760, 250])
        self.setCentralWidget(self.splitter)
        self.commands = WindowActions(self, self.settings.is_locked("theme"))
        self.theme_actions = self.commands.themes
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(240)
        self.progress.setAccessibleName("Index build progress")
        self.progress.hide()
        self.statusBar().addPermanentWidget(self.progress)
        self.resize(1440, 860)
        self._restore_state()
        self.reader_pane.marks_enabled = self.settings.get("highlight_matches")
        self.commands.marks.setChecked(self.reader_pane.marks_enabled)
        self.apply_theme(self.settings.get("theme"))
        self._tab_order()
        self._wire()
        self.search_pane.field.setFocus()
        if first_run_dialogs and not self.settings.get("disclaimer_accepted"):
            QTimer.singleShot(0, self.show_disclaimer)

    @property
    def library(self) -> Library | None:
        return self.controller.library

    def _tab_order(self) -> None:
        s, r = self.search_pane, self.reader_pane
        lists = (s.results, s.browse, s.bookmark_list, s.recent_list)  # only the shown tab takes focus
        chain = (s.field, *s.filters(), s.tabs, *lists, r.reader, r.outline, r.related, r.note_edit)
        for first, second in zip(chain, chain[1:], strict=False):
            self.setTabOrder(first, second)

    def _wire(self) -> None:
        c, s, r = self.controller, self.search_pane, self.reader_pane
        s.request_changed.connect(c.search)
        s.entry_requested.connect(self.open_entry)
        r.entry_requested.connect(c.load_entry)
        r.history_changed.connect(self.commands.history)
        r.note_changed.connect(c.save_note)
        r.entry_shown.connect(self.entry_shown)
        r.pathway_requested.connect(self.show_pathways)
        c.results_ready.connect(self._show_results)
        c.searched.connect(s.field.searched_in)
        c.entry_loaded.connect(self._show_entry)
        c.browse_ready.connect(s.fill_browse)
        c.browse_ready.connect(self._start_page_entries)
        c.lists_ready.connect(s.fill_lists)
        c.lists_ready.connect(lambda bookmarks, recent: r.set_start_lists(bookmarks=bookmarks, recent=recent))
        c.bookmark_changed.connect(self.commands.set_bookmarked)
        c.userdata_changed.connect(self.userdata_changed)
        c.notice.connect(lambda text, ms: self.statusBar().showMessage(text, ms))
        c.progress.connect(self._show_progress)
        c.opened.connect(self._library_opened)
        c.failed.connect(self._library_failed)
        c.rebuilt.connect(self._library_rebuilt)
        self.runner.failed.connect(self.show_error)
        # user data trouble: told at once, and a note that was not saved stays in the editor
        c.note_not_saved.connect(r.note_not_saved)
        c.note_saved.connect(r.note_saved)
        c.userdata_failed.connect(self.error_shown)
        c.import_progress.connect(self._show_import_progress)
        self._wire_study()

    def _wire_study(self) -> None:
        """The Study tab: lists and reviews through the study controller; reaching an entry's end marks it read."""
        study, pane = self.study, self.study_pane
        pane.entry_requested.connect(self.open_entry)
        pane.read_toggled.connect(study.mark)
        pane.review_requested.connect(study.start_review)
        pane.rated.connect(study.rate)
        pane.session_ended.connect(study.refresh)
        study.snapshot_ready.connect(pane.show_snapshot)
        study.session_ready.connect(pane.start_session)
        tabs = self.search_pane.tabs  # the lists load when the tab is first shown, not at start-up
        tabs.currentChanged.connect(lambda index: study.refresh() if tabs.widget(index) is pane else None)
        self.controller.opened.connect(lambda: study.refresh() if tabs.currentWidget() is pane else None)
        bar = self.reader_pane.reader.verticalScrollBar()
        bar.valueChanged.connect(lambda value: self._reached_end(value, bar.maximum()))

    def _reached_end(self, value: int, maximum: int) -> None:
        page = self.reader_pane.page
        if page is not None and maximum > 0 and value >= maximum and page.id not in self._marked_at_end:
            self._marked_at_end.add(page.id)
            self.study.mark(page.id, True, how="end")

    # -- library events --------------------------------------------------------------------------
    def _show_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.progress.show()

    def _library_opened(self) -> None:
        self.progress.hide()
        self.reader_pane.set_notes_problem(self.controller.notes_problem)
        for action in self.commands.library:
            action.setEnabled(True)
        self.controller.ask(
            lambda library: library.pathways(),
            lambda pathways: self.reader_pane.set_start_lists(pathways=[(p.id, p.title) for p in pathways]),
        )
        self.library_ready.emit()  # a search typed meanwhile runs now (the controller kept it)

    def _library_rebuilt(self) -> None:
        if self.search_pane.field.text():
            self.controller.search(self.search_pane.request())
        self.rebuilt.emit()

    def _library_failed(self, message: str) -> None:
        self.progress.hide()
        log.error("the library could not be opened: %s", message)
        self.statusBar().showMessage(f"The library could not be opened: {message}")

    def _start_page_entries(self, items: list[BrowseItem], _labels: dict) -> None:
        """The start page lists the emergencies (urgent entries carry their badge in Browse)."""
        act_now = sorted((i for i in items if i.urgency == "emergency"), key=lambda i: i.title.lower())
        self.reader_pane.set_start_lists(emergencies=[(i.id, i.title, i.urgency) for i in act_now])

    def show_error(self, message: str) -> None:
        """A background task failed: one line in the status bar; the traceback is in the log."""
        self.statusBar().showMessage(f"Something went wrong: {message} (details in the log file)", ERROR_MS)
        self.error_shown.emit(message)

    def _show_results(self, results: SearchResults) -> None:
        self.search_pane.show_results(results)
        if results.error:
            self.error_shown.emit(results.error)
        self.results_shown.emit(results)

    # -- entries ---------------------------------------------------------------------------------
    def open_entry(self, entry_id: str, anchor: str = "", query: str = "") -> None:
        """Show an entry; from a search hit, land on the matched section with the query's words marked."""
        self.controller.load_entry(Opening(entry_id, anchor, query))

    def _show_entry(self, opening: Opening, loaded: LoadedEntry) -> None:
        typed = self.search_pane.field.hasFocus() and bool(opening.query)
        self.reader_pane.show_entry(opening, loaded, notes_writable=self.controller.userdata is not None)
        self._give_side_room()
        if typed:  # Enter in the search field means "read this": the keys now scroll the page
            self.reader_pane.reader.setFocus()
        self.setWindowTitle(f"{loaded.page.title} — Vademecum")
        r = self.reader_pane
        self.commands.entry_opened(loaded.bookmarked, bool(r.back_stack), bool(r.forward_stack))

    def _give_side_room(self, width: int = SIDE_WIDTH) -> None:
        """The side column is hidden on the start page; when it first appears it gets a usable width."""
        search, page, side = self.splitter.sizes()
        if side < width // 2:
            rest = search + page + side - width
            search = min(search, int(rest * 0.4))  # the page keeps at least 60% of what is left
            self.splitter.setSizes([search, rest - search, width])

    def toggle_bookmark(self) -> None:
        page = self.reader_pane.page
        if page is not None:
            self.controller.toggle_bookmark(page.id, page.title)

    def escape(self) -> None:
        if self.reader_pane.find_bar.isVisible():
            self.reader_pane.close_find()
        else:
            self.search_pane.clear()

    # -- state and comfort -----------------------------------------------------------------------
    def _restore_state(self) -> None:
        geometry = self.settings.state("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = self.settings.state("window")
        if state is not None:
            self.restoreState(state)
        splitter = self.settings.state("splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)

    def save_state(self) -> None:
        self.settings.set_state("geometry", self.saveGeometry())
        self.settings.set_state("window", self.saveState())
        self.settings.set_state("splitter", self.splitter.saveState())

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        self.reader_pane.flush_note()
        self.controller.settle()  # a note saved just now: know whether it failed before closing
        if self.reader_pane.unsaved_notes and not self._discard_unsaved_notes():
            event.ignore()
            return
        self.save_state()
        super().closeEvent(event)

    def _discard_unsaved_notes(self) -> bool:
        """Warn before closing with notes that could not be saved; True to close anyway."""
        titles = ", ".join(title for title, _text in self.reader_pane.unsaved_notes.values())
        answer = QMessageBox.warning(
            self,
            "Notes not saved",
            f"These notes could not be saved: {titles}.\n{self.reader_pane.not_saved_reason}.\n\n"
            "Close anyway and lose them? Cancel keeps the window open, so you can copy them elsewhere.",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard

    def apply_theme(self, theme: str, *, save: bool = False) -> None:
        if self.settings.is_locked("theme"):
            theme = self.settings.get("theme")
        if theme not in THEMES:
            theme = "light"
        if save:
            self.settings.set("theme", theme)
        self.theme = theme
        app = QApplication.instance()
        if app is not None:
            app.setPalette(palette(theme))
        self.setPalette(palette(theme))
        if theme in self.theme_actions:
            self.theme_actions[theme].setChecked(True)
        self.reader_pane.set_style(theme, self.settings.get("font_size"))
        for tool in (self.symptom_finder, self.pathway_view):
            if tool is not None:
                tool.set_theme(theme)
        self.search_pane.set_reading_size(self.settings.get("font_size"))

    def toggle_marks(self) -> None:
        """Search terms marked in the matched section, or not at all (kept between sessions)."""
        enabled = not self.settings.get("highlight_matches")
        self.settings.set("highlight_matches", enabled)
        self.commands.marks.setChecked(enabled)
        self.reader_pane.set_marks_enabled(enabled)

    def change_font_size(self, step: int) -> None:
        if self.settings.is_locked("font_size"):
            self.statusBar().showMessage("Text size is set by your department", 3000)
            return
        size = 11 if step == 0 else self.settings.get("font_size") + step
        self.settings.set("font_size", max(FONT_SIZES[0], min(FONT_SIZES[1], size)))
        self.reader_pane.set_style(self.theme, self.settings.get("font_size"))
        self.search_pane.set_reading_size(self.settings.get("font_size"))

    # -- dialogs ---------------------------------------------------------------------------------
    def show_disclaimer(self) -> None:
        from desktop.dialogs import DisclaimerDialog

        if DisclaimerDialog(self).exec():
            self.settings.set("disclaimer_accepted", True)

    def show_about(self) -> None:
        """Counts come from the worker's library (never its connection on this thread)."""

        from desktop.dialogs import AboutDialog

        def show(stats: LibraryStats) -> None:
            notices = "\n".join(self.controller.userdata_notices_shown)
            AboutDialog(stats, "\n".join(self.policy.problems), self, userdata_notices=notices).exec()

        self.controller.stats(show)

    def show_shortcuts(self) -> None:
        from desktop.dialogs import ShortcutsDialog

        ShortcutsDialog([(s.keys, s.action) for s in SHORTCUTS], self).exec()

    def show_symptom_finder(self) -> None:
        if self.symptom_finder is None:
            from desktop.symptom_finder import SymptomFinder

            self.symptom_finder = finder = SymptomFinder(self)
            finder.addActions(self.actions())  # the window's shortcuts work while the finder is active
            self.controller.ask(lambda library: library.symptoms(), finder.set_symptoms)
            finder.query_changed.connect(
                lambda symptoms, hours: self.controller.ask(
                    lambda library: library.profiles(symptoms, hours), finder.show_matches
                )
            )
            finder.entry_requested.connect(self.open_from_tool)
        self._show_tool(self.symptom_finder)

    def show_pathways(self, pathway_id: str = "") -> None:
        if self.pathway_view is None:
            from desktop.pathway_view import PathwayView

            self.pathway_view = PathwayView([], self)
            self.pathway_view.addActions(self.actions())
            self.pathway_view.entry_requested.connect(self.open_from_tool)
            self.controller.ask(lambda library: library.pathways(), self.pathway_view.set_pathways)
        if pathway_id:
            self.pathway_view.show_pathway(pathway_id)
        self._show_tool(self.pathway_view)

    def _show_tool(self, tool) -> None:
        if tool.theme != self.theme:
            tool.set_theme(self.theme)
        tool.show()
        tool.raise_()
        tool.activateWindow()

    def open_from_tool(self, entry_id: str, anchor: str = "") -> None:
        """An entry chosen in the finder or a pathway: the main window comes forward to show it."""
        self.open_entry(entry_id, anchor)
        self.raise_()
        self.activateWindow()

    def shutdown(self) -> None:
        """Close the library and the user data on their thread, then stop it."""
        self.controller.close()
