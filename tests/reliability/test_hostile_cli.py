"""The sweep's CLI cases: an index that cannot be rebuilt (read-only cache, full disk) answers from
the newest sound one with a one-line warning; a pack that cannot be read is one line and exit 1,
never a traceback; --self-test fails when notes cannot be saved and says what it was told."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from index.library import UserData
from index.paths import app_dirs
from main import main
from tests.helpers import read_only

ROOT = Path(__file__).resolve().parents[2]


def cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def yesterdays_index(capsys, data: Path, content: Path) -> None:
    """An index built from the content as it was; then the content changes (a rebuild is due)."""
    code, _, err = cli(capsys, "--data-dir", str(data), "search", "wet tap", "--content", str(content))
    assert code == 0, err
    entry = content / "management" / "fixture-rest.md"
    entry.write_text(entry.read_text(encoding="utf-8") + "\nA line added today.\n", encoding="utf-8")


# -- stale-index fallback --------------------------------------------------------------------
@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX permissions")
def test_a_read_only_index_cache_answers_from_the_last_sound_index(capsys, mini_corpus: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    yesterdays_index(capsys, data, mini_corpus)
    common = ("--data-dir", str(data), "--content", str(mini_corpus))
    with read_only(app_dirs(data).index_root):
        code, out, err = cli(capsys, *common[:2], "search", "muffled hearing", *common[2:])
        assert code == 0, err
        assert out.startswith(" 1. [complication] Fixture headache (fixture-headache)")
        warning = [line for line in err.splitlines() if line.startswith("vademecum: warning:")]
        assert len(warning) == 1 and "the index could not be rebuilt" in warning[0]
        assert "answering from the index built" in warning[0] and "Traceback" not in err
        code, out, err = cli(capsys, *common[:2], "show", "fixture-headache", *common[2:])
        assert code == 0 and out.startswith("Fixture headache") and "could not be rebuilt" in err


def test_a_full_disk_answers_from_the_last_sound_index(capsys, mini_corpus: Path, tmp_path: Path, monkeypatch) -> None:
    from index import sources as assembly

    data = tmp_path / "data"
    yesterdays_index(capsys, data, mini_corpus)

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(assembly, "build_generation", disk_full)
    code, out, err = cli(capsys, "--data-dir", str(data), "search", "wet tap", "--json", "--content", str(mini_corpus))
    assert code == 0 and '"fixture-headache"' in out
    assert err.count("\n") == 1 and "No space left on device" in err and "answering from the index built" in err


def test_self_test_passes_on_the_last_sound_index_with_a_warning(
    capsys, mini_corpus: Path, tmp_path: Path, monkeypatch
) -> None:
    from index import sources as assembly

    data = tmp_path / "data"
    yesterdays_index(capsys, data, mini_corpus)
    monkeypatch.setattr(assembly, "build_generation", lambda *a, **k: (_ for _ in ()).throw(OSError(28, "disk full")))
    code, out, err = cli(capsys, "--data-dir", str(data), "--content", str(mini_corpus), "--self-test")
    assert code == 0, out + err
    assert "self-test: passed" in out and "stale: the index could not be rebuilt" in out
    assert err.startswith("vademecum: warning: the index could not be rebuilt ([Errno 28] disk full)")


def test_without_any_sound_index_the_failure_is_one_line(
    capsys, mini_corpus: Path, tmp_path: Path, monkeypatch
) -> None:
    from index import sources as assembly

    monkeypatch.setattr(assembly, "build_generation", lambda *a, **k: (_ for _ in ()).throw(OSError(28, "disk full")))
    code, out, err = cli(capsys, "--data-dir", str(tmp_path / "d"), "search", "x", "--content", str(mini_corpus))
    assert code == 1 and out == "" and err.count("\n") == 1 and "disk full" in err


# -- pack authoring on a pack that cannot be read --------------------------------------------
PACK_YAMLS = {
    "not UTF-8": b"name: X\npublisher: \xff\n",
    "alias bomb": b"a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n",
    "not YAML": b"name: [unclosed\n",
    "a list": b"- 1\n- 2\n",
    "a folder": None,
}


@pytest.mark.parametrize("case", list(PACK_YAMLS))
@pytest.mark.parametrize("action", ["build", "validate"])
def test_pack_commands_on_an_unreadable_manifest_say_one_line(tmp_path: Path, case: str, action: str) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    if PACK_YAMLS[case] is None:
        (pack / "pack.yaml").mkdir()
    else:
        (pack / "pack.yaml").write_bytes(PACK_YAMLS[case])
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--data-dir", str(tmp_path / "data"), "pack", action, str(pack)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert "pack.yaml" in result.stderr + result.stdout
    assert len(result.stderr.strip().splitlines()) <= 2  # the problem, and for validate its count


# -- self-test: user data and policy ---------------------------------------------------------
@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX permissions")
def test_self_test_fails_when_notes_cannot_be_saved(capsys, mini_corpus: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    user_db = app_dirs(data).ensure().user_db
    UserData(user_db).close()
    with read_only(user_db):
        code, out, err = cli(capsys, "--data-dir", str(data), "--content", str(mini_corpus), "--self-test")
    assert code == 1
    assert "user data: Bookmarks and notes are read-only this session" in out  # the notice, as the window shows it
    assert "self-test: user data: bookmarks and notes cannot be saved: the file or its folder is read-only" in err
    assert "self-test: FAILED" in out


def test_self_test_reports_a_repaired_notes_file_and_policy_problems(
    capsys, mini_corpus: Path, tmp_path: Path, monkeypatch
) -> None:
    data = tmp_path / "data"
    app_dirs(data).ensure().user_db.write_text("not a database", encoding="utf-8")
    policy = tmp_path / "policy.ini"
    policy.write_text("[locked]\ntheme = maybe\n", encoding="utf-8")
    monkeypatch.setenv("VADEMECUM_POLICY", str(policy))
    code, out, err = cli(capsys, "--data-dir", str(data), "--content", str(mini_corpus), "--self-test")
    assert code == 0, out + err
    assert "user data: Your bookmarks and notes file could not be used" in out and "kept as user.sqlite.damaged-" in out
    assert "writable" in out
    assert "policy: ignored:" in out and "maybe" in out
