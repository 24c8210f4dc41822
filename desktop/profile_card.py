"""One complication profile in the symptom finder: title, urgency badge, why it fits, red flags.

A card is one tab stop; arrows move between cards, Enter or a click opens the entry."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop.dialogs import URGENCY_COLOURS
from desktop.onset import duration, onset_window
from desktop.themes import colours
from index.library import ProfileMatch

HIGH_CONTRAST_URGENCY = {"emergency": "#ff4040", "urgent": "#ffb000", "routine": "#00ff00"}


def badge_style(theme: str, urgency: str) -> str:
    """White on a saturated colour (light, dark); in high contrast, the colour is the border."""
    if theme == "high-contrast":
        edge = HIGH_CONTRAST_URGENCY.get(urgency, "#ffffff")
        return f"color: #ffffff; background: #000000; border: 2px solid {edge}; padding: 2px 8px;"
    fill = URGENCY_COLOURS.get(urgency, "#5b6b7c")
    return f"color: #ffffff; background: {fill}; border-radius: 4px; padding: 2px 8px; font-weight: bold;"


def outside_style(theme: str) -> str:
    c = colours(theme)
    return f"color: {c['text']}; border: 1px dashed {c['text']}; border-radius: 4px; padding: 2px 6px;"


def card_style(theme: str) -> str:
    c = colours(theme)
    border = c["text"] if theme == "high-contrast" else c["muted"]
    return (
        f"QFrame#profile-card {{ background: {c['base']}; border: 1px solid {border}; border-radius: 6px; }}"
        f"QFrame#profile-card[outside='true'] {{ border-style: dashed; }}"
        f"QFrame#profile-card:focus {{ border: 3px solid {c['highlight']}; }}"
        f"QFrame#profile-card QLabel {{ color: {c['text']}; border: none; background: transparent; }}"
    )


def fit_text(match: ProfileMatch, labels: dict[str, str], hours: float | None) -> str:
    """Why this profile is listed: the symptoms it explains, and how the time fits its window."""
    shared = ", ".join(escape(labels.get(s, s)) for s in match.matched)
    listed = f" ({len(match.matched)} of {match.total_symptoms} of its signs)" if match.total_symptoms else ""
    window = onset_window(match.onset_hours)
    now = f"; now {duration(hours)}" if hours is not None else ""
    if match.in_window:
        timing = f"<b>Onset</b> {window}{now}"
    else:
        timing = f"<b>Outside the usual window</b> ({window}{now})"
    return f"<b>Fits:</b> {shared}{listed}<br>{timing}"


def flags_html(text: str) -> str:
    """The whole Red flags section, one line per flag (never cut)."""
    lines = [" ".join(line.strip().lstrip("-*•").split()) for line in text.splitlines()]
    lines = [escape(line) for line in lines if line]
    if not lines:
        return ""
    return "<b>Red flags:</b><br>" + "<br>".join(f"• {line}" for line in lines)


class ProfileCard(QFrame):
    activated = Signal(str)  # entry id
    step = Signal(int)  # +1 / -1: move to the next or previous card

    def __init__(self, match: ProfileMatch, labels: dict[str, str], hours: float | None, theme: str) -> None:
        super().__init__()
        self.entry_id = match.id
        self.match = match
        self.setObjectName("profile-card")
        self.setProperty("outside", "false" if match.in_window else "true")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        where = "" if match.in_window else ", outside the usual window"
        self.setAccessibleName(f"{match.urgency}: {match.title}{where}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        head = QHBoxLayout()
        self.title = QLabel(escape(match.title))
        font = QFont(self.title.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.title.setFont(font)
        self.title.setWordWrap(True)
        head.addWidget(self.title, 1)
        if not match.in_window:
            outside = QLabel("outside the usual window")
            outside.setStyleSheet(outside_style(theme))
            head.addWidget(outside, 0, Qt.AlignmentFlag.AlignTop)
        self.badge = QLabel(match.urgency.upper())
        self.badge.setStyleSheet(badge_style(theme, match.urgency))
        self.badge.setAccessibleName(f"Urgency: {match.urgency}")
        head.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(head)
        self.why = self._text(fit_text(match, labels, hours))
        layout.addWidget(self.why)
        self.flags = self._text(flags_html(match.red_flags))
        layout.addWidget(self.flags)
        self.flags.setVisible(bool(match.red_flags.strip()))

    def _text(self, html: str) -> QLabel:
        label = QLabel(html)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        return label

    def text(self) -> str:
        """What the card says, label by label (title, urgency, why it fits, red flags)."""
        return "\n".join(label.text() for label in (self.title, self.badge, self.why, self.flags))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.activated.emit(self.entry_id)
        elif key in (Qt.Key.Key_Down, Qt.Key.Key_Right):
            self.step.emit(1)
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Left):
            self.step.emit(-1)
        else:
            super().keyPressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        if event.button() == Qt.MouseButton.LeftButton:
            self.activated.emit(self.entry_id)


def empty_card(text: str) -> QWidget:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
    return label
