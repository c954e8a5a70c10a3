"""The report's sections on the method around the matrix: Heuer's steps as a short
completion table, each hypothesis's milestones and each source's deception check."""

from __future__ import annotations

from PySide6.QtCore import QLineF
from PySide6.QtGui import QColor, QPainter, QPen

from hyp_board.core.checklist import StepStatus
from hyp_board.reports.model import Report, ReportDocument, ReportHypothesis
from hyp_board.reports.pdf_layout import BLACK, GRID, MUTED, Flow, lay_out

DONE = QColor("#1b6e2d")
OVERDUE = QColor("#b3261e")
_STATUS_COLOURS = {StepStatus.DONE: DONE, StepStatus.PARTLY: QColor("#8a5a00"), StepStatus.TO_DO: MUTED}


class MethodSection(Flow):
    def steps_table(self, report: Report) -> None:
        """Heuer's eight steps: step, status, where the project stands; one row each."""
        if not report.steps:
            return
        font, bold = self.fonts.get(8.5), self.fonts.get(8.5, bold=True)
        widths = [self.width * 0.36, self.width * 0.16, self.width * 0.48]
        pad = self.pt(2.5)
        rows = []
        for step in report.steps:
            cells = [
                (lay_out(f"{step.number}. {step.title}", bold, widths[0] - 2 * pad, self.device), BLACK),
                (
                    lay_out(
                        f"{step.status.symbol} {step.status.value}", font, widths[1] - 2 * pad, self.device
                    ),
                    _STATUS_COLOURS[step.status],
                ),
                (lay_out(step.detail, font, widths[2] - 2 * pad, self.device), BLACK),
            ]
            rows.append((cells, max(box.height for box, _ in cells) + 2 * pad))
        total = sum(height for _, height in rows) + self.pt(30)  # with its heading
        if total > self.remaining and total < self.body_height:
            self.new_page()  # a short table is read whole
        self.heading("Heuer's steps")
        for cells, height in rows:
            if height > self.remaining:
                self.new_page()
            y0 = self.y

            def draw(p: QPainter, cells=cells, y0=y0, height=height) -> None:  # type: ignore[no-untyped-def]
                x = 0.0
                for (box, colour), width in zip(cells, widths, strict=True):
                    box.draw(p, x + pad, y0 + pad, colour)
                    x += width
                p.setPen(QPen(GRID, self.pt(0.4)))
                p.drawLine(QLineF(0, y0 + height, self.width, y0 + height))

            self.add(draw)
            self.y += height
        self.space(8)

    def milestones(self, h: ReportHypothesis) -> None:
        if not h.milestones:
            return
        self.text("Milestones: if this is true, we expect to see…", size=8.5, bold=True, indent=10, after=1)
        for m in h.milestones:
            due = f" by {m.due}" if m.due else ""
            state = f" · {m.due_state.upper()}" if m.due_state else ""
            keep = 10 if m.note.strip() else 0
            self.text(
                f"• {m.text}{due} — {m.status.lower()}{state}",
                size=8.5,
                indent=16,
                after=1,
                keep_with_next=keep,
            )
            if m.note.strip():
                self.text(m.note.strip(), size=8, italic=True, colour=MUTED, indent=24, after=1)
        self.space(4)

    def deception_check(self, doc: ReportDocument) -> None:
        check = doc.check
        if check is None:
            return
        colour = OVERDUE if check.high else BLACK
        self.text(
            f"Deception check: concern {check.level} ({check.basis})",
            size=8.5,
            bold=True,
            colour=colour,
            indent=10,
            after=1,
            keep_with_next=20,
        )
        for q, a, note in check.answers:
            self.text(f"{q}: {a}" + (f" — {note}" if note.strip() else ""), size=8.5, indent=20, after=1)
        if check.note.strip():
            self.text(check.note.strip(), size=8.5, indent=20, after=1)
        if check.without:
            self.text(check.without, size=8.5, italic=True, colour=MUTED, indent=20, after=1)
        self.space(5)

    def high_concern_items(self, report: Report) -> None:
        high = report.high_concern_sources
        if not high:
            return
        listed = "; ".join(f"{', '.join(d.refs) or 'none'} (“{d.title}”)" for d in high)
        self.text(
            f"Items from sources of high concern: {listed}.", size=9, bold=True, colour=OVERDUE, after=6
        )
