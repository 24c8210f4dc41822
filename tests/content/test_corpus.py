"""Checks on the bundled clinical corpus: completeness, traceability, and facts authors get wrong."""

from __future__ import annotations

import re

import pytest

from index.content import load_corpus
from index.model import REQUIRED_SECTIONS
from index.rendering import plain_text
from index.validate import validate

pytestmark = pytest.mark.content

REQUIRED = {
    "procedure": [
        "epidural-blood-patch",
        "labor-epidural-analgesia",
        "spinal-anesthesia",
        "combined-spinal-epidural",
        "diagnostic-lumbar-puncture",
        "sphenopalatine-ganglion-block",
        "greater-occipital-nerve-block",
        "intrathecal-catheter-after-accidental-dural-puncture",
        "epidural-catheter-removal",
        "neurological-monitoring-after-neuraxial-block",
    ],
    "complication": [
        "post-dural-puncture-headache",
        "accidental-dural-puncture",
        "back-pain-after-epidural-blood-patch",
        "radicular-pain-after-epidural-blood-patch",
        "spinal-hematoma-after-epidural-blood-patch",
        "spinal-epidural-hematoma",
        "epidural-abscess",
        "meningitis-after-neuraxial-procedure",
        "arachnoiditis",
        "intracranial-subdural-hematoma-after-dural-puncture",
        "cerebral-venous-sinus-thrombosis",
        "cranial-nerve-palsy-after-dural-puncture",
        "persistent-headache-after-epidural-blood-patch",
        "posterior-reversible-encephalopathy-syndrome",
        "high-neuraxial-block",
        "local-anesthetic-systemic-toxicity",
    ],
    "management": [
        "conservative-management-of-post-dural-puncture-headache",
        "caffeine-for-post-dural-puncture-headache",
        "analgesia-for-back-pain-after-epidural-blood-patch",
        "repeat-epidural-blood-patch",
        "urgent-spinal-mri",
        "surgical-decompression",
        "epidural-saline-or-colloid",
        "epidural-fibrin-glue",
        "lipid-emulsion-therapy",
        "anticoagulant-management-for-neuraxial-procedures",
    ],
}


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


def text_of(entry) -> str:
    return plain_text(entry.body).lower()


def section(entry, heading: str) -> str:
    found = next(s for s in entry.sections if s.heading.lower() == heading.lower())
    return plain_text(found.markdown).lower()


def test_bundled_corpus_validates(corpus) -> None:
    problems = [str(p) for p in validate(corpus) if p.severity == "error"]
    assert problems == [], "\n".join(problems[:40])


def test_required_entries_present_with_their_kind(corpus) -> None:
    for kind, ids in REQUIRED.items():
        for entry_id in ids:
            assert entry_id in corpus.entries, entry_id
            assert corpus.entries[entry_id].kind == kind, entry_id


def test_counts_per_kind(corpus) -> None:
    counts = {kind: sum(e.kind == kind for e in corpus.entries.values()) for kind in REQUIRED_SECTIONS}
    assert len(corpus.entries) >= 60, counts
    for kind, ids in REQUIRED.items():
        assert counts[kind] >= len(ids), counts


def test_every_reference_resolves_and_is_traceable(corpus) -> None:
    for entry in corpus.entries.values():
        assert len(set(entry.references)) >= 2, entry.id
        refs = [corpus.references[key] for key in entry.references]  # KeyError = unknown key
        assert any(r.doi or r.pmid for r in refs), f"{entry.id}: no reference with a DOI or PMID"
    for ref in corpus.references.values():
        assert ref.doi or ref.pmid or ref.url, ref.key
        if ref.doi:
            assert re.match(r"^10\.\d{4,9}/\S+$", ref.doi), f"{ref.key}: malformed DOI {ref.doi}"
        if ref.pmid:
            assert ref.pmid.isdigit(), f"{ref.key}: malformed PMID {ref.pmid}"


def test_every_complication_has_urgency_onset_and_symptoms(corpus) -> None:
    for entry in corpus.entries.values():
        if entry.kind != "complication":
            continue
        assert entry.urgency in {"emergency", "urgent", "routine"}, entry.id
        assert entry.onset_hours and entry.onset_hours[0] <= entry.onset_hours[1], entry.id
        assert entry.symptoms and set(entry.symptoms) <= set(corpus.symptoms), entry.id


def test_every_link_resolves(corpus) -> None:
    for entry in corpus.entries.values():
        for link in entry.links:
            assert link.target in corpus.entries, f"{entry.id} -> {link.target}"


def test_ebp_level_is_at_or_below_the_puncture_never_above(corpus) -> None:
    steps = section(corpus.entries["epidural-blood-patch"], "Steps")
    assert re.search(r"(same (interspace|level)|at or (one |immediately )?below|one (interspace |level )?below)", steps)
    assert not re.search(r"(just|one (interspace|level)) above (the|where)", steps)


def test_ebp_volume_and_when_to_stop(corpus) -> None:
    steps = section(corpus.entries["epidural-blood-patch"], "Steps")
    assert "20 ml" in steps
    assert re.search(r"stop", steps) and re.search(r"(fullness|discomfort|pressure)", steps)


def test_ebp_treats_established_pdph_not_every_dural_puncture(corpus) -> None:
    indications = section(corpus.entries["epidural-blood-patch"], "Indications")
    assert "headache" in indications
    assert "gold standard for the management of a dural puncture" not in text_of(corpus.entries["epidural-blood-patch"])


def test_back_pain_after_ebp_is_treated_simply(corpus) -> None:
    """Errata E9-E12: reassurance and simple analgesia, not nerve blocks, steroids, toxin or surgery."""
    back_pain = corpus.entries["back-pain-after-epidural-blood-patch"]
    analgesia = corpus.entries["analgesia-for-back-pain-after-epidural-blood-patch"]
    assert "entry:analgesia-for-back-pain-after-epidural-blood-patch" in back_pain.body.split("## Management")[1]
    assert re.search(r"paracetamol|acetaminophen", section(analgesia, "Technique or dosing"))
    for entry in (back_pain, analgesia):
        for sentence in re.split(r"(?<=[.!?])\s+", text_of(entry)):
            if re.search(r"botulinum|steroid|nerve block|surgery", sentence):
                assert re.search(r"\b(no|not|never|only)\b", sentence), f"{entry.id}: {sentence}"


def test_seizures_are_red_flags_for_another_diagnosis(corpus) -> None:
    flags = section(corpus.entries["post-dural-puncture-headache"], "Red flags")
    assert re.search(r"seizure", flags)


def test_pdph_onset_window_follows_ichd3(corpus) -> None:
    onset = corpus.entries["post-dural-puncture-headache"].onset_hours
    assert onset is not None and onset[1] <= 5 * 24


def test_surgery_is_for_compression_with_deficit_not_for_pain(corpus) -> None:
    indications = section(corpus.entries["surgical-decompression"], "Indications")
    assert re.search(r"(deficit|compress)", indications)


def test_content_version_and_reviewed_dates(corpus) -> None:
    assert corpus.version and corpus.version != "unversioned"
    assert all(re.match(r"^\d{4}-\d{2}-\d{2}$", e.reviewed) for e in corpus.entries.values())
