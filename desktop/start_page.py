"""The page the reader shows before any entry: the emergencies and pathways one click away, then
what was read recently and what was bookmarked, and how to search."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from desktop.entry_header import urgency_badge
from desktop.page import stylesheet
from desktop.themes import colours, content_css

EMERGENCIES_SHOWN = 30
"""A library with hundreds of emergencies (a large department pack) lists the first ones here and
says how many more: a page of hundreds of links helps nobody and takes long to lay out."""


@dataclass
class StartLists:
    """What the start page links to; each filled as the library answers."""

    emergencies: list[tuple[str, str, str]] = field(default_factory=list)  # id, title, urgency
    pathways: list[tuple[str, str]] = field(default_factory=list)  # pathway id, title
    recent: list[tuple[str, str]] = field(default_factory=list)  # entry id, title
    bookmarks: list[tuple[str, str]] = field(default_factory=list)


def _links(rows: list[tuple[str, str]], scheme: str = "entry", limit: int = 8) -> str:
    e = html.escape
    items = "".join(f'<li><a href="{scheme}:{e(i)}">{e(title)}</a></li>' for i, title in rows[:limit])
    return f"<ul>{items}</ul>"


def start_html(lists: StartLists, *, theme: str = "light", font_size: int = 11) -> str:
    e = html.escape
    c = colours(theme)
    parts = [
        "<h1>Vademecum</h1><p>Search (<b>Ctrl+L</b>) with words, abbreviations (PDPH, EBP, LAST) or a "
        "symptom; <b>Enter</b> opens the first result; <b>F1</b> lists every shortcut.</p>"
    ]
    if lists.pathways:
        parts.append("<h2>Pathways</h2>" + _links(lists.pathways, "pathway"))
    if lists.emergencies:
        rows = "".join(
            f'<li>{urgency_badge(urgency, small=True)} <a href="entry:{e(i)}">{e(title)}</a></li>'
            for i, title, urgency in lists.emergencies[:EMERGENCIES_SHOWN]
        )
        more = len(lists.emergencies) - EMERGENCIES_SHOWN
        rest = f"<p class='meta'>… and {more} more: Browse shows every one with its badge.</p>" if more > 0 else ""
        parts.append(f"<h2>Act now</h2><ul>{rows}</ul>{rest}")
    if lists.recent:
        parts.append("<h2>Recently read</h2>" + _links(lists.recent))
    if lists.bookmarks:
        parts.append("<h2>Bookmarks</h2>" + _links(lists.bookmarks))
    parts.append(
        "<p class='meta'>Start from the patient's symptoms with the <b>Symptom finder</b> (Ctrl+Shift+Y). "
        "A reference, not a substitute for clinical judgement or local policy.</p>"
    )
    css = stylesheet() + content_css(theme, font_size) + f" li {{ color: {c['text']}; }}"
    return f"<html><head><style>{css}</style></head><body>{''.join(parts)}</body></html>"
