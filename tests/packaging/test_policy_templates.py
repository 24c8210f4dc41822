"""The Group Policy templates (ADMX/ADML) are well-formed, consistent, and set exactly the settings
of policy.ini, under the registry key the app reads on Windows (read here through a fake registry)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from index import policy as policy_module
from index.policy import REGISTRY_KEY, REGISTRY_SECTIONS, SECTIONS, TRUSTED, load_policy
from index.signing import generate_private_key

ROOT = Path(__file__).resolve().parents[2]
ADMX = ROOT / "packaging" / "windows" / "vademecum.admx"
ADML = ROOT / "packaging" / "windows" / "en-US" / "vademecum.adml"
NS = {"p": "http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions"}
USER_SETTINGS = {"theme", "font_size"}  # what [defaults] and [locked] are for (desktop/settings.py)


def test_admx_and_adml_are_well_formed_and_every_reference_resolves() -> None:
    admx, adml = ET.parse(ADMX).getroot(), ET.parse(ADML).getroot()
    strings = {s.get("id") for s in adml.iterfind(".//p:stringTable/p:string", NS)}
    presentations = {p.get("id"): p for p in adml.iterfind(".//p:presentationTable/p:presentation", NS)}
    text = ADMX.read_text(encoding="utf-8")
    assert set(re.findall(r"\$\(string\.([^)]+)\)", text)) <= strings
    categories = {c.get("name") for c in admx.iterfind(".//p:categories/p:category", NS)}
    for policy in admx.iterfind(".//p:policies/p:policy", NS):
        assert policy.get("class") == "Machine" and policy.find("p:parentCategory", NS).get("ref") in categories
        ids = {e.get("id") for e in policy.find("p:elements", NS) or []}
        ref = policy.get("presentation")
        if ids:
            presentation = presentations[re.fullmatch(r"\$\(presentation\.(.+)\)", ref).group(1)]
            assert {c.get("refId") for c in presentation} == ids, policy.get("name")
        else:
            assert ref is None and policy.get("valueName"), policy.get("name")


def _registry_settings() -> set[tuple[str, str]]:
    """(INI section, setting) for every registry value the templates write."""
    settings = set()
    prefix = REGISTRY_KEY + "\\"
    for policy in ET.parse(ADMX).getroot().iterfind(".//p:policies/p:policy", NS):
        for node in (policy, *(policy.find("p:elements", NS) or [])):
            key = node.get("key") or policy.get("key")
            assert key.startswith(prefix), key
            section = REGISTRY_SECTIONS[key[len(prefix) :]]
            if node.tag.endswith("list"):
                settings.add((section, "*"))
            elif node.get("valueName"):
                settings.add((section, node.get("valueName")))
    return settings


def test_the_templates_set_the_same_settings_as_the_ini_file() -> None:
    expected = {(s, name) for s in ("defaults", "locked") for name in USER_SETTINGS}
    expected |= {(section, name) for section, names in SECTIONS.items() if names for name in names}
    expected.add((TRUSTED, "*"))
    assert _registry_settings() == expected


class FakeWinreg:
    """The part of winreg the app uses, over a dict: {subkey: {value name: value}}."""

    HKEY_LOCAL_MACHINE = object()

    def __init__(self, tree: dict | None) -> None:
        self.tree = tree

    def OpenKey(self, parent, name):
        node = (
            ({REGISTRY_KEY: self.tree} if self.tree is not None else {})
            if parent is self.HKEY_LOCAL_MACHINE
            else parent
        ).get(name)
        if node is None:
            raise FileNotFoundError(name)
        return node

    def EnumValue(self, key, index):
        items = list(key.items())
        if index >= len(items):
            raise OSError("no more data")
        name, value = items[index]
        return name, value, 1


def test_group_policy_values_are_read_like_the_ini_and_win_over_it(tmp_path, monkeypatch) -> None:
    public = generate_private_key(tmp_path / "dept.key")
    ini = tmp_path / "policy.ini"
    ini.write_text("[defaults]\ntheme = dark\nfont_size = 12\n[features]\nnotes = true\n", encoding="utf-8")
    registry = FakeWinreg(
        {
            "Defaults": {"theme": "high-contrast", "font_size": 14},  # enum → REG_SZ, decimal → REG_DWORD
            "Locked": {"theme": 1, "font_size": 0},
            "Features": {"notes": 0},
            "Packs": {"directories": ["D:\\Protocols\\Anaesthesia", "\\\\srv\\packs"], "personal_packs": "refuse"},
            "TrustedPublishers": {"St Elsewhere Anaesthesia": public.text},
        }
    )
    pol = load_policy(ini, registry=registry)
    assert pol.defaults == {"theme": "high-contrast", "font_size": "14"}
    assert pol.is_locked("theme") and not pol.is_locked("font_size") and not pol.notes_enabled
    assert pol.pack_directories == (Path("D:\\Protocols\\Anaesthesia"), Path("\\\\srv\\packs"))
    assert pol.trusted_publishers == (("St Elsewhere Anaesthesia", public.text),)
    assert pol.machine and not pol.personal_packs_allowed and pol.problems == ()


@pytest.mark.parametrize("tree", [{}, {"Locked": {"theme": 1}}], ids=["empty key", "a lock"])
def test_a_group_policy_key_is_a_machine_policy_the_override_cannot_replace(tmp_path, monkeypatch, tree) -> None:
    monkeypatch.setattr(policy_module, "machine_policy_path", lambda: tmp_path / "absent.ini")
    mine = tmp_path / "mine.ini"
    mine.write_text("[packs]\npersonal_packs = allow\n")
    monkeypatch.setenv("VADEMECUM_POLICY", str(mine))  # developer mode is on in the tests
    pol = load_policy(registry=FakeWinreg(tree))
    assert pol.machine and not pol.personal_packs_allowed
    assert any("VADEMECUM_POLICY ignored" in p for p in pol.problems)
    assert load_policy(registry=FakeWinreg(None)).personal_packs_allowed  # no key: the override applies
