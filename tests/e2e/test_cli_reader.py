"""CLI behaviour around the reader: unknown ids are errors, `show` keeps list numbering, `--version`,
and a self-test that renders the window on the platform the app will really use."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from desktop.platform_check import missing_libraries
from main import main


def cli(capsys, *args: str, data_dir: Path) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data_dir), *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("flag", "value", "said"),
    [("--open", "bad-id", "no entry with id 'bad-id'"), ("--symptoms", "bad-id", "unknown symptom id(s): bad-id")],
)
def test_screenshot_of_an_unknown_id_is_an_error(capsys, mini_corpus, tmp_path, flag, value, said) -> None:
    png = tmp_path / "shot.png"
    code, _, err = cli(capsys, "screenshot", str(png), flag, value, "--content", str(mini_corpus), data_dir=tmp_path)
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"vademecum: {said}")
    assert not png.exists()


def test_show_keeps_the_numbering_of_steps(capsys, mini_corpus, tmp_path) -> None:
    code, out, _ = cli(capsys, "show", "fixture-blood-patch", "--content", str(mini_corpus), data_dir=tmp_path)
    assert code == 0
    steps = out.split("## Steps\n", 1)[1].split("\n## ", 1)[0].splitlines()
    assert steps[0].startswith("1. Position the patient")
    assert steps[1].startswith("2. Draw 20 mL of blood")


def test_version_names_app_content_and_schema(capsys, tmp_path) -> None:
    from index import SCHEMA_VERSION

    code, out, _ = cli(capsys, "--version", data_dir=tmp_path)
    content = (Path(__file__).parents[2] / "resources" / "VERSION").read_text().strip()
    assert code == 0
    assert out.strip().startswith("vademecum ")
    assert f"content {content}" in out and f"index schema {SCHEMA_VERSION}" in out


def test_self_test_fails_when_the_apps_platform_cannot_start(capsys, mini_corpus, tmp_path, monkeypatch) -> None:
    """Before: the window was always rendered offscreen, so this passed where the app cannot start."""
    monkeypatch.setenv("QT_QPA_PLATFORM", "nosuchplatform")
    code, out, err = cli(capsys, "--self-test", "--content", str(mini_corpus), data_dir=tmp_path)
    assert code == 1
    assert "self-test: FAILED" in out
    assert "platform 'nosuchplatform'" in err


def test_self_test_passes_offscreen_and_prints_no_deleted_path(capsys, mini_corpus, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    code, out, err = cli(capsys, "--self-test", "--content", str(mini_corpus), data_dir=tmp_path)
    assert code == 0, out + err
    assert "window: rendered on platform 'offscreen'" in out
    assert "self-test.png" not in out + err


@pytest.mark.skipif(not missing_libraries("xcb"), reason="the xcb plugin's libraries are all installed here")
def test_self_test_names_the_missing_xcb_library(capsys, mini_corpus, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    monkeypatch.setenv("DISPLAY", os.environ.get("DISPLAY", ":99"))
    code, _, err = cli(capsys, "--self-test", "--content", str(mini_corpus), data_dir=tmp_path)
    assert code == 1
    assert missing_libraries("xcb")[0] in err
