"""Bookmarks, notes and history: persistence, export → import round trip, crash safety."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from index.userdata import UserData

ROOT = Path(__file__).resolve().parents[2]


def test_bookmarks_notes_and_history_survive_reopening(tmp_path: Path) -> None:
    path = tmp_path / "user.sqlite"
    data = UserData(path)
    assert data.toggle_bookmark("epidural-blood-patch", "Epidural blood patch") is True
    data.set_note("epidural-blood-patch", "Epidural blood patch", "Ask for 2 operators on nights.")
    data.record_visit("epidural-blood-patch", "Epidural blood patch")
    data.record_visit("post-dural-puncture-headache", "Post-dural puncture headache")
    data.close()

    again = UserData(path)
    assert [b.entry_id for b in again.bookmarks()] == ["epidural-blood-patch"]
    assert again.note("epidural-blood-patch") == "Ask for 2 operators on nights."
    assert [entry_id for entry_id, _ in again.recent()] == ["post-dural-puncture-headache", "epidural-blood-patch"]
    assert again.toggle_bookmark("epidural-blood-patch", "Epidural blood patch") is False
    again.set_note("epidural-blood-patch", "Epidural blood patch", "  ")  # clearing a note deletes it
    assert again.notes() == []
    again.close()


def test_export_import_round_trip(tmp_path: Path) -> None:
    source = UserData(tmp_path / "a.sqlite")
    source.toggle_bookmark("arachnoiditis", "Arachnoiditis")
    source.set_note("arachnoiditis", "Arachnoiditis", "MRI with contrast; neurology.\nSecond line ✓")
    exported = source.export_json()
    markdown = source.export_markdown()
    assert "### Arachnoiditis" in markdown and "Second line ✓" in markdown

    target = UserData(tmp_path / "b.sqlite")
    assert target.import_json(exported) == (1, 1)
    assert target.import_json(exported) == (0, 0)  # importing twice changes nothing
    assert json.loads(target.export_json())["notes"] == json.loads(exported)["notes"]
    assert [b.entry_id for b in target.bookmarks()] == ["arachnoiditis"]


def test_import_refuses_foreign_files(tmp_path: Path) -> None:
    data = UserData(tmp_path / "u.sqlite")
    for text in ('{"format": "other"}', "[1, 2]"):
        try:
            data.import_json(text)
        except ValueError:
            pass
        else:
            raise AssertionError("foreign file accepted")


WRITER = """
import sys
from index.userdata import UserData
data = UserData(__import__('pathlib').Path(sys.argv[1]))
i = 0
while True:
    data.set_note(f"entry-{i}", f"Entry {i}", f"note {i}")
    print(i, flush=True)  # printed only after the commit returned
    i += 1
"""


def test_sigkill_mid_stream_loses_no_committed_write(tmp_path: Path) -> None:
    path = tmp_path / "user.sqlite"
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    committed = -1
    deadline = time.monotonic() + 30
    assert proc.stdout is not None
    while committed < 200 and time.monotonic() < deadline:
        committed = int(proc.stdout.readline())
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert committed >= 200

    data = UserData(path)
    assert data.integrity_ok()
    stored = {note.entry_id for note in data.notes()}
    assert {f"entry-{i}" for i in range(committed + 1)} <= stored
    data.close()
