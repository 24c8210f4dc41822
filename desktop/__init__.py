"""Vademecum desktop UI (PySide6). Calls index/; index/ never imports this package."""
