"""Trust in local packs is held by the machine's admin, not by whoever can write a pack folder.

Each case opens the library the way the app does (policy → sources → open_library) with a pack
signed by a trusted publisher beside the case under test, and checks what a clinician sees: who a
pack's content is attributed to, which packs are refused and why, and that the rest still answers.
"""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest
import yaml

from index import policy as policy_module
from index.library import Policy, open_library, sources
from index.packs import MANIFEST, SIGNATURE, build_manifest, sign_pack
from index.policy import load_policy
from index.signing import generate_private_key

ROOT = Path(__file__).resolve().parents[2]
PACK = ROOT / "tests" / "fixtures" / "packs" / "mini-pack"
PUBLISHER = "St Elsewhere Anaesthesia"
SIGNED_LABEL = f"Local — {PUBLISHER}, reviewed 2026-11-25"


@pytest.fixture
def keys(tmp_path: Path) -> dict:
    """Two publisher keys: 'trusted' is named in the policy, 'other' is not."""
    made = {}
    for name in ("trusted", "other"):
        path = tmp_path / "keys" / f"{name}.key"
        path.parent.mkdir(exist_ok=True)
        made[name] = (path, generate_private_key(path))
    return made


def policy(keys: dict, *, directories: tuple[Path, ...] = (), personal: bool | None = None) -> Policy:
    return Policy(
        pack_directories=directories,
        machine=True,
        personal_packs=personal,
        trusted_publishers=((PUBLISHER, keys["trusted"][1].text),),
    )


def make_pack(root: Path, name: str, *, key: Path | None = None, entry: str = "local-zebra-clinic") -> Path:
    """A copy of the fixture pack under root/name with its own entry id, built and maybe signed."""
    target = root / name
    shutil.copytree(PACK, target)
    zebra = target / "management" / "local-zebra-clinic.md"
    text = zebra.read_text(encoding="utf-8").replace("id: local-zebra-clinic", f"id: {entry}")
    zebra.unlink()
    (target / "management" / f"{entry}.md").write_text(text, encoding="utf-8")
    (target / "local" / "fixture-headache.md").unlink()  # one pack only may extend an entry here
    manifest = yaml.safe_load((target / MANIFEST).read_text(encoding="utf-8"))
    manifest["name"] = name
    (target / MANIFEST).write_text(yaml.safe_dump(manifest), encoding="utf-8")
    build_manifest(target)
    if key is not None:
        sign_pack(target, key)
    return target


def open_with(tmp_path: Path, mini_corpus: Path, pol: Policy, packs: list[Path]):
    return open_library(sources(tmp_path / "data", mini_corpus, packs, pol))


def labels(library, query: str) -> dict[str, str]:
    return {hit.id: hit.label for hit in library.search(query).hits}


def refusals(library) -> list[str]:
    return [str(p) for p in library.report.problems if p.code == "pack-refused"]


@pytest.fixture
def good(tmp_path: Path, keys: dict) -> Path:
    return make_pack(tmp_path / "packs", "good", key=keys["trusted"][0], entry="good-zebra")


def assert_rest_served(library) -> None:
    assert library.search("fixture headache").hits[0].id == "fixture-headache"  # curated answers
    assert labels(library, "zebra clinic").get("good-zebra") == SIGNED_LABEL  # the sound pack too


def test_a_pack_signed_by_a_trusted_key_shows_the_publisher_bound_to_that_key(tmp_path, mini_corpus, keys) -> None:
    pack = make_pack(tmp_path / "packs", "dept", key=keys["trusted"][0])
    library = open_with(tmp_path, mini_corpus, policy(keys), [pack])
    # pack.yaml says "Test Department"; the app shows the name the admin bound to the key
    assert labels(library, "zebra clinic")["local-zebra-clinic"] == SIGNED_LABEL
    assert library.entry("local-zebra-clinic").label == SIGNED_LABEL
    assert refusals(library) == []
    library.close()


