"""Light, dark and high-contrast themes: one palette for the widgets and CSS for the content."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

THEME_COLOURS = {
    "light": {
        "window": "#f4f6f8",
        "base": "#ffffff",
        "text": "#1c2530",
        "muted": "#5b6b7c",
        "link": "#0b5cad",
        "heading": "#0f4c81",
        "highlight": "#2b6cb0",
        "highlight_text": "#ffffff",
        "mark": "#ffe680",
        "mark_text": "#1c2530",
        "glance": "#fff5e6",
        "glance_border": "#f0c27a",
        "flags": "#fdecea",
        "flags_border": "#e5a39b",
        "local": "#eef6ee",
        "local_border": "#5a9a5a",
        "personal": "#f3eefa",
        "personal_border": "#8a6bb8",
    },
    "dark": {
        "window": "#1e2228",
        "base": "#14171b",
        "text": "#e3e8ee",
        "muted": "#9aa8b6",
        "link": "#7fb8ff",
        "heading": "#9cc8ff",
        "highlight": "#3d6fa8",
        "highlight_text": "#ffffff",
        "mark": "#6b5a00",
        "mark_text": "#ffffff",
        "glance": "#3a2f1c",
        "glance_border": "#8a6a2a",
        "flags": "#3d2020",
        "flags_border": "#9a4a42",
        "local": "#1d3320",
        "local_border": "#5a9a5a",
        "personal": "#2a2238",
        "personal_border": "#9b7fd0",
    },
    "high-contrast": {
        "window": "#000000",
        "base": "#000000",
        "text": "#ffffff",
        "muted": "#ffffff",
        "link": "#ffff00",
        "heading": "#00ffff",
        "highlight": "#ffff00",
        "highlight_text": "#000000",
        "mark": "#ffff00",
        "mark_text": "#000000",
        "glance": "#000000",
        "glance_border": "#ffffff",
        "flags": "#000000",
        "flags_border": "#ff4040",
        "local": "#000000",
        "local_border": "#00ff00",
        "personal": "#000000",
        "personal_border": "#ff00ff",
    },
}


def colours(theme: str) -> dict[str, str]:
    return THEME_COLOURS.get(theme, THEME_COLOURS["light"])


def palette(theme: str) -> QPalette:
    c = colours(theme)
    p = QPalette()
    role = QPalette.ColorRole
    for r, key in (
        (role.Window, "window"),
        (role.Base, "base"),
        (role.AlternateBase, "window"),
        (role.Text, "text"),
        (role.WindowText, "text"),
        (role.ButtonText, "text"),
        (role.Button, "window"),
        (role.ToolTipBase, "base"),
        (role.ToolTipText, "text"),
        (role.PlaceholderText, "muted"),
        (role.Link, "link"),
        (role.Highlight, "highlight"),
        (role.HighlightedText, "highlight_text"),
    ):
        p.setColor(r, QColor(c[key]))
    return p


def content_css(theme: str, font_size: int) -> str:
    """Overrides appended to resources/styles/entry.css so the content follows the theme."""
    c = colours(theme)
    return (
        f"body {{ color: {c['text']}; background-color: {c['base']}; font-size: {font_size}pt; }}"
        f"h1 {{ color: {c['heading']}; }} h2 {{ color: {c['heading']}; }}"
        f"a {{ color: {c['link']}; }} .meta {{ color: {c['muted']}; }} sup a {{ color: {c['muted']}; }}"
        f".refs li {{ color: {c['text']}; }}"
    )
