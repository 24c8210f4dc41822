"""Small dialogs: disclaimer, About, keyboard shortcuts (the finder and pathways have their own modules)."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTextBrowser,
    QVBoxLayout,
)

from index.library import disclaimer_text
from index.model import KIND_LABELS, LibraryStats

URGENCY_COLOURS = {"emergency": "#b3261e", "urgent": "#b35c00", "routine": "#2f6f4f"}


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{escape(' '.join(block.split()))}</p>" for block in text.split("\n\n") if block.strip())


def _close_buttons(dialog: QDialog) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.reject)
    buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName("Close")
    return buttons


class DisclaimerDialog(QDialog):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Before you start — Vademecum")
        self.setAccessibleName("Clinical disclaimer")
        layout = QVBoxLayout(self)
        text = QLabel(_paragraphs(disclaimer_text()))
        text.setWordWrap(True)
        text.setAccessibleName("Disclaimer text")
        layout.addWidget(text)
        buttons = QDialogButtonBox()
        ok = buttons.addButton("I understand", QDialogButtonBox.ButtonRole.AcceptRole)
        ok.setAccessibleName("I understand")
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.resize(560, 300)


class AboutDialog(QDialog):
    def __init__(
        self, stats: LibraryStats, policy_problem: str = "", parent=None, *, userdata_notices: str = ""
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("About Vademecum")
        layout = QVBoxLayout(self)
        summary = ", ".join(
            f"{n} {KIND_LABELS.get(kind, kind).lower()}s" for kind, n in sorted(stats.entries_by_kind.items())
        )
        policy = f"<p><b>Machine policy settings ignored:</b> {escape(policy_problem)}</p>" if policy_problem else ""
        if userdata_notices:  # damaged, salvaged or read-only bookmarks and notes, told again here
            policy += f"<p><b>Bookmarks and notes:</b> {escape(userdata_notices).replace(chr(10), '<br/>')}</p>"
        self.text = QLabel(
            f"<h3>Vademecum</h3><p>Offline reference for neuraxial anesthesia, post-dural puncture headache and "
            f"the epidural blood patch pathway.</p><p><b>Content version {escape(stats.content_version)}</b> — "
            f"{stats.entries} entries ({escape(summary)}), {stats.references} references.</p>{policy}"
            f"<p>No network connection is ever made: no telemetry, no update check.</p>"
            f"<h4>Clinical disclaimer</h4>{_paragraphs(disclaimer_text())}"
        )
        self.text.setWordWrap(True)
        self.text.setAccessibleName("About text")
        layout.addWidget(self.text)
        layout.addWidget(_close_buttons(self))
        self.resize(600, 420)


class ShortcutsDialog(QDialog):
    def __init__(self, shortcuts: list[tuple[str, str]], parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        layout = QVBoxLayout(self)
        rows = "".join(f"<tr><td><b>{escape(k)}</b></td><td>{escape(a)}</td></tr>" for k, a in shortcuts)
        self.table = QTextBrowser()
        self.table.setAccessibleName("Keyboard shortcuts")
        self.table.setHtml(f"<table cellpadding='4'>{rows}</table>")
        layout.addWidget(self.table)
        layout.addWidget(_close_buttons(self))
        self.resize(520, 520)
