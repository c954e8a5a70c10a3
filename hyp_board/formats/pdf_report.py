"""The report as PDF, drawn with QtGui only (no widgets), so it also runs headless.

The report is laid out once into pages of deferred drawing operations and then
painted, which lets every page say "page 3 of 12". Text is laid out with
``QTextLayout`` (wrapping at word boundaries, and inside words only when one is wider
than its column), so nothing overflows or is clipped. Fonts come from
``resources/fonts``, and a file whose text could not be embedded is refused rather than
delivered empty.

The matrix keeps to one page width: hypothesis columns shrink with a smaller font down
to :data:`MIN_MATRIX_POINT_SIZE`; past that, the hypotheses are split into column groups,
each repeating the evidence column. On every page the matrix continues on, its header
row is repeated.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from PySide6.QtCore import QLineF, QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QGlyphRun,
    QGuiApplication,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QRawFont,
    QTextCharFormat,
    QTextDocument,
    QTextLayout,
    QTextOption,
)

from hyp_board import APP_NAME
from hyp_board.core.colours import rating_colours
from hyp_board.core.model import RATING_LABELS, Rating
from hyp_board.formats.atomic import atomic_path
from hyp_board.formats.markdown_notes import render_markdown
from hyp_board.formats.report import LEADER_MARK, Report, ReportEvidence, ReportHypothesis
from hyp_board.paths import resources_dir

FONT_FAMILY = "DejaVu Sans Condensed"
FONT_FILES = (
    "DejaVuSansCondensed.ttf",
    "DejaVuSansCondensed-Bold.ttf",
    "DejaVuSansCondensed-Oblique.ttf",
    "DejaVuSansCondensed-BoldOblique.ttf",
)
MATRIX_POINT_SIZE = 8.0
MIN_MATRIX_POINT_SIZE = 6.5  # the matrix is never scaled below this; wider ones are split
BODY_POINT_SIZE = 9.0
RESOLUTION = 300  # dots per inch of the PDF's drawing coordinates
PROSE_WIDTH_POINTS = 600
KEEP_TOGETHER_POINTS = 60  # paragraphs up to this height are never split
# Matrix column widths in points at the normal matrix font size (scaled with it).
_FIXED_COLUMNS = {"#": 22, "Cred.": 32, "Rel.": 28, "Diag.": 32}
_EVIDENCE_MIN, _EVIDENCE_MAX = 170, 420
# A hypothesis column is at least as wide as the longest word of any label (so labels
# wrap between words), within these bounds.
_HYPOTHESIS_FLOOR, _HYPOTHESIS_CEILING, _HYPOTHESIS_MAX = 30, 60, 96

Progress = Callable[[float], bool]  # fraction done → keep going?
Draw = Callable[[QPainter], None]

_BLACK = QColor("black")
_STRONG = frozenset({Rating.CC, Rating.II})
_RATING_QCOLOURS = {r: (QColor(rating_colours(r)[0]), QColor(rating_colours(r)[1])) for r in Rating}
GRID = QColor("#9a9a9a")
MUTED = QColor("#6b6b6b")
HEADER_FILL = QColor("#eef1f5")
EXCLUDED_FILL = QColor("#f4f4f4")
LEADER_FILL = QColor("#e3f1d5")


class ReportError(Exception):
    """The report could not be produced; the message says why, for the user."""


class ExportCancelled(Exception):
    pass


@dataclass(frozen=True)
class PageSetup:
    paper: str = "A4"  # or "Letter"
    landscape: bool = True
    margin_mm: float = 12.0
    details: bool = True  # False: title block and matrix only, no per-item sections

    def page_layout(self) -> QPageLayout:
        size = QPageSize(
            QPageSize.PageSizeId.Letter if self.paper.lower() == "letter" else QPageSize.PageSizeId.A4
        )
        orientation = (
            QPageLayout.Orientation.Landscape if self.landscape else QPageLayout.Orientation.Portrait
        )
        m = self.margin_mm
        return QPageLayout(size, orientation, QMarginsF(m, m, m, m), QPageLayout.Unit.Millimeter)


_app: QGuiApplication | None = None


def ensure_gui_application() -> None:
    """Fonts and painting need a QGuiApplication; headless runs get an offscreen one."""
    global _app
    if QGuiApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        _app = QGuiApplication(["hyp-board"])


@lru_cache(maxsize=1)
def load_fonts() -> str:
    ensure_gui_application()
    folder = resources_dir() / "fonts"
    for name in FONT_FILES:
        if QFontDatabase.addApplicationFont(str(folder / name)) < 0:
            raise ReportError(
                f"The report font {folder / name} could not be loaded; reinstall Hypothesis Board."
            )
    if FONT_FAMILY not in QFontDatabase.families():
        raise ReportError(f"The report font {FONT_FAMILY} is not available after loading it.")
    return FONT_FAMILY


def write_pdf(
    report: Report, path: Path, setup: PageSetup | None = None, progress: Progress | None = None
) -> int:
    """Write *report* to *path* (atomically); returns the number of pages."""
    setup = setup or PageSetup()
    load_fonts()
    with atomic_path(Path(path)) as tmp:
        writer = QPdfWriter(str(tmp))
        writer.setResolution(RESOLUTION)
        writer.setPageLayout(setup.page_layout())
        writer.setTitle(report.title)
        writer.setCreator(APP_NAME)
        pages = render_report(report, writer, progress, details=setup.details)
        del writer  # closes the file
        data = tmp.read_bytes()
        if b"/FontFile2" not in data and b"/FontFile3" not in data:
            raise ReportError(
                "No text could be rendered into the PDF (no font was embedded); nothing was written."
            )
    return pages


def render_report(
    report: Report, device: QPagedPaintDevice, progress: Progress | None = None, details: bool = True
) -> int:
    """Lay out and paint *report* on any paged device (a PDF writer or a printer)."""
    load_fonts()
    composer = Composer(device, progress)
    composer.compose(report, details)
    return composer.paint(report.title)


# -- layout primitives ----------------------------------------------------------------
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
    """Text laid out to a width: its height and where it may be cut between lines."""

    layout: QTextLayout
    height: float
    line_bottoms: list[float]

    def draw(self, painter: QPainter, x: float, y: float, colour: QColor) -> None:
        painter.setPen(colour)
        self.layout.draw(painter, QPointF(x, y))

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


def lay_out(
    text: str, font: QFont, width: float, device: QPagedPaintDevice, align: Qt.AlignmentFlag | None = None
) -> TextBox:
    layout = QTextLayout(text, font, device)
    option = QTextOption(_WRAP)
    if align is not None:
        option.setAlignment(align)
    layout.setTextOption(option)
    layout.beginLayout()
    y = 0.0
    bottoms = []
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(max(width, 1.0))
        line.setPosition(QPointF(0, y))
        y += line.height()
        bottoms.append(y)
    layout.endLayout()
    return TextBox(layout, y, bottoms)


@dataclass
class _GroupPaint:
    """What painting the rows of one column group needs, computed once for the group."""

    body: QFont
    bold: QFont
    pad: float
    right: float
    summary_x: float
    fixed_centres: tuple[float, ...]  # #, Cred., Rel., Diag.
    rating_columns: list[tuple[float, float, float, int]]  # x, width, centre, hypothesis index
    grid_pen: QPen


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


class Composer:
    """Flows report content down pages; painting is deferred until the page count is known."""

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
        self.fonts = Fonts()
        self.pages: list[Page] = [Page()]
        self.y = 0.0
        self._summaries: dict[tuple[int, bool, float, int], TextBox] = {}
        self._hyp_min = float(_HYPOTHESIS_CEILING)
        self._raw_fonts: dict[int, QRawFont] = {}
        self._points: dict[tuple[str, int, float, float], list[QPointF]] = {}
        self._rects: dict[tuple[float, float, float, float], QRectF] = {}
        self._rule_pen = QPen(GRID, self.pt(0.4))
        self._shapes: dict[tuple[str, int], tuple[QRawFont, list[int], list[float], float, float]] = {}

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
        text = "\u2028".join(t for t, _, _ in parts)  # U+2028: a line break inside one paragraph
        layout = QTextLayout(text, parts[0][1], self.device)
        layout.setTextOption(_WRAP)
        formats, starts, pos = [], [], 0
        for t, font, colour in parts:
            fmt = QTextCharFormat()
            fmt.setFont(font)
            fmt.setForeground(colour)
            rng = QTextLayout.FormatRange()
            rng.start, rng.length, rng.format = pos, len(t) + 1, fmt
            formats.append(rng)
            starts.append(pos)
            pos += len(t) + 1
        layout.setFormats(formats)
        x_indent, gap = self.pt(indent), self.pt(1.5)
        width = self.width - x_indent
        layout.beginLayout()
        y, bottoms, part = 0.0, [], 0
        first_part_end = len(parts[0][0])
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width)
            start = line.textStart()
            if part + 1 < len(starts) and start >= starts[part + 1]:
                part += 1
                y += gap if part == 1 else 0.0
            line.setPosition(QPointF(0 if start < first_part_end else x_indent, y))
            y += line.height()
            bottoms.append(y)
        layout.endLayout()
        box = TextBox(layout, y, bottoms)
        title_height = bottoms[0] if bottoms else 0.0
        # A short item moves to the next page whole; a long one keeps its title with the
        # first lines after it.
        if box.height <= self.pt(KEEP_TOGETHER_POINTS):
            need = box.height
        else:
            need = min(box.height, title_height + self.pt(30))
        if need > self.remaining and self.y > 0:
            self.new_page()
        self._place_box(box, 0, _BLACK, self.width)
        self.space(after)

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
            self.add(lambda p, y0=y0, top=top, end=end: draw_slice(p, y0, top, end))
            self.y += end - top
            if end >= height:
                return
            start = end
            self.new_page()

    def html(self, markdown_text: str, indent: float = 0, after: float = 4) -> None:
        """Markdown notes: rendered (and sanitised) as on screen, split between lines."""
        if not markdown_text.strip():
            return
        doc = QTextDocument()
        doc.setDocumentMargin(0)
        doc.setDefaultFont(self.fonts.get(BODY_POINT_SIZE))
        doc.documentLayout().setPaintDevice(self.device)
        doc.setHtml(render_markdown(markdown_text))
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
        if min(height, self.body_height) > self.remaining and self.y > 0:
            self.new_page()

        def draw_slice(p: QPainter, y0: float, top: float, end: float) -> None:
            p.save()
            p.translate(x, y0 - top)
            doc.drawContents(p, QRectF(0, top, self.width - x, end - top))
            p.restore()

        self._place_sliced(height, sorted(set(cuts)) or [height], draw_slice)
        self.space(after)

    # -- the report ------------------------------------------------------------------------
    def compose(self, report: Report, details: bool = True) -> None:
        self.title_block(report)
        self.legend()
        self.matrix(report)
        if not details:
            self.tick(1.0)
            return
        self.hypotheses(report)
        self.evidence(report)
        if report.notes.strip():
            self.heading("Notes and conclusions")
            self.html(report.notes)
        self.tick(1.0)

    def heading(self, text: str, size: float = 13) -> None:
        if self.y > 0:
            self.space(6)
        self.text(text, size=size, bold=True, after=4, keep_with_next=3 * BODY_POINT_SIZE)

    def title_block(self, report: Report) -> None:
        self.text(report.title, size=17, bold=True, after=4, full_width=True)
        if report.question:
            self.text(f"Key question: {report.question}", size=11, after=4, full_width=True)
        self.text(
            f"Report of {report.generated.isoformat()} · {len(report.evidence)} evidence items · "
            f"{len(report.hypotheses)} hypotheses",
            size=8.5,
            colour=MUTED,
            after=5,
            full_width=True,
        )
        self.text(report.ranking, size=10.5, bold=True, after=3, full_width=True)
        if report.sensitivity:
            self.text(report.sensitivity, size=9, after=6, full_width=True)

    def legend(self) -> None:
        font = self.fonts.get(7.5)
        height = self.pt(12)
        if self.remaining < height:
            self.new_page()
        y0 = self.y
        chip_w = self.pt(18)
        items = []
        x = 0.0
        for rating, label in RATING_LABELS.items():
            box = lay_out(label, font, self.pt(80), self.device)
            width = box.layout.boundingRect().width()
            items.append((x, rating, box))
            x += chip_w + self.pt(4) + width + self.pt(12)
        note = lay_out(
            "Cred./Rel.: H high, M medium, L low · Diag.: diagnosticity 0–4 · "
            f"{LEADER_MARK} least inconsistent · empty cell: unrated",
            font,
            self.page_width,
            self.device,
        )
        note_y = y0 + height

        def draw(p: QPainter) -> None:
            for x0, rating, box in items:
                self._chip(p, QRectF(x0, y0, chip_w, self.pt(10)), rating, 7.5)
                box.draw(p, x0 + chip_w + self.pt(4), y0 + self.pt(1), QColor("black"))
            note.draw(p, 0, note_y, MUTED)

        self.add(draw)
        self.y += height + note.height
        self.space(6)

    def _chip(self, p: QPainter, rect: QRectF, rating: Rating, size: float) -> None:
        bg, fg = rating_colours(rating)
        p.fillRect(rect, QColor(bg))
        p.setPen(QPen(GRID, 0))
        p.drawRect(rect)
        p.setPen(QColor(fg))
        p.setFont(self.fonts.get(size, bold=rating in (Rating.CC, Rating.II)))
        p.drawText(rect, Qt.AlignmentFlag.AlignCenter, rating.value)

    # -- the matrix --------------------------------------------------------------------------
    def matrix(self, report: Report) -> None:
        groups, size = self._plan_columns(report)
        n_groups = len(groups)
        for g, hyps in enumerate(groups):
            title = "Matrix"
            if n_groups > 1:
                title += f" — part {g + 1} of {n_groups}: hypotheses {hyps[0].number}–{hyps[-1].number}"
            self.heading(title)
            self._matrix_group(report, hyps, size, g, n_groups)

    def _plan_columns(self, report: Report) -> tuple[list[list[ReportHypothesis]], float]:
        """Hypothesis groups and font size: all in one table at the normal size if they
        fit, else at a smaller size down to the minimum, else in groups. Part 1 carries
        the grade columns; later parts repeat only # and Evidence, leaving room for more
        hypotheses."""
        hyps = list(report.hypotheses)
        grades = sum(_FIXED_COLUMNS.values()) + _EVIDENCE_MIN
        plain = _FIXED_COLUMNS["#"] + _EVIDENCE_MIN
        self._hyp_min = self._hypothesis_min_width(hyps)

        def capacity(size: float, fixed: float) -> int:
            s = size / MATRIX_POINT_SIZE
            return int((self.page_width - self.pt(s * fixed)) // self.pt(s * self._hyp_min))

        if not hyps or capacity(MATRIX_POINT_SIZE, grades) >= len(hyps):
            return [hyps], MATRIX_POINT_SIZE
        size = MATRIX_POINT_SIZE
        while size - 0.25 >= MIN_MATRIX_POINT_SIZE:
            size -= 0.25
            if capacity(size, grades) >= len(hyps):
                return [hyps], size
        first = max(1, capacity(MATRIX_POINT_SIZE, grades))
        rest = hyps[first:]
        per_group = max(1, capacity(MATRIX_POINT_SIZE, plain))
        n_rest = -(-len(rest) // per_group)
        per_group = -(-len(rest) // n_rest)  # balanced: 30 → 10 + 10 + 10, not 13 + 13 + 4
        groups = [hyps[:first]] + [rest[i : i + per_group] for i in range(0, len(rest), per_group)]
        return groups, MATRIX_POINT_SIZE

    def _hypothesis_min_width(self, hyps: list[ReportHypothesis]) -> float:
        """Points, at the normal matrix size: the longest label word, padded."""
        metrics = QFontMetricsF(self.fonts.get(MATRIX_POINT_SIZE, bold=True), self.device)
        words = {w for h in hyps for w in h.label.split()} | {"CC", "Diag."}
        widest = max(metrics.horizontalAdvance(w) for w in words) / self.unit
        return max(_HYPOTHESIS_FLOOR, min(_HYPOTHESIS_CEILING, widest + 2 * 2.5 + 2))

    def _columns(self, n_hyps: int, s: float, grades: bool, split: bool) -> list[Column]:
        names = ["#", "Cred.", "Rel.", "Diag."] if grades else ["#"]
        fixed_w = self.pt(s * sum(_FIXED_COLUMNS[k] for k in names))
        room = self.page_width - fixed_w
        if split:
            # Every part of a split matrix has the same evidence column, so rows line up
            # from part to part (and each summary is laid out once).
            evidence_w = self.pt(s * _EVIDENCE_MIN)
            hyp_w = min(self.pt(s * _HYPOTHESIS_MAX), (room - evidence_w) / max(n_hyps, 1))
        elif n_hyps:
            hyp_w = (room - self.pt(s * _EVIDENCE_MAX)) / n_hyps
            hyp_w = max(self.pt(s * self._hyp_min), min(self.pt(s * _HYPOTHESIS_MAX), hyp_w))
            evidence_w = min(room - n_hyps * hyp_w, self.pt(s * _EVIDENCE_MAX))
        else:
            hyp_w, evidence_w = 0.0, room
        widths = [self.pt(s * _FIXED_COLUMNS["#"]), evidence_w]
        widths += [self.pt(s * _FIXED_COLUMNS[k]) for k in names[1:]]
        widths += [hyp_w] * n_hyps
        cols, x = [], 0.0
        for w in widths:
            cols.append(Column(x, w))
            x += w
        return cols

    def _matrix_group(
        self, report: Report, hyps: list[ReportHypothesis], size: float, g: int, n: int
    ) -> None:
        s = size / MATRIX_POINT_SIZE
        pad = self.pt(2.5 * s)
        grades = g == 0
        fixed = ["#", "Evidence", "Cred.", "Rel.", "Diag."] if grades else ["#", "Evidence"]
        first_hyp = len(fixed)
        cols = self._columns(len(hyps), s, grades, split=n > 1)
        total_w = cols[-1].x + cols[-1].width
        body = self.fonts.get(size)
        bold = self.fonts.get(size, bold=True)
        italic = self.fonts.get(size, italic=True)

        # header: fixed titles and wrapped hypothesis labels (leader starred, bold)
        header_boxes = [
            lay_out(title, bold, col.width - 2 * pad, self.device, Qt.AlignmentFlag.AlignHCenter)
            for title, col in zip(fixed, cols, strict=False)
        ]
        for h, col in zip(hyps, cols[len(fixed) :], strict=True):
            label = f"{LEADER_MARK} {h.label}" if h.leader else h.label
            header_boxes.append(
                self._at_most(
                    label, bold if h.leader else body, col.width - 2 * pad, 5, Qt.AlignmentFlag.AlignHCenter
                )
            )
        header_h = max(b.height for b in header_boxes) + 2 * pad

        def draw_header(p: QPainter, y0: float) -> None:
            p.fillRect(QRectF(0, y0, total_w, header_h), HEADER_FILL)
            for i, (col, box) in enumerate(zip(cols, header_boxes, strict=True)):
                leader = i >= len(fixed) and hyps[i - len(fixed)].leader
                if leader:
                    p.fillRect(QRectF(col.x, y0, col.width, header_h), LEADER_FILL)
                box.draw(p, col.x + pad, y0 + (header_h - box.height) / 2, QColor("black"))
            self._grid(p, cols, y0, header_h)

        segment_top = 0.0

        def start_page_header() -> None:
            nonlocal segment_top
            y0 = segment_top = self.y
            self.add(lambda p, y0=y0: draw_header(p, y0))
            self.y += header_h

        def close_segment() -> None:
            # Column rules once per page, not once per row: a 2,000-row matrix would
            # otherwise draw a quarter of a million lines.
            top, bottom = segment_top, self.y
            self.add(lambda p, top=top, bottom=bottom: self._grid(p, cols, top, bottom - top))

        paint = _GroupPaint(
            body=body,
            bold=bold,
            pad=pad,
            right=total_w,
            summary_x=cols[1].x + pad,
            fixed_centres=tuple(cols[i].x + cols[i].width / 2 for i in ((0, 2, 3, 4) if grades else (0,))),
            rating_columns=[
                (col.x, col.width, col.x + col.width / 2, h.number - 1)
                for h, col in zip(hyps, cols[first_hyp:], strict=True)
            ],
            grid_pen=QPen(GRID, self.pt(0.4)),
        )
        min_row = self.pt(12 * s)
        if self.remaining < header_h + min_row * 3:
            self.new_page()
        start_page_header()
        count = len(report.evidence)
        for index, ev in enumerate(report.evidence):
            font = body if ev.included else italic
            summary = ev.summary if ev.included else f"{ev.summary} (excluded)"
            key = (ev.number, ev.included, size, round(cols[1].width))
            box = self._summaries.get(key)  # the same in every column group: laid out once
            if box is None:
                box = lay_out(summary, font, cols[1].width - 2 * pad, self.device)
                limit = self.body_height - header_h - 2 * pad
                if box.height > limit:
                    box = self._shortened(box, summary, font, cols[1].width - 2 * pad, limit, ev.number)
                self._summaries[key] = box
            row_h = max(min_row, box.height + 2 * pad)
            if row_h > self.remaining:
                close_segment()
                self.new_page()
                start_page_header()
            y0 = self.y
            self.add(lambda p, ev=ev, box=box, y0=y0: self._draw_row(p, ev, box, y0, paint))
            self._queue_row_fills(ev, y0, row_h, paint)
            self._queue_row_texts(ev, y0, row_h, paint)
            self.y += row_h
            if index % 50 == 0:
                self.tick(0.5 * (g + index / max(count, 1)) / n)

        # score rows, kept together
        score_h = self.pt(12 * s)
        close_segment()
        if self.remaining < 3 * score_h:
            self.new_page()
            start_page_header()
            close_segment()
        y0 = self.y
        rows = [
            ("Inconsistency", [str(h.inconsistency) for h in hyps]),
            ("Weighted inconsistency", [f"{h.weighted:.2f}" for h in hyps]),
            (
                "Rank (1 = least inconsistent)",
                [f"{LEADER_MARK} {h.rank_text}" if h.leader else h.rank_text for h in hyps],
            ),
        ]
        self.add(
            lambda p, y0=y0: self._draw_scores(p, rows, y0, score_h, cols, first_hyp, hyps, pad, body, bold)
        )
        self.y += 3 * score_h
        self.space(4)

    def _at_most(self, text: str, font: QFont, width: float, lines: int, align: Qt.AlignmentFlag) -> TextBox:
        """Text wrapped at word boundaries, ending in "…" after *lines* lines."""
        box = lay_out(text, font, width, self.device, align)
        if box.layout.lineCount() <= lines:
            return box
        line = box.layout.lineAt(lines - 1)
        cut = text[: line.textStart() + line.textLength()].rstrip()
        while cut:
            shorter = lay_out(cut + "…", font, width, self.device, align)
            if shorter.layout.lineCount() <= lines:
                return shorter
            cut = cut[:-1].rstrip()
        return lay_out("…", font, width, self.device, align)

    def _shortened(
        self, box: TextBox, text: str, font: QFont, width: float, limit: float, number: int
    ) -> TextBox:
        """A summary longer than a page, cut at a line end with a pointer to its full text."""
        marker = f" … (continued under Evidence #{number})"
        lines = [box.layout.lineAt(i) for i in range(box.layout.lineCount())]
        keep = max(1, sum(1 for b in box.line_bottoms if b <= limit) - 2)
        end = lines[keep - 1].textStart() + lines[keep - 1].textLength()
        return lay_out(text[:end].rstrip() + marker, font, width, self.device)

    def _grid(self, p: QPainter, cols: list[Column], y0: float, h: float) -> None:
        p.setPen(QPen(GRID, self.pt(0.4)))
        right = cols[-1].x + cols[-1].width
        p.drawRect(QRectF(0, y0, right, h))
        for col in cols[1:]:
            p.drawLine(QPointF(col.x, y0), QPointF(col.x, y0 + h))

    def _queue_row_texts(self, ev: ReportEvidence, y0: float, row_h: float, g: _GroupPaint) -> None:
        cy = y0 + row_h / 2
        colour = _BLACK if ev.included else MUTED
        fixed = (str(ev.number), ev.credibility[0], ev.relevance[0], str(ev.diagnosticity))
        for cx, text in zip(g.fixed_centres, fixed, strict=False):
            self.queue_text(text, cx, cy, g.body, colour)
        ratings = ev.ratings
        for _, _, cx, index in g.rating_columns:
            rating = ratings[index]
            if rating is not None:
                font = g.bold if rating in _STRONG else g.body
                self.queue_text(rating.value, cx, cy, font, _RATING_QCOLOURS[rating][1])

    def queue_text(self, text: str, cx: float, cy: float, font: QFont, colour: QColor) -> None:
        """Centre *text* on (cx, cy), in the current page's glyph batch for its font and colour."""
        shaped = self._shapes.get((text, id(font)))
        if shaped is None:
            raw = self._raw_font(font)
            indexes = list(raw.glyphIndexesForString(text))
            advances = [a.x() for a in raw.advancesForGlyphIndexes(indexes)]
            offsets = [sum(advances[:k]) for k in range(len(advances))]
            baseline = (raw.ascent() - raw.descent()) / 2
            shaped = (raw, indexes, offsets, sum(advances) / 2, baseline)
            self._shapes[(text, id(font))] = shaped
        raw, indexes, offsets, half_width, baseline = shaped
        key = (id(raw), colour.rgba())
        batches = self.pages[-1].batches
        batch = batches.get(key)
        if batch is None:
            batch = batches[key] = GlyphBatch(raw, colour)
        # Cells sit on a grid, so positions repeat from row to row and page to page:
        # building a QPointF costs far more than finding one already built.
        place = (text, id(font), cx, cy)
        points = self._points.get(place)
        if points is None:
            x, y = cx - half_width, cy + baseline
            points = self._points[place] = [QPointF(x + o, y) for o in offsets]
        batch.glyphs.extend(indexes)
        batch.positions.extend(points)

    def _raw_font(self, font: QFont) -> QRawFont:
        raw = self._raw_fonts.get(id(font))
        if raw is None:
            raw = QRawFont.fromFont(QFont(font, self.device))
            raw.setPixelSize(font.pointSizeF() * self.unit)  # exactly the size of the other text
            self._raw_fonts[id(font)] = raw
        return raw

    def _draw_row(self, p: QPainter, ev: ReportEvidence, box: TextBox, y0: float, g: _GroupPaint) -> None:
        box.draw(p, g.summary_x, y0 + g.pad, _BLACK if ev.included else MUTED)  # sized to fit the row

    def _queue_row_fills(self, ev: ReportEvidence, y0: float, row_h: float, g: _GroupPaint) -> None:
        page = self.pages[-1]
        if not ev.included:
            self._queue_fill(
                page, EXCLUDED_FILL, 0, y0, g.rating_columns[0][0] if g.rating_columns else g.right, row_h
            )
        ratings = ev.ratings
        for x, w, _, index in g.rating_columns:
            rating = ratings[index]
            if rating is not None:
                self._queue_fill(page, _RATING_QCOLOURS[rating][0], x, y0, w, row_h)
        page.rules.append(QLineF(0, y0 + row_h, g.right, y0 + row_h))

    def _queue_fill(self, page: Page, colour: QColor, x: float, y: float, w: float, h: float) -> None:
        rect = self._rects.get((x, y, w, h))
        if rect is None:
            rect = self._rects[(x, y, w, h)] = QRectF(x, y, w, h)
        entry = page.fills.get(colour.rgba())
        if entry is None:
            entry = page.fills[colour.rgba()] = (colour, [])
        entry[1].append(rect)

    def _draw_scores(
        self,
        p: QPainter,
        rows: list[tuple[str, list[str]]],
        y0: float,
        h: float,
        cols: list[Column],
        first_hyp: int,
        hyps: list[ReportHypothesis],
        pad: float,
        body: QFont,
        bold: QFont,
    ) -> None:
        right = cols[-1].x + cols[-1].width
        last_fixed = cols[first_hyp - 1]
        for i, (label, values) in enumerate(rows):
            y = y0 + i * h
            p.fillRect(QRectF(0, y, right, h), HEADER_FILL)
            p.setPen(QColor("black"))
            p.setFont(bold)
            p.drawText(
                QRectF(cols[1].x, y, last_fixed.x + last_fixed.width - cols[1].x - pad, h),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                label,
            )
            for hyp, col, value in zip(hyps, cols[first_hyp:], values, strict=True):
                rect = QRectF(col.x, y, col.width, h)
                if hyp.leader:
                    p.fillRect(rect, LEADER_FILL)
                p.setFont(bold if hyp.leader else body)
                p.setPen(QColor("black"))
                p.drawText(rect, Qt.AlignmentFlag.AlignCenter, value)
            p.setPen(QPen(GRID, self.pt(0.4)))
            p.drawRect(QRectF(0, y, right, h))
            for col in cols[first_hyp:]:
                p.drawLine(QPointF(col.x, y), QPointF(col.x, y + h))
        p.setPen(QPen(QColor("black"), self.pt(0.8)))
        p.drawLine(QPointF(0, y0), QPointF(right, y0))

    # -- sections ------------------------------------------------------------------------------
    def hypotheses(self, report: Report) -> None:
        self.heading("Hypotheses")
        for h in report.hypotheses:
            mark = f"  {LEADER_MARK} least inconsistent" if h.leader else ""
            self.text(f"H{h.number}. {h.label}{mark}", size=10.5, bold=True, after=1, keep_with_next=24)
            self.text(
                f"Rank {h.rank_text} · inconsistency {h.inconsistency} · weighted {h.weighted:.2f}",
                size=8.5,
                colour=MUTED,
                after=2,
            )
            self.html(h.description, indent=10, after=6)

    def evidence(self, report: Report) -> None:
        self.heading("Evidence")
        count = len(report.evidence)
        labels = [h.label for h in report.hypotheses]
        for index, ev in enumerate(report.evidence):
            title = f"{ev.number}. {ev.summary}" + ("" if ev.included else "  (excluded from scoring)")
            parts = [(title, self.fonts.get(9.5, bold=True), _BLACK)]
            if ev.quote:
                parts.append((f"“{ev.quote}”", self.fonts.get(BODY_POINT_SIZE, italic=True), _BLACK))
            meta = [
                f"Source: {ev.source or 'not given'}",
                f"date {ev.date or 'none'}",
                ev.kind,
                f"credibility {ev.credibility}",
                f"relevance {ev.relevance}",
                f"diagnosticity {ev.diagnosticity}/{report.max_diagnosticity}",
            ]
            parts.append((" · ".join(meta), self.fonts.get(8.5), MUTED))
            # The reasons behind the ratings; the ratings themselves are in the matrix.
            small = self.fonts.get(8.5)
            reasons = [
                f"{label}: {rating.value if rating is not None else 'unrated'} — {reason}"
                for label, rating, reason in zip(labels, ev.ratings, ev.reasons, strict=True)
                if reason
            ]
            parts.extend((line, small, _BLACK) for line in reasons or ["No reasons recorded."])
            self.item(parts, indent=10, after=1)
            if ev.notes.strip():
                self.html(ev.notes, indent=10, after=2)
            self.space(5)
            if index % 25 == 0:
                self.tick(0.5 + 0.5 * index / max(count, 1))

    # -- painting ------------------------------------------------------------------------------
    def paint(self, title: str) -> int:
        painter = QPainter()
        if not painter.begin(self.device):
            raise ReportError("The PDF could not be written (the file could not be opened for drawing).")
        try:
            total = len(self.pages)
            footer_font = self.fonts.get(7.5)
            for number, page in enumerate(self.pages, start=1):
                if number > 1 and not self.device.newPage():
                    raise ReportError("The PDF could not be written (no room for a new page).")
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
