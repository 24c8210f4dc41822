"""Pathway diagrams: connectors never cross a box or a label, decisions sit on the connectors, red
flags leave by their own branch, boxes open from the keyboard, the drawing follows the theme and
exports to PNG and PDF."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QLineF, QRectF, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QGraphicsLineItem, QGraphicsRectItem, QGraphicsSimpleTextItem, QGraphicsTextItem

from desktop.themes import colours
from index.library import Pathway, PathwayStep

pytestmark = pytest.mark.gui

BRANCHING = Pathway(
    "fixture",
    "Fixture headache pathway",
    "fixture-headache",
    (
        PathwayStep((("fixture-rest", "Fixture rest and acetaminophen"),), "first review; exclude red flags"),
        PathwayStep(
            (("fixture-rest", "Fixture rest, second box with a longer title"), ("fixture-blood-patch", "Patch")),
            "if disabling after a day or two of rest",
        ),
        PathwayStep((("fixture-blood-patch", "Fixture blood patch"),), "not settling, red flags excluded"),
    ),
)


@pytest.fixture
def view(qtbot):
    from desktop.pathway_view import PathwayView

    shown = PathwayView([BRANCHING])
    qtbot.addWidget(shown)
    shown.resize(1024, 700)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


def crosses(line: QLineF, rect: QRectF) -> bool:
    """Whether the segment passes through the inside of the rectangle (Liang–Barsky clipping)."""
    inside = rect.adjusted(1, 1, -1, -1)
    x0, y0, dx, dy = line.x1(), line.y1(), line.dx(), line.dy()
    low, high = 0.0, 1.0
    for p, q in (
        (-dx, x0 - inside.left()),
        (dx, inside.right() - x0),
        (-dy, y0 - inside.top()),
        (dy, inside.bottom() - y0),
    ):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            low = max(low, t)
        else:
            high = min(high, t)
        if low > high:
            return False
    return True


def drawing(scene):
    lines = [item.mapToScene(item.line().p1()) for item in scene.items() if isinstance(item, QGraphicsLineItem)]
    segments = [
        QLineF(item.mapToScene(item.line().p1()), item.mapToScene(item.line().p2()))
        for item in scene.items()
        if isinstance(item, QGraphicsLineItem)
    ]
    boxes = [item.mapRectToScene(item.rect()) for item in scene.items() if isinstance(item, QGraphicsRectItem)]
    texts = [
        item.sceneBoundingRect()
        for item in scene.items()
        if isinstance(item, (QGraphicsTextItem, QGraphicsSimpleTextItem))
    ]
    assert lines and boxes and texts
    return segments, boxes, texts


@pytest.mark.parametrize("source", ["fixture", "bundled"])
def test_no_connector_crosses_a_box_or_a_label(view, bundled_library, source) -> None:
    pathways = [BRANCHING] if source == "fixture" else bundled_library.pathways()
    view.set_pathways(pathways)
    for index in range(view.chooser.count()):
        view.chooser.setCurrentIndex(index)
        segments, boxes, texts = drawing(view.scene)
        for segment in segments:
            for rect in (*boxes, *texts):
                assert not crosses(segment, rect), (view.chooser.currentText(), segment, rect)


def test_decisions_label_the_connectors_and_red_flags_leave_by_their_own_branch(view) -> None:
    words = [item.toPlainText() for item in view.scene.items() if isinstance(item, QGraphicsTextItem)]
    for step in BRANCHING.steps:
        assert step.note in words
    exits = [box for box in view.boxes if box.anchor == "red-flags"]
    assert [box.entry_id for box in exits] == ["fixture-headache"]
    dashed = [
        item
        for item in view.scene.items()
        if isinstance(item, QGraphicsLineItem) and item.pen().style() == Qt.PenStyle.DashLine
    ]
    assert len(dashed) >= 3  # one branch from each red-flag decision, and the column to the exit box
    flow = {item.pen().color().name() for item in view.scene.items() if isinstance(item, QGraphicsLineItem)}
    assert len({line.pen().color().name() for line in dashed}) == 1 and len(flow) == 2  # red flags stand apart


def test_tab_reaches_a_box_and_enter_opens_its_entry(qtbot, view) -> None:
    view.chooser.setFocus()
    qtbot.keyClick(view.chooser, Qt.Key.Key_Tab)
    assert view.view.hasFocus() and view.current == 0
    qtbot.keyClick(view.view, Qt.Key.Key_Tab)
    assert view.boxes[view.current].title == "1. Fixture rest and acetaminophen"
    qtbot.keyClick(view.view, Qt.Key.Key_Down)  # down a row, to the box nearest below
    qtbot.keyClick(view.view, Qt.Key.Key_Right)
    assert view.boxes[view.current].title == "2. Patch"
    qtbot.keyClick(view.view, Qt.Key.Key_Left)
    assert view.boxes[view.current].title.endswith("second box with a longer title")
    with qtbot.waitSignal(view.entry_requested, timeout=2000) as opened:
        qtbot.keyClick(view.view, Qt.Key.Key_Return)
    assert opened.args == ["fixture-rest", ""]
    assert view.isHidden()  # out of the way of the entry it opened


def test_esc_closes_the_pathway_window(qtbot, view) -> None:
    view.view.setFocus()
    qtbot.keyClick(view.view, Qt.Key.Key_Escape)
    assert not view.isVisible()


def test_drawing_follows_the_theme_of_the_window(qtbot, window) -> None:
    window.show_pathways()
    window.apply_theme("high-contrast")
    scene = window.pathway_view.scene
    assert scene.backgroundBrush().color().name() == colours("high-contrast")["window"]
    window.apply_theme("dark")
    assert scene.backgroundBrush().color().name() == colours("dark")["window"]


def test_export_writes_a_png_and_a_pdf(qtbot, view, tmp_path, monkeypatch) -> None:
    from desktop import pathway_view

    png = view.export(tmp_path / "pathway.png")
    image = QImage(str(png))
    assert not image.isNull() and image.width() >= view.scene.sceneRect().width()
    target = tmp_path / "pathway.pdf"
    monkeypatch.setattr(pathway_view.QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "PDF (*.pdf)"))
    qtbot.mouseClick(view.export_button, Qt.MouseButton.LeftButton)
    assert target.read_bytes().startswith(b"%PDF") and target.stat().st_size > 2000


def test_a_box_opens_its_entry_in_the_main_window_whose_shortcuts_work_here(qtbot, make_window, mini_corpus) -> None:
    from PySide6.QtGui import QKeySequence

    (mini_corpus.parent / "pathways.yaml").write_text(
        "- id: fixture\n  title: Fixture pathway\n  entry: fixture-headache\n  steps:\n"
        "    - {boxes: [fixture-rest], note: first review; exclude red flags}\n"
        "    - {boxes: [fixture-blood-patch], note: if disabling}\n",
        encoding="utf-8",
    )
    window = make_window(mini_corpus.parent.parent / "data", mini_corpus)
    qtbot.waitUntil(lambda: window.library is not None, timeout=30000)
    window.show_pathways()
    view = window.pathway_view
    qtbot.waitUntil(lambda: len(view.boxes) == 4, timeout=5000)  # its entry, two steps, the red-flag exit
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow, timeout=2000)
    qtbot.keySequence(view, QKeySequence("Ctrl+Shift+Y"))  # a main-window shortcut, pressed here
    assert window.symptom_finder is not None and window.symptom_finder.isVisible()
    window.symptom_finder.close()
    window.show_pathways()
    view.view.setFocus()
    view.focus_box(len(view.boxes) - 1)
    assert view.boxes[view.current].anchor == "red-flags"
    with qtbot.waitSignal(window.entry_shown, timeout=5000) as shown:
        qtbot.keyClick(view.view, Qt.Key.Key_Return)
    assert shown.args[0] == "fixture-headache" and view.isHidden()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
