"""The CLI in-process (`main([...])`, stdout and stderr captured): every command, the stable JSON
keys, and one-line messages with exit 1 for bad input, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from main import main


def cli(capsys, *args: str, data_dir: Path) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data_dir), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_validate_names_file_and_line_and_exits_1(capsys, mini_corpus: Path, tmp_path: Path) -> None:
    broken = mini_corpus / "procedure" / "fixture-blood-patch.md"
    broken.write_text(broken.read_text().replace("kind: procedure", "kind: recipe"))
    code, out, _ = cli(capsys, "validate", "--content", str(mini_corpus), data_dir=tmp_path)
    assert code == 1
    assert "procedure/fixture-blood-patch.md:3: error: unknown kind 'recipe'" in out


def test_validate_passes_on_a_good_corpus(capsys, mini_corpus: Path, tmp_path: Path) -> None:
    code, out, err = cli(capsys, "validate", "--content", str(mini_corpus), data_dir=tmp_path)
    assert code == 0, out + err
    assert "0 error(s)" in err


def test_search_json_keys_and_order(capsys, mini_corpus: Path, tmp_path: Path) -> None:
    code, out, _ = cli(capsys, "search", "wet tap", "--json", "--content", str(mini_corpus), data_dir=tmp_path)
    results = json.loads(out)
    assert code == 0 and results and results[0]["id"] == "fixture-headache"
    assert set(results[0]) == {"id", "kind", "title", "score", "section", "snippet"}


def test_search_kind_filter_and_limit(capsys, mini_corpus: Path, tmp_path: Path) -> None:
    args = ("search", "fixture", "--json", "--kind", "procedure", "--limit", "1", "--content", str(mini_corpus))
    code, out, _ = cli(capsys, *args, data_dir=tmp_path)
    assert [r["id"] for r in json.loads(out)] == ["fixture-blood-patch"]


def test_search_text_and_no_results(capsys, mini_corpus: Path, tmp_path: Path) -> None:
    code, out, _ = cli(capsys, "search", "muffled hearing", "--content", str(mini_corpus), data_dir=tmp_path)
    assert code == 0 and out.startswith(" 1. [complication] Fixture headache (fixture-headache)")
    code, out, _ = cli(capsys, "search", "zzqxw", "--content", str(mini_corpus), data_dir=tmp_path)
    assert code == 0 and out.startswith("No results for 'zzqxw'.")


def test_show_json_and_missing_entry(capsys, mini_corpus: Path, tmp_path: Path) -> None:
    code, out, _ = cli(capsys, "show", "fixture-rest", "--json", "--content", str(mini_corpus), data_dir=tmp_path)
    page = json.loads(out)
    assert page["title"] == "Fixture rest and acetaminophen"
    assert [s["heading"] for s in page["sections"]][-1] == "Where it fits"
    code, _, err = cli(capsys, "show", "no-such-entry", "--content", str(mini_corpus), data_dir=tmp_path)
    assert code == 1 and "no entry" in err


def test_data_dir_holds_everything_written(capsys, mini_corpus: Path, tmp_path: Path) -> None:
    data = tmp_path / "data dir ñ"
    code, out, _ = cli(capsys, "build-index", "--content", str(mini_corpus), data_dir=data)
    assert code == 0 and out.startswith("built 3 entries into ")
    assert (data / "cache" / "index" / "CURRENT").is_file()


def test_an_engine_fault_is_an_error_not_no_results(capsys, mini_corpus: Path, tmp_path: Path, monkeypatch) -> None:
    from index.search import SearchService

    def broken(self, query, **filters):
        raise RuntimeError("segment file unreadable")

    monkeypatch.setattr(SearchService, "search", broken)
    code, out, err = cli(capsys, "search", "wet tap", "--content", str(mini_corpus), data_dir=tmp_path)
    assert code == 1 and "No results" not in out
    assert err.strip().splitlines() == ["vademecum: Search failed: segment file unreadable"]
    assert "Traceback" in (tmp_path / "data" / "vademecum.log").read_text(encoding="utf-8")


def bad_inputs(tmp_path: Path) -> dict[str, list[str]]:
    a_file = tmp_path / "a-file"
    a_file.write_text("not a directory", encoding="utf-8")
    bad_yaml = tmp_path / "bad.yaml"
    bad_yaml.write_text("- {q: [unclosed\n", encoding="utf-8")
    return {
        "pack build on a missing dir": ["pack", "build", str(tmp_path / "missing")],
        "pack validate on a missing dir": ["pack", "validate", str(tmp_path / "missing")],
        "pack init under a file": ["pack", "init", str(a_file / "pack"), "--name", "N", "--publisher", "P"],
        "screenshot --size 12": ["screenshot", str(tmp_path / "x.png"), "--size", "12"],
        "screenshot --size 0x0": ["screenshot", str(tmp_path / "x.png"), "--size", "0x0"],
        "an unwritable --data-dir": ["--data-dir", str(a_file / "data"), "search", "headache"],
        "a missing --queries file": ["evaluate", "--queries", str(tmp_path / "missing.yaml")],
        "a --queries file that is not YAML": ["evaluate", "--queries", str(bad_yaml)],
        "a missing --content dir": ["search", "headache", "--content", str(tmp_path / "missing")],
        "a --pack dir without a pack": ["search", "headache", "--pack", str(tmp_path)],
        "an unknown --kind": ["search", "headache", "--kind", "recipe"],
    }


@pytest.mark.parametrize(
    "case",
    [
        "pack build on a missing dir",
        "pack validate on a missing dir",
        "pack init under a file",
        "screenshot --size 12",
        "screenshot --size 0x0",
        "an unwritable --data-dir",
        "a missing --queries file",
        "a --queries file that is not YAML",
        "a missing --content dir",
        "a --pack dir without a pack",
        "an unknown --kind",
    ],
)
def test_bad_input_is_one_line_and_exit_1(capsys, mini_corpus: Path, tmp_path: Path, case: str) -> None:
    args = bad_inputs(tmp_path)[case]
    if args[0] != "--data-dir":
        args = ["--data-dir", str(tmp_path / "data"), *args]
    if args[2] == "evaluate":
        args += ["--content", str(mini_corpus)]
    try:
        code = main(args)
    except SystemExit as exit_:  # argparse's way out
        code = exit_.code
    out, err = capsys.readouterr()
    assert code == 1, (out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("vademecum: "), err
    assert "Traceback" not in out + err
