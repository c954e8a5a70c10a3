"""The evidence timeline chart: items on their dates, in bands by their rating against one
hypothesis, undated items listed apart (QtGui only; see :mod:`hyp_board.reports.charts`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPaintDevice, QPainter, QPen

from hyp_board.core.colours import rating_colours
from hyp_board.core.model import Rating
from hyp_board.reports.chart_data import TimelineData, TimelinePoint
from hyp_board.reports.charts import ChartStyle, Pen, narrow, nice_step

BANDS: tuple[tuple[Rating | None, str], ...] = (
    (Rating.CC, "CC"),
    (Rating.C, "C"),
    (Rating.N, "N"),
    (Rating.I, "I"),
    (Rating.II, "II"),
    (None, "NA / –"),
)


def _band(rating: Rating | None) -> int:
    return 5 if rating in (None, Rating.NA) else [b for b, _ in BANDS].index(rating)


@dataclass
class _Chip:
    point: TimelinePoint
    x: float
    width: float
    lane: int = 0


def _lay_chips(d: Pen, points: tuple[TimelinePoint, ...], x_of, font: QFont) -> tuple[list[_Chip], list[int]]:  # type: ignore[no-untyped-def]
    """Chips per band, each in the first lane where it overlaps nothing (lanes stack)."""
    metrics = d.metrics(font)
    chips: list[_Chip] = []
    lanes_used = [1] * len(BANDS)
    ends: list[list[float]] = [[] for _ in BANDS]
    for point in points:
        width = metrics.horizontalAdvance(point.name) + d.pt(5)
        x = x_of(point.day) - width / 2
        band = _band(point.rating)
        lane = next((i for i, end in enumerate(ends[band]) if end + d.pt(1) <= x), len(ends[band]))
        if lane == MAX_LANES:  # a crowd: chips overlap in the last lane rather than grow the chart
            lane = MAX_LANES - 1
            ends[band][lane] = max(ends[band][lane], x + width)
        elif lane == len(ends[band]):
            ends[band].append(x + width)
        else:
            ends[band][lane] = x + width
        lanes_used[band] = max(lanes_used[band], lane + 1)
        chips.append(_Chip(point, x, width, lane))
    return chips, lanes_used


CHIP_POINTS = 11.0
MAX_LANES = 6
DENSE_ITEMS = 150  # more dated items than this are counted, not named
DENSE_BAND_POINTS = 24.0


def timeline_height(
    data: TimelineData, width: float, style: ChartStyle, unit: float, device: QPaintDevice
) -> float:
    """Natural height at *width* device units on *device* (chips stack more when narrow)."""
    return _timeline(Pen(None, style, unit, device), data, QRectF(0, 0, width, 0))


def paint_timeline(p: QPainter, rect: QRectF, data: TimelineData, style: ChartStyle, unit: float) -> None:
    _timeline(Pen(p, style, unit), data, rect)


def _timeline(d: Pen, data: TimelineData, rect: QRectF) -> float:
    """Lay the timeline out in *rect*, painting it unless *d* only measures; returns its height.

    Up to :data:`DENSE_ITEMS` dated items each get a chip with their name; more are
    counted instead, a bar per stretch of time in each band.
    """
    style, measuring = d.style, d.measuring
    chip_h, label_w = d.pt(CHIP_POINTS), d.pt(42)
    x0 = rect.left() + label_w
    plot_w = rect.width() - label_w - d.pt(10)
    font = d.font(7)
    dense = len(data.points) > DENSE_ITEMS
    y = rect.top()
    if dense:
        captions = [
            f"Rated against {data.hypothesis}.",
            f"{len(data.points)} dated items: each bar counts those in its stretch of time.",
        ]
    else:
        captions = [
            f"Rated against {data.hypothesis}.",
            "Dated by month or year alone: at its middle.",
        ]
    if not narrow(rect.width(), d.unit):
        captions = [" ".join(captions)]
    for caption in captions:
        if not measuring:
            d.text(
                QRectF(rect.left(), y, rect.width(), d.pt(14)),
                caption,
                style.muted,
                Qt.AlignmentFlag.AlignLeft,
            )
        y += d.pt(14)
    y += d.pt(2)
    if data.points:
        first, last = data.points[0].day, data.points[-1].day
        pad = max(15, (last - first) * 0.04)
        lo, hi = first - pad, last + pad
        margin = d.pt(14)

        def x_of(day: float) -> float:
            return x0 + margin + (day - lo) / (hi - lo) * (plot_w - 2 * margin)

        if dense:
            heights = [d.pt(DENSE_BAND_POINTS)] * len(BANDS)
            chips: list[_Chip] = []
        else:
            chips, lanes = _lay_chips(d, data.points, x_of, font)
            heights = [n * chip_h + d.pt(3) for n in lanes]
        band_tops = [y + sum(heights[:i]) for i in range(len(BANDS))]
        band_y = y + sum(heights)
        if not measuring:
            for (rating, name), band_top, height in zip(BANDS, band_tops, heights, strict=True):
                if rating is not None:
                    d.box(QRectF(x0, band_top, plot_w, height), _tint(rating, style), None)
                label = QRectF(rect.left(), band_top, label_w - d.pt(4), height)
                d.text(label, name, style.text, Qt.AlignmentFlag.AlignRight, d.font(7.5, bold=True))
                d.line(
                    QPointF(x0, band_top + height), QPointF(x0 + plot_w, band_top + height), style.grid, 0.3
                )
            _paint_time_axis(d, lo, hi, x_of, band_y, y)
            if dense:
                _paint_counts(d, data.points, x_of, band_tops, heights[0], x0, plot_w)
            for chip in chips:
                top = band_tops[_band(chip.point.rating)] + d.pt(1.5) + chip.lane * chip_h
                _paint_chip(d, QRectF(chip.x, top, chip.width, chip_h - d.pt(2)), chip.point, font)
        y = band_y + d.pt(16)
    else:
        if not measuring:
            d.text(
                QRectF(rect.left(), y, rect.width(), d.pt(14)),
                "No item has a date.",
                style.muted,
                Qt.AlignmentFlag.AlignLeft,
            )
        y += d.pt(16)
    if data.undated and dense:
        counts = {
            name: sum(1 for p in data.undated if _band(p.rating) == i) for i, (_, name) in enumerate(BANDS)
        }
        text = (
            f"Undated: {len(data.undated)} items ("
            + ", ".join(f"{n} {k}" for k, n in counts.items() if n)
            + ")"
        )
        if not measuring:
            d.text(QRectF(rect.left(), y, rect.width(), chip_h), text, style.text, Qt.AlignmentFlag.AlignLeft)
        y += chip_h + d.pt(2)
    elif data.undated:
        if not measuring:
            d.text(
                QRectF(rect.left(), y, label_w, chip_h),
                "Undated",
                style.text,
                Qt.AlignmentFlag.AlignLeft,
                d.font(7.5, bold=True),
            )
        metrics = d.metrics(font)
        x = x0
        for point in data.undated:
            text = f"{point.name} {_code(point.rating)}"
            width = metrics.horizontalAdvance(text) + d.pt(5)
            if x + width > rect.right() and x > x0:
                x, y = x0, y + chip_h
            if not measuring:
                _paint_chip(d, QRectF(x, y + d.pt(1), width, chip_h - d.pt(2)), point, font, text)
            x += width + d.pt(2)
        y += chip_h + d.pt(2)
    return y - rect.top()


def _paint_counts(
    d: Pen,
    points: tuple[TimelinePoint, ...],
    x_of: Callable[[float], float],
    band_tops: list[float],
    band_h: float,
    x0: float,
    plot_w: float,
) -> None:
    """Many items: per band, a bar per stretch of time as tall as the items in it."""
    bin_w = d.pt(4)
    n_bins = max(1, int(plot_w / bin_w))
    counts = [[0] * n_bins for _ in BANDS]
    for point in points:
        b = min(n_bins - 1, max(0, int((x_of(point.day) - x0) / bin_w)))
        counts[_band(point.rating)][b] += 1
    most = max(max(row) for row in counts) or 1
    room = band_h - d.pt(3)
    for (rating, _), top, row in zip(BANDS, band_tops, counts, strict=True):
        fill = QColor(rating_colours(rating if rating is not None else Rating.NA, d.style.dark)[0])
        for b, count in enumerate(row):
            if count:
                height = max(d.pt(1), room * count / most)
                rect = QRectF(x0 + b * bin_w, top + band_h - d.pt(1.5) - height, bin_w, height)
                d.box(rect, fill, d.style.text, 0.25)


def _code(rating: Rating | None) -> str:
    return rating.value if rating is not None else "–"


def _tint(rating: Rating, style: ChartStyle) -> QColor:
    colour = QColor(rating_colours(rating, style.dark)[0])
    colour.setAlphaF(0.14)
    return colour


def _paint_chip(d: Pen, rect: QRectF, point: TimelinePoint, font: QFont, text: str | None = None) -> None:
    rating = point.rating if point.rating is not None else Rating.NA
    bg, fg = rating_colours(rating, d.style.dark)
    fill = QColor(bg) if point.included else None
    d.p.setPen(QPen(d.style.text if point.included else d.style.muted, d.pt(0.4)))
    d.p.setBrush(QBrush(fill) if fill is not None else Qt.BrushStyle.NoBrush)
    d.p.drawRoundedRect(rect, d.pt(2), d.pt(2))
    d.p.setBrush(Qt.BrushStyle.NoBrush)
    d.p.setFont(font)
    d.p.setPen(QColor(fg) if point.included else d.style.muted)
    d.p.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), text or point.name)


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def time_ticks(lo: float, hi: float) -> list[tuple[date, str]]:
    """Ticks between two day numbers: years over long spans, months over months, days
    over a few weeks (the first tick names the year, as does every January)."""
    first, last = date.fromordinal(int(lo)), date.fromordinal(int(hi))
    years = last.year - first.year
    if years >= 2:
        step = max(1, int(nice_step(years, 8)))
        return [(date(y, 1, 1), str(y)) for y in range(first.year + 1, last.year + 1) if y % step == 0]
    ticks: list[tuple[date, str]] = []
    if hi - lo < 75:
        step = next(s for s in (1, 2, 7, 14) if (hi - lo) / s <= 8)
        for n in range(int(lo) + 1, int(hi) + 1):
            day = date.fromordinal(n)
            if (n - int(lo) - 1) % step == 0:
                year = f" {day.year}" if not ticks else ""
                ticks.append((day, f"{day.day} {MONTHS[day.month - 1]}{year}"))
        return ticks
    month_step = 1 if hi - lo < 200 else 3
    y, m = first.year, first.month
    while True:
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        day = date(y, m, 1)
        if day.toordinal() > hi:
            return ticks
        if (m - 1) % month_step == 0:
            label = f"{MONTHS[m - 1]} {y}" if m == 1 or not ticks else MONTHS[m - 1]
            ticks.append((day, label))


def _paint_time_axis(
    d: Pen, lo: float, hi: float, x_of: Callable[[float], float], bottom: float, top: float
) -> None:
    ticks = time_ticks(lo, hi)
    font = d.font(7)
    metrics = d.metrics(font)
    last_right = float("-inf")
    for day, label in ticks:
        x = x_of(day.toordinal())
        width = metrics.horizontalAdvance(label)
        if x - width / 2 < last_right + d.pt(4):
            continue  # no room for this tick's label beside the one before
        last_right = x + width / 2
        d.line(QPointF(x, top), QPointF(x, bottom), d.style.grid, 0.3, dashed=True)
        d.text(
            QRectF(x - d.pt(30), bottom + d.pt(1), d.pt(60), d.pt(12)),
            label,
            d.style.muted,
            Qt.AlignmentFlag.AlignHCenter,
            d.font(7),
        )
