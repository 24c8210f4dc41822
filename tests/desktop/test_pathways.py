def test_a_box_opens_its_entry_in_the_main_window_whose_shortcuts_work_here(qtbot, window) -> None:
    from PySide6.QtGui import QKeySequence

    window.show_pathways()
    view = window.pathway_view
    view.set_pathways([BRANCHING])
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow, timeout=2000)
    qtbot.keySequence(view, QKeySequence("Ctrl+Shift+Y"))  # a main-window shortcut, pressed here
    assert window.symptom_finder is not None and window.symptom_finder.isVisible()
    window.symptom_finder.close()
    window.show_pathways()
    view.view.setFocus()
    view.focus_box(len(view.boxes) - 1)  # the red-flag exit
    with qtbot.waitSignal(window.entry_shown, timeout=5000) as shown:
        qtbot.keyClick(view.view, Qt.Key.Key_Return)
    assert shown.args[0] == "fixture-headache" and view.isHidden()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
