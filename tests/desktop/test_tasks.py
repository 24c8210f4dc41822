"""The worker helper: results arrive on the GUI thread, and delivering many does not corrupt Python.

PySide6 6.12.0 on Python 3.11 loses a reference to True/None at every slot call, and the app
aborts after a few thousand deliveries (a big index build reports progress thousands of times).
This test fails on such a build, which is why pyproject caps PySide6 below 6.12.
"""

from __future__ import annotations

import sys

from desktop.tasks import TaskRunner


def test_results_arrive_on_the_gui_thread(qtbot) -> None:
    import threading

    runner = TaskRunner()
    seen = []
    runner.run(lambda: threading.current_thread().name, lambda name: seen.append((name, threading.current_thread())))
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert seen[0][0].startswith("vademecum-core") and seen[0][1] is threading.main_thread()
    runner.shutdown()


def test_thousands_of_deliveries_leave_refcounts_intact(qtbot) -> None:
    runner = TaskRunner()
    received = []
    before = (sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False))
    for index in range(5000):
        runner.post(received.append, index)  # what build progress does, once per entry
    qtbot.waitUntil(lambda: len(received) == 5000, timeout=20000)
    after = (sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False))
    assert all(abs(a - b) < 500 for a, b in zip(after, before, strict=True)), (before, after)
    runner.shutdown()
