"""The user's own data — bookmarks, notes per entry, reading history — in a per-user SQLite file.

WAL mode and one transaction per change: a crash or power cut loses at most the change being
made, never a committed one. Export writes JSON (round-trips exactly) or Markdown (for reading);
import takes the JSON back and merges it, newest note winning, all or nothing.

User data is opened on its own, apart from the content index, and never blocks the reference:
a damaged file is kept aside and what can be read is salvaged into a fresh one; a file that
cannot be written is opened read-only; either way `UserData.notices` says so in plain words.
Every write that fails raises `UserDataWriteError`, whose message can be shown as it is.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import sqlite3
import stat
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from index.safe_io import UnsafeFileError, read_bytes

EXPORT_FORMAT = "vademecum-userdata"
EXPORT_VERSION = 1
HISTORY_LIMIT = 200
# Import limits: far above what a reference of a few hundred entries can produce.
MAX_IMPORT_BYTES = 32 * 1024 * 1024
MAX_IMPORT_BOOKMARKS = 10_000
MAX_IMPORT_NOTES = 10_000
MAX_ID_CHARS = 200
MAX_TITLE_CHARS = 1_000
MAX_NOTE_CHARS = 200_000
MAX_STAMP_CHARS = 64
SALVAGE_MAX_ROWIDS = 200_000

TABLES: dict[str, tuple[str, ...]] = {
    "bookmarks": ("entry_id", "title", "created"),
    "notes": ("entry_id", "title", "text", "updated"),
    "history": ("id", "entry_id", "title", "opened"),
}
SCHEMA = """
create table if not exists bookmarks (entry_id text primary key, title text, created text);
create table if not exists notes (entry_id text primary key, title text, text text, updated text);
create table if not exists history (id integer primary key, entry_id text, title text, opened text);
create index if not exists idx_history_opened on history (opened);
create table if not exists meta (key text primary key, value text);
insert or ignore into meta (key, value) values ('schema_version', '1');
"""

Progress = Callable[[int, int], None]


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class UserDataError(Exception):
    """Something went wrong with the user's bookmarks, notes or history; the message says what."""


class UserDataWriteError(UserDataError, OSError):
    """A change was not saved (disk full, read-only file or folder, damaged file). An OSError too,
    so handlers written for file errors show its message."""


class ImportRefusedError(UserDataError, ValueError):
    """An import file refused before anything was changed: the message says why."""


def _is_damage(exc: BaseException) -> bool:
    """Damage (move the file aside and salvage), as opposed to locked, busy, read-only or I/O."""
    name = getattr(exc, "sqlite_errorname", "")
    text = str(exc).lower()
    return name in ("SQLITE_CORRUPT", "SQLITE_NOTADB") or "malformed" in text or "not a database" in text


def _reason(exc: BaseException) -> str:
    text = str(exc)
    lowered = text.lower()
    if "disk is full" in lowered or "disk full" in lowered or getattr(exc, "errno", None) == 28:
        return "the disk is full"
    if "readonly" in lowered or "read-only" in lowered or isinstance(exc, PermissionError):
        return "the file or its folder is read-only"
    if "not a database" in lowered:
        return "it is not an SQLite database"
    if "malformed" in lowered:
        return "some of its pages are damaged"
    return text or type(exc).__name__


@dataclass(frozen=True)
class Bookmark:
    entry_id: str
    title: str
    created: str


@dataclass(frozen=True)
class Note:
    entry_id: str
    title: str
    text: str
    updated: str


@dataclass(frozen=True)
class ExportData:
    """An import file after validation: only what passed every check."""

    bookmarks: list[Bookmark]
    notes: list[Note]
    study: Any = None  # index.study.StudyImport: read marks and review history, when the export has them


