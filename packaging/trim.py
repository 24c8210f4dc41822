"""What the PyInstaller bundle leaves out, and the checks that keep the trimming safe.

Used by packaging/vademecum.spec (PyInstaller executes the spec with this folder on sys.path) and by
tests/packaging/test_trim.py, which runs in every test run without building anything.

Trimming happens in three steps after PyInstaller's analysis:
1. Python modules: Qt bindings the app never imports (QT_EXCLUDES) and tools (PY_EXCLUDES). The
   spec refuses to build if the source imports an excluded Qt module (`check_excludes`).
2. Qt files: plugins outside KEEP_PLUGINS, every Qt translation, and Qt libraries in DROP_QT_LIBS.
3. Linux only: shared libraries that no kept extension module, plugin or libpython needs, found by
   walking DT_NEEDED entries from those roots (`reachable`). SYSTEM_LIBS are never bundled, and the
   walk does not go through them: they come from the target system.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Iterable
from pathlib import Path

# Qt modules the app does not import (it uses QtCore, QtGui, QtWidgets, and QtPrintSupport for the
# Print dialog). QtNetwork and QtWebEngine stay out on purpose: the app opens no network connection
# and renders entries with QTextBrowser.
QT_EXCLUDES = (
    "PySide6.QtNetwork",
    "PySide6.QtNetworkAuth",
    "PySide6.QtWebEngineCore",
    "PySide6.QtWebEngineWidgets",
    "PySide6.QtWebEngineQuick",
    "PySide6.QtWebChannel",
    "PySide6.QtWebSockets",
    "PySide6.QtHttpServer",
    "PySide6.QtQml",
    "PySide6.QtQmlFeatures",
    "PySide6.QtQuick",
    "PySide6.QtQuick3D",
    "PySide6.QtQuickControls2",
    "PySide6.QtQuickTest",
    "PySide6.QtQuickWidgets",
    "PySide6.Qt3DCore",
    "PySide6.Qt3DRender",
    "PySide6.Qt3DInput",
    "PySide6.Qt3DLogic",
    "PySide6.Qt3DAnimation",
    "PySide6.Qt3DExtras",
    "PySide6.QtMultimedia",
    "PySide6.QtMultimediaWidgets",
    "PySide6.QtDBus",
    "PySide6.QtDesigner",
    "PySide6.QtHelp",
    "PySide6.QtUiTools",
    "PySide6.QtSql",
    "PySide6.QtTest",
    "PySide6.QtXml",
    "PySide6.QtConcurrent",
    "PySide6.QtOpenGL",
    "PySide6.QtOpenGLWidgets",
    "PySide6.QtPdf",
    "PySide6.QtPdfWidgets",
    "PySide6.QtSvg",
    "PySide6.QtSvgWidgets",
    "PySide6.QtCharts",
    "PySide6.QtDataVisualization",
    "PySide6.QtLabsStyleKit",
)
# Never imported by the app or its dependencies (checked with grep); test and build tools stay out.
PY_EXCLUDES = (
    "tkinter",
    "_tkinter",
    "pytest",
    "pytestqt",
    "pytest_socket",
    "hypothesis",
    "ruff",
    "pydoc",
    "xmlrpc",
    "lib2to3",
    "ensurepip",
    "idlelib",
    "PyInstaller",
)

# Plugin folders and the plugins kept in each (None: the whole folder). Linux: xcb (X11 and
# XWayland) and offscreen (self-test, CI), the xcb GL integrations (xcb probes them), compose input
# (dead keys), CUPS printing. Windows: qwindows and the styles folder. Everything else goes:
# Wayland-native, eglfs, VNC, GTK3 theme, portals, ibus, virtual keyboard, TLS, network
# information, SQL drivers, QML tooling.
KEEP_PLUGINS: dict[str, set[str] | None] = {
    "platforms": {"qoffscreen", "qxcb", "qwindows"},
    "xcbglintegrations": None,
    "platforminputcontexts": {"composeplatforminputcontextplugin"},
    "imageformats": {"qico", "qsvg"},
    "iconengines": {"qsvgicon"},
    "printsupport": {"cupsprintersupport"},
    "styles": None,
}
# Qt libraries that only dropped plugins or modules pull in (matched after a leading "lib").
DROP_QT_LIBS = (
    "Qt6Qml",
    "Qt6Quick",
    "Qt6Wayland",
    "Qt6WlShell",
    "Qt6EglFS",
    "Qt6VirtualKeyboard",
    "Qt6Network",
    "Qt6Sql",
    "Qt6Pdf",
    "Qt6OpenGL.",
    "Qt6OpenGLWidgets",
    "Qt6Test",
    "Qt6Designer",
    "Qt6Help",
    "Qt6Xml",
    "Qt6Concurrent",
    "Qt6WebEngine",
    "Qt6Multimedia",
    "Qt63D",
    "Qt6LabsStyleKit",
)
# Taken from the target system, never bundled: libcups must match the system's CUPS setup (and
# would pull in gnutls, avahi and Kerberos). Without it, the CUPS plugin does not load and the
# Print dialog offers printing to PDF only.
SYSTEM_LIBS = ("libcups.so",)

_QT_IMPORT = re.compile(r"\bPySide6\.(Qt\w+)|\bfrom\s+PySide6\s+import\s+\(?([\w\s,]+)\)?")


def qt_modules_used(root: Path) -> set[str]:
    """The PySide6 modules (e.g. "QtPrintSupport") that main.py, index/ and desktop/ import."""
    files = [root / "main.py", *sorted((root / "index").rglob("*.py")), *sorted((root / "desktop").rglob("*.py"))]
    used: set[str] = set()
    for file in files:
        if not file.is_file():
            continue
        for dotted, listed in _QT_IMPORT.findall(file.read_text(encoding="utf-8")):
            used.update([dotted] if dotted else [n.strip() for n in listed.split(",") if n.strip().startswith("Qt")])
    return used


def check_excludes(root: Path) -> None:
    """Refuse to build a bundle that lacks a Qt module the source imports (it would fail at run time)."""
    used = sorted(f"PySide6.{name}" for name in qt_modules_used(root))
    clash = [name for name in used if name in QT_EXCLUDES]
    if clash:
        raise SystemExit(
            f"packaging/trim.py excludes {', '.join(clash)}, which the app imports: "
            "take it out of QT_EXCLUDES (and its library out of DROP_QT_LIBS)"
        )


def _plugin_kept(dest: str) -> bool:
    parts = dest.split("/")
    if "plugins" not in parts:
        return True
    i = parts.index("plugins")
    if len(parts) < i + 3:
        return True
    stem = parts[-1].split(".")[0]
    stem = stem[3:] if stem.startswith("lib") else stem
    keep = KEEP_PLUGINS.get(parts[i + 1], set())
    return keep is None or stem in keep


def kept(dest: str) -> bool:
    """Whether a file bound for `dest` (a path inside the bundle) survives steps 2 and 3's name rules."""
    dest = dest.replace("\\", "/")
    if dest.startswith("PySide6/") and ("/translations/" in dest or dest.startswith("PySide6/translations/")):
        return False
    if dest.startswith("PySide6/") and "/plugins/" in dest and not _plugin_kept(dest):
        return False
    name = dest.rsplit("/", 1)[-1]
    if name.startswith(SYSTEM_LIBS):
        return False
    name = name[3:] if name.startswith("lib") else name  # libQt6Qml.so.6 (Linux) / Qt6Qml.dll (Windows)
    return not name.startswith(DROP_QT_LIBS)


