"""The score rows under the matrix: inconsistency, weighted inconsistency and rank for
each hypothesis column, in step with the matrix model's columns."""

from __future__ import annotations

import enum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from hyp_board.ui.matrix_model import FIXED_COLUMNS, LEADER_MARK, Column, MatrixModel

Index = QModelIndex | QPersistentModelIndex


class ScoreRow(enum.IntEnum):
    INCONSISTENCY = 0
    WEIGHTED = 1
    RANK = 2


SCORE_LABELS = {
    ScoreRow.INCONSISTENCY: "Inconsistency",
    ScoreRow.WEIGHTED: "Weighted inconsistency",
    ScoreRow.RANK: "Rank (1 leads)",
}
SCORE_TOOLTIPS = {
    ScoreRow.INCONSISTENCY: "Over included evidence: 1 point for each I, 2 for each II.",
    ScoreRow.WEIGHTED: "The same points × credibility weight × relevance weight "
    "(High √2, Medium 1, Low 1/√2).",
    ScoreRow.RANK: "By weighted inconsistency; the lowest leads. '=' marks a tie.",
}


class ScoreModel(QAbstractTableModel):
    """The score rows shown under the matrix, column-aligned with it."""

    def __init__(self, matrix_model: MatrixModel) -> None:
        super().__init__(matrix_model)
        self._source = matrix_model
        matrix_model.modelReset.connect(self._reset)
        self._ranks: dict[int, tuple[int, bool]] = {}
        self._bold = QFont()
        self._bold.setBold(True)
        self._recompute()

    def _reset(self) -> None:
        self.beginResetModel()
        self._recompute()
        self.endResetModel()

    def _recompute(self) -> None:
        self._ranks = self._source.matrix.board.ranks()

    def scores_changed(self) -> None:
        self._recompute()
        if self.columnCount():
            self.dataChanged.emit(
                self.index(0, FIXED_COLUMNS), self.index(len(ScoreRow) - 1, self.columnCount() - 1)
            )

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(ScoreRow)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._source.columnCount()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = ScoreRow(index.row()), index.column()
        if col < FIXED_COLUMNS:
            # The labels stand in the first column (the view spans them over the next).
            if col == Column.NUMBER:
                if role == Qt.ItemDataRole.DisplayRole:
                    return SCORE_LABELS[row]
                if role == Qt.ItemDataRole.ToolTipRole:
                    return SCORE_TOOLTIPS[row]
                if role == Qt.ItemDataRole.TextAlignmentRole:
                    return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            return None
        hid = self._source.hypothesis_id(col)
        if hid is None:
            return None
        leader = hid in self._source.leaders
        board = self._source.matrix.board
        if role == Qt.ItemDataRole.DisplayRole:
            if row is ScoreRow.INCONSISTENCY:
                return str(board.inconsistency(hid))
            if row is ScoreRow.WEIGHTED:
                return f"{float(board.weighted(hid)):.2f}"
            rank, tied = self._ranks.get(hid, (0, False))
            return f"{LEADER_MARK} {rank}{'=' if tied else ''}" if leader else f"{rank}{'=' if tied else ''}"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignCenter
        if role == Qt.ItemDataRole.FontRole and leader:
            return self._bold
        if role == Qt.ItemDataRole.BackgroundRole and leader:
            return self._source.leader_brush
        return None
