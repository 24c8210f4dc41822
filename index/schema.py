"""The Whoosh schema: one document per entry (for ranking) and one per section (for locating the hit)."""

from __future__ import annotations

from collections.abc import Mapping

from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema

from index.analysis import prefix_analyzer, text_analyzer

ENTRY_DOC = "entry"
SECTION_DOC = "section"


def build_schema(
    spelling: Mapping[str, str] | None = None, *, store_body: bool = True, spell_words: bool = True
) -> Schema:
    """spell_words: keep the unstemmed body words for "did you mean" (costs a second analysis of every body)."""
    text = text_analyzer(spelling)
    return Schema(
        key=ID(stored=True, unique=True),  # entry id, or "<entry id>#<anchor>" for a section
        doctype=ID(stored=True),
        entry_id=ID(stored=True),
        kind=ID(stored=True),
        urgency=ID(stored=True),
        origin=ID(stored=True),
        tags=KEYWORD(stored=True, commas=True, lowercase=True),
        exact=KEYWORD(commas=True),  # normalised title and aliases, whole
        title=TEXT(analyzer=text, stored=True, phrase=True),
        aliases=TEXT(analyzer=text, phrase=True),
        headings=TEXT(analyzer=text),
        summary=TEXT(analyzer=text, stored=True),
        # chars=True on the sections' body: snippets come from stored offsets, not re-analysis
        body=TEXT(analyzer=text, stored=store_body, spelling=spell_words, chars=store_body),
        prefix=TEXT(analyzer=prefix_analyzer(), phrase=False),
        name_terms=STORED,  # analysed terms of title + aliases, for the coverage re-rank
        heading=STORED,
        label=STORED,  # provenance of local entries and sections
        anchor=STORED,
    )
