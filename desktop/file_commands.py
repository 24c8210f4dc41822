"""The File menu's commands of the main window: user data export and import, Anki export, PDF and
print. A mixin, so the window's public methods stay where the actions and tests find them, while
main_window.py keeps to layout and wiring."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from index.library import documents_dir

ERROR_MS = 20000


class FileCommands:
    """Mixed into MainWindow: uses its controller, study, panes, progress bar and status bar."""

    def export_userdata_dialog(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self,
            "Export bookmarks and notes",
            str(documents_dir() / "vademecum-notes.json"),
            "JSON (*.json);;Markdown (*.md)",
        )
        if name:
            self.controller.export_userdata(
                Path(name),
                lambda path: self.statusBar().showMessage(f"Exported to {path}", 5000),
                lambda message: self.show_error(f"Nothing was exported: {message}"),
            )

    def import_userdata_dialog(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Import bookmarks and notes", "", "JSON (*.json)")
        if name:
            self.import_userdata(Path(name))

    def import_userdata(self, path: Path) -> None:
        """Import off the GUI thread with progress; all or nothing, and a refusal says why."""

        def imported(counts: tuple[int, int]) -> None:
            self.progress.hide()
            self.statusBar().showMessage(f"Imported {counts[0]} bookmarks and {counts[1]} notes", 5000)

        def refused(message: str) -> None:
            self.progress.hide()
            self.statusBar().showMessage(f"Nothing was imported from {path.name}: {message}", ERROR_MS)
            self.error_shown.emit(message)

        self.controller.import_userdata(path, imported, refused)

    def _show_import_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.progress.show()

    def export_anki_dialog(self) -> None:
        """File → Export to Anki: the current reading list's cards, or all cards when none is chosen."""
        list_id = self.study_pane.current_list()
        default = str(documents_dir() / "vademecum.apkg")
        name, _ = QFileDialog.getSaveFileName(self, "Export to Anki", default, "Anki package (*.apkg)")
        if name:
            self.export_anki(Path(name), list_id)

    def export_anki(self, path: Path, list_id: str | None = None) -> None:
        self.study.export_anki(
            path,
            list_id,
            lambda count: self.statusBar().showMessage(f"Exported {count} cards to {path}", 5000),
            lambda message: self.show_error(f"Nothing was exported: {message}"),
        )

    def export_entry_pdf(self, path: Path) -> int:
        from desktop.printing import export_pdf  # Qt's print support loads only when printing

        html, footer = self.reader_pane.print_html()
        return export_pdf(html, path, footer)

    def export_pdf_dialog(self) -> None:
        page = self.reader_pane.page
        if page is None:
            return
        name, _ = QFileDialog.getSaveFileName(
            self, "Export to PDF", str(documents_dir() / f"{page.id}.pdf"), "PDF (*.pdf)"
        )
        if name:
            try:
                pages = self.export_entry_pdf(Path(name))
            except OSError as exc:
                self.show_error(f"The PDF could not be written: {exc}")
                return
            self.statusBar().showMessage(f"Saved {name} ({pages} pages)", 5000)

    def print_entry(self) -> None:
        if self.reader_pane.page is None:
            return
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        from desktop.printing import paint_document

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if QPrintDialog(printer, self).exec():
            html, footer = self.reader_pane.print_html()
            paint_document(html, printer, footer)
