"""The analysis charts drawn with QPainter: vectors in the PDF, the same code in the window.

QtGui only (no widgets), so the report writer can use it headless. Every chart is
painted into a rectangle on any paint device; sizes are given in points and turned into
device units with *unit* (device units per point), so one drawing serves a 300 dpi PDF
and a screen alike. The charts read in greyscale: ties, the lead and ratings are told by
position, outline and letters, not by colour alone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPaintDevice, QPainter, QPen

from hyp_board.reports.chart_data import ScoresChartData, TornadoData

FONT_POINTS = 8.0
ROW_POINTS = 15.0


@dataclass(frozen=True)
class ChartStyle:
    family: str
    dark: bool
    text: QColor
    muted: QColor
    grid: QColor
    bar: QColor
    leader: QColor  # the leading hypothesis's bar
    posterior: QColor
    weakens: QColor  # a removal that narrows the lead
    loses: QColor  # … that hands the lead over
    strengthens: QColor


def chart_style(family: str, dark: bool = False) -> ChartStyle:
    if dark:
        return ChartStyle(
            family,
            True,
            QColor("#e6e6e6"),
            QColor("#a8a8a8"),
            QColor("#5a5a5a"),
            QColor("#7d8590"),
            QColor("#e0e0e0"),
            QColor("#5f9fe0"),
            QColor("#b5733f"),
            QColor("#f08a4b"),
            QColor("#6a8fb8"),
        )
    return ChartStyle(
        family,
        False,
        QColor("#000000"),
        QColor("#5c5c5c"),
        QColor("#b4b4b4"),
        QColor("#9aa3ad"),
        QColor("#2b2b2b"),
        QColor("#1f5fa8"),
        QColor("#e8a46d"),
        QColor("#b2400c"),
        QColor("#b7d4f0"),
    )


class Pen:
    """Fonts and pens in points for one painter (or none, to measure only)."""

    def __init__(
        self, p: QPainter | None, style: ChartStyle, unit: float, device: QPaintDevice | None = None
    ) -> None:
        self._painter, self.style, self.unit = p, style, unit
        self.device = device if device is not None else p.device()  # type: ignore[union-attr]

    @property
    def p(self) -> QPainter:
        assert self._painter is not None
        return self._painter

    @property
    def measuring(self) -> bool:
        return self._painter is None

    def pt(self, points: float) -> float:
        return points * self.unit

    def font(self, points: float = FONT_POINTS, bold: bool = False) -> QFont:
        font = QFont(self.style.family)
        font.setPointSizeF(points)
        font.setBold(bold)
        return font

    def metrics(self, font: QFont) -> QFontMetricsF:
        return QFontMetricsF(font, self.device)

    def text(
        self, rect: QRectF, text: str, colour: QColor, align: Qt.AlignmentFlag, font: QFont | None = None
    ) -> None:
        font = font or self.font()
        self.p.setFont(font)
        self.p.setPen(colour)
        elided = self.metrics(font).elidedText(text, Qt.TextElideMode.ElideRight, rect.width())
        self.p.drawText(rect, int(align | Qt.AlignmentFlag.AlignVCenter), elided)

    def line(self, a: QPointF, b: QPointF, colour: QColor, width: float = 0.5, dashed: bool = False) -> None:
        pen = QPen(colour, self.pt(width))
        if dashed:
            pen.setStyle(Qt.PenStyle.DashLine)
        self.p.setPen(pen)
        self.p.drawLine(a, b)

    def box(self, rect: QRectF, fill: QColor | None, outline: QColor | None, width: float = 0.5) -> None:
        self.p.setPen(QPen(outline, self.pt(width)) if outline is not None else Qt.PenStyle.NoPen)
        self.p.setBrush(QBrush(fill) if fill is not None else Qt.BrushStyle.NoBrush)
        self.p.drawRect(rect)
        self.p.setBrush(Qt.BrushStyle.NoBrush)


def nice_step(span: float, ticks: int = 5) -> float:
    """A round tick interval (1, 2 or 5 × 10ⁿ) giving about *ticks* ticks over *span*."""
    if span <= 0:
        return 1.0
    raw = span / ticks
    power = 10.0 ** math.floor(math.log10(raw))
    return next(m * power for m in (1.0, 2.0, 5.0, 10.0) if m * power >= raw)


def _ticks(lo: float, hi: float) -> list[float]:
    step = nice_step(hi - lo)
    first = math.ceil(lo / step - 1e-9) * step
    return [first + i * step for i in range(int((hi - first) / step + 1e-9) + 1)]


def _number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") if abs(value - round(value)) > 1e-9 else f"{value:.0f}"


# -- scores per hypothesis -------------------------------------------------------------------
def scores_height(data: ScoresChartData, unit: float, row_points: float = ROW_POINTS) -> float:
    return unit * (row_points * (len(data.bars) + 1) + 14)


def paint_scores(
    p: QPainter,
    rect: QRectF,
    data: ScoresChartData,
    style: ChartStyle,
    unit: float,
    row_points: float = ROW_POINTS,
) -> None:
    """Weighted inconsistency per hypothesis, best first (shorter is better), ties joined
    by a bracket; the likelihood view's posterior beside each."""
    d = Pen(p, style, unit)
    row, bar_h = d.pt(row_points), d.pt(min(9, row_points * 0.6))
    rank_w = d.pt(20)
    name_w = min(rect.width() * 0.3, d.pt(150))
    post_w = min(rect.width() * 0.22, d.pt(120))
    gap = d.pt(8)
    x_bar = rect.left() + rank_w + name_w + gap
    bar_w = rect.right() - post_w - gap - x_bar - d.pt(30)  # room for the value after the bar
    x_post = rect.right() - post_w
    top = rect.top() + row
    d.text(
        QRectF(x_bar, rect.top(), bar_w, row),
        "Weighted inconsistency (shorter is better)",
        style.muted,
        Qt.AlignmentFlag.AlignLeft,
    )
    d.text(
        QRectF(x_post, rect.top(), post_w, row),
        "Posterior (likelihood view)",
        style.muted,
        Qt.AlignmentFlag.AlignLeft,
    )
    highest = max((b.weighted for b in data.bars), default=0.0) or 1.0
    scale = bar_w / highest
    bottom = top + row * len(data.bars)
    for tick in _ticks(0, highest):
        x = x_bar + tick * scale
        d.line(QPointF(x, top), QPointF(x, bottom), style.grid, 0.3)
        d.text(
            QRectF(x - d.pt(20), bottom, d.pt(40), d.pt(12)),
            _number(tick),
            style.muted,
            Qt.AlignmentFlag.AlignHCenter,
            d.font(7),
        )
    d.line(QPointF(x_bar, top), QPointF(x_bar, bottom), style.muted, 0.6)
    bold, plain = d.font(bold=True), d.font()
    tied_runs: dict[float, list[float]] = {}
    for i, b in enumerate(data.bars):
        y = top + i * row
        centre = y + row / 2
        font = bold if b.leader else plain
        d.text(QRectF(rect.left(), y, rank_w, row), b.rank_text, style.text, Qt.AlignmentFlag.AlignLeft, font)
        label = f"★ {b.name}" if b.leader else b.name
        d.text(
            QRectF(rect.left() + rank_w, y, name_w, row), label, style.text, Qt.AlignmentFlag.AlignLeft, font
        )
        width = b.weighted * scale
        bar = QRectF(x_bar, centre - bar_h / 2, max(width, d.pt(0.8)), bar_h)
        d.box(bar, style.leader if b.leader else style.bar, style.text if b.leader else None, 0.6)
        d.text(
            QRectF(x_bar + width + d.pt(3), y, d.pt(40), row),
            f"{b.weighted:.2f}",
            style.text,
            Qt.AlignmentFlag.AlignLeft,
            font,
        )
        if b.rank_text.endswith("="):
            tied_runs.setdefault(b.weighted, []).append(centre)
        post = QRectF(x_post, centre - bar_h / 2, (post_w - d.pt(32)) * b.posterior, bar_h)
        d.box(QRectF(x_post, centre - bar_h / 2, post_w - d.pt(32), bar_h), None, style.grid, 0.4)
        d.box(post, style.posterior, None)
        d.text(
            QRectF(rect.right() - d.pt(30), y, d.pt(30), row),
            f"{b.posterior:.2f}",
            style.text,
            Qt.AlignmentFlag.AlignRight,
            plain,
        )
    # A bracket just past the longest label joins tied hypotheses: equal, not nearly so.
    for value, centres in tied_runs.items():
        if len(centres) < 2:
            continue
        x = x_bar + value * scale + d.pt(28)
        pen_top, pen_bottom = centres[0] - bar_h / 2, centres[-1] + bar_h / 2
        d.line(QPointF(x, pen_top), QPointF(x, pen_bottom), style.text, 0.8)
        for c in (pen_top, pen_bottom):
            d.line(QPointF(x - d.pt(3), c), QPointF(x, c), style.text, 0.8)
        d.text(
            QRectF(x + d.pt(2), (pen_top + pen_bottom) / 2 - d.pt(6), d.pt(30), d.pt(12)),
            "tie",
            style.text,
            Qt.AlignmentFlag.AlignLeft,
            d.font(7),
        )
    if not data.rated:
        d.text(
            QRectF(x_bar, bottom, bar_w, row),
            "No inconsistent evidence rated yet.",
            style.muted,
            Qt.AlignmentFlag.AlignLeft,
        )


