"""The symptom finder: type to find a symptom, tick it, say how long since the procedure, and read
the complication profiles that fit, likeliest first (the order the library gives)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSignalBlocker, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidgetItem,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.checklist import ID_ROLE, CheckDelegate, Checklist, check_state, is_checked
from desktop.flow_layout import FlowLayout
from desktop.profile_card import ProfileCard, card_style, empty_card
from index.library import ProfileMatch

UNITS = (("hours", 1.0), ("days", 24.0), ("time not known", None))


class SymptomFinder(QWidget):
    """A tool window: its own Esc closes it, the main window's shortcuts are added to it."""

    query_changed = Signal(list, object)  # symptom ids, hours (None = not known)
    entry_requested = Signal(str)
    results_shown = Signal(int)  # number of cards, after they are drawn

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle("Symptom finder — Vademecum")
        self.setAccessibleName("Symptom finder")
        self.theme = "light"
        self.labels: dict[str, str] = {}
        self.items: dict[str, QListWidgetItem] = {}
        self.cards: list[ProfileCard] = []
        self._matches: list[ProfileMatch] = []
        layout = QVBoxLayout(self)
        layout.addLayout(self._query_row())
        self.chips_host = QWidget()
        self.chips_host.setAccessibleName("Ticked symptoms")
        self.chips = FlowLayout(self.chips_host)
        layout.addWidget(self.chips_host)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        split = QSplitter()
        self.checklist = Checklist()
        self.checklist.setAccessibleName("Symptoms")
        self.checklist.setWordWrap(True)
        self.checklist.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.delegate = CheckDelegate(self.checklist)
        self.checklist.setItemDelegate(self.delegate)
        self.checklist.toggled.connect(self.toggle)
        self.checklist.itemClicked.connect(lambda item: self.toggle(item.data(ID_ROLE)))
        split.addWidget(self.checklist)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setAccessibleName("Matching complications")
        split.addWidget(self.scroll)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 5)
        split.setSizes([340, 660])
        layout.addWidget(split, 1)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)
        self.filter.installEventFilter(self)
        self._refresh_chips()
        self.show_matches([])
        self.filter.setFocus()  # typing a symptom is the first thing to do
        self.resize(1000, 720)

    def _query_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Find a symptom (Enter ticks it)")
        self.filter.setAccessibleName("Find a symptom")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._narrow)
        row.addWidget(self.filter, 3)
        since = QLabel("Time since the procedure:")
        row.addWidget(since)
        self.amount = QSpinBox()
        self.amount.setRange(0, 999)
        self.amount.setValue(24)
        self.amount.setAccessibleName("Time since the procedure")
        since.setBuddy(self.amount)
        self.unit = QComboBox()
        self.unit.setAccessibleName("Unit of time")
        for text, factor in UNITS:
            self.unit.addItem(text, factor)
        self.amount.valueChanged.connect(self._emit)
        self.unit.currentIndexChanged.connect(self._unit_changed)
        row.addWidget(self.amount)
        row.addWidget(self.unit)
        return row

    # -- symptoms --------------------------------------------------------------------------------
    def set_symptoms(self, symptoms: dict[str, str]) -> None:
        """One line per symptom (the library's list, with its labels); ticks survive a reload."""
        ticked = set(self.ticked())
        self.labels = dict(symptoms)
        self.checklist.clear()
        self.items = {}
        for symptom_id, label in sorted(symptoms.items(), key=lambda pair: pair[1].lower()):
            item = QListWidgetItem(label)
            item.setData(ID_ROLE, symptom_id)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            item.setData(Qt.ItemDataRole.CheckStateRole, check_state(symptom_id in ticked))
            self.checklist.addItem(item)
            self.items[symptom_id] = item
        self._narrow(self.filter.text())
        self._refresh_chips()

    def ticked(self) -> list[str]:
        return [sid for sid, item in self.items.items() if is_checked(item)]

    def toggle(self, symptom_id: str, state: bool | None = None) -> None:
        item = self.items.get(symptom_id)
        if item is None:
            return
        item.setData(Qt.ItemDataRole.CheckStateRole, check_state(not is_checked(item) if state is None else state))
        self._refresh_chips()
        self._emit()

    def _narrow(self, text: str) -> None:
        """Show the symptoms whose label has every typed word; highlight the first one shown."""
        words = text.lower().split()
        first = None
        for symptom_id, item in self.items.items():
            haystack = f"{item.text()} {symptom_id.replace('-', ' ')}".lower()
            hidden = not all(word in haystack for word in words)
            item.setHidden(hidden)
            if not hidden and first is None:
                first = item
        if words:
            self.checklist.setCurrentItem(first)  # what Enter ticks
        else:
            self.checklist.setCurrentItem(None)
            self.checklist.clearSelection()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        """In the filter field, Up/Down move the highlight and Enter ticks it."""
        if watched is self.filter and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
                self._move_highlight(1 if key == Qt.Key.Key_Down else -1)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                current = self.checklist.currentItem()
                if current is not None and not current.isHidden():
                    self.toggle(current.data(ID_ROLE))
                    self.filter.selectAll()  # the next symptom typed replaces this one
                return True
        return super().eventFilter(watched, event)

    def _move_highlight(self, step: int) -> None:
        shown = [item for item in self.items.values() if not item.isHidden()]
        if not shown:
            return
        current = self.checklist.currentItem()
        index = shown.index(current) + step if current in shown else 0
        self.checklist.setCurrentItem(shown[max(0, min(len(shown) - 1, index))])

    def _refresh_chips(self) -> None:
        while self.chips.count():
            widget = self.chips.takeAt(0).widget()
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self._chips: list[QToolButton] = []
        ticked = self.ticked()
        if not ticked:
            self.chips.addWidget(QLabel("No symptom ticked yet: type one above."))
        for symptom_id in ticked:
            label = self.labels.get(symptom_id, symptom_id)
            chip = QToolButton()
            chip.setText(f"{label}  ✕")
            chip.setAccessibleName(f"Remove {label}")
            chip.setToolTip(f"Untick {label}")
            chip.setProperty("symptom", symptom_id)
            chip.clicked.connect(lambda _checked=False, s=symptom_id: self.toggle(s, False))
            self.chips.addWidget(chip)
            self._chips.append(chip)
        self.chips_host.updateGeometry()

    def chip_buttons(self) -> list[QToolButton]:
        """The chips of the ticked symptoms, in the order of the checklist."""
        return list(self._chips)

    # -- time and query --------------------------------------------------------------------------
    def _unit_changed(self, *_args) -> None:
        self.amount.setEnabled(self.unit.currentData() is not None)
        self._emit()

    def chosen(self) -> tuple[list[str], float | None]:
        factor = self.unit.currentData()
        return self.ticked(), None if factor is None else float(self.amount.value()) * factor

    def choose(self, symptoms: list[str], hours: float | None) -> list[str]:
        """Set the query (the screenshot command's path); returns the ids this library lacks."""
        with QSignalBlocker(self.amount), QSignalBlocker(self.unit):  # one query, not three
            if hours is None:
                self.unit.setCurrentIndex(len(UNITS) - 1)
            elif hours >= 72 and hours % 24 == 0:
                self.amount.setValue(int(hours // 24))
                self.unit.setCurrentIndex(1)
            else:
                self.amount.setValue(round(hours))
                self.unit.setCurrentIndex(0)
            self.amount.setEnabled(hours is not None)
        for symptom_id in symptoms:
            if symptom_id in self.items:
                self.items[symptom_id].setData(Qt.ItemDataRole.CheckStateRole, check_state(True))
        self._refresh_chips()
        self._emit()
        return [s for s in symptoms if s not in self.items]

    def _emit(self, *_args) -> None:
        self.query_changed.emit(*self.chosen())

    # -- results ---------------------------------------------------------------------------------
    def show_matches(self, matches: list[ProfileMatch]) -> None:
        """Cards in the library's order (likeliest first), never re-sorted here."""
        self._matches = list(matches)
        symptoms, hours = self.chosen()
        host = QWidget()
        column = QVBoxLayout(host)
        self.cards = []
        for match in matches:
            card = ProfileCard(match, self.labels, hours, self.theme)
            card.activated.connect(self.open_entry)
            card.step.connect(lambda step, c=card: self._step(c, step))
            column.addWidget(card)
            self.cards.append(card)
        if not matches:
            text = "Tick at least one symptom." if not symptoms else "No complication profile lists these symptoms."
            column.addWidget(empty_card(text))
        column.addStretch(1)
        host.setStyleSheet(card_style(self.theme))
        self.scroll.setWidget(host)
        self._tab_order()
        outside = sum(not m.in_window for m in matches)
        self.summary.setText(_summary(len(matches), outside) if matches else "")
        self.results_shown.emit(len(self.cards))

    def _tab_order(self) -> None:
        """Type, Enter, Tab, Enter: from the filter, Tab goes to the likeliest card first."""
        chain = [self.filter, *self.cards, self.amount, self.unit, self.checklist]
        for first, second in zip(chain, chain[1:], strict=False):
            self.setTabOrder(first, second)

    def _step(self, card: ProfileCard, step: int) -> None:
        index = self.cards.index(card) + step
        if 0 <= index < len(self.cards):
            self.cards[index].setFocus(Qt.FocusReason.OtherFocusReason)
            self.scroll.ensureWidgetVisible(self.cards[index])

    def open_entry(self, entry_id: str) -> None:
        """Hand the entry to the main window and step aside (Ctrl+Shift+Y brings the finder back)."""
        self.hide()
        self.entry_requested.emit(entry_id)

    def set_theme(self, theme: str) -> None:
        self.theme = theme
        self.delegate.theme = theme
        self.checklist.viewport().update()
        self.show_matches(self._matches)


def _summary(count: int, outside: int) -> str:
    text = f"{count} profile{'s' if count != 1 else ''} fit, likeliest first."
    if outside:
        text += f" {outside} outside the usual window listed lower."
    return text + " Tab or arrows move through them; Enter opens one."
