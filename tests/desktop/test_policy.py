"""Machine-wide policy: defaults, locks users cannot override, pack directories, notes switched off."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.settings import Settings
from index.policy import load_policy

pytestmark = pytest.mark.gui

POLICY = """
[defaults]
theme = high-contrast
font_size = 14
[locked]
theme = true
[packs]
directories = /srv/protocols; {packs}
[features]
notes = false
"""


@pytest.fixture
def policy_file(tmp_path: Path, monkeypatch) -> Path:
    path = tmp_path / "policy.ini"
    path.write_text(POLICY.format(packs=tmp_path / "dept packs"), encoding="utf-8")
    monkeypatch.setenv("VADEMECUM_POLICY", str(path))
    return path


def test_policy_defaults_locks_and_pack_dirs(policy_file: Path, tmp_path: Path) -> None:
    policy = load_policy()
    assert policy.defaults["theme"] == "high-contrast" and policy.is_locked("theme")
    assert not policy.is_locked("font_size") and not policy.notes_enabled
    assert policy.pack_directories == (Path("/srv/protocols"), tmp_path / "dept packs")

    settings = Settings(tmp_path / "settings.ini", policy)
    assert settings.get("font_size") == 14  # the admin's default until the user chooses
    settings.set("font_size", 12)
    assert settings.get("font_size") == 12  # unlocked: the user's choice wins
    settings.set("theme", "dark")
    assert settings.get("theme") == "high-contrast"  # locked: the admin's value always wins
    settings.qsettings.setValue("settings/theme", "dark")  # even if the INI was edited by hand
    assert settings.get("theme") == "high-contrast"


def test_no_policy_file_means_no_policy(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("VADEMECUM_POLICY", str(tmp_path / "absent.ini"))
    policy = load_policy()
    assert policy.defaults == {} and policy.notes_enabled and not policy.locked


def test_window_obeys_the_policy(qtbot, make_window, policy_file: Path, mini_corpus, tmp_path: Path) -> None:
    win = make_window(tmp_path / "data", mini_corpus, policy=load_policy())
    qtbot.waitUntil(lambda: win.controller.userdata is not None, timeout=30000)
    assert win.theme == "high-contrast"
    assert not win.theme_actions["dark"].isEnabled()
    win.apply_theme("dark", save=True)
    assert win.theme == "high-contrast"
    with qtbot.waitSignal(win.entry_shown, timeout=5000):
        win.open_entry("fixture-rest")
    assert not win.reader_pane.note_edit.isEnabled()


def test_an_unreadable_policy_is_shown_not_silently_ignored(
    qtbot, make_window, mini_corpus, tmp_path: Path, monkeypatch
) -> None:
    from desktop import dialogs

    broken = tmp_path / "policy.ini"
    broken.write_text("[defaults\ntheme = dark\n", encoding="utf-8")
    policy = load_policy(broken)
    assert policy.problems
    win = make_window(tmp_path / "data", mini_corpus, policy=policy)
    qtbot.waitUntil(lambda: "Machine policy setting ignored" in win.statusBar().currentMessage(), timeout=30000)
    shown = []
    monkeypatch.setattr(dialogs.AboutDialog, "exec", lambda self: shown.append(self.text.text()))
    win.show_about()
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    assert "Machine policy settings ignored" in shown[0]
