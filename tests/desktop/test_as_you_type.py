"""Search as you type: the field waits for a pause only when searches are slow, and the list is
redrawn only when what it shows changes (pytest-qt, offscreen, through keys and signals)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, Qt

from tests.helpers import slow_searches

pytestmark = pytest.mark.gui


def _spin() -> None:
    """One turn of the event loop: posted events and timers already due, nothing waited for."""
    for _ in range(3):
        QCoreApplication.processEvents()


def test_after_a_quick_search_the_next_key_searches_at_once(window, qtbot) -> None:
    search = window.search_pane
    with qtbot.waitSignal(window.results_shown, timeout=5000):
        qtbot.keyClicks(search.field, "fixture")
    # The fixture corpus answers in a few ms, but a busy test machine may take longer: say so.
    window.controller.searched.emit(4.0)
    sent = []
    search.request_changed.connect(sent.append)
    qtbot.keyClick(search.field, "s")
    _spin()
    assert [request.query for request in sent] == ["fixtures"]


def test_after_a_slow_search_the_field_waits_for_a_pause(window, qtbot, monkeypatch) -> None:
    slow_searches(monkeypatch, 0.08)
    search = window.search_pane
    with qtbot.waitSignal(window.results_shown, timeout=5000):
        qtbot.keyClicks(search.field, "fixture")
    sent = []
    search.request_changed.connect(sent.append)
    qtbot.keyClick(search.field, "s")
    _spin()
    assert sent == []  # not yet: a burst of keys on a slow library is one search, after the pause
    with qtbot.waitSignal(window.results_shown, timeout=5000):
        pass
    assert [request.query for request in sent] == ["fixtures"]


def test_a_key_that_changes_no_result_does_not_redraw_the_list(window, qtbot) -> None:
    search = window.search_pane
    with qtbot.waitSignal(window.results_shown, timeout=5000):
        qtbot.keyClicks(search.field, "fixture")
    qtbot.keyClick(search.field, Qt.Key.Key_Down)  # the user is on the second row
    resets = []
    search.model.modelReset.connect(lambda: resets.append(1))
    with qtbot.waitSignal(window.results_shown, timeout=5000) as blocker:
        qtbot.keyClick(search.field, " ")  # the same query: the same hits
    assert blocker.args[0].hits == search.model.hits
    assert resets == []
    assert search.results.currentIndex().row() == 1  # and the row the user was on stays
    with qtbot.waitSignal(window.results_shown, timeout=5000):
        qtbot.keyClicks(search.field, "rest")  # other hits: the list is redrawn
    assert resets == [1]
    assert search.model.hits[0].id == "fixture-rest"


def test_a_topic_in_browse_lists_its_entries_when_expanded(window, qtbot) -> None:
    browse = window.search_pane.browse
    qtbot.waitUntil(lambda: browse.topLevelItemCount() > 0, timeout=5000)
    topics = browse.findItems("By topic", Qt.MatchFlag.MatchExactly)[0]
    assert topics.childCount() > 0
    topic = topics.child(0)
    browse.expandItem(topic)
    assert topic.childCount() > 0
    leaf = topic.child(0)
    with qtbot.waitSignal(window.entry_shown, timeout=5000) as blocker:
        browse.itemClicked.emit(leaf, 0)
    assert blocker.args[0] == window.reader_pane.current_id
    assert blocker.args[0].startswith("fixture-")


def test_browse_of_a_large_library_lists_every_entry_in_order(qtbot) -> None:
    """Rows come in chunks between events; a newer library's tree replaces a fill still under way."""
    from desktop.search_pane import SearchPane
    from index.library import BrowseItem

    pane = SearchPane()
    qtbot.addWidget(pane)
    kinds = ("procedure", "complication", "management")
    many = [BrowseItem(f"e{n:04d}", f"Entry {n:04d}", kinds[n % 3], ("adult",), None) for n in range(1500)]
    pane.fill_browse(many, {"adult": "Adult"})
    fewer = [BrowseItem(f"f{n:04d}", f"Other {n:04d}", kinds[n % 3], ("adult",), None) for n in range(900)]
    pane.fill_browse(fewer, {"adult": "Adult"})  # e.g. the index was rebuilt meanwhile

    def rows(kind_row: int) -> list[str]:
        node = pane.browse.topLevelItem(kind_row)
        return [node.child(i).text(0) for i in range(node.childCount())]

    qtbot.waitUntil(lambda: sum(len(rows(k)) for k in range(3)) >= 900, timeout=5000)
    qtbot.wait(50)  # any chunk of the first fill left over would land now
    assert rows(0) == [f"Other {n:04d}" for n in range(0, 900, 3)]
    assert rows(1) == [f"Other {n:04d}" for n in range(1, 900, 3)]
    topic = pane.browse.topLevelItem(3).child(0)
    assert topic.text(0) == "Adult (900)"


def test_start_page_of_a_library_with_many_emergencies_says_how_many_more(qtbot) -> None:
    from desktop.reader_pane import ReaderPane
    from desktop.start_page import EMERGENCIES_SHOWN

    pane = ReaderPane(None)
    qtbot.addWidget(pane.page_host)
    many = [(f"e{n:03d}", f"Emergency {n:03d}", "emergency") for n in range(EMERGENCIES_SHOWN + 12)]
    pane.set_start_lists(emergencies=many)
    text = pane.reader.toPlainText
    qtbot.waitUntil(lambda: "Emergency 000" in text(), timeout=5000)
    assert f"Emergency {EMERGENCIES_SHOWN - 1:03d}" in text()
    assert f"Emergency {EMERGENCIES_SHOWN:03d}" not in text()
    assert "and 12 more: Browse shows every one" in text()


def test_the_field_knows_how_quick_the_library_is_before_the_first_key(qtbot, make_window, mini_corpus, tmp_path):
    from desktop.search_pane import DEBOUNCE_MS, FAST_SEARCH_MS

    win = make_window(tmp_path / "fresh", mini_corpus)  # a first start: the index is still being built
    sent = []
    win.search_pane.request_changed.connect(sent.append)
    with qtbot.waitSignal(win.controller.searched, timeout=30000) as blocker:
        pass
    elapsed = blocker.args[0]
    assert sent == []  # nobody typed: the library timed a search of its own once it opened
    expected = 0 if elapsed < FAST_SEARCH_MS else min(DEBOUNCE_MS, round(elapsed))
    assert win.search_pane.field.debounce_ms == expected
    assert win.search_pane.model.rowCount() == 0  # and showed nothing
