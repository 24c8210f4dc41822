"""The user's own data — bookmarks, notes per entry, reading history — in a per-user SQLite file.

WAL mode and one transaction per change: a crash or power cut loses at most the change being
made, never a committed one. Export writes JSON (round-trips exactly) or Markdown (for reading);
import takes the JSON back and merges it, newest note winning.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import asdict, dataclass
from pathlib import Path

import sqlite_utils

EXPORT_FORMAT = "vademecum-userdata"
EXPORT_VERSION = 1
HISTORY_LIMIT = 200


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


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


class UserData:
    """One connection, used from one thread at a time (the app's worker)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(str(path), check_same_thread=False)
        self.db = sqlite_utils.Database(connection)
        self.db.execute("pragma journal_mode=wal")
        self.db.execute("pragma synchronous=full")  # a committed bookmark or note survives a power cut
        self.db.execute("pragma foreign_keys=on")
        self._create()

    def _create(self) -> None:
        with self.db.conn:
            if "bookmarks" not in self.db.table_names():
                self.db["bookmarks"].create({"entry_id": str, "title": str, "created": str}, pk="entry_id")
            if "notes" not in self.db.table_names():
                self.db["notes"].create({"entry_id": str, "title": str, "text": str, "updated": str}, pk="entry_id")
            if "history" not in self.db.table_names():
                self.db["history"].create({"id": int, "entry_id": str, "title": str, "opened": str}, pk="id")
                self.db["history"].create_index(["opened"])
            if "meta" not in self.db.table_names():
                self.db["meta"].create({"key": str, "value": str}, pk="key")
                self.db["meta"].insert({"key": "schema_version", "value": "1"})

    def close(self) -> None:
        self.db.close()

    def integrity_ok(self) -> bool:
        return self.db.execute("pragma integrity_check").fetchone()[0] == "ok"

    # -- bookmarks -------------------------------------------------------------------------
    def is_bookmarked(self, entry_id: str) -> bool:
        return bool(self.db.execute("select 1 from bookmarks where entry_id = ?", [entry_id]).fetchone())

    def toggle_bookmark(self, entry_id: str, title: str) -> bool:
        """Add or remove a bookmark; returns whether the entry is bookmarked afterwards."""
        with self.db.conn:
            if self.is_bookmarked(entry_id):
                self.db["bookmarks"].delete(entry_id)
                return False
            self.db["bookmarks"].insert({"entry_id": entry_id, "title": title, "created": _now()})
            return True

    def bookmarks(self) -> list[Bookmark]:
        return [Bookmark(**row) for row in self.db.query("select * from bookmarks order by title")]

    # -- notes -----------------------------------------------------------------------------
    def note(self, entry_id: str) -> str:
        row = self.db.execute("select text from notes where entry_id = ?", [entry_id]).fetchone()
        return row[0] if row else ""

    def set_note(self, entry_id: str, title: str, text: str, *, updated: str | None = None) -> None:
        with self.db.conn:
            if text.strip():
                self.db["notes"].upsert(
                    {"entry_id": entry_id, "title": title, "text": text, "updated": updated or _now()}, pk="entry_id"
                )
            else:
                self.db.execute("delete from notes where entry_id = ?", [entry_id])

    def notes(self) -> list[Note]:
        return [Note(**row) for row in self.db.query("select * from notes order by title")]

    # -- history ---------------------------------------------------------------------------
    def record_visit(self, entry_id: str, title: str) -> None:
        with self.db.conn:
            self.db["history"].insert({"entry_id": entry_id, "title": title, "opened": _now()})
            self.db.execute(
                "delete from history where id not in (select id from history order by id desc limit ?)",
                [HISTORY_LIMIT],
            )

    def recent(self, limit: int = 20) -> list[tuple[str, str]]:
        """Most recently opened entries, newest first, each once."""
        rows = self.db.execute(
            "select entry_id, title, max(id) as last from history group by entry_id order by last desc limit ?",
            [limit],
        ).fetchall()
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
            },
            indent=2,
            ensure_ascii=False,
        )

    def export_markdown(self) -> str:
        lines = ["# Vademecum — bookmarks and notes", "", f"Exported {_now()}", "", "## Bookmarks", ""]
        lines += [f"- {b.title} (`{b.entry_id}`)" for b in self.bookmarks()] or ["(none)"]
        lines += ["", "## Notes", ""]
        for note in self.notes():
            lines += [f"### {note.title} (`{note.entry_id}`)", "", f"_Updated {note.updated}_", "", note.text, ""]
        return "\n".join(lines).rstrip() + "\n"

    def import_json(self, text: str) -> tuple[int, int]:
        """Merge an export back in; returns (bookmarks added, notes added or updated)."""
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
            raise ValueError("not a Vademecum bookmarks-and-notes export")
        added = updated = 0
        with self.db.conn:
            for item in data.get("bookmarks", []):
                if not self.is_bookmarked(item["entry_id"]):
                    self.db["bookmarks"].insert(
                        {"entry_id": item["entry_id"], "title": item["title"], "created": item.get("created", _now())}
                    )
                    added += 1
            for item in data.get("notes", []):
                current = self.db.execute("select updated from notes where entry_id = ?", [item["entry_id"]]).fetchone()
                if current is None or current[0] < item.get("updated", ""):
                    self.db["notes"].upsert(
                        {
                            "entry_id": item["entry_id"],
                            "title": item["title"],
                            "text": item["text"],
                            "updated": item.get("updated", _now()),
                        },
                        pk="entry_id",
                    )
                    updated += 1
        return added, updated
