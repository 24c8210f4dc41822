"""The act-now layout and reading comfort, as a user sees them: a header that stays while the page
scrolls, actions then red flags, urgency badges in the lists, a capped line length, one-line
aliases, marks only in the matched section (and a toggle that survives a restart), topic names."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.gui

ACTIONS = """## Immediate actions

1. Lie the patient flat and call for senior help.
2. Give fluids while the cause is sought.

"""


@pytest.fixture
def emergency(qtbot, make_window, mini_corpus, tmp_path):
    """The fixture headache as an emergency, with many aliases: what the act-now layout is for."""
    entry = mini_corpus / "complication" / "fixture-headache.md"
    text = entry.read_text(encoding="utf-8").replace("urgency: routine", "urgency: emergency")
    text = text.replace(
        "aliases: [FH, spinal headache]", "aliases: [" + ", ".join(f"alias{i}" for i in range(30)) + "]"
    )
    entry.write_text(text.replace("## At a glance", ACTIONS + "## At a glance", 1), encoding="utf-8")
    win = make_window(tmp_path / "data", mini_corpus)
    qtbot.waitUntil(lambda: win.library is not None and win.controller.userdata is not None, timeout=30000)
    return win


def open_and_wait(qtbot, win, entry_id: str, anchor: str = "", query: str = "") -> None:
    with qtbot.waitSignal(win.entry_shown, timeout=5000):
        win.open_entry(entry_id, anchor, query)


def test_header_stays_in_view_while_the_page_scrolls(qtbot, emergency) -> None:
    emergency.resize(1024, 700)
    open_and_wait(qtbot, emergency, "fixture-headache")
    header, browser = emergency.reader_pane.header, emergency.reader_pane.reader
    bar = browser.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=2000)
    bar.setValue(bar.maximum())
    assert header.isVisible() and header.visibleRegion().boundingRect().height() == header.height()
    assert "Fixture headache" in header.title.text()
    assert header.badge.isVisible() and "EMERGENCY" in header.badge.text()
    assert "Onset 0 h – 5 days after the procedure" in header.onset.text()
    assert "Fixture headache" not in browser.toPlainText().split("\n")[0]  # not repeated in the page


def test_actions_come_first_and_red_flags_right_after(qtbot, emergency) -> None:
    open_and_wait(qtbot, emergency, "fixture-headache")
    outline = emergency.reader_pane.outline
    headings = [outline.item(i).text() for i in range(outline.count())]
    assert headings[:4] == ["Summary", "Immediate actions", "Red flags", "At a glance"]
    text = emergency.reader_pane.reader.toPlainText()
    assert text.index("Immediate actions") < text.index("Red flags") < text.index("At a glance")


def test_aliases_take_one_line_until_expanded(qtbot, emergency) -> None:
    open_and_wait(qtbot, emergency, "fixture-headache")
    browser = emergency.reader_pane.reader
    line = next(line for line in browser.toPlainText().splitlines() if line.startswith("Also:"))
    assert "alias29" not in line and line.endswith("more") and len(line) < 110
    emergency.reader_pane.reader.action_requested.emit("aliases")
    line = next(line for line in browser.toPlainText().splitlines() if line.startswith("Also:"))
    assert "alias29" in line
    printed, _ = emergency.reader_pane.print_html()
    assert "alias29" in printed


def test_urgency_badges_in_results_browse_and_recent(qtbot, emergency) -> None:
    search = emergency.search_pane
    with qtbot.waitSignal(emergency.results_shown, timeout=5000):
        qtbot.keyClicks(search.field, "headache")
    from desktop.results import result_html

    assert "EMERGENCY" in result_html(search.model.hits[0])
    complications = search.browse.topLevelItem(1)
    leaf = next(complications.child(i) for i in range(complications.childCount()))
    assert not leaf.icon(0).isNull() and "Emergency" in leaf.toolTip(0)
    open_and_wait(qtbot, emergency, "fixture-headache")
    qtbot.waitUntil(lambda: search.recent_list.count() > 0, timeout=5000)
    assert not search.recent_list.item(0).icon().isNull()


def test_line_length_is_capped_on_a_wide_window(qtbot, make_window, mini_corpus, tmp_path) -> None:
    entry = mini_corpus / "complication" / "fixture-headache.md"
    long = " ".join(["The headache is worse upright and eased lying down after the puncture."] * 8)
    entry.write_text(entry.read_text(encoding="utf-8").replace("## Definition\n", f"## Definition\n\n{long}\n"))
    window = make_window(tmp_path / "data", mini_corpus)
    qtbot.waitUntil(lambda: window.library is not None, timeout=30000)
    window.resize(1920, 1080)
    window.splitter.setSizes([450, 1200, 270])
    open_and_wait(qtbot, window, "fixture-headache")
    document = window.reader_pane.reader.document()
    longest = 0
    block = document.begin()
    while block.isValid():
        layout = block.layout()
        for i in range(layout.lineCount() - 1):  # full lines (not the last of a paragraph)
            longest = max(longest, layout.lineAt(i).textLength())
        block = block.next()
    assert 50 <= longest <= 90, longest


def test_marks_stay_in_the_matched_section_and_can_be_turned_off(qtbot, make_window, mini_corpus, tmp_path) -> None:
    win = make_window(tmp_path / "data", mini_corpus)
    qtbot.waitUntil(lambda: win.library is not None, timeout=30000)
    hit = win.library.search("headache").hits[0]
    assert (hit.id, hit.anchor) == ("fixture-headache", "summary")
    open_and_wait(qtbot, win, hit.id, hit.anchor, "headache")
    browser = win.reader_pane.reader
    definition = browser.anchor_position("definition")
    assert not browser.document().find("headache", definition).isNull()  # the word is further down too
    assert browser.marked_count > 0
    assert all(s.cursor.selectionStart() < definition for s in browser.extraSelections())
    win.commands.marks.trigger()
    assert browser.extraSelections() == [] and not win.settings.get("highlight_matches")
    win.close()
    win.shutdown()
    again = make_window(tmp_path / "data", mini_corpus)
    qtbot.waitUntil(lambda: again.library is not None, timeout=30000)
    assert not again.commands.marks.isChecked()
    open_and_wait(qtbot, again, hit.id, hit.anchor, "headache")
    assert again.reader_pane.reader.extraSelections() == []


def test_start_page_lists_emergencies_and_pathways_not_empty_panels(qtbot, emergency) -> None:
    reader = emergency.reader_pane
    qtbot.waitUntil(lambda: "Fixture headache" in reader.reader.toPlainText(), timeout=5000)
    assert "Act now" in reader.reader.toPlainText()
    assert not reader.side.isVisible()
    with qtbot.waitSignal(emergency.entry_shown, timeout=5000) as shown:
        from PySide6.QtCore import QUrl

        reader.reader.anchorClicked.emit(QUrl("entry:fixture-headache"))
    assert shown.args[0] == "fixture-headache" and reader.side.isVisible()


def test_results_are_set_close_to_the_reading_size(qtbot, window) -> None:
    from PySide6.QtGui import QKeySequence

    for _ in range(3):
        qtbot.keySequence(window, QKeySequence("Ctrl+="))
    reading = window.settings.get("font_size")
    assert reading == 14
    assert window.search_pane.results.font().pointSize() >= reading - 1


def test_start_page_links_are_reachable_by_keyboard(qtbot, emergency) -> None:
    from PySide6.QtCore import Qt

    browser = emergency.reader_pane.reader
    qtbot.waitUntil(lambda: "Fixture headache" in browser.toPlainText(), timeout=5000)
    browser.setFocus()
    qtbot.waitUntil(browser.hasFocus, timeout=2000)
    qtbot.keyClick(browser, Qt.Key.Key_Tab)
    assert browser.textCursor().charFormat().isAnchor()  # a link on the start page took the focus
    with qtbot.waitSignal(emergency.entry_shown, timeout=5000) as shown:
        for _ in range(5):  # to the emergency link, past the pathways if any
            if "fixture-headache" in browser.textCursor().charFormat().anchorHref():
                break
            qtbot.keyClick(browser, Qt.Key.Key_Tab)
        qtbot.keyClick(browser, Qt.Key.Key_Return)
    assert shown.args[0] == "fixture-headache"
    assert not browser.textInteractionFlags() & Qt.TextInteractionFlag.LinksAccessibleByKeyboard
