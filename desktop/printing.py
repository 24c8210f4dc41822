"""Print an entry, or export it to PDF, with a provenance footer on every page.

QTextDocument.print_() cannot draw footers, so pages are laid out here and each one is painted
with the entry's title, content version, review status and the print date underneath.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import QFont, QPagedPaintDevice, QPageLayout, QPageSize, QPainter, QPdfWriter, QTextDocument

FOOTER_HEIGHT_PT = 28


def footer_text(title: str, content_version: str, review: str) -> str:
    """review is the page's status line ("Checked against sources, …" or "Draft — …"): a draft must
    not print as if it had been reviewed."""
    printed = dt.date.today().isoformat()
    return (
        f"{title} · Vademecum content {content_version} · {review} · printed {printed} · "
        "a reference, not a substitute for clinical judgement or local policy"
    )


def paint_document(html: str, device: QPagedPaintDevice, footer: str) -> int:
    """Lay out html on the device's pages, footer on each; returns the number of pages."""
    document = QTextDocument()
    document.setHtml(html)
    painter = QPainter(device)
    if not painter.isActive():
        raise OSError("the printer or PDF file could not be opened for writing")
    try:
        dpi = device.logicalDpiY()
        footer_px = FOOTER_HEIGHT_PT * dpi / 72
        page = QRectF(0, 0, painter.viewport().width(), painter.viewport().height())
        body_height = page.height() - footer_px
        document.documentLayout().setPaintDevice(device)
        document.setPageSize(QSizeF(page.width(), body_height))
        pages = max(1, document.pageCount())
        footer_font = QFont(document.defaultFont())
        footer_font.setPointSizeF(7.5)
        for number in range(pages):
            if number:
                device.newPage()
            painter.save()
            painter.translate(0, -number * body_height)
            clip = QRectF(0, number * body_height, page.width(), body_height)
            document.drawContents(painter, clip)
            painter.restore()
            painter.setFont(footer_font)
            painter.drawLine(
                QPointF(0, body_height + footer_px * 0.25), QPointF(page.width(), body_height + footer_px * 0.25)
            )
            painter.drawText(
                QRectF(0, body_height + footer_px * 0.3, page.width(), footer_px * 0.7),
                int(Qt.AlignmentFlag.AlignLeft) | int(Qt.TextFlag.TextWordWrap),
                f"{footer} · page {number + 1} of {pages}",
            )
        return pages
    finally:
        painter.end()


def export_pdf(html: str, path: Path, footer: str) -> int:
    writer = QPdfWriter(str(path))
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(15, 15, 15, 12),
            QPageLayout.Unit.Millimeter,
        )
    )
    writer.setResolution(150)
    writer.setTitle(footer.split(" · ")[0])
    writer.setCreator("Vademecum")
    return paint_document(html, writer, footer)
