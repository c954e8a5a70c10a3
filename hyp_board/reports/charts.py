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
NARROW_POINTS = 400.0  # below this width, labels stand above their bars
STACKED_LINE = 0.85  # a stacked label's line, and its bar's, as a share of a row


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
def narrow(width: float, unit: float) -> bool:
    """Too narrow for labels beside the bars: each label goes on a line above its bar."""
    return width < unit * NARROW_POINTS


def _tick_marks(
    d: Pen,
    style: ChartStyle,
    spans: list[tuple[float, float]],
    bottom: float,
    ticks: list[tuple[float, float]],
) -> None:
    """A grid rule and its number under the chart for each (value, x)."""
    for tick, x in ticks:
        _rule(d, x, spans, style.grid, 0.3)
        d.text(
            QRectF(x - d.pt(20), bottom, d.pt(40), d.pt(12)),
            _number(tick),
            style.muted,
            Qt.AlignmentFlag.AlignHCenter,
            d.font(7),
        )


def _rule(
    d: Pen, x: float, spans: list[tuple[float, float]], colour: QColor, width: float, dashed: bool = False
) -> None:
    """A vertical rule over the bars' lines only (stacked labels stay clear of it)."""
    for top, bottom in spans:
        d.line(QPointF(x, top), QPointF(x, bottom), colour, width, dashed)


def _spans(top: float, count: int, slot: float, line_h: float, stacked: bool) -> list[tuple[float, float]]:
    if not stacked:
        return [(top, top + slot * count)]
    return [(top + i * slot + line_h, top + (i + 1) * slot) for i in range(count)]


def _slot(row: float, stacked: bool) -> float:
    return 2 * STACKED_LINE * row if stacked else row


