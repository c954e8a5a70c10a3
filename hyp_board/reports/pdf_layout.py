"""A small page-flow engine for PDF reports, on QtGui alone (it runs headless).

Content is laid out once into pages of deferred drawing operations and painted when the
page count is known. Text is laid out with ``QTextLayout`` (wrapping at word boundaries,
and inside a word only when it is wider than its column), split between pages only
between lines, and never drawn outside its page. Many small texts of one style (matrix
cells) are batched per page into single glyph runs, and fills into single calls.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import nh3
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QGlyphRun,
    QPagedPaintDevice,
    QPainter,
    QPen,
    QRawFont,
    QTextCharFormat,
    QTextDocument,
    QTextLayout,
    QTextOption,
)

from hyp_board import APP_NAME
from hyp_board.markdown_notes import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    is_plain_paragraph,
    is_safe_link,
    render_markdown,
)

FONT_FAMILY = "DejaVu Sans Condensed"  # shipped in resources/fonts
BODY_POINT_SIZE = 9.0
PROSE_WIDTH_POINTS = 600
KEEP_TOGETHER_POINTS = 60  # paragraphs up to this height are never split

Progress = Callable[[float], bool]  # fraction done → keep going?


def links_as_in_the_window(html: str) -> str:
    r"""Keep only the links the window would open (http, https, mailto), as plain text
    otherwise. The sanitiser lets relative links through (``notes/x.md``, ``//host/x``,
    ``\\host\share``); in a PDF every link is clickable, and a reader's viewer would
    resolve those against wherever the file lies or reach for a network share."""

    def keep(element: str, attribute: str, value: str) -> str | None:
        if element == "a" and attribute == "href" and not is_safe_link(value):
            return None
        return value

    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, attribute_filter=keep)


Draw = Callable[[QPainter], None]

BLACK = QColor("black")
GRID = QColor("#9a9a9a")
MUTED = QColor("#6b6b6b")


class ReportError(Exception):
    """The report could not be produced; the message says why, for the user."""


class ExportCancelled(Exception):
    pass


class Fonts:
    def __init__(self, scale: float = 1.0) -> None:
        self._cache: dict[tuple[float, bool, bool], QFont] = {}
        self.scale = scale

    def get(self, size: float, bold: bool = False, italic: bool = False) -> QFont:
        key = (size, bold, italic)
        font = self._cache.get(key)
        if font is None:
            font = QFont(FONT_FAMILY)
            font.setPointSizeF(size)
            font.setBold(bold)
            font.setItalic(italic)
            font.setKerning(True)
            # No ligatures: copied or searched text must read "official", not "oﬃcial".
            for tag in ("liga", "clig", "dlig"):
                font.setFeature(QFont.Tag(tag), 0)
            self._cache[key] = font
        return font


_WRAP = QTextOption()
_WRAP.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)


@dataclass
class TextBox:
    """Text laid out to a width: its height and where it may be cut between lines.

    Its layout keeps the glyphs it shaped while breaking the lines: by default a text
    layout drops them at the end of the layout and shapes the whole text again when it
    is drawn (a tenth of a large report's time).

    A box drawn more than once (a summary in every part of a split matrix, a header on
    every page) is drawn from then on as the layout's glyph runs, taken once and kept:
    drawing those costs Qt about half what drawing the layout does, though taking them
    costs as much as one drawing.
    """

    layout: QTextLayout
    height: float
    line_bottoms: list[float]
    # Text in several colours (its formats carry them): (start, length, colour) for
    # each stretch. Without them, the whole text takes the colour it is drawn in.
    colours: list[tuple[int, int, QColor]] = field(default_factory=list)
    _runs: list[tuple[QColor | None, QGlyphRun]] | None = None
    _drawn: bool = False

    def _glyph_runs(self) -> list[tuple[QColor | None, QGlyphRun]]:
        if not self.colours:
            return [(None, run) for run in self.layout.glyphRuns()]
        return [
            (colour, run)
            for start, length, colour in self.colours
            for run in self.layout.glyphRuns(start, length)
        ]

    def draw(self, painter: QPainter, x: float, y: float, colour: QColor) -> None:
        if not self._drawn:
            self._drawn = True
            painter.setPen(colour)
            self.layout.draw(painter, QPointF(x, y))
            return
        if self._runs is None:
            self._runs = self._glyph_runs()
        _draw_runs(painter, QPointF(x, y), self._runs, colour)

    def draw_lines(
        self, painter: QPainter, x: float, y: float, top: float, end: float, colour: QColor
    ) -> None:
        """Draw only the lines between *top* and *end*, with *top* at *y*.

        Clipping the whole layout instead would still write the other lines into the
        PDF, invisible, where text search and copying would find them.
        """
        painter.setPen(colour)
        origin = QPointF(x, y - top)
        for i in range(self.layout.lineCount()):
            line = self.layout.lineAt(i)
            if line.y() >= top - 0.01 and line.y() + line.height() <= end + 0.01:
                line.draw(painter, origin)


def _same(a: object, b: object) -> bool:
    return a is b or a == b  # most often the very same font or colour: no call into Qt


def _draw_runs(
    painter: QPainter, origin: QPointF, runs: list[tuple[QColor | None, QGlyphRun]], colour: QColor
) -> None:
    current = None
    for run_colour, run in runs:
        wanted = run_colour or colour
        if wanted is not current:
            painter.setPen(wanted)
            current = wanted
        painter.drawGlyphRun(origin, run)


def with_line_breaks(text: str) -> str:
    """*text* with its line ends as U+2028, the line break a text layout honours (it
    draws "\\n" as nothing, which would run the words either side together)."""
    if "\n" not in text and "\r" not in text:  # most texts: no copies made
        return text
    return text.replace("\r\n", "\u2028").replace("\n", "\u2028").replace("\r", "\u2028")


def utf16_length(text: str) -> int:
    """The length of *text* as a text layout counts it: in UTF-16 units."""
    return len(text) if text.isascii() else len(text.encode("utf-16-le")) // 2


def text_up_to(box: TextBox, line_index: int) -> str:
    """The text laid out in *box* up to the end of line *line_index* (Qt counts in
    UTF-16 units, in which an emoji is two)."""
    line = box.layout.lineAt(line_index)
    units = box.layout.text().encode("utf-16-le")[: 2 * (line.textStart() + line.textLength())]
    return units.decode("utf-16-le", errors="ignore")


# Where lines start, shared by every text laid out: lines of one height fall at the same
# few places in text after text (a point made once costs less than making it again).
_LINE_ORIGINS: dict[tuple[float, float], QPointF] = {}


def line_origin(x: float, y: float) -> QPointF:
    point = _LINE_ORIGINS.get((x, y))
    if point is None:
        if len(_LINE_ORIGINS) >= 50_000:  # texts of very many heights: kept from growing
            _LINE_ORIGINS.clear()
        point = _LINE_ORIGINS[x, y] = QPointF(x, y)
    return point


def lay_out(
    text: str, font: QFont, width: float, device: QPagedPaintDevice, align: Qt.AlignmentFlag | None = None
) -> TextBox:
    layout = QTextLayout(with_line_breaks(text), font, device)
    if align is None:
        layout.setTextOption(_WRAP)  # copied by the layout
    else:
        option = QTextOption(_WRAP)
        option.setAlignment(align)
        layout.setTextOption(option)
    layout.setCacheEnabled(True)  # see TextBox: shaped once, not again when drawn
    layout.beginLayout()
    y = 0.0
    bottoms = []
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(max(width, 1.0))
        line.setPosition(line_origin(0.0, y))
        y += line.height()
        bottoms.append(y)
    layout.endLayout()
    return TextBox(layout, y, bottoms)


@dataclass
class GlyphBatch:
    """Short texts of one font and colour on one page, drawn as a single glyph run."""

    font: QRawFont
    colour: QColor
    glyphs: list[int] = field(default_factory=list)
    positions: list[QPointF] = field(default_factory=list)

    def draw(self, painter: QPainter) -> None:
        run = QGlyphRun()
        run.setRawFont(self.font)
        run.setGlyphIndexes(self.glyphs)
        run.setPositions(self.positions)
        painter.setPen(self.colour)
        painter.drawGlyphRun(QPointF(0, 0), run)


@dataclass(frozen=True, eq=False)  # hashed by identity: one per text, font and colour
class Stamp:
    """A short text shaped once for centring in cells: its glyphs, their offsets from
    the text's centre and the baseline's offset from the centre line."""

    key: tuple[int, int]  # the glyph batch it joins: font and colour
    raw: QRawFont
    colour: QColor
    glyphs: list[int]
    offsets: tuple[float, ...]
    baseline: float


@dataclass
class Page:
    ops: list[Draw] = field(default_factory=list)
    # Matrix cells are batched: fills by colour before everything else, texts by font
    # and colour after it, so a page of cells is a few drawing calls, not hundreds.
    fills: dict[int, tuple[QColor, list[QRectF]]] = field(default_factory=dict)
    rules: list[QLineF] = field(default_factory=list)
    batches: dict[tuple[int, int], GlyphBatch] = field(default_factory=dict)


@dataclass
class Column:
    x: float
    width: float


MARKING_BAND_POINTS = 11  # the marking's band at the top and the bottom of a page


class Flow:
    """Flows content down pages; painting is deferred until the page count is known."""

    def __init__(self, device: QPagedPaintDevice, progress: Progress | None) -> None:
        self.device = device
        self.progress = progress
        self.unit = device.logicalDpiY() / 72.0  # device units per point
        self.page_width = float(device.width())
        # Prose keeps a readable measure (~110 characters); the matrix uses the full width.
        self.width = min(self.page_width, self.pt(PROSE_WIDTH_POINTS))
        footer = 16 * self.unit
        self.body_height = float(device.height()) - footer
        self.footer_y = self.body_height + 4 * self.unit
        self.top = 0.0  # where the body starts on the page: below the marking, if any
        self.marking = ""
        self._marking_colours = (BLACK, QColor("#ffffff"))
        self.fonts = Fonts()
        self.pages: list[Page] = [Page()]
        self.y = 0.0
        self._raw_fonts: dict[int, QRawFont] = {}
        self._stamps: dict[tuple[str, int, int], Stamp] = {}
        self._places: dict[tuple[Stamp, float, float], list[QPointF]] = {}
        self._rule_pen = QPen(GRID, self.pt(0.4))
        self._char_formats: dict[tuple[int, int], tuple[QFont, QTextCharFormat]] = {}

    def set_marking(self, marking: str, colours: tuple[str, str]) -> None:
        """Print *marking* in a band at the top and the bottom of every page (before
        anything is laid out: the body gives up the room)."""
        if not marking:
            return
        self.marking = marking
        self._marking_colours = (QColor(colours[0]), QColor(colours[1]))
        band = self.pt(MARKING_BAND_POINTS)
        self.top = band + self.pt(4)
        self.body_height -= self.top + band
        self.footer_y = self.top + self.body_height + self.pt(4)

    def _paint_marking(self, painter: QPainter) -> None:
        band = self.pt(MARKING_BAND_POINTS)
        background, text = self._marking_colours
        painter.setFont(self.fonts.get(8, bold=True))
        for top in (0.0, float(self.device.height()) - band):
            rect = QRectF(0, top, self.page_width, band)
            painter.fillRect(rect, background)
            painter.setPen(text)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self.marking)

    # -- flow ---------------------------------------------------------------------------
    def pt(self, points: float) -> float:
        return points * self.unit

    @property
    def remaining(self) -> float:
        return self.body_height - self.y

    def new_page(self) -> None:
        self.pages.append(Page())
        self.y = 0.0

    def add(self, op: Draw) -> None:
        self.pages[-1].ops.append(op)

    def space(self, points: float) -> None:
        self.y += self.pt(points)
        if self.y >= self.body_height:
            self.new_page()

    def tick(self, fraction: float) -> None:
        """Report progress; *fraction* of the layout phase is done."""
        if self.progress is not None and not self.progress(min(fraction, 1.0) * 0.7):
            raise ExportCancelled

    def text(
        self,
        text: str,
        size: float = BODY_POINT_SIZE,
        bold: bool = False,
        italic: bool = False,
        colour: QColor | None = None,
        indent: float = 0,
        after: float = 3,
        keep_with_next: float = 0,
        full_width: bool = False,
    ) -> None:
        """A paragraph, split between lines across pages if it must be."""
        if not text:
            return
        x = self.pt(indent)
        right = self.page_width if full_width else self.width
        box = lay_out(text, self.fonts.get(size, bold, italic), right - x, self.device)
        colour = colour or QColor("black")
        # Short blocks move to the next page whole; long ones split between lines, with
        # at least two lines on each side of the break.
        if box.height <= self.pt(KEEP_TOGETHER_POINTS):
            need = box.height + self.pt(keep_with_next)
        else:
            need = box.line_bottoms[1] + self.pt(keep_with_next)
        if need > self.remaining and self.y > 0:
            self.new_page()
        self._place_box(box, x, colour, right)
        self.space(after)

    def item(self, parts: list[tuple[str, QFont, QColor]], indent: float, after: float) -> None:
        """Several lines of different styles (a heading line, then indented ones) as one
        text layout: one layout and one draw instead of one per line."""
        parts = [(with_line_breaks(t), font, colour) for t, font, colour in parts]
        text = "\u2028".join(t for t, _, _ in parts)  # U+2028: a line break inside one paragraph
        layout = QTextLayout(text, parts[0][1], self.device)
        layout.setTextOption(_WRAP)
        # Positions in a text layout count UTF-16 units: an emoji is two.
        lengths = [utf16_length(t) + 1 for t, _, _ in parts]  # + the line break
        starts: list[int] = []
        runs: list[list[Any]] = []  # start, length, font, colour: one format range each
        colours: list[tuple[int, int, QColor]] = []  # start, length, colour
        pos = 0
        for (_, font, colour), length in zip(parts, lengths, strict=True):
            starts.append(pos)
            # One range per run of parts in the same style (an item's reasons are one),
            # and one stretch per colour: fewer pieces for Qt to shape and draw.
            if runs and _same(runs[-1][2], font) and _same(runs[-1][3], colour):
                runs[-1][1] += length
            else:
                runs.append([pos, length, font, colour])
            if colours and _same(colours[-1][2], colour):
                start, stretch, _ = colours[-1]
                colours[-1] = (start, stretch + length, colour)
            else:
                colours.append((pos, length, colour))
            pos += length
        formats = []
        for start, length, font, colour in runs:
            rng = QTextLayout.FormatRange()
            rng.start, rng.length, rng.format = start, length, self._char_format(font, colour)
            formats.append(rng)
        layout.setFormats(formats)
        layout.setCacheEnabled(True)  # see TextBox
        x_indent, gap = self.pt(indent), self.pt(1.5)
        width = self.width - x_indent
        layout.beginLayout()
        y, bottoms, x = 0.0, [], 0.0
        # Every part starts a line of its own: the first part's lines are the title's,
        # and the first line from the second part's start on is the first of the rest.
        rest_start = starts[1] if len(starts) > 1 else None
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width)
            if rest_start is not None and line.textStart() >= rest_start:
                x, y, rest_start = x_indent, y + gap, None
            line.setPosition(line_origin(x, y))
            y += line.height()
            bottoms.append(y)
        layout.endLayout()
        box = TextBox(layout, y, bottoms, colours)
        title_height = bottoms[0] if bottoms else 0.0
        # A short item moves to the next page whole; a long one keeps its title with the
        # first lines after it.
        if box.height <= self.pt(KEEP_TOGETHER_POINTS):
            need = box.height
        else:
            need = min(box.height, title_height + self.pt(30))
        if need > self.remaining and self.y > 0:
            self.new_page()
        self._place_box(box, 0, BLACK, self.width)
        self.space(after)

    def _char_format(self, font: QFont, colour: QColor) -> QTextCharFormat:
        # Keyed by the font object (the report's fonts are made once, in self.fonts),
        # which is kept with its format so that its id is never another font's.
        key = (id(font), colour.rgba())
        found = self._char_formats.get(key)
        if found is None:
            fmt = QTextCharFormat()
            fmt.setFont(font)
            fmt.setForeground(colour)
            found = self._char_formats[key] = (font, fmt)
        return found[1]

    def _place_box(self, box: TextBox, x: float, colour: QColor, right: float) -> None:
        def draw_slice(p: QPainter, y0: float, top: float, end: float) -> None:
            if top == 0 and end >= box.height:
                box.draw(p, x, y0, colour)
            else:
                box.draw_lines(p, x, y0, top, end, colour)

        self._place_sliced(box.height, box.line_bottoms, draw_slice)

    def _place_sliced(
        self, height: float, cuts: list[float], draw_slice: Callable[[QPainter, float, float, float], None]
    ) -> None:
        """Place a block *height* tall, continuing on new pages at the allowed *cuts*
        (line bottoms) so that no line is ever split between two pages."""
        start = 0.0
        while True:
            room = self.remaining
            if height - start <= room:
                end = height
            else:
                fitting = [c for c in cuts if start < c <= start + room]
                if not fitting and self.y > 0:
                    self.new_page()
                    continue
                end = fitting[-1] if fitting else start + room  # one line taller than a page
            y0, top = self.y, start
            self.add(lambda p, y0=y0, top=top, end=end: draw_slice(p, y0, top, end))  # type: ignore[misc]
            self.y += end - top
            if end >= height:
                return
            start = end
            self.new_page()

    def html(self, markdown_text: str, indent: float = 0, after: float = 4) -> None:
        """Markdown notes: rendered (and sanitised) as on screen, split between lines."""
        if not markdown_text.strip():
            return
        if is_plain_paragraph(markdown_text):
            # Words without markup: one paragraph of just these words, laid out as the
            # document would lay it out (same font, measure, line heights and breaks),
            # at a third of the cost of rendering, parsing and laying out a document.
            self.text(markdown_text, indent=indent, after=after)
            return
        self.document(markdown_text, indent, after)

    def document(self, markdown_text: str, indent: float = 0, after: float = 4) -> None:
        """*markdown_text* rendered as HTML into a text document, split between lines."""
        doc = QTextDocument()
        doc.setDocumentMargin(0)
        doc.setDefaultFont(self.fonts.get(BODY_POINT_SIZE))
        doc.documentLayout().setPaintDevice(self.device)
        doc.setHtml(links_as_in_the_window(render_markdown(markdown_text)))
        x = self.pt(indent)
        doc.setTextWidth(self.width - x)
        height = doc.size().height()
        cuts = []
        block = doc.begin()
        while block.isValid():
            layout = block.layout()
            origin = doc.documentLayout().blockBoundingRect(block).top()
            for i in range(layout.lineCount()):
                line = layout.lineAt(i)
                cuts.append(origin + line.y() + line.height())
            block = block.next()
        cuts = sorted(set(cuts)) or [height]
        # As for text: short notes move to the next page whole; long ones split between
        # lines, and need only their first lines to fit here (so a heading above them
        # is never left alone at the foot of a page).
        need = height if height <= self.pt(KEEP_TOGETHER_POINTS) else cuts[min(1, len(cuts) - 1)]
        if need > self.remaining and self.y > 0:
            self.new_page()

        def draw_slice(p: QPainter, y0: float, top: float, end: float) -> None:
            p.save()
            p.translate(x, y0 - top)
            doc.drawContents(p, QRectF(0, top, self.width - x, end - top))
            p.restore()

        self._place_sliced(height, cuts, draw_slice)
        self.space(after)

    def heading(self, text: str, size: float = 13) -> None:
        if self.y > 0:
            self.space(6)
        self.text(text, size=size, bold=True, after=4, keep_with_next=3 * BODY_POINT_SIZE)

    def stamp(self, text: str, font: QFont, colour: QColor) -> Stamp:
        """*text* shaped once, to be queued centred in many cells (see :meth:`queue_stamp`)."""
        key = (text, id(font), colour.rgba())
        stamp = self._stamps.get(key)
        if stamp is None:
            raw = self._raw_font(font)
            glyphs = list(raw.glyphIndexesForString(text))
            advances = [a.x() for a in raw.advancesForGlyphIndexes(glyphs)]
            half = sum(advances) / 2
            offsets = tuple(sum(advances[:k]) - half for k in range(len(advances)))
            baseline = (raw.ascent() - raw.descent()) / 2
            stamp = Stamp((id(raw), colour.rgba()), raw, colour, glyphs, offsets, baseline)
            self._stamps[key] = stamp
        return stamp

    def queue_stamp(self, page: Page, stamp: Stamp, cx: float, cy: float) -> None:
        """Centre *stamp* on (cx, cy), in *page*'s glyph batch for its font and colour."""
        batch = page.batches.get(stamp.key)
        if batch is None:
            batch = page.batches[stamp.key] = GlyphBatch(stamp.raw, stamp.colour)
        batch.glyphs.extend(stamp.glyphs)
        # Cells sit on a grid, so positions repeat from row to row and page to page:
        # finding points already built costs less than building them again.
        place = (stamp, cx, cy)
        points = self._places.get(place)
        if points is None:
            y = cy + stamp.baseline
            points = self._places[place] = [QPointF(cx + o, y) for o in stamp.offsets]
        batch.positions.extend(points)

    def _raw_font(self, font: QFont) -> QRawFont:
        raw = self._raw_fonts.get(id(font))
        if raw is None:
            raw = QRawFont.fromFont(QFont(font, self.device))
            raw.setPixelSize(font.pointSizeF() * self.unit)  # exactly the size of the other text
            self._raw_fonts[id(font)] = raw
        return raw

    @staticmethod
    def queue_fill(page: Page, colour: QColor, rect: QRectF) -> None:
        entry = page.fills.get(colour.rgba())
        if entry is None:
            entry = page.fills[colour.rgba()] = (colour, [])
        entry[1].append(rect)

    # -- painting ------------------------------------------------------------------------------
    def paint(self, title: str) -> int:
        """Paint every page; returns how many."""
        painter = QPainter()
        if not painter.begin(self.device):
            raise ReportError("The PDF could not be written (the file could not be opened for drawing).")
        try:
            total = len(self.pages)
            footer_font = self.fonts.get(7.5)
            for number, page in enumerate(self.pages, start=1):
                if number > 1 and not self.device.newPage():
                    raise ReportError("The PDF could not be written (no room for a new page).")
                painter.save()
                painter.translate(0, self.top)
                painter.setPen(Qt.PenStyle.NoPen)
                for colour, rects in page.fills.values():
                    painter.setBrush(colour)
                    painter.drawRects(rects)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                for op in page.ops:
                    op(painter)
                if page.rules:
                    painter.setPen(self._rule_pen)
                    painter.drawLines(page.rules)
                for batch in page.batches.values():
                    batch.draw(painter)
                painter.restore()
                if self.marking:
                    self._paint_marking(painter)
                painter.setFont(footer_font)
                painter.setPen(MUTED)
                painter.setPen(QPen(GRID, self.pt(0.4)))
                painter.drawLine(QPointF(0, self.footer_y), QPointF(self.page_width, self.footer_y))
                painter.setPen(MUTED)
                rect = QRectF(0, self.footer_y + self.pt(2), self.page_width, self.pt(10))
                painter.drawText(
                    rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, f"{title} — {APP_NAME}"
                )
                painter.drawText(
                    rect,
                    Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                    f"Page {number} of {total}",
                )
                if (
                    self.progress is not None
                    and number % 10 == 0
                    and not self.progress(0.7 + 0.3 * number / total)
                ):
                    raise ExportCancelled
        finally:
            painter.end()
        return len(self.pages)

    def let_go(self) -> None:
        """Drop the laid-out pages (once painted). Their drawing operations refer back to
        this flow (bound methods, closures), so left alone they would wait for the cycle
        collector, which then walks a few hundred thousand objects at once: a pause of
        over a second after a large report, in the middle of whatever comes next. Let go
        here, they are freed at once, in a third of that time."""
        self.pages = []
        self._stamps.clear()
        self._places.clear()
        self._char_formats.clear()