class UserData:
    """One connection, used from one thread at a time (the app's worker).

    Opening never raises for a damaged or read-only file: see `notices` and `read_only`.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.notices: list[str] = []  # what the user should be told once, in plain words
        self.read_only = False
        self.read_only_reason = ""
        self.conn = self._open()

    # -- opening ---------------------------------------------------------------------------
    def _open(self) -> sqlite3.Connection:
        path = self.path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            return self._memory(f"its folder cannot be created ({_reason(exc)})", {})
        try:
            mode = os.stat(path).st_mode if path.exists() else 0
        except OSError as exc:
            return self._memory(f"it cannot be read ({_reason(exc)})", {})
        if os.path.lexists(path) and not stat.S_ISREG(mode):
            return self._recover("it is not a regular file")
        if path.exists():
            problem = _check(path)
            if problem:
                return self._recover(problem)
            if not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
                return self._read_only_copy(path)
        try:
            return self._connect(path)
        except sqlite3.Error as exc:
            if path.exists() and _is_damage(exc):
                return self._recover(_reason(exc))
            # locked by another program, read-only, I/O error: never moved aside, served read-only
            return self._read_only_copy(path) if path.exists() else self._memory(_reason(exc), {})

    def _connect(self, path: Path) -> sqlite3.Connection:
        conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None, timeout=10)
        try:
            if conn.execute("pragma journal_mode").fetchone()[0] != "wal":
                conn.execute("pragma journal_mode=wal")
            conn.execute("pragma synchronous=full")  # a committed bookmark or note survives a power cut
            names = {row[0] for row in conn.execute("select name from sqlite_master where type = 'table'")}
            if not {*TABLES, "meta"} <= names:
                conn.executescript(SCHEMA)  # a write: only for a new file, not at every start
        except BaseException:
            conn.close()
            raise
        return conn

    def _memory(self, reason: str, rows: dict[str, list[tuple]]) -> sqlite3.Connection:
        """Serve what could be read from memory, read-only: the reference goes on, nothing is
        written where it could be lost, and the user is told why."""
        conn = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
        conn.executescript(SCHEMA)
        _insert_rows(conn, rows)
        self.read_only = True
        self.read_only_reason = reason
        self.notices.append(
            f"Bookmarks and notes are read-only this session: {reason} ({self.path}). Changes cannot be saved."
        )
        return conn

    def _read_only_copy(self, path: Path) -> sqlite3.Connection:
        return self._memory("the file or its folder is read-only", _salvage(path))

    def _recover(self, problem: str) -> sqlite3.Connection:
        """Keep the damaged file aside, salvage its readable rows into a fresh file, say so."""
        path = self.path
        aside = path.with_name(f"{path.name}.damaged-{time.strftime('%Y%m%dT%H%M%S')}")
        try:
            os.replace(path, aside)
            for suffix in ("-wal", "-shm"):
                if os.path.lexists(f"{path}{suffix}"):
                    os.replace(f"{path}{suffix}", f"{aside}{suffix}")
        except OSError as exc:
            return self._memory(f"the file is damaged ({problem}) and cannot be moved aside ({_reason(exc)})", {})
        rows = _salvage(aside) if aside.is_file() else {}
        try:
            conn = self._connect(path)
            _insert_rows(conn, rows)
        except sqlite3.Error as exc:
            return self._memory(f"a new file cannot be created ({_reason(exc)})", rows)
        counts = {table: len(found) for table, found in rows.items()}
        self.notices.append(
            f"Your bookmarks and notes file could not be used ({problem}). It was kept as {aside.name}; "
            f"recovered into a new file: {counts.get('bookmarks', 0)} bookmark(s), {counts.get('notes', 0)} note(s), "
            f"{counts.get('history', 0)} history item(s)."
        )
        return conn

    def close(self) -> None:
        self.conn.close()

    def integrity_ok(self) -> bool:
        try:
            return self.conn.execute("pragma integrity_check").fetchone()[0] == "ok"
        except sqlite3.Error:
            return False

    def writable(self) -> bool:
        """Whether a change can be saved now (for --self-test): see write_problem()."""
        return not self.write_problem()

    def write_problem(self) -> str:
        """Why changes cannot be saved, or "" when a test write succeeds (it is rolled back)."""
        if self.read_only:
            return f"bookmarks and notes cannot be saved: {self.read_only_reason}"
        try:
            self.conn.execute("begin immediate")
            try:
                self.conn.execute("insert or replace into meta (key, value) values ('write-check', ?)", [_now()])
            finally:
                self.conn.execute("rollback")
        except sqlite3.Error as exc:
            return f"bookmarks and notes cannot be saved: {_reason(exc)}"
        if not os.access(self.path.parent, os.W_OK):
            return "bookmarks and notes cannot be saved: their folder is read-only"
        return ""

    @contextlib.contextmanager
    def _writing(self, what: str) -> Iterator[sqlite3.Connection]:
        """One transaction: all of it is saved or none of it, and a failure raises a clear error."""
        if self.read_only:
            raise UserDataWriteError(f"{what} was not saved: {self.read_only_reason}")
        try:
            self.conn.execute("begin immediate")
        except sqlite3.Error as exc:
            raise UserDataWriteError(f"{what} was not saved: {_reason(exc)}") from exc
        try:
            yield self.conn
            self.conn.execute("commit")
        except (sqlite3.Error, OSError) as exc:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("rollback")
            raise UserDataWriteError(f"{what} was not saved: {_reason(exc)}") from exc
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("rollback")
            raise

    def _rows(self, sql: str, params: list | tuple = ()) -> list[tuple]:
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise UserDataError(f"your bookmarks and notes could not be read: {_reason(exc)}") from exc

    # -- bookmarks -------------------------------------------------------------------------
    def is_bookmarked(self, entry_id: str) -> bool:
        return bool(self._rows("select 1 from bookmarks where entry_id = ?", [entry_id]))

    def toggle_bookmark(self, entry_id: str, title: str) -> bool:
        """Add or remove a bookmark; returns whether the entry is bookmarked afterwards."""
        with self._writing(f"The bookmark on '{title}'") as conn:
            if conn.execute("delete from bookmarks where entry_id = ?", [entry_id]).rowcount:
                return False
            conn.execute("insert into bookmarks values (?, ?, ?)", [entry_id, title, _now()])
            return True

    def bookmarks(self) -> list[Bookmark]:
        return [Bookmark(*row) for row in self._rows("select entry_id, title, created from bookmarks order by title")]

    # -- notes -----------------------------------------------------------------------------
    def note(self, entry_id: str) -> str:
        rows = self._rows("select text from notes where entry_id = ?", [entry_id])
        return rows[0][0] if rows else ""

    def set_note(self, entry_id: str, title: str, text: str, *, updated: str | None = None) -> None:
        with self._writing(f"Your note on '{title}'") as conn:
            if text.strip():
                conn.execute(
                    "insert or replace into notes values (?, ?, ?, ?)", [entry_id, title, text, updated or _now()]
                )
            else:
                conn.execute("delete from notes where entry_id = ?", [entry_id])

    def notes(self) -> list[Note]:
        return [Note(*row) for row in self._rows("select entry_id, title, text, updated from notes order by title")]

    # -- history ---------------------------------------------------------------------------
    def record_visit(self, entry_id: str, title: str) -> None:
        """Add to the history. While user data is read-only (the user was told when it opened)
        history is simply not recorded; any other failure raises UserDataWriteError."""
        if self.read_only:
            return
        with self._writing("The reading history") as conn:
            conn.execute("insert into history (entry_id, title, opened) values (?, ?, ?)", [entry_id, title, _now()])
            conn.execute(
                "delete from history where id not in (select id from history order by id desc limit ?)",
                [HISTORY_LIMIT],
            )

    def recent(self, limit: int = 20) -> list[tuple[str, str]]:
        """Most recently opened entries, newest first, each once."""
        rows = self._rows(
            "select entry_id, title, max(id) as last from history group by entry_id order by last desc limit ?",
            [limit],
        )
        return [(row[0], row[1]) for row in rows]

    # -- export / import -------------------------------------------------------------------
    def export_json(self) -> str:
        return json.dumps(
            {
                "format": EXPORT_FORMAT,
                "version": EXPORT_VERSION,
                "exported": _now(),
                "bookmarks": [asdict(b) for b in self.bookmarks()],
                "notes": [asdict(n) for n in self.notes()],
                "study": self._study_export(),
            },
            indent=2,
            ensure_ascii=False,
        )

    def _study_export(self) -> dict | None:
        """Study mode's read marks and review history travel with the bookmarks and notes."""
        from index.study import export_study  # loaded only when exporting (fsrs is not needed at start-up)

        names = {row[0] for row in self._rows("select name from sqlite_master where type = 'table'")}
        return export_study(self.conn) if "study_reviews" in names else None

    def export_markdown(self) -> str:
        lines = ["# Vademecum — bookmarks and notes", "", f"Exported {_now()}", "", "## Bookmarks", ""]
        lines += [f"- {b.title} (`{b.entry_id}`)" for b in self.bookmarks()] or ["(none)"]
        lines += ["", "## Notes", ""]
        for note in self.notes():
            lines += [f"### {note.title} (`{note.entry_id}`)", "", f"_Updated {note.updated}_", "", note.text, ""]
        return "\n".join(lines).rstrip() + "\n"

    def import_file(self, path: Path, progress: Progress | None = None) -> tuple[int, int]:
        """import_json on a file, read with a size cap (a huge or special file is refused)."""
        try:
            data = read_bytes(Path(path), max_bytes=MAX_IMPORT_BYTES)
        except UnsafeFileError as exc:
            raise ImportRefusedError(f"{Path(path).name}: {exc}") from exc
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ImportRefusedError(f"{Path(path).name}: not a Vademecum export (not UTF-8 text)") from exc
        return self.import_json(text, progress)

    def import_json(self, text: str, progress: Progress | None = None) -> tuple[int, int]:
        """Merge an export back in; returns (bookmarks added, notes added or updated).

        The file is validated whole first (ImportRefusedError, nothing changed), then applied in
        one transaction (UserDataWriteError, nothing changed). progress(done, total) is called
        along the way, so a caller can run this off the GUI thread and show a bar.
        """
        data = parse_export(text)
        total = len(data.bookmarks) + len(data.notes)
        added = updated = 0
        if data.study is not None:
            from index.study import StudyStore

            StudyStore(self.conn)  # its tables, before the one transaction below
        with self._writing("The import") as conn:
            for number, item in enumerate(data.bookmarks, start=1):
                added += conn.execute(
                    "insert or ignore into bookmarks values (?, ?, ?)",
                    [item.entry_id, item.title, item.created or _now()],
                ).rowcount
                if progress and number % 500 == 0:
                    progress(number, total)
            for number, item in enumerate(data.notes, start=len(data.bookmarks) + 1):
                updated += conn.execute(
                    """insert into notes values (?, ?, ?, ?)
                       on conflict (entry_id) do update set title = excluded.title, text = excluded.text,
                       updated = excluded.updated where notes.updated < ?""",
                    [item.entry_id, item.title, item.text, item.updated or _now(), item.updated],
                ).rowcount
                if progress and number % 500 == 0:
                    progress(number, total)
            if data.study is not None:
                from index.study import apply_study

                apply_study(conn, data.study)  # in the same transaction: all of the import or none
        if progress:
            progress(total, total)
        return added, updated