def test_a_forged_pack_yaml_is_refused_and_the_rest_is_served(tmp_path, mini_corpus, keys, good, caplog) -> None:
    pack = make_pack(tmp_path / "packs", "forged", key=keys["trusted"][0], entry="forged-zebra")
    # whoever can write the folder edits an entry and rewrites the checksum list to match
    entry = pack / "management" / "forged-zebra.md"
    entry.write_text(entry.read_text().replace("discharge letter", "discharge letter and 10 mg"), encoding="utf-8")
    build_manifest(pack)
    library = open_with(tmp_path, mini_corpus, policy(keys), [good, pack])
    (refused,) = refusals(library)
    assert "pack 'forged' refused" in refused and "pack.sig" in refused
    assert "signature does not match pack.yaml" in refused
    assert any("pack 'forged' refused" in r.getMessage() and "pack.sig" in r.getMessage() for r in caplog.records)
    assert "forged-zebra" not in labels(library, "zebra clinic")
    assert_rest_served(library)
    library.close()


def test_a_signature_claiming_a_trusted_key_it_was_not_made_with_is_refused(tmp_path, mini_corpus, keys, good) -> None:
    pack = make_pack(tmp_path / "packs", "wrong-key", key=keys["other"][0], entry="wrong-zebra")
    sig = pack / SIGNATURE
    sig.write_text(sig.read_text().replace(keys["other"][1].key_id, keys["trusted"][1].key_id), encoding="utf-8")
    library = open_with(tmp_path, mini_corpus, policy(keys), [good, pack])
    (refused,) = refusals(library)
    assert "pack 'wrong-key' refused" in refused and "signature does not match" in refused
    assert_rest_served(library)
    library.close()


def test_a_pack_signed_by_an_untrusted_key_is_refused_under_a_machine_policy(tmp_path, mini_corpus, keys, good) -> None:
    pack = make_pack(tmp_path / "packs", "untrusted", key=keys["other"][0], entry="untrusted-zebra")
    library = open_with(tmp_path, mini_corpus, policy(keys), [good, pack])
    (refused,) = refusals(library)
    assert "pack 'untrusted' refused" in refused and "pack.sig" in refused
    assert f"signed with key {keys['other'][1].key_id}, which the machine policy does not trust" in refused
    assert_rest_served(library)
    library.close()


def test_an_unsigned_pack_is_refused_when_the_policy_forbids_personal_packs(tmp_path, mini_corpus, keys, good) -> None:
    pack = make_pack(tmp_path / "packs", "unsigned", entry="unsigned-zebra")
    library = open_with(tmp_path, mini_corpus, policy(keys), [good, pack])
    (refused,) = refusals(library)
    assert "pack 'unsigned' refused" in refused and "pack.yaml" in refused and "not signed (no pack.sig)" in refused
    assert_rest_served(library)
    library.close()


@pytest.mark.parametrize("personal_policy", ["allow", "no machine policy"])
def test_a_personal_pack_is_marked_personal_and_never_shows_a_department_badge(
    tmp_path, mini_corpus, keys, good, personal_policy
) -> None:
    pack = make_pack(tmp_path / "packs", "mine", key=keys["other"][0], entry="mine-zebra")
    pol = policy(keys, personal=True) if personal_policy == "allow" else Policy()
    library = open_with(tmp_path, mini_corpus, pol, [pack, good])
    shown = labels(library, "zebra clinic")
    assert shown["mine-zebra"] == "Personal, unverified — pack 'mine'"
    assert "Test Department" not in shown["mine-zebra"] and PUBLISHER not in shown["mine-zebra"]
    # the department's pack keeps its badge only where the admin trusts its key
    assert shown["good-zebra"] == (SIGNED_LABEL if personal_policy == "allow" else "Personal, unverified — pack 'good'")
    assert refusals(library) == []
    library.close()


