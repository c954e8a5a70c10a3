"""The reading pane's text: a document's plain text drawn with its structure and pages.

The text stays exactly the stored text (passages are spans of it), so structure is
drawn over it, not written into it: a syntax highlighter gives headings their size and
weight, code a fixed-pitch font, a lead and quotations italics, e-mail header lines a
muted colour; where a page starts, a thin rule crosses the text and the gutter on the
left says "p. 4". Nothing here is proportional to the whole document on a repaint:
the highlighter formats one block at a time and markers are looked up by bisection.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
    QSyntaxHighlighter,
    QTextBlock,
    QTextCharFormat,
    QTextDocument,
)
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from hyp_board.core.layout import BlockKind, Layout

_HEADING_SCALE = {1: 1.45, 2: 1.3, 3: 1.15}


class StructureHighlighter(QSyntaxHighlighter):
    """Formats each block of the text by the layout's marked blocks (in Qt positions)."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self._starts: list[int] = []
        self._marks: list[tuple[int, int, QTextCharFormat]] = []  # (start, end, format), by start
        self._longest = 0

    def set_marks(self, marks: list[tuple[int, int, QTextCharFormat]]) -> None:
        self._marks = sorted(marks, key=lambda m: m[0])
        self._starts = [m[0] for m in self._marks]
        self._longest = max((end - start for start, end, _ in self._marks), default=0)
        self.rehighlight()

    def highlightBlock(self, text: str) -> None:
        if not self._marks:
            return
        block_start = self.currentBlock().position()
        block_end = block_start + len(text)
        # Marks that may reach into this block start at most the longest mark before it.
        first = bisect.bisect_left(self._starts, block_start - self._longest)
        last = bisect.bisect_right(self._starts, block_end)
        for start, end, fmt in self._marks[first:last]:
            lo, hi = max(start, block_start), min(end, block_end)
            if lo < hi:
                self.setFormat(lo - block_start, hi - lo, fmt)


class PageGutter(QWidget):
    """The strip left of the text that says where each page starts."""

    def __init__(self, editor: ReadingText) -> None:
        super().__init__(editor)
        self._editor = editor

    def sizeHint(self) -> QSize:
        return QSize(self._editor.gutter_width(), 0)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(event.rect(), self.palette().color(QPalette.ColorRole.AlternateBase))
        font = QFont(self.font())
        font.setPointSizeF(max(6.0, font.pointSizeF() * 0.85))
        painter.setFont(font)
        painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
        height = painter.fontMetrics().height()
        for number, y in self._editor.visible_page_starts():
            painter.drawText(
                QRect(0, int(y), self.width() - 4, height), Qt.AlignmentFlag.AlignRight, f"p. {number}"
            )
        painter.end()


class ReadingText(QPlainTextEdit):
    def __init__(self) -> None:
        super().__init__()
        self._highlighter = StructureHighlighter(self.document())
        self._pages: list[int] = []  # Qt positions where pages start
        self.gutter = PageGutter(self)
        self.gutter.setVisible(False)
        self.updateRequest.connect(self._update_gutter)

    @property
    def page_starts(self) -> list[int]:
        return list(self._pages)

    def show_layout(self, layout: Layout, convert: Callable[[int], int]) -> None:
        """Draw *layout* over the text now shown; *convert* maps its offsets to Qt positions."""
        self._pages = [convert(p) for p in layout.pages]
        self._highlighter.set_marks(
            [
                (convert(b.start), convert(b.end), fmt)
                for b in layout.blocks
                if (fmt := self._format(b.kind, b.level))
            ]
        )
        self.gutter.setVisible(bool(self._pages))
        self.setViewportMargins(self.gutter_width() if self._pages else 0, 0, 0, 0)
        self.viewport().update()

    def clear_layout(self) -> None:
        self._pages = []
        self._highlighter.set_marks([])
        self.gutter.setVisible(False)
        self.setViewportMargins(0, 0, 0, 0)

    def gutter_width(self) -> int:
        return self.fontMetrics().horizontalAdvance(f"p. {max(len(self._pages), 9)}") + 10

    def visible_page_starts(self) -> list[tuple[int, float]]:
        """(page number, y in the viewport) of the page starts now in view."""
        out: list[tuple[int, float]] = []
        if not self._pages:
            return out
        block = self.firstVisibleBlock()
        offset = self.contentOffset()
        bottom = self.viewport().height()
        while block.isValid():
            top = self.blockBoundingGeometry(block).translated(offset).top()
            if top > bottom:
                break
            start, end = block.position(), block.position() + block.length()
            first = bisect.bisect_left(self._pages, start)
            last = bisect.bisect_left(self._pages, end)
            for index in range(first, last):
                out.append((index + 1, top + self._line_y(block, self._pages[index] - start)))
            block = block.next()
        # Pages without text start where the next one does: show the last of them.
        shown: dict[float, int] = {}
        for number, y in out:
            shown[y] = number
        return [(number, y) for y, number in shown.items()]

    @staticmethod
    def _line_y(block: QTextBlock, position: int) -> float:
        layout = block.layout()
        line = layout.lineForTextPosition(min(position, max(0, block.length() - 1)))
        return line.y() if line.isValid() else 0.0

    def _format(self, kind: BlockKind, level: int) -> QTextCharFormat | None:
        fmt = QTextCharFormat()
        muted = self.palette().color(QPalette.ColorRole.PlaceholderText)
        if kind is BlockKind.HEADING:
            fmt.setFontWeight(QFont.Weight.Bold)
            fmt.setFontPointSize(self.font().pointSizeF() * _HEADING_SCALE.get(level, 1.05))
        elif kind is BlockKind.CODE:
            fmt.setFontFamilies(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont).families())
            fmt.setBackground(self.palette().color(QPalette.ColorRole.AlternateBase))
        elif kind is BlockKind.LEAD:
            fmt.setFontItalic(True)
        elif kind is BlockKind.QUOTE:
            fmt.setFontItalic(True)
            fmt.setForeground(muted)
        elif kind is BlockKind.FIELD:
            fmt.setForeground(muted)
        else:
            return None  # list items and table rows read as they are written
        return fmt

    # -- drawing -------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._pages:
            return
        painter = QPainter(self.viewport())
        colour = QColor(self.palette().color(QPalette.ColorRole.PlaceholderText))
        colour.setAlpha(110)
        painter.setPen(QPen(colour, 1, Qt.PenStyle.DashLine))
        for number, y in self.visible_page_starts():
            if number > 1:  # the first page needs no rule above it
                painter.drawLine(0, int(y), self.viewport().width(), int(y))
        painter.end()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        rect = self.contentsRect()
        self.gutter.setGeometry(QRect(rect.left(), rect.top(), self.gutter_width(), rect.height()))

    def _update_gutter(self, rect: QRect, dy: int) -> None:
        if self._pages:
            self.gutter.update()  # labels sit by their lines, which may have moved
