"""Emergency pages give numbered first actions with cited doses, and never a withdrawn regimen."""

from __future__ import annotations

import re

import pytest
import yaml

from index.content import load_corpus, split_front_matter
from index.rendering import plain_text

pytestmark = pytest.mark.content

ACTION_PAGES = [
    "local-anesthetic-systemic-toxicity",
    "cardiac-arrest-after-spinal-anesthesia",
    "high-neuraxial-block",
    "respiratory-depression-after-neuraxial-opioids",
    "hypotension-after-spinal-anesthesia",
    "intravascular-epidural-catheter-migration",
    "subdural-block",
    "obstetric-cardiac-arrest",
]
DOSING_PAGES = [
    "lipid-emulsion-therapy",
    "naloxone-for-opioid-respiratory-depression",
    "vasopressors-for-spinal-hypotension",
    "maximum-local-anesthetic-doses",
]
REVIEWED_PAGES = [*ACTION_PAGES, *DOSING_PAGES, "epidural-test-dose"]

CITATION = re.compile(r"\[@[^\]]+\]")
# A dose or rate: a number followed by a drug-amount unit.
DOSE = re.compile(r"\d[\d.,–-]*\s*(mg|µg|micrograms|mcg|ml|mL)(/kg)?\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


def raw_section(entry, heading: str) -> str:
    found = [s for s in entry.sections if s.heading.lower() == heading.lower()]
    assert found, f"{entry.id}: no section '{heading}'"
    return found[0].markdown


def blocks(markdown: str) -> list[str]:
    """Paragraphs, list items and table rows, with wrapped lines joined."""
    found: list[str] = []
    for line in markdown.splitlines():
        starts_block = re.match(r"^(\d+\.\s|[-*]\s|\|)", line)
        if not line.strip():
            found.append("")
        elif starts_block or not found or not found[-1]:
            found.append(line)
        else:
            found[-1] += " " + line
    return [block for block in found if block]


def text(markdown: str) -> str:
    return plain_text(markdown).lower()


@pytest.mark.parametrize("entry_id", ACTION_PAGES)
def test_immediate_actions_come_first_as_a_cited_numbered_list(corpus, entry_id) -> None:
    entry = corpus.entries[entry_id]
    assert entry.urgency in {"emergency", "urgent"}
    assert entry.sections[0].heading == "Immediate actions", [s.heading for s in entry.sections[:3]]
    items = [b for b in blocks(entry.sections[0].markdown) if re.match(r"^\d+\.\s", b)]
    assert len(items) >= 3, entry_id
    for item in items:
        assert CITATION.search(item), f"{entry_id}: uncited action: {item}"


@pytest.mark.parametrize("entry_id", ACTION_PAGES + DOSING_PAGES)
def test_every_dose_line_carries_a_citation(corpus, entry_id) -> None:
    entry = corpus.entries[entry_id]
    heading = "Immediate actions" if entry_id in ACTION_PAGES else "Technique or dosing"
    for block in blocks(raw_section(entry, heading)):
        for cell in block.split("|"):
            if DOSE.search(CITATION.sub("", cell)):
                assert CITATION.search(cell), f"{entry_id}: dose without a citation: {block}"


def test_last_names_what_to_avoid_and_how_to_control_seizures(corpus) -> None:
    actions = text(raw_section(corpus.entries["local-anesthetic-systemic-toxicity"], "Immediate actions"))
    avoid = next(s for s in re.split(r"(?<=\.)\s+", actions) if "vasopressin" in s)
    for drug in ("vasopressin", "calcium-channel blockers", "beta-blockers", "local anesthetic"):
        assert drug in avoid, drug
    assert re.search(r"smaller individual epinephrine doses", actions)
    assert "benzodiazepine" in actions
    assert re.search(r"propofol[^.]*unstable", actions)


def test_last_gives_lipid_by_weight_and_the_obstetric_steps(corpus) -> None:
    entry = corpus.entries["local-anesthetic-systemic-toxicity"]
    actions = text(raw_section(entry, "Immediate actions"))
    assert "100 ml" in actions and "1.5 ml/kg" in actions and "12 ml/kg" in actions
    assert "left uterine displacement" in actions and "5 min" in actions
    targets = {link.target for link in entry.links}
    assert {"maximum-local-anesthetic-doses", "obstetric-cardiac-arrest", "lipid-emulsion-therapy"} <= targets
    assert "kapitanyan2019-medscape" not in entry.references


def test_lipid_gives_one_labelled_regimen_per_source_and_no_withdrawn_one(corpus) -> None:
    entry = corpus.entries["lipid-emulsion-therapy"]
    dosing = raw_section(entry, "Technique or dosing")
    assert "**ASRA checklist (2020 version).**" in dosing
    assert "**Association of Anaesthetists (UK).**" in dosing
    lowered = text(dosing)
    assert "1.5 ml/kg" in lowered and "0.25 ml/kg/min" in lowered
    assert "the card" not in lowered.replace("the card in the", "")
    # The withdrawn 2010 laminate's rates must not be offered as a regimen.
    assert "15 ml/kg/h" not in lowered and "30 ml/kg/h" not in lowered and "over 1 min" not in lowered


def test_lipid_drops_the_unsourced_caution_and_does_not_delay_for_hypersensitivity(corpus) -> None:
    entry = corpus.entries["lipid-emulsion-therapy"]
    assert "isolated, rapidly controlled seizure" not in entry.body
    cautions = text(raw_section(entry, "Contraindications and cautions"))
    hypersensitivity = next(s for s in cautions.split("\n") if "hypersensitivity" in s)
    assert "not to delay" in hypersensitivity


def test_arrest_after_spinal_has_doses_risk_factors_and_delivery_window(corpus) -> None:
    entry = corpus.entries["cardiac-arrest-after-spinal-anesthesia"]
    actions = text(raw_section(entry, "Immediate actions"))
    assert "atropine 500 micrograms" in actions and "3 mg" in actions
    assert "ephedrine 5–15 mg" in actions and "epinephrine" in actions
    assert "5 min" in actions
    risks = text(raw_section(entry, "Risk factors"))
    assert "below 60" in risks and "beta-blocker" in risks and "t5" in risks


def test_high_block_names_spinal_after_epidural_and_perimortem_delivery(corpus) -> None:
    entry = corpus.entries["high-neuraxial-block"]
    actions = text(raw_section(entry, "Immediate actions"))
    assert "atropine 500 micrograms" in actions and "ephedrine 5–15 mg" in actions
    assert "perimortem" in actions and "5 min" in actions
    assert re.search(
        r"spinal for cesarean delivery given after a labor epidural", text(raw_section(entry, "Risk factors"))
    )


def test_naloxone_doses_are_quoted_with_their_interval(corpus) -> None:
    entry = corpus.entries["naloxone-for-opioid-respiratory-depression"]
    dosing = text(raw_section(entry, "Technique or dosing"))
    assert "no naloxone doses are quoted" not in text(entry.body)
    assert "0.1–0.2 mg" in dosing and "every 2–3 min" in dosing
    assert "0.4–2 mg" in dosing and "10 mg" in dosing


def test_obstetric_arrest_entry(corpus) -> None:
    entry = corpus.entries["obstetric-cardiac-arrest"]
    assert entry.urgency == "emergency"
    actions = text(raw_section(entry, "Immediate actions"))
    assert "left uterine displacement" in actions and "5 min" in actions
    assert {"local-anesthetic-systemic-toxicity", "high-neuraxial-block"} <= {link.target for link in entry.links}


def test_maximum_doses_quote_the_lidocaine_label(corpus) -> None:
    dosing = text(raw_section(corpus.entries["maximum-local-anesthetic-doses"], "Technique or dosing"))
    assert "4.5 mg/kg" in dosing and "300 mg" in dosing
    assert "7 mg/kg" in dosing and "500 mg" in dosing


@pytest.mark.parametrize("entry_id", REVIEWED_PAGES)
def test_review_record_names_no_person_and_checks_cited_sources(corpus, entry_id) -> None:
    entry = corpus.entries[entry_id]
    front, _body, _line = split_front_matter(entry.path.read_text(encoding="utf-8"))
    data = yaml.safe_load(front)
    assert "reviewed" not in data
    review = data["review"]
    assert review["status"] in {"draft", "checked-against-sources"}
    assert str(review["date"]) == "2026-11-30"
    assert review["checked"].strip()
    assert review["sources"] and set(review["sources"]) <= set(entry.references)
