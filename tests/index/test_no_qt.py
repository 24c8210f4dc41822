"""index/ is the core: importing all of it must not load Qt."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_importing_index_loads_no_pyside6() -> None:
    code = (
        "import sys, pkgutil, importlib, index\n"
        "for m in pkgutil.iter_modules(index.__path__): importlib.import_module('index.' + m.name)\n"
        "print(sorted(n for n in sys.modules if n.startswith(('PySide6', 'shiboken6'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
