"""The analysis charts as widgets: the report's QPainter drawings, in the window's theme.

The drawing code lives in :mod:`hyp_board.reports.charts` (QtGui only, shared with the
PDF). It is imported when the first chart is drawn, not when the window starts.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from hyp_board.ui.theme import is_dark

MARGIN = 8  # pixels around a chart


class ChartWidget(QWidget):
    """One chart (``"scores"``, ``"tornado"``, ``"timeline"`` or ``"history"``, how the
    conclusion moved), as tall as it needs."""

    def __init__(self, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self._data: Any = None
        self._height = 0
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    @property
    def data(self) -> Any:
        return self._data

    def set_data(self, data: Any) -> None:
        self._data = data
        self._fit()
        self.update()

    def _unit(self) -> float:
        return self.logicalDpiY() / 72.0

    def _style(self):  # type: ignore[no-untyped-def]
        from hyp_board.reports.charts import chart_style

        return chart_style(self.font().family(), dark=is_dark(self.palette()))

    def _natural_height(self, width: int) -> int:
        if self._data is None:
            return 0
        from hyp_board.reports import charts, charts_history, charts_timeline

        unit = self._unit()
        inner = max(width - 2 * MARGIN, 200)
        if self.kind == "scores":
            height = charts.scores_height(self._data, unit, width=inner)
        elif self.kind == "tornado":
            height = charts.tornado_height(self._data, unit, inner)
        elif self.kind == "history":
            height = charts_history.history_height(self._data, inner, self._style(), unit, self)
        else:
            height = charts_timeline.timeline_height(self._data, inner, self._style(), unit, self)
        return int(height) + 2 * MARGIN

    def _fit(self) -> None:
        height = self._natural_height(self.width())
        if height != self._height:
            self._height = height
            self.setFixedHeight(height)
            self.updateGeometry()

    def sizeHint(self) -> QSize:
        return QSize(600, self._height)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():  # narrower: labels stack, chips pile up
            self._fit()

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._data is None:
            return
        from hyp_board.reports import charts, charts_history, charts_timeline

        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN)
        style, unit = self._style(), self._unit()
        if self.kind == "scores":
            charts.paint_scores(painter, rect, self._data, style, unit)
        elif self.kind == "tornado":
            charts.paint_tornado(painter, rect, self._data, style, unit)
        elif self.kind == "history":
            charts_history.paint_history(painter, rect, self._data, style, unit)
        else:
            charts_timeline.paint_timeline(painter, rect, self._data, style, unit)
        painter.end()
