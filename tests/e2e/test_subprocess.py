"""main.py as a subprocess, the way scripts and deployments use it (a few; the rest run in-process)."""

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


def test_search_json(mini_corpus: Path, tmp_path: Path) -> None:
    out = run("search", "wet tap", "--json", "--content", str(mini_corpus), data_dir=tmp_path)
    results = json.loads(out.stdout)
    assert results and results[0]["id"] == "fixture-headache"
    assert set(results[0]) == {"id", "kind", "title", "score", "section", "snippet"}


def test_screenshot_writes_a_png(mini_corpus: Path, tmp_path: Path) -> None:
    png = tmp_path / "shot.png"
    args = ("screenshot", str(png), "--query", "wet tap", "--open", "fixture-headache", "--content", str(mini_corpus))
    run(*args, data_dir=tmp_path)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000


def test_a_failure_is_one_line_on_stderr_and_exit_1(tmp_path: Path) -> None:
    out = run("pack", "build", str(tmp_path / "no-such-pack"), data_dir=tmp_path, check=False)
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert out.stderr.strip().splitlines() == [f"vademecum: no pack directory at {tmp_path / 'no-such-pack'}"]


def test_bundled_blood_patch_query(tmp_path: Path) -> None:
    out = run("search", "blood patch", "--json", data_dir=tmp_path)
    assert json.loads(out.stdout)[0]["id"] == "epidural-blood-patch"
