"""The main window: search field, result list and entry reader."""

from __future__ import annotations

import re
from html import escape

from PySide6.QtCore import QAbstractListModel, QEvent, QModelIndex, QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QKeySequence,
    QPalette,
    QShortcut,
    QTextCharFormat,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QListView,
    QMainWindow,
    QProgressBar,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTextBrowser,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.page import KIND_LABELS, entry_html
from desktop.tasks import TaskRunner
from index.model import SearchHit, SearchResults

DEBOUNCE_MS = 150
KIND_COLOURS = {"procedure": "#2f6f4f", "complication": "#a23b2a", "management": "#3a5a98"}
HIT_ROLE = Qt.ItemDataRole.UserRole + 1


class ResultModel(QAbstractListModel):
    def __init__(self) -> None:
        super().__init__()
        self.hits: list[SearchHit] = []

    def set_hits(self, hits: list[SearchHit]) -> None:
        self.beginResetModel()
        self.hits = list(hits)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802 (Qt API)
        return 0 if parent.isValid() else len(self.hits)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self.hits):
            return None
        hit = self.hits[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return hit.title
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{KIND_LABELS.get(hit.kind, hit.kind)}: {hit.title}, section {hit.section}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{hit.title} — {hit.section}"
        if role == HIT_ROLE:
            return hit
        return None


def result_html(hit: SearchHit, selected: bool = False) -> str:
    colour = KIND_COLOURS.get(hit.kind, "#555555")
    muted = "#dfe8f2" if selected else "#5b6b7c"
    kind = escape(KIND_LABELS.get(hit.kind, hit.kind))
    snippet = re.sub(r"\s+", " ", hit.snippet)
    return (
        f'<span style="background-color:{colour}; color:#ffffff; font-size:small;">&nbsp;{kind}&nbsp;</span> '
        f"<b>{escape(hit.title)}</b> <span style='color:{muted}; font-size:small;'>· {escape(hit.section)}</span>"
        f"<br/><span style='font-size:small;'>{snippet}</span>"
    ).replace('<b class="hit">', '<b style="background-color:#ffe680; color:#1c2530;">')


class ResultDelegate(QStyledItemDelegate):
    """Paints a result as rich text: kind badge, title, matched section, highlighted snippet."""

    MARGIN = 6

    def _document(self, option: QStyleOptionViewItem, index: QModelIndex) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        doc.setHtml(result_html(index.data(HIT_ROLE), selected))
        doc.setTextWidth(max(100, option.rect.width() - 2 * self.MARGIN))
        return doc

    def paint(self, painter, option, index) -> None:
        self.initStyleOption(option, index)
        style = option.widget.style() if option.widget else None
        option.text = ""
        if style:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        doc = self._document(option, index)
        painter.save()
        painter.translate(option.rect.left() + self.MARGIN, option.rect.top() + self.MARGIN)
        context = QAbstractTextDocumentLayout.PaintContext()
        if option.state & QStyle.StateFlag.State_Selected:
            context.palette.setColor(QPalette.ColorRole.Text, option.palette.color(QPalette.ColorRole.HighlightedText))
        doc.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option, index) -> QSize:  # noqa: N802 (Qt API)
        self.initStyleOption(option, index)
        doc = self._document(option, index)
        return QSize(int(doc.idealWidth()), int(doc.size().height()) + 2 * self.MARGIN)


