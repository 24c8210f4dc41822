"""Times since a procedure as a person says them ("36 h", "5 days", "6 weeks"), never "24–1008 h"."""

from __future__ import annotations

import math

DAY = 24.0
WEEK = 7 * DAY


def duration(hours: float) -> str:
    """Hours up to three days, then days (or weeks, past a fortnight, when it is whole weeks)."""
    if hours <= 3 * DAY or (hours % (DAY / 2)):
        return f"{hours:g} h"
    if hours > 2 * WEEK and hours % WEEK == 0:
        weeks = hours / WEEK
        return f"{weeks:g} weeks"
    days = hours / DAY
    return f"{days:g} day" if days == 1 else f"{days:g} days"


def is_open_ended(upper: float | None) -> bool:
    return upper is None or math.isinf(upper)


def onset_window(hours: tuple[float, float | None]) -> str:
    """An onset window as text; an open-ended one (no known upper limit) says so."""
    start, end = hours[0] or 0.0, hours[1]
    if is_open_ended(end):
        return f"from {duration(start)}, no upper limit"
    return f"from {duration(start)} to {duration(float(end))}"
