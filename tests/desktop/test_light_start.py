"""The window's modules are imported at every start: what only study mode, an Anki export, a pack
signature or a content build needs must wait until it is used."""

from __future__ import annotations

import os
import subprocess
import sys

NOT_AT_START = ("fsrs", "genanki", "cryptography", "markdown_it")


def test_importing_the_window_imports_no_study_signing_or_markdown_code() -> None:
    code = (
        "import sys, desktop.app, desktop.main_window; "
        f"print(' '.join(m for m in {NOT_AT_START!r} if m in sys.modules))"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env).stdout
    assert out.split() == []
