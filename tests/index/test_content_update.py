"""The curated content ships as a signed, versioned content file that can be installed, checked at
every start and rolled back without reinstalling the app."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from index import content_update
from index.content_update import RESOURCES, ContentUpdateError, active_release, install
from index.library import open_library, sources
from index.paths import app_dirs, bundled_resources
from index.signing import generate_private_key
from main import main

MARKER = "quokkamarker"  # a word the shipped content does not contain


@pytest.fixture
def project_key(tmp_path: Path, monkeypatch) -> Path:
    """A test project key, trusted as if its public part shipped in resources/content-keys/."""
    key = tmp_path / "project.key"
    public = generate_private_key(key)
    monkeypatch.setattr(content_update, "shipped_keys", lambda: [public])
    return key


def release_source(tmp_path: Path, version: str, date: str) -> Path:
    """A copy of the shipped content with a new version, date and one changed sentence."""
    root = tmp_path / f"src-{version}"
    shutil.copytree(bundled_resources() / "content", root / "content")
    for name in RESOURCES:
        if (bundled_resources() / name).is_file():
            shutil.copy(bundled_resources() / name, root / name)
    (root / "VERSION").write_text(version + "\n", encoding="utf-8")
    (root / "CONTENT_DATE").write_text(date + "\n", encoding="utf-8")
    entry = root / "content" / "procedure" / "epidural-blood-patch.md"
    text = entry.read_text(encoding="utf-8")
    entry.write_text(text.replace("## Indications\n", f"## Indications\n\nRelease {version} {MARKER}.\n", 1))
    return root / "content"


def build(tmp_path: Path, key: Path, version: str, date: str = "2026-12-15") -> Path:
    out = tmp_path / f"vademecum-content-{version}.zip"
    assert (
        main(
            ["content", "build", str(out), "--key", str(key), "--content", str(release_source(tmp_path, version, date))]
        )
        == 0
    )
    return out


def test_install_and_roll_back_without_reinstalling(tmp_path, project_key, capsys) -> None:
    data = tmp_path / "data"
    first, second = build(tmp_path, project_key, "2026.12.1"), build(tmp_path, project_key, "2027.1.1", "2027-01-10")
    assert main(["content", "install", str(first), "--data-dir", str(data)]) == 0
    assert main(["content", "install", str(second), "--data-dir", str(data)]) == 0

    library = open_library(sources(data))
    assert (library.content_version, library.content_date, library.content_source) == (
        "2027.1.1",
        "2027-01-10",
        "update",
    )
    assert library.search(MARKER).hits[0].id == "epidural-blood-patch"
    assert library.stats().content_version == "2027.1.1 of 2027-01-10"  # what About shows
    assert library.entry("epidural-blood-patch").content_version == "2027.1.1 of 2027-01-10"  # every page
    library.close()

    assert main(["content", "rollback", "--data-dir", str(data)]) == 0
    assert "2026.12.1 of 2026-12-15 (update)" in capsys.readouterr().out
    assert main(["content", "rollback", "--data-dir", str(data)]) == 0
    library = open_library(sources(data))
    shipped = (bundled_resources() / "VERSION").read_text().strip()
    assert (library.content_version, library.content_source) == (shipped, "shipped")
    assert library.search(MARKER).hits == []
    library.close()
    assert main(["content", "rollback", "--data-dir", str(data)]) == 1  # nothing left to roll back
    assert "shipped content is in use" in capsys.readouterr().err


def test_a_damaged_update_falls_back_to_the_shipped_content_with_a_message(tmp_path, project_key) -> None:
    dirs = app_dirs(tmp_path / "data").ensure()
    release = install(build(tmp_path, project_key, "2026.12.1"), dirs)
    entry = release.content_dir / "procedure" / "epidural-blood-patch.md"
    entry.write_text(entry.read_text().replace(MARKER, "changed"), encoding="utf-8")  # damaged on disk
    chosen, notes = active_release(dirs)
    assert chosen.source == "shipped"
    assert "procedure/epidural-blood-patch.md' was changed or damaged" in notes[0].message
    library = open_library(sources(dirs.data.parent))
    assert library.content_source == "shipped" and library.search("blood patch").hits
    assert any(p.code == "content-update" and "not used" in p.message for p in library.report.problems)
    library.close()


def _rewrite(archive_path: Path, change) -> None:
    with zipfile.ZipFile(archive_path) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    change(members)
    with zipfile.ZipFile(archive_path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def _tamper_entry(members: dict) -> None:
    name = "content/procedure/epidural-blood-patch.md"
    members[name] = members[name].replace(MARKER.encode(), b"10 mg")


def _tamper_manifest(members: dict) -> None:
    members["manifest.yaml"] = members["manifest.yaml"].replace(b"version: 2026.12.1", b"version: 2099.1.1")


def _outside(members: dict) -> None:
    members["../evil.md"] = b"x"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (_tamper_entry, "does not match its checksum"),
        (_tamper_manifest, "signature does not match manifest.yaml"),
        (_outside, "a path outside the content"),
    ],
    ids=["entry changed", "manifest changed", "dotdot"],
)
def test_a_tampered_content_file_is_refused_and_nothing_changes(tmp_path, project_key, change, reason) -> None:
    dirs = app_dirs(tmp_path / "data").ensure()
    file = build(tmp_path, project_key, "2026.12.1")
    _rewrite(file, change)
    with pytest.raises(ContentUpdateError, match=reason):
        install(file, dirs)
    assert active_release(dirs)[0].source == "shipped"
    folder = dirs.data / "content"
    assert not folder.exists() or list(folder.iterdir()) == []  # nothing unpacked, nothing left behind


def test_a_content_file_signed_by_another_key_or_older_than_shipped_is_refused(tmp_path, project_key) -> None:
    dirs = app_dirs(tmp_path / "data").ensure()
    other = tmp_path / "other.key"
    generate_private_key(other)
    with pytest.raises(ContentUpdateError, match="not a content key this app trusts"):
        install(build(tmp_path, other, "2026.12.1"), dirs)
    with pytest.raises(ContentUpdateError, match="older than the content shipped"):
        install(build(tmp_path, project_key, "2020.1.1"), dirs)
    assert content_update.installed(dirs) == []
    assert not (dirs.data / "content" / "state.json").exists() or json.loads(
        (dirs.data / "content" / "state.json").read_text()
    ) == {"active": None, "history": []}
