"""HTML for one entry page, in the subset of HTML/CSS that QTextBrowser renders."""

from __future__ import annotations

import html
import math
from functools import lru_cache

from desktop.themes import colours, content_css
from index.library import EntryPage, entry_stylesheet, is_personal_label
from index.model import KIND_LABELS, LINK_LABELS


@lru_cache(maxsize=1)
def stylesheet() -> str:
    return entry_stylesheet()


def _onset(hours: tuple[float, float]) -> str:
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


def entry_html(page: EntryPage, *, theme: str = "light", font_size: int = 11, note: str = "") -> str:
    """The whole page: header, sections (callouts for At a glance / Red flags), links, references."""
    e = html.escape
    c = colours(theme)
    callouts = {
        "at a glance": (c["glance"], c["glance_border"]),
        "red flags": (c["flags"], c["flags_border"]),
    }
    parts = [
        f'<h1>{e(page.title)}</h1><p class="meta"><span class="badge badge-{e(page.kind)}">'
        f"&nbsp;{e(KIND_LABELS.get(page.kind, page.kind))}&nbsp;</span>"
    ]
    if page.urgency:
        parts.append(f' &nbsp; <span class="urgency-{e(page.urgency)}">{e(page.urgency.capitalize())}</span>')
    if page.onset_hours:
        parts.append(f" &nbsp; Onset {e(_onset(page.onset_hours))}")
    parts.append("</p>")
    if page.aliases:
        parts.append(f'<p class="meta">Also: {e(", ".join(page.aliases))}</p>')
    if page.label:
        whose = (
            "added on this computer, not verified" if is_personal_label(page.label) else "a protocol of your department"
        )
        parts.append(_local_box(f"<b>{e(page.label)}</b> — {whose}, not curated content.", c, page.label))
    parts.append(f'<a name="summary"></a><div class="summary">{page.summary_html}</div>')
    for section in page.sections:
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


def welcome_html() -> str:
    """What the reader shows before any entry is open."""
    return (
        "<h2 style='color:#0f4c81'>Vademecum</h2><p>Offline reference for neuraxial anesthesia, "
        "post-dural puncture headache and the epidural blood patch pathway.</p>"
        "<p>Type in the search field: abbreviations (PDPH, EBP, LAST), UK or US spelling, "
        "or a symptom. <b>Ctrl+L</b> returns to the search field, <b>Esc</b> clears it, "
        "<b>↑/↓</b> move through results and <b>Enter</b> opens one. <b>F1</b> lists every shortcut.</p>"
        "<p>Use the <b>Symptom finder</b> when you start from what the patient has, and <b>Pathways</b> "
        "for the order of management.</p>"
        "<p style='color:#5b6b7c'>A reference, not a substitute for clinical judgement or local policy.</p>"
    )
