"""Search on the bundled corpus: each mechanism, and the judged query sets against an FTS5 baseline."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.content import load_corpus
from index.evaluation import Fts5Baseline, load_judged, report, score

QUERIES = Path(__file__).resolve().parents[1] / "queries"


def top(library, query: str, n: int = 3) -> list[str]:
    return [hit.id for hit in library.search(query, limit=n).hits]


def test_uk_and_us_spellings_give_the_same_answer(bundled_library) -> None:
    for uk, us in (
        ("epidural haematoma", "epidural hematoma"),
        ("labour epidural analgesia", "labor epidural analgesia"),
        ("spinal anaesthesia", "spinal anesthesia"),
        ("paediatric", "pediatric"),
        ("localised tenderness and fever", "localized tenderness and fever"),
        ("catheterised bladder", "catheterized bladder"),
        ("patient anaesthetised", "patient anesthetized"),
    ):
        assert top(bundled_library, uk, 5) == top(bundled_library, us, 5), uk


def test_abbreviations_and_slang_find_their_entry(bundled_library) -> None:
    assert top(bundled_library, "ADP")[0] == "accidental-dural-puncture"
    assert top(bundled_library, "LAST")[0] == "local-anesthetic-systemic-toxicity"
    assert "accidental-dural-puncture" in top(bundled_library, "wet tap")
    assert top(bundled_library, "spinal headache")[0] == "post-dural-puncture-headache"
    assert top(bundled_library, "total spinal")[0] == "high-neuraxial-block"


def test_drug_names_inn_and_usan(bundled_library) -> None:
    assert top(bundled_library, "paracetamol backache", 5) == top(bundled_library, "acetaminophen backache", 5)


def test_hyphen_and_spacing_variants(bundled_library) -> None:
    expected = top(bundled_library, "post-dural puncture headache", 1)
    assert top(bundled_library, "postdural puncture headache", 1) == expected
    assert top(bundled_library, "post dural puncture headache", 1) == expected


def test_typos_still_find_the_entry(bundled_library) -> None:
    assert top(bundled_library, "arachnoidits")[0] == "arachnoiditis"
    assert top(bundled_library, "epidral blod patch")[0] == "epidural-blood-patch"


def test_a_swapped_pair_and_one_more_slip_still_find_the_entry(bundled_library) -> None:
    """Two slips in a long word, one of them two letters swapped ("ue" for "eu", a dropped "a")."""
    assert top(bundled_library, "pnuemocephlus")[0] == "pneumocephalus"


def test_half_typed_last_word_matches_by_prefix(bundled_library) -> None:
    assert top(bundled_library, "pneumoceph")[0] == "pneumocephalus"
    assert top(bundled_library, "sphenopal")[0] == "sphenopalatine-ganglion-block"


def test_hits_name_their_section(bundled_library) -> None:
    hit = bundled_library.search("epidural blood patch volume").hits[0]
    assert hit.id == "epidural-blood-patch"
    assert hit.section != "Summary" and '<b class="hit">' in hit.snippet


def test_facets_count_kind_population_and_urgency(bundled_library) -> None:
    results = bundled_library.search("headache", limit=100)
    assert sum(results.facets["kind"].values()) == results.total
    assert results.facets["tags"].get("obstetric", 0) > 0
    emergencies = bundled_library.search("headache", urgencies=["emergency"], limit=100)
    assert emergencies.total == results.facets["urgency"].get("emergency", 0)
    assert all(hit.urgency == "emergency" for hit in emergencies.hits)


def test_did_you_mean_when_little_is_found(bundled_library) -> None:
    results = bundled_library.search("xqzv menigitis")
    assert results.suggestion is not None and "meningitis" in results.suggestion


@pytest.fixture(scope="module")
def fts5() -> Fts5Baseline:
    return Fts5Baseline(load_corpus())


@pytest.mark.parametrize(
    "name",
    [
        "public.yaml",
        "judged.yaml",
        "bedside-dev.yaml",
        "bedside-dev2.yaml",
        "bedside-dev-r4.yaml",
        "bedside-dev-r5.yaml",
        "bedside-dev-r6.yaml",
    ],
)
def test_judged_queries_beat_the_fts5_baseline(bundled_library, fts5, name: str) -> None:
    """The dev sets tuned on hold their figures; bedside-test and the held-out sets are only measured
    (`evaluate`), never tuned on, and bedside-dev-r7 (the newest round) is not yet at the bar."""
    queries = load_judged(QUERIES / name)
    ours = score("vademecum", queries, lambda q: [h.id for h in bundled_library.search(q, limit=10).hits])
    fts = score("fts5", queries, fts5.rank)
    print(f"\n{name}\n{report(ours, fts)}")
    assert ours.success_at_3 >= 0.95
    assert ours.mrr_at_10 >= 0.90
    assert ours.mrr_at_10 - fts.mrr_at_10 >= 0.15
    for category, (success, mrr, _) in ours.categories.items():
        baseline = fts.categories[category]
        assert success >= baseline[0] and mrr >= baseline[1], category


def test_a_catheter_coming_out_is_the_removal_not_a_symptom(bundled_library) -> None:
    """ "out" on its own says nothing about the patient ("out of it" once made every "out" confusion)."""
    assert top(bundled_library, "epidural come out")[0] == "epidural-catheter-removal"


def test_a_drug_with_a_procedure_lands_on_the_page_the_procedure_points_to(bundled_library) -> None:
    """Catheter removal on an anticoagulant is the neuraxial timing page, not the treatment of a CVST."""
    first = top(bundled_library, "fragmin when can the catheter come out")[0]
    assert first == "anticoagulant-management-for-neuraxial-procedures"


@pytest.mark.parametrize(
    ("query", "answer"),
    [
        (
            "clear fluid came back through the tuohy during the blood patch",
            "repeat-dural-puncture-during-epidural-blood-patch",
        ),
        ("blood coming back up the epidural catheter", "intravascular-epidural-catheter-migration"),
    ],
)
def test_back_that_finishes_a_verb_is_not_the_back(bundled_library, query: str, answer: str) -> None:
    """ "Coming back" is not back pain; "back pain" and "back" alone still are."""
    assert top(bundled_library, query)[0] == answer
    assert top(bundled_library, "back pain after blood patch")[0] == "back-pain-after-epidural-blood-patch"


def test_cord_compression_asks_for_the_decompression(bundled_library) -> None:
    """A compressed cord is the surgical emergency, not the nerve-injury page that mentions cord injury."""
    assert top(bundled_library, "spinal cord compression on the scan, what now")[0] == "surgical-decompression"


def test_a_seizure_after_a_nerve_block_is_local_anaesthetic_toxicity(bundled_library) -> None:
    assert (
        top(bundled_library, "convulsing ten minutes after her popliteal block")[0]
        == "local-anesthetic-systemic-toxicity"
    )


def test_rigors_are_the_shivering_after_a_block_or_a_fever(bundled_library) -> None:
    """Shaking an hour after a spinal is the shivering; shaking with fever days later is infection."""
    assert top(bundled_library, "rigoring in recovery after her spinal")[0] == "shivering-after-neuraxial-anesthesia"
    assert top(bundled_library, "febrile with rigors four days after epidural")[0] in {
        "epidural-abscess",
        "meningitis-after-neuraxial-procedure",
    }


def test_a_head_that_hurts_upright_is_the_spinal_headache_not_air_in_the_head(bundled_library) -> None:
    """ "Head" is the lay word for the headache; it is not the "air in the head" of pneumocephalus."""
    assert top(bundled_library, "her head is pounding whenever she stands up")[0] == "post-dural-puncture-headache"
    assert top(bundled_library, "air in the head after epidural")[0] == "pneumocephalus"
