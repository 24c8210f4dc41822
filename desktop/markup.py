"""Text from the content or a pack, shown where Qt would read markup (tooltips, rich labels).

Qt renders a tooltip as HTML whenever it looks like HTML: a title holding `<img src=…>` would
load a local image, and a 100×100 `<table>` would stall the window for seconds per tooltip. The
core refuses markup in titles and headings; the window escapes them anyway.
"""

from __future__ import annotations

from html import escape

MAX_TOOLTIP_CHARS = 300


def plain_tooltip(text: str) -> str:
    """A tooltip that shows text literally (escaped inside a paragraph, so Qt never guesses), capped."""
    if len(text) > MAX_TOOLTIP_CHARS:
        text = text[: MAX_TOOLTIP_CHARS - 1] + "…"
    return f"<p>{escape(text, quote=False)}</p>"
