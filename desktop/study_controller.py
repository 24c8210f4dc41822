"""The Study tab's controller: every study call runs on the library controller's worker thread
(where the user-data connection lives) and answers the pane with plain snapshots."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

# The study scheduler (fsrs) is imported when study mode is first used, not at every start.
if TYPE_CHECKING:
    from index.library import ListProgress, StudyCard, StudyMaterial, StudyStore


@dataclass(frozen=True)
class StudySnapshot:
    """Everything the tab shows about the lists, computed on the worker."""

    progress: tuple[ListProgress, ...]
    read: frozenset[str]
    titles: dict[str, str]
    items: dict[str, tuple[tuple[str, str], ...]]  # list id -> (entry id, reason)
    retention: float | None
    reviews: int
    due_today: int = 0
    due_week: int = 0
    version: str = ""
    cards: dict[str, int] = field(default_factory=dict)
    problem: str = ""  # progress cannot be saved (read-only or damaged user file)


class StudyController(QObject):
    """Study calls on the worker thread that owns the user-data connection; answers on the GUI thread."""

    snapshot_ready = Signal(object)  # StudySnapshot
    session_ready = Signal(list)  # StudyCard list
    notice = Signal(str, int)

    def __init__(self, library_controller, clock=None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.libraries = library_controller
        self.runner = library_controller.runner
        self.clock = clock or (lambda: dt.datetime.now().astimezone())
        self.material: StudyMaterial | None = None
        self._opened_store: StudyStore | None = None

    def _store(self) -> StudyStore | None:
        """On the worker: a store on the user-data connection, once that is open."""
        userdata = self.libraries.userdata
        if userdata is not None and self._opened_store is None:
            from index.library import StudyStore

            self._opened_store = StudyStore.on(userdata)
        return self._opened_store

    def _ready(self) -> tuple[StudyMaterial, StudyStore] | None:
        """On the worker: the lists and cards (loaded on first use, about a second) and the store."""
        store = self._store()
        if store is None:
            return None
        if self.material is None:
            from index.library import load_study_material

            self.material = load_study_material(self.libraries.sources.content)
        return self.material, store

    def _snapshot(self) -> StudySnapshot | None:
        ready = self._ready()
        if ready is None:
            return None
        material, store = ready
        now = self.clock()
        progress = tuple(store.progress(r, list(material.cards[r.id]), now=now) for r in material.lists)
        every = {card.key: card for cards in material.cards.values() for card in cards}
        _new, _now, due_today, due_week = store.due_counts(list(every.values()), now=now)
        retention = store.retention()
        return StudySnapshot(
            progress=progress,
            read=frozenset(store.read_ids()),
            titles=material.titles,
            items={r.id: tuple((i.entry_id, i.reason) for i in r.items) for r in material.lists},
            retention=retention.rate,
            reviews=retention.reviews,
            due_today=due_today,
            due_week=due_week,
            version=material.version,
            cards={r.id: len(material.cards[r.id]) for r in material.lists},
            problem=store.problem,
        )

    def refresh(self) -> None:
        self.runner.run(self._snapshot, self._emit_snapshot)

    def _emit_snapshot(self, snapshot: StudySnapshot | None) -> None:
        if snapshot is not None:
            self.snapshot_ready.emit(snapshot)

    def mark(self, entry_id: str, read: bool, how: str = "manual") -> None:
        def work() -> StudySnapshot | None:
            store = self._store()
            if store is None:
                return None
            if read:
                store.mark_read(entry_id, now=self.clock(), how=how)
            else:
                store.mark_unread(entry_id)
            return self._snapshot() if self.material is not None else None  # the tab loads it when shown

        self.runner.run(work, self._emit_snapshot)

    def start_review(self, list_id: str) -> None:
        def work() -> list[StudyCard]:
            ready = self._ready()
            if ready is None:
                return []
            material, store = ready
            return store.session(list(material.cards.get(list_id, ())), now=self.clock())

        self.runner.run(work, self.session_ready.emit)

    def rate(self, card: StudyCard, rating: int) -> None:
        def work() -> None:
            ready = self._ready()
            if ready is not None:
                ready[1].review(card, rating, now=self.clock())

        self.runner.run(work)

    def export_anki(self, path, list_id: str | None, done, on_error) -> None:
        from index.library import export_anki

        def work() -> int:
            ready = self._ready()
            if ready is None:
                raise RuntimeError("the library is not open yet")
            return export_anki(ready[0], path, list_id=list_id)

        self.runner.run(work, done, on_error)
