"""Study-mode fixtures: the mini corpus with self-test cards and a reading list added."""

from __future__ import annotations

from pathlib import Path

import pytest

CARDS = {
    "procedure/fixture-blood-patch.md": [
        ("How much blood does the fixture patch draw?", "20 mL, injected slowly until fullness [@alpha2020]."),
        ("When does injection of the fixture patch stop?", "When the patient reports fullness [@alpha2020]."),
    ],
    "complication/fixture-headache.md": [
        ("How common is the fixture headache after a large-bore puncture?", "About half [@alpha2020]."),
    ],
    "management/fixture-rest.md": [
        ("How good is the evidence for fixture rest?", "Low quality [@beta2019]."),
    ],
}
READING_LISTS = """\
- title: Fixture pathway
  entries:
    - {id: fixture-headache, reason: "The complication first."}
    - {id: fixture-rest, reason: "Then first-line care."}
    - {id: fixture-blood-patch, reason: "Then the definitive treatment."}
"""


def add_cards(path: Path, cards: list[tuple[str, str]]) -> None:
    """Append a self_test list as the last front-matter field, as authors do."""
    text = path.read_text(encoding="utf-8")
    head, close, body = text.partition("\n---\n")
    lines = ["self_test:"] + [f'  - q: "{q}"\n    a: "{a}"' for q, a in cards]
    path.write_text(head + "\n" + "\n".join(lines) + close + body, encoding="utf-8")


@pytest.fixture
def study_corpus(mini_corpus: Path) -> Path:
    """The mini corpus with four cards and one reading list; returns its content dir."""
    for name, cards in CARDS.items():
        add_cards(mini_corpus / name, cards)
    (mini_corpus.parent / "reading-lists.yaml").write_text(READING_LISTS, encoding="utf-8")
    return mini_corpus
