"""The Study tab through the keyboard: lists with progress, read marks and their undo, a review
session (Space reveals, 1–4 rate, O opens the entry, Esc ends), reaching an entry's end, Anki export."""

from __future__ import annotations

import datetime as dt
import sqlite3
import zipfile
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tests.index.conftest import CARDS, READING_LISTS, add_cards

pytestmark = pytest.mark.gui
NOW = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def study_window(qtbot, make_window, mini_corpus, tmp_path):
    for name, cards in CARDS.items():
        add_cards(mini_corpus / name, cards)
    (mini_corpus.parent / "reading-lists.yaml").write_text(READING_LISTS, encoding="utf-8")
    win = make_window(tmp_path / "data", mini_corpus)
    win.study.clock = lambda: NOW
    qtbot.waitUntil(lambda: win.controller.userdata is not None, timeout=30000)
    assert win.study_pane.snapshot is None  # nothing loaded for study until the tab is shown
    with qtbot.waitSignal(win.study.snapshot_ready, timeout=5000):
        win.search_pane.tabs.setCurrentWidget(win.study_pane)
    return win


def progress_line(pane) -> str:
    return pane.lists.item(0).text()


def test_lists_show_progress_and_space_toggles_read_with_undo(study_window, qtbot) -> None:
    pane = study_window.study_pane
    assert "Fixture pathway" in progress_line(pane) and "0/3 read" in progress_line(pane)
    assert pane.entries.count() == 3 and "Then first-line care." in pane.entries.item(1).text()
    pane.entries.setFocus()
    pane.entries.setCurrentRow(1)
    with qtbot.waitSignal(study_window.study.snapshot_ready, timeout=5000) as blocker:
        qtbot.keyClick(pane.entries, Qt.Key.Key_Space)
    assert "fixture-rest" in blocker.args[0].read
    assert "1/3 read" in progress_line(pane)
    with qtbot.waitSignal(study_window.study.snapshot_ready, timeout=5000) as blocker:
        qtbot.keyClick(pane.entries, Qt.Key.Key_Space)  # undo
    assert "fixture-rest" not in blocker.args[0].read
    assert "0/3 read" in progress_line(pane)


def test_a_review_session_by_keys(study_window, qtbot, tmp_path) -> None:
    pane = study_window.study_pane
    assert pane.review_button.text() == "Review cards (4)"
    with qtbot.waitSignal(study_window.study.session_ready, timeout=5000):
        qtbot.mouseClick(pane.review_button, Qt.MouseButton.LeftButton)
    assert pane.in_review() and pane.counter.text().startswith("4 card(s) left")
    assert pane.question.text().count("How common is the fixture headache") == 1  # reading order
    qtbot.keyClick(pane, Qt.Key.Key_3)  # rating before the answer is shown does nothing
    assert pane.counter.text().startswith("4 card(s) left") and pane.answer.text() == ""
    qtbot.keyClick(pane, Qt.Key.Key_Space)
    assert "About half" in pane.answer.text() and "[@" not in pane.answer.text()
    assert "Fixture headache" in pane.source.text() and "alpha2020" in pane.source.text()
    for rating in (Qt.Key.Key_3, None, Qt.Key.Key_1, None, Qt.Key.Key_4, None, Qt.Key.Key_2):
        qtbot.keyClick(pane, rating or Qt.Key.Key_Space)
    assert not pane.in_review()  # all four rated: back to the lists
    qtbot.waitUntil(lambda: "0 new" in progress_line(pane), timeout=5000)
    study_window.controller.runner.run(lambda: None).result(timeout=5)
    connection = sqlite3.connect(study_window.sources.dirs.user_db)
    ratings = [row[0] for row in connection.execute("select rating from study_reviews order by id")]
    connection.close()
    assert ratings == [3, 1, 4, 2]
    # Again on a new card brings it back minutes later: due now once the clock moves on
    study_window.study.clock = lambda: NOW + dt.timedelta(minutes=15)
    with qtbot.waitSignal(study_window.study.snapshot_ready, timeout=5000):
        study_window.study.refresh()
    assert "due now" in progress_line(pane) and "0 due now" not in progress_line(pane)


def test_o_opens_the_cards_entry_at_its_section_and_escape_ends(study_window, qtbot) -> None:
    pane = study_window.study_pane
    with qtbot.waitSignal(study_window.study.session_ready, timeout=5000):
        pane.review_button.click()
    pane.setFocus()
    qtbot.keyClick(pane, Qt.Key.Key_Space)
    with qtbot.waitSignal(study_window.controller.entry_loaded, timeout=5000) as blocker:
        qtbot.keyClick(pane, Qt.Key.Key_O)
    opening = blocker.args[0]
    assert (opening.entry_id, opening.anchor) == ("fixture-headache", "at-a-glance")  # where the answer stands
    assert pane.in_review()
    pane.setFocus()
    qtbot.keyClick(pane, Qt.Key.Key_Escape)  # the window's Esc shortcut does not steal it
    assert not pane.in_review()


def test_switching_to_the_study_tab_refreshes_due_counts(study_window, qtbot) -> None:
    tabs = study_window.search_pane.tabs
    tabs.setCurrentIndex(0)
    bar, index = tabs.tabBar(), tabs.indexOf(study_window.study_pane)
    with qtbot.waitSignal(study_window.study.snapshot_ready, timeout=5000):
        qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    assert tabs.currentWidget() is study_window.study_pane


def test_reaching_the_end_of_an_entry_marks_it_read(study_window, qtbot) -> None:
    study_window.resize(900, 400)  # short enough that the entry scrolls
    with qtbot.waitSignal(study_window.entry_shown, timeout=5000):
        study_window.open_entry("fixture-headache")
    bar = study_window.reader_pane.reader.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=5000)
    assert "0/3 read" in progress_line(study_window.study_pane)
    with qtbot.waitSignal(study_window.study.snapshot_ready, timeout=5000) as blocker:
        bar.setValue(bar.maximum())
    assert "fixture-headache" in blocker.args[0].read
    assert "1/3 read" in progress_line(study_window.study_pane)


def test_export_to_anki_writes_the_lists_cards(study_window, qtbot, tmp_path: Path) -> None:
    target = tmp_path / "deck.apkg"
    done = []
    study_window.study.export_anki(target, "fixture-pathway", done.append, pytest.fail)
    qtbot.waitUntil(lambda: bool(done), timeout=10000)
    assert done == [4]
    with zipfile.ZipFile(target) as archive:
        assert "collection.anki2" in archive.namelist()


def test_an_entry_read_before_the_tab_was_ever_shown_counts(qtbot, make_window, mini_corpus, tmp_path) -> None:
    (mini_corpus.parent / "reading-lists.yaml").write_text(READING_LISTS, encoding="utf-8")
    win = make_window(tmp_path / "data", mini_corpus)
    qtbot.waitUntil(lambda: win.controller.userdata is not None, timeout=30000)
    win.resize(900, 400)
    with qtbot.waitSignal(win.entry_shown, timeout=5000):
        win.open_entry("fixture-headache")
    bar = win.reader_pane.reader.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=5000)
    bar.setValue(bar.maximum())
    with qtbot.waitSignal(win.study.snapshot_ready, timeout=10000) as blocker:
        win.search_pane.tabs.setCurrentWidget(win.study_pane)
    assert "fixture-headache" in blocker.args[0].read
