"""The search pane: the field (with its own debounce and arrow keys), facet filters, the result
count, and the tabs (results, browse, bookmarks, recent). It only emits what the user asks for;
it never calls the library."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QModelIndex, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.entry_header import BADGE_ICON_SIZE, badge_icon
from desktop.results import HIT_ROLE, ID_ROLE, ResultDelegate, ResultModel
from index.library import BrowseItem
from index.model import (
    KIND_LABELS,
    KIND_PLURALS,
    KINDS,
    POPULATION_LABELS,
    POPULATIONS,
    URGENCIES,
    URGENCY_LABELS,
    SearchRequest,
    SearchResults,
)

DEBOUNCE_MS = 150  # the longest pause waited for (searches as slow as this or slower)
FAST_SEARCH_MS = 30  # a search this quick runs at every key: no pause is waited for
ACT_NOW = ("emergency", "urgent")
SEARCH_LIMIT = 50
BROWSE_FIRST = 40  # browse rows of each kind added at once: more than a screenful
BROWSE_CHUNK = 120  # browse rows added per turn of the event loop after those
RESULT_BATCH = 12  # result rows laid out per turn of the event loop
TOPIC_ROLE = Qt.ItemDataRole.UserRole + 3  # the tag behind a topic row in Browse


class SearchField(QLineEdit):
    """A search field that owns its debounce and its arrow keys (Anki's sidebar search bar):
    `search_requested` fires once typing pauses; Up/Down move through the results.

    The pause adapts to how long searches take (`searched_in`): while they are quick, every key
    searches at once (keys already queued still make one search); a slow search waits for a pause
    about as long as itself, at most DEBOUNCE_MS, so the worker is not flooded with stale queries
    (and a query overtaken before the worker reaches it is skipped there)."""

    search_requested = Signal(str)
    step = Signal(int)  # +1 Down, -1 Up

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("Search: PDPH, blood patch, wet tap, spinal haematoma…")
        self.setClearButtonEnabled(True)
        self.setAccessibleName("Search")
        self._timer = QTimer(self, singleShot=True, interval=0)  # quick until a search says otherwise
        self._timer.timeout.connect(lambda: self.search_requested.emit(self.text()))
        self.textChanged.connect(lambda _text: self._timer.start())

    @property
    def debounce_ms(self) -> int:
        """How long typing must pause before the next search is sent (0: at the next key)."""
        return self._timer.interval()

    def searched_in(self, elapsed_ms: float) -> None:
        """The last search took elapsed_ms on the worker: set the pause for the next keys."""
        pause = 0 if elapsed_ms < FAST_SEARCH_MS else min(DEBOUNCE_MS, round(elapsed_ms))
        self._timer.setInterval(pause)

    def flush(self) -> bool:
        """Ask now for a search still waiting for its typing pause; True if there was one."""
        if not self._timer.isActive():
            return False
        self._timer.stop()
        self.search_requested.emit(self.text())
        return True

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            self.step.emit(1 if event.key() == Qt.Key.Key_Down else -1)
            return
        super().keyPressEvent(event)


def _combo(name: str, label: str) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(name)
    combo.setToolTip(name)
    combo.addItem(label, None)
    return combo


class SearchPane(QWidget):
    request_changed = Signal(object)  # SearchRequest: the text paused or a filter changed
    entry_requested = Signal(str, str, str)  # entry id, anchor, the query that found it

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = SearchField()
        self.field.search_requested.connect(lambda _text: self._emit_request())
        self.field.step.connect(self._step)
        self.field.returnPressed.connect(self._open_current)
        self.kind_filter = _combo("Filter by kind", "Any kind")
        self.population_filter = _combo("Filter by population", "Any population")
        self.urgency_filter = _combo("Filter by urgency", "Any urgency")
        facets = QHBoxLayout()
        for combo in self.filters():
            combo.currentIndexChanged.connect(self._emit_request)
            facets.addWidget(combo)
        self.count_label = QLabel("")
        self.count_label.setAccessibleName("Result count")
        self.count_label.setTextFormat(Qt.TextFormat.RichText)
        self.count_label.setWordWrap(True)
        self.count_label.linkActivated.connect(self._accept_suggestion)
        self._suggestion: str | None = None
        self._facets: dict[str, dict[str, int]] | None = None  # the counts the filters show
        self._awaiting = False  # a request was sent and its results have not arrived yet
        self._open_on_arrival = False  # Enter was pressed before the results of the typed text
        self.urgency_by_id: dict[str, str | None] = {}
        self._build_tabs()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 4, 8)
        layout.addWidget(self.field)
        layout.addLayout(facets)
        layout.addWidget(self.count_label)
        layout.addWidget(self.tabs, 1)
        self.fill_filters({})

    def _build_tabs(self) -> None:
        self.model = ResultModel()
        self.results = QListView()
        self.results.setModel(self.model)
        self.results.setItemDelegate(ResultDelegate(self.results))
        self.results.setAccessibleName("Search results")
        self.results.setWordWrap(True)
        self.results.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.results.setResizeMode(QListView.ResizeMode.Adjust)  # re-measure rows when the width changes
        # Rows are rich text, each measured by laying out a document: the first screenful is laid
        # out at once and the rest between events, so typing never waits for fifty layouts.
        self.results.setLayoutMode(QListView.LayoutMode.Batched)
        self.results.setBatchSize(RESULT_BATCH)
        self.results.activated.connect(self._open_index)
        self.results.clicked.connect(self._open_index)
        self.browse = QTreeWidget()
        self.browse.setHeaderHidden(True)
        self.browse.setAccessibleName("Browse entries by kind and topic")
        self.browse.setIconSize(QSize(*BADGE_ICON_SIZE))
        self.browse.itemActivated.connect(self._open_item)
        self.browse.itemExpanded.connect(self._fill_topic)
        self._topic_entries: dict[str, list[BrowseItem]] = {}  # tag → entries of a topic not yet expanded
        self._browse_fill = 0  # which fill of the tree the rows still being added belong to
        self.browse.itemClicked.connect(self._open_item)
        self.bookmark_list = self._list("Bookmarks")
        self.recent_list = self._list("Recently opened")
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Lists")
        self.tabs.addTab(self.results, "Results")
        self.tabs.addTab(self.browse, "Browse")
        self.tabs.addTab(self.bookmark_list, "Bookmarks")
        self.tabs.addTab(self.recent_list, "Recent")
        self.tabs.setCurrentWidget(self.browse)  # something to pick from before the first search

    def _list(self, name: str) -> QListWidget:
        widget = QListWidget()
        widget.setAccessibleName(name)
        widget.setIconSize(QSize(*BADGE_ICON_SIZE))
        widget.itemActivated.connect(self._open_item)
        widget.itemClicked.connect(self._open_item)
        return widget

    def filters(self) -> tuple[QComboBox, QComboBox, QComboBox]:
        return self.kind_filter, self.population_filter, self.urgency_filter

    # -- what the user asks --------------------------------------------------------------------
    def request(self) -> SearchRequest:
        kind, population, urgency = (combo.currentData() for combo in self.filters())
        return SearchRequest(
            self.field.text(),
            limit=SEARCH_LIMIT,
            kinds=(kind,) if kind else (),
            tags=(population,) if population else (),
            urgencies=(urgency,) if urgency else (),
        )

    def _emit_request(self, *_args) -> None:
        self._awaiting = True
        self.request_changed.emit(self.request())

    def focus(self) -> None:
        self.field.setFocus()
        self.field.selectAll()

    def clear(self) -> None:
        self.field.clear()
        self.field.setFocus()

    def _accept_suggestion(self, _link: str) -> None:
        if self._suggestion:
            self.field.setText(self._suggestion)

    def _step(self, step: int) -> None:
        if self.model.rowCount():
            row = max(0, min(self.model.rowCount() - 1, self.results.currentIndex().row() + step))
            self.results.setCurrentIndex(self.model.index(row, 0))

    def _open_current(self) -> None:
        """Enter acts on the results of what was typed: if they are not in yet, open on arrival."""
        if self.field.flush() or self._awaiting:
            self._open_on_arrival = True
            return
        if self.model.rowCount():
            index = self.results.currentIndex()
            self._open_index(index if index.isValid() else self.model.index(0, 0))

    def _open_index(self, index: QModelIndex) -> None:
        hit = index.data(HIT_ROLE)
        if hit is not None:
            self.entry_requested.emit(hit.id, hit.anchor, self.field.text())

    def _open_item(self, item, *_args) -> None:
        entry_id = item.data(0, ID_ROLE) if isinstance(item, QTreeWidgetItem) else item.data(ID_ROLE)
        if entry_id:
            self.entry_requested.emit(entry_id, "", "")

    # -- what the library answers ----------------------------------------------------------------
    def show_results(self, results: SearchResults) -> None:
        """Fill the list; the same hits as shown (a key that changes nothing) keep the list, its
        layout and the row the user is on, and unchanged facet counts keep the filters."""
        if results.hits != self.model.hits:
            self.model.set_hits(results.hits)
            if results.hits:
                self.results.setCurrentIndex(self.model.index(0, 0))
        if results.facets != self._facets:
            self.fill_filters(results.facets)
        self.tabs.setCurrentWidget(self.results if results.query else self.browse)
        self._suggestion = results.suggestion
        text = count_text(results)
        if text != self.count_label.text():
            self.count_label.setText(text)
        self._awaiting = False
        if self._open_on_arrival:
            self._open_on_arrival = False
            self._open_current()

    def fill_filters(self, facets: dict[str, dict[str, int]]) -> None:
        self._facets = facets
        specs = (
            (self.kind_filter, KINDS, KIND_LABELS, facets.get("kind", {}), "Any kind"),
            (self.population_filter, POPULATIONS, POPULATION_LABELS, facets.get("tags", {}), "Any population"),
            (self.urgency_filter, URGENCIES, URGENCY_LABELS, facets.get("urgency", {}), "Any urgency"),
        )
        for combo, values, labels, counts, any_label in specs:
            chosen = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(any_label, None)
            for value in values:
                count = counts.get(value)
                combo.addItem(f"{labels[value]} ({count})" if count is not None else labels[value], value)
            combo.setCurrentIndex(max(0, combo.findData(chosen)))
            combo.blockSignals(False)

    def set_reading_size(self, point_size: int) -> None:
        """Results in a size close to the reader's, not the small default of a list."""
        font = self.results.font()
        font.setPointSize(max(9, point_size - 1))
        self.results.setFont(font)
        self.results.doItemsLayout()

    def fill_browse(self, items: list[BrowseItem], labels: dict[str, str] | None = None) -> None:
        """Kinds open with their entries; a topic gets its entries when first expanded (a large
        library has thousands of topic rows nobody looks at on most days). A kind's first
        BROWSE_FIRST rows come at once, the rest a chunk per turn of the event loop, so typing
        in the search field never waits for ten thousand rows."""
        labels = labels or {}
        self.urgency_by_id = {item.id: item.urgency for item in items}
        self._topic_entries = {}
        self._browse_fill += 1  # a fill still under way for an older library stops
        self.browse.setUpdatesEnabled(False)
        self.browse.clear()
        rest: list[tuple[QTreeWidgetItem, list[BrowseItem], bool]] = []
        for kind in KINDS:
            top = _node(KIND_PLURALS[kind])
            group = sorted((i for i in items if i.kind == kind), key=lambda i: i.title.lower())
            blank = any(i.urgency in ACT_NOW for i in group)  # line titles up only beside badges
            top.addChildren(_leaves(group[:BROWSE_FIRST], blank))
            rest += [(top, group[n : n + BROWSE_CHUNK], blank) for n in range(BROWSE_FIRST, len(group), BROWSE_CHUNK)]
            self.browse.addTopLevelItem(top)
        topics = _node("By topic")
        by_tag: dict[str, list[BrowseItem]] = {}
        for item in items:
            for tag in item.tags:
                by_tag.setdefault(tag, []).append(item)
        for tag in sorted(by_tag, key=lambda t: labels.get(t, t).lower()):
            node = _node(f"{labels.get(tag, tag)} ({len(by_tag[tag])})")
            node.setChildIndicatorPolicy(QTreeWidgetItem.ChildIndicatorPolicy.ShowIndicator)
            node.setData(0, TOPIC_ROLE, tag)
            self._topic_entries[tag] = by_tag[tag]
            topics.addChild(node)
        self.browse.addTopLevelItem(topics)
        self.browse.expandToDepth(0)
        self.browse.setUpdatesEnabled(True)
        self._fill_rest(self._browse_fill, rest)

    def _fill_rest(self, fill: int, rest: list[tuple[QTreeWidgetItem, list[BrowseItem], bool]]) -> None:
        if not rest or fill != self._browse_fill:
            return
        node, chunk, blank = rest.pop(0)
        node.addChildren(_leaves(chunk, blank))
        QTimer.singleShot(0, self, lambda: self._fill_rest(fill, rest))

    def _fill_topic(self, node: QTreeWidgetItem) -> None:
        entries = self._topic_entries.pop(node.data(0, TOPIC_ROLE) or "", None)
        if entries is not None:
            node.addChildren(
                _leaves(sorted(entries, key=lambda i: i.title.lower()), any(i.urgency in ACT_NOW for i in entries))
            )

    def fill_lists(self, bookmarks: list[tuple[str, str]], recent: list[tuple[str, str]]) -> None:
        for widget, rows in ((self.bookmark_list, bookmarks), (self.recent_list, recent)):
            widget.clear()
            blank = any(self.urgency_by_id.get(entry_id) in ACT_NOW for entry_id, _title in rows)
            for entry_id, title in rows:
                item = QListWidgetItem(badge_icon(self.urgency_by_id.get(entry_id), blank=blank), title)
                item.setData(ID_ROLE, entry_id)
                _describe(item, title, self.urgency_by_id.get(entry_id))
                widget.addItem(item)


def count_text(results: SearchResults) -> str:
    """The line above the results: how many, a did-you-mean, why there are none, or the error."""
    if results.error:
        return (
            f"<span style='color:#b3261e;'><b>{escape(results.error)}</b></span><br/>The details are in the log file."
        )
    suggestion = ""
    if results.suggestion:
        suggestion = f' — did you mean <a href="suggest">{escape(results.suggestion)}</a>?'
    if results.hits:
        return f"{results.total} {'result' if results.total == 1 else 'results'}{suggestion}"
    if results.query:
        return (
            f"No results for “{escape(results.query)}”{suggestion}<br/>"
            "Try fewer words, an abbreviation (PDPH, EBP), or browse by topic. Filters may hide results."
        )
    return ""


def _node(text: str) -> QTreeWidgetItem:
    node = QTreeWidgetItem([text])
    node.setFlags(Qt.ItemFlag.ItemIsEnabled)
    return node


def _leaves(items: list[BrowseItem], blank: bool) -> list[QTreeWidgetItem]:
    """blank: a badge-sized blank on rows without a badge, so titles line up beside badges."""
    return [_leaf(i.title, i.id, i.urgency, blank) for i in items]


def _leaf(title: str, entry_id: str, urgency: str | None = None, blank: bool = False) -> QTreeWidgetItem:
    leaf = QTreeWidgetItem([title])
    leaf.setData(0, ID_ROLE, entry_id)
    leaf.setIcon(0, badge_icon(urgency, blank=blank))
    if urgency in ("emergency", "urgent"):
        leaf.setToolTip(0, f"{title} — {URGENCY_LABELS[urgency]}")
        leaf.setData(0, Qt.ItemDataRole.AccessibleTextRole, f"{title}, {URGENCY_LABELS[urgency]}")
    return leaf


def _describe(item: QListWidgetItem, title: str, urgency: str | None) -> None:
    """Say the urgency to a screen reader and in the tooltip, not only with the badge's colour."""
    if urgency in ("emergency", "urgent"):
        item.setToolTip(f"{title} — {URGENCY_LABELS[urgency]}")
        item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{title}, {URGENCY_LABELS[urgency]}")