def parse_export(text: str) -> ExportData:
    """Validate an export against its schema (types, sizes, counts); ImportRefusedError says where."""
    if not isinstance(text, str):
        raise ImportRefusedError("not a Vademecum bookmarks-and-notes export")
    if len(text) > MAX_IMPORT_BYTES:
        raise ImportRefusedError(f"the file is too large to be an export (over {MAX_IMPORT_BYTES // 2**20} MB)")
    # Counted before parsing: a file of a million tiny items would hold the interpreter (and so
    # the window) for a second just to be parsed, and be refused anyway. Every item has this key.
    items, cap = text.count('"entry_id"'), MAX_IMPORT_BOOKMARKS + MAX_IMPORT_NOTES
    if items > cap:
        raise ImportRefusedError(f"{items:,} bookmarks and notes: more than the {cap:,} an import may hold")
    try:
        data = json.loads(text)
    except RecursionError as exc:
        raise ImportRefusedError("not a Vademecum bookmarks-and-notes export (nested too deeply)") from exc
    except ValueError as exc:
        raise ImportRefusedError(f"not a Vademecum bookmarks-and-notes export (not valid JSON: {exc})") from exc
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise ImportRefusedError("not a Vademecum bookmarks-and-notes export")
    version = data.get("version", EXPORT_VERSION)
    if not isinstance(version, int) or isinstance(version, bool) or version > EXPORT_VERSION:
        shown = repr(version)[:20]
        raise ImportRefusedError(f"export version {shown} is not supported (this app reads version 1)")
    bookmarks = _items(data, "bookmarks", MAX_IMPORT_BOOKMARKS)
    notes = _items(data, "notes", MAX_IMPORT_NOTES)
    study = None
    if data.get("study") is not None:
        from index.study import parse_study

        try:
            study = parse_study(data["study"])
        except ValueError as exc:
            raise ImportRefusedError(f"study progress: {exc}") from exc
    return ExportData(
        bookmarks=[
            Bookmark(
                _text(item, "entry_id", f"bookmarks[{i}]", MAX_ID_CHARS, required=True),
                _text(item, "title", f"bookmarks[{i}]", MAX_TITLE_CHARS, required=True),
                _text(item, "created", f"bookmarks[{i}]", MAX_STAMP_CHARS),
            )
            for i, item in enumerate(bookmarks)
        ],
        notes=[
            Note(
                _text(item, "entry_id", f"notes[{i}]", MAX_ID_CHARS, required=True),
                _text(item, "title", f"notes[{i}]", MAX_TITLE_CHARS, required=True),
                _text(item, "text", f"notes[{i}]", MAX_NOTE_CHARS, required=True),
                _text(item, "updated", f"notes[{i}]", MAX_STAMP_CHARS),
            )
            for i, item in enumerate(notes)
        ],
        study=study,
    )


