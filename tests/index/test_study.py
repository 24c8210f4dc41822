"""A resident's week in study mode, on a fixed clock: pick a list, read it, review its cards.

Everything goes through index.study's public API on a real SQLite file, as the app and the CLI
use it. Intervals are checked against the `fsrs` scheduler replaying the same ratings: the module
must not compute intervals of its own.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from fsrs import Card, Rating, Scheduler, State

from index.content import load_corpus
from index.study import StudyStore, card_key, export_study, find_list, import_study, study_cards

MONDAY = dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC)


def day(n: int, hour: int = 8) -> dt.datetime:
    return MONDAY + dt.timedelta(days=n, hours=hour - 8)


@pytest.fixture
def store(tmp_path: Path):
    connection = sqlite3.connect(tmp_path / "user.sqlite")
    yield StudyStore(connection, scheduler=Scheduler(enable_fuzzing=False))
    connection.close()


def test_a_residents_week(study_corpus: Path, store: StudyStore) -> None:
    corpus = load_corpus(study_corpus)
    reading_list = find_list(corpus, "fixture PATHWAY")
    assert reading_list is not None and find_list(corpus, "fixture-pathway") == reading_list
    cards = study_cards(corpus, reading_list)
    # cards come in the list's reading order: headache, rest, then the two blood-patch cards
    assert [c.entry_id for c in cards] == [
        "fixture-headache",
        "fixture-rest",
        "fixture-blood-patch",
        "fixture-blood-patch",
    ]

    progress = store.progress(reading_list, cards, now=day(0))
    assert (progress.read, progress.entries, progress.cards, progress.new, progress.due_today) == (0, 3, 4, 4, 0)

    # Monday: reads the first entry to its end, marks the second by hand, then unmarks it (undo)
    store.mark_read("fixture-headache", now=day(0), how="end")
    store.mark_read("fixture-rest", now=day(0))
    assert store.progress(reading_list, cards, now=day(0)).read == 2
    store.mark_unread("fixture-rest")
    assert store.progress(reading_list, cards, now=day(0)).read == 1
    store.mark_read("fixture-rest", now=day(0, 9))
    store.mark_read("fixture-blood-patch", now=day(0, 10))
    assert store.progress(reading_list, cards, now=day(0)).read == 3

    # the same ratings replayed on fsrs directly give the expected due dates
    reference = Scheduler(enable_fuzzing=False)
    expected: dict[str, Card] = {c.key: Card(card_id=1, due=day(0)) for c in cards}
    ratings = {0: Rating.Good, 1: Rating.Easy, 2: Rating.Again, 3: Rating.Good}
    reviewed_on: dict[int, int] = {}
    for today in range(7):
        now = day(today, 19)
        session = store.session(cards, now=now)
        if today == 0:
            assert [c.key for c in session] == [c.key for c in cards]  # all new, in reading order
        for card in session:
            index = cards.index(card)
            # a lapse on day 0 becomes Good later
            rating = ratings[index] if reviewed_on.get(index) is None else Rating.Good
            outcome = store.review(card, int(rating), now=now)
            expected[card.key], _ = reference.review_card(expected[card.key], rating, review_datetime=now)
            assert outcome.due == expected[card.key].due
            assert store.due(card.key) == expected[card.key].due
            reviewed_on[index] = today
        # a card reviewed minutes ago in learning comes back within the session the same day
        progress = store.progress(reading_list, cards, now=now)
        assert progress.new == 0
        assert progress.due_today == sum(expected[c.key].due < day(today + 1, 0) for c in cards)
        assert progress.due_week == sum(expected[c.key].due < day(today + 7, 0) for c in cards)
        assert progress.due_now == sum(expected[c.key].due <= now for c in cards)

    # Easy on a new card goes straight to review, days away; Again keeps it in learning
    assert store.review_count() >= 4
    easy = cards[1]
    assert expected[easy.key].state == State.Review
    retention = store.retention()
    assert retention.reviews > 0 and retention.rate is not None and 0 <= retention.rate <= 1


def test_retention_counts_only_reviews_of_learnt_cards(study_corpus: Path, store: StudyStore) -> None:
    card = study_cards(load_corpus(study_corpus))[0]
    store.review(card, Rating.Easy, now=day(0))  # new → review: not a recall test yet
    assert store.retention().reviews == 0
    due = store.due(card.key)
    store.review(card, Rating.Again, now=due)
    due = store.due(card.key)
    store.review(card, Rating.Good, now=due)  # relearning step: not counted
    store.review(card, Rating.Good, now=store.due(card.key) + dt.timedelta(days=1))
    retention = store.retention()
    assert (retention.reviews, retention.recalled) == (2, 1)
    assert retention.rate == 0.5


def test_card_keys_survive_answer_edits_but_not_question_edits(study_corpus: Path) -> None:
    cards = {c.question: c for c in study_cards(load_corpus(study_corpus))}
    card = cards["How much blood does the fixture patch draw?"]
    assert card.key == card_key("fixture-blood-patch", "How much blood does the fixture  patch draw?")
    assert card.key != card_key("fixture-blood-patch", "How much blood does the fixture patch draw")
    assert card.key != card_key("fixture-rest", card.question)


def test_a_card_opens_its_entry_at_the_section_that_states_the_answer(study_corpus: Path) -> None:
    cards = {c.question: c for c in study_cards(load_corpus(study_corpus))}
    assert cards["How much blood does the fixture patch draw?"].anchor == "steps"
    assert cards["How common is the fixture headache after a large-bore puncture?"].anchor == "at-a-glance"
    assert cards["How good is the evidence for fixture rest?"].section == "How it works and evidence"
    assert cards["How good is the evidence for fixture rest?"].reference_keys == ("beta2019",)


def test_review_history_survives_reopening_and_round_trips_through_export(study_corpus: Path, tmp_path: Path) -> None:
    cards = study_cards(load_corpus(study_corpus))
    path = tmp_path / "a.sqlite"
    first = sqlite3.connect(path)
    store = StudyStore(first)
    store.mark_read("fixture-rest", now=day(0))
    store.review(cards[0], Rating.Good, now=day(0))
    store.review(cards[1], Rating.Hard, now=day(0))
    first.close()  # as after a crash: every change was its own committed transaction

    again = sqlite3.connect(path)
    exported = export_study(again)
    assert StudyStore(again).is_read("fixture-rest") and len(exported["reviews"]) == 2
    again.close()

    target = sqlite3.connect(tmp_path / "b.sqlite")
    assert import_study(target, exported) == (1, 2)
    assert import_study(target, exported) == (0, 0)  # a second import adds nothing
    restored = StudyStore(target)
    assert restored.due(cards[0].key) == StudyStore(sqlite3.connect(path)).due(cards[0].key)
    assert restored.read_ids() == {"fixture-rest"}
    target.close()


def test_a_damaged_export_is_refused_and_changes_nothing(tmp_path: Path) -> None:
    connection = sqlite3.connect(tmp_path / "c.sqlite")
    StudyStore(connection).mark_read("kept", now=day(0))
    for bad in ({"format": "something-else"}, {"format": "vademecum-study", "reviews": [{"card_key": "x"}]}, []):
        with pytest.raises(ValueError):
            import_study(connection, bad)  # type: ignore[arg-type]
    assert export_study(connection)["read"][0]["entry_id"] == "kept"
    assert export_study(connection)["reviews"] == []
    connection.close()


def test_a_naive_clock_is_refused(study_corpus: Path, store: StudyStore) -> None:
    card = study_cards(load_corpus(study_corpus))[0]
    with pytest.raises(ValueError, match="timezone"):
        store.review(card, 3, now=dt.datetime(2026, 11, 30, 8, 0))


REVIEWER = """
import datetime as dt, sys
from pathlib import Path
from index.study import StudyCard, StudyStore
from index.userdata import UserData
store = StudyStore.on(UserData(Path(sys.argv[1])))
now = dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC)
i = 0
while True:
    card = StudyCard(f"e#{i}", "e", "E", "Q?", "A [@k].", ("k",), "", "")
    store.review(card, 3, now=now)
    store.mark_read(f"entry-{i}", now=now)
    print(i, flush=True)  # printed only after both commits returned
    i += 1
