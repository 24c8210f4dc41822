"""A management pathway, drawn from the library's data (layout in pathway_layout): every box opens
its entry by click or by keyboard, the drawing fits the window, follows the theme, and exports."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QKeySequence,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QPolygonF,
    QShortcut,
    QTextOption,
    QTransform,
)
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsTextItem,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.pathway_layout import Layout, Node, layout
from desktop.themes import colours
from index.library import Pathway

MAX_SCALE, MIN_SCALE, MARGIN = 1.6, 0.55, 24.0
EXIT_COLOURS = {"light": "#b3261e", "dark": "#ff8a80", "high-contrast": "#ff4040"}  # 4.5:1 or more on the window
CAPTION = "Click a box, or Tab to it and press Enter, to open its entry."
EXIT_CAPTION = " Dashed red: leave the pathway when a red flag is present."


class PathwayBox(QGraphicsRectItem):
    """One box of the drawing; `entry_id` and `anchor` say what it opens."""

    def __init__(self, node: Node, callback) -> None:
        super().__init__(node.rect)
        self.node = node
        self.entry_id = node.entry_id
        self.anchor = node.anchor
        self.title = node.text
        self.callback = callback
        if node.entry_id:
            self.setCursor(Qt.CursorShape.PointingHandCursor)
            self.setToolTip(f"Open {node.text}")

    def mousePressEvent(self, event) -> None:  # noqa: N802 (Qt API)
        if self.entry_id:
            self.callback(self.entry_id, self.anchor)


class PathwayCanvas(QGraphicsView):
    """The view: fits the drawing on resize; Tab, Shift+Tab and arrows move between boxes, Enter opens."""

    def __init__(self, scene: QGraphicsScene, owner: PathwayView) -> None:
        super().__init__(scene)
        self.owner = owner
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def fit(self) -> None:
        rect = self.sceneRect()
        if rect.isEmpty():
            return
        self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
        scale = max(MIN_SCALE, min(MAX_SCALE, self.transform().m11()))
        self.setTransform(QTransform.fromScale(scale, scale))

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self.fit()

    def focusInEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().focusInEvent(event)
        if self.owner.current < 0 and self.owner.boxes:
            backward = event.reason() == Qt.FocusReason.BacktabFocusReason
            self.owner.focus_box(len(self.owner.boxes) - 1 if backward else 0)

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: N802, A002 (Qt API)
        target = self.owner.current + (1 if next else -1)
        if self.hasFocus() and 0 <= target < len(self.owner.boxes):
            self.owner.focus_box(target)
            return True
        self.owner.focus_box(-1)
        return super().focusNextPrevChild(next)

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt API)
        key, owner = event.key(), self.owner
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            owner.open_current()
        elif key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            owner.focus_box(owner.below(owner.current, key == Qt.Key.Key_Down))
        elif key == Qt.Key.Key_Right:
            owner.focus_box(min(len(owner.boxes) - 1, owner.current + 1))
        elif key == Qt.Key.Key_Left:
            owner.focus_box(max(0, owner.current - 1))
        else:
            super().keyPressEvent(event)


class PathwayView(QWidget):
    """A management pathway, as stored with the library; every box opens its entry."""

    entry_requested = Signal(str, str)  # entry id, anchor ("" = the top)
    drawn = Signal(str)  # pathway id, after the scene is rebuilt

    def __init__(self, pathways: list[Pathway], parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle("Management pathways — Vademecum")
        self.setAccessibleName("Management pathways")
        self.pathways: list[Pathway] = []
        self.theme = "light"
        self._wanted = ""
        self.layout_: Layout | None = None
        self.boxes: list[PathwayBox] = []
        self.current = -1
        column = QVBoxLayout(self)
        row = QHBoxLayout()
        self.chooser = QComboBox()
        self.chooser.setAccessibleName("Pathway")
        self.chooser.currentIndexChanged.connect(self._draw)
        row.addWidget(self.chooser, 1)
        self.export_button = QPushButton("Export as PNG or PDF…")
        self.export_button.setAccessibleName("Export the pathway as PNG or PDF")
        self.export_button.clicked.connect(lambda _checked=False: self.export_dialog())
        row.addWidget(self.export_button)
        column.addLayout(row)
        self.scene = QGraphicsScene(self)
        self.view = PathwayCanvas(self.scene, self)
        self.view.setAccessibleName("Pathway diagram")
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        for text, suffix in (("Export as PNG…", ".png"), ("Export as PDF…", ".pdf")):
            action = QAction(text, self.view)
            action.triggered.connect(lambda _checked=False, s=suffix: self.export_dialog(s))
            self.view.addAction(action)
        column.addWidget(self.view, 1)
        self.caption = QLabel(CAPTION)
        self.caption.setWordWrap(True)
        self.caption.setAccessibleName("How to use the diagram")
        column.addWidget(self.caption)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)
        self.setTabOrder(self.chooser, self.view)
        self.setTabOrder(self.view, self.export_button)
        self.resize(900, 860)
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

    def set_theme(self, theme: str) -> None:
        self.theme = theme
        self._draw()

    # -- keyboard --------------------------------------------------------------------------------
    def focus_box(self, index: int) -> None:
        """Mark the box with the keyboard focus (-1: none) and bring it into view."""
        self.current = index if 0 <= index < len(self.boxes) else -1
        c = self._colours()
        for number, box in enumerate(self.boxes):
            focused = number == self.current
            box.setPen(self._pen(box.node, c, focused))
        if self.current >= 0:
            box = self.boxes[self.current]
            self.view.ensureVisible(box, 8, 8)
            self.view.setAccessibleDescription(box.title)

    def below(self, index: int, down: bool = True) -> int:
        """The box in the next row down (or up) nearest this one's centre; itself at the end."""
        if not 0 <= index < len(self.boxes):
            return 0
        here = self.boxes[index].rect()
        rows = [
            b.rect().top() for b in self.boxes if (b.rect().top() > here.top()) == down and b.rect().top() != here.top()
        ]
        if not rows:
            return index
        row = min(rows) if down else max(rows)
        candidates = [n for n, b in enumerate(self.boxes) if b.rect().top() == row]
        return min(candidates, key=lambda n: abs(self.boxes[n].rect().center().x() - here.center().x()))

    def open_current(self) -> None:
        if 0 <= self.current < len(self.boxes):
            self.open_entry(self.boxes[self.current].entry_id, self.boxes[self.current].anchor)

    def open_entry(self, entry_id: str, anchor: str = "") -> None:
        """Hand the entry to the main window and step aside (Ctrl+Shift+W brings the pathway back)."""
        if entry_id:
            self.hide()
            self.entry_requested.emit(entry_id, anchor)

    # -- drawing ---------------------------------------------------------------------------------
    def _colours(self) -> dict[str, str]:
        return {**colours(self.theme), "exit": EXIT_COLOURS.get(self.theme, EXIT_COLOURS["light"])}

    def _draw(self, *_args) -> None:
        self.scene.clear()
        self.boxes, self.current, self.layout_ = [], -1, None
        c = self._colours()
        self.scene.setBackgroundBrush(QColor(c["window"]))
        if not self.pathways:
            return
        pathway = self.pathways[max(0, self.chooser.currentIndex())]
        bold = QFont(self.font())
        bold.setBold(True)
        metrics = QFontMetricsF(bold)  # bold is the widest the text is drawn
        flags = int(Qt.AlignmentFlag.AlignLeft) | int(Qt.TextFlag.TextWordWrap)

        def measure(text: str, width: float) -> tuple[float, float]:
            size = metrics.boundingRect(QRectF(0, 0, width, 10000), flags, text).size()
            return size.width() + 2, size.height() + 2

        self.layout_ = layout(pathway, measure)
        exits = any(node.role == "exit" for node in self.layout_.nodes)
        self.caption.setText(CAPTION + (EXIT_CAPTION if exits else ""))
        self._draw_connectors(self.layout_, c)
        for label in self.layout_.labels:
            self._text(label.text, label.rect, c["exit"] if label.role == "exit" else c["muted"], italic=True)
        for node in self.layout_.nodes:
            self._draw_node(node, c)
        self.scene.setSceneRect(self.layout_.bounds().marginsAdded(QMarginsF(MARGIN, MARGIN, MARGIN, MARGIN)))
        self.view.fit()
        self.drawn.emit(pathway.id)

    def _pen(self, node: Node, c: dict[str, str], focused: bool = False) -> QPen:
        if focused:
            return QPen(QColor(c["highlight"] if self.theme != "high-contrast" else c["link"]), 4)
        colour = c["exit"] if node.role == "exit" else c["heading"]
        return QPen(QColor(colour), 3 if node.role == "exit" else 2)

    def _draw_node(self, node: Node, c: dict[str, str]) -> None:
        box = PathwayBox(node, self.open_entry)
        box.setPen(self._pen(node, c))
        fill = {"exit": c["flags"], "start": c["glance"]}.get(node.role, c["base"])
        box.setBrush(QBrush(QColor(fill)))
        self.scene.addItem(box)
        width, height = node.text_size
        text_rect = QRectF(node.rect.center().x() - width / 2, node.rect.center().y() - height / 2, width, height)
        self._text(node.text, text_rect, c["text"], bold=node.role != "step", centre=True)
        if node.entry_id:
            self.boxes.append(box)

    def _text(self, text: str, rect: QRectF, colour: str, *, italic=False, bold=False, centre=False) -> None:
        item = QGraphicsTextItem(text)
        font = QFont(self.font())
        font.setItalic(italic)
        font.setBold(bold)
        item.setFont(font)
        item.setDefaultTextColor(QColor(colour))
        item.document().setDocumentMargin(0)
        item.setTextWidth(rect.width())
        if centre:
            option = QTextOption(Qt.AlignmentFlag.AlignHCenter)
            option.setWrapMode(QTextOption.WrapMode.WordWrap)
            item.document().setDefaultTextOption(option)
        item.setPos(rect.topLeft() - item.boundingRect().topLeft())
        item.setAcceptedMouseButtons(Qt.MouseButton.NoButton)  # clicks reach the box below
        item.setZValue(1)
        self.scene.addItem(item)

    def _draw_connectors(self, drawn: Layout, c: dict[str, str]) -> None:
        pens = {"flow": QPen(QColor(c["heading"]), 2), "exit": QPen(QColor(c["exit"]), 2.5)}
        pens["exit"].setStyle(Qt.PenStyle.DashLine)
        for line, kind in drawn.segments:
            self.scene.addLine(line, pens[kind])
        for tip, kind in drawn.arrows:
            head = QPolygonF([tip, tip + QPointF(-6, -10), tip + QPointF(6, -10)])
            colour = QColor(c["exit"] if kind == "exit" else c["heading"])
            self.scene.addPolygon(head, QPen(colour, 1), QBrush(colour))

    # -- export ----------------------------------------------------------------------------------
    def export(self, path: Path) -> Path:
        """Write the drawing as PNG or PDF (by the file's suffix); the theme's colours are kept."""
        path = Path(path)
        source = self.scene.sceneRect()
        if path.suffix.lower() == ".pdf":
            writer = QPdfWriter(str(path))
            writer.setPageSize(QPageSize(QSizeF(source.width(), source.height()), QPageSize.Unit.Point))
            writer.setPageMargins(QMarginsF(0, 0, 0, 0))
            writer.setResolution(144)
            painter = QPainter(writer)
        else:
            image = QImage((source.size() * 2).toSize(), QImage.Format.Format_ARGB32)
            image.fill(QColor(colours(self.theme)["window"]))
            painter = QPainter(image)
        painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.scene.render(painter, QRectF(), source)
        painter.end()
        if path.suffix.lower() != ".pdf" and not image.save(str(path)):
            raise OSError(f"could not write {path}")
        return path

    def export_dialog(self, suffix: str = ".png") -> None:
        filters = "PNG (*.png);;PDF (*.pdf)" if suffix == ".png" else "PDF (*.pdf);;PNG (*.png)"
        name, _ = QFileDialog.getSaveFileName(
            self, "Export the pathway", f"{self.chooser.currentData() or 'pathway'}{suffix}", filters
        )
        if name:
            try:
                self.export(Path(name))
            except OSError as exc:
                self.caption.setText(f"The pathway could not be exported: {exc}")