def elf_needed(path: str | Path) -> list[str] | None:
    """DT_NEEDED names of a 64-bit little-endian ELF file; None if it is not one (then keep everything)."""
    try:
        data = Path(path).read_bytes()
    except OSError:
        return None
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        return None
    (phoff,) = struct.unpack_from("<Q", data, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    loads, dynamic = [], None
    for i in range(phnum):
        p_type, _flags, offset, vaddr, _paddr, filesz, _memsz, _align = struct.unpack_from(
            "<IIQQQQQQ", data, phoff + i * phentsize
        )
        if p_type == 1:
            loads.append((vaddr, offset, filesz))
        elif p_type == 2:
            dynamic = (offset, filesz)
    if dynamic is None:
        return []
    needed, strtab = [], None
    for pos in range(dynamic[0], dynamic[0] + dynamic[1], 16):
        tag, value = struct.unpack_from("<qQ", data, pos)
        if tag == 0:
            break
        if tag == 1:
            needed.append(value)
        elif tag == 5:
            strtab = value
    if strtab is None:
        return None
    base = next((off + strtab - va for va, off, size in loads if va <= strtab < va + size), None)
    if base is None:
        return None
    return [data[base + n : data.index(b"\0", base + n)].decode() for n in needed]


def reachable(binaries: Iterable[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """Step 3: keep a BINARY only if a root (extension module, plugin, libpython) needs it, directly or not."""
    binaries = list(binaries)
    by_name = {Path(dest).name: src for dest, src, typecode in binaries if typecode == "BINARY"}

    def is_root(dest: str, typecode: str) -> bool:
        dest = dest.replace("\\", "/")
        return typecode == "EXTENSION" or "/plugins/" in dest or Path(dest).name.startswith("libpython")

    queue = [src for dest, src, typecode in binaries if is_root(dest, typecode)]
    seen: set[str] = set()
    needed: set[str] = set()
    while queue:
        src = queue.pop()
        if src in seen:
            continue
        seen.add(src)
        names = elf_needed(src)
        if names is None:  # not an ELF we can read: trim nothing rather than guess
            return binaries
        for name in names:
            if name in by_name and name not in needed and not name.startswith(SYSTEM_LIBS):
                needed.add(name)
                queue.append(by_name[name])
    return [
        (dest, src, typecode)
        for dest, src, typecode in binaries
        if typecode != "BINARY" or is_root(dest, typecode) or Path(dest).name in needed
    ]


def no_dangling(entries: Iterable[tuple[str, str, str]], kept_dests: set[str]) -> list[tuple[str, str, str]]:
    """Drop SYMLINK entries (libQt6Foo.so.6 -> PySide6/Qt/lib/...) whose target was trimmed."""
    return [e for e in entries if e[2] != "SYMLINK" or e[1].replace("\\", "/") in kept_dests]


def trim(binaries, datas, *, linux: bool):
    """All three steps on PyInstaller's TOCs; returns (binaries, datas)."""
    binaries = [e for e in binaries if kept(e[0])]
    datas = [e for e in datas if kept(e[0])]
    if linux:
        binaries = reachable(binaries)
    dests = {e[0].replace("\\", "/") for e in [*binaries, *datas] if e[2] != "SYMLINK"}
    return no_dangling(binaries, dests), no_dangling(datas, dests)
