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
        ("once the epidural is out", "epidural-catheter-removal"),
        ("after the epidural removal", "epidural-catheter-removal"),
        ("after an inadvertent dural puncture", "accidental-dural-puncture"),
        ("after an IDP", "accidental-dural-puncture"),
        ("when she tapped the dura", "accidental-dural-puncture"),
        ("since they took the tube out of her back", "epidural-catheter-removal"),
        ("a day after the blood injection", "epidural-blood-patch"),
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
    # the filler words inside a question phrase go with it
    assert parse_query("high spinal - what do i do", vocabulary).search_text == "high spinal -"


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
        ("OxyNorm", "opioid"),
        ("tramadol", "opioid"),
        ("mag sulph", "magnesium sulfate"),
        ("norad", "vasopressor"),
        ("Arcoxia", "NSAID"),
        ("coffee", "caffeine"),
        ("Gelofusine", "colloid"),
        ("calcium chloride", "calcium gluconate"),
        ("Prilotekal", "prilocaine"),
        ("Clorotekal", "chloroprocaine"),
        ("her tummy injections", "LMWH"),  # what patients call a daily LMWH
        ("an adductor canal block", "local anesthetic"),
        (
            "pethidine",
            "meperidine",
        ),  # the UK name of the drug the content names by its INN  # a nerve block is a dose of local anaesthetic
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
        "    - out of it\n"  # line 9: reads as the one word "out"
        "symptoms:\n",  # line 10: a second block YAML would silently keep
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
    assert any(
        s.startswith("resources/presentations.yaml:9: error: phrase 'out of it' reads as the one word 'out'")
        for s in shown
    )
    assert any(s.startswith("resources/presentations.yaml:10: error: duplicate key 'symptoms'") for s in shown)
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
    # Leg and back pain that began the first night can still be there on day 2: TNS, marked, stays
    # near the top; ten days out it has fallen well down the list.
    def tns(hours: float) -> tuple[int, object]:
        ranked = bundled_library.profiles(["radicular-pain", "back-pain"], hours)
        place = next(i for i, p in enumerate(ranked) if p.id == "transient-neurologic-symptoms")
        return place, ranked[place]

    (day_two, early), (day_ten, late) = tns(48), tns(240)
    assert early.outside_window and late.outside_window
    assert early.score > late.score and day_two < day_ten


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


def test_a_long_profile_wins_on_its_own_lead_symptom() -> None:
    # The defining symptom of a profile that also lists many associated ones outranks a shorter
    # profile where the same symptom comes second: the centrality is measured against the few
    # leading symptoms, not the whole list.
    long = (
        "postural-headache",
        "neck-stiffness",
        "hearing-disturbance",
        "photophobia",
        "nausea-vomiting",
        "dizziness",
        "visual-disturbance",
        "diplopia",
    )
    scorer = ProfileScorer(
        [
            profile("defined-by-it", long, None),
            profile("lists-it-second", ("radicular-pain", "postural-headache", "back-pain", "numbness"), None),
            profile("other", ("back-pain", "numbness", "fever"), None),
        ]
    )
    ranked = [p.id for p, _ in scorer.rank([("postural-headache",)])]
    assert ranked[0] == "defined-by-it", ranked


def test_one_typed_symptom_read_two_ways_counts_once() -> None:
    # "headache" may be postural or not: a profile listing both kinds must not count it twice and
    # outrank the profile whose leading signs are the headache and the visual symptom typed.
    scorer = ProfileScorer(
        [
            profile("lists-both-headaches", ("non-postural-headache", "postural-headache", "visual-disturbance"), None),
            profile("headache-and-vision", ("non-postural-headache", "visual-disturbance", "neck-stiffness"), None),
            profile("other", ("postural-headache", "neck-stiffness"), None),
        ]
    )
    slots = [("postural-headache", "non-postural-headache"), ("visual-disturbance",)]
    ranked = [p.id for p, _ in scorer.rank(slots)]
    assert ranked[0] == "headache-and-vision", ranked


def test_symptom_finder_puts_the_leak_headache_first_for_a_postural_headache_at_any_time(bundled_library) -> None:
    matches = find_profiles(bundled_library.service.store, ["postural-headache"], None)
    assert matches[0].id == "post-dural-puncture-headache", [m.id for m in matches[:3]]


def test_facial_weakness_after_a_dural_puncture_finds_the_cranial_nerve_palsy(bundled_library) -> None:
    hits = [h.id for h in bundled_library.search("mouth drooping on one side after a dural puncture").hits]
    assert hits[0] == "cranial-nerve-palsy-after-dural-puncture", hits[:3]


