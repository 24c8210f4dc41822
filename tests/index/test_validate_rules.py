"""The content rules an author meets at the bedside standard: review records, immediate actions
first, cited doses and intervals, identified journal references, and structure read from tokens.

Each test breaks one rule in a copy of the fixture corpus and reads what `validate` reports, with
the file and line an author would look for.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from index.content import load_corpus
from index.library import open_library
from index.paths import app_dirs
from main import main
from tests.helpers import edit, line_of, problems_for

ROOT = Path(__file__).resolve().parents[2]


def reported(found: list[str], path: Path, line: int, message: str) -> bool:
    return any(f"{path.name}:{line}: error:" in p and message in p for p in found)


@pytest.fixture
def headache(mini_corpus: Path) -> Path:
    return mini_corpus / "complication" / "fixture-headache.md"


@pytest.fixture
def rest(mini_corpus: Path) -> Path:
    return mini_corpus / "management" / "fixture-rest.md"


def make_emergency(path: Path, actions: str | None) -> None:
    """Turn the fixture headache into an emergency, with the given Immediate actions section."""
    edit(path, "urgency: routine", "urgency: emergency")
    edit(path, "**Urgency:** Routine — review daily.", "**Urgency:** Emergency — act now.")
    if actions is not None:
        edit(path, "## At a glance", f"{actions}\n## At a glance")


# --- review record -------------------------------------------------------------------------------


def test_old_reviewed_date_asks_for_a_review_record(mini_corpus: Path, rest: Path) -> None:
    text = rest.read_text(encoding="utf-8")
    start, end = text.index("review:"), text.index("---\n\n## Indications")
    rest.write_text(text[:start] + "reviewed: 2026-11-25\n" + text[end:], encoding="utf-8")
    found = problems_for(mini_corpus)
    assert reported(found, rest, line_of(rest, "reviewed:"), "write 'review:' with status"), found
    assert not any("missing required field 'review'" in p or "unknown field" in p for p in found), found


def test_missing_review_record(mini_corpus: Path, rest: Path) -> None:
    text = rest.read_text(encoding="utf-8")
    start, end = text.index("review:"), text.index("---\n\n## Indications")
    rest.write_text(text[:start] + text[end:], encoding="utf-8")
    assert any("fixture-rest.md:" in p and "missing required field 'review'" in p for p in problems_for(mini_corpus))


@pytest.mark.parametrize(
    ("old", "new", "marker", "message"),
    [
        (
            "status: draft",
            "status: approved",
            "status:",
            "review status must be one of: draft, checked-against-sources",
        ),
        ("date: 2026-11-30", "date: 30/11/2026", "date:", "review date must be a date (YYYY-MM-DD)"),
        ('checked: "Not yet checked against sources."', 'checked: ""', "checked:", "review 'checked' must say"),
        ("status: draft", "status: draft\n  reviewer: Dr Somebody", "reviewer:", "unknown review field 'reviewer'"),
        ("status: draft", "status: draft\n  sources: alpha2020", "sources:", "review 'sources' must be a list"),
    ],
)
def test_review_record_fields_are_checked_at_their_line(
    mini_corpus: Path, rest: Path, old: str, new: str, marker: str, message: str
) -> None:
    edit(rest, old, new)
    found = problems_for(mini_corpus)
    assert reported(found, rest, line_of(rest, f"  {marker}"), message), found


def test_review_sources_must_be_in_the_bibliography(mini_corpus: Path, headache: Path) -> None:
    edit(headache, "sources: [alpha2020, beta2019]", "sources: [alpha2020, nosuch2024]")
    found = problems_for(mini_corpus)
    assert reported(found, headache, line_of(headache, "nosuch2024"), "review source 'nosuch2024' is not in"), found


def test_checked_against_sources_names_its_sources(mini_corpus: Path, headache: Path) -> None:
    edit(headache, "sources: [alpha2020, beta2019]", "sources: []")
    found = problems_for(mini_corpus)
    assert reported(found, headache, line_of(headache, "sources: []"), "names those sources"), found


def test_review_status_is_shown_by_show_and_kept_in_the_store(tmp_path: Path, capsys) -> None:
    content = ROOT / "tests" / "fixtures" / "mini" / "content"
    library = open_library(app_dirs(tmp_path / "data").ensure(), content_dir=content)
    try:
        checked, draft = library.entry("fixture-headache"), library.entry("fixture-rest")
    finally:
        library.close()
    assert checked.review_line == "Checked against sources, 30 Nov 2026"
    assert checked.review.sources == ["alpha2020", "beta2019"] and checked.reviewed == "2026-11-30"
    assert checked.review.reproductions == ["Fixture Society summary page, read where the trial table was unreadable"]
    assert draft.review_line == "Draft — not yet checked against sources"

    assert main(["--data-dir", str(tmp_path / "data"), "show", "fixture-headache", "--content", str(content)]) == 0
    out = capsys.readouterr().out
    assert "Checked against sources, 30 Nov 2026" in out.splitlines()[0]
    assert "Checked: Incidence and onset window against both fixture sources." in out
    assert "Sources: alpha2020, beta2019" in out


# --- immediate actions ---------------------------------------------------------------------------

GOOD_ACTIONS = """## Immediate actions

