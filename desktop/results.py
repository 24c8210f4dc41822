"""Search results: the list model and the delegate that paints each hit as rich text."""

from __future__ import annotations

import re
from html import escape

from PySide6.QtCore import QAbstractListModel, QModelIndex, QSize, Qt
from PySide6.QtGui import QAbstractTextDocumentLayout, QPalette, QTextDocument
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from desktop.entry_header import urgency_badge
from desktop.markup import plain_tooltip
from index.library import is_personal_label
from index.model import KIND_LABELS, URGENCY_LABELS, SearchHit

KIND_COLOURS = {"procedure": "#2f6f4f", "complication": "#a23b2a", "management": "#3a5a98"}
HIT_ROLE = Qt.ItemDataRole.UserRole + 1  # the SearchHit behind a result row
ID_ROLE = Qt.ItemDataRole.UserRole + 2  # the entry id (or anchor) behind a list or tree item


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
            urgency = f" ({URGENCY_LABELS[hit.urgency]})" if hit.urgency in ("emergency", "urgent") else ""
            return plain_tooltip(f"{hit.title}{urgency} — {hit.section}")
        if role == HIT_ROLE:
            return hit
        return None


def _label_colour(label: str, selected: bool) -> str:
    """Green for a department's signed pack, purple for a personal, unverified one."""
    if is_personal_label(label):
        return "#efe6fb" if selected else "#6b4a9b"
    return "#dff5df" if selected else "#2f6f2f"


def result_html(hit: SearchHit, selected: bool = False, muted: str = "#5b6b7c") -> str:
    """muted: the theme's secondary text colour for this row (on a selected row, its text colour)."""
    colour = KIND_COLOURS.get(hit.kind, "#555555")
    kind = escape(KIND_LABELS.get(hit.kind, hit.kind))
    snippet = re.sub(r"\s+", " ", hit.snippet)
    local = (
        f"<br/><span style='color:{_label_colour(hit.label, selected)}; font-size:small;'>{escape(hit.label)}</span>"
        if hit.label
        else ""
    )
    urgency = urgency_badge(hit.urgency, small=True) + " " if hit.urgency in ("emergency", "urgent") else ""
    return (
        f'{urgency}<span style="background-color:{colour}; color:#ffffff; font-size:small;">&nbsp;{kind}&nbsp;</span> '
        f"<b>{escape(hit.title)}</b> <span style='color:{muted};'>· {escape(hit.section)}</span>"
        f"{local}<br/><span>{snippet}</span>"
    ).replace('<b class="hit">', '<b style="background-color:#ffe680; color:#1c2530;">')


class ResultDelegate(QStyledItemDelegate):
    """Paints a result as rich text: kind badge, title, matched section, highlighted snippet."""

    MARGIN = 6

    def _document(self, option: QStyleOptionViewItem, index: QModelIndex) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.PlaceholderText
        doc.setHtml(result_html(index.data(HIT_ROLE), selected, option.palette.color(role).name()))
        # the viewport's width, not the cached rect: a scroll bar appearing must re-wrap every row
        width = option.widget.viewport().width() if option.widget is not None else option.rect.width()
        doc.setTextWidth(max(100, width - 2 * self.MARGIN))
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
