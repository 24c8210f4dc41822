"""The reader pane: the entry page with its find bar and history (back/forward), and beside it the
outline, related entries and the user's note. It shows what it is given and asks for entries
through `entry_requested`; it never calls the library (Zeal's browser tab)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.entry_header import EntryHeader
from desktop.library_controller import LoadedEntry, Opening
from desktop.markup import plain_tooltip
from desktop.page import MEASURE_CHARS, entry_html, reading_order
from desktop.reader import EntryBrowser
from desktop.results import ID_ROLE
from desktop.start_page import StartLists, start_html
from desktop.themes import colours
from index.library import EntryPage
from index.model import KIND_LABELS

NOTE_SAVE_MS = 800


@dataclass(frozen=True)
class Visit:
    """A page in the history: which entry, the query that marked it, and where the reader was."""

    entry_id: str
    query: str
    anchor: str
    scroll: int


class ReaderPane(QObject):
    """Owns two widgets the window lays out: `page_host` (page + find bar) and `side`."""

    entry_requested = Signal(object)  # Opening
    entry_shown = Signal(str)  # entry id, after the page shows it
    history_changed = Signal(bool, bool)  # can go back, can go forward
    note_changed = Signal(str, str, str)  # entry id, title, text (once typing pauses)
    pathway_requested = Signal(str)  # a pathway link on the start page

    def __init__(self, parent: QObject | None = None, *, notes_enabled: bool = True) -> None:
        super().__init__(parent)
        self.notes_enabled = notes_enabled
        self.page: EntryPage | None = None
        self.theme, self.font_size = "light", 11
        self.back_stack: list[Visit] = []
        self.forward_stack: list[Visit] = []
        self.query = ""  # the query whose words are marked on the open page
        self.marked: set[str] = set()
        self.marks_enabled = True
        self.mark_anchor = ""  # marks stay inside this section (the one the search matched)
        self.aliases_open = False
        self.start = StartLists()
        self._note_timer = QTimer(self, singleShot=True, interval=NOTE_SAVE_MS)
        self._note_timer.timeout.connect(self.save_note)
        self._start_render = QTimer(self, singleShot=True, interval=0)
        self._start_render.timeout.connect(lambda: self.page is None and self._render())
        # Notes that could not be saved (disk full, read-only): entry id → (title, text), kept and
        # shown again until a save succeeds, so nothing typed is lost by switching entries.
        self.unsaved_notes: dict[str, tuple[str, str]] = {}
        self.not_saved_reason = ""
        self._build_page()
        self._build_side()
        self._render()

    @property
    def current_id(self) -> str | None:
        return self.page.id if self.page else None

    def _build_page(self) -> None:
        self.reader = EntryBrowser()
        self.reader.setAccessibleName("Entry")
        self.reader.entry_requested.connect(
            lambda entry_id, anchor: self.entry_requested.emit(Opening(entry_id, anchor))
        )
        self.reader.pathway_requested.connect(self.pathway_requested)
        self.reader.action_requested.connect(self._page_action)
        self.header = EntryHeader()
        self.find_field = QLineEdit()
        self.find_field.setPlaceholderText("Find in page")
        self.find_field.setAccessibleName("Find in page")
        self.find_field.textChanged.connect(self._find_in_page)
        self.find_field.returnPressed.connect(self.find_next)
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
        self.page_host = QWidget()
        layout = QVBoxLayout(self.page_host)
        layout.setContentsMargins(4, 8, 4, 8)
        layout.addWidget(self.header)
        layout.addWidget(self.reader, 1)
        layout.addWidget(self.find_bar)

    def _build_side(self) -> None:
        self.outline = QListWidget()
        self.outline.setAccessibleName("Outline")
        self.outline.itemActivated.connect(self._jump)
        self.outline.itemClicked.connect(self._jump)
        self.related = QListWidget()
        self.related.setAccessibleName("Related entries")
        self.related.setWordWrap(True)
        self.related.itemActivated.connect(self._open_related)
        self.related.itemClicked.connect(self._open_related)
        self.note_edit = QPlainTextEdit()
        self.note_edit.setAccessibleName("My note on this entry")
        self.note_edit.setPlaceholderText("Your own note on this entry (kept on this computer only)")
        self.note_edit.setEnabled(False)
        self.note_edit.textChanged.connect(lambda: self._note_timer.start())
        if not self.notes_enabled:
            self.note_edit.setPlaceholderText("Notes are switched off on this computer by your department.")
        self.note_status = QLabel("")  # why the note on screen is not saved (plain text, never markup)
        self.note_status.setTextFormat(Qt.TextFormat.PlainText)
        self.note_status.setWordWrap(True)
        self.note_status.setAccessibleName("Note not saved")
        self.note_status.setStyleSheet("color: #b3261e;")
        self.note_status.hide()
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
        layout.addWidget(self.note_status)
        self.side.hide()  # nothing to outline before an entry is open: the start page takes the room

    # -- showing an entry ------------------------------------------------------------------------
    def show_entry(self, opening: Opening, loaded: LoadedEntry, *, notes_writable: bool) -> None:
        self.flush_note()
        if opening.record and self.current_id and self.current_id != loaded.page.id:
            self.back_stack.append(self._visit())
            self.forward_stack.clear()
        self.page = loaded.page
        unsaved = self.unsaved_notes.get(loaded.page.id)
        self.query, self.marked = opening.query, loaded.marked
        self.mark_anchor = opening.anchor if opening.query else ""
        self.aliases_open = False
        self.side.show()
        self.note_edit.blockSignals(True)
        self.note_edit.setPlainText(unsaved[1] if unsaved else loaded.note)
        self.note_edit.blockSignals(False)
        self.note_edit.setEnabled(notes_writable and self.notes_enabled and loaded.note_readable)
        self._show_note_status()
        if unsaved:
            self._note_timer.start()  # try again to save what was kept
        self._render()
        if opening.scroll >= 0:
            self.reader.verticalScrollBar().setValue(opening.scroll)
        elif opening.anchor and opening.anchor != "summary":
            self.reader.scrollToAnchor(opening.anchor)
        else:
            self.reader.verticalScrollBar().setValue(0)
        self._fill_outline(loaded.page)
        self._fill_related(loaded.page)
        self.history_changed.emit(bool(self.back_stack), bool(self.forward_stack))
        self.entry_shown.emit(loaded.page.id)

    def _fill_outline(self, page: EntryPage) -> None:
        self.outline.clear()
        for heading, anchor in [
            ("Summary", "summary"),
            *((s.heading, s.anchor) for s in reading_order(page)),
            ("References", "references"),
        ]:
            item = QListWidgetItem(heading)
            item.setData(ID_ROLE, anchor)
            self.outline.addItem(item)

    def _fill_related(self, page: EntryPage) -> None:
        self.related.clear()
        seen: set[str] = set()
        for link in sorted(page.links, key=lambda item: item.title):
            if link.id in seen:
                continue
            seen.add(link.id)
            item = QListWidgetItem(link.title)
            item.setToolTip(plain_tooltip(f"{link.title} ({KIND_LABELS.get(link.kind, link.kind).lower()})"))
            item.setData(ID_ROLE, link.id)
            self.related.addItem(item)

    def page_html(self, *, theme: str | None = None, font_size: int | None = None, screen: bool = True) -> str:
        return entry_html(
            self.page,
            theme=theme or self.theme,
            font_size=font_size or self.font_size,
            note=self.note_edit.toPlainText(),
            screen=screen,
            aliases_expanded=self.aliases_open,
        )

    def print_html(self) -> tuple[str, str]:
        """The open entry for paper: light theme, 10 pt, title block and the provenance footer."""
        page = self.page
        html = self.page_html(theme="light", font_size=10, screen=False)
        from desktop.printing import footer_text  # loads the print and PDF classes only when asked

        return html, footer_text(page.title, page.content_version, page.review_line)

    def set_style(self, theme: str, font_size: int) -> None:
        """Re-render the open page in this theme and size, keeping the reading position."""
        self.theme, self.font_size = theme, font_size
        position = self.reader.verticalScrollBar().value()
        self._render()
        self.reader.verticalScrollBar().setValue(position)

    def set_start_lists(self, **lists) -> None:
        """Fill part of the start page (emergencies, pathways, recent, bookmarks). The lists arrive
        one by one just after start-up: the page is drawn once they have, not once per list (a
        large library's start page is long, and typing must not wait for it four times)."""
        for name, rows in lists.items():
            setattr(self.start, name, rows)
        if self.page is None:
            self._start_render.start()

    def set_marks_enabled(self, enabled: bool) -> None:
        self.marks_enabled = enabled
        if self.page is not None:
            self._mark()

    def _render(self) -> None:
        """Show the page, then put back what a re-render loses: the marks and the find matches."""
        self.reader.set_measure(MEASURE_CHARS, self.font_size)
        self.reader.set_keyboard_links(self.page is None)
        if self.page is None:
            self.reader.setHtml(start_html(self.start, theme=self.theme, font_size=self.font_size))
            return
        self.header.show_page(self.page, self.theme, self.font_size)
        self.reader.setHtml(self.page_html())
        self._mark()
        if self.find_bar.isVisible() and self.find_field.text():
            self._find_in_page(self.find_field.text())

    def _mark(self) -> None:
        c = colours(self.theme)
        words = self.marked if self.marks_enabled else set()
        self.reader.mark_words(words, (c["mark"], c["mark_text"]), within=self._section_range())

    def _section_range(self) -> tuple[int, int] | None:
        """Where the matched section starts and ends in the document (None: the whole page)."""
        anchors = ["summary", *(s.anchor for s in reading_order(self.page)), "related", "references", "my-note"]
        if not self.mark_anchor or self.mark_anchor not in anchors:
            return None
        start = self.reader.anchor_position(self.mark_anchor)
        if start is None:
            return None
        for anchor in anchors[anchors.index(self.mark_anchor) + 1 :]:
            end = self.reader.anchor_position(anchor)
            if end is not None and end > start:
                return start, end
        return start, self.reader.document().characterCount()

    def _page_action(self, action: str) -> None:
        if action == "aliases" and self.page is not None:
            self.aliases_open = True
            self.set_style(self.theme, self.font_size)

    def _jump(self, item: QListWidgetItem) -> None:
        self.reader.scrollToAnchor(item.data(ID_ROLE))

    def _open_related(self, item: QListWidgetItem) -> None:
        self.entry_requested.emit(Opening(item.data(ID_ROLE)))

    # -- history ---------------------------------------------------------------------------------
    def _visit(self) -> Visit:
        return Visit(self.current_id, self.query, self.mark_anchor, self.reader.verticalScrollBar().value())

    def go_back(self) -> None:
        if self.back_stack:
            self.forward_stack.append(self._visit())
            self._revisit(self.back_stack.pop())

    def go_forward(self) -> None:
        if self.forward_stack:
            self.back_stack.append(self._visit())
            self._revisit(self.forward_stack.pop())

    def _revisit(self, visit: Visit) -> None:
        self.entry_requested.emit(Opening(visit.entry_id, visit.anchor, visit.query, record=False, scroll=visit.scroll))

    # -- find in page ----------------------------------------------------------------------------
    def open_find(self) -> None:
        self.find_bar.show()
        self.find_field.setFocus()
        self.find_field.selectAll()

    def close_find(self) -> None:
        self.find_bar.hide()
        self.reader.clear_find()
        self.reader.setFocus()

    def find_next(self, backward: bool = False) -> None:
        if self.find_field.text():
            self.reader.find_next(self.find_field.text(), backward)
            self._show_find_count()

    def _find_in_page(self, text: str) -> None:
        self.reader.find_all(text)
        self._show_find_count()

    def _show_find_count(self) -> None:
        """ "3 of 12" (where the cursor is among the matches), "No matches", or nothing."""
        count, index = self.reader.find_count, self.reader.find_index
        if not self.find_field.text():
            self.find_count.setText("")
        elif not count:
            self.find_count.setText("No matches")
        else:
            self.find_count.setText(f"{index + 1} of {count}")

    # -- note ------------------------------------------------------------------------------------
    def edit_note(self) -> None:
        if self.note_edit.isEnabled():
            self.note_edit.setFocus()

    def flush_note(self) -> None:
        """Save a note still waiting for its typing pause (the page changes, the window closes)."""
        if self._note_timer.isActive():
            self.save_note()

    def save_note(self) -> None:
        """Save, and show the note on the page too (where it prints), keeping the reading position."""
        self._note_timer.stop()
        if self.page is not None and self.notes_enabled and self.note_edit.isEnabled():
            self.note_changed.emit(self.page.id, self.page.title, self.note_edit.toPlainText())
            self.set_style(self.theme, self.font_size)

    # -- a note that could not be saved stays on screen (and in memory) until it is -------------
    def note_not_saved(self, entry_id: str, title: str, text: str, reason: str) -> None:
        if entry_id == self.current_id:
            text = self.note_edit.toPlainText()  # what is on screen is at least as new
        self.unsaved_notes[entry_id] = (title, text)
        self.not_saved_reason = reason
        self._show_note_status()

    def note_saved(self, entry_id: str, text: str) -> None:
        kept = self.unsaved_notes.get(entry_id)
        on_screen = entry_id == self.current_id and self.note_edit.toPlainText() == text
        if kept is not None and (kept[1] == text or on_screen):
            del self.unsaved_notes[entry_id]
        self._show_note_status()

    def set_notes_problem(self, reason: str) -> None:
        """Notes cannot be saved this session: say so where the user types."""
        if reason and self.notes_enabled:
            self.note_edit.setPlaceholderText(f"Notes cannot be saved this session: {reason}.")

    def _show_note_status(self) -> None:
        if self.current_id in self.unsaved_notes:
            self.note_status.setText(
                f"{self.not_saved_reason}. Your text stays here; it is saved again when you type or reopen this entry."
            )
            self.note_status.show()
        else:
            self.note_status.hide()
