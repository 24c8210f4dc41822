"""Starting the app imports index.library before the window is up: it must not pull in what only a
build, an update, study mode or an Anki export needs (each costs tens of ms at every start)."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("sqlite_utils", "markdown_it", "cryptography", "fsrs", "genanki")


def test_importing_the_library_imports_nothing_heavy() -> None:
    code = f"import sys, index.library; print(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == []


def test_every_re_exported_name_still_imports() -> None:
    import index.library as library

    for name in library.__all__:
        assert getattr(library, name) is not None, name
    from index.library import EntryPage, Policy, StudyStore, UserData, open_library, sources  # noqa: F401
