"""Markdown to safe HTML (for QTextBrowser) and to plain text (for the index).

markdown-it-py rather than Qt's Markdown support: it runs without Qt (index/ must not import it),
gives the token stream we need for citations and entry links, and with raw HTML disabled it
escapes any markup an author or a local pack puts in a file. Images are disabled and only
`entry:` and in-page links survive rendering, so a rendered page can never fetch anything.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from index.content import CITATION, CITATION_KEY

SAFE_SCHEMES = ("entry:", "#")


def _citation_rule(state) -> None:
    numbers: dict[str, int] = state.env.get("citations", {})
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children: list[Token] = []
        for token in block.children:
            if token.type != "text" or "[@" not in token.content:
                children.append(token)
                continue
            pos = 0
            for match in CITATION.finditer(token.content):
                if match.start() > pos:
                    children.append(_text(token.content[pos : match.start()]))
                keys = [k.rstrip(".,;:") for k in CITATION_KEY.findall(match.group(1))]
                children.append(_citation(keys, numbers))
                pos = match.end()
            if pos < len(token.content):
                children.append(_text(token.content[pos:]))
        block.children = children


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def _citation(keys: list[str], numbers: dict[str, int]) -> Token:
    links = []
    for key in keys:
        number = numbers.get(key)
        label = str(number) if number else html.escape(key)
        links.append(f'<a href="#ref-{html.escape(key)}" title="{html.escape(key)}">{label}</a>')
    token = Token("html_inline", "", 0)
    token.content = f"<sup>[{', '.join(links)}]</sup>"
    return token


def _render_link_open(self, tokens, idx, options, env) -> str:
    href = tokens[idx].attrGet("href") or ""
    if href.startswith(SAFE_SCHEMES):
        return f'<a href="{html.escape(href, quote=True)}">'
    tokens[idx].meta["dropped"] = True
    return "<span>"


def _render_link_close(self, tokens, idx, options, env) -> str:
    # The matching opener is the nearest earlier link_open at the same nesting.
    depth = 0
    for token in reversed(tokens[:idx]):
        if token.type == "link_close":
            depth += 1
        elif token.type == "link_open":
            if depth == 0:
                return "</span>" if token.meta.get("dropped") else "</a>"
            depth -= 1
    return "</a>"


@lru_cache(maxsize=1)
def markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")
    md.disable("image")
    md.core.ruler.after("inline", "citations", _citation_rule)
    md.add_render_rule("link_open", _render_link_open)
    md.add_render_rule("link_close", _render_link_close)
    return md


def render(markdown_text: str, citations: dict[str, int] | None = None) -> str:
    """HTML for one section; citations maps reference keys to their number in the entry."""
    return markdown().render(markdown_text, {"citations": citations or {}})


@lru_cache(maxsize=8192)
def plain_text(markdown_text: str) -> str:
    """What a reader sees, without markup or citation keys: the text the index sees."""
    return _text_of(markdown().parse(markdown_text, {"citations": {}}))


def render_and_text(markdown_text: str, citations: dict[str, int] | None = None) -> tuple[str, str]:
    """render() and plain_text() from one parse: a build needs both for every section.

    Citations only change the markup of the citation tokens, which the plain text leaves out."""
    md = markdown()
    env = {"citations": citations or {}}
    tokens = md.parse(markdown_text, env)
    text = _text_of(tokens)
    return md.renderer.render(tokens, md.options, env), text


def _text_of(tokens: list[Token]) -> str:
    words: list[str] = []
    for token in tokens:
        if token.type == "inline" and token.children:
            for child in token.children:
                if child.type in ("text", "code_inline"):
                    words.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    words.append(" ")
            words.append("\n")
        elif token.type in ("code_block", "fence"):
            words.append(token.content)
    text = "".join(words)
    text = re.sub(r"[ \t]+", " ", text)
    text = re.sub(r" +([.,;:)])", r"\1", text)  # where a citation was removed
    return re.sub(r"\s*\n\s*", "\n", text).strip()
