"""Keyboard only, the way a resident reads between cases: search → result → section (outline) →
note → a related entry → back, each step in a handful of keys (counted here)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication

pytestmark = pytest.mark.gui
HANDFUL = 5


class Keys:
    """Presses keys on whatever has focus, and counts them (typed text counts as one step)."""

    def __init__(self, qtbot, window) -> None:
        self.qtbot, self.window, self.count = qtbot, window, 0

    def press(self, key, times: int = 1) -> None:
        for _ in range(times):
            self.qtbot.keyClick(QApplication.focusWidget() or self.window, key)
            self.count += 1

    def chord(self, keys: str) -> None:
        self.qtbot.keySequence(self.window, QKeySequence(keys))
        self.count += 1

    def type(self, text: str) -> None:
        self.qtbot.keyClicks(QApplication.focusWidget(), text)
        self.count += 1

    def step(self) -> int:
        count, self.count = self.count, 0
        return count


def test_search_result_section_outline_note_related_back(qtbot, window) -> None:
    keys = Keys(qtbot, window)
    reader = window.reader_pane
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)

    # search → result: Ctrl+L, type, Enter opens the hit at its section, ready to scroll
    with qtbot.waitSignal(window.entry_shown, timeout=5000):
        keys.chord("Ctrl+L")
        keys.type("muffled hearing")
        keys.press(Qt.Key.Key_Return)
    assert keys.step() <= HANDFUL
    assert reader.current_id == "fixture-headache" and reader.reader.hasFocus()
    assert reader.reader.verticalScrollBar().value() > 0 and reader.reader.marked_count > 0

    # section → outline: Tab reaches the outline; type a heading's start, Enter jumps there
    matched = reader.reader.verticalScrollBar().value()
    keys.press(Qt.Key.Key_Tab)
    assert reader.outline.hasFocus()
    keys.press(Qt.Key.Key_Home)
    keys.press(Qt.Key.Key_Return)
    assert reader.reader.verticalScrollBar().value() < matched  # Summary, near the top
    keys.press(Qt.Key.Key_End)
    keys.press(Qt.Key.Key_Return)
    assert keys.step() <= HANDFUL
    where = reader.reader.verticalScrollBar().value()
    assert where > 0  # References, at the end

    # outline → note: two Tabs, type, and it is saved
    keys.press(Qt.Key.Key_Tab, 2)
    assert reader.note_edit.hasFocus()
    with qtbot.waitSignal(window.userdata_changed, timeout=5000):
        keys.type("Ask about hearing at review.")
    assert keys.step() <= HANDFUL

    # note → a related entry: Shift+Tab to the related list, Enter opens its first entry
    keys.press(Qt.Key.Key_Backtab)
    assert reader.related.hasFocus()
    with qtbot.waitSignal(window.entry_shown, timeout=5000) as related:
        keys.press(Qt.Key.Key_Return)
    assert keys.step() <= HANDFUL and related.args[0] != "fixture-headache"

    # back: one chord, the first entry where it was, with its note
    with qtbot.waitSignal(window.entry_shown, timeout=5000) as back:
        keys.chord("Alt+Left")
    assert keys.step() == 1
    assert back.args[0] == "fixture-headache"
    assert reader.reader.verticalScrollBar().value() == where
    assert "Ask about hearing at review." in reader.note_edit.toPlainText()
