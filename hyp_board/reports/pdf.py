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
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFontDatabase,
    QGuiApplication,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
)

from hyp_board import APP_NAME
from hyp_board.atomic import atomic_path
from hyp_board.core.bulk import collector_paused
from hyp_board.core.colours import marking_colours, rating_colours
from hyp_board.core.method import marking_tone
from hyp_board.core.model import RATING_LABELS, Rating
from hyp_board.core.wording import counted
from hyp_board.paths import resources_dir
from hyp_board.reports.model import LEADER_MARK, Report
from hyp_board.reports.pdf_analysis import AnalysisSection
from hyp_board.reports.pdf_layout import (
    BLACK,
    BODY_POINT_SIZE,
    FONT_FAMILY,
    GRID,
    MUTED,
    ExportCancelled,
    Progress,
    ReportError,
    lay_out,
)
from hyp_board.reports.pdf_matrix import MIN_MATRIX_POINT_SIZE, MatrixSection
from hyp_board.reports.pdf_method import MethodSection

__all__ = [
    "MIN_MATRIX_POINT_SIZE",
    "ExportCancelled",
    "PageSetup",
    "ReportError",
    "render_report",
    "write_pdf",
]

FONT_FILES = (
    "DejaVuSansCondensed.ttf",
    "DejaVuSansCondensed-Bold.ttf",
    "DejaVuSansCondensed-Oblique.ttf",
    "DejaVuSansCondensed-BoldOblique.ttf",
)
RESOLUTION = 300  # dots per inch of the PDF's drawing coordinates


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
    report: Report,
    path: Path,
    setup: PageSetup | None = None,
    progress: Progress | None = None,
    free_memory: bool = True,
) -> int:
    """Write *report* to *path* (atomically); returns the number of pages. *free_memory*:
    see :func:`render_report`."""
    setup = setup or PageSetup()
    load_fonts()
    with atomic_path(Path(path)) as tmp:
        writer = QPdfWriter(str(tmp))
        writer.setResolution(RESOLUTION)
        writer.setPageLayout(setup.page_layout())
        writer.setTitle(report.title)
        writer.setCreator(APP_NAME)
        pages = render_report(report, writer, progress, details=setup.details, free_memory=free_memory)
        del writer  # closes the file
        data = tmp.read_bytes()
        if b"/FontFile2" not in data and b"/FontFile3" not in data:
            raise ReportError(
                "No text could be rendered into the PDF (no font was embedded); nothing was written."
            )
    return pages


def render_report(
    report: Report,
    device: QPagedPaintDevice,
    progress: Progress | None = None,
    details: bool = True,
    free_memory: bool = True,
) -> int:
    """Lay out and paint *report* on any paged device (a PDF writer or a printer).

    *free_memory*: free the layout now (False when the process ends right after, which
    leaves it to the operating system at no cost)."""
    load_fonts()
    # The layout holds a few hundred thousand small objects until the last page is
    # painted; the cycle collector re-walked them all as they accumulated.
    with collector_paused():
        composer = Composer(device, progress)
        try:
            composer.compose(report, details)
            return composer.paint(report.title)
        finally:
            if free_memory:
                composer.let_go()


