"""The bundled self-test cards and reading lists: enough cards, each grounded in its own page.

A card may say only what its entry says, with the citation the entry uses: so some block of the
entry (paragraph, list item, table row or the summary) must carry every reference key the answer
cites and every number the answer states.
"""

from __future__ import annotations

import re

import pytest

from index.content import CITATION, load_corpus
from index.study import entry_cards, study_cards
from index.validate import validate
from tests.content.test_corpus import REQUIRED

pytestmark = pytest.mark.content

NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
REQUIRED_IDS = [entry_id for ids in REQUIRED.values() for entry_id in ids]
LISTS = (
    "The PDPH and blood-patch pathway",
    "Neuraxial emergencies",
    "Anticoagulation and neuraxial procedures",
    "Complications of the blood patch",
)


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


def numbers(text: str) -> set[str]:
    return set(NUMBER.findall(CITATION.sub(" ", text)))


def test_every_required_entry_has_two_cards_and_every_entry_one(corpus) -> None:
    assert len(REQUIRED_IDS) == 36
    short = [i for i in REQUIRED_IDS if len(entry_cards(corpus.entries[i])) < 2]
    assert short == [], f"required entries with fewer than two self-test cards: {short}"
    none = [i for i, entry in corpus.entries.items() if not entry_cards(entry)]
    assert none == [], f"entries without a self-test card: {none}"


def test_cards_and_lists_pass_validation(corpus) -> None:
    problems = [str(p) for p in validate(corpus) if "self-test" in p.message or "reading list" in p.message]
    assert problems == []


def test_every_answer_is_grounded_in_one_block_of_its_entry(corpus) -> None:
    ungrounded = []
    for entry in corpus.entries.values():
        blocks = [b.text for b in entry.body_structure().blocks] + [entry.summary]
        for card in entry_cards(entry):
            assert card.reference_keys, card.question
            wanted = numbers(card.answer)
            if not any(
                all(f"@{key}" in block for key in card.reference_keys) and wanted <= numbers(block) for block in blocks
            ):
                ungrounded.append(f"{entry.id}: {card.question}")
    assert ungrounded == []


def test_every_card_opens_its_entry_at_a_section(corpus) -> None:
    for card in study_cards(corpus):
        anchors = [s.anchor for s in corpus.entries[card.entry_id].sections]
        assert card.anchor in anchors, card.question


def test_the_four_reading_lists_exist_in_order(corpus) -> None:
    titles = [r.title for r in corpus.reading_lists]
    assert set(LISTS) <= set(titles)
    pdph = next(r for r in corpus.reading_lists if r.title == LISTS[0])
    ids = pdph.entry_ids
    assert (
        ids.index("post-dural-puncture-headache")
        < ids.index("epidural-blood-patch")
        < ids.index("repeat-epidural-blood-patch")
    )
    for reading_list in corpus.reading_lists:
        assert all(item.reason and "\n" not in item.reason for item in reading_list.items)
        assert len(study_cards(corpus, reading_list)) >= len(reading_list.items)
