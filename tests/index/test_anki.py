"""The Anki export, read back as what an .apkg is: a zip holding an SQLite collection.

Run through the CLI in-process (`study export-anki`), as a user would; re-export must keep note
guids, model and deck ids so that Anki updates the notes instead of duplicating them.
"""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

from index.anki import DECK_ID, MODEL_ID
from main import main

FIELD_SEPARATOR = "\x1f"


def read_apkg(path: Path, tmp_path: Path) -> dict:
    with zipfile.ZipFile(path) as archive:
        assert "collection.anki2" in archive.namelist()
        archive.extract("collection.anki2", tmp_path / path.stem)
    connection = sqlite3.connect(tmp_path / path.stem / "collection.anki2")
    try:
        assert connection.execute("pragma integrity_check").fetchone()[0] == "ok"
        notes = connection.execute("select id, guid, mid, flds from notes order by guid").fetchall()
        cards = connection.execute("select nid, did from cards").fetchall()
        models = json.loads(connection.execute("select models from col").fetchone()[0])
        decks = json.loads(connection.execute("select decks from col").fetchone()[0])
    finally:
        connection.close()
    return {
        "notes": {guid: flds.split(FIELD_SEPARATOR) for _, guid, _, flds in notes},
        "mids": {mid for _, _, mid, _ in notes},
        "card_decks": {did for _, did in cards},
        "card_count": len(cards),
        "models": models,
        "decks": decks,
    }


def test_export_all_cards_then_reexport_keeps_ids(study_corpus: Path, tmp_path: Path, capsys) -> None:
    first, second = tmp_path / "first.apkg", tmp_path / "second.apkg"
    assert main(["study", "export-anki", str(first), "--content", str(study_corpus)]) == 0
    assert "wrote 4 card(s)" in capsys.readouterr().out
    deck = read_apkg(first, tmp_path)
    assert len(deck["notes"]) == 4 and deck["card_count"] == 4
    assert deck["mids"] == {MODEL_ID} and str(MODEL_ID) in deck["models"]
    assert deck["card_decks"] == {DECK_ID} and deck["decks"][str(DECK_ID)]["name"] == "Vademecum"
    fields = [name["name"] for name in deck["models"][str(MODEL_ID)]["flds"]]
    assert fields == ["Question", "Answer", "Entry", "References", "Version", "CardKey"]
    by_question = {f[0]: f for f in deck["notes"].values()}
    patch = by_question["How much blood does the fixture patch draw?"]
    assert patch[1] == "20 mL, injected slowly until fullness [@alpha2020]."
    assert patch[2] == "Fixture blood patch"  # the source entry
    assert patch[3] == "alpha2020"  # its reference keys
    version = (study_corpus.parent / "VERSION").read_text(encoding="utf-8").strip()
    assert patch[4] == version  # the content version
    assert patch[5].startswith("fixture-blood-patch#")

    assert main(["study", "export-anki", str(second), "--content", str(study_corpus)]) == 0
    again = read_apkg(second, tmp_path)
    assert set(again["notes"]) == set(deck["notes"])  # same guids: Anki updates, no duplicates
    assert again["mids"] == deck["mids"] and again["card_decks"] == deck["card_decks"]


def test_export_one_list_by_title(study_corpus: Path, tmp_path: Path) -> None:
    whole, one = tmp_path / "whole.apkg", tmp_path / "one.apkg"
    # drop a card's entry from the list: its card must not be exported with the list
    lists = study_corpus.parent / "reading-lists.yaml"
    lists.write_text(
        lists.read_text(encoding="utf-8").replace('    - {id: fixture-rest, reason: "Then first-line care."}\n', ""),
        encoding="utf-8",
    )
    assert main(["study", "export-anki", str(whole), "--content", str(study_corpus)]) == 0
    assert main(["study", "export-anki", str(one), "--list", "Fixture pathway", "--content", str(study_corpus)]) == 0
    all_notes, list_deck = read_apkg(whole, tmp_path), read_apkg(one, tmp_path)
    assert len(list_deck["notes"]) == 3
    assert set(list_deck["notes"]) < set(all_notes["notes"])  # a card has one guid whichever deck it is in
    (deck_id,) = list_deck["card_decks"]
    assert deck_id != DECK_ID and list_deck["decks"][str(deck_id)]["name"] == "Vademecum::Fixture pathway"


def test_unknown_list_is_a_clear_message(study_corpus: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "x.apkg"
    assert main(["study", "export-anki", str(out), "--list", "nope", "--content", str(study_corpus)]) == 1
    err = capsys.readouterr().err
    assert "no reading list 'nope'" in err and "fixture-pathway (Fixture pathway)" in err
    assert not out.exists()


def test_study_lists_prints_progress(study_corpus: Path, tmp_path: Path, capsys) -> None:
    import datetime as dt

    from index.study import StudyStore

    data = tmp_path / "data"
    assert main(["study", "lists", "--content", str(study_corpus), "--data-dir", str(data)]) == 0
    assert "Fixture pathway (fixture-pathway): 0/3 read, 4 cards, 4 new" in capsys.readouterr().out
    connection = sqlite3.connect(data / "data" / "user.sqlite")
    StudyStore(connection).mark_read("fixture-rest", now=dt.datetime.now(dt.UTC))
    connection.close()
    assert main(["study", "lists", "--content", str(study_corpus), "--data-dir", str(data)]) == 0
    assert "1/3 read" in capsys.readouterr().out