def _symlink(pack: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text((pack / "management" / "hostile-zebra.md").read_text(), encoding="utf-8")
    (pack / "management" / "hostile-zebra.md").unlink()
    (pack / "management" / "hostile-zebra.md").symlink_to(outside)


def _dotdot(pack: Path, tmp_path: Path) -> None:
    data = yaml.safe_load((pack / MANIFEST).read_text(encoding="utf-8"))
    data["files"]["../outside.md"] = "0" * 64
    (pack / MANIFEST).write_text(yaml.safe_dump(data), encoding="utf-8")


def _oversize(pack: Path, tmp_path: Path) -> None:
    with open(pack / "management" / "hostile-zebra.md", "ab") as handle:
        handle.truncate(3 * 1024 * 1024)  # sparse: over the 2 MB cap for a pack file


@pytest.mark.parametrize(
    ("case", "reason"),
    [
        (_symlink, "management/hostile-zebra.md:1: a symbolic link that points outside the pack"),
        (_dotdot, "checksum list names '../outside.md': a path outside the pack"),
        (_oversize, "management/hostile-zebra.md:1: too large"),
    ],
    ids=["symlink", "dotdot", "oversize"],
)
def test_a_signed_pack_with_a_file_outside_it_or_too_large_is_refused(
    tmp_path, mini_corpus, keys, good, case, reason
) -> None:
    pack = make_pack(tmp_path / "packs", "hostile", entry="hostile-zebra")
    case(pack, tmp_path)
    sign_pack_anyway(pack, keys["trusted"][0])  # signed by the trusted key, as it is: still refused
    library = open_with(tmp_path, mini_corpus, policy(keys), [good, pack])
    (refused,) = refusals(library)
    assert "pack 'hostile' refused" in refused and reason in refused, refused
    assert "hostile-zebra" not in labels(library, "zebra clinic")
    assert_rest_served(library)
    library.close()


def sign_pack_anyway(pack: Path, key: Path) -> None:
    """Sign pack.yaml as it is, the way an attacker holding the key (or a careless publisher) could."""
    from index.packs import read_bytes
    from index.signing import encode_signature, load_private_key, public_key_of, sign

    private = load_private_key(key)
    signature = encode_signature(sign(private, read_bytes(pack / MANIFEST)))
    key_id = public_key_of(private).key_id
    (pack / SIGNATURE).write_text(f'key_id: "{key_id}"\nsignature: "{signature}"\n', encoding="utf-8")


@pytest.mark.skipif(os.name != "posix", reason="folder modes are POSIX")
def test_a_policy_pack_folder_other_users_can_write_is_refused_until_fixed(tmp_path, mini_corpus, keys) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    pack = make_pack(shared, "dept", key=keys["trusted"][0])
    pol = policy(keys, directories=(shared,))
    shared.chmod(0o777)
    library = open_with(tmp_path, mini_corpus, pol, [])
    (refused,) = refusals(library)
    assert "pack 'dept' refused" in refused and "can be written by users other than its owner" in refused
    assert "local-zebra-clinic" not in labels(library, "zebra clinic")
    assert library.search("fixture headache").hits[0].id == "fixture-headache"
    library.close()

    shared.chmod(0o755)
    (pack / "management").chmod(0o775)  # a folder inside the pack, group-writable
    library = open_with(tmp_path, mini_corpus, pol, [])
    (refused,) = refusals(library)
    assert "management:1: folder can be written by users other than its owner" in refused
    library.close()

    (pack / "management").chmod(0o755)
    library = open_with(tmp_path, mini_corpus, pol, [])
    assert refusals(library) == [] and labels(library, "zebra clinic")["local-zebra-clinic"] == SIGNED_LABEL
    assert stat.S_IMODE(shared.stat().st_mode) == 0o755
    library.close()


def test_a_local_entry_repeating_a_curated_title_or_alias_is_flagged_and_never_outranks_it(
    tmp_path, mini_corpus, keys
) -> None:
    pack = make_pack(tmp_path / "packs", "twin", entry="twin-headache")
    entry = pack / "management" / "twin-headache.md"
    text = entry.read_text().replace("title: Zebra clinic referral", "title: Fixture headache")
    entry.write_text(text.replace("aliases: [zebra clinic]", "aliases: [zebra clinic, FH]"), encoding="utf-8")
    build_manifest(pack)
    sign_pack(pack, keys["trusted"][0])
    library = open_with(tmp_path, mini_corpus, policy(keys), [pack])
    warnings = [str(p) for p in library.report.problems if p.code == "pack-duplicate"]
    assert any("title 'Fixture headache' repeats curated entry 'fixture-headache'" in w for w in warnings), warnings
    assert any("alias 'FH' repeats curated entry 'fixture-headache': dropped" in w for w in warnings), warnings
    assert refusals(library) == []
    for query in ("fixture headache", "FH"):
        assert library.search(query).hits[0].id == "fixture-headache", query
    assert library.entry("twin-headache").title == "Fixture headache (local)"
    library.close()


@pytest.fixture
def machine_policy(tmp_path: Path, monkeypatch) -> Path:
    """A machine policy that locks the theme, where the app looks for it."""
    path = tmp_path / "machine" / "policy.ini"
    path.parent.mkdir()
    path.write_text("[defaults]\ntheme = high-contrast\n[locked]\ntheme = true\n", encoding="utf-8")
    monkeypatch.setattr(policy_module, "machine_policy_path", lambda: path)
    return path


@pytest.mark.parametrize("developer", ["1", ""])
def test_a_user_set_policy_override_cannot_change_a_locked_setting(
    tmp_path, monkeypatch, machine_policy, developer
) -> None:
    mine = tmp_path / "mine.ini"
    mine.write_text("[defaults]\ntheme = dark\n[locked]\ntheme = false\n[packs]\npersonal_packs = allow\n")
    monkeypatch.setenv("VADEMECUM_POLICY", str(mine))
    monkeypatch.setenv("VADEMECUM_DEVELOPER", developer)
    pol = load_policy()
    assert pol.is_locked("theme") and pol.defaults["theme"] == "high-contrast"
    assert not pol.personal_packs_allowed
    assert any("VADEMECUM_POLICY ignored" in p for p in pol.problems), pol.problems


def test_the_policy_override_is_honoured_in_developer_mode_where_no_machine_policy_exists(
    tmp_path, monkeypatch
) -> None:
    monkeypatch.setattr(policy_module, "machine_policy_path", lambda: tmp_path / "absent.ini")
    mine = tmp_path / "trial.ini"
    mine.write_text("[locked]\ntheme = true\n")
    monkeypatch.setenv("VADEMECUM_POLICY", str(mine))
    assert load_policy().is_locked("theme")
    monkeypatch.setenv("VADEMECUM_DEVELOPER", "0")
    pol = load_policy()
    assert not pol.is_locked("theme") and "honoured only with VADEMECUM_DEVELOPER=1" in pol.problems[0]


def test_trusted_publishers_in_the_policy_file_keep_their_names_and_bad_keys_are_named(tmp_path, keys) -> None:
    path = tmp_path / "policy.ini"
    path.write_text(
        f"[trusted-publishers]\n{PUBLISHER} = {keys['trusted'][1].text}\nBroken Dept = ed25519:abc\n"
        "[packs]\npersonal_packs = maybe\n",
        encoding="utf-8",
    )
    pol = load_policy(path)
    assert pol.trusted_publishers == ((PUBLISHER, keys["trusted"][1].text),)
    assert any("Broken Dept" in p and "not valid base64" in p for p in pol.problems), pol.problems
    assert any("personal_packs = 'maybe'" in p for p in pol.problems)
    assert pol.machine and not pol.personal_packs_allowed