# -- tornado ------------------------------------------------------------------------------------
def tornado_height(data: TornadoData, unit: float) -> float:
    return unit * (ROW_POINTS * (len(data.bars) + 2) + 16)


def paint_tornado(p: QPainter, rect: QRectF, data: TornadoData, style: ChartStyle, unit: float) -> None:
    """How the leader's margin moves if each of the most influential items is removed."""
    d = Pen(p, style, unit)
    row, bar_h = d.pt(ROW_POINTS), d.pt(9)
    label_w = min(rect.width() * 0.4, d.pt(260))
    value_w = d.pt(36)  # room either side of the plot for the values at the bars' ends
    x0 = rect.left() + label_w + d.pt(8) + value_w
    plot_w = rect.right() - x0 - value_w
    changes = [b.change for b in data.bars]
    lo = min([*changes, -data.margin, 0.0])
    hi = max([*changes, 0.0])
    if hi - lo < 1e-9:
        hi = lo + 1
    lo -= (hi - lo) * 0.04
    hi += (hi - lo) * 0.04

    def x_of(v: float) -> float:
        return x0 + (v - lo) / (hi - lo) * plot_w

    top = rect.top() + row
    bottom = top + row * len(data.bars)
    caption = f"Lead of {data.reference}: {data.margin:.2f}. Bar: change if the item is removed."
    d.text(
        QRectF(rect.left(), rect.top(), rect.width(), row), caption, style.muted, Qt.AlignmentFlag.AlignLeft
    )
    for tick in _ticks(lo, hi):
        x = x_of(tick)
        d.line(QPointF(x, top), QPointF(x, bottom), style.grid, 0.3)
        d.text(
            QRectF(x - d.pt(20), bottom, d.pt(40), d.pt(12)),
            _number(tick),
            style.muted,
            Qt.AlignmentFlag.AlignHCenter,
            d.font(7),
        )
    lost_x = x_of(-data.margin)
    for i, b in enumerate(data.bars):
        y = top + i * row
        centre = y + row / 2
        d.text(QRectF(rect.left(), y, label_w, row), b.label, style.text, Qt.AlignmentFlag.AlignLeft)
        left, right = sorted((x_of(0), x_of(b.change)))
        loses = b.change <= -data.margin + 1e-9
        fill = style.loses if loses else style.weakens if b.change < 0 else style.strengthens
        d.box(QRectF(left, centre - bar_h / 2, right - left, bar_h), fill, style.text if loses else None, 0.6)
        sign = "+" if b.change > 0 else "−"
        where = (
            QRectF(right + d.pt(3), y, d.pt(34), row)
            if b.change > 0
            else QRectF(left - d.pt(37), y, d.pt(34), row)
        )
        align = Qt.AlignmentFlag.AlignLeft if b.change > 0 else Qt.AlignmentFlag.AlignRight
        d.text(where, f"{sign}{abs(b.change):.2f}", style.text, align, d.font(7))
    d.line(QPointF(x_of(0), top), QPointF(x_of(0), bottom), style.text, 0.8)
    if data.margin > 0 or any(b.change < 0 for b in data.bars):
        d.line(QPointF(lost_x, top - d.pt(3)), QPointF(lost_x, bottom), style.loses, 1.0, dashed=True)
        d.text(
            QRectF(lost_x - d.pt(60), bottom + d.pt(10), d.pt(120), d.pt(12)),
            "rival draws level",
            style.text,
            Qt.AlignmentFlag.AlignHCenter,
            d.font(7, bold=True),
        )
    if data.more:
        d.text(
            QRectF(rect.left(), bottom + d.pt(10), label_w, d.pt(12)),
            f"and {data.more} more items that move it less",
            style.muted,
            Qt.AlignmentFlag.AlignLeft,
            d.font(7),
        )
