"""Content and resource files are read through the same guards as packs: a bad file is named with
its line and skipped, the other entries are served, and a YAML bomb costs nothing."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from index.content import load_corpus
from index.library import open_library
from index.paths import app_dirs
from index.validate import validate


def alias_bomb(levels: int = 9) -> str:
    lines = ['l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, levels):
        lines.append(f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def load_within(seconds: float, content: Path):
    """load_corpus in a thread that must finish in time (a regression fails, it does not hang)."""
    found: list = []
    thread = threading.Thread(target=lambda: found.append(load_corpus(content)), daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive() and found, f"load_corpus still running after {seconds} s"
    return found[0]


def messages(corpus) -> str:
    return " | ".join(str(p) for p in validate(corpus))


def test_alias_bomb_in_references_is_refused_at_once(mini_corpus: Path) -> None:
    references = mini_corpus.parent / "references.yaml"
    references.write_text(alias_bomb() + references.read_text())
    started = time.monotonic()
    corpus = load_within(10, mini_corpus)
    assert time.monotonic() - started < 5
    assert "references.yaml:" in messages(corpus) and "YAML aliases (*name): not allowed" in messages(corpus)
    assert len(corpus.entries) == 3


def test_alias_in_a_curated_title_is_refused(mini_corpus: Path) -> None:
    path = mini_corpus / "management" / "fixture-rest.md"
    text = path.read_text()
    path.write_text(text.replace("---\n", "---\nx: &t Shadow title\n", 1).replace("title: ", "title: *t #", 1))
    corpus = load_within(10, mini_corpus)
    assert "fixture-rest.md:" in messages(corpus) and "YAML aliases (*name) are not allowed here" in messages(corpus)
    assert len(corpus.entries) == 2


def test_non_utf8_resource_file_is_named_with_its_line(mini_corpus: Path) -> None:
    (mini_corpus.parent / "lexicon.yaml").write_bytes(b"abbreviations:\n  pdph: [caf\xe9]\n")
    corpus = load_within(10, mini_corpus)
    assert "lexicon.yaml:2: error: not valid UTF-8: byte 0xe9 at line 2" in messages(corpus)
    assert len(corpus.entries) == 3


def test_bom_crlf_entry_loads(mini_corpus: Path, tmp_path: Path) -> None:
    path = mini_corpus / "management" / "fixture-rest.md"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    corpus = load_within(10, mini_corpus)
    assert "fixture-rest" in corpus.entries and [p for p in validate(corpus) if p.severity == "error"] == []
    library = open_library(app_dirs(tmp_path / "d").ensure(), content_dir=mini_corpus)
    assert library.entry("fixture-rest").sections  # the sections, not one line with \r in it
    library.close()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_fifo_and_folder_in_curated_content_are_skipped(mini_corpus: Path, tmp_path: Path) -> None:
    os.mkfifo(mini_corpus / "procedure" / "pipe.md")
    (mini_corpus / "procedure" / "folder.md").mkdir()
    corpus = load_within(10, mini_corpus)
    assert len(corpus.entries) == 3
    library = open_library(app_dirs(tmp_path / "d").ensure(), content_dir=mini_corpus)
    assert library.search("muffled hearing").hits[0].id == "fixture-headache"
    library.close()


@pytest.mark.parametrize(
    ("title", "reason"),
    [
        ("<b>Fixture</b> rest", "title contains HTML markup"),
        ("Fixture &amp; rest", "title contains an HTML entity"),
        ("Fixture rest " + "x" * 300, "title longer than 200 characters"),
    ],
)
def test_validate_requires_plain_text_titles(mini_corpus: Path, title: str, reason: str) -> None:
    path = mini_corpus / "management" / "fixture-rest.md"
    text = path.read_text()
    start = text.index("title: ")
    end = text.index("\n", start)
    path.write_text(text[:start] + f"title: '{title}'" + text[end:])
    assert "fixture-rest.md:4: error: " + reason in messages(load_corpus(mini_corpus))
