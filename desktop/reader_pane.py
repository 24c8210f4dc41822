"""The reader pane: the entry page with its find bar and history (back/forward), and beside it the
outline, related entries and the user's note. It shows what it is given and asks for entries
through `entry_requested`; it never calls the library (Zeal's browser tab)."""

from __future__ import annotations

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

from desktop.library_controller import LoadedEntry, Opening
from desktop.markup import plain_tooltip
from desktop.page import entry_html, welcome_html
from desktop.printing import footer_text
from desktop.reader import EntryBrowser
from desktop.results import ID_ROLE
from desktop.themes import colours
from index.library import EntryPage
from index.model import KIND_LABELS

NOTE_SAVE_MS = 800


class ReaderPane(QObject):
    """Owns two widgets the window lays out: `page_host` (page + find bar) and `side`."""

    entry_requested = Signal(object)  # Opening
    entry_shown = Signal(str)  # entry id, after the page shows it
    history_changed = Signal(bool, bool)  # can go back, can go forward
    note_changed = Signal(str, str, str)  # entry id, title, text (once typing pauses)

    def __init__(self, parent: QObject | None = None, *, notes_enabled: bool = True) -> None:
        super().__init__(parent)
        self.notes_enabled = notes_enabled
        self.page: EntryPage | None = None
        self.theme, self.font_size = "light", 11
        self.back_stack: list[str] = []
        self.forward_stack: list[str] = []
        self._note_timer = QTimer(self, singleShot=True, interval=NOTE_SAVE_MS)
        self._note_timer.timeout.connect(self.save_note)
        # Notes that could not be saved (disk full, read-only): entry id → (title, text), kept and
        # shown again until a save succeeds, so nothing typed is lost by switching entries.
        self.unsaved_notes: dict[str, tuple[str, str]] = {}
        self.not_saved_reason = ""
        self._build_page()
        self._build_side()

    @property
    def current_id(self) -> str | None:
        return self.page.id if self.page else None

    def _build_page(self) -> None:
        self.reader = EntryBrowser()
        self.reader.setAccessibleName("Entry")
        self.reader.entry_requested.connect(
            lambda entry_id, anchor: self.entry_requested.emit(Opening(entry_id, anchor))
        )
        self.reader.setHtml(welcome_html())
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

    # -- showing an entry ------------------------------------------------------------------------
    def show_entry(self, opening: Opening, loaded: LoadedEntry, *, notes_writable: bool) -> None:
        self.flush_note()
        if opening.record and self.current_id and self.current_id != loaded.page.id:
            self.back_stack.append(self.current_id)
            self.forward_stack.clear()
        self.page = loaded.page
        unsaved = self.unsaved_notes.get(loaded.page.id)
        self.note_edit.blockSignals(True)
        self.note_edit.setPlainText(unsaved[1] if unsaved else loaded.note)
        self.note_edit.blockSignals(False)
        self.note_edit.setEnabled(notes_writable and self.notes_enabled and loaded.note_readable)
        self._show_note_status()
        if unsaved:
            self._note_timer.start()  # try again to save what was kept
        self.reader.setHtml(self.page_html())
        self.reader.mark_words(loaded.marked, colours(self.theme)["mark"])
        if opening.anchor and opening.anchor != "summary":
            self.reader.scrollToAnchor(opening.anchor)
        else:
            self.reader.verticalScrollBar().setValue(0)
        self._fill_outline(loaded.page)
        self._fill_related(loaded.page)
        if self.find_bar.isVisible() and self.find_field.text():
            self._find_in_page(self.find_field.text())
        self.history_changed.emit(bool(self.back_stack), bool(self.forward_stack))
        self.entry_shown.emit(loaded.page.id)

    def _fill_outline(self, page: EntryPage) -> None:
        self.outline.clear()
        for heading, anchor in [
            ("Summary", "summary"),
            *((s.heading, s.anchor) for s in page.sections),
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

    def page_html(self, *, theme: str | None = None, font_size: int | None = None) -> str:
        return entry_html(
            self.page,
            theme=theme or self.theme,
            font_size=font_size or self.font_size,
            note=self.note_edit.toPlainText(),
        )

    def print_html(self) -> tuple[str, str]:
        """The open entry for paper: light theme, 10 pt, and the provenance footer."""
        page = self.page
        html = self.page_html(theme="light", font_size=10)
        return html, footer_text(page.title, page.content_version, page.review_line)

    def set_style(self, theme: str, font_size: int) -> None:
        """Re-render the open page in this theme and size, keeping the reading position."""
        self.theme, self.font_size = theme, font_size
        if self.page is not None:
            position = self.reader.verticalScrollBar().value()
            self.reader.setHtml(self.page_html())
            self.reader.verticalScrollBar().setValue(position)

    def _jump(self, item: QListWidgetItem) -> None:
        self.reader.scrollToAnchor(item.data(ID_ROLE))

    def _open_related(self, item: QListWidgetItem) -> None:
        self.entry_requested.emit(Opening(item.data(ID_ROLE)))

    # -- history ---------------------------------------------------------------------------------
    def go_back(self) -> None:
        if self.back_stack:
            self.forward_stack.append(self.current_id)
            self.entry_requested.emit(Opening(self.back_stack.pop(), record=False))

    def go_forward(self) -> None:
        if self.forward_stack:
            self.back_stack.append(self.current_id)
            self.entry_requested.emit(Opening(self.forward_stack.pop(), record=False))

    # -- find in page ----------------------------------------------------------------------------
    def open_find(self) -> None:
        self.find_bar.show()
        self.find_field.setFocus()
        self.find_field.selectAll()

    def close_find(self) -> None:
        self.find_bar.hide()
        self.reader.setExtraSelections([])
        self.reader.setFocus()

    def find_next(self, backward: bool = False) -> None:
        self.reader.find_next(self.find_field.text(), backward)

    def _find_in_page(self, text: str) -> None:
        count = self.reader.find_all(text)
        self.find_count.setText(f"{count} found" if text else "")

    # -- note ------------------------------------------------------------------------------------
    def edit_note(self) -> None:
        if self.note_edit.isEnabled():
            self.note_edit.setFocus()

    def flush_note(self) -> None:
        """Save a note still waiting for its typing pause (the page changes, the window closes)."""
        if self._note_timer.isActive():
            self.save_note()

    def save_note(self) -> None:
        self._note_timer.stop()
        if self.page is not None and self.notes_enabled and self.note_edit.isEnabled():
            self.note_changed.emit(self.page.id, self.page.title, self.note_edit.toPlainText())

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