class EntryBrowser(QTextBrowser):
    """QTextBrowser that never loads anything from outside: content is text and our own CSS."""

    entry_requested = Signal(str, str)  # entry id, anchor

    def __init__(self) -> None:
        super().__init__()
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self._follow)
        self.marked_count = 0

    def loadResource(self, kind: int, url: QUrl):  # noqa: N802 (Qt API)
        return None  # no images, no stylesheets, no network: the page is self-contained

    def mark_words(self, words: set[str]) -> None:
        """Highlight every whole-word occurrence of these words (the search terms) in the page."""
        selections = []
        highlight = QTextCharFormat()
        highlight.setBackground(QColor("#ffe680"))
        highlight.setForeground(QColor("#1c2530"))
        document = self.document()
        for word in sorted(words):
            cursor = document.find(word, 0, QTextDocument.FindFlag.FindWholeWords)
            while not cursor.isNull():
                selection = QTextEdit.ExtraSelection()
                selection.cursor = cursor
                selection.format = highlight
                selections.append(selection)
                cursor = document.find(word, cursor, QTextDocument.FindFlag.FindWholeWords)
        self.setExtraSelections(selections)
        self.marked_count = len(selections)

    def _follow(self, url: QUrl) -> None:
        if url.scheme() == "entry":
            self.entry_requested.emit(url.path(), url.fragment())
        elif not url.scheme() and url.fragment():
            self.scrollToAnchor(url.fragment())


