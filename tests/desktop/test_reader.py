"""The reader features through the UI: navigation, find, bookmarks, notes, facets, comfort, print,
symptom finder, pathways, dialogs — and that settings and personal data survive a restart."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QKeySequence
from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QComboBox, QLineEdit, QPlainTextEdit, QWidget

pytestmark = pytest.mark.gui


@pytest.fixture
def data_dir(tmp_path):
    return tmp_path / "data"


def quit_window(win) -> None:
    """What quitting does: save state and the note, close the databases on their thread."""
    win.close()
    win.shutdown()


def ready(qtbot, win):
    qtbot.waitUntil(lambda: win.library is not None and win.controller.userdata is not None, timeout=30000)
    return win


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
    headings = [window.reader_pane.outline.item(i).text() for i in range(window.reader_pane.outline.count())]
    assert headings[:3] == ["Summary", "At a glance", "Definition"]
    window.reader_pane.reader.verticalScrollBar().setValue(0)
    outline = window.reader_pane.outline
    outline.itemClicked.emit(outline.item(headings.index("Prognosis and follow-up")))
    assert window.reader_pane.reader.verticalScrollBar().value() > 0
    related = {window.reader_pane.related.item(i).text() for i in range(window.reader_pane.related.count())}
    assert {"Fixture blood patch", "Fixture rest and acetaminophen"} <= related


def test_find_in_page_with_ctrl_f(qtbot, window) -> None:
    open_and_wait(qtbot, window, "fixture-headache")
    qtbot.keySequence(window, QKeySequence("Ctrl+F"))
    assert window.reader_pane.find_bar.isVisible() and window.reader_pane.find_field.hasFocus()
    qtbot.keyClicks(window.reader_pane.find_field, "headache")
    assert (
        window.reader_pane.find_count.text().startswith("1 of ")
        and len(window.reader_pane.reader.extraSelections()) >= 3
    )
    qtbot.keyClick(window.reader_pane.find_field, Qt.Key.Key_Escape)
    assert not window.reader_pane.find_bar.isVisible() and window.reader_pane.reader.extraSelections() == []


def test_facet_filters_show_counts_and_filter(qtbot, window) -> None:
    with qtbot.waitSignal(window.results_shown, timeout=5000):
        qtbot.keyClicks(window.search_pane.field, "fixture")
    kinds = [window.search_pane.kind_filter.itemText(i) for i in range(window.search_pane.kind_filter.count())]
    assert "Management (1)" in kinds
    with qtbot.waitSignal(window.results_shown, timeout=5000) as blocker:
        window.search_pane.kind_filter.setCurrentIndex(window.search_pane.kind_filter.findData("management"))
    assert [hit.id for hit in blocker.args[0].hits] == ["fixture-rest"]


def test_did_you_mean_and_empty_state(qtbot, window) -> None:
    with qtbot.waitSignal(window.results_shown, timeout=5000):
        qtbot.keyClicks(window.search_pane.field, "zzqxw")
    assert (
        "No results" in window.search_pane.count_label.text()
        and "Try fewer words" in window.search_pane.count_label.text()
    )


def test_bookmark_and_note_survive_a_restart(qtbot, make_window, mini_corpus, data_dir) -> None:
    win = ready(qtbot, make_window(data_dir, mini_corpus))
    open_and_wait(qtbot, win, "fixture-rest")
    qtbot.keySequence(win, QKeySequence("Ctrl+D"))
    qtbot.waitUntil(lambda: win.search_pane.bookmark_list.count() == 1, timeout=5000)
    win.reader_pane.note_edit.setFocus()
    qtbot.keyClicks(win.reader_pane.note_edit, "Check liver function first.")
    with qtbot.waitSignal(win.controller.userdata_changed, timeout=5000):
        pass
    quit_window(win)

    again = make_window(data_dir, mini_corpus)
    qtbot.waitUntil(lambda: again.search_pane.bookmark_list.count() == 1, timeout=30000)
    assert again.search_pane.bookmark_list.item(0).text() == "Fixture rest and acetaminophen"
    assert again.search_pane.recent_list.count() >= 1
    open_and_wait(qtbot, again, "fixture-rest")
    assert again.reader_pane.note_edit.toPlainText() == "Check liver function first."
    assert again.commands.bookmark.isChecked()
    quit_window(again)


def test_export_import_round_trip_through_the_window(qtbot, window, make_window, tmp_path, mini_corpus) -> None:
    open_and_wait(qtbot, window, "fixture-headache")
    qtbot.keySequence(window, QKeySequence("Ctrl+D"))
    qtbot.waitUntil(lambda: window.search_pane.bookmark_list.count() == 1, timeout=5000)
    with qtbot.waitSignal(window.userdata_changed, timeout=5000):
        window.controller.save_note("fixture-headache", "Fixture headache", "Daily review")
    written = []
    for name in ("mine.json", "mine.md"):
        window.controller.export_userdata(tmp_path / name, written.append, pytest.fail)
    qtbot.waitUntil(lambda: len(written) == 2, timeout=5000)
    assert "Daily review" in (tmp_path / "mine.md").read_text()

    other = ready(qtbot, make_window(tmp_path / "other", mini_corpus))
    counts = []
    other.controller.import_userdata(tmp_path / "mine.json", counts.append, pytest.fail)
    qtbot.waitUntil(lambda: counts == [(1, 1)], timeout=5000)
    qtbot.waitUntil(lambda: other.search_pane.bookmark_list.count() == 1, timeout=5000)


def test_import_of_a_broken_file_says_so(qtbot, window, tmp_path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    errors = []
    window.controller.import_userdata(broken, lambda counts: pytest.fail("imported"), errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert errors[0]  # a message for the user, and the app goes on


def test_font_size_and_theme_persist_across_a_restart(qtbot, make_window, mini_corpus, data_dir) -> None:
    win = make_window(data_dir, mini_corpus)
    qtbot.waitUntil(lambda: win.library is not None, timeout=30000)
    open_and_wait(qtbot, win, "fixture-headache")
    qtbot.keySequence(win, QKeySequence("Ctrl+="))
    qtbot.keySequence(win, QKeySequence("Ctrl+="))
    assert win.settings.get("font_size") == 13
    assert "font-size: 13pt" in win.reader_pane.page_html()  # what the reader is showing
    win.theme_actions["dark"].trigger()
    assert "#14171b" in win.reader_pane.page_html()  # the content follows the theme
    quit_window(win)

    again = make_window(data_dir, mini_corpus)
    assert again.settings.get("font_size") == 13 and again.theme == "dark"
    again.activateWindow()
    qtbot.waitUntil(again.isActiveWindow, timeout=2000)
    qtbot.keySequence(again, QKeySequence("Ctrl+0"))
    assert again.settings.get("font_size") == 11
    quit_window(again)


def test_window_layout_is_restored(qtbot, make_window, mini_corpus, data_dir) -> None:
    win = make_window(data_dir, mini_corpus)
    win.resize(760, 560)  # the offscreen screen is 800x600
    win.splitter.setSizes([250, 350, 150])
    sizes = win.splitter.sizes()
    quit_window(win)
    again = make_window(data_dir, mini_corpus)
    assert again.size().width() == 760 and again.splitter.sizes() == sizes
    quit_window(again)


def test_pdf_export_has_pages(qtbot, window, tmp_path) -> None:
    open_and_wait(qtbot, window, "fixture-headache")
    pdf = tmp_path / "entry.pdf"
    pages = window.export_entry_pdf(pdf)
    data = pdf.read_bytes()
    assert pages >= 1 and data.startswith(b"%PDF") and len(data) > 2000


def test_print_footer_says_draft_for_a_draft_entry(qtbot, window) -> None:
    """A draft page must not print as "reviewed <date>": the footer carries the review status."""
    open_and_wait(qtbot, window, "fixture-rest")
    _, footer = window.reader_pane.print_html()
    assert "Draft — not yet checked against sources" in footer and "reviewed" not in footer
    open_and_wait(qtbot, window, "fixture-headache")
    _, footer = window.reader_pane.print_html()
    assert "Checked against sources" in footer


def test_symptom_finder_lists_fitting_profiles(qtbot, window) -> None:
    qtbot.keySequence(window, QKeySequence("Ctrl+Shift+Y"))
    finder = window.symptom_finder
    qtbot.waitUntil(lambda: bool(finder.items), timeout=5000)
    finder.amount.setValue(48)
    finder.toggle("postural-headache")
    qtbot.waitUntil(lambda: bool(finder.cards), timeout=5000)
    assert finder.cards[0].entry_id == "fixture-headache"
    assert "ROUTINE" in finder.cards[0].text() and "Red flags" in finder.cards[0].text()
    finder.amount.setValue(500)  # outside the 0–120 h window: still listed, and marked so
    qtbot.waitUntil(lambda: "Outside the usual window" in finder.cards[0].why.text(), timeout=5000)
    assert finder.cards[0].entry_id == "fixture-headache"
    with qtbot.waitSignal(window.entry_shown, timeout=5000):
        qtbot.keyClick(finder.cards[0], Qt.Key.Key_Return)
    finder.close()


def test_symptom_finder_uses_the_symptoms_of_the_content_it_searches(qtbot, make_window, mini_corpus) -> None:
    """With --content, the finder lists that content's own symptoms (as validated and indexed),
    not the bundled file's."""
    (mini_corpus.parent / "symptoms.yaml").write_text(
        '- {id: postural-headache, label: "Fixture postural headache"}\n'
        '- {id: neck-stiffness, label: "Fixture stiff neck"}\n',
        encoding="utf-8",
    )
    win = ready(qtbot, make_window(mini_corpus.parent.parent / "data", mini_corpus))
    win.show_symptom_finder()
    finder = win.symptom_finder
    qtbot.waitUntil(lambda: bool(finder.items), timeout=5000)
    assert [item.text() for item in finder.items.values()] == ["Fixture postural headache", "Fixture stiff neck"]