@pytest.mark.parametrize(
    "query",
    [
        "tingling in both legs and unable to pass urine after the spinal",
        "tingling legs and incontinence after epidural",
    ],
)
def test_tingling_with_a_sphincter_problem_keeps_the_cauda_equina_in_view(bundled_library, query) -> None:
    # The page says numbness, the patient says tingling: a profile listing the kindred sensory
    # symptom partly explains it.
    hits = [h.id for h in bundled_library.search(query).hits]
    assert "cauda-equina-syndrome" in hits[:3], hits[:5]


@pytest.mark.parametrize(
    "query", ["convulsing straight after the epidural top-up", "she had a fit just after the epidural dose"]
)
def test_a_seizure_right_after_an_epidural_dose_is_local_anesthetic_toxicity_first(bundled_library, query) -> None:
    # Seizures and arrhythmia define the toxicity (its summary and red flags), not only its prodrome.
    hits = [h.id for h in bundled_library.search(query).hits]
    assert hits[0] == "local-anesthetic-systemic-toxicity", hits[:3]


def test_a_complication_of_nothing_but_the_named_procedure_ranks_first() -> None:
    symptoms = ("leg-weakness", "bladder-bowel-dysfunction")
    scorer = ProfileScorer(
        [
            profile(
                "after-many",
                symptoms,
                None,
                procedures=("epidural-blood-patch", "spinal-anesthesia", "labor-epidural-analgesia"),
            ),
            profile("after-the-patch-only", symptoms, None, procedures=("epidural-blood-patch",)),
        ]
    )
    ranked = [p.id for p, _ in scorer.rank([("leg-weakness",)], procedures=("epidural-blood-patch",))]
    assert ranked[0] == "after-the-patch-only", ranked
    unnamed = [p.id for p, _ in scorer.rank([("leg-weakness",)])]
    assert unnamed[0] == "after-many", unnamed  # with no procedure named, the one that follows more


def test_weak_legs_and_retention_after_a_blood_patch_keep_its_hematoma_in_view(bundled_library) -> None:
    hits = [h.id for h in bundled_library.search("weak legs and cant pass urine two days after a blood patch").hits]
    assert "spinal-hematoma-after-epidural-blood-patch" in hits[:3], hits[:5]


@pytest.mark.parametrize(
    ("typed", "tried", "refused"),
    [
        ("the naloxone isnt working, next?", (("naloxone",),), ()),
        ("scan showed a collection", (("scan",),), ()),
        ("headache despite caffeine", (("caffeine",),), ()),
        ("she refuses a blood patch", (), (("blood", "patch"),)),
        ("epidural blood patch declined", (), (("epidural", "blood", "patch"),)),
        ("a blood patch is not an option", (), (("blood", "patch"),)),  # filler words inside the marker
        ("failed spinal", (), ()),  # the vocabulary reads the whole phrase as a symptom
        ("caffeine and rest, what now", (), ()),
    ],
)
def test_a_step_done_failed_or_refused_is_read_with_its_words(vocabulary, typed, tried, refused) -> None:
    parsed = parse_query(typed, vocabulary)
    assert (parsed.tried, parsed.refused) == (tried, refused)


def test_a_drug_typed_before_for_is_the_treatment_asked_about(vocabulary) -> None:
    parsed = parse_query("chlorpheniramine for itching after epidural morphine", vocabulary)
    assert parsed.given_words == {"chlorpheniramine"} and parsed.given_names == ("antihistamines",)
    assert parse_query("itching after epidural morphine", vocabulary).given_words == frozenset()


def test_set_up_asks_how_to_do_it(vocabulary) -> None:
    parsed = parse_query("set up an epidural for labour", vocabulary)
    assert parsed.intent == "howto" and parsed.sections[0] == "Steps"
    assert "set" not in parsed.search_text


def test_words_after_after_that_the_vocabulary_does_not_know_are_the_setting(vocabulary) -> None:
    parsed = parse_query("fitting after an ankle block", vocabulary)
    assert {"ankle", "block"} <= parsed.context_words
    assert "fitting" not in parsed.context_words


