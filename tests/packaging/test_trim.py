"""The bundle's trimming rules (packaging/trim.py), checked without building anything.

These run in every test run: a new `from PySide6.QtFoo import ...` in the app must not meet an
exclusion that would make the packaged app fail the first time that code runs.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _load_trim():
    spec = importlib.util.spec_from_file_location("vademecum_packaging_trim", ROOT / "packaging" / "trim.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


trim = _load_trim()


def test_no_qt_module_the_app_imports_is_excluded() -> None:
    used = trim.qt_modules_used(ROOT)
    assert {"QtCore", "QtGui", "QtWidgets"} <= used, used
    excluded = {name.removeprefix("PySide6.") for name in trim.QT_EXCLUDES}
    assert not used & excluded, f"excluded from the bundle but imported by the app: {sorted(used & excluded)}"
    trim.check_excludes(ROOT)  # what the spec runs: must not raise


def test_no_library_of_a_used_qt_module_is_dropped() -> None:
    for module in trim.qt_modules_used(ROOT):
        library = f"Qt6{module.removeprefix('Qt')}"
        assert not library.startswith(trim.DROP_QT_LIBS), f"{library} is dropped but the app imports {module}"


def test_network_and_web_engine_stay_excluded() -> None:
    for name in ("PySide6.QtNetwork", "PySide6.QtWebEngineCore", "PySide6.QtWebEngineWidgets"):
        assert name in trim.QT_EXCLUDES
    assert not trim.kept("PySide6/Qt/lib/libQt6Network.so.6")
    assert not trim.kept("PySide6/Qt6Network.dll")


def test_the_import_scanner_sees_every_form(tmp_path: Path) -> None:
    (tmp_path / "index").mkdir()
    (tmp_path / "desktop").mkdir()
    (tmp_path / "main.py").write_text("import PySide6.QtSvg\n")
    (tmp_path / "desktop" / "a.py").write_text(
        "from PySide6.QtCore import Qt\nfrom PySide6 import (\n    QtGui,\n    QtWidgets,\n)\n"
    )
    (tmp_path / "index" / "b.py").write_text("def f():\n    from PySide6.QtPrintSupport import QPrinter\n")
    assert trim.qt_modules_used(tmp_path) == {"QtSvg", "QtCore", "QtGui", "QtWidgets", "QtPrintSupport"}
    with pytest.raises(SystemExit, match="QtSvg"):
        trim.check_excludes(tmp_path)


@pytest.mark.parametrize(
    ("dest", "expected"),
    [
        ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
        ("PySide6/Qt/plugins/platforms/libqoffscreen.so", True),
        ("PySide6/Qt/plugins/platforms/libqwayland.so", False),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", False),
        ("PySide6/Qt/plugins/tls/libqopensslbackend.so", False),
        ("PySide6/Qt/plugins/printsupport/libcupsprintersupport.so", True),
        ("PySide6/Qt/translations/qtbase_de.qm", False),
        ("PySide6/Qt/lib/libQt6Widgets.so.6", True),
        ("PySide6/Qt/lib/libQt6PrintSupport.so.6", True),
        ("PySide6/Qt/lib/libQt6Quick.so.6", False),
        ("libcups.so.2", False),
        # Windows wheel layout
        ("PySide6\\plugins\\platforms\\qwindows.dll", True),
        ("PySide6\\plugins\\platforms\\qdirect2d.dll", False),
        ("PySide6\\plugins\\styles\\qmodernwindowsstyle.dll", True),
        ("PySide6\\translations\\qt_fr.qm", False),
        ("PySide6\\Qt6Qml.dll", False),
        ("resources/index/CURRENT", True),
    ],
)
def test_kept(dest: str, expected: bool) -> None:
    assert trim.kept(dest) is expected


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ELF reader: Linux libraries")
def test_elf_needed_reads_the_qt_widgets_library() -> None:
    import PySide6

    library = Path(PySide6.__file__).parent / "Qt" / "lib" / "libQt6Widgets.so.6"
    if not library.is_file():
        pytest.skip(f"no {library}")
    needed = trim.elf_needed(library)
    assert "libQt6Gui.so.6" in needed and "libQt6Core.so.6" in needed
    assert trim.elf_needed(ROOT / "pyproject.toml") is None


def test_reachable_keeps_roots_and_their_closure_only(tmp_path: Path) -> None:
    """With real ELF files: an unreferenced library goes, a non-ELF input disables the trimming."""
    if not sys.platform.startswith("linux"):
        pytest.skip("ELF reader: Linux libraries")
    import PySide6

    lib = Path(PySide6.__file__).parent / "Qt" / "lib"
    widgets, gui, core = (str(lib / f"libQt6{n}.so.6") for n in ("Widgets", "Gui", "Core"))
    dbus = str(lib / "libQt6DBus.so.6")
    extension = str(Path(PySide6.__file__).parent / "QtWidgets.abi3.so")
    binaries = [
        ("PySide6/QtWidgets.abi3.so", extension, "EXTENSION"),
        ("PySide6/Qt/lib/libQt6Widgets.so.6", widgets, "BINARY"),
        ("PySide6/Qt/lib/libQt6Gui.so.6", gui, "BINARY"),
        ("PySide6/Qt/lib/libQt6Core.so.6", core, "BINARY"),
        ("PySide6/Qt/lib/libQt6DBus.so.6", dbus, "BINARY"),
        ("libunused.so.1", str(ROOT / "pyproject.toml"), "BINARY"),
    ]
    kept = {dest for dest, _src, _type in trim.reachable(binaries)}
    assert "libunused.so.1" not in kept
    assert {"PySide6/Qt/lib/libQt6Widgets.so.6", "PySide6/Qt/lib/libQt6Core.so.6"} <= kept
    unreadable_root = [*binaries, ("PySide6/Qt/plugins/x/libx.so", str(ROOT / "pyproject.toml"), "BINARY")]
    assert trim.reachable(unreadable_root) == unreadable_root
