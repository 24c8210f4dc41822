"""The structure of an entry body, read from markdown-it-py tokens and their line maps.

The loader and the validator need the same things an author sees: level-2 sections, blocks of
text (paragraphs, list items, table rows), links and raw HTML, each with its file line. Line
regexes get these wrong at the edges (a `## ` or `1.` inside a fenced block, a tag inside a code
span, an autolink or a reference-style link); the token stream does not. The structure is parsed
as the renderer parses it (raw HTML off) but with every link destination accepted, so that the
validator sees the links the renderer would drop; raw HTML is found in a second parse with it on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token


@dataclass(frozen=True)
class SectionSpan:
    """A level-2 section: its heading and the file lines of its heading and of its last line."""

    heading: str
    line: int
    markdown: str


@dataclass(slots=True)
class Block:
    """The smallest unit a rule looks at: a paragraph, a list item (its own text, without nested
    lists) or a table row. `parent` is the list item a nested item belongs to."""

    kind: str  # "paragraph" | "item" | "row" | "header" (a table's header row: labels, not doses)
    line: int
    section: str | None
    text: str = ""
    ordered: bool = False
    depth: int = 0  # list nesting: 1 for a top-level item
    parent: Block | None = None

    def add(self, text: str) -> None:
        self.text = f"{self.text} {text}".strip()

    def within(self, item: Block) -> bool:
        """This block is item, or is nested (at any depth) inside it."""
        block: Block | None = self
        while block is not None:
            if block is item:
                return True
            block = block.parent
        return False


@dataclass(frozen=True)
class LinkRef:
    href: str
    line: int


@dataclass
class Structure:
    sections: list[SectionSpan] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    links: list[LinkRef] = field(default_factory=list)
    html_lines: list[int] = field(default_factory=list)

    def section_blocks(self, heading: str) -> list[Block]:
        return [b for b in self.blocks if b.section is not None and b.section.lower() == heading.lower()]


@lru_cache(maxsize=2)
def _parser(html: bool) -> MarkdownIt:
    """As the renderer parses (raw HTML off), or with raw HTML on to find it."""
    md = MarkdownIt("commonmark", {"html": html, "linkify": False})
    md.enable("table")
    md.validateLink = lambda url: True  # see javascript:, file: and data: links too, to refuse them
    return md


def _inline_children(token: Token, line: int, wanted: str) -> list[tuple[Token, int]]:
    """Children of one inline token of type wanted, with their line: each break moves to the next."""
    found = []
    for child in token.children or []:
        if child.type in ("softbreak", "hardbreak"):
            line += 1
        elif child.type == wanted:
            found.append((child, line))
    return found


RAW_HTML_START = re.compile(r"<[A-Za-z/!?]")
"""Every raw HTML tag, comment or declaration (and autolink) starts so: without one, skip the parse."""


def _html_lines(body: str, body_line: int) -> list[int]:
    if not RAW_HTML_START.search(body):
        return []
    lines = []
    for token in _parser(True).parse(body):
        if token.type == "html_block" and token.map:
            lines.append(body_line + token.map[0])
        elif token.type == "inline" and token.map:
            lines += [line for _, line in _inline_children(token, body_line + token.map[0], "html_inline")]
    return lines


def parse_body(body: str, body_line: int) -> Structure:
    """Sections, blocks, links and raw HTML of a body whose first line is file line body_line.

    Nothing keeps the result: the loader takes the sections and links from it, the validator parses
    each body again and lets it go, so a loaded corpus holds no parsed bodies."""
    tokens = _parser(False).parse(body)
    lines = body.split("\n")
    structure = Structure(html_lines=_html_lines(body, body_line))
    heading_starts: list[tuple[str, int, int]] = []  # heading, first line, first line after it
    section: str | None = None
    in_heading = False
    lists: list[bool] = []  # ordered? for each open list
    items: list[Block] = []
    row: Block | None = None
    for index, token in enumerate(tokens):
        line = body_line + token.map[0] if token.map else None
        if token.type == "heading_open":
            in_heading = True
            if token.tag == "h2" and token.level == 0:
                section = tokens[index + 1].content.strip()
                heading_starts.append((section, token.map[0], token.map[1]))
        elif token.type == "heading_close":
            in_heading = False
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            lists.append(token.type == "ordered_list_open")
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif token.type == "list_item_open":
            item = Block(
                "item",
                line or body_line,
                section,
                ordered=bool(lists and lists[-1]),
                depth=len(lists),
                parent=items[-1] if items else None,
            )
            structure.blocks.append(item)
            items.append(item)
        elif token.type == "list_item_close":
            items.pop()
        elif token.type == "tr_open":
            in_header = tokens[index - 1].type == "thead_open"
            row = Block("header" if in_header else "row", line or body_line, section)
            structure.blocks.append(row)
        elif token.type == "tr_close":
            row = None
        elif token.type == "inline":
            start = line if line is not None else (row.line if row else body_line)
            for link, link_line in _inline_children(token, start, "link_open"):
                structure.links.append(LinkRef(str(link.attrGet("href") or ""), link_line))
            if in_heading:
                continue
            if row is not None:
                row.add(token.content)
            elif items:
                items[-1].add(token.content)
            else:
                structure.blocks.append(Block("paragraph", start, section, token.content))
    for number, (heading, first, after) in enumerate(heading_starts):
        end = heading_starts[number + 1][1] if number + 1 < len(heading_starts) else len(lines)
        markdown = "\n".join(lines[after:end]).strip()
        structure.sections.append(SectionSpan(heading, body_line + first, markdown))
    return structure
