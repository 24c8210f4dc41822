"""Bugs that broke trust in the reader, each driven the way a user meets it (keys, public signals)."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QKeySequence
from PySide6.QtWidgets import QApplication

pytestmark = pytest.mark.gui


def open_and_wait(qtbot, win, entry_id: str, query: str = "") -> None:
    with qtbot.waitSignal(win.entry_shown, timeout=5000):
        win.open_entry(entry_id, "", query)


def search_and_wait(qtbot, win, text: str):
    field = win.search_pane.field
    field.clear()
    with qtbot.waitSignal(win.results_shown, timeout=5000) as blocker:
        qtbot.keyClicks(field, text)
    return blocker.args[0]


def contrast(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio of two colours."""

    def luminance(colour: QColor) -> float:
        def channel(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        return 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())

    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_enter_right_after_typing_opens_a_hit_of_what_was_typed(qtbot, window) -> None:
    """Ctrl+L, type, Enter at once: the previous query's first hit must not open."""
    first = search_and_wait(qtbot, window, "acetaminophen")
    assert first.hits[0].id == "fixture-rest"
    qtbot.keySequence(window, QKeySequence("Ctrl+L"))
    with qtbot.waitSignal(window.entry_shown, timeout=5000) as shown:
        qtbot.keyClicks(window.search_pane.field, "blood patch")
        qtbot.keyClick(window.search_pane.field, Qt.Key.Key_Return)
    assert shown.args[0] == "fixture-blood-patch"


def test_tab_leaves_the_page_for_the_outline_and_note_in_a_few_keys(qtbot, window) -> None:
    open_and_wait(qtbot, window, "fixture-headache")
    reader = window.reader_pane
    reader.reader.setFocus()
    qtbot.waitUntil(reader.reader.hasFocus, timeout=2000)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert reader.outline.hasFocus()
    for _ in range(2):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert reader.note_edit.hasFocus()


def test_the_page_has_no_fake_note_and_shows_and_prints_the_real_one(qtbot, window) -> None:
    """A reference's curation note (with markup in the fixture) is not "My note"; the user's is."""
    open_and_wait(qtbot, window, "fixture-headache")
    reader = window.reader_pane
    text = reader.reader.toPlainText()
    assert "My note" not in text
    assert text.count("the full text & tables were not seen") == 1  # once, in its reference
    reader.note_edit.setFocus()
    with qtbot.waitSignal(window.userdata_changed, timeout=5000):
        qtbot.keyClicks(reader.note_edit, "Call the neurologist early.")
    assert "Call the neurologist early." in reader.reader.toPlainText()
    printed, _footer = reader.print_html()
    assert "My note" in printed and "Call the neurologist early." in printed
    assert printed.count("My note") == 1


def test_marks_survive_theme_size_find_and_back(qtbot, window) -> None:
    open_and_wait(qtbot, window, "fixture-headache", "headache")
    browser = window.reader_pane.reader
    assert browser.marked_count > 0
    window.theme_actions["dark"].trigger()
    assert browser.marked_count > 0 and browser.extraSelections()
    qtbot.keySequence(window, QKeySequence("Ctrl+="))
    assert browser.extraSelections()
    qtbot.keySequence(window, QKeySequence("Ctrl+F"))
    qtbot.keyClicks(window.reader_pane.find_field, "puncture")
    qtbot.keyClick(window.reader_pane.find_field, Qt.Key.Key_Escape)
    assert not window.reader_pane.find_bar.isVisible()
    assert len(browser.extraSelections()) == browser.marked_count > 0
    open_and_wait(qtbot, window, "fixture-rest")
    with qtbot.waitSignal(window.entry_shown, timeout=5000):
        qtbot.keySequence(window, QKeySequence("Alt+Left"))
    assert window.reader_pane.current_id == "fixture-headache"
    assert len(browser.extraSelections()) == browser.marked_count > 0


def test_back_returns_to_where_you_were(qtbot, window) -> None:
    window.resize(900, 400)
    open_and_wait(qtbot, window, "fixture-headache")
    bar = window.reader_pane.reader.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 100, timeout=2000)
    bar.setValue(bar.maximum() // 2)
    where = bar.value()
    open_and_wait(qtbot, window, "fixture-rest")
    with qtbot.waitSignal(window.entry_shown, timeout=5000):
        qtbot.keySequence(window, QKeySequence("Alt+Left"))
    assert bar.value() == where > 0


@pytest.mark.parametrize("theme", ["light", "dark", "high-contrast"])
def test_search_marks_are_readable_in_every_theme(qtbot, window, theme) -> None:
    window.theme_actions[theme].trigger()
    open_and_wait(qtbot, window, "fixture-headache", "headache")
    selection = window.reader_pane.reader.extraSelections()[0]
    ratio = contrast(selection.format.background().color(), selection.format.foreground().color())
    assert ratio >= 4.5, f"{theme}: {ratio:.1f}:1"


def test_find_in_page_says_which_match_of_how_many(qtbot, window) -> None:
    open_and_wait(qtbot, window, "fixture-headache")
    reader = window.reader_pane
    qtbot.keySequence(window, QKeySequence("Ctrl+F"))
    qtbot.keyClicks(reader.find_field, "headache")
    shown = re.fullmatch(r"1 of (\d+)", reader.find_count.text())
    assert shown, reader.find_count.text()
    total = int(shown.group(1))
    assert total == len(reader.reader.extraSelections()) >= 3
    qtbot.keyClick(reader.find_field, Qt.Key.Key_Return)
    assert reader.find_count.text() == f"2 of {total}"
    qtbot.keyClicks(reader.find_field, "zzqx")
    assert reader.find_count.text() == "No matches"
