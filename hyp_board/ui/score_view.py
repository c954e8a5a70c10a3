"""Under the matrix: the score rows, aligned and scrolled with its columns, and the
legend of rating colours and keys."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QWidget

from hyp_board.core import colours
from hyp_board.core.model import Rating
from hyp_board.ui.frozen_columns import FrozenColumns
from hyp_board.ui.matrix_delegates import (
    BLIND_MARK,
    BLIND_MARK_COLOURS,
    KEYS_TOOLTIP,
    RATING_KEYS_HELP,
    RatingDelegate,
)
from hyp_board.ui.matrix_model import Column
from hyp_board.ui.matrix_view import FROZEN_COLUMNS, MatrixView
from hyp_board.ui.score_model import ScoreModel
from hyp_board.ui.theme import is_dark, is_theme_change


class ScoreView(QTableView):
    """The score rows, pinned under the matrix and scrolled and sized with it.

    Made once: each project's score model is shown in it (a view deleted with its
    project could still be reached by the matrix's signals).
    """

    def __init__(self, matrix_view: MatrixView) -> None:
        super().__init__()
        self._matrix_view = matrix_view
        self.horizontalHeader().hide()
        self.verticalHeader().hide()
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(matrix_view.verticalHeader().defaultSectionSize())
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # The labels stay in place under # and Evidence, as those columns do above.
        self._frozen = FrozenColumns(self, FROZEN_COLUMNS)
        matrix_view.horizontalHeader().sectionResized.connect(self._column_resized)
        matrix_view.horizontalScrollBar().valueChanged.connect(self.horizontalScrollBar().setValue)

    def show_scores(self, model: ScoreModel) -> None:
        self.setModel(model)
        self._frozen.part.attach(model)
        model.modelReset.connect(self.copy_widths)
        self.setFixedHeight(
            model.rowCount() * self.verticalHeader().defaultSectionSize() + 2 * self.frameWidth()
        )
        self.copy_widths()

    def _column_resized(self, column: int, _old: int, new: int) -> None:
        if self.model() is not None and column < self.model().columnCount():
            self.setColumnWidth(column, new)

    def copy_widths(self) -> None:
        model = self.model()
        if model is None:
            return
        for col in range(model.columnCount()):
            self.setColumnWidth(col, self._matrix_view.columnWidth(col))
        part = self._frozen.part
        for row in range(model.rowCount()):  # each label across # and Evidence
            part.setSpan(row, Column.NUMBER, 1, FROZEN_COLUMNS)
        self.horizontalScrollBar().setValue(self._matrix_view.horizontalScrollBar().value())
        part.update_geometry()

    @property
    def labels(self) -> QTableView:
        """The frozen part that shows the score labels."""
        return self._frozen.part


class Legend(QLabel):
    """The rating colours with the key for each, always visible under the matrix; it
    wraps onto a second line in a narrow window rather than hiding the keys. Its
    colours follow the theme the moment it changes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setContentsMargins(4, 2, 4, 4)
        self.setToolTip(KEYS_TOOLTIP)
        self.refresh_colours()

    def event(self, event: QEvent) -> bool:
        if is_theme_change(event):
            self.refresh_colours()
        return super().event(event)

    def refresh_colours(self) -> None:
        dark = is_dark()
        # The application's palette: this widget's own follows it only after this event.
        muted = QGuiApplication.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text).name()
        parts = []
        for rating, keys in RATING_KEYS_HELP:
            bg, fg = colours.rating_colours(rating, dark)
            weight = "bold" if rating in (Rating.CC, Rating.II) else "normal"
            # Non-breaking spaces keep each chip with its label; lines break between them.
            label = f"{rating.label}&nbsp;<span style='color:{muted}'>({keys.replace(' ', '&nbsp;')})</span>"
            parts.append(
                f"<span style='background-color:{bg}; color:{fg}; font-weight:{weight}'>"
                f"&nbsp;{rating.value}&nbsp;</span>&nbsp;{label.replace(' ', '&nbsp;')}"
            )
        if RatingDelegate.mark_blind:
            parts.append(
                f"<span style='color:{BLIND_MARK_COLOURS[dark]}'>{BLIND_MARK}</span>&nbsp;rated&nbsp;blind"
                f"&nbsp;<span style='color:{muted}'>(rate-across)</span>"
            )
        parts.append(f"<span style='color:{muted}'>Delete:&nbsp;clear · Enter:&nbsp;choose</span>")
        self.setText(" &nbsp; ".join(parts))
