"""The symptom finder used the way a clinician at the bedside would: type a symptom, Enter ticks it,
the ticks stay in view as chips, the cards say why each profile fits, Esc closes, and opening an
entry brings the main window forward with the finder out of its way."""

from __future__ import annotations

import math

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QKeySequence

from index.library import ProfileMatch

pytestmark = pytest.mark.gui


def profile(entry_id: str, urgency: str, onset: tuple, *, in_window: bool = True, flags: str = "") -> ProfileMatch:
    return ProfileMatch(
        id=entry_id,
        title=entry_id.replace("-", " ").capitalize(),
        urgency=urgency,
        onset_hours=onset,
        matched=("postural-headache",),
        total_symptoms=4,
        in_window=in_window,
        red_flags=flags,
    )


@pytest.fixture
def finder(qtbot, window):
    window.show_symptom_finder()
    found = window.symptom_finder
    qtbot.waitUntil(lambda: "neck-stiffness" in found.items, timeout=5000)
    found.activateWindow()
    qtbot.waitUntil(found.isActiveWindow, timeout=2000)
    return found


def shown_symptoms(finder) -> list[str]:
    return [sid for sid, item in finder.items.items() if not item.isHidden()]


def test_typing_narrows_the_checklist_and_enter_ticks_the_highlighted_symptom(qtbot, finder) -> None:
    finder.filter.setFocus()
    qtbot.keyClicks(finder.filter, "neck stiff")
    assert shown_symptoms(finder) == ["neck-stiffness"]
    with qtbot.waitSignal(finder.query_changed, timeout=2000) as asked:
        qtbot.keyClick(finder.filter, Qt.Key.Key_Return)
    assert asked.args[0] == ["neck-stiffness"]
    qtbot.keyClicks(finder.filter, "postural")  # the ticked word was selected: typing replaces it
    assert "postural-headache" in shown_symptoms(finder) and "neck-stiffness" not in shown_symptoms(finder)
    qtbot.keyClick(finder.filter, Qt.Key.Key_Down)  # arrows move the highlight without leaving the field
    highlighted = finder.checklist.currentItem().data(Qt.ItemDataRole.UserRole)
    qtbot.keyClick(finder.filter, Qt.Key.Key_Return)
    assert finder.ticked() == sorted(["neck-stiffness", highlighted], key=list(finder.items).index)
    finder.checklist.setFocus()
    finder.checklist.setCurrentItem(finder.items[highlighted])
    qtbot.keyClick(finder.checklist, Qt.Key.Key_Space)  # Space in the list unticks it again
    assert finder.ticked() == ["neck-stiffness"]


def test_ticked_symptoms_stay_in_view_as_chips_that_remove_them(qtbot, finder) -> None:
    finder.toggle("neck-stiffness")
    finder.toggle("postural-headache")
    chips = {chip.property("symptom"): chip for chip in finder.chip_buttons()}
    assert set(chips) == {"neck-stiffness", "postural-headache"}
    assert "Neck pain or stiffness" in chips["neck-stiffness"].text()
    finder.checklist.scrollToBottom()  # the ticked boxes scroll away; the chips do not
    qtbot.wait(50)
    assert all(not chip.visibleRegion().isEmpty() for chip in chips.values())
    with qtbot.waitSignal(finder.query_changed, timeout=2000) as asked:
        qtbot.mouseClick(chips["neck-stiffness"], Qt.MouseButton.LeftButton)
    assert asked.args[0] == ["postural-headache"]
    assert [chip.property("symptom") for chip in finder.chip_buttons()] == ["postural-headache"]


def test_time_is_said_in_hours_or_days(qtbot, finder) -> None:
    finder.amount.setValue(3)
    with qtbot.waitSignal(finder.query_changed, timeout=2000) as asked:
        finder.unit.setCurrentIndex(finder.unit.findText("days"))
    assert asked.args[1] == 72
    with qtbot.waitSignal(finder.query_changed, timeout=2000) as asked:
        finder.unit.setCurrentIndex(finder.unit.findText("time not known"))
    assert asked.args[1] is None and not finder.amount.isEnabled()


@pytest.mark.parametrize(
    ("onset", "said"),
    [
        ((24.0, 336.0), "from 24 h to 14 days"),
        ((24.0, 1008.0), "from 24 h to 6 weeks"),
        ((0.0, 120.0), "from 0 h to 5 days"),
        ((36.0, 84.0), "from 36 h to 3.5 days"),
        ((0.0, None), "from 0 h, no upper limit"),
        ((0.0, math.inf), "from 0 h, no upper limit"),
    ],
)
def test_cards_say_the_onset_window_as_a_person_would(finder, onset, said) -> None:
    finder.show_matches([profile("fixture-headache", "routine", onset)])
    text = finder.cards[0].why.text()
    assert said in text and "–" not in text and "inf" not in text


