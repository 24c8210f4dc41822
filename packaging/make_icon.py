"""Render resources/icons/vademecum.svg into the raster icons the packages need (run once by hand).

    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/make_icon.py

Writes resources/icons/vademecum.png (256x256, the Linux hicolor icon) and vademecum.ico
(one 256x256 image, for the Windows executable and the MSI's Add/Remove Programs entry). The outputs are
committed; the build does not run this script.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
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
    # Qt's ICO writer stores one image; Windows scales the 256 px image down for small sizes.
    ico = ICONS / "vademecum.ico"
    if not render(renderer, 256).save(str(ico), "ICO"):
        print(f"could not write {ico} (no Qt ico image plugin?)", file=sys.stderr)
        return 1
    print(f"wrote {png} and {ico}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
