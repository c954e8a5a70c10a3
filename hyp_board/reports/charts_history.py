"""How the conclusion moved, as a chart: each hypothesis's weighted inconsistency after
every change, the moments the lead changed marked and explained (QtGui only; see
:mod:`hyp_board.reports.charts`).

Changes are spaced evenly, not by their time: analysts work in bursts, and a time axis
would squeeze a day's forty ratings into one vertical line. The dates stand under the
axis. Lines differ by colour *and* by dash pattern, and each is labelled at its end with
the hypothesis's number, so the chart reads in greyscale.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPaintDevice, QPainter, QPainterPath, QPen

from hyp_board.core.conclusion_history import ConclusionHistory
from hyp_board.reports.charts import ChartStyle, Pen
from hyp_board.reports.charts import _number as number_text
from hyp_board.reports.charts import _ticks as ticks_between

PLOT_POINTS = 150.0
LINE_POINTS = 11.0
MAX_SENTENCES = 8  # the most recent lead changes explained under the chart; older ones counted
_LIGHT = ("#1f5fa8", "#b2400c", "#2e7d32", "#6a1b9a", "#8d6e00", "#00838f", "#ad1457", "#4e342e")
_DARK = ("#6fa8e8", "#f08a4b", "#7bc67e", "#c18be0", "#e0c050", "#5fd0d8", "#f07aa8", "#c8a890")
_DASHES = (Qt.PenStyle.SolidLine, Qt.PenStyle.DashLine, Qt.PenStyle.DotLine, Qt.PenStyle.DashDotLine)


def line_look(index: int, dark: bool) -> tuple[QColor, Qt.PenStyle]:
    """The colour and dash of the *index*-th hypothesis's line."""
    colours = _DARK if dark else _LIGHT
    return QColor(colours[index % len(colours)]), _DASHES[(index // len(colours) + index) % len(_DASHES)]


def history_height(
    data: ConclusionHistory, width: float, style: ChartStyle, unit: float, device: QPaintDevice
) -> float:
    return _history(Pen(None, style, unit, device), data, QRectF(0, 0, width, 0))


def paint_history(p: QPainter, rect: QRectF, data: ConclusionHistory, style: ChartStyle, unit: float) -> None:
    _history(Pen(p, style, unit), data, rect)


def _refs(data: ConclusionHistory) -> list[str]:
    """Every hypothesis that appears, in number order."""
    seen = {h for point in data.points for h in point.scores}
    return sorted(seen, key=lambda ref: (int(ref[1:]) if ref[1:].isdigit() else 0, ref))


def _history(d: Pen, data: ConclusionHistory, rect: QRectF) -> float:
    """Lay the chart out in *rect*, painting it unless *d* only measures; returns its height."""
    style, measuring = d.style, d.measuring
    line_h = d.pt(LINE_POINTS)
    y = rect.top()
    caption = (
        "Weighted inconsistency of each hypothesis after every change (the lowest leads); "
        "a numbered line marks a change of lead, explained below."
    )
    if not data.points:
        if not measuring:
            d.text(
                QRectF(rect.left(), y, rect.width(), line_h), "No changes recorded yet.", style.muted, _LEFT
            )
        return line_h
    small = d.font(7)
    for line in wrapped(d, caption, rect.width(), small):
        if not measuring:
            d.text(QRectF(rect.left(), y, rect.width(), line_h), line, style.muted, _LEFT, small)
        y += line_h
    y += d.pt(14)  # room for the numbers over the plot
    plot = QRectF(rect.left() + d.pt(30), y, max(rect.width() - d.pt(64), d.pt(60)), d.pt(PLOT_POINTS))
    if not measuring:
        _plot(d, data, plot)
    y = plot.bottom() + d.pt(22)  # the dates under the axis
    sentences = [f"{n}. {c.sentence}" for n, c in enumerate(data.lead_changes, start=1)]
    if len(sentences) > MAX_SENTENCES:
        earlier = len(sentences) - MAX_SENTENCES
        note = f"({earlier} earlier change{'s' if earlier != 1 else ''} of lead not listed)"
        sentences = [note, *sentences[-MAX_SENTENCES:]]
    if not sentences:
        leaders = data.points[-1].leaders
        who = " and ".join(data.name(h) for h in leaders)
        sentences = [f"The lead has not changed over these changes: {who}." if who else "No hypotheses yet."]
    font = d.font(7.5)
    for sentence in sentences:
        for line in wrapped(d, sentence, rect.width(), font):
            if not measuring:
                d.text(QRectF(rect.left(), y, rect.width(), line_h), line, style.text, _LEFT, font)
            y += line_h
    return y - rect.top()


def wrapped(d: Pen, text: str, width: float, font: QFont) -> list[str]:
    """*text* in lines no wider than *width* (a word wider than that is elided)."""
    metrics = d.metrics(font)
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and metrics.horizontalAdvance(candidate) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines or [""]


_LEFT = Qt.AlignmentFlag.AlignLeft


def _plot(d: Pen, data: ConclusionHistory, plot: QRectF) -> None:
    style = d.style
    points = data.points
    highest = max((v for p in points for v in p.scores.values()), default=0.0) or 1.0
    ticks = ticks_between(0, highest * 1.08)
    top_value = max(ticks[-1], highest * 1.08)  # the highest line clear of the top
    count = len(points)

    def x_of(i: int) -> float:
        return plot.left() + (plot.width() * i / (count - 1) if count > 1 else plot.width() / 2)

    def y_of(v: float) -> float:
        return plot.bottom() - v / top_value * plot.height()

    small = d.font(6.5)
    for tick in ticks:
        d.line(QPointF(plot.left(), y_of(tick)), QPointF(plot.right(), y_of(tick)), style.grid, 0.3)
        d.text(
            QRectF(plot.left() - d.pt(30), y_of(tick) - d.pt(5), d.pt(27), d.pt(10)),
            number_text(tick),
            style.muted,
            Qt.AlignmentFlag.AlignRight,
            small,
        )
    d.line(QPointF(plot.left(), plot.bottom()), QPointF(plot.right(), plot.bottom()), style.muted, 0.5)
    # Dates under the axis: the first, the last, and a few between, where there is room.
    label_w = d.pt(58)
    slots = max(int(plot.width() // label_w), 2)
    shown = sorted({round(k * (count - 1) / max(slots - 1, 1)) for k in range(slots)}) if count > 1 else [0]
    years = {p.at.astimezone().year for p in points}
    pattern = "%d %b %Y" if len(years) > 1 else "%d %b"
    written: set[str] = set()
    for i in shown:
        text = points[i].at.astimezone().strftime(pattern).lstrip("0")
        if text in written:
            continue  # several changes on one day: its date once
        written.add(text)
        box = QRectF(x_of(i) - label_w / 2, plot.bottom() + d.pt(3), label_w, d.pt(10))
        d.text(box, text, style.muted, Qt.AlignmentFlag.AlignHCenter, small)
    # Where the lead changed: a dashed line, numbered as the sentences below.
    for n, change in enumerate(data.lead_changes, start=1):
        x = x_of(change.index)
        d.line(QPointF(x, plot.top()), QPointF(x, plot.bottom()), style.muted, 0.5, dashed=True)
        d.text(
            QRectF(x - d.pt(10), plot.top() - d.pt(11), d.pt(20), d.pt(10)),
            str(n),
            style.text,
            Qt.AlignmentFlag.AlignHCenter,
            d.font(7, bold=True),
        )
    # One step line per hypothesis, thinned to a point per device pixel column.
    columns = max(int(plot.width()), 1)
    keep = _thinned(count, columns)
    labels: list[tuple[float, str, QColor]] = []
    for k, ref in enumerate(_refs(data)):
        colour, dash = line_look(k, style.dark)
        path = QPainterPath()
        drawing = False
        last_y = 0.0
        for i in keep:
            value = points[i].scores.get(ref)
            if value is None:
                drawing = False
                continue
            x, yv = x_of(i), y_of(value)
            if not drawing:
                path.moveTo(x, yv)
                drawing = True
            else:
                path.lineTo(x, last_y)  # a step: the score holds until the change
                path.lineTo(x, yv)
            last_y = yv
        pen = QPen(colour, d.pt(1.4))
        pen.setStyle(dash)
        d.p.setPen(pen)
        d.p.setBrush(Qt.BrushStyle.NoBrush)
        d.p.drawPath(path)
        final = points[-1].scores.get(ref)
        if final is not None:
            labels.append((y_of(final), ref, colour))
    # Each line's number at its end; lines ending together get their numbers one under another.
    last_bottom = -1e9
    for y, ref, colour in sorted(labels, key=lambda label: label[0]):
        top = max(y - d.pt(5), last_bottom)
        d.text(
            QRectF(plot.right() + d.pt(3), top, d.pt(30), d.pt(10)), ref, colour, _LEFT, d.font(7, bold=True)
        )
        last_bottom = top + d.pt(9)


def _thinned(count: int, columns: int) -> list[int]:
    """The indices to draw: all of them, or the last of each device column when there are
    more changes than columns (what the eye could not tell apart)."""
    if count <= columns * 2:
        return list(range(count))
    keep: list[int] = []
    last_column = -1
    for i in range(count):
        column = i * columns // count
        if column != last_column and keep:
            keep.append(i - 1)
        last_column = column
    keep.append(count - 1)
    return [0, *keep] if keep[0] != 0 else keep