def test_shortcuts_dialog_lists_every_shortcut(qtbot, window, monkeypatch) -> None:
    from desktop import dialogs
    from desktop.actions import SHORTCUTS

    shown = []
    monkeypatch.setattr(dialogs.ShortcutsDialog, "exec", lambda self: shown.append(self.table.toPlainText()))
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    qtbot.keySequence(window, QKeySequence("F1"))
    assert len(shown) == 1
    for shortcut in SHORTCUTS:
        assert shortcut.keys in shown[0] and shortcut.action in shown[0], shortcut


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
    assert window.search_pane.kind_filter.accessibleName() == "Filter by kind"
    for widget, name in (
        (window.reader_pane.note_edit, "My note on this entry"),
        (window.search_pane.results, "Search results"),
    ):
        assert QAccessible.queryAccessibleInterface(widget).text(QAccessible.Text.Name) == name


def test_tab_order_runs_from_search_through_filters_to_results(qtbot, window) -> None:
    window.activateWindow()
    window.search_pane.field.setFocus()
    qtbot.waitUntil(window.search_pane.field.hasFocus, timeout=2000)
    order = []
    for _ in range(5):
        qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Tab)
        order.append(window.focusWidget())
    assert order[:3] == [
        window.search_pane.kind_filter,
        window.search_pane.population_filter,
        window.search_pane.urgency_filter,
    ]
    assert window.search_pane.tabs.currentWidget() in order  # the list shown (Browse before a search)


