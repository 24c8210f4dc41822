"""Exports start in the user's Documents folder, not the working directory (Program Files under the
Windows shortcut, which users cannot write)."""

from __future__ import annotations

from pathlib import Path

import platformdirs
import pytest

import desktop.file_commands as file_commands

pytestmark = pytest.mark.gui


def test_export_dialogs_start_in_documents(qtbot, window, tmp_path, monkeypatch) -> None:
    documents = tmp_path / "Documents"
    documents.mkdir()
    monkeypatch.setattr(platformdirs, "user_documents_dir", lambda: str(documents))
    offered = []

    def save_dialog(parent, caption, default, filters):
        offered.append(Path(default))
        return "", ""  # the user cancels

    monkeypatch.setattr(file_commands.QFileDialog, "getSaveFileName", save_dialog)
    window.export_userdata_dialog()
    with qtbot.waitSignal(window.entry_shown, timeout=5000):
        window.open_entry("fixture-headache")
    window.export_pdf_dialog()
    assert offered[0] == documents / "vademecum-notes.json"
    assert offered[-1] == documents / "fixture-headache.pdf"
    window.export_anki_dialog()
    assert offered[-1] == documents / "vademecum.apkg"


def test_without_a_documents_folder_exports_start_at_home(tmp_path, monkeypatch) -> None:
    from index.library import documents_dir

    monkeypatch.setattr(platformdirs, "user_documents_dir", lambda: str(tmp_path / "absent"))
    assert documents_dir() == Path.home()
