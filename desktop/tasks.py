"""Run core calls off the GUI thread and deliver results back on it.

One worker thread serves every call, so the Whoosh searcher and SQLite connections it opens are
only ever used from that thread, and calls run in the order they were made. Callbacks run on the
GUI thread; workers never touch widgets. A task without its own error handler still fails
loudly: the error is logged with its traceback and `failed` tells the window (Anki's QueryOp).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

log = logging.getLogger("vademecum.tasks")


class TaskRunner(QObject):
    failed = Signal(str)  # a task without on_error failed: one line for the user
    _finished = Signal(object, object, object)  # callback, result, error

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="vademecum-core")
        self._finished.connect(self._deliver)
        self._closed = False

    def run(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[str], None] | None = None,
    ) -> Future:
        """Call fn on the worker; then on_done(result), or on_error(message), on the GUI thread."""

        def call() -> Any:
            try:
                result = fn()
            except Exception as exc:
                log.exception("background task failed")
                self._finished.emit(on_error or self.failed.emit, None, f"{type(exc).__name__}: {exc}")
                return None
            self._finished.emit(on_done, result, None)
            return result

        if self._closed:  # late callbacks after the window closed have nothing left to update
            future: Future = Future()
            future.set_result(None)
            return future
        return self._pool.submit(call)

    def post(self, callback: Callable[[Any], None], value: Any) -> None:
        """Call callback(value) on the GUI thread; safe to call from any thread (progress reports)."""
        self._finished.emit(callback, value, None)

    @Slot(object, object, object)
    def _deliver(self, callback, result, error) -> None:
        if callback is None:
            return
        callback(error if error is not None else result)

    def shutdown(self) -> None:
        self._closed = True
        self._pool.shutdown(wait=True, cancel_futures=True)
