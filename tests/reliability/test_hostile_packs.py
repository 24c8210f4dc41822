"""One bad pack costs that pack, never the library: the attack sweep's pack cases, replayed.

Each case installs a sound pack and a hostile one beside the curated fixture corpus, opens the
library the way the app does, and checks three things a clinician would notice: the curated
entries answer, the sound pack answers, and the refusal names the pack, the file and the reason.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from index.library import open_library
from index.packs import MANIFEST, build_manifest
from index.paths import app_dirs
from tests.helpers import bounded

ROOT = Path(__file__).resolve().parents[2]
PACK = ROOT / "tests" / "fixtures" / "packs" / "mini-pack"
HOSTILE = "hostile-pack"


def alias_bomb(levels: int = 9) -> str:
    """The billion-laughs document: 9 levels of 9 aliases each would expand to 9**9 strings."""
    lines = ['l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, levels):
        lines.append(f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


OKAPI = """---
id: local-okapi-clinic
kind: management
title: Okapi clinic referral
summary: A second department's review clinic for fixture headaches that linger [@alpha2020].
aliases: [okapi clinic]
tags: [adult]
references: [alpha2020, beta2019]
review:
  status: draft
  date: 2026-11-21
  checked: "Written for the tests."
  sources: []
---

## Indications

Any fixture headache that has not settled by the third ward round of this second department.

## How it works and evidence

Review by the on-call consultant of the second department; no trial evidence exists [@beta2019].

## Technique or dosing

Ask the ward clerk of the second department to add the patient to the next okapi list.

## Contraindications and cautions

Nothing specific; red flags follow the emergency pathway of the second department.

## Adverse effects

There are none to speak of for an appointment booked this way.

## Where it fits