class MainWindow(QMainWindow):
    results_shown = Signal(object)  # SearchResults, after the list is updated
    entry_shown = Signal(str)  # entry id, after the reader shows it
    library_ready = Signal()

    def __init__(self, runner: TaskRunner, open_library) -> None:
        super().__init__()
        self.setWindowTitle("Vademecum — neuraxial anesthesia reference")
        self.runner = runner
        self.library = None
        self.current_id: str | None = None
        self._request = 0
        self._shown_request = 0
        self._pending_query: str | None = None

        self.search_field = QLineEdit()
        self.search_field.setPlaceholderText("Search: PDPH, blood patch, wet tap, spinal hematoma…")
        self.search_field.setClearButtonEnabled(True)
        self.search_field.setAccessibleName("Search")
        self.search_field.textChanged.connect(self._schedule_search)
        self.search_field.returnPressed.connect(self._open_first)

        self.count_label = QLabel("")
        self.count_label.setAccessibleName("Result count")
        self.model = ResultModel()
        self.results = QListView()
        self.results.setModel(self.model)
        self.results.setItemDelegate(ResultDelegate(self.results))
        self.results.setAccessibleName("Search results")
        self.results.setUniformItemSizes(False)
        self.results.setWordWrap(True)
        self.results.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.results.activated.connect(self._open_index)
        self.results.clicked.connect(self._open_index)

        self.reader = EntryBrowser()
        self.reader.setAccessibleName("Entry")
        self.reader.entry_requested.connect(self.open_entry)
        self.reader.setHtml(self._welcome_html())

        left = QWidget()
        layout = QVBoxLayout(left)
        layout.setContentsMargins(8, 8, 4, 8)
        layout.addWidget(self.search_field)
        layout.addWidget(self.count_label)
        layout.addWidget(self.results, 1)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.reader)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([460, 820])
        self.setCentralWidget(splitter)

        self.progress = QProgressBar()
        self.progress.setMaximumWidth(240)
        self.progress.setAccessibleName("Index build progress")
        self.progress.hide()
        self.statusBar().addPermanentWidget(self.progress)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._run_search)
        QShortcut(QKeySequence("Ctrl+L"), self, self.focus_search)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self.search_field, self.search_field.clear)
        self.search_field.installEventFilter(self)
        self.resize(1280, 800)
        self.search_field.setFocus()
        self._start_library(open_library)

    # -- library ---------------------------------------------------------------------------
    def _start_library(self, open_library) -> None:
        self.statusBar().showMessage("Opening the library…")

        def progress(done: int, total: int, title: str) -> None:
            self.runner.post(self._show_progress, (done, total))

        def on_rebuild(reason: str) -> None:
            self.runner.post(self._notice_rebuild, reason)

        self.runner.run(
            lambda: open_library(progress=progress, on_rebuild=on_rebuild),
            self._library_opened,
            self._library_failed,
        )

    def _notice_rebuild(self, reason: str) -> None:
        self.statusBar().showMessage(f"Building the search index ({reason})…")
        self.progress.setRange(0, 0)
        self.progress.show()

    def _show_progress(self, value: tuple[int, int]) -> None:
        done, total = value
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.progress.show()

    def _library_opened(self, library) -> None:
        self.library = library
        self.progress.hide()
        entries = library.meta.get("entry_count", "?")
        self.statusBar().showMessage(f"{entries} entries · content version {library.content_version}", 8000)
        self.library_ready.emit()
        if self._pending_query is not None or self.search_field.text():
            self._run_search()

    def _library_failed(self, message: str) -> None:
        self.progress.hide()
        self.statusBar().showMessage(f"The library could not be opened: {message}")

    # -- search ----------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.search_field.setFocus()
        self.search_field.selectAll()

    def _schedule_search(self, _text: str = "") -> None:
        self._timer.start()

    def _run_search(self) -> None:
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
        library = self.library
        self.runner.run(lambda: library.search(text, limit=50), lambda r: self._show_results(request, r))

    def _show_results(self, request: int, results: SearchResults) -> None:
        if request < self._shown_request:
            return  # a newer answer is already on screen
        self._shown_request = request
        self.model.set_hits(results.hits)
        if results.hits:
            self.results.setCurrentIndex(self.model.index(0, 0))
            noun = "result" if results.total == 1 else "results"
            self.count_label.setText(f"{results.total} {noun}")
        elif results.query:
            hint = f" — did you mean <i>{escape(results.suggestion)}</i>?" if results.suggestion else ""
            self.count_label.setText(f"No results for “{escape(results.query)}”{hint}")
        else:
            self.count_label.setText("")
        self.results_shown.emit(results)

    def _open_first(self) -> None:
        if self.model.rowCount():
            index = self.results.currentIndex()
            self._open_index(index if index.isValid() else self.model.index(0, 0))

    def _open_index(self, index: QModelIndex) -> None:
        hit = index.data(HIT_ROLE)
        if hit is not None:
            self.open_entry(hit.id, hit.anchor, self.search_field.text())

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
    def open_entry(self, entry_id: str, anchor: str = "", query: str = "") -> None:
        """Show an entry; from a search hit, land on the matched section with the query's words marked."""
        library = self.library
        if library is None:
            return

        def load():
            page = library.entry(entry_id)
            if page is None:
                return None
            words = re.findall(r"\w+", " ".join(s.text for s in page.sections) + " " + page.title)
            marked = library.matching_words(query, words) if query else set()
            return page, entry_html(page), marked

        self.runner.run(load, lambda loaded: self._show_entry(entry_id, loaded, anchor))

    def _show_entry(self, entry_id: str, loaded, anchor: str) -> None:
        if loaded is None:
            self.statusBar().showMessage(f"No entry '{entry_id}'", 5000)
            return
        page, page_html, marked = loaded
        self.current_id = entry_id
        self.reader.setHtml(page_html)
        self.reader.mark_words(marked)
        self.setWindowTitle(f"{page.title} — Vademecum")
        if anchor and anchor != "summary":
            self.reader.scrollToAnchor(anchor)
        else:
            self.reader.verticalScrollBar().setValue(0)
        self.entry_shown.emit(entry_id)

    @staticmethod
    def _welcome_html() -> str:
        return (
            "<h2 style='color:#0f4c81'>Vademecum</h2><p>Offline reference for neuraxial anesthesia, "
            "post-dural puncture headache and the epidural blood patch pathway.</p>"
            "<p>Type in the search field: abbreviations (PDPH, EBP, LAST), UK or US spelling, "
            "or a symptom. <b>Ctrl+L</b> returns to the search field, <b>Esc</b> clears it, "
            "<b>↑/↓</b> move through results and <b>Enter</b> opens one.</p>"
            "<p style='color:#5b6b7c'>A reference, not a substitute for clinical judgement or local policy.</p>"
        )
