"""The *Analysis* section of the PDF report: findings in sentences, the charts as vectors,
and the likelihood view's table with its mapping and caveat."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter

from hyp_board.core.analysis_text import likelihood_sentences, sensitivity_findings
from hyp_board.core.likelihood import INDEPENDENCE_CAVEAT
from hyp_board.reports import chart_data, charts, charts_history, charts_timeline
from hyp_board.reports.analysis_tables import diagnostic_rows, likelihood_rows, mapping_lines
from hyp_board.reports.model import Report
from hyp_board.reports.pdf_layout import BLACK, FONT_FAMILY, GRID, MUTED, Flow, TextBox, lay_out

CHART_WIDTH_POINTS = 720
HEADER_FILL = QColor("#eef1f5")


class AnalysisSection(Flow):
    def analysis(self, report: Report) -> None:
        a = report.analysis
        if a is None or not a.scores:
            return
        self.heading("Analysis")
        for sentence in sensitivity_findings(a):
            self.text(sentence, size=9.5, after=2)
        style = charts.chart_style(FONT_FAMILY)
        width = min(self.page_width, self.pt(CHART_WIDTH_POINTS))
        self.space(4)

        scores = chart_data.scores_chart(a)
        room = self.body_height / self.unit - 60
        row = max(8.0, min(charts.ROW_POINTS, room / (len(scores.bars) + 1)))
        self._chart(
            "Scores and posteriors",
            charts.scores_height(scores, self.unit, row, width),
            lambda p, r: charts.paint_scores(p, r, scores, style, self.unit, row),
            width,
        )
        tornado = chart_data.tornado(a)
        if tornado is not None and tornado.bars:
            self._chart(
                "What each item is worth to the lead",
                charts.tornado_height(tornado, self.unit, width),
                lambda p, r: charts.paint_tornado(p, r, tornado, style, self.unit),
                width,
            )
        if a.input.items:
            line = chart_data.timeline(a, a.leaders[0])
            self._chart(
                "Evidence over time",
                charts_timeline.timeline_height(line, width, style, self.unit, self.device),
                lambda p, r: charts_timeline.paint_timeline(p, r, line, style, self.unit),
                width,
            )

        if report.conclusion is not None and report.conclusion.points:
            history = report.conclusion
            self._chart(
                "How the conclusion moved",
                charts_history.history_height(history, width, style, self.unit, self.device),
                lambda p, r: charts_history.paint_history(p, r, history, style, self.unit),
                width,
            )

        self._subheading("Likelihood view")
        self._table(
            ["Hypothesis", "Weighted inconsistency", "Heuer rank", "Prior", "Posterior"],
            likelihood_rows(a),
            [0.4, 0.18, 0.12, 0.12, 0.12],
            {1, 2, 3, 4},
        )
        for line_text in mapping_lines(a):
            self.text(line_text, size=8.5, colour=MUTED, after=2)
        for sentence in likelihood_sentences(a):
            self.text(sentence, size=9.5, after=2)
        self.text(INDEPENDENCE_CAVEAT, size=8.5, italic=True, after=4)
        rows = diagnostic_rows(a)
        if rows:
            self.text(
                "Most diagnostic items: the largest ratio between an item's likelihoods under two "
                "hypotheses (1: no diagnostic value), and its base-10 logarithm.",
                size=8.5,
                colour=MUTED,
                after=2,
                keep_with_next=40,
            )
            self._table(
                ["#", "Evidence", "Likelihood ratio", "log₁₀"], rows, [0.07, 0.63, 0.16, 0.14], {2, 3}
            )

    # -- helpers ---------------------------------------------------------------------------
    def _subheading(self, text: str, keep_with: float = 60) -> None:
        self.space(4)
        self.text(text, size=10.5, bold=True, after=3, keep_with_next=keep_with)

    def _chart(
        self, title: str, height: float, paint: Callable[[QPainter, QRectF], None], width: float
    ) -> None:
        """A chart under its title, the two kept on one page."""
        height = min(height, self.body_height - self.pt(30))
        self._subheading(title, keep_with=height / self.unit + 4)
        y0 = self.y

        def draw(p: QPainter) -> None:
            p.save()
            p.setClipRect(QRectF(0, y0, width, height))
            paint(p, QRectF(0, y0, width, height))
            p.restore()

        self.add(draw)
        self.y += height
        self.space(6)

    def _table(
        self, header: Sequence[str], rows: Sequence[Sequence[str]], shares: Sequence[float], numeric: set[int]
    ) -> None:
        """A plain table at prose width: wrapped cells, a shaded header repeated on each page."""
        pad = self.pt(2.5)
        widths = [self.width * s for s in shares]
        xs = [sum(widths[:i]) for i in range(len(widths))]
        bold, body = self.fonts.get(8.5, bold=True), self.fonts.get(8.5)

        def boxes(cells: Sequence[str], font) -> list[TextBox]:  # type: ignore[no-untyped-def]
            return [
                lay_out(
                    c, font, w - 2 * pad, self.device, Qt.AlignmentFlag.AlignRight if i in numeric else None
                )
                for i, (c, w) in enumerate(zip(cells, widths, strict=True))
            ]

        head = boxes(header, bold)
        head_h = max(b.height for b in head) + 2 * pad

        def place(row_boxes: list[TextBox], height: float, fill: QColor | None) -> None:
            y0 = self.y

            def draw(p: QPainter) -> None:
                if fill is not None:
                    p.fillRect(QRectF(0, y0, self.width, height), fill)
                for x, box in zip(xs, row_boxes, strict=True):
                    box.draw(p, x + pad, y0 + pad, BLACK)
                p.setPen(GRID)
                p.drawLine(0, int(y0 + height), int(self.width), int(y0 + height))

            self.add(draw)
            self.y += height

        if head_h * 2 > self.remaining:
            self.new_page()
        place(head, head_h, HEADER_FILL)
        for cells in rows:
            row_boxes = boxes(cells, body)
            height = max(b.height for b in row_boxes) + 2 * pad
            if height > self.remaining:
                self.new_page()
                place(head, head_h, HEADER_FILL)
            place(row_boxes, height, None)
        self.space(5)
