"""Where a pathway's boxes, connectors and labels go: a layered, top-down layout.

Layer 0 is the pathway's own entry; each step is the next layer, its boxes side by side. Between
two layers the connectors run in the gap only: down from each box to a bus, one trunk down the
middle with the step's decision label beside it, a bus, and down into each box. So no connector
ever crosses a box or a label. A step whose decision mentions red flags gets an exit: a dashed
branch from its trunk to a column right of every box, ending at a box that opens the entry's Red
flags. Pure geometry (no widgets): the view draws it, the tests measure it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QLineF, QPointF, QRectF

from index.library import Pathway

Measure = Callable[[str, float], tuple[float, float]]  # text, wrap width → width, height

PAD, MIN_W, TEXT_W, LABEL_W = 10.0, 150.0, 220.0, 320.0
BOX_GAP, BUS, TRUNK_GAP = 28.0, 14.0, 8.0
RED_FLAG_LABEL = "red flag present"


@dataclass
class Node:
    text: str
    entry_id: str  # "" = not openable
    anchor: str
    rect: QRectF
    role: str  # "start", "step" or "exit"
    text_size: tuple[float, float] = (0.0, 0.0)


@dataclass
class Label:
    text: str
    rect: QRectF
    role: str  # "decision" or "exit"


@dataclass
class Layout:
    nodes: list[Node] = field(default_factory=list)
    segments: list[tuple[QLineF, str]] = field(default_factory=list)  # line, "flow" or "exit"
    arrows: list[tuple[QPointF, str]] = field(default_factory=list)  # tip (pointing down or right), kind
    labels: list[Label] = field(default_factory=list)

    def bounds(self) -> QRectF:
        rect = QRectF()
        for item in (*self.nodes, *self.labels):
            rect = rect.united(item.rect)
        for line, _kind in self.segments:
            rect = rect.united(QRectF(line.p1(), line.p2()).normalized())
        return rect


def _mentions_red_flags(note: str) -> bool:
    return "red flag" in note.lower()


def layout(pathway: Pathway, measure: Measure) -> Layout:
    """Top-down layers centred on x = 0; see the module docstring for the routing."""
    out = Layout()

    def node(text: str, entry_id: str, role: str, anchor: str = "") -> Node:
        width, height = measure(text, TEXT_W)
        rect = QRectF(0, 0, max(MIN_W, width + 2 * PAD), height + 2 * PAD)
        return Node(text, entry_id, anchor, rect, role, (width, height))

    layers = [[node(pathway.title, pathway.entry, "start")]]
    notes = [""]
    for number, step in enumerate(pathway.steps, start=1):
        layers.append([node(f"{number}. {title}", entry_id, "step") for entry_id, title in step.boxes])
        notes.append(step.note)
    y = 0.0
    exits: list[float] = []
    for index, layer in enumerate(layers):
        _place_row(layer)
        if index:
            y = _gap(out, layers[index - 1], layer, notes[index], y, measure, exits)
        for n in layer:
            n.rect.moveTop(y)
        out.nodes.extend(layer)
        y += max(n.rect.height() for n in layer)
    if exits and pathway.entry:
        _exit_branch(out, pathway, exits, measure, node)
    return out


def _place_row(layer: list[Node]) -> None:
    total = sum(n.rect.width() for n in layer) + BOX_GAP * (len(layer) - 1)
    x = -total / 2
    for n in layer:
        n.rect.moveLeft(x)
        x += n.rect.width() + BOX_GAP


def _gap(
    out: Layout, above: list[Node], below: list[Node], note: str, top: float, measure: Measure, exits: list[float]
) -> float:
    """Connect two layers through the gap that starts at `top`; returns where the next layer starts."""
    bus_out = top + BUS
    exit_y = bus_out + BUS if _mentions_red_flags(note) else None
    label_top = (exit_y or bus_out) + TRUNK_GAP
    width, height = measure(note, LABEL_W) if note else (0.0, 0.0)
    bus_in = label_top + height + TRUNK_GAP
    for n in above:
        out.segments.append((QLineF(n.rect.center().x(), n.rect.bottom(), n.rect.center().x(), bus_out), "flow"))
    _bus(out, [n.rect.center().x() for n in above], bus_out)
    out.segments.append((QLineF(0, bus_out, 0, bus_in), "flow"))
    _bus(out, [n.rect.center().x() for n in below], bus_in)
    bottom = bus_in + BUS
    for n in below:
        out.segments.append((QLineF(n.rect.center().x(), bus_in, n.rect.center().x(), bottom), "flow"))
        out.arrows.append((QPointF(n.rect.center().x(), bottom), "flow"))
    if note:
        out.labels.append(Label(note, QRectF(TRUNK_GAP, label_top, width, height), "decision"))
    if exit_y is not None:
        exits.append(exit_y)
    return bottom


def _bus(out: Layout, xs: list[float], y: float) -> None:
    """A horizontal bar through the trunk (x = 0) and every box's centre line."""
    left, right = min([0.0, *xs]), max([0.0, *xs])
    if right > left:
        out.segments.append((QLineF(left, y, right, y), "flow"))


def _exit_branch(out: Layout, pathway: Pathway, exits: list[float], measure: Measure, node) -> None:
    """Dashed branches from each red-flag decision to one exit box in a column of its own."""
    right = max(n.rect.right() for n in out.nodes)
    right = max([right, *(label.rect.right() for label in out.labels)])
    label_w, label_h = measure(RED_FLAG_LABEL, LABEL_W)
    column = right + label_w + 3 * TRUNK_GAP
    for y in exits:
        out.segments.append((QLineF(0, y, column, y), "exit"))
        out.labels.append(Label(RED_FLAG_LABEL, QRectF(right + TRUNK_GAP, y - label_h - 2, label_w, label_h), "exit"))
    text = f"Red flag present: leave this pathway. Open the red flags of {pathway.title}"
    target = node(text, pathway.entry, "exit", "red-flags")
    target.rect.moveTo(column - PAD, exits[-1] + 2 * BUS)
    out.segments.append((QLineF(column, exits[0], column, target.rect.top()), "exit"))
    out.arrows.append((QPointF(column, target.rect.top()), "exit"))
    out.nodes.append(target)
