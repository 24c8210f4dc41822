"""The entry reader: a QTextBrowser that loads nothing from outside, marks search terms and finds
in page. Both kinds of highlight are kept here and re-applied whenever the page is re-rendered,
so a theme change, a text-size change or closing the find bar never loses them."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import QTextBrowser, QTextEdit

MIN_SIDE_MARGIN = 12
FIND_COLOURS = ("#ffd24d", "#1c2530")  # background, text: dark on amber passes 4.5:1 in every theme
Range = tuple[int, int]


def _format(background: str, foreground: str) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setBackground(QColor(background))
    fmt.setForeground(QColor(foreground))
    return fmt


class EntryBrowser(QTextBrowser):
    """QTextBrowser that never loads anything from outside: content is text and our own CSS.

    Links are for the mouse only: with 100+ citations on a page, keyboard link focus made Tab
    useless for leaving the page; related entries are reachable from the side list instead."""

    entry_requested = Signal(str, str)  # entry id, anchor
    pathway_requested = Signal(str)  # pathway id (links on the start page)
    action_requested = Signal(str)  # an in-page control, e.g. "aliases" (show them all)

    def __init__(self) -> None:
        super().__init__()
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setTabChangesFocus(True)
        self.set_keyboard_links(False)
        self.anchorClicked.connect(self._follow)
        self.marked_count = 0
        self._marks: list[QTextEdit.ExtraSelection] = []
        self._finds: list[QTextEdit.ExtraSelection] = []
        self.find_index = -1
        self.measure = (75, 11)  # characters per line, at this point size

    def set_keyboard_links(self, enabled: bool) -> None:
        """Tab through links (the start page's handful), or not (an entry's hundred citations)."""
        flags = Qt.TextInteractionFlag
        chosen = flags.TextSelectableByMouse | flags.TextSelectableByKeyboard | flags.LinksAccessibleByMouse
        if enabled:
            chosen |= flags.LinksAccessibleByKeyboard
        self.setTextInteractionFlags(chosen)
        self.setTabChangesFocus(not enabled)

    def loadResource(self, kind: int, url: QUrl):  # noqa: N802 (Qt API)
        return None  # no images, no stylesheets, no network: the page is self-contained

    # -- the reading measure ---------------------------------------------------------------------
    def set_measure(self, chars: int, point_size: int) -> None:
        self.measure = (chars, point_size)
        self.fit_measure()

    def fit_measure(self) -> None:
        """Centre a column of about `chars` characters: long lines on a wide window are hard to follow."""
        chars, point_size = self.measure
        font = QFont(self.font())
        font.setPointSizeF(point_size)
        column = QFontMetricsF(font).averageCharWidth() * chars
        side = max(MIN_SIDE_MARGIN, (self.viewport().width() - column) / 2)
        root = self.document().rootFrame()
        fmt = root.frameFormat()
        if abs(fmt.leftMargin() - side) > 0.5:
            fmt.setLeftMargin(side)
            fmt.setRightMargin(side)
            root.setFrameFormat(fmt)

    def setHtml(self, text: str) -> None:  # noqa: N802 (Qt API)
        super().setHtml(text)
        self.fit_measure()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self.fit_measure()

    # -- search-term marks -----------------------------------------------------------------------
    def mark_words(self, words: set[str], colours: tuple[str, str] = ("#ffe680", "#1c2530"), within=None) -> None:
        """Highlight whole-word occurrences of these words, only inside `within` (start, end) if given."""
        highlight = _format(*colours)
        document = self.document()
        self._marks = []
        start, end = within or (0, document.characterCount())
        for word in sorted(words):
            cursor = document.find(word, start, QTextDocument.FindFlag.FindWholeWords)
            while not cursor.isNull() and cursor.selectionStart() < end:
                self._marks.append(self._selection(cursor, highlight))
                cursor = document.find(word, cursor, QTextDocument.FindFlag.FindWholeWords)
        self.marked_count = len(self._marks)
        self._apply()

    def anchor_position(self, name: str) -> int | None:
        """Where a named anchor sits in the document (for the range of one section)."""
        block = self.document().begin()
        while block.isValid():
            if name in block.charFormat().anchorNames():  # an empty <a name> before a heading
                return block.position()
            iterator = block.begin()
            while not iterator.atEnd():
                fragment = iterator.fragment()
                if name in fragment.charFormat().anchorNames():
                    return fragment.position()
                iterator += 1
            block = block.next()
        return None

    # -- find in page ----------------------------------------------------------------------------
    def find_all(self, text: str) -> int:
        """Mark every occurrence, move to the first one after the cursor; returns the count."""
        self._finds = []
        self.find_index = -1
        if text:
            highlight = _format(*FIND_COLOURS)
            cursor = self.document().find(text)
            while not cursor.isNull():
                self._finds.append(self._selection(cursor, highlight))
                cursor = self.document().find(text, cursor)
        self._apply()
        if text:  # typing on extends the match where it is, rather than jumping past it
            cursor = self.textCursor()
            cursor.setPosition(cursor.selectionStart())
            self.setTextCursor(cursor)
            self.find_next(text)
        return len(self._finds)

    def clear_find(self) -> None:
        self._finds = []
        self.find_index = -1
        self._apply()

    def find_next(self, text: str, backward: bool = False) -> bool:
        flags = QTextDocument.FindFlag.FindBackward if backward else QTextDocument.FindFlag(0)
        found = self.find(text, flags)
        if not found:
            cursor = self.textCursor()  # wrap around
            cursor.movePosition(QTextCursor.MoveOperation.End if backward else QTextCursor.MoveOperation.Start)
            self.setTextCursor(cursor)
            found = self.find(text, flags)
        position = self.textCursor().selectionStart()
        self.find_index = next(
            (i for i, s in enumerate(self._finds) if s.cursor.selectionStart() == position), self.find_index
        )
        return found

    @property
    def find_count(self) -> int:
        return len(self._finds)

    # -- internals -------------------------------------------------------------------------------
    @staticmethod
    def _selection(cursor: QTextCursor, fmt: QTextCharFormat) -> QTextEdit.ExtraSelection:
        selection = QTextEdit.ExtraSelection()
        selection.cursor = cursor
        selection.format = fmt
        return selection

    def _apply(self) -> None:
        self.setExtraSelections([*self._marks, *self._finds])

    def _follow(self, url: QUrl) -> None:
        if url.scheme() == "entry":
            self.entry_requested.emit(url.path(), url.fragment())
        elif url.scheme() == "pathway":
            self.pathway_requested.emit(url.path())
        elif url.scheme() == "action":
            self.action_requested.emit(url.path())
        elif not url.scheme() and url.fragment():
            self.scrollToAnchor(url.fragment())
