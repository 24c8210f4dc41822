"""The symptom checklist: tick boxes drawn plainly in every theme, ticked by Space, Enter or a click."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, QRect, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QStyledItemDelegate, QStyleOptionViewItem

from desktop.themes import colours

ID_ROLE = Qt.ItemDataRole.UserRole


class CheckDelegate(QStyledItemDelegate):
    """Draws the tick box itself, in the theme's text colour, so it is plain in every theme."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.theme = "light"

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        c = colours(self.theme)
        size = 18
        box = QRect(option.rect.left() + 6, option.rect.center().y() - size // 2, size, size)
        text_option = QStyleOptionViewItem(option)
        text_option.rect = option.rect.adjusted(size + 14, 0, 0, 0)
        super().paint(painter, text_option, index)
        checked = Qt.CheckState(index.data(Qt.ItemDataRole.CheckStateRole) or 0) == Qt.CheckState.Checked
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor(c["text"]), 2))
        painter.setBrush(QColor(c["highlight"] if checked else c["base"]))
        painter.drawRoundedRect(box, 3, 3)
        if checked:
            tick = QPainterPath()
            tick.moveTo(box.left() + size * 0.22, box.top() + size * 0.52)
            tick.lineTo(box.left() + size * 0.42, box.top() + size * 0.74)
            tick.lineTo(box.left() + size * 0.80, box.top() + size * 0.28)
            painter.setPen(QPen(QColor(c["highlight_text"]), 2.5))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(tick)
        painter.restore()

    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex) -> None:  # noqa: N802 (Qt API)
        super().initStyleOption(option, index)
        option.features &= ~QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator  # drawn by paint()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex):  # noqa: N802 (Qt API)
        narrower = QStyleOptionViewItem(option)
        narrower.rect = option.rect.adjusted(0, 0, -40, 0)  # room for the tick box
        hint = super().sizeHint(narrower, index)
        hint.setHeight(max(hint.height() + 8, 28))
        return hint


class Checklist(QListWidget):
    """The symptoms; Space or Enter ticks the highlighted one, a click ticks the clicked one."""

    toggled = Signal(str)  # symptom id

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        if event.key() in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentItem():
            self.toggled.emit(self.currentItem().data(ID_ROLE))
        else:
            super().keyPressEvent(event)


def check_state(ticked: bool) -> int:
    return (Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked).value


def is_checked(item: QListWidgetItem) -> bool:
    return Qt.CheckState(item.data(Qt.ItemDataRole.CheckStateRole)) == Qt.CheckState.Checked
