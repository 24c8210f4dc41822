"""The main window: lays out the search pane, the reader pane and its side column, and wires them
to the library controller. The panes never call each other or the library; they talk through
signals connected here."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QApplication, QFileDialog, QMainWindow, QProgressBar, QSplitter

from desktop.actions import SHORTCUTS, WindowActions
from desktop.dialogs import AboutDialog, DisclaimerDialog, PathwayView, ShortcutsDialog, SymptomFinder
from desktop.library_controller import LibraryController, LoadedEntry, Opening
from desktop.printing import export_pdf, paint_document
from desktop.reader_pane import ReaderPane
from desktop.search_pane import SearchPane
from desktop.settings import FONT_SIZES, THEMES, Settings
from desktop.themes import palette
from index.library import Library, Sources, documents_dir
from index.model import LibraryStats, SearchResults

log = logging.getLogger("vademecum.window")
ERROR_MS = 20000

__all__ = ["SHORTCUTS", "MainWindow"]


class MainWindow(QMainWindow):
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
        self.search_pane = SearchPane()
        self.reader_pane = ReaderPane(self, notes_enabled=self.policy.notes_enabled)
        self.symptom_finder: SymptomFinder | None = None
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
        self.apply_theme(self.settings.get("theme"))
        self._tab_order()
        self._wire()
        self.search_pane.field.setFocus()
        self.controller.start()
        if first_run_dialogs and not self.settings.get("disclaimer_accepted"):
            QTimer.singleShot(0, self.show_disclaimer)

    @property
    def library(self) -> Library | None:
        return self.controller.library

    def _tab_order(self) -> None:
        s, r = self.search_pane, self.reader_pane
        chain = (s.field, *s.filters(), s.tabs, s.results, r.reader, r.outline, r.related, r.note_edit)
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
        c.results_ready.connect(self._show_results)
        c.entry_loaded.connect(self._show_entry)
        c.browse_ready.connect(s.fill_browse)
        c.lists_ready.connect(s.fill_lists)
        c.bookmark_changed.connect(self.commands.set_bookmarked)
        c.userdata_changed.connect(self.userdata_changed)
        c.notice.connect(lambda text, ms: self.statusBar().showMessage(text, ms))
        c.progress.connect(self._show_progress)
        c.opened.connect(self._library_opened)
        c.failed.connect(self._library_failed)
        c.rebuilt.connect(self._library_rebuilt)
        self.runner.failed.connect(self.show_error)

    # -- library events --------------------------------------------------------------------------
    def _show_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.progress.show()

    def _library_opened(self) -> None:
        self.progress.hide()
        for action in self.commands.library:
            action.setEnabled(True)
        self.library_ready.emit()  # a search typed meanwhile runs now (the controller kept it)

    def _library_rebuilt(self) -> None:
        if self.search_pane.field.text():
            self.controller.search(self.search_pane.request())
        self.rebuilt.emit()

    def _library_failed(self, message: str) -> None:
        self.progress.hide()
        log.error("the library could not be opened: %s", message)
        self.statusBar().showMessage(f"The library could not be opened: {message}")

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
        self.reader_pane.show_entry(opening, loaded, notes_writable=self.controller.userdata is not None)
        self.setWindowTitle(f"{loaded.page.title} — Vademecum")
        r = self.reader_pane
        self.commands.entry_opened(loaded.bookmarked, bool(r.back_stack), bool(r.forward_stack))

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
        self.save_state()
        super().closeEvent(event)

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

    def change_font_size(self, step: int) -> None:
        if self.settings.is_locked("font_size"):
            self.statusBar().showMessage("Text size is set by your department", 3000)
            return
        size = 11 if step == 0 else self.settings.get("font_size") + step
        self.settings.set("font_size", max(FONT_SIZES[0], min(FONT_SIZES[1], size)))
        self.reader_pane.set_style(self.theme, self.settings.get("font_size"))

    # -- files: user data, print, PDF ------------------------------------------------------------
    def export_userdata_dialog(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self,
            "Export bookmarks and notes",
            str(documents_dir() / "vademecum-notes.json"),
            "JSON (*.json);;Markdown (*.md)",
        )
        if name:
            self.controller.export_userdata(
                Path(name),
                lambda path: self.statusBar().showMessage(f"Exported to {path}", 5000),
                lambda message: self.show_error(f"Nothing was exported: {message}"),
            )

    def import_userdata_dialog(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Import bookmarks and notes", "", "JSON (*.json)")
        if name:
            self.controller.import_userdata(
                Path(name),
                lambda counts: self.statusBar().showMessage(
                    f"Imported {counts[0]} bookmarks and {counts[1]} notes", 5000
                ),
                lambda message: self.show_error(f"Nothing was imported: {message}"),
            )

    def export_entry_pdf(self, path: Path) -> int:
        html, footer = self.reader_pane.print_html()
        return export_pdf(html, path, footer)

    def export_pdf_dialog(self) -> None:
        page = self.reader_pane.page
        if page is None:
            return
        name, _ = QFileDialog.getSaveFileName(
            self, "Export to PDF", str(documents_dir() / f"{page.id}.pdf"), "PDF (*.pdf)"
        )
        if name:
            try:
                pages = self.export_entry_pdf(Path(name))
            except OSError as exc:
                self.show_error(f"The PDF could not be written: {exc}")
                return
            self.statusBar().showMessage(f"Saved {name} ({pages} pages)", 5000)

    def print_entry(self) -> None:
        if self.reader_pane.page is None:
            return
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if QPrintDialog(printer, self).exec():
            html, footer = self.reader_pane.print_html()
            paint_document(html, printer, footer)

    # -- dialogs ---------------------------------------------------------------------------------
    def show_disclaimer(self) -> None:
        if DisclaimerDialog(self).exec():
            self.settings.set("disclaimer_accepted", True)

    def show_about(self) -> None:
        """Counts come from the worker's library (never its connection on this thread)."""

        def show(stats: LibraryStats) -> None:
            AboutDialog(stats, "\n".join(self.policy.problems), self).exec()

        self.controller.stats(show)

    def show_shortcuts(self) -> None:
        ShortcutsDialog([(s.keys, s.action) for s in SHORTCUTS], self).exec()

    def show_symptom_finder(self) -> None:
        if self.symptom_finder is None:
            self.symptom_finder = SymptomFinder({}, self)
            finder = self.symptom_finder
            self.controller.ask(Library.symptoms, finder.set_symptoms)
            finder.query_changed.connect(
                lambda symptoms, hours: self.controller.ask(
                    lambda library: library.profiles(symptoms, hours), finder.show_matches
                )
            )
            finder.entry_requested.connect(self.open_entry)
        self.symptom_finder.show()
        self.symptom_finder.raise_()

    def show_pathways(self, pathway_id: str = "") -> None:
        if self.pathway_view is None:
            self.pathway_view = PathwayView([], self)
            self.pathway_view.entry_requested.connect(self.open_entry)
            self.controller.ask(Library.pathways, self.pathway_view.set_pathways)
        if pathway_id:
            self.pathway_view.show_pathway(pathway_id)
        self.pathway_view.show()
        self.pathway_view.raise_()

    def shutdown(self) -> None:
        """Close the library and the user data on their thread, then stop it."""
        self.controller.close()
