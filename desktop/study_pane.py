"""The Study tab: reading lists with progress, read marks, and a review session of self-test cards.

`StudyPane` is widgets only and talks through signals; `StudyController` (study_controller.py)
runs every study call on the worker thread and answers with plain snapshots. Scheduling is FSRS,
in the core (index.study); nothing here computes an interval.

Keys in a review: Space shows the answer, 1–4 rate it (Again, Hard, Good, Easy), O opens the card's
entry at the section that states the answer, Esc ends the session.
"""

from __future__ import annotations

import re
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.study_controller import StudySnapshot

if TYPE_CHECKING:
    from index.library import StudyCard

LIST_ROLE = Qt.ItemDataRole.UserRole
CITATION_MARK = re.compile(r"\s*\[@[^\]\[]+\]")  # shown once, as reference keys under the answer
RATING_LABELS = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}


class StudyPane(QWidget):
    entry_requested = Signal(str, str, str)  # entry id, section anchor, query (none)
    read_toggled = Signal(str, bool)  # entry id, read
    review_requested = Signal(str)  # list id
    rated = Signal(object, int)  # StudyCard, rating 1–4
    session_ended = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.snapshot: StudySnapshot | None = None
        self.session: list[StudyCard] = []
        self.card: StudyCard | None = None
        self.revealed = False
        self.reviewed = 0
        self._filled_list: str | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.stack = QStackedWidget()
        self.stack.addWidget(self._build_lists())
        self.stack.addWidget(self._build_review())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

    # -- the lists page --------------------------------------------------------------------------
    def _build_lists(self) -> QWidget:
        page = QWidget()
        self.lists = QListWidget()
        self.lists.setAccessibleName("Reading lists")
        self.lists.setWordWrap(True)
        self.lists.currentItemChanged.connect(lambda _new, _old: self._fill_entries())
        self.entries = QListWidget()
        self.entries.setAccessibleName("Entries of the reading list (checked: read)")
        self.entries.setWordWrap(True)
        self.entries.itemChanged.connect(self._toggled)
        self.entries.itemActivated.connect(lambda item: self.entry_requested.emit(item.data(LIST_ROLE), "", ""))
        self.summary = QLabel("")
        self.summary.setAccessibleName("Study progress")
        self.summary.setWordWrap(True)
        self.review_button = QPushButton("Review cards")
        self.review_button.setAccessibleName("Start a review of this list's cards")
        self.review_button.clicked.connect(self._review_clicked)
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel("<b>Reading lists</b>"))
        layout.addWidget(self.lists, 2)
        layout.addWidget(QLabel("Entries — tick when read (reaching the end of an entry ticks it)"))
        layout.addWidget(self.entries, 3)
        layout.addWidget(self.summary)
        layout.addWidget(self.review_button)
        return page

    def current_list(self) -> str | None:
        item = self.lists.currentItem()
        return item.data(LIST_ROLE) if item else None

    def show_snapshot(self, snapshot: StudySnapshot) -> None:
        self.snapshot = snapshot
        current = self.current_list()
        self.lists.blockSignals(True)
        self.lists.clear()
        for progress in snapshot.progress:
            item = QListWidgetItem(
                f"{progress.title}\n{progress.read}/{progress.entries} read · {progress.due_now} due now · "
                f"{progress.due_today} today · {progress.due_week} this week · {progress.new} new"
            )
            item.setData(LIST_ROLE, progress.list_id)
            self.lists.addItem(item)
            if progress.list_id == current:
                self.lists.setCurrentItem(item)
        if self.lists.currentItem() is None and self.lists.count():
            self.lists.setCurrentRow(0)
        self.lists.blockSignals(False)
        retention = (
            f"{snapshot.retention:.0%} of {snapshot.reviews} review(s)" if snapshot.retention is not None else "—"
        )
        warning = f"<br><b>Note:</b> {escape(snapshot.problem)}" if snapshot.problem else ""
        self.summary.setText(
            f"Cards due today: {snapshot.due_today} · this week: {snapshot.due_week} · "
            f"retention so far: {escape(retention)}{warning}"
        )
        self._fill_entries()

    def _fill_entries(self) -> None:
        snapshot, list_id = self.snapshot, self.current_list()
        row = self.entries.currentRow() if list_id == self._filled_list else -1
        self._filled_list = list_id
        self.entries.blockSignals(True)
        self.entries.clear()
        if snapshot is not None and list_id is not None:
            for entry_id, reason in snapshot.items.get(list_id, ()):
                item = QListWidgetItem(f"{snapshot.titles.get(entry_id, entry_id)} — {reason}")
                item.setData(LIST_ROLE, entry_id)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if entry_id in snapshot.read else Qt.CheckState.Unchecked)
                self.entries.addItem(item)
            due = next((p for p in snapshot.progress if p.list_id == list_id), None)
            count = (due.due_now + min(due.new, 20)) if due else 0
            self.review_button.setText(f"Review cards ({count})")
            self.review_button.setEnabled(count > 0)
            if 0 <= row < self.entries.count():
                self.entries.setCurrentRow(row)  # a read mark keeps the keyboard where it was
        self.entries.blockSignals(False)

    def _toggled(self, item: QListWidgetItem) -> None:
        self.read_toggled.emit(item.data(LIST_ROLE), item.checkState() == Qt.CheckState.Checked)

    def _review_clicked(self) -> None:
        list_id = self.current_list()
        if list_id:
            self.review_requested.emit(list_id)

    # -- the review page -------------------------------------------------------------------------
    def _build_review(self) -> QWidget:
        page = QWidget()
        self.counter = QLabel("")
        self.counter.setAccessibleName("Cards left in this session")
        self.question = QLabel("")
        self.question.setAccessibleName("Question")
        self.question.setWordWrap(True)
        self.question.setTextFormat(Qt.TextFormat.RichText)
        self.answer = QLabel("")
        self.answer.setAccessibleName("Answer")
        self.answer.setWordWrap(True)
        self.answer.setTextFormat(Qt.TextFormat.RichText)
        self.source = QLabel("")
        self.source.setAccessibleName("Source entry")
        self.source.setWordWrap(True)
        self.source.setTextFormat(Qt.TextFormat.RichText)
        self.source.linkActivated.connect(lambda _link: self.open_card_entry())
        self.hint = QLabel("")
        self.hint.setWordWrap(True)
        buttons = QHBoxLayout()
        self.rate_buttons: dict[int, QPushButton] = {}
        for key, label in RATING_LABELS.items():
            button = QPushButton(f"{key} {label}")
            button.setAccessibleName(f"Rate {label}")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys go to the pane: Space must not press a button
            button.clicked.connect(lambda _checked=False, k=key: self.rate(k))
            buttons.addWidget(button)
            self.rate_buttons[key] = button
        layout = QVBoxLayout(page)
        layout.addWidget(self.counter)
        layout.addWidget(self.question)
        layout.addSpacing(12)
        layout.addWidget(self.answer)
        layout.addWidget(self.source)
        layout.addStretch(1)
        layout.addWidget(self.hint)
        layout.addLayout(buttons)
        return page

    def start_session(self, cards: list[StudyCard]) -> None:
        self.session = list(cards)
        self.reviewed = 0
        if not self.session:
            self.summary.setText("Nothing to review in this list now.")
            return
        self.stack.setCurrentIndex(1)
        self.setFocus()
        self._show_card()

    def in_review(self) -> bool:
        return self.stack.currentIndex() == 1

    def _show_card(self) -> None:
        self.card = self.session[0] if self.session else None
        self.revealed = False
        if self.card is None:
            self.end_session()
            return
        self.counter.setText(f"{len(self.session)} card(s) left · {self.reviewed} reviewed")
        self.question.setText(f"<p style='font-size:15pt'>{escape(self.card.question)}</p>")
        self.answer.setText("")
        self.source.setText("")
        self.hint.setText("Space: show the answer · Esc: end the session")
        for button in self.rate_buttons.values():
            button.setEnabled(False)

    def reveal(self) -> None:
        card = self.card
        if card is None or self.revealed:
            return
        self.revealed = True
        answer = " ".join(CITATION_MARK.sub("", card.answer).split()).replace(" .", ".")
        self.answer.setText(f"<p style='font-size:13pt'>{escape(answer)}</p>")
        keys = ", ".join(card.reference_keys)
        where = f" — {escape(card.section)}" if card.section else ""
        version = f" · content {escape(self.snapshot.version)}" if self.snapshot and self.snapshot.version else ""
        self.source.setText(f"From <a href='entry'>{escape(card.entry_title)}{where}</a> · {escape(keys)}{version}")
        self.hint.setText("1 Again · 2 Hard · 3 Good · 4 Easy · O: open the entry at this section")
        for button in self.rate_buttons.values():
            button.setEnabled(True)

    def rate(self, rating: int) -> None:
        from index.library import RATINGS

        card = self.card
        if card is None or not self.revealed or rating not in RATINGS:
            return
        self.rated.emit(card, rating)
        self.session.pop(0)
        self.reviewed += 1
        self._show_card()

    def open_card_entry(self) -> None:
        if self.card is not None:
            self.entry_requested.emit(self.card.entry_id, self.card.anchor, "")

    def end_session(self) -> None:
        self.session, self.card = [], None
        self.stack.setCurrentIndex(0)
        self.session_ended.emit()
        self.lists.setFocus()

    REVIEW_KEYS = (
        Qt.Key.Key_Space,
        Qt.Key.Key_1,
        Qt.Key.Key_2,
        Qt.Key.Key_3,
        Qt.Key.Key_4,
        Qt.Key.Key_O,
        Qt.Key.Key_Escape,
    )

    def event(self, event: QEvent) -> bool:
        """During a review the pane's keys win over window shortcuts (Esc ends the session)."""
        if event.type() == QEvent.Type.ShortcutOverride and self.in_review() and event.key() in self.REVIEW_KEYS:
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        if self.in_review():
            key = event.key()
            if key == Qt.Key.Key_Space:
                self.reveal()
                return
            if Qt.Key.Key_1 <= key <= Qt.Key.Key_4:
                self.rate(key - Qt.Key.Key_0)
                return
            if key == Qt.Key.Key_O:
                self.open_card_entry()
                return
            if key == Qt.Key.Key_Escape:
                self.end_session()
                return
        super().keyPressEvent(event)
