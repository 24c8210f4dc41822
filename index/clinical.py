"""Clinical views over the store: the symptom finder, management pathways and browsing lists.

Plain data in and out, so the desktop only draws what these functions decide.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from index.paths import bundled_resources
from index.store import Store

URGENCY_ORDER = {"emergency": 0, "urgent": 1, "routine": 2}


@dataclass(frozen=True)
class ProfileMatch:
    """A complication whose onset window and presenting symptoms fit what the user chose."""

    id: str
    title: str
    urgency: str
    onset_hours: tuple[float, float]
    matched: tuple[str, ...]
    total_symptoms: int
    in_window: bool
    red_flags: str  # plain text of the entry's Red flags section


def find_profiles(store: Store, symptoms: list[str], hours_since: float | None) -> list[ProfileMatch]:
    """Complications sharing at least one chosen symptom, within their onset window if a time is given.

    Most urgent first; then the better fit (more of the chosen symptoms); then title.
    """
    chosen = set(symptoms)
    if not chosen:
        return []
    rows = store.db.query(
        """select e.id, e.title, e.urgency, e.onset_from, e.onset_to, e.symptoms,
                  (select s.text from sections s where s.entry_id = e.id and lower(s.heading) = 'red flags') as flags
             from entries e where e.kind = 'complication'"""
    )
    matches = []
    for row in rows:
        listed = json.loads(row["symptoms"] or "[]")
        shared = tuple(s for s in listed if s in chosen)
        if not shared:
            continue
        start, end = row["onset_from"] or 0.0, row["onset_to"] or 0.0
        in_window = hours_since is None or start <= hours_since <= end
        if not in_window:
            continue
        matches.append(
            ProfileMatch(
                id=row["id"],
                title=row["title"],
                urgency=row["urgency"] or "routine",
                onset_hours=(start, end),
                matched=shared,
                total_symptoms=len(listed),
                in_window=in_window,
                red_flags=row["flags"] or "",
            )
        )
    return sorted(matches, key=lambda m: (URGENCY_ORDER.get(m.urgency, 3), -len(m.matched), m.title))


@dataclass(frozen=True)
class PathwayStep:
    boxes: tuple[tuple[str, str], ...]  # (entry id, title)
    note: str


@dataclass(frozen=True)
class Pathway:
    id: str
    title: str
    entry: str
    steps: tuple[PathwayStep, ...] = field(default_factory=tuple)


def load_pathways(store: Store, path: Path | None = None) -> list[Pathway]:
    """Pathways from resources/pathways.yaml; boxes whose entry is missing are dropped, not drawn."""
    path = path or bundled_resources() / "pathways.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    titles = store.titles()
    pathways = []
    for item in data:
        steps = []
        for step in item.get("steps", []):
            boxes = tuple((b, titles[b]) for b in step.get("boxes", []) if b in titles)
            if boxes:
                steps.append(PathwayStep(boxes, str(step.get("note", ""))))
        pathways.append(Pathway(str(item["id"]), str(item["title"]), str(item.get("entry", "")), tuple(steps)))
    return pathways


@dataclass(frozen=True)
class BrowseItem:
    id: str
    title: str
    kind: str
    tags: tuple[str, ...]
    urgency: str | None


def browse_items(store: Store) -> list[BrowseItem]:
    return [
        BrowseItem(row["id"], row["title"], row["kind"], tuple(json.loads(row["tags"] or "[]")), row["urgency"])
        for row in store.entries()
    ]
