"""Every keyboard shortcut, declared once, and the window's actions, toolbar and menus built from
the window's public slots (README and the shortcuts dialog list SHORTCUTS)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence, QShortcut
from PySide6.QtWidgets import QMainWindow, QToolBar

from desktop.settings import THEMES


@dataclass(frozen=True)
class Shortcut:
    keys: str
    action: str


SHORTCUTS: tuple[Shortcut, ...] = (
    Shortcut("Ctrl+L", "Go to the search field"),
    Shortcut("Esc", "Clear the search (or close find in page)"),
    Shortcut("Up / Down", "Move through the results while typing"),
    Shortcut("Enter", "Open the selected result at its matching section"),
    Shortcut("Alt+Left", "Back"),
    Shortcut("Alt+Right", "Forward"),
    Shortcut("Ctrl+D", "Bookmark or unbookmark the open entry"),
    Shortcut("Ctrl+F", "Find in page"),
    Shortcut("F3", "Next match in page (Shift+F3: previous)"),
    Shortcut("Ctrl+=", "Larger text"),
    Shortcut("Ctrl+-", "Smaller text"),
    Shortcut("Ctrl+0", "Default text size"),
    Shortcut("Ctrl+P", "Print the open entry"),
    Shortcut("Ctrl+Shift+E", "Export the open entry to PDF"),
    Shortcut("Ctrl+Shift+Y", "Symptom finder"),
    Shortcut("Ctrl+Shift+W", "Management pathways"),
    Shortcut("Ctrl+Shift+N", "Edit my note on the open entry"),
    Shortcut("F1", "Keyboard shortcuts"),
    Shortcut("Ctrl+Q", "Quit"),
)


class WindowActions:
    """The window's actions; `entry` ones are enabled once an entry is open, `library` ones once
    the library is."""

    def __init__(self, window: QMainWindow, locked_theme: bool) -> None:
        self.window = window
        w = window
        self.back = self._action("◀ Back", w.reader_pane.go_back, "Alt+Left")
        self.forward = self._action("Forward ▶", w.reader_pane.go_forward, "Alt+Right")
        self.bookmark = self._action("☆ Bookmark", w.toggle_bookmark, "Ctrl+D", checkable=True)
        self.find = self._action("Find", w.reader_pane.open_find, "Ctrl+F")
        self._action("Find next", w.reader_pane.find_next, "F3")
        self._action("Find previous", lambda: w.reader_pane.find_next(True), "Shift+F3")
        zoom_in = self._action("Larger text", lambda: w.change_font_size(+1), "Ctrl+=")
        zoom_in.setShortcuts([QKeySequence("Ctrl+="), QKeySequence("Ctrl++")])
        self._action("Smaller text", lambda: w.change_font_size(-1), "Ctrl+-")
        self._action("Default text size", lambda: w.change_font_size(0), "Ctrl+0")
        self.print = self._action("Print…", w.print_entry, "Ctrl+P")
        self.pdf = self._action("Export to PDF…", w.export_pdf_dialog, "Ctrl+Shift+E")
        self.symptoms = self._action("Symptom finder", w.show_symptom_finder, "Ctrl+Shift+Y")
        self.pathways = self._action("Pathways", w.show_pathways, "Ctrl+Shift+W")
        self._action("Edit my note", w.reader_pane.edit_note, "Ctrl+Shift+N")
        self.marks = self._action("Highlight search terms", w.toggle_marks, checkable=True)
        self._action("Keyboard shortcuts", w.show_shortcuts, "F1")
        self._action("Quit", w.close, "Ctrl+Q")
        self._action("Search", w.search_pane.focus, "Ctrl+L")
        QShortcut(QKeySequence(Qt.Key.Key_Escape), w, w.escape)
        self.entry = (self.back, self.forward, self.bookmark, self.print, self.pdf, self.find)
        self.library = (self.symptoms, self.pathways)
        for action in (*self.entry, *self.library):
            action.setEnabled(False)
        self._toolbar()
        self._menus(locked_theme)

    def _action(self, text: str, slot: Callable, keys: str | None = None, *, checkable: bool = False) -> QAction:
        action = QAction(text, self.window)
        if keys is not None:
            action.setShortcut(QKeySequence(keys))
        action.setCheckable(checkable)
        action.triggered.connect(lambda _checked=False: slot())
        self.window.addAction(action)
        return action

    def _toolbar(self) -> None:
        toolbar = QToolBar("Navigation")
        toolbar.setObjectName("navigation-toolbar")
        toolbar.setAccessibleName("Toolbar")
        for action in (self.back, self.forward, self.bookmark, self.find, *self.library, self.print, self.pdf):
            toolbar.addAction(action)
        self.window.addToolBar(toolbar)

    def _menus(self, locked_theme: bool) -> None:
        w = self.window
        menu = w.menuBar()
        file_menu = menu.addMenu("&File")
        file_menu.addAction(self.print)
        file_menu.addAction(self.pdf)
        file_menu.addSeparator()
        file_menu.addAction("Export bookmarks and notes…", w.export_userdata_dialog)
        file_menu.addAction("Import bookmarks and notes…", w.import_userdata_dialog)
        file_menu.addAction("Export to Anki…", w.export_anki_dialog)
        file_menu.addSeparator()
        file_menu.addAction("Quit", w.close)
        view = menu.addMenu("&View")
        themes = view.addMenu("Theme")
        group = QActionGroup(w)
        self.themes: dict[str, QAction] = {}
        for theme in THEMES:
            action = themes.addAction(theme.replace("-", " ").capitalize())
            action.setCheckable(True)
            action.triggered.connect(lambda _checked=False, t=theme: w.apply_theme(t, save=True))
            group.addAction(action)
            action.setEnabled(not locked_theme)
            self.themes[theme] = action
        view.addAction(self.marks)
        view.addAction("Larger text\tCtrl+=", lambda: w.change_font_size(+1))
        view.addAction("Smaller text\tCtrl+-", lambda: w.change_font_size(-1))
        view.addAction("Default text size\tCtrl+0", lambda: w.change_font_size(0))
        go = menu.addMenu("&Go")
        for action in (self.back, self.forward, *self.library):
            go.addAction(action)
        help_menu = menu.addMenu("&Help")
        help_menu.addAction("Keyboard shortcuts\tF1", w.show_shortcuts)
        help_menu.addAction("Clinical disclaimer", w.show_disclaimer)
        help_menu.addAction("About Vademecum", w.show_about)

    def entry_opened(self, bookmarked: bool, can_back: bool, can_forward: bool) -> None:
        for action in self.entry:
            action.setEnabled(True)
        self.set_bookmarked(bookmarked)
        self.history(can_back, can_forward)

    def set_bookmarked(self, state: bool) -> None:
        self.bookmark.setChecked(state)
        self.bookmark.setText("★ Bookmarked" if state else "☆ Bookmark")

    def history(self, can_back: bool, can_forward: bool) -> None:
        self.back.setEnabled(can_back)
        self.forward.setEnabled(can_forward)
