"""Local protocol packs: layered on curated content, marked, integrity-checked, refused whole."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from index.library import open_library
from index.packs import build_manifest
from index.paths import app_dirs

PACK = Path(__file__).resolve().parents[1] / "fixtures" / "packs" / "mini-pack"


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    target = tmp_path / "packs" / "mini-pack"
    shutil.copytree(PACK, target)
    return target


def ids(results) -> list[str]:
    return [hit.id for hit in results.hits]


def test_pack_entries_and_local_sections_are_searchable_and_marked(mini_corpus, pack, tmp_path) -> None:
    library = open_library(app_dirs(tmp_path / "d").ensure(), content_dir=mini_corpus, packs=[pack.parent])
    hit = library.search("zebra clinic").hits[0]
    # unsigned, and no machine policy (a personal install): personal, never the department's badge
    assert hit.id == "local-zebra-clinic" and hit.label == "Personal, unverified — pack 'Mini pack'"
    local = library.search("extension 4321").hits[0]
    assert local.id == "fixture-headache" and local.section == "Local protocol"
    assert local.label.startswith("Personal, unverified")
    page = library.entry("fixture-headache")
    sections = {s.heading: s for s in page.sections}
    assert sections["Local protocol"].origin == "local" and sections["Definition"].origin == "curated"
    only_local = library.search("fixture", origins=["local"])
    assert set(ids(only_local)) == {"fixture-headache", "local-zebra-clinic"}
    assert only_local.facets["origin"]["curated"] >= 1
    library.close()


def test_pack_added_changed_removed_rebuilds_and_updates_results(mini_corpus, pack, tmp_path) -> None:
    dirs = app_dirs(tmp_path / "d").ensure()
    library = open_library(dirs, content_dir=mini_corpus)
    assert "local-zebra-clinic" not in ids(library.search("zebra"))
    library.close()

    library = open_library(dirs, content_dir=mini_corpus, packs=[pack.parent], stale_ok=True)
    assert library.report.stale  # opened as it was: the caller rebuilds in the background
    library.close()
    library = open_library(dirs, content_dir=mini_corpus, packs=[pack.parent])
    assert library.report.rebuilt and ids(library.search("zebra"))[0] == "local-zebra-clinic"
    library.close()
    library = open_library(dirs, content_dir=mini_corpus, packs=[pack.parent])
    assert not library.report.rebuilt  # unchanged pack: no rebuild at every start
    library.close()

    path = pack / "management" / "local-zebra-clinic.md"
    path.write_text(path.read_text().replace("title: Zebra clinic referral", "title: Okapi clinic referral"))
    build_manifest(pack)
    library = open_library(dirs, content_dir=mini_corpus, packs=[pack.parent])
    assert library.report.rebuilt and ids(library.search("okapi"))[0] == "local-zebra-clinic"
    library.close()

    shutil.rmtree(pack)
    library = open_library(dirs, content_dir=mini_corpus, packs=[pack.parent])
    assert library.report.rebuilt and "local-zebra-clinic" not in ids(library.search("okapi zebra"))
    library.close()


def test_tampered_pack_is_refused_and_the_app_runs_on(mini_corpus, pack, tmp_path) -> None:
    target = pack / "local" / "fixture-headache.md"
    target.write_text(target.read_text().replace("4321", "9999"))  # changed after the manifest was built
    library = open_library(app_dirs(tmp_path / "d").ensure(), content_dir=mini_corpus, packs=[pack.parent])
    messages = [str(p) for p in library.report.problems]
    assert any("pack 'mini-pack' refused" in m and "checksum does not match" in m for m in messages), messages
    page = library.entry("fixture-headache")
    assert "Local protocol" not in [s.heading for s in page.sections]
    assert all(hit.section != "Local protocol" for hit in library.search("extension 9999").hits)
    assert ids(library.search("muffled hearing"))[0] == "fixture-headache"  # curated content still served
    library.close()


def test_pack_that_fails_validation_is_refused_with_the_reason(mini_corpus, pack, tmp_path) -> None:
    path = pack / "management" / "local-zebra-clinic.md"
    path.write_text(path.read_text().replace("references: [alpha2020, beta2019]", "references: [alpha2020, nope1999]"))
    build_manifest(pack)
    library = open_library(app_dirs(tmp_path / "d").ensure(), content_dir=mini_corpus, packs=[pack.parent])
    messages = " | ".join(str(p) for p in library.report.problems)
    assert (
        "refused" in messages and "unknown reference key 'nope1999'" in messages and "local-zebra-clinic.md" in messages
    )
    assert "local-zebra-clinic" not in ids(library.search("zebra"))
    library.close()


def test_pack_cannot_shadow_a_curated_entry(mini_corpus, pack, tmp_path) -> None:
    path = pack / "management" / "local-zebra-clinic.md"
    path.write_text(path.read_text().replace("id: local-zebra-clinic", "id: fixture-rest"))
    path.rename(pack / "management" / "fixture-rest.md")
    build_manifest(pack)
    library = open_library(app_dirs(tmp_path / "d").ensure(), content_dir=mini_corpus, packs=[pack.parent])
    assert any("already exists in the curated content" in str(p) for p in library.report.problems)
    assert library.entry("fixture-rest").title == "Fixture rest and acetaminophen"
    library.close()


def test_dot_files_are_neither_checked_nor_loaded(mini_corpus, pack, tmp_path) -> None:
    hidden = pack / "local" / ".hidden.md"
    hidden.write_text("---\nextends: fixture-rest\n---\n\n## Hidden protocol\n\nUnchecked text, extension 5555.\n")
    assert ".hidden.md" not in (pack / "pack.yaml").read_text()
    library = open_library(app_dirs(tmp_path / "d").ensure(), content_dir=mini_corpus, packs=[pack.parent])
    assert library.report.problems == []
    assert "Hidden protocol" not in [s.heading for s in library.entry("fixture-rest").sections]
    assert all(hit.section != "Hidden protocol" for hit in library.search("extension 5555").hits)
    library.close()


def test_kind_folder_linked_outside_the_pack_is_refused(mini_corpus, pack, tmp_path) -> None:
    outside = tmp_path / "outside"
    shutil.move(pack / "management", outside)
    (pack / "management").symlink_to(outside, target_is_directory=True)
    library = open_library(app_dirs(tmp_path / "d").ensure(), content_dir=mini_corpus, packs=[pack.parent])
    messages = " | ".join(str(p) for p in library.report.problems)
    assert "pack 'mini-pack' refused" in messages and "a symbolic link to a folder: not allowed" in messages
    assert "local-zebra-clinic" not in ids(library.search("zebra"))
    assert ids(library.search("muffled hearing"))[0] == "fixture-headache"
    library.close()


def test_pack_keygen_sign_and_validate_through_the_cli(mini_corpus, pack, tmp_path, monkeypatch, capsys) -> None:
    """The publisher's path: keygen (private key 0600), sign, then `pack validate` under a policy
    that trusts the key shows the publisher the admin named, not the one in pack.yaml."""
    import os
    import stat

    from main import main

    key = tmp_path / "dept.key"
    assert main(["pack", "keygen", str(key)]) == 0
    out = capsys.readouterr().out
    public = next(line.split(": ", 1)[1] for line in out.splitlines() if line.startswith("public key: "))
    key_id = next(line.split(": ", 1)[1] for line in out.splitlines() if line.startswith("key id: "))
    if os.name == "posix":
        assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert main(["pack", "keygen", str(key)]) == 1  # never overwrites a key
    assert "already exists" in capsys.readouterr().err

    assert main(["pack", "sign", str(pack), "--key", str(key)]) == 0
    assert key_id in (pack / "pack.sig").read_text()
    policy = tmp_path / "policy.ini"
    policy.write_text(f"[trusted-publishers]\nSt Elsewhere Anaesthesia = {public}\n", encoding="utf-8")
    monkeypatch.setenv("VADEMECUM_POLICY", str(policy))
    assert main(["pack", "validate", str(pack), "--content", str(mini_corpus)]) == 0
    assert "(Local — St Elsewhere Anaesthesia, reviewed 2026-11-25) is valid" in capsys.readouterr().err

    (pack / "local" / "fixture-headache.md").write_text("---\nextends: fixture-headache\n---\n\n## Changed\n\nx\n")
    assert main(["pack", "sign", str(pack), "--key", str(key)]) == 1  # checksums first: nothing signed
    assert "not ready to sign" in capsys.readouterr().err