@pytest.mark.parametrize(
    ("typed", "intent"),
    [
        ("headache when she sits up", None),  # "when" joins the clause, it does not ask
        ("tingling in the leg when the needle went in", None),
        ("epidural out when", "timing"),  # at the end of the clause it asks
        ("pdph, when?", "timing"),
        ("when can i pull the epidural", "timing"),
        ("patchy block 20 min after the epidural dose", None),  # the dose given, not a dose asked
        ("max dose of bupivacaine after a spinal", "dose"),
    ],
)
def test_a_question_word_asks_only_where_a_question_stands(vocabulary, typed, intent) -> None:
    assert parse_query(typed, vocabulary).intent == intent


@pytest.mark.parametrize(
    ("typed", "asked"),
    [
        ("numbing spray up the nose for headache", True),
        ("headache for two days", False),  # what is wrong, then how long
        ("on day 2 after spinal for knee op aching legs", False),  # what the spinal was for
    ],
)
def test_words_then_for_then_a_symptom_ask_for_a_treatment(vocabulary, typed, asked) -> None:
    assert parse_query(typed, vocabulary).treatment_asked is asked


def test_a_symptom_to_be_prevented_is_not_part_of_the_presentation(vocabulary) -> None:
    assert parse_query("which needle to prevent a headache", vocabulary).symptoms == ()
    assert parse_query("spinal, how to avoid itching", vocabulary).symptoms == ()
    assert parse_query("headache after spinal", vocabulary).symptoms != ()


def test_which_needle_asks_for_the_equipment(vocabulary) -> None:
    parsed = parse_query("what needle for a spinal in a child", vocabulary)
    assert parsed.intent == "equipment" and parsed.sections[0] == "Preparation and equipment"
    assert parsed.settings == ()  # the spinal is what the needle is for, and the question's topic


@pytest.mark.parametrize(
    ("query", "answer"),
    [
        # lay words for the bladder: wee, peed, passed water, a full or swollen lower tummy
        ("not able to wee since her spinal yesterday", "urinary-retention-after-neuraxial-block"),
        ("suprapubic swelling and hasnt passed water after the epidural", "urinary-retention-after-neuraxial-block"),
        # the skin crawling, scratching everywhere: itch
        ("her skin crawls ever since the spinal diamorphine", "pruritus-after-neuraxial-opioids"),
        # heavy legs, legs like lead, lower limb shorthand: weakness
        ("legs like lead two hours after the epidural was stopped", "spinal-epidural-hematoma"),
        # felt them pulling, hurt during the section: the block was not enough
        ("she felt the knife during the caesarean under spinal", "failed-or-inadequate-neuraxial-block"),
        ("felt them pulling at the section and it hurt", "failed-or-inadequate-neuraxial-block"),
        ("intraoperative pain during LSCS under spinal", "failed-or-inadequate-neuraxial-block"),
    ],
)
def test_how_people_word_a_presentation_reaches_its_entry(bundled_library, query: str, answer: str) -> None:
    top = [hit.id for hit in bundled_library.search(query, limit=3).hits]
    assert answer in top, top


@pytest.mark.parametrize(
    ("typed", "symptom"),
    [
        ("pins n needles in her feet", "paresthesia"),
        ("his face has gone lopsided", "facial-weakness"),
        ("spots in her vision", "visual-disturbance"),
        ("crawling skin", "pruritus"),
        ("thighs ache", "radicular-pain"),
        ("waterworks problems", "bladder-bowel-dysfunction"),
        ("focal neuro signs", "focal-neurological-deficit"),
        ("legs feel heavy", "leg-weakness"),
        ("not covering the right side", "inadequate-block"),
        ("pain at the back of her head", "postural-headache"),
        ("keeps rubbing her nose", "pruritus"),
        ("left side not numb", "inadequate-block"),
        ("the spinal didnt work", "inadequate-block"),
        ("frothing at the mouth", "seizure"),
        ("massive bladder", "bladder-bowel-dysfunction"),
        ("her face looks droopy", "facial-weakness"),
        ("reduced power in both legs", "leg-weakness"),
        ("positive Kernig sign", "neck-stiffness"),
        ("hypoaesthesia of both feet", "numbness"),
        ("stuporose after the top up", "reduced-consciousness"),
        ("lateral rectus palsy", "diplopia"),
        ("fighting for breath", "dyspnea"),
        ("she is seeing things", "confusion"),
        ("her eyes wont focus", "visual-disturbance"),
        ("her ears feel funny", "hearing-disturbance"),
        ("resp depn", "respiratory-depression"),
        ("erythema at the old epidural site", "local-tenderness"),
        ("her mouth feels strange", "perioral-numbness"),
        ("she can hear a ringing noise", "hearing-disturbance"),
        ("her chest feels tight", "dyspnea"),
        ("she cant feel to wipe herself", "saddle-anesthesia"),
        ("she hasnt had a wee", "bladder-bowel-dysfunction"),
        ("her legs are still floppy", "prolonged-block"),
        ("she can feel the operation", "inadequate-block"),
        ("her head is banging", "non-postural-headache"),
        ("she looks ashen", "hypotension"),
        ("her heart has slowed right down", "bradycardia"),
        ("she cant feel her fingers", "upper-limb-weakness"),
        ("a lump where the needle went in", "local-tenderness"),
        ("leg cramps since the spinal", "radicular-pain"),
        ("urinary retension", "bladder-bowel-dysfunction"),  # one slip from two known words: listed
        ("numbnes in both feet", "numbness"),
        ("headahce", "postural-headache"),
    ],
)
def test_more_ways_of_saying_a_symptom_are_read(vocabulary, typed: str, symptom: str) -> None:
    parsed = parse_query(typed, vocabulary)
    assert any(symptom in slot for slot in parsed.symptoms), parsed


