"""HTML for one entry page, in the subset of HTML/CSS that QTextBrowser renders."""

from __future__ import annotations

import html
import math
from functools import lru_cache

from desktop.themes import colours, content_css
from index.library import EntryPage, entry_stylesheet, is_personal_label
from index.model import IMMEDIATE_ACTIONS, KIND_LABELS, LINK_LABELS


@lru_cache(maxsize=1)
def stylesheet() -> str:
    return entry_stylesheet()


MEASURE_CHARS = 75  # the reading measure: characters per line the page is capped at
ALIASES_CHARS = 90  # aliases beyond one line of this length are collapsed behind "+N more"
ACT_NOW = ("emergency", "urgent")


def onset_text(hours: tuple[float, float]) -> str:
    def fmt(h: float) -> str:
        if h >= 48 and h % 24 == 0:
            return f"{int(h // 24)} days"
        return f"{h:g} h"

    if math.isinf(hours[1]):
        return f"from {fmt(hours[0])} after the procedure, no upper limit"
    return f"{fmt(hours[0])} – {fmt(hours[1])} after the procedure"


def _local_box(inner: str, c: dict[str, str], label: str = "") -> str:
    """Local (department) content is always framed and labelled, never mistaken for curated text;
    a personal pack (no trusted signature) has its own colour, never the department's."""
    kind = "personal" if is_personal_label(label) else "local"
    return (
        f'<table width="100%" cellpadding="8" cellspacing="0" border="1" style="border-color:{c[kind + "_border"]};'
        f' border-style:solid;" bgcolor="{c[kind]}"><tr><td>{inner}</td></tr></table>'
    )


def _references(page: EntryPage) -> str:
    e = html.escape
    items = []
    for ref in page.references:
        ident = []
        if ref.doi:
            ident.append(f"doi:{e(ref.doi)}")
        if ref.pmid:
            ident.append(f"PMID {e(ref.pmid)}")
        if not ident and ref.url:
            ident.append(e(ref.url))
        note = f" <i>{e(ref.note)}</i>" if ref.note else ""
        items.append(f'<li><a name="ref-{e(ref.key)}"></a>{e(ref.citation)} {"; ".join(ident)}{note}</li>')
    return f'<a name="references"></a><h2>References</h2><ol class="refs">{"".join(items)}</ol>'


def reading_order(page: EntryPage) -> list:
    """The sections as shown: in an act-now entry the red flags follow the immediate actions."""
    sections = list(page.sections)
    headings = [s.heading.lower() for s in sections]
    if page.urgency in ACT_NOW and "red flags" in headings and IMMEDIATE_ACTIONS.lower() in headings:
        flags = sections.pop(headings.index("red flags"))
        at = [s.heading.lower() for s in sections].index(IMMEDIATE_ACTIONS.lower())
        sections.insert(at + 1, flags)
    return sections


def _title_block(page: EntryPage) -> str:
    """Title, kind, urgency and onset: in print; on screen the fixed header shows them instead."""
    e = html.escape
    parts = [
        f'<h1>{e(page.title)}</h1><p class="meta"><span class="badge badge-{e(page.kind)}">'
        f"&nbsp;{e(KIND_LABELS.get(page.kind, page.kind))}&nbsp;</span>"
    ]
    if page.urgency:
        parts.append(f' &nbsp; <span class="urgency-{e(page.urgency)}">{e(page.urgency.capitalize())}</span>')
    if page.onset_hours:
        parts.append(f" &nbsp; Onset {e(onset_text(page.onset_hours))}")
    parts.append("</p>")
    return "".join(parts)


def aliases_line(aliases: list[str], *, expanded: bool = False) -> str:
    """ "Also: a, b, c … +4 more" on one line; the link expands it (print shows them all)."""
    e = html.escape
    shown: list[str] = []
    for alias in aliases:
        if not expanded and shown and len(", ".join([*shown, alias])) > ALIASES_CHARS:
            break
        shown.append(alias)
    more = len(aliases) - len(shown)
    tail = f' … <a href="action:aliases">+{more} more</a>' if more else ""
    return f'<p class="meta">Also: {e(", ".join(shown))}{tail}</p>'


def entry_html(
    page: EntryPage,
    *,
    theme: str = "light",
    font_size: int = 11,
    note: str = "",
    screen: bool = False,
    aliases_expanded: bool = False,
) -> str:
    """The whole page: title block (print), aliases, sections (callouts for At a glance / Red flags),
    links, references, the user's note. `screen`: the header widget shows the title block."""
    e = html.escape
    c = colours(theme)
    callouts = {
        "at a glance": (c["glance"], c["glance_border"]),
        "red flags": (c["flags"], c["flags_border"]),
    }
    parts = [] if screen else [_title_block(page)]
    if page.aliases:
        parts.append(aliases_line(page.aliases, expanded=aliases_expanded or not screen))
    if page.label:
        whose = (
            "added on this computer, not verified" if is_personal_label(page.label) else "a protocol of your department"
        )
        parts.append(_local_box(f"<b>{e(page.label)}</b> — {whose}, not curated content.", c, page.label))
    parts.append(f'<a name="summary"></a><div class="summary">{page.summary_html}</div>')
    for section in reading_order(page):
        parts.append(f'<a name="{e(section.anchor)}"></a><h2>{e(section.heading)}</h2>')
        callout = callouts.get(section.heading.lower())
        if section.origin == "local":
            parts.append(_local_box(f'<p class="meta"><b>{e(section.label)}</b></p>{section.html}', c, section.label))
        elif callout:
            background, border = callout
            parts.append(
                f'<table width="100%" cellpadding="8" cellspacing="0" border="1" '
                f'style="border-color:{border}; border-style:solid;" bgcolor="{background}">'
                f"<tr><td>{section.html}</td></tr></table>"
            )
        else:
            parts.append(section.html)
    if page.links:
        parts.append('<a name="related"></a><h2>Related entries</h2><ul>')
        for link in sorted(page.links, key=lambda item: (item.type, item.title)):
            label = LINK_LABELS.get(link.type, (link.type, link.type))[0 if link.direction == "out" else 1]
            parts.append(
                f'<li>{e(label)}: <a href="entry:{e(link.id)}">{e(link.title)}</a> '
                f'<span class="meta">({e(KIND_LABELS.get(link.kind, link.kind))})</span></li>'
            )
        parts.append("</ul>")
    if page.references:
        parts.append(_references(page))
    if note:
        parts.append(f'<a name="my-note"></a><h2>My note</h2><p>{e(note).replace(chr(10), "<br/>")}</p>')
    parts.append(
        f'<p class="meta">{e(page.review_line)} · Content version {e(page.content_version)} · '
        "A reference, not a substitute for clinical judgement or local policy.</p>"
    )
    css = stylesheet() + content_css(theme, font_size)
    return f"<html><head><style>{css}</style></head><body>{''.join(parts)}</body></html>"