def test_cards_keep_the_library_order_and_mark_a_profile_outside_its_window(finder) -> None:
    flags = "- Fever with a headache that is getting worse despite treatment and rest\n- New weakness"
    matches = [
        profile("likeliest-routine", "routine", (0.0, 120.0)),
        profile("late-emergency", "emergency", (0.0, 72.0), in_window=False, flags=flags),
    ]
    finder.show_matches(matches)
    assert [card.entry_id for card in finder.cards] == ["likeliest-routine", "late-emergency"]
    late = finder.cards[1]
    assert "Outside the usual window" in late.why.text() and "outside the usual window" in late.accessibleName()
    assert "Outside the usual window" not in finder.cards[0].why.text()
    assert late.badge.text() == "EMERGENCY" and late.title.font().bold()
    assert "despite treatment and rest" in late.flags.text() and "New weakness" in late.flags.text()
    assert "outside the usual window" in finder.summary.text()


def test_tab_and_arrows_move_through_cards(qtbot, finder) -> None:
    finder.show_matches([profile(f"profile-{n}", "urgent", (0.0, 48.0)) for n in range(3)])
    finder.cards[0].setFocus()
    qtbot.waitUntil(finder.cards[0].hasFocus, timeout=2000)
    qtbot.keyClick(finder.cards[0], Qt.Key.Key_Down)
    assert finder.cards[1].hasFocus()
    qtbot.keyClick(finder.cards[1], Qt.Key.Key_Tab)
    assert finder.cards[2].hasFocus()
    qtbot.keyClick(finder.cards[2], Qt.Key.Key_Up)
    assert finder.cards[1].hasFocus()


def test_esc_closes_the_finder(qtbot, finder) -> None:
    finder.filter.setFocus()
    qtbot.keyClick(finder.filter, Qt.Key.Key_Escape)
    assert not finder.isVisible()


def test_finder_to_entry_and_back_by_keyboard_brings_the_main_window_forward(qtbot, window) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    qtbot.keySequence(window, QKeySequence("Ctrl+Shift+Y"))
    finder = window.symptom_finder
    qtbot.waitUntil(lambda: bool(finder.items) and finder.isActiveWindow(), timeout=5000)
    qtbot.keyClicks(finder.focusWidget(), "worse upright")
    qtbot.keyClick(finder.filter, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(finder.cards), timeout=5000)
    qtbot.keyClick(finder.filter, Qt.Key.Key_Tab)
    assert finder.cards[0].hasFocus()  # the likeliest card, one Tab away
    with qtbot.waitSignal(window.entry_shown, timeout=5000) as shown:
        qtbot.keyClick(finder.cards[0], Qt.Key.Key_Return)
    assert shown.args[0] == "fixture-headache"
    assert finder.isHidden()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    qtbot.keySequence(window, QKeySequence("Ctrl+Shift+Y"))  # and back to the finder, as it was
    assert finder.isVisible() and finder.ticked() == ["postural-headache"]


def test_main_window_shortcuts_work_while_the_finder_is_active(qtbot, window, finder) -> None:
    assert finder.isActiveWindow()
    qtbot.keySequence(finder, QKeySequence("Ctrl+Shift+W"))
    assert window.pathway_view is not None and window.pathway_view.isVisible()


def test_tick_boxes_stand_out_in_the_dark_theme(qtbot, window, finder) -> None:
    window.apply_theme("dark")
    qtbot.wait(50)  # the palette change reaches the widgets through the event loop
    finder.checklist.scrollToItem(finder.items["neck-stiffness"])  # in view, whatever the list's length
    rect = finder.checklist.visualItemRect(finder.items["neck-stiffness"])
    image = finder.checklist.viewport().grab().toImage()
    border = QColor(image.pixel(rect.left() + 6, rect.center().y()))
    background = QColor(image.pixel(rect.right() - 2, rect.center().y()))
    assert _contrast(border, background) >= 3.0, (border.name(), background.name())


def _contrast(a: QColor, b: QColor) -> float:
    def luminance(colour: QColor) -> float:
        channels = [c / 255 for c in (colour.red(), colour.green(), colour.blue())]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)