def test_pathway_diagram_is_drawn_from_data_and_boxes_open_entries(qtbot, window, monkeypatch) -> None:
    from desktop.pathway_view import PathwayView
    from index.library import Pathway, PathwayStep

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
    assert [box.entry_id for box in view.boxes] == ["fixture-headache", "fixture-rest", "fixture-blood-patch"]
    with qtbot.waitSignal(window.entry_shown, timeout=5000) as blocker:
        view.boxes[2].mousePressEvent(None)
    assert blocker.args[0] == "fixture-blood-patch"


def test_bundled_pathways_cover_pdph_and_spinal_hematoma(bundled_library) -> None:
    pathways = {p.id: p for p in bundled_library.pathways()}  # as stored with the built index
    pdph = [entry for step in pathways["pdph"].steps for entry, _ in step.boxes]
    assert pdph.index("conservative-management-of-post-dural-puncture-headache") < pdph.index("epidural-blood-patch")
    assert pdph.index("epidural-blood-patch") < pdph.index("repeat-epidural-blood-patch")
    hematoma = [entry for step in pathways["spinal-hematoma"].steps for entry, _ in step.boxes]
    assert hematoma.index("urgent-spinal-mri") < hematoma.index("surgical-decompression")


def test_about_shows_version_counts_and_disclaimer(qtbot, window, monkeypatch) -> None:
    from desktop import dialogs

    shown = {}
    monkeypatch.setattr(dialogs.AboutDialog, "exec", lambda self: shown.setdefault("text", self.text.text()))
    window.show_about()
    qtbot.waitUntil(lambda: "text" in shown, timeout=5000)
    assert "fixture-1" in shown["text"] and "3 entries" in shown["text"]
    assert "1 managements" in shown["text"] and "references" in shown["text"]
    assert "not a substitute for clinical judgement" in shown["text"]


