"""Dialogs: disclaimer, About, keyboard shortcuts, the symptom finder and the pathway diagrams."""

from __future__ import annotations

import math
from html import escape

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPen
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsTextItem,
    QGraphicsView,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from index.library import Pathway, ProfileMatch, disclaimer_text
from index.model import KIND_LABELS, LibraryStats

URGENCY_COLOURS = {"emergency": "#b3261e", "urgent": "#b35c00", "routine": "#2f6f4f"}


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{escape(' '.join(block.split()))}</p>" for block in text.split("\n\n") if block.strip())


def _close_buttons(dialog: QDialog) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.reject)
    buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName("Close")
    return buttons


class DisclaimerDialog(QDialog):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Before you start — Vademecum")
        self.setAccessibleName("Clinical disclaimer")
        layout = QVBoxLayout(self)
        text = QLabel(_paragraphs(disclaimer_text()))
        text.setWordWrap(True)
        text.setAccessibleName("Disclaimer text")
        layout.addWidget(text)
        buttons = QDialogButtonBox()
        ok = buttons.addButton("I understand", QDialogButtonBox.ButtonRole.AcceptRole)
        ok.setAccessibleName("I understand")
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.resize(560, 300)


class AboutDialog(QDialog):
    def __init__(
        self, stats: LibraryStats, policy_problem: str = "", parent=None, *, userdata_notices: str = ""
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("About Vademecum")
        layout = QVBoxLayout(self)
        summary = ", ".join(
            f"{n} {KIND_LABELS.get(kind, kind).lower()}s" for kind, n in sorted(stats.entries_by_kind.items())
        )
        policy = f"<p><b>Machine policy settings ignored:</b> {escape(policy_problem)}</p>" if policy_problem else ""
        if userdata_notices:  # damaged, salvaged or read-only bookmarks and notes, told again here
            policy += f"<p><b>Bookmarks and notes:</b> {escape(userdata_notices).replace(chr(10), '<br/>')}</p>"
        self.text = QLabel(
            f"<h3>Vademecum</h3><p>Offline reference for neuraxial anesthesia, post-dural puncture headache and "
            f"the epidural blood patch pathway.</p><p><b>Content version {escape(stats.content_version)}</b> — "
            f"{stats.entries} entries ({escape(summary)}), {stats.references} references.</p>{policy}"
            f"<p>No network connection is ever made: no telemetry, no update check.</p>"
            f"<h4>Clinical disclaimer</h4>{_paragraphs(disclaimer_text())}"
        )
        self.text.setWordWrap(True)
        self.text.setAccessibleName("About text")
        layout.addWidget(self.text)
        layout.addWidget(_close_buttons(self))
        self.resize(600, 420)


class ShortcutsDialog(QDialog):
    def __init__(self, shortcuts: list[tuple[str, str]], parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        layout = QVBoxLayout(self)
        rows = "".join(f"<tr><td><b>{escape(k)}</b></td><td>{escape(a)}</td></tr>" for k, a in shortcuts)
        self.table = QTextBrowser()
        self.table.setAccessibleName("Keyboard shortcuts")
        self.table.setHtml(f"<table cellpadding='4'>{rows}</table>")
        layout.addWidget(self.table)
        layout.addWidget(_close_buttons(self))
        self.resize(520, 520)


class SymptomFinder(QWidget):
    """Pick presenting symptoms and the time since the procedure; see the profiles that fit."""

    query_changed = Signal(list, object)  # symptom ids, hours (None = any time)
    entry_requested = Signal(str)

    def __init__(self, symptoms: dict[str, str], parent=None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle("Symptom finder — Vademecum")
        self.setAccessibleName("Symptom finder")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Tick what the patient has, set the time since the neuraxial procedure, and read the "
            "complication profiles that fit — likeliest first."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.boxes: dict[str, QCheckBox] = {}
        self.labels: dict[str, str] = {}
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setMinimumHeight(220)
        layout.addWidget(self.scroll, 2)
        self.set_symptoms(symptoms)
        row = QHBoxLayout()
        self.any_time = QComboBox()
        self.any_time.addItems(["Time since procedure is known", "Any time"])
        self.any_time.setAccessibleName("Time known")
        self.hours = QDoubleSpinBox()
        self.hours.setRange(0, 24 * 60)
        self.hours.setDecimals(0)
        self.hours.setValue(24)
        self.hours.setSuffix(" hours")
        self.hours.setAccessibleName("Hours since the procedure")
        self.hours.valueChanged.connect(self._emit)
        self.any_time.currentIndexChanged.connect(self._emit)
        row.addWidget(QLabel("Time since the procedure:"))
        row.addWidget(self.hours)
        row.addWidget(self.any_time)
        row.addStretch(1)
        layout.addLayout(row)
        self.results = QListWidget()
        self.results.setAccessibleName("Matching complications")
        self.results.setWordWrap(True)
        self.results.setSpacing(4)
        self.results.setAlternatingRowColors(True)
        self.results.itemActivated.connect(lambda item: self.entry_requested.emit(item.data(Qt.ItemDataRole.UserRole)))
        self.results.itemClicked.connect(lambda item: self.entry_requested.emit(item.data(Qt.ItemDataRole.UserRole)))
        layout.addWidget(self.results, 3)
        self.resize(760, 720)

    def set_symptoms(self, symptoms: dict[str, str]) -> None:
        """One tick box per symptom id (the library's list, with its labels)."""
        self.labels = dict(symptoms)
        grid_host = QWidget()
        grid = QGridLayout(grid_host)
        self.boxes = {}
        for index, (symptom_id, label) in enumerate(symptoms.items()):
            box = QCheckBox(label)
            box.setAccessibleName(label)
            box.toggled.connect(self._emit)
            self.boxes[symptom_id] = box
            grid.addWidget(box, index // 2, index % 2)
        self.scroll.setWidget(grid_host)

    def chosen(self) -> tuple[list[str], float | None]:
        symptoms = [sid for sid, box in self.boxes.items() if box.isChecked()]
        hours = None if self.any_time.currentIndex() == 1 else float(self.hours.value())
        return symptoms, hours

    def _emit(self, *_args) -> None:
        self.query_changed.emit(*self.chosen())

    def show_matches(self, matches: list[ProfileMatch], labels: dict[str, str] | None = None) -> None:
        labels = self.labels if labels is None else labels
        self.results.clear()
        if not matches:
            item = QListWidgetItem("No complication profile fits these symptoms at this time.")
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.results.addItem(item)
            return
        for match in matches:
            flags = " ".join(match.red_flags.split())[:260]
            shared = ", ".join(labels.get(s, s) for s in match.matched)
            outside = " · OUTSIDE THE USUAL WINDOW" if not match.in_window else ""
            text = (
                f"{match.urgency.upper()} — {match.title}\n"
                f"Matches: {shared} · onset {_window(match.onset_hours)}{outside}\n"
                f"Red flags: {flags}"
            )
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, match.id)
            item.setForeground(QBrush(QColor(URGENCY_COLOURS.get(match.urgency, "#1c2530"))))
            where = ", outside the usual window" if not match.in_window else ""
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{match.urgency}: {match.title}{where}")
            self.results.addItem(item)


class _Box(QGraphicsRectItem):
    def __init__(self, rect: QRectF, entry_id: str, callback) -> None:
        super().__init__(rect)
        self.entry_id = entry_id
        self.callback = callback
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(f"Open {entry_id}")

    def mousePressEvent(self, event) -> None:  # noqa: N802 (Qt API)
        self.callback(self.entry_id)


class PathwayView(QWidget):
    """A management pathway, as stored with the library; every box opens its entry."""

    entry_requested = Signal(str)
    BOX_W, BOX_H, GAP_X, GAP_Y = 250.0, 56.0, 24.0, 54.0

    def __init__(self, pathways: list[Pathway], parent=None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle("Management pathways — Vademecum")
        self.pathways: list[Pathway] = []
        self._wanted = ""
        layout = QVBoxLayout(self)
        self.chooser = QComboBox()
        self.chooser.setAccessibleName("Pathway")
        self.chooser.currentIndexChanged.connect(self._draw)
        layout.addWidget(self.chooser)
        self.scene = QGraphicsScene(self)
        self.view = QGraphicsView(self.scene)
        self.view.setAccessibleName("Pathway diagram")
        self.view.setRenderHints(self.view.renderHints())
        layout.addWidget(self.view, 1)
        self.boxes: list[_Box] = []
        self.resize(760, 820)
        self.set_pathways(pathways)

    def set_pathways(self, pathways: list[Pathway]) -> None:
        self.pathways = list(pathways)
        self.chooser.blockSignals(True)
        self.chooser.clear()
        for pathway in self.pathways:
            self.chooser.addItem(pathway.title, pathway.id)
        self.chooser.setCurrentIndex(max(0, self.chooser.findData(self._wanted)))
        self.chooser.blockSignals(False)
        self._draw()

    def show_pathway(self, pathway_id: str) -> None:
        self._wanted = pathway_id  # drawn once the pathways arrive, if they have not yet
        index = self.chooser.findData(pathway_id)
        if index >= 0:
            self.chooser.setCurrentIndex(index)

    def _draw(self, *_args) -> None:
        self.scene.clear()
        self.boxes = []
        if not self.pathways:
            return
        pathway = self.pathways[max(0, self.chooser.currentIndex())]
        widest = max(len(step.boxes) for step in pathway.steps) if pathway.steps else 1
        total_w = widest * self.BOX_W + (widest - 1) * self.GAP_X
        y = 0.0
        previous: list[QRectF] = []
        pen = QPen(QColor("#0f4c81"), 2)
        for number, step in enumerate(pathway.steps, start=1):
            if step.note and previous:
                note = QGraphicsTextItem(step.note)
                note.setTextWidth(total_w)
                note.setDefaultTextColor(QColor("#5b6b7c"))
                font = QFont(note.font())
                font.setItalic(True)
                note.setFont(font)
                note.setPos(0, y - self.GAP_Y + 4)
                self.scene.addItem(note)
            row_w = len(step.boxes) * self.BOX_W + (len(step.boxes) - 1) * self.GAP_X
            x = (total_w - row_w) / 2
            current = []
            for entry_id, title in step.boxes:
                rect = QRectF(x, y, self.BOX_W, self.BOX_H)
                box = _Box(rect, entry_id, self.entry_requested.emit)
                box.setPen(pen)
                box.setBrush(QBrush(QColor("#eaf2fb")))
                self.scene.addItem(box)
                label = QGraphicsTextItem(f"{number}. {title}")
                label.setTextWidth(self.BOX_W - 12)
                label.setPos(x + 6, y + 4)
                label.setDefaultTextColor(QColor("#0f2740"))
                label.setZValue(1)
                label.setAcceptedMouseButtons(Qt.MouseButton.NoButton)  # clicks reach the box below
                self.scene.addItem(label)
                self.boxes.append(box)
                current.append(rect)
                x += self.BOX_W + self.GAP_X
            for above in previous:
                for below in current:
                    self.scene.addLine(above.center().x(), above.bottom(), below.center().x(), below.top(), pen)
            previous = current
            y += self.BOX_H + self.GAP_Y
        caption = QGraphicsSimpleTextItem("Click a box to open its entry.")
        caption.setPos(0, y - self.GAP_Y + 10)
        self.scene.addItem(caption)
        self.scene.setSceneRect(self.scene.itemsBoundingRect())  # the scene never shrinks on its own


def _window(hours: tuple[float, float | None]) -> str:
    """An onset window as text; an open-ended one (no known upper limit) says so."""
    if hours[1] is None or math.isinf(hours[1]):
        return f"from {hours[0]:g} h, no upper limit"
    return f"{hours[0]:g}–{hours[1]:g} h"
