"""Render resources/icons/vademecum.svg into the raster icons the packages need (run once by hand).

    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/make_icon.py

Writes resources/icons/vademecum.png (256x256, the Linux hicolor icon) and vademecum.ico
(16, 24, 32, 48, 64 and 256 px, PNG-compressed entries, for the Windows executable and the MSI's
Add/Remove Programs entry). The outputs are committed; the build does not run this script.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


ICO_SIZES = (16, 24, 32, 48, 64, 256)


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data)


def ico_bytes(pngs: list[bytes], sizes: tuple[int, ...]) -> bytes:
    """An ICO file whose entries are PNG images (Windows Vista and later read these)."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = len(header) + 16 * len(pngs)
    entries, blobs = b"", b""
    for size, png in zip(sizes, pngs, strict=True):
        side = 0 if size >= 256 else size  # 0 means 256 in an ICONDIRENTRY
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset + len(blobs))
        blobs += png
    return header + entries + blobs


def main() -> int:
    _app = QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(ICONS / "vademecum.svg"))
    if not renderer.isValid():
        print("vademecum.svg could not be parsed", file=sys.stderr)
        return 1
    png = ICONS / "vademecum.png"
    if not render(renderer, 256).save(str(png), "PNG"):
        print(f"could not write {png}", file=sys.stderr)
        return 1
    ico = ICONS / "vademecum.ico"
    ico.write_bytes(ico_bytes([png_bytes(render(renderer, size)) for size in ICO_SIZES], ICO_SIZES))
    print(f"wrote {png} and {ico}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
