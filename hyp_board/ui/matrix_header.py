"""The matrix's column header: hypothesis labels wrapped to a few lines, and clicks
that never select a column.

A column header that selected its column on a click turned the next letter typed
into a rating for every cell of it; here a click is only a click (the window opens
the hypothesis for editing), and a whole column is rated only when its cells are
selected.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QMouseEvent
from PySide6.QtWidgets import QHeaderView, QStyle, QStyleOptionHeader, QWidget

MAX_HEADER_LINES = 3
HEADER_PADDING = 4  # left and right, inside a section
NEVER_WRAPPED = 1 << 30  # a first wrapped section for a header that wraps none


def wrap_label(text: str, metrics: QFontMetrics, width: int, max_lines: int = MAX_HEADER_LINES) -> list[str]:
    """*text* broken between words into lines no wider than *width*. A word wider than
    a line is elided, and the last line ends in "…" when the text goes on."""
    words = text.split()
    lines: list[str] = []
    i = 0
    while i < len(words) and len(lines) < max_lines:
        line = words[i]
        i += 1
        while i < len(words) and metrics.horizontalAdvance(f"{line} {words[i]}") <= width:
            line = f"{line} {words[i]}"
            i += 1
        lines.append(line)
    if i < len(words):  # more than fits: the last line takes the rest, to be elided
        lines[-1] = " ".join([lines[-1], *words[i:]])
    # Elided only where the measure used to break the lines says it does not fit (the
    # elider's own measure can differ by a pixel and cut a line that was made to fit).
    return [
        line
        if metrics.horizontalAdvance(line) <= width
        else metrics.elidedText(line, Qt.TextElideMode.ElideRight, width)
        for line in lines
    ]


class MatrixHeader(QHeaderView):
    """A horizontal header whose sections from :attr:`first_wrapped` on wrap their
    labels onto up to three lines (the full label is in the tooltip), and whose
    clicks emit :attr:`section_clicked` without selecting anything."""

    section_clicked = Signal(int)

    def __init__(self, first_wrapped: int, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.first_wrapped = first_wrapped
        self._pressed: int | None = None
        self.setSectionsClickable(True)
        self.setHighlightSections(True)
        self.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        self._fit_held = 0
        self._fit_wanted = False
        self.sectionResized.connect(self._section_resized)

    # -- wrapped labels --------------------------------------------------------------------
    def _font(self, section: int) -> QFont:
        model = self.model()
        font = model.headerData(section, self.orientation(), Qt.ItemDataRole.FontRole) if model else None
        return font if isinstance(font, QFont) else self.font()

    def wrapped(self, section: int) -> list[str]:
        model = self.model()
        text = str(model.headerData(section, self.orientation()) or "") if model else ""
        width = max(1, self.sectionSize(section) - 2 * HEADER_PADDING)
        # Wrapped as in bold: the current cell's column has its label drawn in bold, and
        # its lines must fit then too.
        font = QFont(self._font(section))
        font.setBold(True)
        return wrap_label(text, QFontMetrics(font), width)

    def initStyleOptionForIndex(self, option: QStyleOptionHeader, logicalIndex: int) -> None:
        super().initStyleOptionForIndex(option, logicalIndex)
        if logicalIndex >= self.first_wrapped:
            option.text = "\n".join(self.wrapped(logicalIndex))

    def _section_resized(self) -> None:
        if self._fit_held:
            self._fit_wanted = True
        else:
            self.fit_height()

    @contextmanager
    def fit_held(self) -> Iterator[None]:
        """Sections resized inside fit the height once, at the end: a matrix's columns
        set one by one would otherwise wrap every label again for each of them."""
        self._fit_held += 1
        try:
            yield
        finally:
            self._fit_held -= 1
            if not self._fit_held and self._fit_wanted:
                self._fit_wanted = False
                self.fit_height()

    def fit_height(self) -> None:
        """As tall as the most lines any label needs at the columns' widths (up to three)."""
        model = self.model()
        if model is None:
            return
        lines = max(
            (
                len(self.wrapped(s))
                for s in range(self.first_wrapped, model.columnCount())
                if not self.isSectionHidden(s)
            ),
            default=1,
        )
        height = QFontMetrics(self.font()).lineSpacing() * max(lines, 1) + 2 * HEADER_PADDING
        if height != self.height() or self.minimumHeight() != height:
            self.setFixedHeight(height)

    # -- clicks that do not select ----------------------------------------------------------
    def _on_handle(self, x: int) -> bool:
        """Whether *x* is on the edge between two sections, where a drag resizes."""
        grip = self.style().pixelMetric(QStyle.PixelMetric.PM_HeaderGripMargin, None, self)
        section = self.logicalIndexAt(x)
        if section < 0:
            return False
        start = self.sectionViewportPosition(section)
        end = start + self.sectionSize(section)
        return (x - start < grip and self.visualIndex(section) > 0) or end - x <= grip

    def mousePressEvent(self, event: QMouseEvent) -> None:
        x = event.position().toPoint().x()
        if (
            event.button() == Qt.MouseButton.LeftButton
            and self.logicalIndexAt(x) >= 0
            and not self._on_handle(x)
        ):
            self._pressed = self.logicalIndexAt(x)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._pressed is not None:
            pressed, self._pressed = self._pressed, None
            if self.logicalIndexAt(event.position().toPoint().x()) == pressed:
                self.section_clicked.emit(pressed)
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def section_at(self, pos: QPoint) -> int:
        return self.logicalIndexAt(pos)
