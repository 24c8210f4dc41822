"""The main window: search with facets, browse, bookmarks and history on the left; the reader in
the middle; outline, related entries and the user's note on the right."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from pathlib import Path

from PySide6.QtCore import QEvent, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTabWidget,
    QToolBar,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.dialogs import AboutDialog, DisclaimerDialog, PathwayView, ShortcutsDialog, SymptomFinder
from desktop.page import KIND_LABELS, entry_html
from desktop.printing import export_pdf, footer_text, paint_document
from desktop.reader import EntryBrowser
from desktop.results import HIT_ROLE, ResultDelegate, ResultModel
from desktop.settings import FONT_SIZES, THEMES, Settings
from desktop.tasks import TaskRunner
from desktop.themes import colours, palette
from index.clinical import browse_items, find_profiles, load_pathways
from index.model import SearchResults
from index.paths import AppDirs
from index.policy import Policy
from index.userdata import UserData

PLURAL_KINDS = {"procedure": "Procedures", "complication": "Complications", "management": "Management options"}
DEBOUNCE_MS = 150
NOTE_SAVE_MS = 800
ID_ROLE = Qt.ItemDataRole.UserRole + 2


@dataclass(frozen=True)
class Shortcut:
    keys: str
    action: str


SHORTCUTS: tuple[Shortcut, ...] = (
    Shortcut("Ctrl+L", "Go to the search field"),
    Shortcut("Esc", "Clear the search (or close find in page)"),
    Shortcut("Up / Down", "Move through the results while typing"),
    Shortcut("Enter", "Open the selected result at its matching section"),
    Shortcut("Alt+Left", "Back"),
    Shortcut("Alt+Right", "Forward"),
    Shortcut("Ctrl+D", "Bookmark or unbookmark the open entry"),
    Shortcut("Ctrl+F", "Find in page"),
    Shortcut("F3", "Next match in page (Shift+F3: previous)"),
    Shortcut("Ctrl+=", "Larger text"),
    Shortcut("Ctrl+-", "Smaller text"),
    Shortcut("Ctrl+0", "Default text size"),
    Shortcut("Ctrl+P", "Print the open entry"),
    Shortcut("Ctrl+Shift+E", "Export the open entry to PDF"),
    Shortcut("Ctrl+Shift+Y", "Symptom finder"),
    Shortcut("Ctrl+Shift+W", "Management pathways"),
    Shortcut("Ctrl+Shift+N", "Edit my note on the open entry"),
    Shortcut("F1", "Keyboard shortcuts"),
    Shortcut("Ctrl+Q", "Quit"),
)


class MainWindow(QMainWindow):
    results_shown = Signal(object)  # SearchResults, after the list is updated
    entry_shown = Signal(str)  # entry id, after the reader shows it
    library_ready = Signal()
    userdata_changed = Signal()
    rebuilt = Signal()  # a background rebuild finished and the new index is in use

    def __init__(
        self,
        runner: TaskRunner,
        open_library: Callable,
        dirs: AppDirs,
        *,
        first_run_dialogs: bool = True,
        policy: Policy | None = None,
    ):
        super().__init__()
        self.setWindowTitle("Vademecum — neuraxial anesthesia reference")
        self.runner = runner
        self.dirs = dirs
        self.policy = policy or Policy()
        self.settings = Settings(dirs.settings_file, self.policy)
        self._open_library = open_library
        self.library = None
        self.userdata: UserData | None = None
        self.current_id: str | None = None
        self.current_page = None
        self.back_stack: list[str] = []
        self.forward_stack: list[str] = []
        self._request = 0
        self._shown_request = 0
        self._pending_query: str | None = None
        self._facets: dict[str, dict[str, int]] = {}
        self.symptom_finder: SymptomFinder | None = None
        self.pathway_view: PathwayView | None = None
        self._build_left()
        self._build_reader()
        self._build_side()
        splitter = QSplitter()
        splitter.setObjectName("main-splitter")
        splitter.addWidget(self.left)
        splitter.addWidget(self.reader_host)
        splitter.addWidget(self.side)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 4)
        splitter.setStretchFactor(2, 1)
        splitter.setSizes([430, 760, 250])
        self.splitter = splitter
        self.setCentralWidget(splitter)
        self._build_actions()
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(240)
        self.progress.setAccessibleName("Index build progress")
        self.progress.hide()
        self.statusBar().addPermanentWidget(self.progress)
        self._timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._timer.timeout.connect(self._run_search)
        self._note_timer = QTimer(self, singleShot=True, interval=NOTE_SAVE_MS)
        self._note_timer.timeout.connect(self._save_note)
        self.resize(1440, 860)
        self._restore_state()
        self.apply_theme(self.settings.get("theme"))
        self.setTabOrder(self.search_field, self.kind_filter)
        self.setTabOrder(self.kind_filter, self.population_filter)
        self.setTabOrder(self.population_filter, self.urgency_filter)
        self.setTabOrder(self.urgency_filter, self.tabs)
        self.setTabOrder(self.tabs, self.results)
        self.setTabOrder(self.results, self.reader)
        self.setTabOrder(self.reader, self.outline)
        self.setTabOrder(self.outline, self.related)
        self.setTabOrder(self.related, self.note_edit)
        self.search_field.setFocus()
        self._start_library(open_library)
        if first_run_dialogs and not self.settings.get("disclaimer_accepted"):
            QTimer.singleShot(0, self.show_disclaimer)

    # -- construction ----------------------------------------------------------------------
    def _build_left(self) -> None:
        self.search_field = QLineEdit()
        self.search_field.setPlaceholderText("Search: PDPH, blood patch, wet tap, spinal haematoma…")
        self.search_field.setClearButtonEnabled(True)
        self.search_field.setAccessibleName("Search")
        self.search_field.textChanged.connect(lambda _text: self._timer.start())
        self.search_field.returnPressed.connect(self._open_current_result)
        self.search_field.installEventFilter(self)

        self.kind_filter = self._combo("Filter by kind")
        self.population_filter = self._combo("Filter by population")
        self.urgency_filter = self._combo("Filter by urgency")
        facets = QHBoxLayout()
        for combo in (self.kind_filter, self.population_filter, self.urgency_filter):
            combo.currentIndexChanged.connect(self._run_search)
            facets.addWidget(combo)

        self.count_label = QLabel("")
        self.count_label.setAccessibleName("Result count")
        self.count_label.setTextFormat(Qt.TextFormat.RichText)
        self.count_label.setWordWrap(True)
        self.count_label.linkActivated.connect(self._accept_suggestion)

        self.model = ResultModel()
        self.results = QListView()
        self.results.setModel(self.model)
        self.results.setItemDelegate(ResultDelegate(self.results))
        self.results.setAccessibleName("Search results")
        self.results.setWordWrap(True)
        self.results.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.results.activated.connect(self._open_index)
        self.results.clicked.connect(self._open_index)

        self.browse = QTreeWidget()
        self.browse.setHeaderHidden(True)
        self.browse.setAccessibleName("Browse entries by kind and topic")
        self.browse.itemActivated.connect(self._open_item)
        self.browse.itemClicked.connect(self._open_item)
        self.bookmark_list = self._list("Bookmarks")
        self.recent_list = self._list("Recently opened")

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Lists")
        self.tabs.addTab(self.results, "Results")
        self.tabs.addTab(self.browse, "Browse")
        self.tabs.addTab(self.bookmark_list, "Bookmarks")
        self.tabs.addTab(self.recent_list, "Recent")

        self.left = QWidget()
        layout = QVBoxLayout(self.left)
        layout.setContentsMargins(8, 8, 4, 8)
        layout.addWidget(self.search_field)
        layout.addLayout(facets)
        layout.addWidget(self.count_label)
        layout.addWidget(self.tabs, 1)

    def _combo(self, name: str) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(name)
        combo.setToolTip(name)
        combo.addItem(name.replace("Filter by ", "Any ").capitalize(), None)
        return combo

    def _list(self, name: str) -> QListWidget:
        widget = QListWidget()
        widget.setAccessibleName(name)
        widget.itemActivated.connect(self._open_item)
        widget.itemClicked.connect(self._open_item)
        return widget

    def _build_reader(self) -> None:
        self.reader = EntryBrowser()
        self.reader.setAccessibleName("Entry")
        self.reader.entry_requested.connect(lambda entry_id, anchor: self.open_entry(entry_id, anchor))
        self.reader.setHtml(self._welcome_html())
        self.find_field = QLineEdit()
        self.find_field.setPlaceholderText("Find in page")
        self.find_field.setAccessibleName("Find in page")
        self.find_field.textChanged.connect(self._find_in_page)
        self.find_field.returnPressed.connect(lambda: self.reader.find_next(self.find_field.text()))
        self.find_count = QLabel("")
        self.find_count.setAccessibleName("Find result count")
        close = QPushButton("Close")
        close.setAccessibleName("Close find")
        close.clicked.connect(self.close_find)
        self.find_bar = QWidget()
        bar = QHBoxLayout(self.find_bar)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.find_field, 1)
        bar.addWidget(self.find_count)
        bar.addWidget(close)
        self.find_bar.hide()
        self.find_field.installEventFilter(self)
        self.reader_host = QWidget()
        layout = QVBoxLayout(self.reader_host)
        layout.setContentsMargins(4, 8, 4, 8)
        layout.addWidget(self.reader, 1)
        layout.addWidget(self.find_bar)

    def _build_side(self) -> None:
        self.outline = self._list("Outline")
        self.outline.itemActivated.disconnect()
        self.outline.itemClicked.disconnect()
        self.outline.itemActivated.connect(self._jump_to_section)
        self.outline.itemClicked.connect(self._jump_to_section)
        self.related = self._list("Related entries")
        self.related.setWordWrap(True)
        self.note_edit = QPlainTextEdit()
        self.note_edit.setAccessibleName("My note on this entry")
        self.note_edit.setPlaceholderText("Your own note on this entry (kept on this computer only)")
        self.note_edit.setEnabled(False)
        self.note_edit.textChanged.connect(lambda: self._note_timer.start())
        if not self.policy.notes_enabled:
            self.note_edit.setPlaceholderText("Notes are switched off on this computer by your department.")
        self.side = QWidget()
        layout = QVBoxLayout(self.side)
        layout.setContentsMargins(4, 8, 8, 8)
        for label, widget, stretch in (
            ("Outline", self.outline, 3),
            ("Related", self.related, 2),
            ("My note", self.note_edit, 2),
        ):
            title = QLabel(f"<b>{label}</b>")
            title.setBuddy(widget)
            layout.addWidget(title)
            layout.addWidget(widget, stretch)

    def _action(
        self, text: str, slot: Callable, keys: str | QKeySequence.StandardKey | None = None, *, checkable: bool = False
    ) -> QAction:
        action = QAction(text, self)
        if keys is not None:
            action.setShortcut(QKeySequence(keys))
        action.setCheckable(checkable)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.back_action = self._action("◀ Back", self.go_back, "Alt+Left")
        self.forward_action = self._action("Forward ▶", self.go_forward, "Alt+Right")
        self.bookmark_action = self._action("☆ Bookmark", self.toggle_bookmark, "Ctrl+D", checkable=True)
        self.find_action = self._action("Find", self.open_find, "Ctrl+F")
        self._action("Find next", lambda: self.reader.find_next(self.find_field.text()), "F3")
        self._action("Find previous", lambda: self.reader.find_next(self.find_field.text(), True), "Shift+F3")
        zoom_in = self._action("Larger text", lambda: self.change_font_size(+1), "Ctrl+=")
        zoom_in.setShortcuts([QKeySequence("Ctrl+="), QKeySequence("Ctrl++")])
        self._action("Smaller text", lambda: self.change_font_size(-1), "Ctrl+-")
        self._action("Default text size", lambda: self.change_font_size(0), "Ctrl+0")
        self.print_action = self._action("Print…", self.print_entry, "Ctrl+P")
        self.pdf_action = self._action("Export to PDF…", self.export_pdf_dialog, "Ctrl+Shift+E")
        self.symptoms_action = self._action("Symptom finder", self.show_symptom_finder, "Ctrl+Shift+Y")
        self.pathways_action = self._action("Pathways", self.show_pathways, "Ctrl+Shift+W")
        self._action("Edit my note", self.edit_note, "Ctrl+Shift+N")
        self._action("Keyboard shortcuts", self.show_shortcuts, "F1")
        self._action("Quit", self.close, "Ctrl+Q")
        self._action("Search", self.focus_search, "Ctrl+L")
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self._escape)

        toolbar = QToolBar("Navigation")
        toolbar.setObjectName("navigation-toolbar")
        toolbar.setAccessibleName("Toolbar")
        for action in (
            self.back_action,
            self.forward_action,
            self.bookmark_action,
            self.find_action,
            self.symptoms_action,
            self.pathways_action,
            self.print_action,
            self.pdf_action,
        ):
            toolbar.addAction(action)
        self.addToolBar(toolbar)
        for action in (
            self.back_action,
            self.forward_action,
            self.bookmark_action,
            self.print_action,
            self.pdf_action,
            self.find_action,
        ):
            action.setEnabled(False)
        self.symptoms_action.setEnabled(False)
        self.pathways_action.setEnabled(False)

        menu = self.menuBar()
        file_menu = menu.addMenu("&File")
        file_menu.addAction(self.print_action)
        file_menu.addAction(self.pdf_action)
        file_menu.addSeparator()
        file_menu.addAction("Export bookmarks and notes…", self.export_userdata_dialog)
        file_menu.addAction("Import bookmarks and notes…", self.import_userdata_dialog)
        file_menu.addSeparator()
        file_menu.addAction("Quit", self.close)
        view = menu.addMenu("&View")
        themes = view.addMenu("Theme")
        group = QActionGroup(self)
        self.theme_actions = {}
        for theme in THEMES:
            action = themes.addAction(theme.replace("-", " ").capitalize())
            action.setCheckable(True)
            action.triggered.connect(lambda _checked=False, t=theme: self.apply_theme(t, save=True))
            group.addAction(action)
            action.setEnabled(not self.settings.is_locked("theme"))
            self.theme_actions[theme] = action
        view.addAction("Larger text\tCtrl+=", lambda: self.change_font_size(+1))
        view.addAction("Smaller text\tCtrl+-", lambda: self.change_font_size(-1))
        view.addAction("Default text size\tCtrl+0", lambda: self.change_font_size(0))
        go = menu.addMenu("&Go")
        for action in (self.back_action, self.forward_action, self.symptoms_action, self.pathways_action):
            go.addAction(action)
        help_menu = menu.addMenu("&Help")
        help_menu.addAction("Keyboard shortcuts\tF1", self.show_shortcuts)
        help_menu.addAction("Clinical disclaimer", self.show_disclaimer)
        help_menu.addAction("About Vademecum", self.show_about)

    # -- state and comfort -----------------------------------------------------------------
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
        if self._note_timer.isActive():
            self._note_timer.stop()
            self._save_note()
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
        if theme in getattr(self, "theme_actions", {}):
            self.theme_actions[theme].setChecked(True)
        self._rerender()

    def change_font_size(self, step: int) -> None:
        if self.settings.is_locked("font_size"):
            self.statusBar().showMessage("Text size is set by your department", 3000)
            return
        size = 11 if step == 0 else self.settings.get("font_size") + step
        self.settings.set("font_size", max(FONT_SIZES[0], min(FONT_SIZES[1], size)))
        self._rerender()

    def _rerender(self) -> None:
        if self.current_page is not None:
            position = self.reader.verticalScrollBar().value()
            self.reader.setHtml(self._page_html(self.current_page))
            self.reader.verticalScrollBar().setValue(position)

    def _page_html(self, page) -> str:
        note = self.note_edit.toPlainText() if self.current_id == page.id else ""
        return entry_html(page, theme=self.theme, font_size=self.settings.get("font_size"), note=note)

    # -- library ---------------------------------------------------------------------------
    def _start_library(self, open_library: Callable) -> None:
        self.statusBar().showMessage("Opening the library…")

        def progress(done: int, total: int, title: str) -> None:
            self.runner.post(self._show_progress, (done, total))

        def on_rebuild(reason: str) -> None:
            self.runner.post(self._notice_rebuild, reason)

        def open_all():
            library = open_library(progress=progress, on_rebuild=on_rebuild)
            userdata = UserData(self.dirs.user_db)
            return library, userdata, browse_items(library.service.store)

        self.runner.run(open_all, self._library_opened, self._library_failed)

    def _notice_rebuild(self, reason: str) -> None:
        self.statusBar().showMessage(f"Building the search index ({reason})…")
        self.progress.setRange(0, 0)
        self.progress.show()

    def _show_progress(self, value: tuple[int, int]) -> None:
        done, total = value
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.progress.show()

    def _library_opened(self, opened) -> None:
        self.library, self.userdata, items = opened
        self.progress.hide()
        if self.library.report.stale:
            self._rebuild_in_background()
        self._report_packs(self.library.report)
        entries = self.library.meta.get("entry_count", "?")
        note = " (index rebuilt)" if self.library.report.rebuilt else ""
        self.statusBar().showMessage(f"{entries} entries · content version {self.library.content_version}{note}", 8000)
        self._fill_browse(items)
        self._fill_filters({})
        self.refresh_userdata_lists()
        self.symptoms_action.setEnabled(True)
        self.pathways_action.setEnabled(True)
        self.library_ready.emit()
        if self._pending_query is not None or self.search_field.text():
            self._run_search()

    def _rebuild_in_background(self) -> None:
        """Content or packs changed: rebuild on a thread of its own while searches go on."""
        import threading

        self.statusBar().showMessage("Local content changed — updating the index in the background…")

        def work() -> None:
            try:
                library = self._open_library(force_rebuild=True)
            except Exception as exc:  # keep the old index; say why
                self.runner.post(lambda message: self.statusBar().showMessage(message), f"Index update failed: {exc}")
                return
            self.runner.post(self._swap_library, library)

        threading.Thread(target=work, name="vademecum-rebuild", daemon=True).start()

    def _swap_library(self, library) -> None:
        old, self.library = self.library, library
        self.runner.run(old.close)  # after the searches already queued on the old one
        self.runner.run(lambda: browse_items(library.service.store), self._fill_browse)
        self._report_packs(library.report)
        self.statusBar().showMessage("Index updated", 5000)
        if self.search_field.text():
            self._run_search()
        self.rebuilt.emit()

    def _report_packs(self, report) -> None:
        refused = report.refused_packs
        if refused:
            self.statusBar().showMessage(" · ".join(refused) + " — the app runs on without it", 15000)

    def _library_failed(self, message: str) -> None:
        self.progress.hide()
        self.statusBar().showMessage(f"The library could not be opened: {message}")

    def _fill_browse(self, items) -> None:
        self.browse.clear()
        for kind in ("procedure", "complication", "management"):
            top = QTreeWidgetItem([PLURAL_KINDS[kind]])
            top.setFlags(Qt.ItemFlag.ItemIsEnabled)
            for item in sorted((i for i in items if i.kind == kind), key=lambda i: i.title.lower()):
                child = QTreeWidgetItem([item.title])
                child.setData(0, ID_ROLE, item.id)
                top.addChild(child)
            self.browse.addTopLevelItem(top)
        topics = QTreeWidgetItem(["By topic"])
        topics.setFlags(Qt.ItemFlag.ItemIsEnabled)
        by_tag: dict[str, list] = {}
        for item in items:
            for tag in item.tags:
                by_tag.setdefault(tag, []).append(item)
        for tag in sorted(by_tag):
            node = QTreeWidgetItem([f"{tag} ({len(by_tag[tag])})"])
            node.setFlags(Qt.ItemFlag.ItemIsEnabled)
            for item in sorted(by_tag[tag], key=lambda i: i.title.lower()):
                child = QTreeWidgetItem([item.title])
                child.setData(0, ID_ROLE, item.id)
                node.addChild(child)
            topics.addChild(node)
        self.browse.addTopLevelItem(topics)
        self.browse.expandToDepth(0)

    # -- search ----------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.search_field.setFocus()
        self.search_field.selectAll()

    def _filters(self) -> dict:
        kind = self.kind_filter.currentData()
        population = self.population_filter.currentData()
        urgency = self.urgency_filter.currentData()
        return {
            "kinds": [kind] if kind else None,
            "tags": [population] if population else None,
            "urgencies": [urgency] if urgency else None,
        }

    def _run_search(self, *_args) -> None:
        text = self.search_field.text()
        if self.library is None:
            self._pending_query = text
            return
        self._pending_query = None
        self._request += 1
        request = self._request
        if not text.strip():
            self._show_results(request, SearchResults(query="", hits=[], total=0))
            return
        library, filters = self.library, self._filters()
        self.runner.run(lambda: library.search(text, limit=50, **filters), lambda r: self._show_results(request, r))

    def _fill_filters(self, facets: dict[str, dict[str, int]]) -> None:
        population = ("obstetric", "pediatric", "adult")
        specs = (
            (self.kind_filter, ("procedure", "complication", "management"), facets.get("kind", {}), "Any kind"),
            (self.population_filter, population, facets.get("tags", {}), "Any population"),
            (self.urgency_filter, ("emergency", "urgent", "routine"), facets.get("urgency", {}), "Any urgency"),
        )
        for combo, values, counts, label in specs:
            chosen = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(label, None)
            for value in values:
                count = counts.get(value)
                combo.addItem(f"{value.capitalize()} ({count})" if count is not None else value.capitalize(), value)
            combo.setCurrentIndex(max(0, combo.findData(chosen)))
            combo.blockSignals(False)

    def _show_results(self, request: int, results: SearchResults) -> None:
        if request < self._shown_request:
            return  # a newer answer is already on screen
        self._shown_request = request
        self.model.set_hits(results.hits)
        self._fill_filters(results.facets)
        self.tabs.setCurrentWidget(self.results)
        suggestion = ""
        if results.suggestion:
            suggestion = f' — did you mean <a href="suggest">{escape(results.suggestion)}</a>?'
        self._suggestion = results.suggestion
        if results.hits:
            self.results.setCurrentIndex(self.model.index(0, 0))
            noun = "result" if results.total == 1 else "results"
            self.count_label.setText(f"{results.total} {noun}{suggestion}")
        elif results.query:
            self.count_label.setText(
                f"No results for “{escape(results.query)}”{suggestion}<br/>"
                "Try fewer words, an abbreviation (PDPH, EBP), or browse by topic. Filters may hide results."
            )
        else:
            self.count_label.setText("")
        self.results_shown.emit(results)

    def _accept_suggestion(self, _link: str) -> None:
        if getattr(self, "_suggestion", None):
            self.search_field.setText(self._suggestion)

    def _open_current_result(self) -> None:
        if self.model.rowCount():
            index = self.results.currentIndex()
            self._open_index(index if index.isValid() else self.model.index(0, 0))

    def _open_index(self, index: QModelIndex) -> None:
        hit = index.data(HIT_ROLE)
        if hit is not None:
            self.open_entry(hit.id, hit.anchor, self.search_field.text())

    def _open_item(self, item, *_args) -> None:
        entry_id = item.data(0, ID_ROLE) if isinstance(item, QTreeWidgetItem) else item.data(ID_ROLE)
        if entry_id:
            self.open_entry(entry_id)

    def _escape(self) -> None:
        if self.find_bar.isVisible():
            self.close_find()
        else:
            self.search_field.clear()
            self.search_field.setFocus()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt API)
        if obj is self.search_field and event.type() == QEvent.Type.KeyPress:
            if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.model.rowCount():
                row = self.results.currentIndex().row()
                step = 1 if event.key() == Qt.Key.Key_Down else -1
                row = max(0, min(self.model.rowCount() - 1, row + step))
                self.results.setCurrentIndex(self.model.index(row, 0))
                return True
        return super().eventFilter(obj, event)

    # -- reader ----------------------------------------------------------------------------
    def open_entry(self, entry_id: str, anchor: str = "", query: str = "", *, record: bool = True) -> None:
        """Show an entry; from a search hit, land on the matched section with the query's words marked."""
        library, userdata = self.library, self.userdata
        if library is None:
            return

        def load():
            page = library.entry(entry_id)
            if page is None:
                return None
            words = re.findall(r"\w+", " ".join(s.text for s in page.sections) + " " + page.title)
            marked = library.matching_words(query, words) if query else set()
            note = userdata.note(entry_id) if userdata else ""
            bookmarked = userdata.is_bookmarked(entry_id) if userdata else False
            if userdata and record:
                userdata.record_visit(entry_id, page.title)
            return page, marked, note, bookmarked

        self.runner.run(load, lambda loaded: self._show_entry(entry_id, loaded, anchor, record))

    def _show_entry(self, entry_id: str, loaded, anchor: str, record: bool) -> None:
        if loaded is None:
            self.statusBar().showMessage(f"No entry '{entry_id}'", 5000)
            return
        page, marked, note, bookmarked = loaded
        if self._note_timer.isActive():
            self._note_timer.stop()
            self._save_note()
        if record and self.current_id and self.current_id != entry_id:
            self.back_stack.append(self.current_id)
            self.forward_stack.clear()
        self.current_id = entry_id
        self.current_page = page
        self.note_edit.blockSignals(True)
        self.note_edit.setPlainText(note)
        self.note_edit.blockSignals(False)
        self.note_edit.setEnabled(self.userdata is not None and self.policy.notes_enabled)
        self.reader.setHtml(self._page_html(page))
        self.reader.mark_words(marked, colours(self.theme)["mark"])
        self.setWindowTitle(f"{page.title} — Vademecum")
        if anchor and anchor != "summary":
            self.reader.scrollToAnchor(anchor)
        else:
            self.reader.verticalScrollBar().setValue(0)
        self.outline.clear()
        for heading, section_anchor in [
            ("Summary", "summary"),
            *((s.heading, s.anchor) for s in page.sections),
            ("References", "references"),
        ]:
            item = QListWidgetItem(heading)
            item.setData(ID_ROLE, section_anchor)
            self.outline.addItem(item)
        self.related.clear()
        seen: set[str] = set()
        for link in sorted(page.links, key=lambda item: item.title):
            if link.id in seen:
                continue
            seen.add(link.id)
            item = QListWidgetItem(link.title)
            item.setToolTip(f"{link.title} ({KIND_LABELS.get(link.kind, link.kind).lower()})")
            item.setData(ID_ROLE, link.id)
            self.related.addItem(item)
        self.bookmark_action.setChecked(bookmarked)
        self.bookmark_action.setText("★ Bookmarked" if bookmarked else "☆ Bookmark")
        for action in (self.bookmark_action, self.print_action, self.pdf_action, self.find_action):
            action.setEnabled(True)
        self.back_action.setEnabled(bool(self.back_stack))
        self.forward_action.setEnabled(bool(self.forward_stack))
        if self.find_bar.isVisible() and self.find_field.text():
            self._find_in_page(self.find_field.text())
        self.refresh_userdata_lists()
        self.entry_shown.emit(entry_id)

    def _jump_to_section(self, item: QListWidgetItem) -> None:
        self.reader.scrollToAnchor(item.data(ID_ROLE))

    def go_back(self) -> None:
        if self.back_stack:
            self.forward_stack.append(self.current_id)
            self.open_entry(self.back_stack.pop(), record=False)

    def go_forward(self) -> None:
        if self.forward_stack:
            self.back_stack.append(self.current_id)
            self.open_entry(self.forward_stack.pop(), record=False)

    def open_find(self) -> None:
        self.find_bar.show()
        self.find_field.setFocus()
        self.find_field.selectAll()

    def close_find(self) -> None:
        self.find_bar.hide()
        self.reader.setExtraSelections([])
        self.reader.setFocus()

    def _find_in_page(self, text: str) -> None:
        count = self.reader.find_all(text)
        self.find_count.setText(f"{count} found" if text else "")

    # -- personal data ---------------------------------------------------------------------
    def toggle_bookmark(self) -> None:
        if not (self.userdata and self.current_page):
            return
        userdata, page = self.userdata, self.current_page

        def done(state: bool) -> None:
            self.bookmark_action.setChecked(state)
            self.bookmark_action.setText("★ Bookmarked" if state else "☆ Bookmark")
            self.statusBar().showMessage("Bookmarked" if state else "Bookmark removed", 3000)
            self.refresh_userdata_lists()

        self.runner.run(lambda: userdata.toggle_bookmark(page.id, page.title), done)

    def edit_note(self) -> None:
        if self.note_edit.isEnabled():
            self.note_edit.setFocus()

    def _save_note(self) -> None:
        if not (self.userdata and self.current_page and self.policy.notes_enabled):
            return
        userdata, page, text = self.userdata, self.current_page, self.note_edit.toPlainText()
        self.runner.run(lambda: userdata.set_note(page.id, page.title, text), lambda _r: self.userdata_changed.emit())

    def refresh_userdata_lists(self) -> None:
        userdata = self.userdata
        if userdata is None:
            return

        def fill(lists) -> None:
            bookmarks, recent = lists
            for widget, rows in ((self.bookmark_list, bookmarks), (self.recent_list, recent)):
                widget.clear()
                for entry_id, title in rows:
                    item = QListWidgetItem(title)
                    item.setData(ID_ROLE, entry_id)
                    widget.addItem(item)

        self.runner.run(lambda: ([(b.entry_id, b.title) for b in userdata.bookmarks()], userdata.recent()), fill)

    def export_userdata(self, path: Path) -> None:
        text = self.userdata.export_markdown() if path.suffix.lower() == ".md" else self.userdata.export_json()
        path.write_text(text, encoding="utf-8")

    def import_userdata(self, path: Path) -> tuple[int, int]:
        counts = self.userdata.import_json(path.read_text(encoding="utf-8"))
        self.refresh_userdata_lists()
        return counts

    def export_userdata_dialog(self) -> None:
        if self.userdata is None:
            return
        name, _ = QFileDialog.getSaveFileName(
            self, "Export bookmarks and notes", "vademecum-notes.json", "JSON (*.json);;Markdown (*.md)"
        )
        if name:
            self.export_userdata(Path(name))
            self.statusBar().showMessage(f"Exported to {name}", 5000)

    def import_userdata_dialog(self) -> None:
        if self.userdata is None:
            return
        name, _ = QFileDialog.getOpenFileName(self, "Import bookmarks and notes", "", "JSON (*.json)")
        if not name:
            return
        try:
            added, updated = self.import_userdata(Path(name))
        except (OSError, ValueError) as exc:
            QMessageBox.warning(self, "Import", f"Nothing was imported: {exc}")
            return
        self.statusBar().showMessage(f"Imported {added} bookmarks and {updated} notes", 5000)

    # -- print, dialogs --------------------------------------------------------------------
    def _print_html(self):
        page = self.current_page
        html = entry_html(page, theme="light", font_size=10, note=self.note_edit.toPlainText())
        return html, footer_text(page.title, page.content_version, page.reviewed)

    def export_entry_pdf(self, path: Path) -> int:
        html, footer = self._print_html()
        return export_pdf(html, path, footer)

    def export_pdf_dialog(self) -> None:
        if self.current_page is None:
            return
        name, _ = QFileDialog.getSaveFileName(self, "Export to PDF", f"{self.current_page.id}.pdf", "PDF (*.pdf)")
        if name:
            pages = self.export_entry_pdf(Path(name))
            self.statusBar().showMessage(f"Saved {name} ({pages} pages)", 5000)

    def print_entry(self) -> None:
        if self.current_page is None:
            return
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if QPrintDialog(printer, self).exec():
            html, footer = self._print_html()
            paint_document(html, printer, footer)

    def show_disclaimer(self) -> None:
        if DisclaimerDialog(self).exec():
            self.settings.set("disclaimer_accepted", True)

    def show_about(self) -> None:
        if self.library is None:
            return
        store = self.library.service.store
        counts: dict[str, int] = {}
        for row in store.entries():
            counts[row["kind"]] = counts.get(row["kind"], 0) + 1
        references = store.db["refs"].count
        AboutDialog(self.library.content_version, counts, references, self).exec()

    def show_shortcuts(self) -> None:
        ShortcutsDialog([(s.keys, s.action) for s in SHORTCUTS], self).exec()

    def show_symptom_finder(self) -> None:
        if self.library is None:
            return
        if self.symptom_finder is None:
            import yaml

            from index.paths import bundled_resources

            raw = yaml.safe_load((bundled_resources() / "symptoms.yaml").read_text(encoding="utf-8"))
            labels = {str(s["id"]): str(s["label"]) for s in raw}
            self.symptom_finder = SymptomFinder(labels, self)
            store, finder = self.library.service.store, self.symptom_finder
            finder.query_changed.connect(
                lambda symptoms, hours: self.runner.run(
                    lambda: find_profiles(store, symptoms, hours), lambda m: finder.show_matches(m, labels)
                )
            )
            finder.entry_requested.connect(self.open_entry)
        self.symptom_finder.show()
        self.symptom_finder.raise_()

    def show_pathways(self, pathway_id: str = "") -> None:
        if self.library is None:
            return
        if self.pathway_view is None:
            self.pathway_view = PathwayView(load_pathways(self.library.service.store), self)
            self.pathway_view.entry_requested.connect(self.open_entry)
        if pathway_id:
            self.pathway_view.show_pathway(pathway_id)
        self.pathway_view.show()
        self.pathway_view.raise_()

    @staticmethod
    def _welcome_html() -> str:
        return (
            "<h2 style='color:#0f4c81'>Vademecum</h2><p>Offline reference for neuraxial anesthesia, "
            "post-dural puncture headache and the epidural blood patch pathway.</p>"
            "<p>Type in the search field: abbreviations (PDPH, EBP, LAST), UK or US spelling, "
            "or a symptom. <b>Ctrl+L</b> returns to the search field, <b>Esc</b> clears it, "
            "<b>↑/↓</b> move through results and <b>Enter</b> opens one. <b>F1</b> lists every shortcut.</p>"
            "<p>Use the <b>Symptom finder</b> when you start from what the patient has, and <b>Pathways</b> "
            "for the order of management.</p>"
            "<p style='color:#5b6b7c'>A reference, not a substitute for clinical judgement or local policy.</p>"
        )
