"""Plain text where plain text belongs: titles, aliases and section headings.

These strings are shown in labels, tooltips, tabs and window titles, some of which Qt renders as
rich text when they look like HTML. Content must never rely on that: markup or entities in them are
refused at load time (the views escape them as well), and their length is capped so one title
cannot stall a tooltip.
"""

from __future__ import annotations

import re

from index.model import Entry, Problem, Section

MAX_TITLE_CHARS = 200
MAX_ALIAS_CHARS = 200
MAX_HEADING_CHARS = 200
MAX_ALIASES = 100

TAG = re.compile(r"<\s*/?\s*[A-Za-z!?][^>]*>|<\s*/?\s*[A-Za-z]+\b")
ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029]")


def plain_text_problem(value: str, *, max_chars: int) -> str:
    """Why value is not acceptable plain text, or "" when it is."""
    if len(value) > max_chars:
        return f"longer than {max_chars} characters ({len(value)})"
    if "\n" in value or CONTROL.search(value):
        return "contains a line break or control character"
    if match := TAG.search(value):
        return f"contains HTML markup ({match.group(0)[:40]!r}); write plain text"
    if match := ENTITY.search(value):
        return f"contains an HTML entity ({match.group(0)}); write the character itself"
    return ""


def entry_text_problems(entry: Entry, display: str) -> list[Problem]:
    """Problems with an entry's title, aliases and headings as plain text, with their lines."""
    problems: list[Problem] = []
    if reason := plain_text_problem(entry.title, max_chars=MAX_TITLE_CHARS):
        problems.append(Problem(display, entry.line_of("title"), f"title {reason}"))
    if len(entry.aliases) > MAX_ALIASES:
        problems.append(Problem(display, entry.line_of("aliases"), f"more than {MAX_ALIASES} aliases"))
    for alias in entry.aliases[: MAX_ALIASES + 1]:
        if reason := plain_text_problem(alias, max_chars=MAX_ALIAS_CHARS):
            problems.append(Problem(display, entry.line_of("aliases"), f"alias {alias[:40]!r} {reason}"))
    problems += heading_problems(entry.sections, display)
    return problems


def heading_problems(sections: list[Section], display: str) -> list[Problem]:
    problems: list[Problem] = []
    for section in sections:
        if reason := plain_text_problem(section.heading, max_chars=MAX_HEADING_CHARS):
            problems.append(Problem(display, section.line, f"heading {section.heading[:40]!r} {reason}"))
    return problems
