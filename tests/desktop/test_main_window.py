"""The window through the keyboard and mouse, as a user drives it (pytest-qt, offscreen)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAccessible

from tests.helpers import slow_searches

pytestmark = pytest.mark.gui


def test_first_start_builds_the_index_without_blocking(qtbot, make_window, mini_corpus, tmp_path) -> None:
    win = make_window(tmp_path / "fresh", mini_corpus)
    field = win.search_pane.field
    # the window is up and typing works before the library is ready
    qtbot.keyClicks(field, "wet")
    assert field.text() == "wet"
    with qtbot.waitSignal(win.results_shown, timeout=30000) as blocker:
        qtbot.keyClicks(field, " tap")
    assert blocker.args[0].hits[0].id == "fixture-headache"


def test_search_field_has_focus_at_start(window, qtbot) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.search_pane.field.hasFocus, timeout=2000)


def test_typing_shows_results_then_enter_opens_the_entry(window, qtbot) -> None:
    search, reader = window.search_pane, window.reader_pane
    with qtbot.waitSignal(window.results_shown, timeout=5000) as blocker:
        qtbot.keyClicks(search.field, "muffled hearing")
    results = blocker.args[0]
    assert results.hits[0].id == "fixture-headache"
    assert search.count_label.text() == f"{results.total} result" + ("s" if results.total != 1 else "")
    with qtbot.waitSignal(window.entry_shown, timeout=5000):
        qtbot.keyClick(search.field, Qt.Key.Key_Return)
    assert reader.current_id == "fixture-headache"
    assert "Fixture headache" in reader.header.title.text()
    assert reader.reader.verticalScrollBar().value() > 0  # landed on the matched section
    assert reader.reader.marked_count >= 2  # "muffled" and "hearing" are highlighted in the page


def test_typing_fast_searches_once(window, qtbot) -> None:
    """The field owns its debounce: a burst of keys is one search, not one per key."""
    seen = []
    window.search_pane.request_changed.connect(seen.append)
    with qtbot.waitSignal(window.results_shown, timeout=5000):
        qtbot.keyClicks(window.search_pane.field, "fixture headache")
    assert [request.query for request in seen] == ["fixture headache"]


def test_arrow_keys_move_through_results_and_escape_clears(window, qtbot) -> None:
    search = window.search_pane
    with qtbot.waitSignal(window.results_shown, timeout=5000):
        qtbot.keyClicks(search.field, "fixture")
    assert search.results.currentIndex().row() == 0
    qtbot.keyClick(search.field, Qt.Key.Key_Down)
    assert search.results.currentIndex().row() == 1
    second = search.model.hits[1].id
    with qtbot.waitSignal(window.entry_shown, timeout=5000) as blocker:
        qtbot.keyClick(search.field, Qt.Key.Key_Return)
    assert blocker.args[0] == second
    with qtbot.waitSignal(window.results_shown, timeout=5000):
        qtbot.keyClick(search.field, Qt.Key.Key_Escape)
    assert search.field.text() == "" and search.model.rowCount() == 0


def test_following_a_link_navigates_inside_the_app(window, qtbot) -> None:
    with qtbot.waitSignal(window.entry_shown, timeout=5000):
        window.open_entry("fixture-headache")
    with qtbot.waitSignal(window.entry_shown, timeout=5000) as blocker:
        window.reader_pane.reader.anchorClicked.emit(QUrl("entry:fixture-rest"))
    assert blocker.args[0] == "fixture-rest"
    assert "Fixture rest and acetaminophen" in window.reader_pane.header.title.text()


def test_stale_results_never_overwrite_newer_ones(window, qtbot, monkeypatch) -> None:
    """Typing on while a slow search is under way: its late answer is dropped, never shown
    over the newer one (nor flashed before it)."""
    slow_searches(monkeypatch, 0.4)
    search = window.search_pane
    shown = []
    window.results_shown.connect(shown.append)
    with qtbot.waitSignal(search.request_changed, timeout=2000):
        qtbot.keyClicks(search.field, "fixture")
    with qtbot.waitSignal(window.results_shown, timeout=5000):
        qtbot.keyClicks(search.field, " rest")  # sent while the first search still runs
    assert [results.query for results in shown] == ["fixture rest"]
    assert search.model.hits[0].id == "fixture-rest"


def test_widgets_have_accessible_names(window) -> None:
    for widget, name in (
        (window.search_pane.field, "Search"),
        (window.search_pane.results, "Search results"),
        (window.reader_pane.reader, "Entry"),
        (window.search_pane.count_label, "Result count"),
    ):
        interface = QAccessible.queryAccessibleInterface(widget)
        assert interface.text(QAccessible.Text.Name) == name


def test_reader_loads_no_external_resources(window) -> None:
    from PySide6.QtGui import QTextDocument

    url = QUrl("https://example.org/tracker.png")
    resource = int(QTextDocument.ResourceType.ImageResource.value)
    assert window.reader_pane.reader.loadResource(resource, url) is None


def test_result_text_is_escaped(qtbot) -> None:
    """Markup in a title, section or label is shown as text, never interpreted."""
    from desktop.results import result_html
    from index.model import SearchHit

    hit = SearchHit(
        id="x",
        kind="procedure",
        title="<img src=x>Title",
        score=1.0,
        section="<i>Steps</i>",
        anchor="steps",
        snippet='&lt;b&gt; <b class="hit">word</b>',
        label="Local — <script>alert(1)</script>",
    )
    html = result_html(hit)
    assert "<img" not in html and "&lt;img src=x&gt;Title" in html
    assert "<i>Steps" not in html and "&lt;i&gt;Steps" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'background-color:#ffe680; color:#1c2530;">word</b>' in html  # the snippet's own marks stay
