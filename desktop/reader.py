"""The entry reader: a QTextBrowser that loads nothing from outside and marks search terms."""

from __future__ import annotations

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QColor, QTextCharFormat, QTextDocument
from PySide6.QtWidgets import QTextBrowser, QTextEdit


class EntryBrowser(QTextBrowser):
    """QTextBrowser that never loads anything from outside: content is text and our own CSS."""

    entry_requested = Signal(str, str)  # entry id, anchor

    def __init__(self) -> None:
        super().__init__()
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self._follow)
        self.marked_count = 0

    def loadResource(self, kind: int, url: QUrl):  # noqa: N802 (Qt API)
        return None  # no images, no stylesheets, no network: the page is self-contained

    def mark_words(self, words: set[str], colour: str = "#ffe680") -> None:
        """Highlight every whole-word occurrence of these words (the search terms) in the page."""
        selections = []
        highlight = QTextCharFormat()
        highlight.setBackground(QColor(colour))
        highlight.setForeground(QColor("#1c2530"))
        document = self.document()
        for word in sorted(words):
            cursor = document.find(word, 0, QTextDocument.FindFlag.FindWholeWords)
            while not cursor.isNull():
                selection = QTextEdit.ExtraSelection()
                selection.cursor = cursor
                selection.format = highlight
                selections.append(selection)
                cursor = document.find(word, cursor, QTextDocument.FindFlag.FindWholeWords)
        self.setExtraSelections(selections)
        self.marked_count = len(selections)

    def _follow(self, url: QUrl) -> None:
        if url.scheme() == "entry":
            self.entry_requested.emit(url.path(), url.fragment())
        elif not url.scheme() and url.fragment():
            self.scrollToAnchor(url.fragment())

    def find_all(self, text: str, colour: str = "#ffd24d") -> int:
        """Find in page: mark every occurrence, move to the first one after the cursor; returns the count."""
        if not text:
            self.setExtraSelections([])
            return 0
        highlight = QTextCharFormat()
        highlight.setBackground(QColor(colour))
        highlight.setForeground(QColor("#1c2530"))
        selections = []
        cursor = self.document().find(text)
        while not cursor.isNull():
            selection = QTextEdit.ExtraSelection()
            selection.cursor = cursor
            selection.format = highlight
            selections.append(selection)
            cursor = self.document().find(text, cursor)
        self.setExtraSelections(selections)
        self.find(text)
        return len(selections)

    def find_next(self, text: str, backward: bool = False) -> bool:
        flags = QTextDocument.FindFlag.FindBackward if backward else QTextDocument.FindFlag(0)
        if self.find(text, flags):
            return True
        cursor = self.textCursor()  # wrap around
        cursor.movePosition(cursor.MoveOperation.End if backward else cursor.MoveOperation.Start)
        self.setTextCursor(cursor)
        return self.find(text, flags)
