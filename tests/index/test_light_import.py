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


def test_a_fresh_process_uses_every_library_answer(tmp_path) -> None:
    """Names imported on first use must also resolve inside index.library's own methods: in a
    fresh process nothing else has imported them yet (the test process may have)."""
    code = (
        "import sys\n"
        "from index.library import open_library, sources\n"
        "library = open_library(sources(sys.argv[1]))\n"
        "pathways = library.pathways()\n"
        "assert pathways and all(p.steps for p in pathways), pathways\n"
        "assert library.browse() and library.stats().entries_by_kind\n"
        "assert library.profiles(['postural-headache'], 24.0)\n"
        "assert library.entry('epidural-blood-patch') is not None\n"
        "print('ok')\n"
    )
    run = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.split() == ["ok"]
