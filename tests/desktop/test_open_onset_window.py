"""A complication with no known upper onset limit (onset_hours: [0, .inf]) reads as such in the UI.

Spinal epidural haematoma can present days after a puncture or catheter removal, so its profile has
no upper bound; the symptom finder must still list it late, and neither it nor the entry header may
print "inf".
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.gui


@pytest.fixture
def open_ended(qtbot, make_window, mini_corpus, tmp_path):
    entry = mini_corpus / "complication" / "fixture-headache.md"
    entry.write_text(
        entry.read_text(encoding="utf-8").replace("onset_hours: [0, 120]", "onset_hours: [0, .inf]"),
        encoding="utf-8",
    )
    win = make_window(tmp_path / "data", mini_corpus)
    qtbot.waitUntil(lambda: win.library is not None and win.controller.userdata is not None, timeout=30000)
    return win


def test_symptom_finder_lists_an_open_ended_profile_late_and_says_no_upper_limit(qtbot, open_ended) -> None:
    open_ended.show_symptom_finder()
    finder = open_ended.symptom_finder
    qtbot.waitUntil(lambda: "postural-headache" in finder.items, timeout=5000)
    finder.amount.setValue(500)  # beyond any closed window in the fixture corpus
    finder.toggle("postural-headache")
    qtbot.waitUntil(lambda: bool(finder.cards) and finder.chosen()[0] == ["postural-headache"], timeout=5000)
    card = finder.cards[0]
    assert card.entry_id == "fixture-headache"
    window_line = card.why.text()
    assert "no upper limit" in window_line and "inf" not in window_line
    finder.close()


def test_entry_header_says_no_upper_limit(qtbot, open_ended) -> None:
    with qtbot.waitSignal(open_ended.entry_shown, timeout=5000):
        open_ended.open_entry("fixture-headache")
    text = open_ended.reader_pane.header.onset.text()
    assert "Onset from 0 h after the procedure, no upper limit" in text
    assert " inf h" not in text
