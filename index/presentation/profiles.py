"""How well a complication's profile fits a presentation: the one scoring search and the symptom
finder share.

The fit is the share of the typed symptoms the profile explains, each weighted by how specific it
is (IDF over all profiles: "fever" says more than "nausea"), scaled by how central they are to the
profile: its leading symptoms count most, measured against its few defining symptoms rather than its
whole list, so a long profile still wins on its own lead symptom; a kindred symptom (tingling for
numbness) counts in part. An onset outside the usual window lowers the fit but never removes the
profile; a link to the named procedure raises it, the more so when that is its only procedure; an
emergency whose red-flag symptom matched is lifted.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from index.store import Store

LEAD_DECAY = 0.85
"""Weight of a profile's n-th listed symptom relative to the one before: profiles list the
defining symptoms first."""
DEFINING = 3
"""How many of a profile's leading symptoms define it: the centrality of what matched is measured
against these (or against as many leading symptoms as matched), not against the whole list, so a
profile that also lists many associated symptoms is not outranked by a short one for its own
defining symptom."""
CENTRALITY = 0.4
OUT_OF_WINDOW = 0.6
CONTEXT = 1.5
SPECIFIC_CONTEXT = 1.1
"""A complication that follows only the procedure named is a little likelier than one that follows
many: all of its risk comes from that procedure (a hematoma after a blood patch, for a blood patch)."""
RED_FLAG = 1.3
RED_FLAG_LEADING = 2
"""A red flag that also leads a benign profile lifts an emergency alone only among its first this-many
symptoms."""
KINDRED = {"paresthesia": ("numbness",), "numbness": ("paresthesia",)}
"""Symptoms of one kind that people and pages name either way: tingling and numbness are both a
sensory disturbance, so a profile that lists one partly explains the other (tingling legs with
retention still points to a cauda equina lesion whose page says numbness)."""
KINDRED_SHARE = 0.5
ONSET_SPECIFICITY = 0.2
"""How much a narrow window outweighs a wide one for an event within minutes of the procedure:
onset times span minutes to weeks, so a window's width is taken in log-time, and a complication whose
usual window is the first 3 hours is likelier at 10 minutes than one spread over 2 days."""
IMMEDIATE_HOURS = 1.0
"""Up to this time since the procedure, the narrowness of a window counts (later, how common a
complication is matters more than where its window starts)."""
MIN_SPREAD = math.log(4.0)
"""Windows narrower than the first 3 hours count as 3 hours: "just after" is not timed to the minute."""
LATE_TOLERANCE = 4.0
"""A time this many times past the window's end gets the whole out-of-window cut; one just past it
less, because a symptom that began inside the window can still be there when it is typed."""
PRIOR_PER_PROCEDURE = 0.02
"""A complication that follows more procedures is a little likelier when nothing else decides."""


@dataclass(frozen=True)
class Profile:
    id: str
    title: str
    urgency: str
    onset: tuple[float, float | None] | None  # hours; no upper bound = open-ended
    symptoms: tuple[str, ...]
    procedures: frozenset[str]  # the procedures it is a complication of

    def in_window(self, hours: float | None) -> bool:
        if hours is None or self.onset is None:
            return True
        start, end = self.onset
        return start <= hours and (end is None or hours <= end)


@dataclass(frozen=True)
class ProfileFit:
    score: float
    matched: tuple[str, ...]  # the profile's symptoms that were typed or chosen
    in_window: bool
    red_flag: bool
    context: bool


class ProfileScorer:
    def __init__(self, profiles: Iterable[Profile], red_flags: Iterable[str] = ()) -> None:
        self.profiles = {p.id: p for p in profiles}
        self.red_flags = frozenset(red_flags)
        counts = Counter(s for p in self.profiles.values() for s in set(p.symptoms))
        total = max(1, len(self.profiles))
        self.idf = {s: math.log(1.0 + total / n) for s, n in counts.items()}
        self.spread = {p.id: _log_width(p.onset) for p in self.profiles.values()}
        widths = sorted(w for w in self.spread.values() if w is not None)
        self.typical_spread = widths[len(widths) // 2] if widths else 1.0
        self.benign_leads = frozenset(
            p.symptoms[0] for p in self.profiles.values() if p.symptoms and p.urgency != "emergency"
        )

    def fit(
        self,
        profile: Profile,
        slots: Iterable[Iterable[str]],
        *,
        hours: float | None = None,
        procedures: Iterable[str] = (),
    ) -> ProfileFit | None:
        """None when the profile shares no symptom with the slots (each slot: any of its ids)."""
        listed = {s: i for i, s in enumerate(profile.symptoms)}
        lead = {s: self.idf.get(s, 0.0) * LEAD_DECAY**i for s, i in listed.items()}
        wanted = 0.0
        explained = 0.0
        matched: list[str] = []
        central: dict[str, float] = {}  # each matched slot's most central symptom: a slot counts once
        for slot in slots:
            ids = [s for s in slot if s in self.idf]
            if not ids:
                continue
            weight = max(self.idf[s] for s in ids)
            wanted += weight
            hit = [s for s in ids if s in listed]
            if hit:
                explained += weight
                matched.extend(s for s in hit if s not in matched)
                best = max(hit, key=lead.__getitem__)
                central[best] = lead[best]
            else:  # a profile listing a kindred symptom partly explains it
                near = [r for s in ids for r in KINDRED.get(s, ()) if r in listed]
                if near:
                    explained += weight * KINDRED_SHARE
                    best = max(near, key=lead.__getitem__)
                    central.setdefault(best, lead[best] * KINDRED_SHARE)
        if not matched:
            return None
        defining = sorted(lead.values(), reverse=True)[: max(DEFINING, len(central))]
        centrality = sum(central.values()) / (sum(defining) or 1.0)
        score = explained / wanted * (1.0 - CENTRALITY + CENTRALITY * centrality)
        in_window = profile.in_window(hours)
        context = bool(profile.procedures & set(procedures))
        # A red flag that leads a benign profile too (urinary retention) lifts an emergency alone only
        # where it is one of the emergency's own leading signs; otherwise it needs another of its
        # symptoms: retention alone is the benign retention, not a hematoma.
        flags = self.red_flags.intersection(matched)
        alone = any(s not in self.benign_leads or listed[s] < RED_FLAG_LEADING for s in flags)
        red_flag = profile.urgency == "emergency" and bool(flags) and (alone or len(matched) > 1)
        if not in_window:
            score *= OUT_OF_WINDOW ** _lateness(profile.onset, hours)
        elif hours is not None and hours <= IMMEDIATE_HOURS and self.spread.get(profile.id) is not None:
            score *= (self.typical_spread / self.spread[profile.id]) ** ONSET_SPECIFICITY
        if context:
            score *= CONTEXT
            if profile.procedures <= set(procedures):  # it follows nothing but what was named
                score *= SPECIFIC_CONTEXT
        if red_flag:
            score *= RED_FLAG
        score *= 1.0 + PRIOR_PER_PROCEDURE * len(profile.procedures)
        return ProfileFit(score, tuple(s for s in profile.symptoms if s in matched), in_window, red_flag, context)

    def rank(
        self, slots: Iterable[Iterable[str]], *, hours: float | None = None, procedures: Iterable[str] = ()
    ) -> list[tuple[Profile, ProfileFit]]:
        """Every profile that shares a symptom, best fit first (title breaks ties)."""
        slots = [tuple(s) for s in slots]
        procedures = tuple(procedures)
        fits = []
        for profile in self.profiles.values():
            fit = self.fit(profile, slots, hours=hours, procedures=procedures)
            if fit is not None:
                fits.append((profile, fit))
        return sorted(fits, key=lambda pf: (-pf[1].score, pf[0].title))


def _lateness(onset: tuple[float, float | None] | None, hours: float | None) -> float:
    """How far outside its window a time is, 0..1: before the start is always wholly outside (a
    symptom is not seen before it begins); past the end, by how many times past it (log-time)."""
    if onset is None or hours is None or onset[1] is None or hours < onset[0]:
        return 1.0
    past = math.log((hours + 1.0) / (onset[1] + 1.0)) / math.log(LATE_TOLERANCE)
    return min(1.0, max(0.0, past))


def _log_width(onset: tuple[float, float | None] | None) -> float | None:
    """The width of an onset window in log-hours; None when it says nothing of when (no window, or
    no upper bound)."""
    if onset is None or onset[1] is None or math.isinf(onset[1]):
        return None
    start, end = onset
    return max(MIN_SPREAD, math.log((end + 1.0) / (start + 1.0)))


def load_profiles(store: Store) -> list[Profile]:
    """Complication profiles from the store: symptoms, onset window, urgency and procedures."""
    procedures: dict[str, set[str]] = {}
    for row in store.db.query("select source, target from links where type = 'complication-of'"):
        procedures.setdefault(row["source"], set()).add(row["target"])
    profiles = []
    for row in store.db.query(
        "select id, title, urgency, onset_from, onset_to, symptoms from entries where kind = 'complication'"
    ):
        onset = None
        if row["onset_from"] is not None or row["onset_to"] is not None:
            onset = (float(row["onset_from"] or 0.0), None if row["onset_to"] is None else float(row["onset_to"]))
        profiles.append(
            Profile(
                id=row["id"],
                title=row["title"],
                urgency=row["urgency"] or "routine",
                onset=onset,
                symptoms=tuple(json.loads(row["symptoms"] or "[]")),
                procedures=frozenset(procedures.get(row["id"], ())),
            )
        )
    return profiles