When [fixture rest](entry:fixture-rest) has not helped within the second department.
"""


@pytest.fixture
def packs(tmp_path: Path) -> Path:
    """packs/mini-pack (sound) and packs/hostile-pack (sound until a test breaks it)."""
    root = tmp_path / "packs"
    shutil.copytree(PACK, root / "mini-pack")
    hostile = root / HOSTILE
    shutil.copytree(PACK, hostile)
    manifest = hostile / MANIFEST
    manifest.write_text(manifest.read_text().replace("Mini pack", "Hostile pack"))
    (hostile / "management" / "local-zebra-clinic.md").unlink()
    (hostile / "management" / "local-okapi-clinic.md").write_text(OKAPI, encoding="utf-8")
    local = hostile / "local" / "fixture-headache.md"
    local.write_text(local.read_text().replace("extends: fixture-headache", "extends: fixture-rest"))
    build_manifest(hostile)
    return root


def ids(results) -> list[str]:
    return [hit.id for hit in results.hits]


def open_with(packs: Path, mini_corpus: Path, data: Path):
    return open_library(app_dirs(data).ensure(), content_dir=mini_corpus, packs=[packs])


def assert_served_and_refused(library, *expected: str) -> str:
    """The curated entries and the sound pack answer; the hostile pack is refused with a message
    that contains every expected fragment. Returns all the messages, for further checks."""
    refused = [p for p in library.report.problems if p.code == "pack-refused"]
    assert [HOSTILE in p.message for p in refused] == [True], [str(p) for p in library.report.problems]
    messages = " | ".join(str(p) for p in library.report.problems)
    for fragment in expected:
        assert fragment in messages, messages
    assert ids(library.search("muffled hearing"))[0] == "fixture-headache"  # curated
    assert ids(library.search("zebra clinic"))[0] == "local-zebra-clinic"  # the sound pack
    assert "local-okapi-clinic" not in ids(library.search("okapi clinic"))
    return messages


def test_both_packs_load_when_sound(packs, mini_corpus, tmp_path) -> None:
    library = open_with(packs, mini_corpus, tmp_path / "d")
    assert library.report.problems == []
    assert ids(library.search("okapi clinic"))[0] == "local-okapi-clinic"
    library.close()


@pytest.mark.parametrize(
    "relative",
    ["management/local-okapi-clinic.md", "local/fixture-headache.md"],
)
def test_non_utf8_byte_in_a_pack_file(packs, mini_corpus, tmp_path, relative) -> None:
    path = packs / HOSTILE / relative
    path.write_bytes(path.read_bytes().replace(b"## ", b"## Caf\xe9 ", 1))
    build_manifest(packs / HOSTILE)
    library = open_with(packs, mini_corpus, tmp_path / "d")
    messages = assert_served_and_refused(library, relative, "not valid UTF-8: byte 0xe9 at line")
    assert f"{relative}:1:" not in messages  # the line of the bad byte, not line 1
    library.close()


def test_non_utf8_byte_in_pack_references(packs, mini_corpus, tmp_path) -> None:
    (packs / HOSTILE / "references.yaml").write_bytes(b"okapi2021:\n  title: Caf\xe9\n")
    build_manifest(packs / HOSTILE)
    library = open_with(packs, mini_corpus, tmp_path / "d")
    assert_served_and_refused(library, "references.yaml:2", "not valid UTF-8")
    library.close()


def test_folder_named_like_an_entry_file(packs, mini_corpus, tmp_path) -> None:
    (packs / HOSTILE / "local" / "x.md").mkdir()
    library = open_with(packs, mini_corpus, tmp_path / "d")
    assert_served_and_refused(library, "local/x.md", "a folder where a file is expected")
    library.close()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_fifo_named_like_an_entry_file_does_not_hang(packs, mini_corpus, tmp_path) -> None:
    os.mkfifo(packs / HOSTILE / "local" / "x.md")
    library = bounded(60, lambda: open_with(packs, mini_corpus, tmp_path / "d"))
    assert_served_and_refused(library, "local/x.md", "FIFO")
    library.close()


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_link_to_dev_zero_is_not_read(packs, mini_corpus, tmp_path) -> None:
    (packs / HOSTILE / "local" / "x.md").symlink_to("/dev/zero")
    library = bounded(60, lambda: open_with(packs, mini_corpus, tmp_path / "d"))
    assert_served_and_refused(library, "local/x.md", "points outside the pack")
    library.close()


def test_link_to_a_file_outside_the_pack_is_refused(packs, mini_corpus, tmp_path) -> None:
    outside = tmp_path / "elsewhere.md"
    shutil.copy(packs / HOSTILE / "local" / "fixture-headache.md", outside)
    (packs / HOSTILE / "local" / "fixture-headache.md").unlink()
    (packs / HOSTILE / "local" / "fixture-headache.md").symlink_to(outside)
    build_manifest(packs / HOSTILE)  # even listed with a matching checksum
    library = open_with(packs, mini_corpus, tmp_path / "d")
    assert_served_and_refused(library, "local/fixture-headache.md", "points outside the pack")
    library.close()


def test_oversize_pack_file_is_refused_without_reading_it(packs, mini_corpus, tmp_path) -> None:
    big = packs / HOSTILE / "management" / "huge.md"
    with big.open("wb") as handle:  # sparse: 3 GB on paper, nothing on disk
        handle.truncate(3 * 1024**3)
    started = time.monotonic()
    library = bounded(60, lambda: open_with(packs, mini_corpus, tmp_path / "d"))
    assert time.monotonic() - started < 30
    assert_served_and_refused(library, "management/huge.md", "too large")
    library.close()


def test_alias_bomb_in_pack_yaml_is_refused_at_once(packs, mini_corpus, tmp_path) -> None:
    manifest = packs / HOSTILE / MANIFEST
    manifest.write_text(alias_bomb() + "name: *l8\n" + manifest.read_text().split("\n", 1)[1])
    started = time.monotonic()
    library = bounded(30, lambda: open_with(packs, mini_corpus, tmp_path / "d"))
    assert_served_and_refused(library, "pack.yaml:2", "YAML aliases (*name) are not allowed here")
    library.close()
    assert time.monotonic() - started < 10  # the sweep measured 75 s and 3 GB


def test_alias_bomb_in_an_entry_title_is_refused_at_once(packs, mini_corpus, tmp_path) -> None:
    path = packs / HOSTILE / "management" / "local-okapi-clinic.md"
    bomb = "".join(f"x{line}" for line in alias_bomb().splitlines(keepends=True))
    path.write_text(path.read_text().replace("title: Okapi clinic referral", bomb.replace("x", "") + "title: *l8"))
    build_manifest(packs / HOSTILE)
    library = bounded(30, lambda: open_with(packs, mini_corpus, tmp_path / "d"))
    assert_served_and_refused(library, "local-okapi-clinic.md", "YAML aliases (*name) are not allowed here")
    library.close()


@pytest.mark.parametrize(
    ("title", "reason"),
    [
        ('Okapi <img src="file:///etc/hostname">', "contains HTML markup"),
        ("Okapi &lt;b&gt; clinic", "contains an HTML entity"),
        ("Okapi " + "<table>" + "<tr>" + "<td>x</td>" * 100 + "</tr>" * 100 + "</table>", "longer than 200"),
    ],
)
def test_markup_in_a_pack_title_is_refused(packs, mini_corpus, tmp_path, title, reason) -> None:
    path = packs / HOSTILE / "management" / "local-okapi-clinic.md"
    path.write_text(path.read_text().replace("title: Okapi clinic referral", f"title: '{title}'"))
    build_manifest(packs / HOSTILE)
    library = open_with(packs, mini_corpus, tmp_path / "d")
    assert_served_and_refused(library, "local-okapi-clinic.md:4", f"title {reason}")
    library.close()


def test_markup_in_a_local_heading_or_alias_is_refused(packs, mini_corpus, tmp_path) -> None:
    local = packs / HOSTILE / "local" / "fixture-headache.md"
    local.write_text(local.read_text().replace("## Local protocol", "## Local <img src=x> protocol"))
    build_manifest(packs / HOSTILE)
    library = open_with(packs, mini_corpus, tmp_path / "d")
    assert_served_and_refused(library, "local/fixture-headache.md:5", "heading", "contains HTML markup")
    library.close()

    local.write_text(local.read_text().replace("## Local <img src=x> protocol", "## Local protocol"))
    entry = packs / HOSTILE / "management" / "local-okapi-clinic.md"
    entry.write_text(entry.read_text().replace("aliases: [okapi clinic]", "aliases: ['<b>okapi</b>']"))
    build_manifest(packs / HOSTILE)
    library = open_with(packs, mini_corpus, tmp_path / "d2")
    assert_served_and_refused(library, "local-okapi-clinic.md:6", "alias", "contains HTML markup")
    library.close()


def test_bom_and_crlf_are_accepted(packs, mini_corpus, tmp_path) -> None:
    for path in (packs / HOSTILE).rglob("*.md"):
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    manifest = packs / HOSTILE / MANIFEST
    manifest.write_bytes(b"\xef\xbb\xbf" + manifest.read_bytes().replace(b"\n", b"\r\n"))
    build_manifest(packs / HOSTILE)
    library = open_with(packs, mini_corpus, tmp_path / "d")
    assert library.report.problems == []
    assert ids(library.search("okapi clinic"))[0] == "local-okapi-clinic"
    assert "Local protocol" in [s.heading for s in library.entry("fixture-rest").sections]
    library.close()


def test_a_second_pack_with_the_same_entry_id_says_so(packs, mini_corpus, tmp_path) -> None:
    hostile = packs / HOSTILE
    path = hostile / "management" / "local-okapi-clinic.md"
    path.write_text(path.read_text().replace("id: local-okapi-clinic", "id: local-zebra-clinic"))
    path.rename(hostile / "management" / "local-zebra-clinic.md")
    build_manifest(hostile)
    library = open_with(packs, mini_corpus, tmp_path / "d")
    messages = assert_served_and_refused(library, "id 'local-zebra-clinic' is already used by another pack")
    assert "curated" not in messages
    library.close()


def test_the_same_pack_installed_twice_says_so(packs, mini_corpus, tmp_path) -> None:
    shutil.rmtree(packs / HOSTILE)
    shutil.copytree(packs / "mini-pack", packs / HOSTILE)
    library = open_with(packs, mini_corpus, tmp_path / "d")
    messages = assert_served_and_refused(library, "a pack named 'Mini pack' is already loaded from")
    assert "curated" not in messages
    library.close()


def test_refused_pack_is_reported_on_every_start(packs, mini_corpus, tmp_path) -> None:
    path = packs / HOSTILE / "management" / "local-okapi-clinic.md"
    path.write_bytes(path.read_bytes() + b"\xff")
    build_manifest(packs / HOSTILE)
    first = open_with(packs, mini_corpus, tmp_path / "d")
    assert first.report.rebuilt
    first.close()
    again = open_with(packs, mini_corpus, tmp_path / "d")
    assert not again.report.rebuilt  # nothing changed: no rebuild, and still the message
    assert_served_and_refused(again, "local-okapi-clinic.md", "not valid UTF-8")
    again.close()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_cli_search_and_build_index_survive_a_hostile_pack(packs, mini_corpus, tmp_path) -> None:
    """The sweep's fresh install: every hostile thing at once, through the command line."""
    hostile = packs / HOSTILE
    os.mkfifo(hostile / "local" / "fifo.md")
    (hostile / "local" / "zero.md").symlink_to("/dev/zero")
    (hostile / "local" / "folder.md").mkdir()
    (hostile / MANIFEST).write_text(alias_bomb() + (hostile / MANIFEST).read_text())
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "VADEMECUM_POLICY": str(tmp_path / "no-policy.ini")}
    base = [sys.executable, "main.py", "--data-dir", str(tmp_path / "d"), "--content", str(mini_corpus)]
    base += ["--pack", str(packs)]
    search = subprocess.run(
        [*base, "search", "zebra clinic", "--json"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert search.returncode == 0, search.stderr
    assert '"id": "local-zebra-clinic"' in search.stdout
    assert f"pack '{HOSTILE}' refused" in search.stderr and "Traceback" not in search.stderr
    build = subprocess.run([*base, "build-index"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert "Traceback" not in build.stderr and f"pack '{HOSTILE}' refused" in build.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_pack_yaml_that_is_a_fifo_or_a_folder(packs, mini_corpus, tmp_path) -> None:
    manifest = packs / HOSTILE / MANIFEST
    manifest.unlink()
    os.mkfifo(manifest)
    library = bounded(60, lambda: open_with(packs, mini_corpus, tmp_path / "d"))
    assert_served_and_refused(library, "pack.yaml:1", "a FIFO (named pipe), not a regular file")
    library.close()
    manifest.unlink()
    manifest.mkdir()
    library = open_with(packs, mini_corpus, tmp_path / "d2")
    assert_served_and_refused(library, "pack.yaml a directory, not a regular file")
    library.close()
