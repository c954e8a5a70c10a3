"""The table model over the core :class:`Matrix`: the evidence × hypothesis grid (the
score rows under it are :mod:`hyp_board.ui.score_model`).

``data()`` does dictionary look-ups only: no database access and no work that grows
with the project, so painting and scrolling a 2,000 × 40 matrix stay cheap. The
models never change the matrix; edits arrive as :class:`Change` records through
:meth:`MatrixModel.apply_change` after an undo command has made them.
"""

from __future__ import annotations

import bisect
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QStyle

from hyp_board.core.matrix import Change, EvidenceOrder, Matrix, is_shown, sort_key, visible_evidence
from hyp_board.core.model import Evidence, Level, Rating
from hyp_board.core.scoring import MAX_DIAGNOSTICITY
from hyp_board.core.what_if import WhatIf
from hyp_board.ui.matrix_columns import (  # the model's columns, for its users
    EVIDENCE_ID_ROLE as EVIDENCE_ID_ROLE,
)
from hyp_board.ui.matrix_columns import (
    EXCLUDED_ROLE as EXCLUDED_ROLE,
)
from hyp_board.ui.matrix_columns import (
    FIXED_COLUMNS as FIXED_COLUMNS,
)
from hyp_board.ui.matrix_columns import (
    FIXED_HEADERS as FIXED_HEADERS,
)
from hyp_board.ui.matrix_columns import (
    FIXED_TOOLTIPS as FIXED_TOOLTIPS,
)
from hyp_board.ui.matrix_columns import (
    HYPOTHESIS_ID_ROLE as HYPOTHESIS_ID_ROLE,
)
from hyp_board.ui.matrix_columns import RATED_IN_ROLE
from hyp_board.ui.matrix_columns import (
    RATING_ROLE as RATING_ROLE,
)
from hyp_board.ui.matrix_columns import (
    SORT_COLUMNS as SORT_COLUMNS,
)
from hyp_board.ui.matrix_columns import (
    Column as Column,
)
from hyp_board.ui.matrix_tooltips import cell_tooltip, escape, evidence_tooltip
from hyp_board.ui.method_marks import concern_mark, concern_tooltip, milestone_badge, milestone_tooltip
from hyp_board.ui.theme import is_dark, rating_styles

Index = QModelIndex | QPersistentModelIndex

_LEVEL_SHORT = {Level.HIGH: "H", Level.MEDIUM: "M", Level.LOW: "L"}
# Fixed columns that can carry a mark, and the evidence field each shows ("" for none).
_MARKED = {Column.NUMBER: "", Column.CREDIBILITY: "credibility", Column.RELEVANCE: "relevance"}
LEADER_MARK = "★"


