"""Comparing your matrix with a colleague's, and taking their ratings or items.

Every take goes through the open project's session, so it is validated, saved at once
and undoable (one undo step per take) from the main window.
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hyp_board.core.compare import Comparison, Pair, Taking, compare, ranking_text
from hyp_board.core.matrix import Matrix
from hyp_board.core.model import Cell
from hyp_board.core.wording import counted
from hyp_board.ui.plain_text import plain_tooltip
from hyp_board.ui.project_session import ProjectSession
from hyp_board.ui.theme import is_dark, is_theme_change

Index = QModelIndex | QPersistentModelIndex
THEIRS_ONLY = "+ "  # a plain plus: every font has it


def _code(cell: Cell | None) -> str:
    return cell.rating.value if cell else "·"


class CompareModel(QAbstractTableModel):
    """Rows: evidence of either side; column 0 the evidence, then hypotheses of either side."""

    def __init__(self, comparison: Comparison) -> None:
        super().__init__()
        self.differences_only = False
        self._italic = QFont()
        self._italic.setItalic(True)
        self.set_comparison(comparison)

    def set_comparison(self, comparison: Comparison) -> None:
        self.beginResetModel()
        self.comparison = comparison
        dark = is_dark()
        self._differ = QBrush(QColor("#6b5a12" if dark else "#ffe69a"))
        self._theirs = QBrush(QColor("#244d2a" if dark else "#dcf3d6"))
        self._mine = QBrush(QColor("#3a3a3a" if dark else "#ededed"))
        columns = range(len(comparison.hypotheses))
        self.rows = [
            r
            for r, e in enumerate(comparison.evidence)
            if not self.differences_only or not e.matched or any(comparison.differs(r, c) for c in columns)
        ]
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 1 + len(self.comparison.hypotheses)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Vertical or role != Qt.ItemDataRole.DisplayRole:
            if role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal and section:
                pair = self.comparison.hypotheses[section - 1]
                return (
                    "Only in their version"
                    if pair.mine is None
                    else ("Only in your version" if pair.theirs is None else None)
                )
            return None
        if section == 0:
            return "Evidence"
        pair = self.comparison.hypotheses[section - 1]
        if pair.mine is None:
            label = f"{THEIRS_ONLY}{pair.theirs.label}"  # type: ignore[union-attr]
        else:
            label = pair.mine.label + ("" if pair.theirs else " (yours only)")
        lines = textwrap.wrap(label, 14, break_long_words=True) or [""]
        return "\n".join(lines[:2]) + ("…" if len(lines) > 2 else "")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r, col = self.rows[index.row()], index.column()
        e = self.comparison.evidence[r]
        if col == 0:
            item = e.mine or e.theirs
            assert item is not None
            if role == Qt.ItemDataRole.DisplayRole:
                prefix = THEIRS_ONLY if e.mine is None else ("(yours only) " if e.theirs is None else "")
                return prefix + item.summary
            if role == Qt.ItemDataRole.BackgroundRole and not e.matched:
                return self._theirs if e.mine is None else self._mine
            if role == Qt.ItemDataRole.FontRole and not e.matched:
                return self._italic
            if role == Qt.ItemDataRole.ToolTipRole:
                return (
                    "Only in their version"
                    if e.mine is None
                    else ("Only in your version" if e.theirs is None else plain_tooltip(item.summary))
                )
            return None
        c = col - 1
        mine, theirs = self.comparison.cells(r, c)
        both = e.matched and self.comparison.hypotheses[c].matched
        if role == Qt.ItemDataRole.DisplayRole:
            if both:
                return (
                    _code(mine) if not self.comparison.differs(r, c) else f"{_code(mine)} → {_code(theirs)}"
                )
            return _code(theirs) if theirs else (_code(mine) if mine else "")
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignCenter
        if role == Qt.ItemDataRole.BackgroundRole:
            if both and self.comparison.differs(r, c):
                return self._differ
            if not both and theirs is not None:
                return self._theirs
            if not both and mine is not None:
                return self._mine
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = []
            if mine is not None or both:
                lines.append(f"Yours: {_code(mine)}" + (f" — {mine.reason}" if mine and mine.reason else ""))
            if theirs is not None or both:
                lines.append(
                    f"Theirs: {_code(theirs)}" + (f" — {theirs.reason}" if theirs and theirs.reason else "")
                )
            return plain_tooltip("\n".join(lines))
        return None


class CompareDialog(QDialog):
    """Your matrix beside a colleague's version of it, with ways to take theirs."""

    def __init__(
        self, session: ProjectSession, theirs: Matrix, source: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.theirs = theirs
        self.source = source
        self._busy = False
        self.setWindowTitle(f"Compare with {source}")
        self.resize(1100, 700)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.model = CompareModel(compare(session.matrix, theirs))
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.horizontalHeader().setDefaultSectionSize(110)
        self.table.setColumnWidth(0, 360)
        self.table.horizontalHeader().setMinimumHeight(self.fontMetrics().height() * 2 + 12)
        self.only_differences = QCheckBox("Show only differences")
        self.only_differences.toggled.connect(self._toggle_filter)
        self.take_cells = QPushButton("Take Their &Rating")
        self.take_cells.setToolTip("Set the selected cells to their rating and reason (T)")
        self.take_rows = QPushButton("Take Their Ro&ws")
        self.take_rows.setToolTip(
            "Take their ratings in the selected rows; add items only they have (Shift+T)"
        )
        self.take_all = QPushButton("Take &Everything of Theirs")
        self.take_all.setToolTip("Every rating where you differ, and every item only they have")
        close = QPushButton("Close")
        close.clicked.connect(self.close)
        self.take_cells.clicked.connect(self.take_selected_cells)
        self.take_rows.clicked.connect(self.take_selected_rows)
        self.take_all.clicked.connect(self.take_everything)
        QShortcut(QKeySequence("T"), self, self._take_cells_key)
        QShortcut(QKeySequence("Shift+T"), self, self._take_rows_key)
        # Undo and redo work here as in the main window (every take is an undo step there).
        QShortcut(QKeySequence.StandardKey.Undo, self, session.undo_stack.undo)
        for keys in ("Ctrl+Shift+Z", "Ctrl+Y"):
            QShortcut(QKeySequence(keys), self, session.undo_stack.redo)
        self.selection_note = QLabel()
        self.selection_note.setTextFormat(Qt.TextFormat.PlainText)
        buttons = QHBoxLayout()
        buttons.addWidget(self.only_differences)
        buttons.addStretch(1)
        buttons.addWidget(self.selection_note)
        for b in (self.take_cells, self.take_rows, self.take_all, close):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(
            QLabel(
                "<span style='color:gray'>Cells read <b>yours → theirs</b> where you differ (highlighted); "
                f"{THEIRS_ONLY}marks what only they have. Every take can be undone (Ctrl+Z), here or "
                "in the main window.</span>"
            )
        )
        layout.addLayout(buttons)
        session.changed.connect(lambda _change: self.refresh())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        self.refresh()

    def event(self, event: QEvent) -> bool:
        if is_theme_change(event):
            self.refresh()  # highlight colours for the new theme
        return super().event(event)

    # -- showing -------------------------------------------------------------------------
    def refresh(self) -> None:
        if self._busy:
            return
        kept = self._selection_keys()
        self.model.set_comparison(compare(self.session.matrix, self.theirs))
        self._select_keys(kept)  # an undo in the main window keeps what was selected here
        n = self.model.comparison.counts()
        only = []
        for who, side in (("they have", "theirs"), ("you have", "mine")):
            evidence, hypotheses = n[f"evidence_only_{side}"], n[f"hypotheses_only_{side}"]
            items = [
                counted(evidence, "evidence item") if evidence else "",
                counted(hypotheses, "hypothesis") if hypotheses else "",
            ]
            if evidence or hypotheses:
                only.append(f"only {who} " + " and ".join(i for i in items if i))
        self._selection_changed()
        self.summary.setText(
            f"<b>{n['agree']} rated cells agree, {n['differ']} differ</b>"
            + (f"; {'; '.join(only)}." if only else ".")
            + f"<br>Your ranking: {html.escape(ranking_text(self.session.matrix))}"
            + f"<br>Their ranking: {html.escape(ranking_text(self.theirs))}"
        )

    def _toggle_filter(self, on: bool) -> None:
        self.model.differences_only = on
        self.refresh()

    # -- selection -----------------------------------------------------------------------
    def _selection_changed(self) -> None:
        selected = self.table.selectionModel().hasSelection()
        for button in (self.take_cells, self.take_rows):
            button.setEnabled(selected)
        self.selection_note.setText("" if selected else "Select cells or rows to take their ratings.")

    @staticmethod
    def _key(pair: Pair[Any]) -> str:
        item = pair.theirs or pair.mine
        assert item is not None
        return item.uuid  # the same on both sides once matched, and after a take

    def _selection_keys(self) -> set[tuple[str, str]]:
        comparison = self.model.comparison
        keys = set()
        for index in self.table.selectionModel().selectedIndexes():
            row = self._key(comparison.evidence[self.model.rows[index.row()]])
            column = "" if index.column() == 0 else self._key(comparison.hypotheses[index.column() - 1])
            keys.add((row, column))
        return keys

    def _select_keys(self, keys: set[tuple[str, str]]) -> None:
        if not keys:
            return
        comparison = self.model.comparison
        rows = {self._key(comparison.evidence[r]): i for i, r in enumerate(self.model.rows)}
        columns = {self._key(h): c + 1 for c, h in enumerate(comparison.hypotheses)}
        columns[""] = 0
        selection = QItemSelection()
        for row_key, column_key in keys:
            if row_key in rows and column_key in columns:
                index = self.model.index(rows[row_key], columns[column_key])
                selection.select(index, index)
        self.table.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def _selected(self) -> list[tuple[int, int]]:
        return sorted(
            {
                (self.model.rows[i.row()], i.column() - 1)
                for i in self.table.selectionModel().selectedIndexes()
            }
        )

    # -- taking ----------------------------------------------------------------------------
    # Takes work on the pairs of one comparison, and the view refreshes once at the end:
    # each edit changes the project, and a refresh between them would shift the rows.
    def _take_cells_key(self) -> None:
        if self.take_cells.isEnabled():
            self.take_selected_cells()

    def _take_rows_key(self) -> None:
        if self.take_rows.isEnabled():
            self.take_selected_rows()

    def take_selected_cells(self) -> None:
        comparison = self.model.comparison
        cells = [(comparison.evidence[r], comparison.hypotheses[c]) for r, c in self._selected() if c >= 0]

        def take(taking: Taking) -> None:
            for e, h in cells:
                taking.cell(e, h)

        self._taking("Take their ratings", take)

    def take_selected_rows(self) -> None:
        comparison = self.model.comparison
        rows = [comparison.evidence[r] for r in sorted({r for r, _ in self._selected()})]

        def take(taking: Taking) -> None:
            for e in rows:
                taking.row(e, comparison.hypotheses)

        self._taking("Take their rows", take)

    def take_everything(self) -> None:
        self._taking("Take everything of theirs", Taking.everything)

    def _taking(self, text: str, take: Callable[[Taking], None]) -> None:
        self._busy = True
        try:
            self.session.snapshot_automatically(f"Before taking from {self.source}")
            with self.session.macro(text):
                taking = Taking(self.session, self.theirs)
                take(taking)
                # All ratings in one command: thousands of cells stay one quick step.
                self.session.set_cells(taking.cell_edits(), text)
        finally:
            self._busy = False
            self.refresh()