"""


def test_sigkill_mid_review_loses_no_committed_review(tmp_path: Path) -> None:
    """Reviews and read marks live on the user-data connection (WAL, synchronous=full)."""
    import os
    import signal
    import subprocess
    import sys
    import time

    from index.userdata import UserData

    path = tmp_path / "user.sqlite"
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.Popen([sys.executable, "-c", REVIEWER, str(path)], cwd=root, stdout=subprocess.PIPE, text=True)
    committed, deadline = -1, time.monotonic() + 30
    assert proc.stdout is not None
    while committed < 100 and time.monotonic() < deadline:
        committed = int(proc.stdout.readline())
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert committed >= 100
    data = UserData(path)
    store = StudyStore.on(data)
    assert data.integrity_ok()
    exported = export_study(store.connection)
    assert {f"e#{i}" for i in range(committed + 1)} <= {r["card_key"] for r in exported["reviews"]}
    assert {f"entry-{i}" for i in range(committed + 1)} <= store.read_ids()
    data.close()


def test_autocommit_connection_and_a_read_only_file(tmp_path: Path) -> None:
    """The user-data file's connection autocommits (isolation_level None): each change is still one
    transaction. A file that cannot be written never crashes study mode; it says so and goes on."""
    path = tmp_path / "user.sqlite"
    connection = sqlite3.connect(path, isolation_level=None)
    store = StudyStore(connection)
    card = card_for("fixture-rest")
    store.review(card, Rating.Good, now=day(0))
    assert not connection.in_transaction and store.review_count() == 1 and store.due(card.key) is not None
    connection.close()

    sqlite3.connect(tmp_path / "plain.sqlite").execute("create table other (x)").connection.close()
    read_only = sqlite3.connect(f"file:{tmp_path / 'plain.sqlite'}?mode=ro", uri=True)
    store = StudyStore(read_only)
    assert "cannot be saved" in store.problem
    store.mark_read("fixture-rest", now=day(0))  # kept for this session only
    assert store.is_read("fixture-rest")
    read_only.close()


def card_for(entry_id: str):
    from index.study import StudyCard

    return StudyCard(f"{entry_id}#q", entry_id, "Title", "Q?", "A [@k].", ("k",), "", "")


def test_a_read_only_user_file_is_reported_by_study_mode() -> None:
    """UserData serves a locked or read-only file from a copy and says so; study mode says it too."""
    from types import SimpleNamespace

    userdata = SimpleNamespace(
        conn=sqlite3.connect(":memory:"), read_only=True, read_only_reason="it is locked by another program"
    )
    store = StudyStore.on(userdata)
    assert store.problem == "study progress cannot be saved (it is locked by another program)"
    store.mark_read("fixture-rest", now=day(0))  # no crash; kept for the session
    assert store.is_read("fixture-rest")
    assert StudyStore.on(SimpleNamespace(conn=sqlite3.connect(":memory:"), read_only=False)).problem == ""


def test_the_user_data_export_carries_study_progress_and_imports_it_all_or_nothing(
    study_corpus: Path, tmp_path: Path
) -> None:
    """File → Export / Import of bookmarks and notes takes the read marks and review history along."""
    from index.userdata import ImportRefusedError, UserData

    cards = study_cards(load_corpus(study_corpus))
    source = UserData(tmp_path / "a.sqlite")
    source.toggle_bookmark("fixture-rest", "Fixture rest")
    store = StudyStore.on(source)
    store.mark_read("fixture-rest", now=day(0))
    store.review(cards[0], Rating.Good, now=day(0))
    exported = source.export_json()
    source.close()

    target = UserData(tmp_path / "b.sqlite")
    assert target.import_json(exported) == (1, 0)
    restored = StudyStore.on(target)
    assert restored.read_ids() == {"fixture-rest"} and len(export_study(restored.connection)["reviews"]) == 1

    damaged = exported.replace('"rating": 3', '"rating": "three"')
    fresh = UserData(tmp_path / "c.sqlite")
    with pytest.raises(ImportRefusedError, match="study progress"):
        fresh.import_json(damaged)
    assert fresh.bookmarks() == []  # nothing of a refused file is kept
    target.close()
    fresh.close()
