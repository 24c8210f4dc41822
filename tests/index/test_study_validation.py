"""`validate` on self-test cards and reading lists: each broken rule named with file and line."""

from __future__ import annotations

from pathlib import Path

from index.content import load_corpus
from tests.helpers import line_of
from tests.helpers import problems_for as problems
from tests.index.conftest import add_cards


def test_valid_cards_and_list_load_and_pass(study_corpus: Path) -> None:
    corpus = load_corpus(study_corpus)
    assert problems(study_corpus) == []
    patch = corpus.entries["fixture-blood-patch"]
    assert [c.question for c in patch.self_test][0] == "How much blood does the fixture patch draw?"
    assert patch.self_test[0].line == line_of(patch.path, "How much blood")
    assert [r.title for r in corpus.reading_lists] == ["Fixture pathway"]
    assert corpus.reading_lists[0].entry_ids == ["fixture-headache", "fixture-rest", "fixture-blood-patch"]


def test_cards_stay_out_of_the_page_body(study_corpus: Path) -> None:
    entry = load_corpus(study_corpus).entries["fixture-blood-patch"]
    assert "fixture patch draw" not in entry.body
    assert all("fixture patch draw" not in s.markdown for s in entry.sections)


def test_card_format_errors_name_file_and_line(mini_corpus: Path) -> None:
    path = mini_corpus / "management" / "fixture-rest.md"
    add_cards(path, [("Is rest useful", "Low quality evidence [@beta2019].")])
    text = path.read_text(encoding="utf-8").replace(
        "\n---\n", '\n  - just text\n  - {q: "Why?", a: "", x: 1}\n---\n', 1
    )
    path.write_text(text, encoding="utf-8")
    found = problems(mini_corpus)
    first = line_of(path, "Is rest useful")
    assert f"{path.name}:{first}: error: self-test question must end with '?'" in " ".join(found)
    assert any(f"{path.name}:{line_of(path, 'just text')}:" in p and "looks like {q:" in p for p in found)
    bad = line_of(path, '"Why?"')
    assert any(f"{path.name}:{bad}:" in p and "needs an answer" in p for p in found)
    assert any(f"{path.name}:{bad}:" in p and "unknown self-test field(s) x" in p for p in found)


def test_answer_without_citation_or_with_a_foreign_key_is_refused(mini_corpus: Path) -> None:
    path = mini_corpus / "management" / "fixture-rest.md"
    add_cards(
        path,
        [
            ("What does rest treat?", "The symptom, while the leak seals."),
            ("What quality is the evidence?", "Low [@gamma2000]."),
            ("Is the evidence strong?", "No, it is low quality [@alpha2020]."),
        ],
    )
    found = problems(mini_corpus)
    assert any(f":{line_of(path, 'What does rest treat')}:" in p and "carries no citation" in p for p in found)
    assert any(
        f":{line_of(path, 'What quality')}:" in p and "'gamma2000', which the entry does not list" in p for p in found
    )
    # alpha2020 is listed but this page's text never cites it: the card cannot rest on it
    assert any(f":{line_of(path, 'Is the evidence strong')}:" in p and "text never cites" in p for p in found)


def test_duplicate_question_across_entries_is_refused(mini_corpus: Path) -> None:
    rest = mini_corpus / "management" / "fixture-rest.md"
    add_cards(rest, [("How much blood does it take?", "None [@beta2019].")])
    patch = mini_corpus / "procedure" / "fixture-blood-patch.md"
    add_cards(patch, [("How much  blood does it take?", "20 mL [@alpha2020].")])
    found = problems(mini_corpus)
    where = f"fixture-rest.md:{line_of(rest, 'How much blood')}"
    assert any(
        f"fixture-blood-patch.md:{line_of(patch, 'How much  blood')}:" in p and "repeated from" in p and where in p
        for p in found
    ), found


def test_reading_list_unknown_and_duplicate_ids(study_corpus: Path) -> None:
    lists = study_corpus.parent / "reading-lists.yaml"
    lists.write_text(
        lists.read_text(encoding="utf-8")
        + '    - {id: no-such-entry, reason: "Missing."}\n'
        + '    - {id: fixture-rest, reason: "Again."}\n'
        + '- title: Fixture  pathway\n  entries:\n    - {id: fixture-rest, reason: "x"}\n'
        + "- title: Empty\n",
        encoding="utf-8",
    )
    found = problems(study_corpus)
    assert (
        "corpus/reading-lists.yaml:6: error: reading list 'Fixture pathway' names unknown entry 'no-such-entry'"
        in found
    )
    assert any("reading-lists.yaml:7:" in p and "'fixture-rest' appears twice" in p and "line 4" in p for p in found)
    assert any("reading-lists.yaml:8:" in p and "repeated (also line 1)" in p for p in found)
    assert any("reading-lists.yaml:11:" in p and "needs a non-empty list of entries" in p for p in found)


def test_cards_never_reach_the_search_index_or_the_page(mini_corpus: Path, tmp_path: Path) -> None:
    from index.library import open_library
    from index.paths import app_dirs

    add_cards(
        mini_corpus / "management" / "fixture-rest.md",
        [("Which marsupial names this quokkaword card?", "None; the evidence is low quality [@beta2019].")],
    )
    assert problems(mini_corpus) == []
    library = open_library(app_dirs(tmp_path / "data").ensure(), content_dir=mini_corpus)
    try:
        assert library.search("quokkaword", limit=5).hits == []
        assert library.search("fixture rest", limit=5).hits  # the entry itself is indexed
        page = library.entry("fixture-rest")
        assert page is not None and "quokkaword" not in str(page)
    finally:
        library.close()


def test_broken_reading_lists_file_is_a_problem_not_a_crash(study_corpus: Path) -> None:
    lists = study_corpus.parent / "reading-lists.yaml"
    lists.write_text("- title: Fixture pathway\n  entries: [\n", encoding="utf-8")
    corpus = load_corpus(study_corpus)
    assert corpus.reading_lists == [] and len(corpus.entries) == 3  # the entries still load
    assert any("reading-lists.yaml:" in p and "invalid YAML" in p for p in problems(study_corpus))
