"""The window through the keyboard and mouse, as a user drives it (pytest-qt, offscreen)."""

from __future__ import annotations

from functools import partial

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible

from desktop.main_window import MainWindow
from desktop.tasks import TaskRunner
from index.library import open_library
from index.paths import app_dirs

pytestmark = pytest.mark.gui


def make_window(qtbot, dirs, content, policy=None):
    runner = TaskRunner()
    opener = partial(open_library, dirs, content_dir=content)
    win = MainWindow(runner, opener, dirs, first_run_dialogs=False, policy=policy)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def close_window(win) -> None:
    win.close()
    win.runner.run(lambda: None).result()
    if win.userdata is not None:
        win.runner.run(win.userdata.close).result()
    if win.library is not None:
        win.library.close()
    win.runner.shutdown()


@pytest.fixture
def window(qtbot, mini_corpus, tmp_path):
    win = make_window(qtbot, app_dirs(tmp_path / "data").ensure(), mini_corpus)
    qtbot.waitUntil(lambda: win.library is not None, timeout=30000)
    yield win
    close_window(win)


def test_first_start_builds_the_index_without_blocking(qtbot, mini_corpus, tmp_path) -> None:
    win = make_window(qtbot, app_dirs(tmp_path / "fresh").ensure(), mini_corpus)
    # the window is up and typing works before the library is ready
    qtbot.keyClicks(win.search_field, "wet")
    assert win.search_field.text() == "wet"
    with qtbot.waitSignal(win.results_shown, timeout=30000) as blocker:
        qtbot.keyClicks(win.search_field, " tap")
    assert blocker.args[0].hits[0].id == "fixture-headache"
    close_window(win)


def test_search_field_has_focus_at_start(window, qtbot) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.search_field.hasFocus, timeout=2000)


def test_typing_shows_results_then_enter_opens_the_entry(window, qtbot) -> None:
    with qtbot.waitSignal(window.results_shown, timeout=5000) as blocker:
        qtbot.keyClicks(window.search_field, "muffled hearing")
    results = blocker.args[0]
    assert results.hits[0].id == "fixture-headache"
    assert window.count_label.text() == f"{results.total} result" + ("s" if results.total != 1 else "")
    with qtbot.waitSignal(window.entry_shown, timeout=5000):
        qtbot.keyClick(window.search_field, Qt.Key.Key_Return)
    assert window.current_id == "fixture-headache"
    assert "Fixture headache" in window.reader.toPlainText()
    assert window.reader.verticalScrollBar().value() > 0  # landed on the matched section
    assert window.reader.marked_count >= 2  # "muffled" and "hearing" are highlighted in the page


def test_arrow_keys_move_through_results_and_escape_clears(window, qtbot) -> None:
    with qtbot.waitSignal(window.results_shown, timeout=5000):
        qtbot.keyClicks(window.search_field, "fixture")
    assert window.results.currentIndex().row() == 0
    qtbot.keyClick(window.search_field, Qt.Key.Key_Down)
    assert window.results.currentIndex().row() == 1
    second = window.model.hits[1].id
    with qtbot.waitSignal(window.entry_shown, timeout=5000) as blocker:
        qtbot.keyClick(window.search_field, Qt.Key.Key_Return)
    assert blocker.args[0] == second
    with qtbot.waitSignal(window.results_shown, timeout=5000):
        qtbot.keyClick(window.search_field, Qt.Key.Key_Escape)
    assert window.search_field.text() == "" and window.model.rowCount() == 0


def test_following_a_link_navigates_inside_the_app(window, qtbot) -> None:
    with qtbot.waitSignal(window.entry_shown, timeout=5000):
        window.open_entry("fixture-headache")
    from PySide6.QtCore import QUrl

    with qtbot.waitSignal(window.entry_shown, timeout=5000) as blocker:
        window.reader.anchorClicked.emit(QUrl("entry:fixture-rest"))
    assert blocker.args[0] == "fixture-rest"
    assert "Fixture rest and acetaminophen" in window.reader.toPlainText()


def test_stale_results_never_overwrite_newer_ones(window, qtbot) -> None:
    window._show_results(5, window.library.search("fixture headache"))
    window._show_results(4, window.library.search("acetaminophen"))  # an older request finishing late
    assert window.model.hits[0].id == "fixture-headache"


def test_widgets_have_accessible_names(window) -> None:
    for widget, name in (
        (window.search_field, "Search"),
        (window.results, "Search results"),
        (window.reader, "Entry"),
        (window.count_label, "Result count"),
    ):
        interface = QAccessible.queryAccessibleInterface(widget)
        assert interface.text(QAccessible.Text.Name) == name


def test_reader_loads_no_external_resources(window) -> None:
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QTextDocument

    url = QUrl("https://example.org/tracker.png")
    assert window.reader.loadResource(int(QTextDocument.ResourceType.ImageResource.value), url) is None
