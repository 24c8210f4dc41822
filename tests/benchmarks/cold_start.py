"""The GUI side of the benchmarks, run by tests/benchmarks/run.py as fresh subprocesses (offscreen).

    python tests/benchmarks/cold_start.py bare
    python tests/benchmarks/cold_start.py app   --data-dir D [--content C]
    python tests/benchmarks/cold_start.py probe --data-dir D [--content C] [--query Q] [--key-ms 50]

`bare` shows a plain QMainWindow; `app` shows the Vademecum main window (desktop.app.create_window)
and waits for `library_ready`, i.e. until the prebuilt index is verified and open. Both print one
line `READY {json}` as soon as the window is shown (and, for `app`, the library is open); the
parent measures wall time from launching the process to that line, so interpreter start-up and
imports count. The JSON holds the child's own breakdown (seconds since this script started).

`probe` opens the app the same way, then types Q one key every --key-ms (QTimer-driven,
QTest.keyClick on window.search_field) while a 5 ms QTimer heartbeat records when the GUI event
loop gets to run; it prints `PROBE {json}` with the longest gap between heartbeats minus 5 ms (the
longest stall), once the results for the full query are shown and 300 ms more have passed.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

HEARTBEAT_MS = 5
TIMEOUT_MS = 600_000


def _since() -> float:
    return round(time.perf_counter() - STARTED, 4)


def _rss_mb() -> float:
    """This process's own peak RSS in MB. On Linux VmHWM from /proc/self/status: ru_maxrss of a
    child process also counts the parent's peak from before the exec (measured: a child of a
    500 MB parent reports ru_maxrss 513 MB and VmHWM 13 MB), so it is used only elsewhere."""
    try:
        status = Path("/proc/self/status").read_text()
        return round(int(status.split("VmHWM:")[1].split()[0]) / 1024, 1)
    except (OSError, IndexError, ValueError):
        return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _wait(signal, app, timeout_ms: int = TIMEOUT_MS) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()


def bare() -> dict:
    from PySide6.QtWidgets import QApplication, QMainWindow

    imported = _since()
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setWindowTitle("bare")
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    return {"imported": imported, "shown": _since(), "peak_rss_mb": _rss_mb(), "none_refs": sys.getrefcount(None)}


def _open_app(data_dir: str, content: str | None):
    import inspect

    from desktop.app import _application, create_window

    imported = _since()
    app = _application()
    kwargs = {}
    if "first_run" in inspect.signature(create_window).parameters:
        kwargs["first_run"] = False  # a regular start: the first-run disclaimer was accepted long ago
    window = create_window(data_dir, Path(content) if content else None, **kwargs)
    window.show()
    app.processEvents()
    shown = _since()
    if window.library is None:
        _wait(window.library_ready, app)
    app.processEvents()
    if window.library is None:
        raise SystemExit("the library did not open: " + window.statusBar().currentMessage())
    report = window.library.report
    ready = _since()
    return (
        app,
        window,
        {
            "imported": imported,
            "shown": shown,
            "library_ready": ready,
            "rebuilt": report.rebuilt,
            "stale": getattr(report, "stale", False),
        },
    )


def app_mode(data_dir: str, content: str | None) -> None:
    app, window, timings = _open_app(data_dir, content)
    timings["peak_rss_mb"] = _rss_mb()
    timings["none_refs"] = sys.getrefcount(None)
    _emit("READY", timings)  # before closing: the parent stops its clock at this line
    _close(window)


def probe(data_dir: str, content: str | None, query: str, key_ms: int) -> dict:
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtTest import QTest

    app, window, timings = _open_app(data_dir, content)
    field = _search_field(window)
    beats: list[float] = []
    keys: list[float] = []
    shown: list[tuple[float, str, int]] = []
    done = {"final": None}

    heartbeat = QTimer()
    heartbeat.setTimerType(Qt.TimerType.PreciseTimer)
    heartbeat.setInterval(HEARTBEAT_MS)
    heartbeat.timeout.connect(lambda: beats.append(time.perf_counter()))

    typer = QTimer()
    typer.setTimerType(Qt.TimerType.PreciseTimer)
    typer.setInterval(key_ms)
    pending = list(query)

    def type_one() -> None:
        if not pending:
            typer.stop()
            return
        QTest.keyClick(field, pending.pop(0))
        keys.append(time.perf_counter())

    typer.timeout.connect(type_one)

    from PySide6.QtCore import QEventLoop

    loop = QEventLoop()

    def on_results(results) -> None:
        now = time.perf_counter()
        shown.append((now, results.query, len(results.hits)))
        if results.query == query.strip() and done["final"] is None and not pending:
            done["final"] = now
            QTimer.singleShot(300, loop.quit)

    window.results_shown.connect(on_results)
    show_calls: list[tuple[float, float]] = []
    owner = getattr(window, "search_pane", window)  # the search pane fills the list (older code: the window)
    name = "show_results" if owner is not window else "_show_results"
    original_show = getattr(owner, name)

    def timed_show(*args) -> None:  # how long the GUI thread spends filling the list
        t0 = time.perf_counter()
        original_show(*args)
        show_calls.append((t0, time.perf_counter()))

    setattr(owner, name, timed_show)
    field.setFocus()
    none_before = sys.getrefcount(None)
    heartbeat.start()
    start = time.perf_counter()
    typer.start()
    QTimer.singleShot(TIMEOUT_MS, loop.quit)
    loop.exec()
    heartbeat.stop()
    gaps = [(b - a) * 1000 for a, b in zip(beats, beats[1:], strict=False)]
    worst = max(range(len(gaps)), key=gaps.__getitem__) if gaps else None
    last_key = keys[-1] if keys else start
    result = {
        **timings,
        "query": query,
        "typed": field.text(),
        "key_interval_ms": key_ms,
        "heartbeats": len(beats),
        "longest_gap_ms": round(gaps[worst], 2) if gaps else None,
        "longest_stall_ms": round(max(0.0, gaps[worst] - HEARTBEAT_MS), 2) if gaps else None,
        "stall_at_ms_after_first_key": round((beats[worst] - start) * 1000, 1) if gaps else None,
        "stalls_over_50ms": sum(1 for g in gaps if g - HEARTBEAT_MS > 50),
        "stalls_over_16ms": sum(1 for g in gaps if g - HEARTBEAT_MS > 16),
        "results_shown": [(round((t - start) * 1000, 1), q, n) for t, q, n in shown],
        "show_results_ms": [round((b - a) * 1000, 1) for a, b in show_calls],
        "show_results_max_ms": round(max((b - a) * 1000 for a, b in show_calls), 1) if show_calls else None,
        "stall_window_ms": [round((beats[worst] - start) * 1000, 1), round((beats[worst + 1] - start) * 1000, 1)]
        if gaps
        else None,
        "last_key_to_results_ms": round((done["final"] - last_key) * 1000, 1) if done["final"] else None,
        "peak_rss_mb": _rss_mb(),
        # References to None lost while typing: > 0 means a binding drops a reference per call
        # (PySide6 6.12.0 on Python 3.11 does, on every void method); Python < 3.12 aborts at 0.
        "none_refs_lost_while_typing": none_before - sys.getrefcount(None),
        "none_refs_left": sys.getrefcount(None),
    }
    _close(window)
    return result


def _search_field(window):
    pane = getattr(window, "search_pane", None)
    return pane.field if pane is not None else window.search_field


def _close(window) -> None:
    if hasattr(window, "shutdown"):
        window.shutdown()
        window.close()
        return
    userdata = getattr(window, "userdata", None)
    if userdata is not None:
        window.runner.run(userdata.close)
    if window.library is not None:
        window.library.close()
    window.runner.shutdown()
    window.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="GUI benchmark subprocess (see the module docstring)")
    parser.add_argument("mode", choices=["bare", "app", "probe"])
    parser.add_argument("--data-dir")
    parser.add_argument("--content")
    parser.add_argument("--query", default="epidural blood patch")
    parser.add_argument("--key-ms", type=int, default=50)
    args = parser.parse_args(argv)
    if args.mode == "bare":
        _emit("READY", bare())
    elif args.mode == "app":
        app_mode(args.data_dir, args.content)
    else:
        _emit("PROBE", probe(args.data_dir, args.content, args.query, args.key_ms))
    return 0


def _emit(tag: str, data: dict) -> None:
    print(f"{tag} {json.dumps(data)}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
