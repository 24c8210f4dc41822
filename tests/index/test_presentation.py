"""The presentation layer: the bedside vocabulary data, time phrases, drug classes, the checks on
the data files, and the profile scoring the symptom finder shares with search."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from index.clinical import find_profiles
from index.content import load_corpus
from index.paths import bundled_resources
from index.presentation import Profile, ProfileScorer, load_vocabulary, parse_query
from index.validate import validate

SYMPTOMS = {s["id"]: s["label"] for s in yaml.safe_load((bundled_resources() / "symptoms.yaml").read_text())}


@pytest.fixture(scope="module")
def vocabulary():
    return load_vocabulary(symptoms=SYMPTOMS)


def test_the_bundled_vocabulary_is_clean(vocabulary) -> None:
    assert vocabulary.problems == []
    assert vocabulary.red_flags <= set(SYMPTOMS)


@pytest.mark.parametrize(
    ("typed", "symptom"),
    [
        ("can't feel my legs", "numbness"),
        ("cant feel legs", "leg-weakness"),
        ("weak legs", "leg-weakness"),
        ("legs weak", "leg-weakness"),
        ("cant pee", "bladder-bowel-dysfunction"),
        ("buzzing in the ears", "hearing-disturbance"),
        ("numb lips", "perioral-numbness"),
        ("stiff neck", "neck-stiffness"),
        ("confused", "confusion"),
        ("fitting", "seizure"),
        ("paraesthesia", "paresthesia"),
        ("siezure", "seizure"),
        ("photofobia", "photophobia"),  # one slip in a long word is still read
        ("headache", "postural-headache"),
        ("headache", "non-postural-headache"),
        ("my head hurts when I stand up", "postural-headache"),
        ("she can't sit up for the headache", "postural-headache"),
        ("headache no longer postural", "non-postural-headache"),
        ("seeing double", "diplopia"),
        ("two of everything", "diplopia"),
        ("can't lift my foot", "single-nerve-deficit"),
        ("legs like jelly", "leg-weakness"),
        ("my back is killing me", "back-pain"),
        ("her hands are going numb", "upper-limb-weakness"),
        ("feels like she's going to pass out", "dizziness"),
        ("bladder feels full", "bladder-bowel-dysfunction"),
        ("can feel the surgeon cutting", "inadequate-block"),
        ("epidural only working on one side", "inadequate-block"),
        ("shaking like a leaf", "shivering"),
        ("won't wake up", "reduced-consciousness"),
    ],
)
def test_what_people_type_reaches_the_controlled_symptom(vocabulary, typed: str, symptom: str) -> None:
    parsed = parse_query(typed, vocabulary)
    assert any(symptom in slot for slot in parsed.symptoms), parsed


@pytest.mark.parametrize(
    ("typed", "procedure"),
    [
        ("after a spinal", "spinal-anesthesia"),
        ("after the epidural", "labor-epidural-analgesia"),
        ("after CSE", "combined-spinal-epidural"),
        ("after a bloodpatch", "epidural-blood-patch"),
        ("after catheter removal", "epidural-catheter-removal"),
        ("after lumbar puncture", "diagnostic-lumbar-puncture"),
    ],
)
def test_the_procedure_sets_the_context(vocabulary, typed: str, procedure: str) -> None:
    assert parse_query(typed, vocabulary).procedures == (procedure,)


@pytest.mark.parametrize(
    ("typed", "hours", "left"),
    [
        ("numb legs 12 hours after spinal", 12, "numb legs spinal"),
        ("headache on day 3", 72, "headache"),
        ("fever a fortnight later", 336, "fever"),
        ("back pain 2 days post CSE", 48, "back pain CSE"),
        ("headache since yesterday", 24, "headache since"),
        ("weak legs 24h after epidural", 24, "weak legs epidural"),
        ("headache 3/7 after spinal", 72, "headache spinal"),
        ("12-lead ECG after spinal", None, "12-lead ECG after spinal"),
        ("5 ml test dose", None, "5 ml test dose"),
        ("drowsy on day three", 72, "drowsy"),
        ("backache since the day before yesterday", 48, "backache since"),
        ("lips tingling within seconds", 0.1, "lips tingling"),
        ("we have just given a spinal and she is grey", 0.1, "we have a spinal and she is grey"),
        ("back pain a day later", 24, "back pain"),
        ("febrile the next evening", 24, "febrile"),
        ("headache on the second postpartum day", 48, "headache"),
        ("faint shortly after the spinal", 0.5, "faint the spinal"),
    ],
)
def test_time_phrases_are_read_as_time_and_taken_out_of_the_words(vocabulary, typed, hours, left) -> None:
    parsed = parse_query(typed, vocabulary)
    assert parsed.hours == hours
    assert parsed.search_text == left


@pytest.mark.parametrize(
    ("typed", "hours", "procedure"),
    [
        # During or just after an injection: minutes, and the procedure is still read.
        ("ringing ears after the second top-up", 0.1, "labor-epidural-analgesia"),
        ("went grey following her spinal bolus", 0.1, "spinal-anesthesia"),
        ("shooting pain as the tuohy was going in", 0.1, None),
        ("pain in her back while the epidural was being sited", 0.1, "labor-epidural-analgesia"),
        ("felt sick during the spinal", 0.1, "spinal-anesthesia"),
        ("dizzy as they put the spinal in", 0.1, "spinal-anesthesia"),
        ("tinnitus after they topped up the epidural", 0.1, "labor-epidural-analgesia"),
        # A unit with no number is two of it, and stays a word to match.
        ("leg pain weeks after the epidural", 336, "labor-epidural-analgesia"),
        ("backache for months since a spinal", 1440, "spinal-anesthesia"),
        ("still numb hours later after the spinal", 2, "spinal-anesthesia"),
    ],
)
def test_events_at_an_injection_are_minutes_and_bare_units_are_time(vocabulary, typed, hours, procedure) -> None:
    parsed = parse_query(typed, vocabulary)
    assert parsed.hours == hours
    assert parsed.search_text == typed  # no number: every word is still matched
    if procedure is not None:
        assert procedure in parsed.procedures


@pytest.mark.parametrize(
    "typed", ["back ache while giving birth", "temp 38 when i did her obs", "headache when she sits up"]
)
def test_a_moment_with_no_injection_in_it_is_not_a_time(vocabulary, typed: str) -> None:
    assert parse_query(typed, vocabulary).hours is None


def test_questions_set_the_intent_and_are_not_searched(vocabulary) -> None:
    act = parse_query("wet tap what now", vocabulary)
    assert act.intent == "act" and act.search_text == "wet tap" and act.sections[0] == "Immediate actions"
    dose = parse_query("intralipid how much", vocabulary)
    assert dose.intent == "dose" and "Technique or dosing" in dose.sections
    assert parse_query("caffeine treatment", vocabulary).search_text == "caffeine treatment"


@pytest.mark.parametrize(
    ("typed", "content_name"),
    [
        ("enoxaparin", "LMWH"),
        ("Clexane", "low molecular weight heparin"),
        ("Fragmin", "LMWH"),
        ("tinzaparin", "LMWH"),
        ("apixaban", "DOAC"),
        ("Eliquis", "DOAC"),
        ("rivaroxaban", "direct oral anticoagulant"),
        ("dabigatran", "DOAC"),
        ("clopidogrel", "antiplatelet"),
        ("aspirin", "antiplatelet"),
        ("warfarin", "anticoagulant"),
        ("intralipid", "lipid emulsion"),
        ("cosyntropin", "ACTH"),
        ("tetracosactide", "ACTH"),
        ("low molecular weight heparin", "LMWH"),
        ("pregabalin", "gabapentin"),
        ("Marcaine", "bupivacaine"),
        ("Zofran", "ondansetron"),
        ("Tylenol", "acetaminophen"),
    ],
)
def test_drug_names_reach_the_names_the_content_uses(vocabulary, typed: str, content_name: str) -> None:
    assert content_name in parse_query(typed, vocabulary).drug_names


def test_every_drug_class_name_is_in_the_content() -> None:
    """A class that names nothing the content says would lead a brand nowhere."""
    corpus = load_corpus()
    text = " ".join(
        " ".join([e.title, e.summary, *e.aliases, *(s.markdown for s in e.sections)]) for e in corpus.entries.values()
    ).lower()
    drugs = yaml.safe_load((bundled_resources() / "drugs.yaml").read_text())
    for name, spec in drugs.items():
        assert any(n.lower() in text for n in spec["names"]), name


def write_resources(tmp_path: Path, presentations: str, drugs: str = "") -> Path:
    (tmp_path / "presentations.yaml").write_text(presentations, encoding="utf-8")
    (tmp_path / "drugs.yaml").write_text(drugs, encoding="utf-8")
    return tmp_path


def test_bad_vocabulary_data_is_reported_with_file_and_line(tmp_path: Path) -> None:
    resources = write_resources(
        tmp_path,
        "symptoms:\n"
        "  numbness:\n"
        "    - numb legs\n"
        "    - legs numb\n"  # line 4: the same phrase, word order aside
        "  no-such-symptom:\n"  # line 5
        "    - glowing toes\n"
        "  leg-weakness:\n"
        "    - numb legs\n"  # line 8: already means numbness
        "symptoms:\n",  # line 9: a second block YAML would silently keep
        "lmwh:\n  names: [LMWH]\n  members: [enoxaparin]\n"
        "doac:\n  names: [DOAC]\n  members: [enoxaparin]\n",  # line 6: a member of two classes
    )
    problems = load_vocabulary(resources, symptoms=SYMPTOMS).problems
    shown = {str(p) for p in problems}
    assert any(s.startswith("resources/presentations.yaml:4: error: duplicate phrase 'legs numb'") for s in shown)
    assert any(s.startswith("resources/presentations.yaml:5: error: unknown symptom 'no-such-symptom'") for s in shown)
    assert any(
        s.startswith(
            "resources/presentations.yaml:8: error: phrase 'numb legs' means 'leg-weakness' here but 'numbness'"
        )
        for s in shown
    )
    assert any(s.startswith("resources/presentations.yaml:9: error: duplicate key 'symptoms'") for s in shown)
    assert any(s.startswith("resources/drugs.yaml:6: error: phrase 'enoxaparin' means 'doac'") for s in shown)


def test_bad_measure_data_is_reported_with_file_and_line(tmp_path: Path) -> None:
    resources = write_resources(
        tmp_path,
        "measures:\n"
        "  respiratory-rate:\n"
        "    names: [RR]\n"
        "    below: [10, no-such-symptom]\n"
        "  heart-rate:\n"  # line 5
        "    names: [rr, HR]\n"
        "    below: ten\n",
    )
    shown = {str(p) for p in load_vocabulary(resources, symptoms=SYMPTOMS).problems}
    assert any(s.startswith("resources/presentations.yaml:2: error: unknown symptom 'no-such-symptom'") for s in shown)
    assert any(s.startswith("resources/presentations.yaml:6: error: measure name 'rr' is also") for s in shown)
    assert any(
        s.startswith("resources/presentations.yaml:5: error: measure 'heart-rate': below must be") for s in shown
    )


def test_bad_body_part_data_is_reported_with_file_and_line(tmp_path: Path) -> None:
    resources = write_resources(
        tmp_path,
        "body_parts:\n"
        "  reread: [numbness]\n"
        "  parts:\n"
        "    upper-limb-weakness: [hand, arm]\n"
        "    no-such-symptom: [knee]\n"  # line 5
        "    perioral-numbness: [hands]\n",  # line 6: "hands" is "hand"
    )
    shown = {str(p) for p in load_vocabulary(resources, symptoms=SYMPTOMS).problems}
    assert any(s.startswith("resources/presentations.yaml:5: error: unknown symptom 'no-such-symptom'") for s in shown)
    assert any(s.startswith("resources/presentations.yaml:6: error: body part 'hands' is listed twice") for s in shown)


def test_validate_runs_the_vocabulary_checks() -> None:
    corpus = load_corpus()
    corpus.symptoms = {k: v for k, v in corpus.symptoms.items() if k != "seizure"}
    messages = [str(p) for p in validate(corpus)]
    assert any("presentations.yaml" in m and "unknown symptom 'seizure'" in m for m in messages)


def profile(pid: str, symptoms: tuple[str, ...], onset, urgency: str = "urgent", procedures=()) -> Profile:
    return Profile(pid, pid, urgency, onset, symptoms, frozenset(procedures))


def test_an_open_ended_onset_is_never_outside_its_window() -> None:
    scorer = ProfileScorer(
        [profile("late", ("leg-weakness",), (0.0, None), "emergency"), profile("early", ("leg-weakness",), (0.0, 72.0))]
    )
    ranked = {p.id: fit for p, fit in scorer.rank([("leg-weakness",)], hours=2000)}
    assert ranked["late"].in_window and not ranked["early"].in_window


def test_specific_symptoms_count_more_than_common_ones() -> None:
    scorer = ProfileScorer(
        [
            profile("a", ("nausea-vomiting", "fever"), None),
            profile("b", ("nausea-vomiting", "dizziness"), None),
            profile("c", ("nausea-vomiting",), None),
        ]
    )
    ranked = [p.id for p, _ in scorer.rank([("nausea-vomiting",), ("fever",)])]
    assert ranked[0] == "a"


def test_symptom_finder_puts_the_likeliest_profile_first(bundled_library) -> None:
    store = bundled_library.service.store
    matches = find_profiles(store, ["postural-headache"], 24)
    assert matches[0].id == "post-dural-puncture-headache"
    assert all(m.urgency in ("emergency", "urgent", "routine") for m in matches)
    retention = find_profiles(store, ["bladder-bowel-dysfunction"], 12)
    assert retention[0].id == "urinary-retention-after-neuraxial-block"


def test_symptom_finder_marks_a_late_complication_outside_its_window_minutes_after_the_puncture(
    bundled_library,
) -> None:
    # A subdural haematoma and meningitis take hours to days: listed at 10 minutes, but marked.
    subdural = "intracranial-subdural-hematoma-after-dural-puncture"
    minutes = {m.id: m for m in bundled_library.profiles(["seizure", "confusion"], 10 / 60)}
    days = {m.id: m for m in bundled_library.profiles(["seizure", "confusion"], 72)}
    for late in (subdural, "meningitis-after-neuraxial-procedure"):
        assert minutes[late].outside_window and not days[late].outside_window
    assert not minutes["local-anesthetic-systemic-toxicity"].outside_window


def test_symptom_finder_marks_transient_neurologic_symptoms_outside_its_window_during_the_block(
    bundled_library,
) -> None:
    # TNS starts once the spinal has worn off: leg pain at the needle is something else.
    at_the_needle = {m.id: m for m in bundled_library.profiles(["radicular-pain"], 5 / 60)}
    next_morning = {m.id: m for m in bundled_library.profiles(["radicular-pain"], 14)}
    assert at_the_needle["transient-neurologic-symptoms"].outside_window
    assert not next_morning["transient-neurologic-symptoms"].outside_window
    assert not at_the_needle["nerve-injury-after-neuraxial-block"].outside_window


def test_symptom_finder_never_marks_an_obstetric_arrest_outside_a_window(bundled_library) -> None:
    # Maternal arrest can come at any time in pregnancy or after delivery, not only on the first day.
    for hours in (5 / 60, 30, 24 * 10):
        found = {m.id: m for m in bundled_library.profiles(["arrhythmia", "reduced-consciousness"], hours)}
        assert not found["obstetric-cardiac-arrest"].outside_window, hours


def test_symptom_finder_cuts_a_profile_just_past_its_window_less_than_one_far_past_it(bundled_library) -> None:
    # Leg and back pain that began the first night can still be there on day 2: TNS, marked, still
    # leads; ten days out it no longer does.
    def ranked(hours: float) -> list:
        return bundled_library.profiles(["radicular-pain", "back-pain"], hours)

    day_two, day_ten = ranked(48), ranked(240)
    assert day_two[0].id == "transient-neurologic-symptoms" and day_two[0].outside_window
    assert day_ten[0].id != "transient-neurologic-symptoms"


def test_symptom_finder_lists_a_profile_outside_its_window_lower_and_marked(bundled_library) -> None:
    store = bundled_library.service.store
    inside = find_profiles(store, ["leg-weakness", "back-pain"], 24)
    late = find_profiles(store, ["leg-weakness", "back-pain"], 24 * 30)
    cauda_inside = next(m for m in inside if m.id == "cauda-equina-syndrome")
    cauda_late = next(m for m in late if m.id == "cauda-equina-syndrome")  # listed, not hidden
    assert cauda_inside.in_window and not cauda_late.in_window and cauda_late.outside_window
    assert cauda_late.score < cauda_inside.score
    assert [m.id for m in late].index("cauda-equina-syndrome") > [m.id for m in inside].index("cauda-equina-syndrome")
    assert {m.id for m in inside} == {m.id for m in late}


@pytest.mark.parametrize(
    ("typed", "present", "absent"),
    [
        ("extensive sensory block with little motor block", "numbness", "leg-weakness"),
        ("back pain no fever", "back-pain", "fever"),
        ("headache without neck stiffness", "postural-headache", "neck-stiffness"),
    ],
)
def test_a_symptom_said_to_be_absent_is_not_part_of_the_presentation(vocabulary, typed, present, absent) -> None:
    slots = parse_query(typed, vocabulary).symptoms
    assert any(present in slot for slot in slots), slots
    assert not any(absent in slot for slot in slots), slots


def test_a_phrase_that_says_no_itself_is_still_a_symptom(vocabulary) -> None:
    assert parse_query("no pulse", vocabulary).symptoms == (("arrhythmia",),)
