"""A department's policy file with a mistake in it costs that line, never the app or the locks.

The sweep's cases: `theme = maybe` under [locked], `notes = perhaps`, `%` in a value, a duplicate
section or key, no section header, bytes that are not UTF-8. Each is ignored with a named problem
(file, line, reason) while the rest of the policy, locks included, still applies.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from index.policy import load_policy

ROOT = Path(__file__).resolve().parents[2]

SOUND = """[defaults]
theme = high-contrast
font_size = 14
[locked]
theme = true
[packs]
directories = /srv/protocols
[features]
notes = false
"""


def policy(tmp_path: Path, text: str | bytes):
    path = tmp_path / "policy.ini"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return load_policy(path)


def assert_rest_applies(result) -> None:
    assert result.is_locked("theme"), result
    assert result.defaults["theme"] == "high-contrast" and result.defaults["font_size"] == "14"
    assert result.pack_directories[0] == Path("/srv/protocols")


def test_sound_policy_has_no_problems(tmp_path: Path) -> None:
    result = policy(tmp_path, SOUND)
    assert_rest_applies(result)
    assert not result.notes_enabled and result.problems == ()


@pytest.mark.parametrize(
    ("change", "line", "message"),
    [
        (("[locked]\n", "[locked]\nfont_size = maybe\n"), 5, "[locked] font_size = 'maybe' is not true or false"),
        (("notes = false", "notes = perhaps"), 9, "[features] notes = 'perhaps' is not true or false"),
        (("[features]\n", "[locked]\nfont_size = true\n[features]\n"), 8, "section [locked] appears twice"),
        (("theme = true\n", "theme = true\ntheme = true\n"), 6, "theme is set twice: the later value is used"),
        (("[defaults]\n", "colour = red\n[defaults]\n"), 1, "'colour' is outside any [section]: ignored"),
        (("[defaults]\n", "[defaults]\nthis line is nonsense\n"), 2, "not 'name = value' or '[section]'"),
        (("[features]\n", "[colours]\nx = 1\n[features]\n"), 0, "unknown section [colours]: ignored"),
    ],
)
def test_each_bad_line_is_named_and_the_rest_applies(tmp_path: Path, change, line: int, message: str) -> None:
    result = policy(tmp_path, SOUND.replace(*change, 1))
    assert_rest_applies(result)
    where = f"policy.ini:{line}: " if line else "policy.ini: "
    assert any(where in p and message in p for p in result.problems), result.problems


def test_the_readme_example_applies_with_no_problems(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = readme.split("```ini\n", 1)[1].split("```", 1)[0]
    result = policy(tmp_path, example)
    assert result.problems == ()
    assert result.defaults["theme"] == "high-contrast" and result.defaults["font_size"] == "13"
    assert result.is_locked("theme")
    assert len(result.pack_directories) == 2 and not result.notes_enabled


def test_percent_signs_are_plain_text(tmp_path: Path) -> None:
    text = SOUND.replace("/srv/protocols", r"%ProgramData%\Vademecum\packs; 100%")
    result = policy(tmp_path, text)
    assert result.pack_directories == (Path(r"%ProgramData%\Vademecum\packs"), Path("100%"))
    assert result.is_locked("theme") and result.problems == ()


def test_bytes_that_are_not_utf8_are_named_and_the_rest_applies(tmp_path: Path) -> None:
    result = policy(tmp_path, SOUND.encode().replace(b"/srv/protocols", b"/srv/protocols\n# caf\xe9"))
    assert_rest_applies(result)
    assert any("policy.ini:8: not valid UTF-8" in p for p in result.problems), result.problems


def test_bom_and_crlf_are_accepted(tmp_path: Path) -> None:
    result = policy(tmp_path, b"\xef\xbb\xbf" + SOUND.replace("\n", "\r\n").encode())
    assert_rest_applies(result)
    assert result.problems == ()


def test_a_policy_that_is_a_directory_or_too_large_is_named(tmp_path: Path) -> None:
    (tmp_path / "dir.ini").mkdir()
    result = load_policy(tmp_path / "dir.ini")
    assert result.locked == frozenset() and "a directory, not a regular file" in result.problems[0]
    big = tmp_path / "big.ini"
    with big.open("wb") as handle:
        handle.truncate(1024**3)
    assert "too large" in load_policy(big).problems[0]


@pytest.mark.parametrize(
    "text",
    [
        SOUND.replace("theme = true", "theme = maybe"),
        SOUND.replace("notes = false", "notes = perhaps"),
        SOUND.replace("/srv/protocols", r"%ProgramData%\Vademecum"),
        "theme = dark\n" + SOUND + "[locked]\ntheme = true\n",
    ],
    ids=["lock maybe", "notes perhaps", "percent", "duplicates and no header"],
)
def test_cli_runs_with_a_bad_policy(tmp_path: Path, mini_corpus: Path, text: str) -> None:
    path = tmp_path / "policy.ini"
    path.write_text(text)
    env = {**os.environ, "VADEMECUM_POLICY": str(path), "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(
        [sys.executable, "main.py", "--data-dir", str(tmp_path / "d"), "--content", str(mini_corpus)]
        + ["search", "muffled hearing", "--json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert '"id": "fixture-headache"' in out.stdout and "Traceback" not in out.stderr