# -- layout primitives ----------------------------------------------------------------
class Composer(MatrixSection, AnalysisSection, MethodSection):
    """The whole report: title block, legend, matrix, analysis, Heuer's steps,
    hypotheses with their milestones, sources with their deception checks, evidence,
    notes; the marking at the top and the bottom of every page."""

    # -- the report ------------------------------------------------------------------------
    def compose(self, report: Report, details: bool = True) -> None:
        self.set_marking(report.marking, marking_colours(marking_tone(report.marking).value))
        self.title_block(report)
        self.legend()
        self.matrix(report)
        if not details:
            self.tick(1.0)
            return
        self.analysis(report)
        self.steps_table(report)
        self.hypotheses(report)
        self.sources(report)
        self.evidence(report)
        if report.notes.strip():
            self.heading("Notes and conclusions")
            self.html(report.notes)
        self.tick(1.0)

    def title_block(self, report: Report) -> None:
        self.text(report.title, size=17, bold=True, after=4, full_width=True)
        if report.question:
            self.text(f"Key question: {report.question}", size=11, after=4, full_width=True)
        self.text(
            f"Report of {report.generated.isoformat()} · {counted(len(report.evidence), 'evidence item')} · "
            f"{counted(len(report.hypotheses), 'hypothesis')}",
            size=8.5,
            colour=MUTED,
            after=5,
            full_width=True,
        )
        self.text(report.ranking, size=10.5, bold=True, after=3, full_width=True)
        if report.sensitivity:
            self.text(report.sensitivity, size=9, after=6, full_width=True)

    def legend(self) -> None:
        """The rating chips with their meaning, wrapping onto more rows on a narrow page."""
        font = self.fonts.get(7.5)
        row_h = self.pt(12)
        chip_w = self.pt(18)
        items, x, row = [], 0.0, 0
        for rating, label in RATING_LABELS.items():
            box = lay_out(label, font, self.pt(80), self.device)
            width = chip_w + self.pt(4) + box.layout.boundingRect().width()
            if x > 0 and x + width > self.page_width:
                x, row = 0.0, row + 1
            items.append((x, row, rating, box))
            x += width + self.pt(12)
        note = lay_out(
            "Cred./Rel.: H high, M medium, L low · Diag.: diagnosticity 0–4 · "
            f"{LEADER_MARK} least inconsistent · empty cell: unrated",
            font,
            self.page_width,
            self.device,
        )
        height = (row + 1) * row_h + note.height
        if self.remaining < height:
            self.new_page()
        y0 = self.y

        def draw(p: QPainter) -> None:
            for x0, r, rating, box in items:
                top = y0 + r * row_h
                self._chip(p, QRectF(x0, top, chip_w, self.pt(10)), rating, 7.5)
                box.draw(p, x0 + chip_w + self.pt(4), top + self.pt(1), BLACK)
            note.draw(p, 0, y0 + (row + 1) * row_h, MUTED)

        self.add(draw)
        self.y += height
        self.space(6)

    def _chip(self, p: QPainter, rect: QRectF, rating: Rating, size: float) -> None:
        bg, fg = rating_colours(rating)
        p.fillRect(rect, QColor(bg))
        p.setPen(QPen(GRID, 0))
        p.drawRect(rect)
        p.setPen(QColor(fg))
        p.setFont(self.fonts.get(size, bold=rating in (Rating.CC, Rating.II)))
        p.drawText(rect, Qt.AlignmentFlag.AlignCenter, rating.value)

    # -- sections ------------------------------------------------------------------------------
    def hypotheses(self, report: Report) -> None:
        self.heading("Hypotheses")
        for h in report.hypotheses:
            mark = f"  {LEADER_MARK} least inconsistent" if h.leader else ""
            self.text(f"{h.ref}. {h.label}{mark}", size=10.5, bold=True, after=1, keep_with_next=24)
            self.text(
                f"Rank {h.rank_text} · inconsistency {h.inconsistency} · weighted {h.weighted:.2f}",
                size=8.5,
                colour=MUTED,
                after=2,
            )
            self.html(h.description, indent=10, after=6)
            self.milestones(h)

    def sources(self, report: Report) -> None:
        if not report.documents:
            return
        self.heading("Sources")
        for doc in report.documents:
            self.text(doc.title, size=10, bold=True, after=1, keep_with_next=20)
            items = f"{doc.items} evidence item{'s' if doc.items != 1 else ''} quoted"
            self.text(f"{doc.details} · {items}", size=8.5, colour=MUTED, after=5)
            self.deception_check(doc)
        self.high_concern_items(report)

    def evidence(self, report: Report) -> None:
        self.heading("Evidence")
        count = len(report.evidence)
        labels = [h.titled for h in report.hypotheses]
        for index, ev in enumerate(report.evidence):
            title = f"{ev.ref}. {ev.summary}" + ("" if ev.included else "  (excluded from scoring)")
            parts = [(title, self.fonts.get(9.5, bold=True), BLACK)]
            if ev.quote:
                parts.append((f"“{ev.quote}”", self.fonts.get(BODY_POINT_SIZE, italic=True), BLACK))
            meta = [
                f"Source: {ev.source or 'not given'}",
                *([f"document {ev.document_text}"] if ev.document else []),
                f"date {ev.date or 'none'}",
                ev.kind,
                ev.credibility_text,
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
            # One part for them all, as one stretch of one style: the text and its look
            # are those of a part per reason, for a fraction of the work per item.
            parts.append(("\u2028".join(reasons) or "No reasons recorded.", small, BLACK))
            self.item(parts, indent=10, after=1)
            if ev.notes.strip():
                self.html(ev.notes, indent=10, after=2)
            self.space(5)
            if index % 25 == 0:
                self.tick(0.5 + 0.5 * index / max(count, 1))
