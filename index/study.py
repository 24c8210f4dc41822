"""Study mode: reading lists, read marks, self-test cards and their reviews.

Scheduling is FSRS, from the `fsrs` package (the scheduler Anki uses by default); nothing here
computes an interval. Read marks and review history live in the user's SQLite file, in tables this
module creates on the connection it is given, one transaction per change, so a crash loses at most
the change being made. Every call that depends on the time takes `now`, so a test can run a week in
a second.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fsrs import Card, Rating, Scheduler, State

from index.content import CITATION, CITATION_KEY, load_corpus
from index.model import Corpus, Entry, ReadingList

EXPORT_FORMAT = "vademecum-study"
EXPORT_VERSION = 1
RATINGS = {1: Rating.Again, 2: Rating.Hard, 3: Rating.Good, 4: Rating.Easy}
"""The keys 1–4 of a review session, as in Anki."""
NEW_CARDS_PER_SESSION = 20

_SCHEMA = (
    """create table if not exists study_read (
        entry_id text primary key, read_at text not null, how text not null)""",
    """create table if not exists study_cards (
        card_key text primary key, entry_id text not null, fsrs text not null, due text not null)""",
    """create table if not exists study_reviews (
        id integer primary key, card_key text not null, rating integer not null, reviewed_at text not null,
        state_before integer not null, due_after text not null)""",
    "create index if not exists study_reviews_card on study_reviews(card_key)",
    "create index if not exists study_cards_due on study_cards(due)",
)
_WORD = re.compile(r"[a-z0-9]+")


# -- cards -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class StudyCard:
    """A self-test card ready for review: what it asks, and where in its entry the answer stands."""

    key: str  # stable across releases while the entry id and the question stay the same
    entry_id: str
    entry_title: str
    question: str
    answer: str
    reference_keys: tuple[str, ...]
    section: str  # heading of the section that states the answer
    anchor: str  # that section's anchor, to open the entry there


def card_key(entry_id: str, question: str) -> str:
    """Entry id plus a hash of the question: editing the answer keeps the card's history."""
    digest = hashlib.sha256(" ".join(question.split()).encode("utf-8")).hexdigest()[:12]
    return f"{entry_id}#{digest}"


def _citation_keys(text: str) -> tuple[str, ...]:
    keys = [k.rstrip(".,;:") for group in CITATION.finditer(text) for k in CITATION_KEY.findall(group.group(1))]
    return tuple(dict.fromkeys(keys))


def _answer_section(entry: Entry, answer: str, keys: tuple[str, ...]) -> tuple[str, str]:
    """The section that cites the answer's reference and shares most words with it."""
    words = set(_WORD.findall(CITATION.sub(" ", answer).lower()))
    best: tuple[int, int, str, str] | None = None
    for section in entry.sections:
        text = section.markdown
        cites = sum(f"@{key}" in text for key in keys)
        overlap = len(words & set(_WORD.findall(CITATION.sub(" ", text).lower())))
        score = (cites > 0, overlap)
        if best is None or score > best[:2]:
            best = (*score, section.heading, section.anchor)
    return (best[2], best[3]) if best else ("", "")


def entry_cards(entry: Entry) -> list[StudyCard]:
    """The entry's well-formed self-test cards (validate reports the others)."""
    cards = []
    for raw in entry.self_test:
        if not isinstance(raw.question, str) or not isinstance(raw.answer, str):
            continue
        if not raw.question.strip() or not raw.answer.strip():
            continue
        question, answer = " ".join(raw.question.split()), " ".join(raw.answer.split())
        keys = _citation_keys(answer)
        section, anchor = _answer_section(entry, answer, keys)
        cards.append(
            StudyCard(card_key(entry.id, question), entry.id, entry.title, question, answer, keys, section, anchor)
        )
    return cards


def study_cards(corpus: Corpus, reading_list: ReadingList | None = None) -> list[StudyCard]:
    """Cards of the whole corpus, or of one list in its reading order."""
    ids = reading_list.entry_ids if reading_list else sorted(corpus.entries)
    return [card for entry_id in ids if entry_id in corpus.entries for card in entry_cards(corpus.entries[entry_id])]


def find_list(corpus: Corpus, name: str) -> ReadingList | None:
    """A list by id or by title, ignoring case and spacing."""
    wanted = " ".join(name.split()).casefold()
    for reading_list in corpus.reading_lists:
        if wanted in (reading_list.id.casefold(), reading_list.title.casefold()):
            return reading_list
    return None


