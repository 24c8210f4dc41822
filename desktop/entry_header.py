"""The band above the page that never scrolls away: title, kind, urgency badge and onset window.

Under pressure the reader of an emergency entry must always see what it is and how urgent it is,
wherever the page is scrolled; so this is a widget above the QTextBrowser, not part of the HTML."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout

from desktop.page import onset_text
from desktop.themes import colours
from index.library import EntryPage
from index.model import KIND_LABELS, URGENCY_LABELS

# badge background, badge text: white on these passes 4.5:1
URGENCY_BADGES = {"emergency": "#b3261e", "urgent": "#9a4f00", "routine": "#2f6f4f"}


def urgency_badge(urgency: str | None, *, small: bool = False) -> str:
    """The urgency as a coloured badge (rich text) for the header, results, Browse and Recent."""
    if not urgency:
        return ""
    size = " font-size:small;" if small else ""
    return (
        f'<span style="background-color:{URGENCY_BADGES.get(urgency, "#555555")}; color:#ffffff;{size}">'
        f"&nbsp;<b>{escape(URGENCY_LABELS.get(urgency, urgency).upper())}</b>&nbsp;</span>"
    )


BADGE_ICON_SIZE = (80, 18)


def badge_icon(urgency: str | None, *, blank: bool = True) -> QIcon:
    """The urgency as a small pill for list and tree rows (Browse, Recent, Bookmarks); emergency and
    urgent only, since a badge on every routine row would be noise (they get a blank of the same
    size when `blank`, so titles in a list with badges line up). Drawn once per kind of badge: a
    large library has thousands of rows and only three different icons."""
    if urgency not in ("emergency", "urgent"):
        if not blank:
            return QIcon()
        urgency = None
    icon = _BADGE_ICONS.get(urgency)
    if icon is None:
        icon = _BADGE_ICONS[urgency] = _draw_badge(urgency)
    return icon


_BADGE_ICONS: dict[str | None, QIcon] = {}


def _draw_badge(urgency: str | None) -> QIcon:
    width, height = BADGE_ICON_SIZE
    pixmap = QPixmap(width * 2, height * 2)  # drawn at 2x, sharp on high-DPI screens
    pixmap.setDevicePixelRatio(2)
    pixmap.fill(Qt.GlobalColor.transparent)
    if urgency not in ("emergency", "urgent"):
        return QIcon(pixmap)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(URGENCY_BADGES[urgency]))
    painter.drawRoundedRect(QRectF(0, 1, width - 2, height - 2), 4, 4)
    font = QFont()
    font.setBold(True)
    for pixels in (11, 10, 9, 8):  # the largest size at which the word fits the pill
        font.setPixelSize(pixels)
        if QFontMetricsF(font).horizontalAdvance(urgency.upper()) <= width - 10:
            break
    painter.setFont(font)
    painter.setPen(QColor("#ffffff"))
    painter.drawText(QRectF(0, 1, width - 2, height - 2), Qt.AlignmentFlag.AlignCenter, urgency.upper())
    painter.end()
    return QIcon(pixmap)


class EntryHeader(QFrame):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("entry-header")
        self.setAccessibleName("Entry header")
        self.badge = QLabel()
        self.badge.setAccessibleName("Urgency")
        self.title = QLabel()
        self.title.setAccessibleName("Entry title")
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.onset = QLabel()
        self.onset.setAccessibleName("Onset")
        self.onset.setWordWrap(True)
        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignVCenter)
        top.addWidget(self.title, 1)
        layout = QVBoxLayout(self)  # the title gets the whole width; kind and onset go underneath
        layout.setContentsMargins(10, 4, 10, 4)
        layout.setSpacing(0)
        layout.addLayout(top)
        layout.addWidget(self.onset)
        self.hide()

    def show_page(self, page: EntryPage, theme: str, font_size: int) -> None:
        c = colours(theme)
        band, border = {
            "emergency": (c["flags"], c["flags_border"]),
            "urgent": (c["glance"], c["glance_border"]),
        }.get(page.urgency or "", (c["window"], c["window"]))
        self.setStyleSheet(
            f"#entry-header {{ background-color:{band}; border:2px solid {border}; border-radius:4px; }}"
            f"#entry-header QLabel {{ color:{c['text']}; background: transparent; border: none; }}"
        )
        self.badge.setText(urgency_badge(page.urgency))
        self.badge.setVisible(bool(page.urgency))
        self.title.setText(
            f"<span style='font-size:{font_size + 3}pt; font-weight:bold; color:{c['heading']};'>"
            f"{escape(page.title)}</span>"
        )
        kind = escape(KIND_LABELS.get(page.kind, page.kind))
        onset = f" · <b>Onset {escape(onset_text(page.onset_hours))}</b>" if page.onset_hours else ""
        self.onset.setText(f"{kind}{onset}")
        self.title.setToolTip(f"Also: {', '.join(page.aliases)}" if page.aliases else "")
        self.show()
