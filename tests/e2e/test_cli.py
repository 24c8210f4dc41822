"""main.py as a subprocess, the way scripts and other checks use it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.e2e


def run(*args: str, data_dir: Path, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "main.py", "--data-dir", str(data_dir), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        check=check,
        timeout=300,
    )


def test_validate_names_file_and_line_and_exits_1(mini_corpus: Path, tmp_path: Path) -> None:
    broken = mini_corpus / "procedure" / "fixture-blood-patch.md"
    broken.write_text(broken.read_text().replace("kind: procedure", "kind: recipe"))
    out = run("validate", "--content", str(mini_corpus), data_dir=tmp_path, check=False)
    assert out.returncode == 1
    assert "procedure/fixture-blood-patch.md:3: error: unknown kind 'recipe'" in out.stdout


def test_validate_passes_on_a_good_corpus(mini_corpus: Path, tmp_path: Path) -> None:
    out = run("validate", "--content", str(mini_corpus), data_dir=tmp_path, check=False)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "0 error(s)" in out.stderr


def test_search_json_keys_and_order(mini_corpus: Path, tmp_path: Path) -> None:
    out = run("search", "wet tap", "--json", "--content", str(mini_corpus), data_dir=tmp_path)
    results = json.loads(out.stdout)
    assert results and results[0]["id"] == "fixture-headache"
    assert set(results[0]) == {"id", "kind", "title", "score", "section", "snippet"}


def test_search_kind_filter_and_limit(mini_corpus: Path, tmp_path: Path) -> None:
    out = run(
        "search",
        "fixture",
        "--json",
        "--kind",
        "procedure",
        "--limit",
        "1",
        "--content",
        str(mini_corpus),
        data_dir=tmp_path,
    )
    assert [r["id"] for r in json.loads(out.stdout)] == ["fixture-blood-patch"]


def test_show_json(mini_corpus: Path, tmp_path: Path) -> None:
    out = run("show", "fixture-rest", "--json", "--content", str(mini_corpus), data_dir=tmp_path)
    page = json.loads(out.stdout)
    assert page["title"] == "Fixture rest and acetaminophen"
    assert [s["heading"] for s in page["sections"]][-1] == "Where it fits"
    missing = run("show", "no-such-entry", "--content", str(mini_corpus), data_dir=tmp_path, check=False)
    assert missing.returncode == 1 and "no entry" in missing.stderr


def test_data_dir_holds_everything_written(mini_corpus: Path, tmp_path: Path) -> None:
    data = tmp_path / "data dir ñ"
    run("build-index", "--content", str(mini_corpus), data_dir=data)
    assert (data / "cache" / "index" / "CURRENT").is_file()


def test_screenshot_writes_a_png(mini_corpus: Path, tmp_path: Path) -> None:
    png = tmp_path / "shot.png"
    run(
        "screenshot",
        str(png),
        "--query",
        "wet tap",
        "--open",
        "fixture-headache",
        "--content",
        str(mini_corpus),
        data_dir=tmp_path,
    )
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000


def test_bundled_blood_patch_query(tmp_path: Path) -> None:
    out = run("search", "blood patch", "--json", data_dir=tmp_path)
    assert json.loads(out.stdout)[0]["id"] == "epidural-blood-patch"