def scores_height(
    data: ScoresChartData, unit: float, row_points: float = ROW_POINTS, width: float | None = None
) -> float:
    row = unit * row_points
    stacked = width is not None and narrow(width, unit)
    return row + len(data.bars) * _slot(row, stacked) + unit * 14


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
    stacked = narrow(rect.width(), unit)
    slot = _slot(row, stacked)
    rank_w = d.pt(20)
    name_w = 0.0 if stacked else min(rect.width() * 0.3, d.pt(150))
    post_w = min(rect.width() * 0.22, d.pt(120))
    gap = d.pt(8)
    x_bar = rect.left() + rank_w + name_w + (0 if stacked else gap)
    bar_w = rect.right() - post_w - gap - x_bar - d.pt(30)  # room for the value after the bar
    x_post = rect.right() - post_w
    top = rect.top() + row
    d.text(
        QRectF(x_bar, rect.top(), bar_w, row),
        "Weighted inconsistency" if stacked else "Weighted inconsistency (shorter is better)",
        style.muted,
        Qt.AlignmentFlag.AlignLeft,
    )
    d.text(
        QRectF(x_post, rect.top(), post_w, row),
        "Posterior" if stacked else "Posterior (likelihood view)",
        style.muted,
        Qt.AlignmentFlag.AlignLeft,
    )
    highest = max((b.weighted for b in data.bars), default=0.0) or 1.0
    scale = bar_w / highest
    bottom = top + slot * len(data.bars)
    spans = _spans(top, len(data.bars), slot, STACKED_LINE * row, stacked)
    _tick_marks(d, style, spans, bottom, [(tick, x_bar + tick * scale) for tick in _ticks(0, highest)])
    _rule(d, x_bar, spans, style.muted, 0.6)
    bold, plain = d.font(bold=True), d.font()
    tied_runs: dict[float, list[float]] = {}
    for i, b in enumerate(data.bars):
        label_y = top + i * slot
        label_h = STACKED_LINE * row if stacked else row
        y = label_y + label_h if stacked else label_y  # the bar's line
        line_h = label_h if stacked else row
        centre = y + line_h / 2
        font = bold if b.leader else plain
        left = Qt.AlignmentFlag.AlignLeft
        d.text(QRectF(rect.left(), label_y, rank_w, label_h), b.rank_text, style.text, left, font)
        label = f"★ {b.name}" if b.leader else b.name
        label_w = rect.width() - rank_w if stacked else name_w
        d.text(QRectF(rect.left() + rank_w, label_y, label_w, label_h), label, style.text, left, font)
        width = b.weighted * scale
        bar = QRectF(x_bar, centre - bar_h / 2, max(width, d.pt(0.8)), bar_h)
        d.box(bar, style.leader if b.leader else style.bar, style.text if b.leader else None, 0.6)
        d.text(
            QRectF(x_bar + width + d.pt(3), y, d.pt(40), line_h),
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
            QRectF(rect.right() - d.pt(30), y, d.pt(30), line_h),
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
def tornado_height(data: TornadoData, unit: float, width: float | None = None) -> float:
    row = unit * ROW_POINTS
    stacked = width is not None and narrow(width, unit)
    captions = 2 if stacked else 1
    return row * captions + len(data.bars) * _slot(row, stacked) + unit * (40 if data.more else 28)


def paint_tornado(p: QPainter, rect: QRectF, data: TornadoData, style: ChartStyle, unit: float) -> None:
    """How the leader's margin moves if each of the most influential items is removed."""
    d = Pen(p, style, unit)
    row, bar_h = d.pt(ROW_POINTS), d.pt(9)
    stacked = narrow(rect.width(), unit)
    slot = _slot(row, stacked)
    line_h = STACKED_LINE * row if stacked else row
    label_w = rect.width() if stacked else min(rect.width() * 0.4, d.pt(260))
    value_w = d.pt(36)  # room either side of the plot for the values at the bars' ends
    x0 = rect.left() + value_w + (0 if stacked else label_w + d.pt(8))
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

    lead = f"Lead of {data.reference}: {data.margin:.2f}."
    explain = "Each bar: how it changes if the item is removed."
    captions = [lead, explain] if stacked else [f"{lead} {explain}"]
    for i, caption in enumerate(captions):
        d.text(
            QRectF(rect.left(), rect.top() + i * row, rect.width(), row),
            caption,
            style.muted,
            Qt.AlignmentFlag.AlignLeft,
        )
    top = rect.top() + row * len(captions)
    bottom = top + slot * len(data.bars)
    spans = _spans(top, len(data.bars), slot, line_h, stacked)
    _tick_marks(d, style, spans, bottom, [(tick, x_of(tick)) for tick in _ticks(lo, hi)])
    lost_x = x_of(-data.margin)
    for i, b in enumerate(data.bars):
        label_y = top + i * slot
        y = label_y + line_h if stacked else label_y  # the bar's line
        centre = y + line_h / 2
        d.text(QRectF(rect.left(), label_y, label_w, line_h), b.label, style.text, Qt.AlignmentFlag.AlignLeft)
        left, right = sorted((x_of(0), x_of(b.change)))
        loses = b.change <= -data.margin + 1e-9
        fill = style.loses if loses else style.weakens if b.change < 0 else style.strengthens
        d.box(QRectF(left, centre - bar_h / 2, right - left, bar_h), fill, style.text if loses else None, 0.6)
        sign = "+" if b.change > 0 else "−"
        if b.change > 0:
            where, align = QRectF(right + d.pt(3), y, d.pt(34), line_h), Qt.AlignmentFlag.AlignLeft
        else:
            where, align = QRectF(left - d.pt(37), y, d.pt(34), line_h), Qt.AlignmentFlag.AlignRight
        d.text(where, f"{sign}{abs(b.change):.2f}", style.text, align, d.font(7))
    _rule(d, x_of(0), spans, style.text, 0.8)
    if data.margin > 0 or any(b.change < 0 for b in data.bars):
        _rule(d, lost_x, spans, style.loses, 1.0, dashed=True)
        d.text(
            QRectF(lost_x - d.pt(60), bottom + d.pt(12), d.pt(120), d.pt(12)),
            "rival draws level",
            style.text,
            Qt.AlignmentFlag.AlignHCenter,
            d.font(7, bold=True),
        )
    if data.more:
        d.text(
            QRectF(rect.left(), bottom + d.pt(26), rect.width(), d.pt(12)),
            f"and {data.more} more items that move it less",
            style.muted,
            Qt.AlignmentFlag.AlignLeft,
            d.font(7),
        )
