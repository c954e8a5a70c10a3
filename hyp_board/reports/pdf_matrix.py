"""The matrix table of the PDF report: evidence rows × hypothesis columns, coloured and
lettered as on screen, with its score rows.

It keeps to one page width: hypothesis columns shrink with a smaller font down to
:data:`MIN_MATRIX_POINT_SIZE`; past that the hypotheses are split into parts, the first
with the grade columns, each repeating the evidence column. On every page the matrix
continues on, its header row is repeated.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPagedPaintDevice,
    QPainter,
    QPen,
)

from hyp_board.core.colours import rating_colours
from hyp_board.core.model import Rating
from hyp_board.reports.model import LEADER_MARK, Report, ReportEvidence, ReportHypothesis
from hyp_board.reports.pdf_layout import (
    BLACK,
    GRID,
    MUTED,
    Column,
    Flow,
    GlyphBatch,
    Page,
    Progress,
    Stamp,
    TextBox,
    lay_out,
    text_up_to,
)

MATRIX_POINT_SIZE = 8.0
MIN_MATRIX_POINT_SIZE = 6.5  # the matrix is never scaled below this; wider ones are split
# Matrix column widths in points at the normal matrix font size (scaled with it).
_FIXED_COLUMNS = {"#": 26, "Cred.": 32, "Rel.": 28, "Diag.": 32}
_EVIDENCE_MIN, _EVIDENCE_MAX = 170, 420
# A hypothesis column is at least as wide as the longest word of any label (so labels
# wrap between words), within these bounds.
_HYPOTHESIS_FLOOR, _HYPOTHESIS_CEILING, _HYPOTHESIS_MAX = 30, 60, 96

_STRONG = frozenset({Rating.CC, Rating.II})
_RATING_QCOLOURS = {r: (QColor(rating_colours(r)[0]), QColor(rating_colours(r)[1])) for r in Rating}
HEADER_FILL = QColor("#eef1f5")
EXCLUDED_FILL = QColor("#f4f4f4")
LEADER_FILL = QColor("#e3f1d5")


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
    cells: dict[Rating, tuple[QColor, Stamp]]  # each rating's fill and letters
    excluded_cells: dict[Rating, Stamp]  # letters of an excluded item: grey, on grey
    # x, width, hypothesis index, and where each rating's letters start, column by column
    cell_columns: list[tuple[float, float, int, dict[Rating, tuple[float, ...]]]] = field(
        default_factory=list
    )
    # Where each rating's cells go on the page being filled (see MatrixSection._cell_ink).
    inks: tuple[Page | None, dict[Rating, _CellInk]] = (None, {})
    # The texts of the #, Cred., Rel. and Diag. columns, by text and inclusion.
    fixed_stamps: dict[tuple[str, bool], Stamp] = field(default_factory=dict)
    # Rows of one height at one place on the page (most rows, page after page) share
    # their cells' rectangles, letter positions and bottom rule: each Qt value made
    # from Python costs as much as the rest of the cell's work, and the fewer of them
    # live at once, the less each costs.
    row_rects: dict[tuple[float, float], list[QRectF]] = field(default_factory=dict)
    row_points: dict[tuple[float, int, Rating], list[QPointF]] = field(default_factory=dict)
    row_rules: dict[float, QLineF] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.cell_columns = [
            (
                x,
                w,
                index,
                {r: tuple(cx + o for o in stamp.offsets) for r, (_fill, stamp) in self.cells.items()},
            )
            for x, w, cx, index in self.rating_columns
        ]


# Where one rating's cells go on one page: adding to its fill's rectangles, to its
# letters' glyph run (glyphs and positions), the letters' glyphs and baseline offset.
# (A tuple of bound methods: the loop over 80,000 cells looks up nothing else.)
_CellInk = tuple[
    Callable[[QRectF], None], Callable[[list[int]], None], Callable[[list[QPointF]], None], list[int], float
]


class MatrixSection(Flow):
    """The matrix part of the report."""

    def __init__(self, device: QPagedPaintDevice, progress: Progress | None) -> None:
        super().__init__(device, progress)
        # Summaries laid out once and reused by every part of a split matrix.
        self._summaries: dict[tuple[int, bool, float, int, bool], TextBox] = {}
        self._hyp_min = float(_HYPOTHESIS_CEILING)

    # -- the matrix --------------------------------------------------------------------------
    def matrix(self, report: Report) -> None:
        groups, size = self._plan_columns(report)
        n_groups = len(groups)
        for g, hyps in enumerate(groups):
            title = "Matrix"
            if n_groups > 1:
                title += f" — part {g + 1} of {n_groups}: hypotheses {hyps[0].ref} … {hyps[-1].ref}"
                if g > 0:
                    title += " (summaries cut to a line; part 1 has them in full)"
            self._matrix_group(report, hyps, size, g, n_groups, title)

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
        words = {w for h in hyps for w in h.titled.split()} | {"CC", "Diag."}
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
        self, report: Report, hyps: list[ReportHypothesis], size: float, g: int, n: int, title: str
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
            label = f"{LEADER_MARK} {h.titled}" if h.leader else h.titled
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
            self.add(partial(draw_header, y0=y0))
            self.y += header_h

        def close_segment() -> None:
            # Column rules once per page, not once per row: a 2,000-row matrix would
            # otherwise draw a quarter of a million lines.
            top, bottom = segment_top, self.y
            self.add(partial(self._grid, cols=cols, y0=top, h=bottom - top))

        paint = _GroupPaint(
            body=body,
            bold=bold,
            pad=pad,
            right=total_w,
            summary_x=cols[1].x + pad,
            fixed_centres=tuple(cols[i].x + cols[i].width / 2 for i in ((0, 2, 3, 4) if grades else (0,))),
            rating_columns=[
                (col.x, col.width, col.x + col.width / 2, h.column)
                for h, col in zip(hyps, cols[first_hyp:], strict=True)
            ],
            cells={
                rating: (fill, self.stamp(rating.value, bold if rating in _STRONG else body, ink))
                for rating, (fill, ink) in _RATING_QCOLOURS.items()
            },
            excluded_cells={rating: self.stamp(rating.value, italic, MUTED) for rating in Rating},
        )
        min_row = self.pt(12 * s)

        def summary_box(ev: ReportEvidence) -> TextBox:
            key = (ev.number, ev.included, size, round(cols[1].width), g > 0)
            box = self._summaries.get(key)  # the same in every later part: laid out once
            if box is None:
                font = body if ev.included else italic
                width = cols[1].width - 2 * pad
                if g > 0:
                    # Later parts of a split matrix give each summary one line: the item
                    # is known by its number and first words, part 1 has it in full, and
                    # rows of one line fit three times as many to a page.
                    box = self._one_line(ev.summary, "" if ev.included else " (excluded)", font, width)
                else:
                    summary = ev.summary if ev.included else f"{ev.summary} (excluded)"
                    box = lay_out(summary, font, width, self.device)
                    limit = self.body_height - header_h - 2 * pad
                    if box.height > limit:
                        box = self._shortened(box, summary, font, width, limit, ev.number)
                self._summaries[key] = box
            return box

        # The heading and header row go where the first rows fit too (up to three), never
        # alone at the foot of a page.
        heading_h = self.pt(32)
        first_rows = sum(max(min_row, summary_box(ev).height + 2 * pad) for ev in report.evidence[:3])
        first_rows = min(max(first_rows, min_row), self.body_height - heading_h - header_h)
        if self.remaining < heading_h + header_h + first_rows and self.y > 0:
            self.new_page()
        self.heading(title)
        start_page_header()
        count = len(report.evidence)
        for index, ev in enumerate(report.evidence):
            box = summary_box(ev)
            row_h = max(min_row, box.height + 2 * pad)
            if row_h > self.remaining:
                close_segment()
                self.new_page()
                start_page_header()
            y0 = self.y
            self.add(partial(self._draw_row, ev=ev, box=box, y0=y0, g=paint))
            self._queue_row(ev, y0, row_h, paint)
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
            partial(
                self._draw_scores,
                rows=rows,
                y0=y0,
                h=score_h,
                cols=cols,
                first_hyp=first_hyp,
                hyps=hyps,
                pad=pad,
                body=body,
                bold=bold,
            )
        )
        self.y += 3 * score_h
        self.space(4)

    def _at_most(self, text: str, font: QFont, width: float, lines: int, align: Qt.AlignmentFlag) -> TextBox:
        """Text wrapped at word boundaries, ending in "…" after *lines* lines."""
        box = lay_out(text, font, width, self.device, align)
        if box.layout.lineCount() <= lines:
            return box
        cut = text_up_to(box, lines - 1).rstrip()
        while cut:
            shorter = lay_out(cut + "…", font, width, self.device, align)
            if shorter.layout.lineCount() <= lines:
                return shorter
            cut = cut[:-1].rstrip()
        return lay_out("…", font, width, self.device, align)

    def _one_line(self, text: str, suffix: str, font: QFont, width: float) -> TextBox:
        """*text* cut with "…" to fit one line of *width*, *suffix* kept whole after it."""
        metrics = QFontMetricsF(font, self.device)
        room = width - metrics.horizontalAdvance(suffix) - self.pt(1)  # kerning may differ a little
        line = " ".join(text.split())  # a summary pasted with line breaks stays on one line
        shortened = metrics.elidedText(line, Qt.TextElideMode.ElideRight, room)
        return lay_out(shortened + suffix, font, width, self.device)

    def _shortened(
        self, box: TextBox, text: str, font: QFont, width: float, limit: float, number: int
    ) -> TextBox:
        """A summary longer than a page, cut at a line end with a pointer to its full text."""
        marker = f" … (continued under evidence E{number})"
        keep = max(1, sum(1 for b in box.line_bottoms if b <= limit) - 2)
        return lay_out(text_up_to(box, keep - 1).rstrip() + marker, font, width, self.device)

    def _grid(self, p: QPainter, cols: list[Column], y0: float, h: float) -> None:
        p.setPen(QPen(GRID, self.pt(0.4)))
        right = cols[-1].x + cols[-1].width
        p.drawRect(QRectF(0, y0, right, h))
        for col in cols[1:]:
            p.drawLine(QPointF(col.x, y0), QPointF(col.x, y0 + h))

    def _draw_row(self, p: QPainter, ev: ReportEvidence, box: TextBox, y0: float, g: _GroupPaint) -> None:
        box.draw(p, g.summary_x, y0 + g.pad, BLACK if ev.included else MUTED)  # sized to fit the row

    def _queue_row(self, ev: ReportEvidence, y0: float, row_h: float, g: _GroupPaint) -> None:
        """The row's cell fills, letters and bottom rule, into the page's batches.

        This runs for every cell of the matrix (94,000 in a 2,000 × 40 project), so
        everything per rating is prepared once per column group in ``g.cells``.
        """
        page = self.pages[-1]
        cy = y0 + row_h / 2
        if not ev.included:
            # The whole row grey, ratings too: they are shown, and do not count.
            self.queue_fill(page, EXCLUDED_FILL, QRectF(0, y0, g.right, row_h))
        fixed = (ev.ref, ev.credibility[0], ev.relevance[0], str(ev.diagnosticity))
        stamps = g.fixed_stamps  # shaped once per group, not once per row
        for cx, text in zip(g.fixed_centres, fixed, strict=False):
            stamp = stamps.get((text, ev.included))
            if stamp is None:
                stamp = stamps[text, ev.included] = self.stamp(text, g.body, BLACK if ev.included else MUTED)
            self.queue_stamp(page, stamp, cx, cy)
        ratings = ev.ratings
        bottom = y0 + row_h
        rule = g.row_rules.get(bottom)
        if rule is None:
            rule = g.row_rules[bottom] = QLineF(0, bottom, g.right, bottom)
        if not ev.included:
            for _x, _w, cx, index in g.rating_columns:
                if (rating := ratings[index]) is not None:
                    self.queue_stamp(page, g.excluded_cells[rating], cx, cy)
            page.rules.append(rule)
            return
        # The hot loop (80,000 cells): each rating's lists on this page are looked up
        # once, and its letters' positions in each column are known in advance.
        inks_page, inks = g.inks
        if inks_page is not page:
            inks = {}
            g.inks = (page, inks)
        rects = g.row_rects.get((y0, row_h))
        if rects is None:
            rects = g.row_rects[y0, row_h] = [QRectF(x, y0, w, row_h) for x, w, _, _ in g.cell_columns]
        row_points = g.row_points
        for column, (_x, _w, index, starts) in enumerate(g.cell_columns):
            rating = ratings[index]
            if rating is None:
                continue
            ink = inks.get(rating)
            if ink is None:
                ink = inks[rating] = self._cell_ink(page, g, rating)
            add_rect, add_glyphs, add_positions, glyphs, baseline = ink
            add_rect(rects[column])
            add_glyphs(glyphs)
            place = (cy, column, rating)
            points = row_points.get(place)
            if points is None:
                y = cy + baseline
                points = row_points[place] = [QPointF(x_glyph, y) for x_glyph in starts[rating]]
            add_positions(points)
        page.rules.append(rule)

    @staticmethod
    def _cell_ink(page: Page, g: _GroupPaint, rating: Rating) -> _CellInk:
        """Where *rating*'s cells go on *page*: the same lists :meth:`queue_fill` and
        :meth:`queue_stamp` add to."""
        fill, stamp = g.cells[rating]
        entry = page.fills.get(fill.rgba())
        if entry is None:
            entry = page.fills[fill.rgba()] = (fill, [])
        batch = page.batches.get(stamp.key)
        if batch is None:
            batch = page.batches[stamp.key] = GlyphBatch(stamp.raw, stamp.colour)
        return (entry[1].append, batch.glyphs.extend, batch.positions.extend, stamp.glyphs, stamp.baseline)

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
