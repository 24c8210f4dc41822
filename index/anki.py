"""Export self-test cards as an Anki package (.apkg) with genanki.

Ids are fixed: the model and the whole-corpus deck have constant ids, a list's deck id derives
from the list id, and each note's guid from its card key (entry id + question hash). Importing a
later export therefore updates the notes already in Anki instead of adding copies.
"""

from __future__ import annotations

import hashlib
from html import escape
from pathlib import Path

import genanki

from index.model import Corpus, ReadingList
from index.study import StudyCard, study_cards

MODEL_ID = 1_741_902_317
DECK_ID = 1_741_902_318
DECK_NAME = "Vademecum"
FIELDS = ("Question", "Answer", "Entry", "References", "Version", "CardKey")
_CSS = """.card { font-family: sans-serif; font-size: 20px; text-align: left; color: black; background: white; }
.source { margin-top: 1.5em; font-size: 14px; color: #555; }"""
MODEL = genanki.Model(
    MODEL_ID,
    "Vademecum self-test",
    fields=[{"name": name} for name in FIELDS],
    templates=[
        {
            "name": "Self-test",
            "qfmt": "{{Question}}",
            "afmt": '{{FrontSide}}<hr id="answer">{{Answer}}'
            '<div class="source">{{Entry}} · {{References}} · content {{Version}}</div>',
        }
    ],
    css=_CSS,
)


def deck_id(reading_list: ReadingList | None) -> int:
    """Constant for the whole corpus; derived from the list id for a list, so it too is stable."""
    if reading_list is None:
        return DECK_ID
    return 1_000_000_000 + int(hashlib.sha256(reading_list.id.encode("utf-8")).hexdigest()[:8], 16) % 1_000_000_000


def note_guid(card: StudyCard) -> str:
    return genanki.guid_for(card.key)


def note_for(card: StudyCard, version: str) -> genanki.Note:
    fields = [card.question, card.answer, card.entry_title, ", ".join(card.reference_keys), version, card.key]
    return genanki.Note(model=MODEL, fields=[escape(value) for value in fields], guid=note_guid(card))


def export_anki(corpus: Corpus, path: Path, *, reading_list: ReadingList | None = None) -> int:
    """Write the cards (of one list, or all) to `path`; returns how many notes were written."""
    name = f"{DECK_NAME}::{reading_list.title}" if reading_list else DECK_NAME
    deck = genanki.Deck(deck_id(reading_list), name)
    cards = study_cards(corpus, reading_list)
    for card in cards:
        deck.add_note(note_for(card, corpus.version))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    genanki.Package(deck).write_to_file(str(path))
    return len(cards)