def test_disclaimer_on_first_start_only(qtbot, make_window, mini_corpus, data_dir, monkeypatch) -> None:
    from desktop import dialogs

    calls = []
    monkeypatch.setattr(dialogs.DisclaimerDialog, "exec", lambda self: calls.append(1) or 1)
    for _ in range(2):
        win = make_window(data_dir, mini_corpus, first_run=True)
        qtbot.wait(50)
        quit_window(win)
    assert calls == [1]


def test_new_pack_rebuilds_in_background_while_search_keeps_working(
    qtbot, make_window, mini_corpus, mini_pack, data_dir, monkeypatch
) -> None:
    import threading

    from index import sources as assembly
    from index.library import Policy, open_library, sources

    open_library(sources(data_dir, mini_corpus, [], Policy())).close()  # yesterday's index, without the pack
    release = threading.Event()  # the rebuild waits until the old index has answered a search
    real_build = assembly.build_generation

    def held_build(*args, **kwargs):
        release.wait(30)
        return real_build(*args, **kwargs)

    monkeypatch.setattr(assembly, "build_generation", held_build)
    win = make_window(data_dir, mini_corpus, packs=[mini_pack])
    qtbot.waitUntil(lambda: win.library is not None, timeout=30000)
    assert win.library.report.stale
    with qtbot.waitSignal(win.results_shown, timeout=5000) as old:
        qtbot.keyClicks(win.search_pane.field, "muffled hearing")
    assert old.args[0].hits[0].id == "fixture-headache"  # searching works on the old index meanwhile
    with qtbot.waitSignal(win.rebuilt, timeout=30000):
        release.set()
    win.search_pane.field.clear()
    with qtbot.waitSignal(
        win.results_shown, timeout=5000, check_params_cb=lambda r: r.query == "zebra clinic"
    ) as blocker:
        qtbot.keyClicks(win.search_pane.field, "zebra clinic")
    assert blocker.args[0].hits[0].id == "local-zebra-clinic"
    with qtbot.waitSignal(win.entry_shown, timeout=5000):
        win.open_entry("fixture-headache")
    # no machine policy trusts its key: shown as personal, never with the department's name
    assert "Personal, unverified — pack 'Mini pack'" in win.reader_pane.reader.toPlainText()


def test_browse_by_kind_and_topic_opens_entries(qtbot, window) -> None:
    qtbot.waitUntil(lambda: window.search_pane.browse.topLevelItemCount() > 0, timeout=5000)  # filled after ready
    top = [
        window.search_pane.browse.topLevelItem(i).text(0) for i in range(window.search_pane.browse.topLevelItemCount())
    ]
    assert top == ["Procedures", "Complications", "Management options", "By topic"]
    procedures = window.search_pane.browse.topLevelItem(0)
    assert procedures.child(0).text(0) == "Fixture blood patch"
    topics = window.search_pane.browse.topLevelItem(3)
    names = [topics.child(i).text(0) for i in range(topics.childCount())]
    assert "Obstetric (1)" in names and "Adult (2)" in names  # names from tags.yaml, not ids
    with qtbot.waitSignal(window.entry_shown, timeout=5000) as blocker:
        window.search_pane.browse.itemClicked.emit(procedures.child(0), 0)
    assert blocker.args[0] == "fixture-blood-patch"


def test_pathways_come_from_the_content_and_are_drawn_in_view(qtbot, make_window, mini_corpus) -> None:
    """The content's own pathways file, as stored with its index; drawn in full once it arrives."""
    (mini_corpus.parent / "pathways.yaml").write_text(
        "- id: fixture\n  title: Fixture pathway\n  entry: fixture-headache\n  steps:\n"
        + "    - {boxes: [fixture-rest]}\n    - {boxes: [fixture-blood-patch], note: if disabling}\n" * 3,
        encoding="utf-8",
    )
    win = ready(qtbot, make_window(mini_corpus.parent.parent / "data", mini_corpus))
    qtbot.keySequence(win, QKeySequence("Ctrl+Shift+W"))
    view = win.pathway_view
    view.show_pathway("fixture")
    view.resize(1280, 800)  # shown and sized before the pathways arrive from the worker
    qtbot.waitUntil(lambda: len(view.boxes) == 7, timeout=5000)  # the pathway's own entry, then six steps
    assert view.chooser.currentText() == "Fixture pathway"
    viewport = view.view.viewport().rect()
    for box in view.boxes:
        shown = view.view.mapFromScene(box.sceneBoundingRect()).boundingRect()
        assert viewport.contains(shown), (box.entry_id, shown, viewport)
