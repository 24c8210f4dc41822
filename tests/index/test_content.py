"""Loader and validator: every error class names the file and the line."""

from __future__ import annotations

from pathlib import Path

from index.content import load_corpus
from index.validate import validate
from tests.helpers import edit, line_of, problems_for


def test_fixture_corpus_is_valid(mini_corpus: Path) -> None:
    corpus = load_corpus(mini_corpus)
    assert sorted(corpus.entries) == ["fixture-blood-patch", "fixture-headache", "fixture-rest"]
    assert validate(corpus) == []


def test_sections_and_lines_are_parsed(mini_corpus: Path) -> None:
    entry = load_corpus(mini_corpus).entries["fixture-blood-patch"]
    assert [s.heading for s in entry.sections][:2] == ["Indications", "Contraindications"]
    lines = (mini_corpus / "procedure" / "fixture-blood-patch.md").read_text().split("\n")
    steps = next(s for s in entry.sections if s.heading == "Steps")
    assert lines[steps.line - 1] == "## Steps"
    path = mini_corpus / "procedure" / "fixture-blood-patch.md"
    assert entry.line_of("references") == line_of(path, "references:")


def test_unknown_kind(mini_corpus: Path) -> None:
    edit(mini_corpus / "management" / "fixture-rest.md", "kind: management", "kind: drug")
    found = problems_for(mini_corpus)
    assert any("fixture-rest.md:3:" in p and "unknown kind 'drug'" in p for p in found), found


def test_missing_required_field(mini_corpus: Path) -> None:
    edit(mini_corpus / "complication" / "fixture-headache.md", "urgency: routine\n", "")
    found = problems_for(mini_corpus)
    assert any("fixture-headache.md:" in p and "missing required field 'urgency'" in p for p in found), found


def test_duplicate_id(mini_corpus: Path) -> None:
    source = mini_corpus / "management" / "fixture-rest.md"
    copy = mini_corpus / "management" / "fixture-rest-copy.md"
    copy.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    found = problems_for(mini_corpus)
    assert any("fixture-rest.md:2:" in p and "duplicate id 'fixture-rest'" in p for p in found) or any(
        "fixture-rest-copy.md:2:" in p and "duplicate id" in p for p in found
    ), found


def test_broken_link_in_front_matter_and_body(mini_corpus: Path) -> None:
    path = mini_corpus / "procedure" / "fixture-blood-patch.md"
    edit(path, "{to: fixture-headache, type: treats}", "{to: no-such-entry, type: treats}")
    edit(path, "(entry:fixture-rest)", "(entry:missing-entry)")
    found = problems_for(mini_corpus)
    first, second = line_of(path, "no-such-entry"), line_of(path, "missing-entry")
    assert any(f"fixture-blood-patch.md:{first}:" in p and "unknown entry 'no-such-entry'" in p for p in found)
    assert any(f"fixture-blood-patch.md:{second}:" in p and "unknown entry 'missing-entry'" in p for p in found)


def test_unknown_reference_key(mini_corpus: Path) -> None:
    path = mini_corpus / "procedure" / "fixture-blood-patch.md"
    edit(path, "references: [alpha2020, beta2019]", "references: [alpha2020, beta2019, gamma1999]")
    edit(path, "reports fullness [@alpha2020]", "reports fullness [@delta2001]")
    found = problems_for(mini_corpus)
    first, second = line_of(path, "gamma1999"), line_of(path, "delta2001")
    assert any(f"fixture-blood-patch.md:{first}:" in p and "unknown reference key 'gamma1999'" in p for p in found)
    assert any(f"fixture-blood-patch.md:{second}:" in p and "'delta2001'" in p for p in found), found


def test_reference_without_doi_pmid_or_url(mini_corpus: Path) -> None:
    refs = mini_corpus.parent / "references.yaml"
    edit(refs, "  url: https://example.org/guideline\n", "")
    found = problems_for(mini_corpus)
    line = line_of(refs, "beta2019:")
    assert any(f"references.yaml:{line}:" in p and "neither doi, pmid nor url" in p for p in found), found


def test_duplicate_paragraph(mini_corpus: Path) -> None:
    sentence = "Analgesia treats the symptom while the leak seals; the evidence is low quality [@beta2019]."
    path = mini_corpus / "procedure" / "fixture-blood-patch.md"
    edit(path, "Record the level, the volume injected and why injection stopped.", sentence)
    found = problems_for(mini_corpus)
    assert any("paragraph repeated from" in p and "fixture-rest.md:" in p for p in found), found


def test_missing_required_section(mini_corpus: Path) -> None:
    path = mini_corpus / "complication" / "fixture-headache.md"
    edit(path, "## Red flags\n", "## Warning signs\n")
    found = problems_for(mini_corpus)
    assert any("fixture-headache.md:" in p and "missing required section '## Red flags'" in p for p in found), found


def test_yaml_syntax_error_names_the_line(mini_corpus: Path) -> None:
    path = mini_corpus / "management" / "fixture-rest.md"
    edit(path, "aliases: [conservative fixture care]", "aliases: [conservative fixture care")
    corpus = load_corpus(mini_corpus)
    found = [str(p) for p in validate(corpus)]
    assert any("fixture-rest.md:" in p and "invalid YAML" in p for p in found), found
    # one broken file never takes the rest down
    assert {"fixture-blood-patch", "fixture-headache"} <= set(corpus.entries)


def test_unknown_tag_symptom_and_link_type(mini_corpus: Path) -> None:
    path = mini_corpus / "complication" / "fixture-headache.md"
    edit(path, "tags: [obstetric, neurological]", "tags: [obstetric, cardiology]")
    edit(path, "symptoms: [postural-headache, neck-stiffness]", "symptoms: [postural-headache, sadness]")
    edit(path, "type: see-also}", "type: cures}")
    found = " | ".join(problems_for(mini_corpus))
    assert "unknown tag 'cardiology'" in found
    assert "unknown symptom 'sadness'" in found
    assert "unknown link type 'cures'" in found


def test_raw_html_and_external_links_are_refused(mini_corpus: Path) -> None:
    path = mini_corpus / "management" / "fixture-rest.md"
    edit(path, "Rare at standard doses;", "<script>alert(1)</script> See [site](https://example.org). Rare;")
    found = " | ".join(problems_for(mini_corpus))
    assert "raw HTML in the body" in found
    assert "external link in the body" in found


def test_a_loaded_and_validated_corpus_holds_no_parsed_bodies(mini_corpus: Path) -> None:
    """A 10,000-entry pack must fit in memory: the markdown-it structure of each body (its text
    again, block by block) is parsed for loading and for checking, and kept by neither."""
    corpus = load_corpus(mini_corpus)
    validate(corpus)
    assert [e.id for e in corpus.entries.values() if e.structure is not None] == []
    entry = corpus.entries["fixture-blood-patch"]
    assert [s.heading for s in entry.body_structure().sections] == [s.heading for s in entry.sections]