1. Lie the patient flat and call for help [@beta2019].
2. Give 20 mL of fluid [@alpha2020].
"""


def test_emergency_complication_without_immediate_actions(mini_corpus: Path, headache: Path) -> None:
    make_emergency(headache, None)
    found = problems_for(mini_corpus)
    body_line = line_of(headache, "## At a glance") - 1
    assert reported(found, headache, body_line, "urgency 'emergency' starts with '## Immediate actions'"), found


def test_urgent_complication_with_good_immediate_actions_is_valid(mini_corpus: Path, headache: Path) -> None:
    make_emergency(headache, GOOD_ACTIONS)
    edit(headache, "urgency: emergency", "urgency: urgent")
    edit(headache, "Emergency — act now", "Urgent — act now")
    assert problems_for(mini_corpus) == []


def test_immediate_actions_must_come_first(mini_corpus: Path, headache: Path) -> None:
    make_emergency(headache, None)
    edit(headache, "## Definition", f"{GOOD_ACTIONS}\n## Definition")
    found = problems_for(mini_corpus)
    assert reported(found, headache, line_of(headache, "## Immediate actions"), "must be the first section"), found


def test_immediate_actions_must_be_a_numbered_list(mini_corpus: Path, headache: Path) -> None:
    make_emergency(headache, GOOD_ACTIONS.replace("1. ", "- ").replace("2. ", "- "))
    found = problems_for(mini_corpus)
    assert reported(found, headache, line_of(headache, "## Immediate actions"), "must be a numbered list"), found


def test_each_immediate_action_is_cited(mini_corpus: Path, headache: Path) -> None:
    make_emergency(headache, GOOD_ACTIONS.replace("call for help [@beta2019]", "call for help"))
    found = problems_for(mini_corpus)
    assert reported(found, headache, line_of(headache, "call for help"), "cites its source"), found
    assert not reported(found, headache, line_of(headache, "20 mL of fluid"), "cites its source"), found


# --- doses and intervals carry a citation --------------------------------------------------------


def test_uncited_dose_in_a_paragraph_anywhere(mini_corpus: Path, headache: Path) -> None:
    edit(headache, "following a puncture of the dura.", "following a puncture of the dura. Give 1.5 mL/kg over 1 min.")
    found = problems_for(mini_corpus)
    assert reported(found, headache, line_of(headache, "1.5 mL/kg"), "'1.5 mL/kg' is a dose or interval"), found


def test_uncited_interval_in_a_list_item(mini_corpus: Path, headache: Path) -> None:
    edit(headache, "- **Onset:** within five days.", "- **Onset:** within 5 days.")
    found = problems_for(mini_corpus)
    assert reported(found, headache, line_of(headache, "within 5 days"), "'5 days' is a dose or interval"), found
    assert any("in the same list item" in p for p in found)


def test_nested_item_rests_on_the_citation_of_its_item(mini_corpus: Path, headache: Path) -> None:
    edit(
        headache,
        "- A headache that stops being postural needs imaging for a subdural hematoma.",
        "- A headache that stops being postural needs imaging.\n  - Re-examine every 4 hours.",
    )
    found = problems_for(mini_corpus)
    assert reported(found, headache, line_of(headache, "every 4 hours"), "'4 hours' is a dose"), found
    assert not reported(found, headache, line_of(headache, "needs imaging"), "is a dose"), found

    edit(headache, "needs imaging.", "needs imaging [@alpha2020].")
    assert problems_for(mini_corpus) == []


def test_table_rows_are_checked_one_by_one(mini_corpus: Path, headache: Path) -> None:
    table = (
        "Intervals from the fixture trial [@alpha2020]:\n\n"
        "| Drug | Before puncture | After removal |\n"
        "| --- | --- | --- |\n"
        "| Alphaparin | 12 h [@alpha2020] | 4 h [@alpha2020] |\n"
        "| Betaparin | 24 h | 6 h |\n"
    )
    edit(headache, "## Investigations\n\n", f"## Investigations\n\n{table}\n")
    found = problems_for(mini_corpus)
    assert reported(found, headache, line_of(headache, "| Betaparin"), "'24 h' is a dose or interval"), found
    assert any("in the same table row" in p for p in found)
    assert not reported(found, headache, line_of(headache, "| Alphaparin"), "is a dose"), found


def test_table_header_row_is_a_label_not_a_dose(mini_corpus: Path, rest: Path) -> None:
    """In a dosing section any number counts, but a header row only names the columns."""
    table = (
        "| Step | Patient over 70 kg | Patient 70 kg or less |\n"
        "|---|---|---|\n"
        "| Bolus | 100 mL [@alpha2020] | 1.5 mL/kg [@alpha2020] |\n"
    )
    edit(rest, "## Technique or dosing\n\n", f"## Technique or dosing\n\n{table}\n")
    assert problems_for(mini_corpus) == []


def test_any_number_in_technique_or_dosing_needs_a_citation(mini_corpus: Path, rest: Path) -> None:
    edit(rest, "with fluids as the patient wishes.", "with fluids as the patient wishes; epinephrine 1:200,000.")
    found = problems_for(mini_corpus)
    assert reported(found, rest, line_of(rest, "1:200,000"), "'1:200,000' is a dose or interval"), found


def test_numbers_that_are_not_doses_pass(mini_corpus: Path, headache: Path) -> None:
    edit(headache, "Large needles, cutting bevels", "Large 22G needles (not 25G), cutting bevels, ASA 3")
    assert problems_for(mini_corpus) == []


def test_uncited_dose_in_the_summary(mini_corpus: Path, rest: Path) -> None:
    edit(rest, "while the fixture headache settles [@alpha2020].", "while the fixture headache settles, 1 g.")
    found = problems_for(mini_corpus)
    assert reported(found, rest, line_of(rest, "summary:"), "'1 g' in the summary"), found


# --- journal references carry a DOI or PMID ------------------------------------------------------

NO_ID_ARTICLE = "gamma1980:\n  type: article\n  authors: Gamma G\n  title: An old letter\n  year: 1980\n"
NO_ID_ARTICLE += "  url: https://example.org/letter\n"


def test_article_without_doi_or_pmid_is_an_error(mini_corpus: Path) -> None:
    refs = mini_corpus.parent / "references.yaml"
    refs.write_text(refs.read_text(encoding="utf-8") + NO_ID_ARTICLE, encoding="utf-8")
    found = problems_for(mini_corpus)
    assert reported(found, refs, line_of(refs, "gamma1980:"), "article 'gamma1980' has neither DOI nor PMID"), found
    assert not any("beta2019" in p for p in found), "a guideline may rest on a URL"


def test_guideline_published_in_a_journal_needs_an_identifier(mini_corpus: Path) -> None:
    refs = mini_corpus.parent / "references.yaml"
    edit(refs, "  title: Guideline for fixtures\n", "  title: Guideline for fixtures\n  journal: Fixture J\n")
    found = problems_for(mini_corpus)
    assert reported(found, refs, line_of(refs, "beta2019:"), "guideline in Fixture J 'beta2019' has neither"), found


def test_documented_exception_is_accepted_and_checked(mini_corpus: Path) -> None:
    refs = mini_corpus.parent / "references.yaml"
    refs.write_text(refs.read_text(encoding="utf-8") + NO_ID_ARTICLE, encoding="utf-8")
    exceptions = mini_corpus.parent / "references-without-identifier.yaml"
    exceptions.write_text('- {key: gamma1980, reason: "Letter from before indexing; no DOI issued"}\n')
    assert problems_for(mini_corpus) == []

    exceptions.write_text(
        '- {key: gamma1980, reason: "Letter from before indexing"}\n'
        '- {key: alpha2020, reason: "Thought to have none"}\n'
        '- {key: zeta1900, reason: "Not in the bibliography"}\n'
        "- {key: gamma1980}\n"
    )
    found = problems_for(mini_corpus)
    assert reported(found, exceptions, 2, "'alpha2020' has a DOI or PMID: remove it"), found
    assert reported(found, exceptions, 3, "'zeta1900' is not in the bibliography"), found
    assert reported(found, exceptions, 4, "'gamma1980' is listed twice"), found

    exceptions.write_text("- {key: gamma1980, reason: ''}\n")
    assert reported(problems_for(mini_corpus), exceptions, 1, "needs a 'reason'")


# --- structure from markdown tokens --------------------------------------------------------------


def test_markup_in_code_is_not_raw_html_but_a_tag_is(mini_corpus: Path, rest: Path) -> None:
    edit(rest, "Rare at standard doses;", "Rare (`<b>` in code is text) at\nstandard <b>doses</b>;")
    found = problems_for(mini_corpus)
    html = [p for p in found if "raw HTML" in p]
    assert len(html) == 1 and reported(found, rest, line_of(rest, "standard <b>"), "raw HTML in the body"), found


@pytest.mark.parametrize("link", ["<https://example.org>", "[x](javascript:alert(1))", "[x][site]"])
def test_every_kind_of_external_link_is_refused(mini_corpus: Path, rest: Path, link: str) -> None:
    edit(rest, "Rare at standard doses;", f"Rare\nsee {link} at standard doses;")
    rest.write_text(rest.read_text(encoding="utf-8") + "\n[site]: http://example.org\n", encoding="utf-8")
    found = problems_for(mini_corpus)
    assert reported(found, rest, line_of(rest, f"see {link}"), "external link in the body"), found


def test_a_numbered_line_in_a_code_block_is_not_a_numbered_list(mini_corpus: Path) -> None:
    path = mini_corpus / "procedure" / "fixture-blood-patch.md"
    edit(path, "1. Position the patient", "```\n1. Position the patient")
    edit(path, "reports fullness [@alpha2020].", "reports fullness [@alpha2020].\n```")
    found = problems_for(mini_corpus)
    assert reported(found, path, line_of(path, "## Steps"), "must be a numbered list"), found


def test_heading_in_a_code_block_is_not_a_section(mini_corpus: Path, rest: Path) -> None:
    edit(rest, "## Adverse effects\n", "## Adverse effects\n\n```\n## Where it fits\n```\n")
    entry = load_corpus(mini_corpus).entries["fixture-rest"]
    assert [s.heading for s in entry.sections].count("Where it fits") == 1


# --- the command line ----------------------------------------------------------------------------


def test_cli_validate_exits_1_naming_file_and_line(mini_corpus: Path, headache: Path, tmp_path: Path) -> None:
    make_emergency(headache, None)
    out = subprocess.run(
        [sys.executable, "main.py", "--data-dir", str(tmp_path / "data"), "validate", "--content", str(mini_corpus)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 1
    line = line_of(headache, "## At a glance") - 1
    assert f"complication/fixture-headache.md:{line}: error: a complication of urgency 'emergency'" in out.stdout
