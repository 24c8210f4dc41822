"""Clinical views over the store: the symptom finder, management pathways and browsing lists.

Plain data in and out, so the desktop only draws what these functions decide.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from index.paths import bundled_resources
from index.presentation import ProfileScorer, load_vocabulary
from index.presentation.profiles import load_profiles
from index.store import Store

URGENCY_ORDER = {"emergency": 0, "urgent": 1, "routine": 2}


@dataclass(frozen=True)
class ProfileMatch:
    """A complication whose presenting symptoms fit what the user chose."""

    id: str
    title: str
    urgency: str
    onset_hours: tuple[float, float | None]  # no upper bound: it can present at any time
    matched: tuple[str, ...]
    total_symptoms: int
    in_window: bool  # False: listed, lower, and shown as outside the usual window
    red_flags: str  # plain text of the entry's Red flags section
    score: float = 0.0  # the profile fit search uses too: likeliest first

    @property
    def outside_window(self) -> bool:
        return not self.in_window


def find_profiles(
    store: Store, symptoms: list[str], hours_since: float | None, scorer: ProfileScorer | None = None
) -> list[ProfileMatch]:
    """Complications sharing at least one chosen symptom, likeliest first.

    The order is the profile fit search uses (index/presentation/profiles.py): the chosen symptoms
    a profile explains, weighted by how specific they are, an emergency lifted when a red-flag
    symptom is among them. A time outside a profile's usual onset window lowers it but never hides
    it: an emergency can present late. An open library passes the scorer its search already built
    (reading the vocabulary again costs ~0.1 s a call).
    """
    chosen = [s for s in dict.fromkeys(symptoms)]
    if not chosen:
        return []
    scorer = scorer or ProfileScorer(load_profiles(store), load_vocabulary().red_flags)
    flags = {
        row["entry_id"]: row["text"]
        for row in store.db.query("select entry_id, text from sections where lower(heading) = 'red flags'")
    }
    matches = []
    for profile, fit in scorer.rank([(s,) for s in chosen], hours=hours_since):
        start, end = profile.onset or (0.0, None)
        matches.append(
            ProfileMatch(
                id=profile.id,
                title=profile.title,
                urgency=profile.urgency,
                onset_hours=(start, end),
                matched=fit.matched,
                total_symptoms=len(profile.symptoms),
                in_window=fit.in_window,
                red_flags=flags.get(profile.id, ""),
                score=fit.score,
            )
        )
    return matches


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
