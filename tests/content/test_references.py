"""Checks on the bundled bibliography: every source can be traced, and every source is used."""

from __future__ import annotations

import re

import pytest
import yaml

from index.content import body_citations, load_corpus
from index.paths import bundled_resources

pytestmark = pytest.mark.content

DOI = re.compile(r"^10\.\d{4,9}/\S+$")
PMID = re.compile(r"^\d{1,9}$")
EXCEPTIONS_FILE = "references-without-identifier.yaml"


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


@pytest.fixture(scope="module")
def exceptions() -> dict[str, str]:
    """The documented list of journal references that have no DOI or PMID, with the reason."""
    raw = yaml.safe_load((bundled_resources() / EXCEPTIONS_FILE).read_text(encoding="utf-8")) or []
    assert isinstance(raw, list), f"{EXCEPTIONS_FILE} must be a list of {{key, reason}} records"
    listed: dict[str, str] = {}
    for record in raw:
        assert isinstance(record, dict) and set(record) == {"key", "reason"}, f"bad record: {record!r}"
        assert record["key"] not in listed, f"{record['key']} is listed twice in {EXCEPTIONS_FILE}"
        listed[str(record["key"])] = str(record["reason"] or "")
    return listed


def is_journal_reference(reference) -> bool:
    """A journal article, or a guideline published in a journal: these are indexed and should carry an identifier."""
    return reference.type == "article" or (reference.type == "guideline" and bool(reference.journal))


def test_every_journal_reference_has_a_doi_or_pmid_or_a_documented_reason(corpus, exceptions) -> None:
    missing = [
        key
        for key, reference in sorted(corpus.references.items())
        if is_journal_reference(reference) and not (reference.doi or reference.pmid) and key not in exceptions
    ]
    assert missing == [], f"journal references without DOI or PMID and not in {EXCEPTIONS_FILE}: {missing}"


def test_every_exception_names_a_known_reference_without_identifier_and_says_why(corpus, exceptions) -> None:
    for key, reason in exceptions.items():
        assert key in corpus.references, f"{EXCEPTIONS_FILE} names unknown reference '{key}'"
        reference = corpus.references[key]
        assert not (reference.doi or reference.pmid), f"'{key}' has an identifier: remove it from {EXCEPTIONS_FILE}"
        assert len(reason.split()) >= 4, f"'{key}' needs a reason in {EXCEPTIONS_FILE}, not {reason!r}"


def test_identifiers_are_well_formed(corpus) -> None:
    bad_doi = {k: r.doi for k, r in corpus.references.items() if r.doi and not DOI.match(r.doi)}
    bad_pmid = {k: r.pmid for k, r in corpus.references.items() if r.pmid and not PMID.match(r.pmid)}
    assert bad_doi == {}, f"DOIs must look like 10.NNNN/suffix: {bad_doi}"
    assert bad_pmid == {}, f"PMIDs are digits only: {bad_pmid}"


def test_every_reference_is_cited_in_the_text_of_some_entry(corpus) -> None:
    cited = {key for entry in corpus.entries.values() for key, _ in body_citations(entry)}
    uncited = sorted(set(corpus.references) - cited)
    assert uncited == [], (
        f"references cited by no entry (cite them where they support a statement, or remove): {uncited}"
    )
