"""The matrix turned on its side (View → Hypotheses in Rows): hypotheses as rows,
evidence as columns, and the scores of each hypothesis at its row's end.

Not a second model: Qt's transpose proxy over the very same :class:`MatrixModel` (and
:class:`ScoreModel`), with the rows that were the fixed evidence columns (#, Evidence,
Date…) left out. Every edit, sort and filter of the matrix model shows here as it
happens, and an edit made here (an editor's value) goes to that model, which turns it
into the same undo command as in the matrix.

Left out are exactly the first :data:`FIXED_COLUMNS` rows, so a cell's place here is
its place in the matrix, swapped and shifted: selections are mapped by arithmetic, range
by range, never cell by cell.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QItemSelection,
    QItemSelectionRange,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTransposeProxyModel,
)
from PySide6.QtGui import QFont

from hyp_board.ui.matrix_model import EVIDENCE_ID_ROLE, FIXED_COLUMNS, MatrixModel
from hyp_board.ui.matrix_tooltips import evidence_tooltip
from hyp_board.ui.score_model import SCORE_TOOLTIPS, ScoreModel, ScoreRow

Index = QModelIndex | QPersistentModelIndex

SCORE_HEADERS = {ScoreRow.INCONSISTENCY: "Incons.", ScoreRow.WEIGHTED: "Weighted", ScoreRow.RANK: "Rank"}


class _HypothesisRows(QSortFilterProxyModel):
    """A transposed matrix-shaped model without the rows that were fixed columns."""

    def __init__(self, source: QAbstractItemModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._transpose = QTransposeProxyModel(self)
        self._transpose.setSourceModel(source)
        self.setDynamicSortFilter(False)  # what is left out depends on the place only
        self.setSourceModel(self._transpose)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        return source_row >= FIXED_COLUMNS

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Never sorted here: the evidence keeps the matrix's order (View → Sort)."""

    def hypothesis_row(self, matrix_column: int) -> int:
        return matrix_column - FIXED_COLUMNS


class TransposedMatrixModel(_HypothesisRows):
    """Hypotheses as rows (their header: number, label, the leader's mark), evidence
    as columns (their header: the stable number, the item in the tooltip)."""

    def __init__(self, matrix_model: MatrixModel, parent: QObject | None = None) -> None:
        super().__init__(matrix_model, parent)
        self.matrix_model = matrix_model
        self._italic = QFont()
        self._italic.setItalic(True)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Vertical:
            return super().headerData(section, orientation, role)
        model = self.matrix_model
        if not 0 <= section < model.rowCount():
            return None
        eid = model.evidence_id(section)
        ev = model.matrix.evidence_item(eid)
        if role == Qt.ItemDataRole.DisplayRole:
            return ev.ref
        if role == Qt.ItemDataRole.ToolTipRole:  # rich text, the item's own words escaped
            return evidence_tooltip(ev, model.matrix.board.diagnosticity(eid))
        if role == Qt.ItemDataRole.FontRole and not ev.included:
            return self._italic
        if role == EVIDENCE_ID_ROLE:
            return eid
        return None

    # -- to and from the matrix ------------------------------------------------------------
    def to_matrix(self, index: Index) -> QModelIndex:
        """The matrix model's index of a cell here."""
        if not index.isValid():
            return QModelIndex()
        return self.matrix_model.index(index.column(), index.row() + FIXED_COLUMNS)

    def from_matrix(self, index: Index) -> QModelIndex:
        """This model's index of a matrix cell (invalid for the fixed columns)."""
        if not index.isValid() or index.column() < FIXED_COLUMNS:
            return QModelIndex()
        return self.index(index.column() - FIXED_COLUMNS, index.row())

    def selection_to_matrix(self, selection: QItemSelection) -> QItemSelection:
        mapped = QItemSelection()
        model = self.matrix_model
        for i in range(selection.count()):
            r = selection.at(i)
            mapped.append(
                QItemSelectionRange(
                    model.index(r.left(), r.top() + FIXED_COLUMNS),
                    model.index(r.right(), r.bottom() + FIXED_COLUMNS),
                )
            )
        return mapped

    def selection_from_matrix(self, selection: QItemSelection) -> QItemSelection:
        mapped = QItemSelection()
        for i in range(selection.count()):
            r = selection.at(i)
            left = max(r.left(), FIXED_COLUMNS)
            if left > r.right():
                continue  # evidence fields only: no cell of them is here
            mapped.append(
                QItemSelectionRange(
                    self.index(left - FIXED_COLUMNS, r.top()),
                    self.index(r.right() - FIXED_COLUMNS, r.bottom()),
                )
            )
        return mapped


class TransposedScoreModel(_HypothesisRows):
    """The score rows turned into columns beside the hypotheses: inconsistency,
    weighted inconsistency and rank at each hypothesis's row end."""

    def __init__(self, scores: ScoreModel, parent: QObject | None = None) -> None:
        super().__init__(scores, parent)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Vertical or not 0 <= section < len(ScoreRow):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return SCORE_HEADERS[ScoreRow(section)]
        if role == Qt.ItemDataRole.ToolTipRole:
            return SCORE_TOOLTIPS[ScoreRow(section)]
        return None
