"""Errors are shown and logged, never dressed up as "No results" or dropped."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.gui


def log_text(window) -> str:
    return (window.sources.dirs.data / "vademecum.log").read_text(encoding="utf-8")


def test_an_engine_fault_is_shown_as_an_error_and_logged(qtbot, window, monkeypatch) -> None:
    from index.search import SearchService

    def broken(self, query, **filters):
        raise RuntimeError("segment file unreadable")

    monkeypatch.setattr(SearchService, "search", broken)
    errors = []
    window.error_shown.connect(errors.append)
    with qtbot.waitSignal(window.results_shown, timeout=5000) as blocker:
        qtbot.keyClicks(window.search_pane.field, "wet tap")
    assert blocker.args[0].error and "segment file unreadable" in blocker.args[0].error
    shown = window.search_pane.count_label.text()
    assert "Search failed" in shown and "segment file unreadable" in shown
    assert "No results" not in shown
    assert errors and "segment file unreadable" in errors[0]
    logged = log_text(window)
    assert "search failed for 'wet tap'" in logged and "Traceback" in logged and "segment file unreadable" in logged


def test_a_background_task_without_a_handler_still_tells_the_user(qtbot, window) -> None:
    with qtbot.waitSignal(window.error_shown, timeout=5000) as blocker:
        window.runner.run(lambda: 1 / 0)
    assert "ZeroDivisionError" in blocker.args[0]
    assert "ZeroDivisionError" in window.statusBar().currentMessage()
    assert "ZeroDivisionError: division by zero" in log_text(window)


def test_a_failed_background_rebuild_keeps_the_old_index_and_says_why(
    qtbot, make_window, mini_corpus, mini_pack, tmp_path, monkeypatch
) -> None:
    from index import sources as assembly
    from index.library import Policy, open_library, sources

    data = tmp_path / "data"
    open_library(sources(data, mini_corpus, [], Policy())).close()  # yesterday's index, without the pack

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(assembly, "build_generation", disk_full)
    win = make_window(data, mini_corpus, packs=[mini_pack])
    qtbot.waitUntil(lambda: "Index update failed" in win.statusBar().currentMessage(), timeout=30000)
    assert "No space left on device" in win.statusBar().currentMessage()
    with qtbot.waitSignal(win.results_shown, timeout=5000) as blocker:
        qtbot.keyClicks(win.search_pane.field, "muffled hearing")
    assert blocker.args[0].hits[0].id == "fixture-headache"  # the old index still answers
    assert "background rebuild failed" in log_text(win)
