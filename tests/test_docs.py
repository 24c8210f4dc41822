"""The README cannot drift from the code: every CLI command, option and shortcut is documented."""

from __future__ import annotations

import re
from pathlib import Path

from main import build_parser

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_every_subcommand_and_option_is_in_the_readme() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    for name, command in sub.choices.items():
        assert f"`{name}" in README, name
        for action in command._actions:
            for flag in action.option_strings:
                if flag.startswith("--") and flag != "--help":
                    assert flag in README, f"{name} {flag}"


def test_every_shortcut_is_in_the_readme() -> None:
    from desktop.actions import SHORTCUTS

    for shortcut in SHORTCUTS:
        assert f"`{shortcut.keys}`" in README, shortcut.keys


def test_every_action_shortcut_is_in_the_table() -> None:
    """A key bound in the window but missing from SHORTCUTS would be undocumented everywhere."""

    from desktop.actions import SHORTCUTS

    source = (Path(__file__).resolve().parents[1] / "desktop" / "actions.py").read_text(encoding="utf-8")
    listed = " ".join(s.keys for s in SHORTCUTS)
    for keys in re.findall(r'self\._action\([^)]*?"([A-Za-z0-9+=\-]+)"\)', source):
        assert keys.split("+")[-1] in listed and keys in listed.replace(" / ", " "), keys