def _items(data: dict, name: str, cap: int) -> list[dict]:
    items = data.get(name, [])
    if items is None:
        return []
    if not isinstance(items, list):
        raise ImportRefusedError(f"'{name}' must be a list")
    if len(items) > cap:
        raise ImportRefusedError(f"{len(items):,} {name}: more than the {cap:,} an import may hold")
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise ImportRefusedError(f"{name}[{index}] must be an object with fields")
    return items


def _text(item: dict, key: str, where: str, cap: int, *, required: bool = False) -> str:
    value = item.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise ImportRefusedError(f"{where}: '{key}' must be text")
    if len(value) > cap:
        raise ImportRefusedError(f"{where}: '{key}' is longer than {cap:,} characters")
    return value


def _read_only_connection(path: Path) -> sqlite3.Connection:
    """A read-only connection; immutable when a read-only folder keeps WAL from opening."""
    uri = Path(path).absolute().as_uri()
    conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, isolation_level=None, check_same_thread=False)
    try:
        conn.execute("select count(*) from sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError as exc:
        conn.close()
        if "unable to open" not in str(exc).lower() and "readonly" not in str(exc).lower():
            raise
    return sqlite3.connect(f"{uri}?immutable=1", uri=True, isolation_level=None, check_same_thread=False)


def _check(path: Path) -> str:
    """Why an existing user-data file cannot be used as it is, or "" when it is sound."""
    try:
        conn = _read_only_connection(path)
    except sqlite3.Error as exc:
        return _reason(exc) if _is_damage(exc) else ""
    try:
        result = conn.execute("pragma quick_check").fetchall()
        if result != [("ok",)]:
            return "its integrity check failed"
        for table, columns in TABLES.items():
            exists = conn.execute("select 1 from sqlite_master where type = 'table' and name = ?", [table]).fetchone()
            if exists:
                conn.execute(f"select {', '.join(columns)} from {table}").fetchall()  # noqa: S608 - fixed names
        return ""
    except sqlite3.Error as exc:
        return _reason(exc) if _is_damage(exc) else ""  # locked or busy is not damage
    finally:
        conn.close()


def _padded_copy(path: Path) -> Path | None:
    """A copy of a truncated database, zero-filled to the size its header claims, so SQLite can
    read the pages that survived (it refuses the whole file otherwise). None if not truncated."""
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
        if len(header) < 100 or not header.startswith(b"SQLite format 3\0"):
            return None
        page_size = int.from_bytes(header[16:18], "big")
        page_size = 65536 if page_size == 1 else page_size
        claimed = int.from_bytes(header[28:32], "big") * page_size
        size = path.stat().st_size
        if not size < claimed <= size + 1024**3:
            return None
        copy = path.with_name(path.name + ".salvage")
        shutil.copyfile(path, copy)
        with copy.open("r+b") as handle:
            handle.truncate(claimed)
        return copy
    except OSError:
        return None


def _salvage(path: Path) -> dict[str, list[tuple]]:
    """Every row that can still be read, table by table; row by row where a page is damaged."""
    padded = _padded_copy(path)
    try:
        return _read_all(padded or path)
    finally:
        if padded is not None:
            with contextlib.suppress(OSError):
                padded.unlink()


def _read_all(path: Path) -> dict[str, list[tuple]]:
    rows: dict[str, list[tuple]] = {table: [] for table in TABLES}
    try:
        conn = _read_only_connection(path)
    except sqlite3.Error:
        return rows
    try:
        for table, columns in TABLES.items():
            select = f"select {', '.join(columns)} from {table}"  # noqa: S608 - fixed names
            try:
                rows[table] = conn.execute(select).fetchall()
                continue
            except sqlite3.Error:
                pass
            try:
                highest = conn.execute(f"select max(rowid) from {table}").fetchone()[0] or 0  # noqa: S608
            except sqlite3.Error:
                highest = 10_000
            for rowid in range(1, min(highest, SALVAGE_MAX_ROWIDS) + 1):
                with contextlib.suppress(sqlite3.Error):
                    row = conn.execute(f"{select} where rowid = ?", [rowid]).fetchone()
                    if row is not None:
                        rows[table].append(row)
    finally:
        conn.close()
    return rows


def _insert_rows(conn: sqlite3.Connection, rows: dict[str, list[tuple]]) -> None:
    conn.execute("begin")
    for table, found in rows.items():
        width = len(TABLES[table])
        clean = [tuple(None if v is None else str(v) for v in row) for row in found if len(row) == width]
        if table == "history":
            clean = [(None, *row[1:]) for row in clean]  # fresh ids, same order
        conn.executemany(f"insert or ignore into {table} values ({', '.join('?' * width)})", clean)  # noqa: S608
    conn.execute("commit")
