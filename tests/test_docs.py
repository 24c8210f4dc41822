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
    source = (Path(__file__).resolve().parents[1] / "desktop" / "main_window.py").read_text(encoding="utf-8")
    for sequence in re.findall(r'QKeySequence\("([^"]+)"\)', source):
        assert f"`{sequence}`" in README, sequence
    for key in re.findall(r"QKeySequence\(Qt\.Key\.Key_(\w+)\)", source):
        assert f"`{'Esc' if key == 'Escape' else key}`" in README, key