@dataclass(frozen=True)
class StudyMaterial:
    """What study mode shows, loaded once: the lists, their cards in reading order, entry titles."""

    corpus: Corpus
    lists: tuple[ReadingList, ...]
    cards: dict[str, tuple[StudyCard, ...]]  # list id -> its cards
    titles: dict[str, str]  # entry id -> title

    @property
    def version(self) -> str:
        return self.corpus.version

    def reading_list(self, list_id: str) -> ReadingList | None:
        return next((r for r in self.lists if r.id == list_id), None)


def load_study_material(content_dir: Path | None = None) -> StudyMaterial:
    """Reading lists and cards of a content dir (the bundled one by default)."""
    corpus = load_corpus(content_dir)
    lists = tuple(corpus.reading_lists)
    return StudyMaterial(
        corpus=corpus,
        lists=lists,
        cards={r.id: tuple(study_cards(corpus, r)) for r in lists},
        titles={entry_id: entry.title for entry_id, entry in corpus.entries.items()},
    )


# -- progress --------------------------------------------------------------------------------
@dataclass(frozen=True)
class ListProgress:
    """What the Study tab shows for one list."""

    list_id: str
    title: str
    read: int
    entries: int
    cards: int
    new: int  # never reviewed
    due_now: int
    due_today: int  # reviewed cards due before the end of today (includes due_now)
    due_week: int  # … before the end of the seventh day from today


@dataclass(frozen=True)
class Retention:
    """Share of reviews of already-learnt cards answered Hard, Good or Easy (Anki's "true retention")."""

    reviews: int
    recalled: int

    @property
    def rate(self) -> float | None:
        return self.recalled / self.reviews if self.reviews else None


@dataclass(frozen=True)
class ReviewOutcome:
    card_key: str
    rating: Rating
    due: dt.datetime
    interval: dt.timedelta
    state: State


def _utc(now: dt.datetime) -> dt.datetime:
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(dt.UTC)


def _end_of_day(now: dt.datetime, days_ahead: int = 0) -> dt.datetime:
    """Midnight after `now`'s day (in now's own time zone), plus days."""
    day = now.date() + dt.timedelta(days=days_ahead + 1)
    return dt.datetime.combine(day, dt.time(0), tzinfo=now.tzinfo)


def _stable_int(key: str) -> int:
    return int(hashlib.sha256(key.encode("utf-8")).hexdigest()[:12], 16)


