"""What a generation directory holds, and how a name is normalised to find it again.

Kept apart from index.builder so that opening an index (index.search) does not import the
build side (the store writer, Markdown rendering, content loading).
"""

from __future__ import annotations

from index.analysis import exact_analyzer

STORE_FILE = "content.sqlite"
WHOOSH_DIR = "whoosh"
SECTIONS_DIR = "sections"


def normalise_phrase(text: str, spelling: dict[str, str]) -> str:
    return " ".join(token.text for token in exact_analyzer(spelling)(text))
