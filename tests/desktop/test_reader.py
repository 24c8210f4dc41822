"""The reader features through the UI: navigation, find, bookmarks, notes, facets, comfort, print,
symptom finder, pathways, dialogs — and that settings and personal data survive a restart."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QKeySequence
from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QComboBox, QLineEdit, QPlainTextEdit, QWidget

from index.paths import app_dirs
from tests.desktop.test_main_window import close_window, make_window

pytestmark = pytest.mark.gui


@pytest.fixture
def dirs(tmp_path):
    return app_dirs(tmp_path / "data").ensure()


@pytest.fixture
def window(qtbot, mini_corpus, dirs):
    win = make_window(qtbot, dirs, mini_corpus)
    qtbot.waitUntil(lambda: win.library is not None and win.userdata is not None, timeout=30000)
    yield win
    close_window(win)


def open_and_wait(qtbot, win, entry_id: str) -> None:
    with qtbot.waitSignal(win.entry_shown, timeout=5000):
        win.open_entry(entry_id)


def test_back_and_forward_with_alt_arrows(qtbot, window) -> None:
    open_and_wait(qtbot, window, "fixture-headache")
    open_and_wait(qtbot, window, "fixture-rest")
    with qtbot.waitSignal(window.entry_shown, timeout=5000) as back:
        qtbot.keySequence(window, QKeySequence("Alt+Left"))
    assert back.args[0] == "fixture-headache"
    with qtbot.waitSignal(window.entry_shown, timeout=5000) as forward:
        qtbot.keySequence(window, QKeySequence("Alt+Right"))
    assert forward.args[0] == "fixture-rest"


def test_outline_jumps_and_related_entries_open(qtbot, window) -> None:
    open_and_wait(qtbot, window, "fixture-headache")
    headings = [window.outline.item(i).text() for i in range(window.outline.count())]
    assert headings[:3] == ["Summary", "At a glance", "Definition"]
    window.reader.verticalScrollBar().setValue(0)
    window._jump_to_section(window.outline.item(headings.index("Prognosis and follow-up")))
    assert window.reader.verticalScrollBar().value() > 0
    related = {window.related.item(i).text() for i in range(window.related.count())}
    assert {"Fixture blood patch", "Fixture rest and acetaminophen"} <= related


def test_find_in_page_with_ctrl_f(qtbot, window) -> None:
    open_and_wait(qtbot, window, "fixture-headache")
    qtbot.keySequence(window, QKeySequence("Ctrl+F"))
    assert window.find_bar.isVisible() and window.find_field.hasFocus()
    qtbot.keyClicks(window.find_field, "headache")
    assert window.find_count.text().endswith("found") and len(window.reader.extraSelections()) >= 3
    qtbot.keyClick(window.find_field, Qt.Key.Key_Escape)
    assert not window.find_bar.isVisible() and window.reader.extraSelections() == []


def test_facet_filters_show_counts_and_filter(qtbot, window) -> None:
    with qtbot.waitSignal(window.results_shown, timeout=5000):
        qtbot.keyClicks(window.search_field, "fixture")
    kinds = [window.kind_filter.itemText(i) for i in range(window.kind_filter.count())]
    assert "Management (1)" in kinds
    with qtbot.waitSignal(window.results_shown, timeout=5000) as blocker:
        window.kind_filter.setCurrentIndex(window.kind_filter.findData("management"))
    assert [hit.id for hit in blocker.args[0].hits] == ["fixture-rest"]


def test_did_you_mean_and_empty_state(qtbot, window) -> None:
    with qtbot.waitSignal(window.results_shown, timeout=5000):
        qtbot.keyClicks(window.search_field, "zzqxw")
    assert "No results" in window.count_label.text() and "Try fewer words" in window.count_label.text()


def test_bookmark_and_note_survive_a_restart(qtbot, mini_corpus, dirs) -> None:
    win = make_window(qtbot, dirs, mini_corpus)
    qtbot.waitUntil(lambda: win.userdata is not None, timeout=30000)
    open_and_wait(qtbot, win, "fixture-rest")
    qtbot.keySequence(win, QKeySequence("Ctrl+D"))
    qtbot.waitUntil(lambda: win.bookmark_list.count() == 1, timeout=5000)
    win.note_edit.setFocus()
    qtbot.keyClicks(win.note_edit, "Check liver function first.")
    with qtbot.waitSignal(win.userdata_changed, timeout=5000):
        pass
    close_window(win)

    again = make_window(qtbot, dirs, mini_corpus)
    qtbot.waitUntil(lambda: again.bookmark_list.count() == 1, timeout=30000)
    assert again.bookmark_list.item(0).text() == "Fixture rest and acetaminophen"
    assert again.recent_list.count() >= 1
    open_and_wait(qtbot, again, "fixture-rest")
    assert again.note_edit.toPlainText() == "Check liver function first."
    assert again.bookmark_action.isChecked()
    close_window(again)


def test_export_import_round_trip_through_the_window(qtbot, window, tmp_path, mini_corpus) -> None:
    open_and_wait(qtbot, window, "fixture-headache")
    window.toggle_bookmark()
    qtbot.waitUntil(lambda: window.bookmark_list.count() == 1, timeout=5000)
    window.runner.run(lambda: window.userdata.set_note("fixture-headache", "Fixture headache", "Daily review")).result()
    exported = tmp_path / "mine.json"
    window.runner.run(lambda: window.export_userdata(exported)).result()
    markdown = tmp_path / "mine.md"
    window.runner.run(lambda: window.export_userdata(markdown)).result()
    assert "Daily review" in markdown.read_text()

    other = make_window(qtbot, app_dirs(tmp_path / "other").ensure(), mini_corpus)
    qtbot.waitUntil(lambda: other.userdata is not None, timeout=30000)
    assert other.runner.run(lambda: other.import_userdata(exported)).result() == (1, 1)
    qtbot.waitUntil(lambda: other.bookmark_list.count() == 1, timeout=5000)
    close_window(other)


def test_font_size_and_theme_persist_across_a_restart(qtbot, mini_corpus, dirs) -> None:
    win = make_window(qtbot, dirs, mini_corpus)
    qtbot.waitUntil(lambda: win.library is not None, timeout=30000)
    open_and_wait(qtbot, win, "fixture-headache")
    qtbot.keySequence(win, QKeySequence("Ctrl+="))
    qtbot.keySequence(win, QKeySequence("Ctrl+="))
    assert win.settings.get("font_size") == 13
    assert "font-size: 13pt" in win._page_html(win.current_page)  # what the reader is showing
    win.theme_actions["dark"].trigger()
    assert "#14171b" in win._page_html(win.current_page)  # the content follows the theme
    close_window(win)

    again = make_window(qtbot, dirs, mini_corpus)
    assert again.settings.get("font_size") == 13 and again.theme == "dark"
    again.activateWindow()
    qtbot.waitUntil(again.isActiveWindow, timeout=2000)
    qtbot.keySequence(again, QKeySequence("Ctrl+0"))
    assert again.settings.get("font_size") == 11
    close_window(again)


def test_window_layout_is_restored(qtbot, mini_corpus, dirs) -> None:
    win = make_window(qtbot, dirs, mini_corpus)
    win.resize(760, 560)  # the offscreen screen is 800x600
    win.splitter.setSizes([250, 350, 150])
    sizes = win.splitter.sizes()
    close_window(win)
    again = make_window(qtbot, dirs, mini_corpus)
    assert again.size().width() == 760 and again.splitter.sizes() == sizes
    close_window(again)


def test_pdf_export_has_pages(qtbot, window, tmp_path) -> None:
    open_and_wait(qtbot, window, "fixture-headache")
    pdf = tmp_path / "entry.pdf"
    pages = window.export_entry_pdf(pdf)
    data = pdf.read_bytes()
    assert pages >= 1 and data.startswith(b"%PDF") and len(data) > 2000


def test_symptom_finder_lists_fitting_profiles_most_urgent_first(qtbot, window) -> None:
    window.show_symptom_finder()
    finder = window.symptom_finder
    finder.hours.setValue(48)
    finder.boxes["postural-headache"].setChecked(True)
    qtbot.waitUntil(lambda: bool(finder.results.count() and finder.results.item(0).data(256)), timeout=5000)
    assert finder.results.item(0).data(Qt.ItemDataRole.UserRole) == "fixture-headache"
    assert "ROUTINE" in finder.results.item(0).text() and "Red flags" in finder.results.item(0).text()
    finder.hours.setValue(500)  # outside the 0–120 h window: still listed, and marked so
    qtbot.waitUntil(lambda: "OUTSIDE THE USUAL WINDOW" in finder.results.item(0).text(), timeout=5000)
    assert finder.results.item(0).data(Qt.ItemDataRole.UserRole) == "fixture-headache"
    with qtbot.waitSignal(window.entry_shown, timeout=5000):
        finder.hours.setValue(10)
        qtbot.waitUntil(lambda: finder.results.item(0).data(Qt.ItemDataRole.UserRole) is not None, timeout=5000)
        finder.entry_requested.emit(finder.results.item(0).data(Qt.ItemDataRole.UserRole))
    finder.close()


def test_shortcuts_dialog_lists_every_shortcut(window) -> None:
    from desktop.main_window import SHORTCUTS

    keys = [s.keys for s in SHORTCUTS]
    assert {"Ctrl+D", "Ctrl+F", "Alt+Left", "Ctrl+="} <= set(keys)


def test_every_interactive_widget_has_an_accessible_name(window) -> None:
    interactive = (QLineEdit, QAbstractButton, QAbstractItemView, QComboBox, QPlainTextEdit)
    unnamed = [
        w
        for w in window.findChildren(QWidget)
        if isinstance(w, interactive)
        and w.isVisibleTo(window)
        and not w.accessibleName()
        and w.objectName() not in ("qt_toolbar_ext_button",)
        and not isinstance(w.parent(), QComboBox)
    ]
    assert [type(w).__name__ for w in unnamed] == [] or all(
        isinstance(w, QAbstractButton) and w.text() for w in unnamed
    )
    assert window.kind_filter.accessibleName() == "Filter by kind"
    for widget, name in ((window.note_edit, "My note on this entry"), (window.results, "Search results")):
        assert QAccessible.queryAccessibleInterface(widget).text(QAccessible.Text.Name) == name


def test_tab_order_runs_from_search_through_filters_to_results(qtbot, window) -> None:
    window.activateWindow()
    window.search_field.setFocus()
    qtbot.waitUntil(window.search_field.hasFocus, timeout=2000)
    order = []
    for _ in range(5):
        qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Tab)
        order.append(window.focusWidget())
    assert order[:3] == [window.kind_filter, window.population_filter, window.urgency_filter]
    assert window.results in order


def test_pathway_diagram_is_drawn_from_data_and_boxes_open_entries(qtbot, window, monkeypatch) -> None:
    from desktop.dialogs import PathwayView
    from index.clinical import Pathway, PathwayStep

    pathway = Pathway(
        "fixture",
        "Fixture pathway",
        "fixture-headache",
        (
            PathwayStep((("fixture-rest", "Fixture rest and acetaminophen"),), "first"),
            PathwayStep((("fixture-blood-patch", "Fixture blood patch"),), "if disabling"),
        ),
    )
    view = PathwayView([pathway])
    qtbot.addWidget(view)
    view.entry_requested.connect(window.open_entry)
    assert [box.entry_id for box in view.boxes] == ["fixture-rest", "fixture-blood-patch"]
    with qtbot.waitSignal(window.entry_shown, timeout=5000) as blocker:
        view.boxes[1].mousePressEvent(None)
    assert blocker.args[0] == "fixture-blood-patch"


def test_bundled_pathways_cover_pdph_and_spinal_hematoma(bundled_library) -> None:
    from index.clinical import load_pathways

    pathways = {p.id: p for p in load_pathways(bundled_library.service.store)}
    pdph = [entry for step in pathways["pdph"].steps for entry, _ in step.boxes]
    assert pdph.index("conservative-management-of-post-dural-puncture-headache") < pdph.index("epidural-blood-patch")
    assert pdph.index("epidural-blood-patch") < pdph.index("repeat-epidural-blood-patch")
    hematoma = [entry for step in pathways["spinal-hematoma"].steps for entry, _ in step.boxes]
    assert hematoma.index("urgent-spinal-mri") < hematoma.index("surgical-decompression")


def test_about_shows_version_counts_and_disclaimer(qtbot, window, monkeypatch) -> None:
    from desktop import dialogs

    shown = {}
    monkeypatch.setattr(dialogs.AboutDialog, "exec", lambda self: shown.setdefault("text", self.text.text()))
    monkeypatch.setattr("desktop.main_window.AboutDialog", dialogs.AboutDialog)
    window.show_about()
    assert "fixture-1" in shown["text"] and "3 entries" in shown["text"]
    assert "not a substitute for clinical judgement" in shown["text"]


def test_disclaimer_on_first_start_only(qtbot, mini_corpus, dirs, monkeypatch) -> None:
    from desktop import main_window

    calls = []
    monkeypatch.setattr(main_window.DisclaimerDialog, "exec", lambda self: calls.append(1) or 1)
    for _ in range(2):
        win = main_window.MainWindow(
            __import__("desktop.tasks", fromlist=["TaskRunner"]).TaskRunner(),
            __import__("functools").partial(
                __import__("index.library", fromlist=["open_library"]).open_library, dirs, content_dir=mini_corpus
            ),
            dirs,
        )
        qtbot.addWidget(win)
        qtbot.wait(50)
        close_window(win)
    assert calls == [1]


def test_new_pack_rebuilds_in_background_while_search_keeps_working(qtbot, mini_corpus, dirs, tmp_path) -> None:
    import shutil
    from functools import partial
    from pathlib import Path

    from desktop.main_window import MainWindow
    from desktop.tasks import TaskRunner
    from index.library import open_library

    open_library(dirs, content_dir=mini_corpus).close()  # yesterday's index, without the pack
    packs = tmp_path / "packs"
    shutil.copytree(Path(__file__).resolve().parents[1] / "fixtures" / "packs" / "mini-pack", packs / "mini-pack")
    opener = partial(open_library, dirs, content_dir=mini_corpus, packs=[packs], stale_ok=True)
    win = MainWindow(TaskRunner(), opener, dirs, first_run_dialogs=False)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.rebuilt, timeout=30000):
        qtbot.waitUntil(lambda: win.library is not None, timeout=30000)
        assert win.library.report.stale
        stale = win.runner.run(lambda: win.library.search("muffled hearing")).result()
        assert stale.hits[0].id == "fixture-headache"  # searching works on the old index meanwhile
    with qtbot.waitSignal(win.results_shown, timeout=5000) as blocker:
        qtbot.keyClicks(win.search_field, "zebra clinic")
    assert blocker.args[0].hits[0].id == "local-zebra-clinic"
    with qtbot.waitSignal(win.entry_shown, timeout=5000):
        win.open_entry("fixture-headache")
    assert "Local — Test Department, reviewed 2026-11-25" in win.reader.toPlainText()
    close_window(win)


def test_browse_by_kind_and_topic_opens_entries(qtbot, window) -> None:
    top = [window.browse.topLevelItem(i).text(0) for i in range(window.browse.topLevelItemCount())]
    assert top == ["Procedures", "Complications", "Management options", "By topic"]
    procedures = window.browse.topLevelItem(0)
    assert procedures.child(0).text(0) == "Fixture blood patch"
    topics = window.browse.topLevelItem(3)
    assert any(topics.child(i).text(0).startswith("obstetric (") for i in range(topics.childCount()))
    with qtbot.waitSignal(window.entry_shown, timeout=5000) as blocker:
        window._open_item(procedures.child(0))
    assert blocker.args[0] == "fixture-blood-patch"
