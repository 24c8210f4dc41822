"""The Whoosh schema: one document per entry (for ranking) and one per section (for locating the hit)."""

from __future__ import annotations

from collections.abc import Mapping

from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema

from index.analysis import prefix_analyzer, text_analyzer

ENTRY_DOC = "entry"
SECTION_DOC = "section"


def build_schema(
    spelling: Mapping[str, str] | None = None,
    *,
    store_body: bool = True,
    spell_words: bool = True,
    index_keys: bool = True,
) -> Schema:
    """spell_words: keep the unstemmed body words for "did you mean" (costs a second analysis of every body).

    index_keys=False keeps the id, kind, origin, urgency and tags fields stored but not searchable:
    the sections index is only searched by its text and read by document number, and these
    fields were a sixth of its postings."""
    text = text_analyzer(spelling)

    def exact_id():
        return ID(stored=True) if index_keys else STORED()

    return Schema(
        # entry id, or "<entry id>#<anchor>" for a section
        key=ID(stored=True, unique=True) if index_keys else STORED(),
        doctype=exact_id(),
        entry_id=exact_id(),
        kind=exact_id(),
        urgency=exact_id(),
        origin=exact_id(),
        tags=KEYWORD(stored=True, commas=True, lowercase=True) if index_keys else STORED(),
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
