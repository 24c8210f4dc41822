"""A rotating log file in the user's data dir: what went wrong, with the traceback the user never sees.

The window and the CLI show one short line; the details land here for whoever supports the install.
"""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

LOGGER = "vademecum"
LOG_FILE = "vademecum.log"
MAX_BYTES = 512 * 1024
BACKUPS = 2


def log_file(data_dir: Path) -> Path:
    return data_dir / LOG_FILE


def configure_logging(data_dir: Path) -> Path | None:
    """Send the app's log to DATA/vademecum.log (rotated); returns the file, or None if it cannot
    be written (logging must never stop the app). Calling it again moves the log, never doubles it."""
    logger = logging.getLogger(LOGGER)
    logger.setLevel(logging.INFO)
    for handler in [h for h in logger.handlers if isinstance(h, RotatingFileHandler)]:
        logger.removeHandler(handler)
        handler.close()
    path = log_file(data_dir)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8", delay=True)
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    return path


def get_logger(name: str) -> logging.Logger:
    return logging.getLogger(f"{LOGGER}.{name}")