class MatrixModel(QAbstractTableModel):
    """Rows are visible evidence items, columns the fixed ones then the hypotheses."""

    # (evidence id, hypothesis id, Rating or None): a user edit for the window to
    # turn into an undo command.
    rating_edit_requested = Signal(int, int, object)
    # (evidence id, {field: value})
    evidence_edit_requested = Signal(int, dict)

    def __init__(self, matrix: Matrix, parent: Any = None) -> None:
        super().__init__(parent)
        self._matrix = matrix
        self.order = EvidenceOrder.POSITION
        self.hide_non_diagnostic = False
        self.hide_excluded = False
        self._rows: list[int] = []
        self._row_of: dict[int, int] = {}
        self._leaders: frozenset[int] = frozenset()
        self._linchpins: frozenset[int] = frozenset()
        self.what_if: WhatIf | None = None  # provisional values shown distinctly while set
        self.refresh_styles()
        self._rebuild_rows()
        self._update_leaders()

    # -- structure ---------------------------------------------------------------
    @property
    def matrix(self) -> Matrix:
        return self._matrix

    def set_matrix(self, matrix: Matrix) -> None:
        self.beginResetModel()
        self._matrix = matrix
        self._rebuild_rows()
        self._update_leaders()
        self.endResetModel()

    def set_view_options(self, order: EvidenceOrder, hide_non_diagnostic: bool, hide_excluded: bool) -> None:
        self.layoutAboutToBeChanged.emit()
        old_rows = self._rows
        persistent = self.persistentIndexList()
        self.order, self.hide_non_diagnostic, self.hide_excluded = order, hide_non_diagnostic, hide_excluded
        self._rebuild_rows()
        new_indexes = []
        for index in persistent:  # keep selection and current cell on the same items
            row = self._row_of.get(old_rows[index.row()], -1) if 0 <= index.row() < len(old_rows) else -1
            new_indexes.append(self.index(row, index.column()) if row >= 0 else QModelIndex())
        self.changePersistentIndexList(persistent, new_indexes)
        self.layoutChanged.emit()

    def _rebuild_rows(self) -> None:
        self._rows = visible_evidence(self._matrix, self.order, self.hide_non_diagnostic, self.hide_excluded)
        self._row_of = {eid: row for row, eid in enumerate(self._rows)}

    def refresh_styles(self) -> None:
        """Pick the rating colours for the current (light or dark) palette."""
        dark = is_dark()
        self._styles = rating_styles(dark)
        self._muted = QBrush(
            QApplication.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        )
        self._excluded = QBrush(
            QApplication.palette().color(QPalette.ColorRole.Window), Qt.BrushStyle.SolidPattern
        )
        self.leader_brush = QBrush(QColor("#3b5d2a" if dark else "#e3f1d5"))
        self._concern_icon = QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        self._diag_brushes = [
            QBrush(QColor(0, 0, 0, 0))
            if level == 0
            else QBrush(
                QColor(255, 255, 255, 18 + 16 * level) if dark else QColor(40, 90, 160, 14 + 14 * level)
            )
            for level in range(MAX_DIAGNOSTICITY + 1)
        ]
        self._linchpin_brush = QBrush(QColor("#6b5a12" if dark else "#f6e6a6"))
        self._provisional_font = QFont()
        self._provisional_font.setItalic(True)
        self._provisional_font.setUnderline(True)
        self._bold = QFont()
        self._bold.setBold(True)
        self._italic = QFont()
        self._italic.setItalic(True)

    def _update_leaders(self) -> None:
        ranks = self._matrix.board.ranks()
        rated = any(self._matrix.board.inconsistency(h) for h in ranks)
        self._leaders = (
            frozenset(h for h, (rank, _) in ranks.items() if rank == 1) if ranks and rated else frozenset()
        )

    @property
    def leaders(self) -> frozenset[int]:
        return self._leaders

    def set_linchpins(self, evidence_ids: frozenset[int]) -> None:
        """Mark the items whose removal alone would change the lead (from the analysis)."""
        changed = self._linchpins ^ evidence_ids
        self._linchpins = evidence_ids
        for eid in changed:
            row = self._row_of.get(eid)
            if row is not None:
                index = self.index(row, Column.NUMBER)
                self.dataChanged.emit(index, index)

    @property
    def linchpins(self) -> frozenset[int]:
        return self._linchpins

    # -- lookups used by the view -----------------------------------------------------
    def evidence_id(self, row: int) -> int:
        return self._rows[row]

    def row_of(self, evidence_id: int) -> int | None:
        return self._row_of.get(evidence_id)

    def hypothesis_id(self, column: int) -> int | None:
        i = column - FIXED_COLUMNS
        hyps = self._matrix.hypotheses
        return hyps[i].id if 0 <= i < len(hyps) else None

    def column_of(self, hypothesis_id: int) -> int:
        return FIXED_COLUMNS + self._matrix.hypothesis_index(hypothesis_id)

    # -- Qt model interface ---------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else FIXED_COLUMNS + len(self._matrix.hypotheses)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() in (Column.NUMBER, Column.DIAGNOSTICITY):
            return base
        return base | Qt.ItemFlag.ItemIsEditable

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1) if role == Qt.ItemDataRole.DisplayRole else None
        if section < FIXED_COLUMNS:
            col = Column(section)
            if role == Qt.ItemDataRole.DisplayRole:
                marker = "▾" if SORT_COLUMNS.get(col) is self.order and col is not Column.NUMBER else ""
                return FIXED_HEADERS[col] + marker
            if role == Qt.ItemDataRole.ToolTipRole:
                return FIXED_TOOLTIPS[col]
            return None
        hid = self.hypothesis_id(section)
        if hid is None:
            return None
        h = self._matrix.hypothesis(hid)
        leader = hid in self._leaders
        if role == Qt.ItemDataRole.DisplayRole:
            # One line: the header wraps it to the column's width.
            badge = milestone_badge(self._matrix, hid, date.today())
            return f"{LEADER_MARK} {h.ref} {h.label}{badge}" if leader else f"{h.ref} {h.label}{badge}"
        if role == Qt.ItemDataRole.FontRole and leader:
            return self._bold
        if role == Qt.ItemDataRole.ToolTipRole:
            board = self._matrix.board
            lead = "\nLeading: least inconsistent." if leader else ""
            return (
                f"<b>{h.ref} {escape(h.label)}</b><br>{escape(h.description)}<br><br>"
                f"Inconsistency {board.inconsistency(hid)}, weighted {float(board.weighted(hid)):.2f}"
                f"{lead}"
            ) + (f"<br><br>{due}" if (due := milestone_tooltip(self._matrix, hid, date.today())) else "")
        if role == HYPOTHESIS_ID_ROLE:
            return hid
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        eid = self._rows[row]
        if role == EVIDENCE_ID_ROLE:
            return eid
        if role == EXCLUDED_ROLE:
            return not self._matrix.evidence_item(eid).included
        if col >= FIXED_COLUMNS:
            return self._cell_data(eid, self._matrix.hypotheses[col - FIXED_COLUMNS].id, role)
        ev = self._matrix.evidence_item(eid)
        if role == Qt.ItemDataRole.DecorationRole and col == Column.NUMBER and concern_mark(self._matrix, ev):
            return self._concern_icon  # from a source of high deception concern: the tooltip says why
        if col in _MARKED and (marked := self._marked_data(ev, Column(col), role)) is not None:
            return marked
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            match col:
                case Column.NUMBER:
                    return ev.ref
                case Column.SUMMARY:
                    return ev.summary
                case Column.DATE:
                    return ev.date
                case Column.TYPE:
                    return ev.kind.value
                case Column.CREDIBILITY:
                    if role == Qt.ItemDataRole.EditRole:
                        return ev.credibility.value
                    return _LEVEL_SHORT[ev.credibility] + self._credibility_mark(ev)
                case Column.RELEVANCE:
                    return (
                        _LEVEL_SHORT[ev.relevance]
                        if role == Qt.ItemDataRole.DisplayRole
                        else ev.relevance.value
                    )
                case Column.DIAGNOSTICITY:
                    return str(self._matrix.board.diagnosticity(eid))
        if role == Qt.ItemDataRole.ForegroundRole and not ev.included:
            return self._muted
        if role == Qt.ItemDataRole.FontRole and not ev.included:
            return self._italic
        if role == Qt.ItemDataRole.TextAlignmentRole and col != Column.SUMMARY:
            return Qt.AlignmentFlag.AlignCenter
        if role == Qt.ItemDataRole.BackgroundRole and col == Column.DIAGNOSTICITY:
            return self._diag_brushes[self._matrix.board.diagnosticity(eid)]
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == Column.CREDIBILITY and (grades := self._credibility_note(ev)):
                return grades
            if col == Column.NUMBER and (concern := concern_tooltip(self._matrix, ev)):
                return concern
            return evidence_tooltip(ev, self._matrix.board.diagnosticity(eid))
        return None

    def _marked_data(self, ev: Evidence, col: Column, role: int) -> Any:
        """Linchpins (number column) and provisional what-if values, or None for the
        usual data."""
        provisional = self.what_if.provisional_fields(ev.id) if self.what_if is not None else {}
        name = _MARKED[col]
        shown = bool(provisional) if col is Column.NUMBER else name in provisional
        linchpin = col is Column.NUMBER and ev.id in self._linchpins
        if role == Qt.ItemDataRole.DisplayRole and (shown or linchpin):
            text = ev.ref if col is Column.NUMBER else _LEVEL_SHORT[getattr(ev, name)]
            return (f"[{text}]" if shown else text) + (" ◆" if linchpin else "")
        if role == Qt.ItemDataRole.FontRole and shown:
            return self._provisional_font
        if role == Qt.ItemDataRole.BackgroundRole and linchpin:
            return self._linchpin_brush
        if role == Qt.ItemDataRole.ToolTipRole and (shown or linchpin):
            notes = []
            if linchpin:
                notes.append("◆ Linchpin: removing this item alone would change the lead.")
                if concern := concern_tooltip(self._matrix, ev):
                    notes.append(concern)
            for field, old in provisional.items():
                value = old.value if isinstance(old, Level) else ("included" if old else "excluded")
                notes.append(f"What-if (not saved): {field} was {value}.")
            return "<br>".join(notes)
        return None

    def _credibility_mark(self, ev: Evidence) -> str:
        """ "*" when the analyst overrode the grades, "?" when they cannot be judged."""
        if ev.credibility_overridden:
            return "*"
        suggestion = self._matrix.credibility_suggestion(ev)
        return "?" if suggestion is not None and suggestion.unknown else ""

    def _credibility_note(self, ev: Evidence) -> str:
        suggestion = self._matrix.credibility_suggestion(ev)
        if suggestion is None:
            return ""
        if ev.credibility_overridden:
            return (
                f"Credibility {ev.credibility.value}: <b>your override</b>; "
                f"the grades suggest {suggestion.describe()}"
            )
        return f"Credibility {ev.credibility.value}, as the grades suggest: {suggestion.describe()}"

    def _cell_data(self, eid: int, hid: int, role: int) -> Any:
        cell = self._matrix.cells.get((eid, hid))
        if self.what_if is not None and self.what_if.is_provisional_cell(eid, hid):
            if role == Qt.ItemDataRole.DisplayRole:
                return f"[{cell.rating.value if cell else '–'}]"
            if role == Qt.ItemDataRole.FontRole:
                return self._provisional_font
            if role == Qt.ItemDataRole.ToolTipRole:
                was = self.what_if.original_cells[(eid, hid)]
                return f"What-if (not saved): was {was.rating.value if was else 'unrated'}."
        if role == Qt.ItemDataRole.DisplayRole:
            return cell.rating.value if cell else ""
        if role == Qt.ItemDataRole.EditRole or role == RATING_ROLE:
            # A plain code: enums do not survive the trip through QVariant.
            return cell.rating.value if cell else None
        if role == HYPOTHESIS_ID_ROLE:
            return hid
        if role == RATED_IN_ROLE:
            return cell.rated_in.value if cell is not None and cell.rated_in is not None else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignCenter
        if cell is None:
            if role == Qt.ItemDataRole.ToolTipRole:
                return "Unrated (not the same as N). Type a rating key, or Enter to choose."
            return None
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
            if not self._matrix.evidence_item(eid).included:  # shown, but it does not count
                return self._excluded if role == Qt.ItemDataRole.BackgroundRole else self._muted
            style = self._styles[cell.rating]
            return style.background if role == Qt.ItemDataRole.BackgroundRole else style.foreground
        if role == Qt.ItemDataRole.FontRole and cell.rating in (Rating.CC, Rating.II):
            return self._bold
        if role == Qt.ItemDataRole.ToolTipRole:
            return cell_tooltip(cell, self._matrix.hypothesis(hid).label)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Editors hand their value here; it becomes a request, applied by an undo command."""
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        eid = self._rows[index.row()]
        hid = self.hypothesis_id(index.column())
        if hid is not None:
            self.rating_edit_requested.emit(eid, hid, Rating(value) if value else None)
            return True
        field = {
            Column.SUMMARY: "summary",
            Column.DATE: "date",
            Column.TYPE: "kind",
            Column.CREDIBILITY: "credibility",
            Column.RELEVANCE: "relevance",
        }.get(Column(index.column()))
        if field is None:
            return False
        self.evidence_edit_requested.emit(eid, {field: value})
        return True

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        sort_by = SORT_COLUMNS.get(Column(column)) if column < FIXED_COLUMNS else None
        if sort_by is not None:
            self.set_view_options(sort_by, self.hide_non_diagnostic, self.hide_excluded)

    # -- applying changes -------------------------------------------------------------
    def apply_change(self, change: Change) -> None:
        """Refresh exactly what *change* touched, and keep the sort and filter true."""
        if change.rows or change.columns:
            # Rare, user-paced operations: a reset is simplest and cheap enough.
            self.beginResetModel()
            self._rebuild_rows()
            self._update_leaders()
            self.endResetModel()
            return
        last = self.columnCount() - 1
        for eid, hid in change.cells:
            row = self._row_of.get(eid)
            if row is None:
                continue
            col = self.column_of(hid)
            self.dataChanged.emit(self.index(row, col), self.index(row, col))
            diag = self.index(row, Column.DIAGNOSTICITY)
            self.dataChanged.emit(diag, diag)
        for eid in change.evidence:
            row = self._row_of.get(eid)
            if row is not None:
                self.dataChanged.emit(self.index(row, 0), self.index(row, last))
        if change.hypotheses:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, FIXED_COLUMNS, last)
        if change.documents and self._rows:
            # A source's grade can change what the credibility column marks.
            column = Column.CREDIBILITY
            self.dataChanged.emit(self.index(0, column), self.index(len(self._rows) - 1, column))
        if change.scores:
            before = self._leaders
            self._update_leaders()
            if before != self._leaders:
                self.headerDataChanged.emit(Qt.Orientation.Horizontal, FIXED_COLUMNS, last)
        self._reposition_changed(change)

    # -- keeping the rows sorted and filtered --------------------------------------------
    def _reposition_changed(self, change: Change) -> None:
        """Move (or hide, or show) the items whose sort key or filter the change touched,
        so a sort by diagnosticity never goes stale under its header's mark."""
        moved: set[int] = set()
        if change.scores and (self.order is EvidenceOrder.DIAGNOSTICITY or self.hide_non_diagnostic):
            moved |= {eid for eid, _ in change.cells}  # their diagnosticity may have changed
        if change.evidence and (self.order is not EvidenceOrder.POSITION or self.hide_excluded):
            moved |= change.evidence
        for eid in sorted(moved):
            if self._matrix.has_evidence(eid):
                self._reposition(eid)

    def _reposition(self, eid: int) -> None:
        """One item to its place: a few comparisons and the rows between, not a re-sort."""
        ev = self._matrix.evidence_item(eid)
        shown = is_shown(self._matrix, ev, self.hide_non_diagnostic, self.hide_excluded)
        row = self._row_of.get(eid)
        rows = self._rows
        if row is None and not shown:
            return
        if row is not None and not shown:
            self.beginRemoveRows(QModelIndex(), row, row)
            del rows[row]
            del self._row_of[eid]
            self._renumber_rows(row, len(rows))
            self.endRemoveRows()
            return
        key = sort_key(self._matrix, self.order)
        item = self._matrix.evidence_item
        others = rows if row is None else rows[:row] + rows[row + 1 :]
        target = bisect.bisect_left(others, key(ev), key=lambda e: key(item(e)))
        if row is None:
            self.beginInsertRows(QModelIndex(), target, target)
            rows.insert(target, eid)
            self._renumber_rows(target, len(rows))
            self.endInsertRows()
        elif target != row:
            self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), target if target < row else target + 1)
            rows.pop(row)
            rows.insert(target, eid)
            self._renumber_rows(min(row, target), max(row, target) + 1)
            self.endMoveRows()

    def _renumber_rows(self, start: int, end: int) -> None:
        for row in range(start, end):
            self._row_of[self._rows[row]] = row