class StudyStore:
    """Read marks and reviews on the user data connection (its own tables, created here)."""

    def __init__(self, connection: sqlite3.Connection, *, scheduler: Scheduler | None = None) -> None:
        self.connection = connection
        self.scheduler = scheduler or Scheduler()
        self.problem = ""  # set when progress cannot be saved; study goes on in memory
        try:
            self._create()
        except sqlite3.Error as exc:  # a read-only or damaged user file: never a crash
            self.problem = f"study progress cannot be saved ({exc})"
            self.connection = sqlite3.connect(":memory:", check_same_thread=False)
            self._create()

    def _create(self) -> None:
        names = {row[0] for row in self.connection.execute("select name from sqlite_master where type = 'table'")}
        if not {"study_read", "study_cards", "study_reviews"} <= names:  # a write only for a new file
            with self._transaction():
                for statement in _SCHEMA:
                    self.connection.execute(statement)

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """One transaction per change, whether the connection autocommits (isolation_level None,
        as the user-data file's does) or not."""
        if self.connection.isolation_level is None and not self.connection.in_transaction:
            self.connection.execute("begin immediate")
            try:
                yield
            except BaseException:
                self.connection.execute("rollback")
                raise
            self.connection.execute("commit")
        else:
            with self.connection:
                yield

    @classmethod
    def on(cls, userdata: Any, *, scheduler: Scheduler | None = None) -> StudyStore:
        """On the user-data file's own connection (index.userdata.UserData), so the study tables
        live in user.sqlite with the same WAL and synchronous settings as bookmarks and notes."""
        db = getattr(userdata, "db", userdata)
        connection = getattr(db, "conn", db)
        if not isinstance(connection, sqlite3.Connection):
            raise TypeError(f"no SQLite connection on {type(userdata).__name__}")
        store = cls(connection, scheduler=scheduler)
        if getattr(userdata, "read_only", False) and not store.problem:  # served from a copy
            reason = getattr(userdata, "read_only_reason", "") or "the user data file is read-only"
            store.problem = f"study progress cannot be saved ({reason})"
        return store

    # read marks
    def mark_read(self, entry_id: str, *, now: dt.datetime, how: str = "manual") -> None:
        """`how` is "end" (scrolled to the end) or "manual"; the first mark is kept."""
        with self._transaction():
            self.connection.execute(
                "insert or ignore into study_read (entry_id, read_at, how) values (?, ?, ?)",
                [entry_id, _utc(now).isoformat(), how],
            )

    def mark_unread(self, entry_id: str) -> None:
        with self._transaction():
            self.connection.execute("delete from study_read where entry_id = ?", [entry_id])

    def is_read(self, entry_id: str) -> bool:
        return bool(self.connection.execute("select 1 from study_read where entry_id = ?", [entry_id]).fetchone())

    def read_ids(self) -> set[str]:
        return {row[0] for row in self.connection.execute("select entry_id from study_read")}

    # scheduling
    def fsrs_card(self, key: str, *, now: dt.datetime) -> Card:
        row = self.connection.execute("select fsrs from study_cards where card_key = ?", [key]).fetchone()
        if row:
            return Card.from_json(row[0])
        return Card(card_id=_stable_int(key), due=_utc(now))

    def review(self, card: StudyCard, rating: Rating | int, *, now: dt.datetime) -> ReviewOutcome:
        """Rate one card (1 Again, 2 Hard, 3 Good, 4 Easy); FSRS sets when it comes back."""
        rating = RATINGS[rating] if isinstance(rating, int) and not isinstance(rating, Rating) else Rating(rating)
        when = _utc(now)
        before = self.fsrs_card(card.key, now=when)
        after, _log = self.scheduler.review_card(before, rating, review_datetime=when)
        with self._transaction():
            self.connection.execute(
                "insert or replace into study_cards (card_key, entry_id, fsrs, due) values (?, ?, ?, ?)",
                [card.key, card.entry_id, after.to_json(), after.due.isoformat()],
            )
            self.connection.execute(
                "insert into study_reviews (card_key, rating, reviewed_at, state_before, due_after) "
                "values (?, ?, ?, ?, ?)",
                [card.key, int(rating), when.isoformat(), int(before.state), after.due.isoformat()],
            )
        return ReviewOutcome(card.key, rating, after.due, after.due - when, after.state)

    def due(self, key: str) -> dt.datetime | None:
        """When a reviewed card is due; None for a card never reviewed."""
        row = self.connection.execute("select due from study_cards where card_key = ?", [key]).fetchone()
        return dt.datetime.fromisoformat(row[0]) if row else None

    def session(
        self, cards: list[StudyCard], *, now: dt.datetime, new_limit: int = NEW_CARDS_PER_SESSION
    ) -> list[StudyCard]:
        """What to review now: due cards, most overdue first, then up to `new_limit` new ones."""
        when = _utc(now)
        due, new = [], []
        for card in cards:
            at = self.due(card.key)
            if at is None:
                new.append(card)
            elif at <= when:
                due.append((at, card))
        due.sort(key=lambda pair: pair[0])
        return [card for _, card in due] + new[: max(0, new_limit)]

    def due_counts(self, cards: list[StudyCard], *, now: dt.datetime) -> tuple[int, int, int, int]:
        """(new, due now, due before the end of today, due before the end of the week's last day)."""
        when = _utc(now)
        today, week = _end_of_day(now), _end_of_day(now, 6)
        dues = [self.due(card.key) for card in cards]
        return (
            sum(at is None for at in dues),
            sum(at is not None and at <= when for at in dues),
            sum(at is not None and at < today for at in dues),
            sum(at is not None and at < week for at in dues),
        )

    def progress(self, reading_list: ReadingList, cards: list[StudyCard], *, now: dt.datetime) -> ListProgress:
        read = self.read_ids()
        new, due_now, due_today, due_week = self.due_counts(cards, now=now)
        return ListProgress(
            list_id=reading_list.id,
            title=reading_list.title,
            read=sum(entry_id in read for entry_id in reading_list.entry_ids),
            entries=len(reading_list.items),
            cards=len(cards),
            new=new,
            due_now=due_now,
            due_today=due_today,
            due_week=due_week,
        )

    def retention(self, *, since: dt.datetime | None = None) -> Retention:
        """From the review log: reviews of cards already in review, and how many were recalled."""
        sql = "select rating from study_reviews where state_before = ?"
        params: list[Any] = [int(State.Review)]
        if since is not None:
            sql += " and reviewed_at >= ?"
            params.append(_utc(since).isoformat())
        ratings = [row[0] for row in self.connection.execute(sql, params)]
        return Retention(len(ratings), sum(r != int(Rating.Again) for r in ratings))

    def review_count(self) -> int:
        return self.connection.execute("select count(*) from study_reviews").fetchone()[0]

    # export / import
    def export_study(self) -> dict[str, Any]:
        return export_study(self.connection)

    def import_study(self, data: dict[str, Any]) -> tuple[int, int]:
        return import_study(self.connection, data)


