"""Vademecum core: content loading and validation, the SQLite store, the Whoosh index and search.

Importable without Qt; the desktop app and the CLI are thin shells over this package.
"""

SCHEMA_VERSION = 5
"""Bump when the store or index layout changes, so old generations are rebuilt, not misread."""
