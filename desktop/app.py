"""Application start-up: QApplication, the main window, and the offscreen screenshot command."""

from __future__ import annotations

import os
import sys
from functools import partial
from pathlib import Path

from index.library import open_library, pack_directories
from index.paths import APP_AUTHOR, APP_NAME, app_dirs, bundled_resources
from index.policy import load_policy


def _application():
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName(APP_AUTHOR)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setDesktopFileName("vademecum")  # matches the .desktop entry, so the shell shows our icon
    from PySide6.QtGui import QIcon

    app.setWindowIcon(QIcon(str(bundled_resources() / "icons" / "vademecum.png")))
    return app


def create_window(
    data_dir: str | None = None,
    content_dir: Path | None = None,
    *,
    first_run: bool = True,
    packs: list[Path] | None = None,
):
    """The main window with its own worker; the library opens (or builds) in the background."""
    from desktop.main_window import MainWindow
    from desktop.tasks import TaskRunner

    dirs = app_dirs(data_dir).ensure()
    policy = load_policy()
    pack_dirs = pack_directories(dirs, [*policy.pack_directories, *(packs or [])])
    opener = partial(open_library, dirs, content_dir=content_dir, packs=pack_dirs, stale_ok=True)
    runner = TaskRunner()
    window = MainWindow(runner, opener, dirs, first_run_dialogs=first_run, policy=policy)
    runner.setParent(window)
    return window


def run(data_dir: str | None = None, content_dir: Path | None = None, packs: list[Path] | None = None) -> int:
    app = _application()
    window = create_window(data_dir, content_dir, packs=packs)
    window.show()
    window.search_field.setFocus()
    code = app.exec()
    if window.userdata is not None:
        window.runner.run(window.userdata.close)
    if window.library is not None:
        window.library.close()
    window.runner.shutdown()
    return code


def screenshot(
    file: Path,
    *,
    data_dir: str | None = None,
    content_dir: Path | None = None,
    query: str | None = None,
    open_id: str | None = None,
    size: tuple[int, int] = (1280, 800),
    timeout_ms: int = 60000,
    theme: str | None = None,
    symptoms: list[str] | None = None,
    hours: float | None = None,
    pathway: str | None = None,
) -> int:
    """Render the main window offscreen (after a search and/or opening an entry) into a PNG."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QTimer

    app = _application()
    window = create_window(data_dir, content_dir, first_run=False)
    window.resize(*size)
    window.show()

    def wait_for(signal) -> None:
        loop = QEventLoop()
        signal.connect(loop.quit)
        QTimer.singleShot(timeout_ms, loop.quit)
        loop.exec()

    if window.library is None:
        wait_for(window.library_ready)
    if query:
        window.search_field.setText(query)
        wait_for(window.results_shown)
    if open_id:
        anchor = next((hit.anchor for hit in window.model.hits if hit.id == open_id), "")
        window.open_entry(open_id, anchor, query or "")
        wait_for(window.entry_shown)
    if theme:
        window.apply_theme(theme)
    target = window
    if symptoms:
        window.show_symptom_finder()
        finder = window.symptom_finder
        finder.resize(*size)
        if hours is None:
            finder.any_time.setCurrentIndex(1)
        else:
            finder.hours.setValue(hours)
        for symptom in symptoms:
            if symptom in finder.boxes:
                finder.boxes[symptom].setChecked(True)
        loop = QEventLoop()
        QTimer.singleShot(1500, loop.quit)
        loop.exec()
        target = finder
    elif pathway:
        window.show_pathways(pathway)
        window.pathway_view.resize(*size)
        target = window.pathway_view
    app.processEvents()
    file = Path(file)
    file.parent.mkdir(parents=True, exist_ok=True)
    ok = target.grab().save(str(file))
    if window.library is not None:
        window.library.close()
    window.runner.shutdown()
    window.close()
    print(f"saved {file}" if ok else f"could not save {file}")
    return 0 if ok else 1