def export_study(connection: sqlite3.Connection) -> dict[str, Any]:
    """Read marks, card states and the whole review log, as JSON-ready data (for the user-data export)."""
    StudyStore(connection)  # the tables exist even if study mode was never opened
    query = connection.execute
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "read": [{"entry_id": r[0], "read_at": r[1], "how": r[2]} for r in query("select * from study_read")],
        "cards": [
            {"card_key": r[0], "entry_id": r[1], "fsrs": json.loads(r[2])}
            for r in query("select card_key, entry_id, fsrs from study_cards order by card_key")
        ],
        "reviews": [
            {"card_key": r[0], "rating": r[1], "reviewed_at": r[2], "state_before": r[3], "due_after": r[4]}
            for r in query(
                "select card_key, rating, reviewed_at, state_before, due_after from study_reviews order by id"
            )
        ],
    }


@dataclass(frozen=True)
class StudyImport:
    """A study export, validated: what import_study applies."""

    read: list[tuple[str, str, str]]
    cards: list[tuple[str, str, Card]]
    reviews: list[tuple[str, int, str, int, str]]


def parse_study(data: Any) -> StudyImport:
    """Validate a study export before anything is changed; ValueError says what is wrong."""
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise ValueError("not a Vademecum study export")
    try:
        read = [(str(r["entry_id"]), str(r["read_at"]), str(r.get("how", "manual"))) for r in data.get("read", [])]
        cards = [(str(c["card_key"]), str(c["entry_id"]), Card.from_dict(c["fsrs"])) for c in data.get("cards", [])]
        reviews = [
            (str(r["card_key"]), int(r["rating"]), str(r["reviewed_at"]), int(r["state_before"]), str(r["due_after"]))
            for r in data.get("reviews", [])
        ]
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ValueError(f"damaged study export: {exc}") from exc
    return StudyImport(read, cards, reviews)


def import_study(connection: sqlite3.Connection, data: dict[str, Any]) -> tuple[int, int]:
    """Merge an export: read marks are added, reviews not already present are added, and each card
    takes the state of whichever side reviewed it last. Returns (read marks added, reviews added).
    Raises ValueError on data that is not a study export, before changing anything."""
    parsed = parse_study(data)
    store = StudyStore(connection)
    with store._transaction():
        return apply_study(store.connection, parsed)


def apply_study(connection: sqlite3.Connection, parsed: StudyImport) -> tuple[int, int]:
    """Write a parsed study export inside the caller's transaction (the tables must exist)."""
    added_read = added_reviews = 0
    for row in parsed.read:
        added_read += connection.execute(
            "insert or ignore into study_read (entry_id, read_at, how) values (?, ?, ?)", row
        ).rowcount
    for key, entry_id, card in parsed.cards:
        current = connection.execute("select fsrs from study_cards where card_key = ?", [key]).fetchone()
        mine = Card.from_json(current[0]).last_review if current else None
        if mine is None or (card.last_review is not None and card.last_review > mine):
            connection.execute(
                "insert or replace into study_cards (card_key, entry_id, fsrs, due) values (?, ?, ?, ?)",
                [key, entry_id, card.to_json(), card.due.isoformat()],
            )
    for row in parsed.reviews:
        exists = connection.execute(
            "select 1 from study_reviews where card_key = ? and reviewed_at = ?", [row[0], row[2]]
        ).fetchone()
        if not exists:
            connection.execute(
                "insert into study_reviews (card_key, rating, reviewed_at, state_before, due_after) "
                "values (?, ?, ?, ?, ?)",
                row,
            )
            added_reviews += 1
    return added_read, added_reviews
