"""A clinician's notes are never lost silently, and a damaged notes file never blocks the reference.

The sweep's user-data cases, replayed: a text file, a truncated file or a zeroed page in place of
user.sqlite; a full disk; a read-only file or folder; hostile import files. Each ends with the
reference answering, the user told in plain words, and every row that could be read still there.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from pathlib import Path

import pytest

from index.library import open_library
from index.paths import app_dirs
from index.userdata import (
    EXPORT_FORMAT,
    MAX_IMPORT_BOOKMARKS,
    ImportRefusedError,
    UserData,
    UserDataWriteError,
)
from tests.helpers import read_only

PAGE = 4096


def filled(path: Path, count: int = 300) -> None:
    data = UserData(path)
    for i in range(count):
        data.set_note(f"entry-{i}", f"Entry {i}", f"note {i} " + "x" * 300)
        data.toggle_bookmark(f"entry-{i}", f"Entry {i}")
        data.record_visit(f"entry-{i}", f"Entry {i}")
    data.close()


def assert_reference_answers(tmp_path: Path, mini_corpus: Path) -> None:
    library = open_library(app_dirs(tmp_path / "data").ensure(), content_dir=mini_corpus)
    assert library.search("muffled hearing").hits[0].id == "fixture-headache"
    library.close()


def table_pages(path: Path, table: str) -> list[int]:
    """The pages that hold a table's rows (from SQLite's dbstat), to damage exactly those."""
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("select pageno from dbstat where name = ? and pagetype = 'leaf'", [table]).fetchall()
    except sqlite3.OperationalError:
        pytest.skip("SQLite built without dbstat")
    finally:
        conn.close()
    return [row[0] for row in rows]


def test_a_text_file_in_place_of_user_data(tmp_path: Path, mini_corpus: Path) -> None:
    path = app_dirs(tmp_path / "data").ensure().user_db
    path.write_text("these are not my notes")
    data = UserData(path)
    assert "could not be used (it is not an SQLite database)" in data.notices[0]
    aside = [p for p in path.parent.iterdir() if p.name.startswith("user.sqlite.damaged-")]
    assert len(aside) == 1 and aside[0].read_text() == "these are not my notes"  # kept, not deleted
    assert aside[0].name in data.notices[0]
    assert data.toggle_bookmark("fixture-rest", "Fixture rest") and data.writable()
    data.close()
    assert_reference_answers(tmp_path, mini_corpus)


def test_a_truncated_file_keeps_what_can_be_read(tmp_path: Path, mini_corpus: Path) -> None:
    path = app_dirs(tmp_path / "data").ensure().user_db
    filled(path)
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.truncate(size // 2)
    data = UserData(path)
    assert data.notices and "kept as user.sqlite.damaged-" in data.notices[0]
    assert 0 < len(data.notes()) < 300 or 0 < len(data.bookmarks()) < 300, data.notices
    data.close()
    assert_reference_answers(tmp_path, mini_corpus)


@pytest.mark.parametrize("table", ["notes", "bookmarks", "history"])
def test_a_zeroed_page_loses_only_that_page(tmp_path: Path, mini_corpus: Path, table: str) -> None:
    path = app_dirs(tmp_path / "data").ensure().user_db
    filled(path)
    pages = table_pages(path, table)
    damaged = pages[len(pages) // 2]
    with path.open("r+b") as handle:
        handle.seek((damaged - 1) * PAGE)
        handle.write(bytes(PAGE))
    data = UserData(path)
    counts = {"notes": len(data.notes()), "bookmarks": len(data.bookmarks()), "history": len(data.recent(300))}
    notice = data.notices[0]
    assert "could not be used" in notice and f"{counts['notes']} note(s)" in notice
    assert 0 < counts[table] < 300  # that table: every row but the damaged page's
    others = [count for name, count in counts.items() if name != table]
    assert others[0] >= 200 and others[1] >= 200, counts  # the other tables: what dbstat left whole
    assert data.integrity_ok()
    data.set_note("entry-1", "Entry 1", "written after the repair")
    data.close()
    assert UserData(path).note("entry-1") == "written after the repair"
    assert_reference_answers(tmp_path, mini_corpus)


def test_disk_full_raises_a_clear_error_and_keeps_what_was_saved(tmp_path: Path) -> None:
    data = UserData(tmp_path / "user.sqlite")
    data.set_note("a", "Alpha", "saved before the disk filled")
    pages = data.conn.execute("pragma page_count").fetchone()[0]
    data.conn.execute(f"pragma max_page_count = {pages}")  # the disk is now full
    with pytest.raises(UserDataWriteError, match="Your note on 'Beta' was not saved: the disk is full"):
        data.set_note("b", "Beta", "x" * 50_000)
    export = json.dumps({"format": EXPORT_FORMAT, "version": 1, "notes": [], "bookmarks": []})
    big = json.loads(export) | {"bookmarks": [{"entry_id": f"e{i}", "title": "x" * 500} for i in range(500)]}
    with pytest.raises(UserDataWriteError, match="The import was not saved: the disk is full"):
        data.import_json(json.dumps(big))
    assert data.bookmarks() == []  # all or nothing
    assert data.note("a") == "saved before the disk filled"
    data.close()


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX permissions")
def test_read_only_file_is_read_and_every_write_says_why(tmp_path: Path, mini_corpus: Path) -> None:
    path = app_dirs(tmp_path / "data").ensure().user_db
    data = UserData(path)
    data.set_note("a", "Alpha", "my note")
    data.close()
    with read_only(path):
        data = UserData(path)
        assert "read-only" in data.notices[0] and data.note("a") == "my note"
        assert not data.writable() and "read-only" in data.write_problem()
        with pytest.raises(UserDataWriteError, match="Your note on 'Alpha' was not saved: .*read-only"):
            data.set_note("a", "Alpha", "changed")
        with pytest.raises(UserDataWriteError, match="read-only"):
            data.toggle_bookmark("a", "Alpha")
        data.record_visit("a", "Alpha")  # history is skipped while read-only: the user was told once
        data.close()
        assert_reference_answers(tmp_path, mini_corpus)
    assert UserData(path).note("a") == "my note"


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX permissions")
def test_read_only_data_folder(tmp_path: Path, mini_corpus: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    with read_only(folder):
        data = UserData(folder / "user.sqlite")
        assert "read-only" in data.notices[0] and not data.writable()
        assert data.bookmarks() == [] and data.notes() == []
        with pytest.raises(UserDataWriteError):
            data.set_note("a", "Alpha", "text")
        data.close()


# -- import --------------------------------------------------------------------------------
def export(**fields) -> str:
    return json.dumps({"format": EXPORT_FORMAT, "version": 1, "bookmarks": [], "notes": [], **fields})


GOOD = {"entry_id": "fixture-rest", "title": "Fixture rest", "created": "2026-01-01T00:00:00+00:00"}
HOSTILE_IMPORTS = {
    "not JSON": ("{bookmarks:", "not valid JSON"),
    "a list": ("[1, 2, 3]", "not a Vademecum bookmarks-and-notes export"),
    "other format": (json.dumps({"format": "other"}), "not a Vademecum"),
    "future version": (export(version=99), "version 99 is not supported"),
    "version as text": (export(version="1"), "version '1' is not supported"),
    "bookmarks not a list": (export(bookmarks={"a": 1}), "'bookmarks' must be a list"),
    "bookmark not an object": (export(bookmarks=["fixture-rest"]), "bookmarks[0] must be an object"),
    "bookmark without id": (export(bookmarks=[{"title": "x"}]), "bookmarks[0]: 'entry_id' must be text"),
    "id as a number": (export(bookmarks=[{"entry_id": 7, "title": "x"}]), "'entry_id' must be text"),
    "title as a list": (export(bookmarks=[{"entry_id": "a", "title": ["x"]}]), "'title' must be text"),
    "third bookmark bad": (export(bookmarks=[GOOD, GOOD | {"entry_id": "b"}, {"entry_id": None}]), "bookmarks[2]"),
    "note without text": (export(notes=[{"entry_id": "a", "title": "A"}]), "notes[0]: 'text' must be text"),
    "note text too long": (export(notes=[{"entry_id": "a", "title": "A", "text": "x" * 300_000}]), "longer than"),
    "nested 100,000 deep": ('{"format": ' + "[" * 100_000 + "]" * 100_000 + "}", "not a Vademecum"),
    "huge number": ('{"format": "vademecum-userdata", "version": ' + "9" * 5000 + "}", "not valid JSON"),
    "too many bookmarks": (export(bookmarks=[GOOD] * (MAX_IMPORT_BOOKMARKS + 1)), "more than the 10,000"),
}


@pytest.mark.parametrize("case", list(HOSTILE_IMPORTS))
def test_hostile_import_is_refused_whole_with_a_message(tmp_path: Path, case: str) -> None:
    text, message = HOSTILE_IMPORTS[case]
    data = UserData(tmp_path / "user.sqlite")
    data.toggle_bookmark("kept", "Kept")
    before = data.export_json()
    with pytest.raises(ImportRefusedError, match=None) as refused:
        data.import_json(text)
    assert message in str(refused.value)
    assert json.loads(data.export_json())["bookmarks"] == json.loads(before)["bookmarks"]  # nothing changed
    assert data.notes() == []
    data.close()


def test_a_million_bookmarks_are_refused_quickly(tmp_path: Path) -> None:
    text = export(bookmarks=[{"entry_id": f"e{i}", "title": "t"} for i in range(1_000_000)])
    data = UserData(tmp_path / "user.sqlite")
    started = time.monotonic()
    with pytest.raises(
        ImportRefusedError, match="too large to be an export|1,000,000 bookmarks( and notes)?: more than"
    ):
        data.import_json(text)
    assert time.monotonic() - started < 1  # the sweep measured a 218 s freeze
    assert data.bookmarks() == []
    data.close()


def test_import_reports_progress_and_applies_everything(tmp_path: Path) -> None:
    bookmarks = [{"entry_id": f"e{i}", "title": f"T{i}"} for i in range(1_200)]
    notes = [{"entry_id": f"e{i}", "title": f"T{i}", "text": f"n{i}", "updated": "2026-01-01"} for i in range(300)]
    data = UserData(tmp_path / "user.sqlite")
    calls: list[tuple[int, int]] = []
    assert data.import_json(export(bookmarks=bookmarks, notes=notes), progress=lambda *a: calls.append(a)) == (
        1_200,
        300,
    )
    assert calls[-1] == (1_500, 1_500) and len(calls) >= 3 and calls == sorted(calls)
    data.close()


def test_import_file_refuses_a_huge_or_special_file(tmp_path: Path) -> None:
    data = UserData(tmp_path / "user.sqlite")
    big = tmp_path / "big.json"
    with big.open("wb") as handle:
        handle.truncate(2 * 1024**3)
    with pytest.raises(ImportRefusedError, match="too large"):
        data.import_file(big)
    with pytest.raises(ImportRefusedError, match="a directory"):
        data.import_file(tmp_path)
    good = tmp_path / "good.json"
    good.write_bytes(b"\xef\xbb\xbf" + export(bookmarks=[GOOD]).encode())  # BOM from a Windows editor
    assert data.import_file(good) == (1, 0)
    data.close()


def test_a_file_locked_by_another_instance_is_never_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "user.sqlite"
    first = UserData(path)
    first.set_note("a", "Alpha", "my note")
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("begin exclusive")  # another program holds the write lock while we start
    try:
        second = UserData(path)
        assert second.note("a") == "my note"
        assert not [p for p in tmp_path.iterdir() if "damaged" in p.name]
        second.close()
    finally:
        other.execute("rollback")
        other.close()
    first.set_note("a", "Alpha", "still saved in place")
    first.close()
    assert UserData(path).note("a") == "still saved in place"
