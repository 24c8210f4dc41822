"""The seam holds: the desktop reaches the core only through index.library and plain model types."""

from __future__ import annotations

import ast
from pathlib import Path

DESKTOP = Path(__file__).resolve().parents[2] / "desktop"
ALLOWED = {"index.library", "index.model"}


def test_desktop_imports_only_the_library_and_model_types() -> None:
    reached = {}
    for path in sorted(DESKTOP.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            for name in names:
                if name.split(".")[0] in ("index", "whoosh", "sqlite_utils", "sqlite3", "yaml"):
                    reached.setdefault(name, []).append(path.name)
    assert set(reached) <= ALLOWED, reached


def test_colours_cover_the_vocabulary() -> None:
    """A kind or urgency added to the core gets a colour in the window, or this fails."""
    from desktop.dialogs import URGENCY_COLOURS
    from desktop.results import KIND_COLOURS
    from index.model import KINDS, URGENCIES

    assert set(KIND_COLOURS) == set(KINDS) and set(URGENCY_COLOURS) == set(URGENCIES)
