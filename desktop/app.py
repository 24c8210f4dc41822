"""Application start-up: QApplication, the main window, and the offscreen screenshot command."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path

from index.library import APP_AUTHOR, APP_NAME, Sources, app_icon, configure_logging, sources


def _application():
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName(APP_AUTHOR)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setDesktopFileName("vademecum")  # matches the .desktop entry, so the shell shows our icon
    app.setWindowIcon(QIcon(str(app_icon())))
    return app


def create_window(
    src: Sources | str | None = None,
    content_dir: Path | None = None,
    *,
    first_run: bool = True,
    packs: list[Path] | None = None,
):
    """The main window with its own worker; the library opens (or builds) in the background.

    Given a data dir instead of Sources, assembles them the one way the CLI does too.
    """
    from desktop.main_window import MainWindow

    if not isinstance(src, Sources):
        src = sources(src, content_dir, packs or [])
    configure_logging(src.dirs.data)
    return MainWindow(src, first_run_dialogs=first_run)


def run(src: Sources) -> int:
    app = _application()
    window = create_window(src)
    _report_uncaught(window)
    window.show()
    window.search_pane.field.setFocus()
    code = app.exec()
    window.shutdown()
    return code


def _report_uncaught(window) -> None:
    """An exception escaping a slot on the GUI thread is logged and shown, not only printed to a
    console the user never sees (windowed builds have none)."""
    log = logging.getLogger("vademecum.app")

    def hook(kind, value, trace) -> None:
        log.error("uncaught exception", exc_info=(kind, value, trace))
        window.show_error(f"{kind.__name__}: {value}")

    sys.excepthook = hook


def _wait(condition: Callable[[], bool], timeout_ms: int) -> None:
    from PySide6.QtCore import QDeadlineTimer, QEventLoop, QThread
    from PySide6.QtWidgets import QApplication

    deadline = QDeadlineTimer(timeout_ms)
    while not condition() and not deadline.hasExpired():
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        QThread.msleep(5)


def screenshot(
    file: Path,
    src: Sources,
    *,
    query: str | None = None,
    open_id: str | None = None,
    size: tuple[int, int] = (1280, 800),
    timeout_ms: int = 60000,
    theme: str | None = None,
    symptoms: list[str] | None = None,
    hours: float | None = None,
    pathway: str | None = None,
    study: str | None = None,
    scroll: float | None = None,
) -> int:
    """Render the main window offscreen (after a search and/or opening an entry) into a PNG."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = _application()
    window = create_window(src, first_run=False)
    window.resize(*size)
    window.show()
    shown: dict[str, object] = {}
    window.results_shown.connect(lambda results: shown.setdefault("results", results))
    window.entry_shown.connect(lambda entry_id: shown.setdefault("entry", entry_id))
    _wait(lambda: window.library is not None, timeout_ms)
    _wait(lambda: window.search_pane.browse.topLevelItemCount() > 0, timeout_ms)  # it fills just after
    if query:
        window.search_pane.field.setText(query)
        _wait(lambda: "results" in shown, timeout_ms)
    if open_id:
        anchor = next((hit.anchor for hit in window.search_pane.model.hits if hit.id == open_id), "")
        window.open_entry(open_id, anchor, query or "")
        _wait(lambda: "entry" in shown, timeout_ms)
    if theme:
        window.apply_theme(theme)
    if scroll is not None:  # a fraction of the page, e.g. to show that the entry header stays
        app.processEvents()
        bar = window.reader_pane.reader.verticalScrollBar()
        bar.setValue(int(bar.maximum() * max(0.0, min(1.0, scroll))))
    target = window
    if study:
        _study(window, study, timeout_ms)
    if symptoms:
        target = _symptom_finder(window, symptoms, hours, size, timeout_ms)
    elif pathway:
        window.show_pathways(pathway)
        window.pathway_view.resize(*size)
        _wait(lambda: bool(window.pathway_view.boxes), timeout_ms)
        window.pathway_view.view.fit()
        target = window.pathway_view
    app.processEvents()
    file = Path(file)
    file.parent.mkdir(parents=True, exist_ok=True)
    ok = target.grab().save(str(file))
    window.shutdown()
    window.close()
    print(f"saved {file}" if ok else f"could not save {file}")
    return 0 if ok else 1


def _study(window, mode: str, timeout_ms: int) -> None:
    """The Study tab with its lists; for "review", the first list's first card with its answer shown."""
    pane = window.study_pane
    window.search_pane.tabs.setCurrentWidget(pane)
    _wait(lambda: pane.snapshot is not None, timeout_ms)
    if mode == "review" and pane.lists.count():
        pane.lists.setCurrentRow(0)
        pane.review_button.click()
        _wait(pane.in_review, timeout_ms)
        pane.reveal()


def _symptom_finder(window, symptoms: list[str], hours: float | None, size: tuple[int, int], timeout_ms: int):
    window.show_symptom_finder()
    finder = window.symptom_finder
    finder.resize(*size)
    _wait(lambda: bool(finder.items), timeout_ms)
    shown: list[int] = []
    finder.results_shown.connect(shown.append)
    finder.choose(symptoms, hours)
    _wait(lambda: bool(shown), 5000)
    return finder