@pytest.mark.parametrize(
    ("typed", "symptom"),
    [
        ("BLL weakness", "leg-weakness"),  # lower limbs: the legs, not any weakness
        ("her legs have gone weak", "leg-weakness"),
        ("headache has lost its postural quality", "non-postural-headache"),
        ("headache even when lying down", "non-postural-headache"),
        ("numb lateral thigh", "single-nerve-deficit"),  # one nerve's patch, not numbness in general
    ],
)
def test_a_specific_phrase_is_read_as_one_symptom_not_a_broad_one(vocabulary, typed: str, symptom: str) -> None:
    assert (symptom,) in parse_query(typed, vocabulary).symptoms


@pytest.mark.parametrize(
    "typed", ["epidural catheter out on time", "motor block out of proportion", "sat out in a chair"]
)
def test_the_word_out_alone_is_not_confusion(vocabulary, typed: str) -> None:
    assert not any("confusion" in slot for slot in parse_query(typed, vocabulary).symptoms)


@pytest.mark.parametrize(
    ("typed", "not_read"),
    [
        ("tachy after ephedrine", "pruritus"),
        ("one sided headache", "inadequate-block"),
        ("felt faint after the spinal", "inadequate-block"),  # "felt" alone is not feeling the surgery
        ("her vision is normal", "visual-disturbance"),
    ],
)
def test_a_word_two_slips_or_a_context_away_is_not_read_as_a_symptom(vocabulary, typed: str, not_read: str) -> None:
    assert not any(not_read in slot for slot in parse_query(typed, vocabulary).symptoms)


def test_one_slip_is_still_forgiven(vocabulary) -> None:
    assert any("pruritus" in slot for slot in parse_query("scratchng all night", vocabulary).symptoms)
    assert any("seizure" in slot for slot in parse_query("seizrue", vocabulary).symptoms)  # two letters swapped


def test_blood_back_in_a_catheter_is_not_a_blood_patch(vocabulary) -> None:
    assert "epidural-blood-patch" not in parse_query("blood back in the epidural line", vocabulary).procedures


def test_a_subarachnoid_bleed_is_not_a_spinal(vocabulary) -> None:
    assert parse_query("subarachnoid haemorrhage postpartum", vocabulary).procedures == ()


def test_a_dermatome_level_is_a_level_not_a_temperature(vocabulary) -> None:
    parsed = parse_query("sensory level T6 after the top up", vocabulary)
    assert "T6" in parsed.search_text
    assert not any("fever" in slot for slot in parsed.symptoms)


@pytest.mark.parametrize(
    ("typed", "symptom"),
    [
        ("a mouth that tastes like metal", "perioral-numbness"),
        ("burning in her back", "back-pain"),
        ("burning down both legs", "radicular-pain"),
    ],
)
def test_a_taste_or_a_burning_is_read_as_its_symptom(vocabulary, typed: str, symptom: str) -> None:
    assert any(symptom in slot for slot in parse_query(typed, vocabulary).symptoms)


@pytest.mark.parametrize(
    ("typed", "symptom"),
    [
        ("her legs went dead", "leg-weakness"),
        ("legs totally dead", "leg-weakness"),
        ("face went droopy", "facial-weakness"),
    ],
)
def test_words_that_only_tell_the_story_do_not_split_a_symptom(vocabulary, typed: str, symptom: str) -> None:
    assert any(symptom in slot for slot in parse_query(typed, vocabulary).symptoms)
