"""The matrix table: keyboard rating, column widths that fit the window, and the #
and Evidence columns frozen in place while the hypotheses scroll sideways."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QEvent, QModelIndex, QPersistentModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from hyp_board.ui.frozen_columns import FrozenColumns, scroll_clear_of
from hyp_board.ui.matrix_delegates import (
    KEYS_TOOLTIP,
    ChoiceDelegate,
    ListEditingDelegate,
    RatingDelegate,
    level_for_key,
    rating_for_key,
)
from hyp_board.ui.matrix_header import HEADER_PADDING, NEVER_WRAPPED, MatrixHeader
from hyp_board.ui.matrix_model import FIXED_COLUMNS, HYPOTHESIS_ID_ROLE, Column, MatrixModel
from hyp_board.ui.theme import is_theme_change

Index = QModelIndex | QPersistentModelIndex
FROZEN_COLUMNS = 2  # # and Evidence stay in place
_PAD = 14  # a cell's text margins

# Widths, as the text they must hold in the view's font.
_WIDTH_TEXTS = {
    Column.NUMBER: "E000 ⚠",  # room for the mark of a source of high deception concern
    Column.DATE: "2000-00-00",
    Column.TYPE: "Assumption",
    Column.CREDIBILITY: "Cred.▾",
    Column.RELEVANCE: "Rel.",
    Column.DIAGNOSTICITY: "Diag.▾",
}


class MatrixView(QTableView):
    """Keyboard-first: arrows move, rating keys rate every selected cell, Delete clears,
    H/M/L set credibility or relevance.

    Columns fit the room the window gives: the evidence column between a minimum and
    a maximum, hypothesis columns from a comfortable width down to a narrow one before
    the matrix scrolls sideways, until the analyst sets widths by hand (kept from then
    on, through every change to the project).
    """

    rate_requested = Signal(list, object)  # [(evidence id, hypothesis id)], Rating or None
    levels_requested = Signal(list, str, object)  # [evidence id], "credibility"/"relevance", Level
    header_clicked = Signal(int)  # section
    header_menu_requested = Signal(int, QPoint)  # section, global position
    cell_menu_requested = Signal(QModelIndex, QPoint)  # index, global position

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHorizontalHeader(MatrixHeader(FIXED_COLUMNS, self))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.verticalHeader().hide()
        # Fixed row heights: the view never measures 2,000 rows of text.
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.setToolTip(KEYS_TOOLTIP)
        self._rating_delegate = RatingDelegate(self)
        self._choice_delegate = ChoiceDelegate(self)
        self.setItemDelegate(self._choice_delegate)
        frozen_header = MatrixHeader(NEVER_WRAPPED)  # (its columns are the frozen ones: none wraps)
        self._frozen = FrozenColumns(self, FROZEN_COLUMNS, frozen_header)
        self.frozen = self._frozen.part
        # Its own delegate: a delegate's editor signals go to every view it serves.
        self.frozen.setItemDelegate(ChoiceDelegate(self.frozen))
        self.frozen.setToolTip(KEYS_TOOLTIP)
        for header in (self.horizontalHeader(), frozen_header):
            assert isinstance(header, MatrixHeader)
            header.section_clicked.connect(self.header_clicked)
            header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            header.customContextMenuRequested.connect(
                lambda pos, h=header: self.header_menu_requested.emit(
                    h.logicalIndexAt(pos), h.mapToGlobal(pos)
                )
            )
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(
            lambda pos: self.cell_menu_requested.emit(self.indexAt(pos), self.viewport().mapToGlobal(pos))
        )
        self.frozen.menu_requested.connect(self.cell_menu_requested)
        self._hand_widths: dict[Any, int] = {}  # Column, or ("h", hypothesis id): width
        self._fitting = False
        self.horizontalHeader().sectionResized.connect(self._section_resized)

    # -- model and columns -----------------------------------------------------------------
    def setModel(self, model: QAbstractItemModel | None) -> None:
        super().setModel(model)
        if isinstance(model, MatrixModel):
            self.frozen.attach(model)
            model.modelReset.connect(self.apply_column_setup)
            model.headerDataChanged.connect(lambda *_: self.horizontalHeader().fit_height())  # type: ignore[attr-defined]
            self.apply_column_setup()

    def _header(self) -> MatrixHeader:
        header = self.horizontalHeader()
        assert isinstance(header, MatrixHeader)
        return header

    def _key(self, column: int) -> Any:
        model = self.model()
        if column < FIXED_COLUMNS or model is None:
            return Column(column)
        return ("h", model.headerData(column, Qt.Orientation.Horizontal, HYPOTHESIS_ID_ROLE))

    def preferred_widths(self) -> dict[str, int]:
        """Widths in this view's font: fixed columns, and the bounds the others fit in."""
        fm = self.fontMetrics()
        char = fm.averageCharWidth()
        return {
            **{str(int(c)): fm.horizontalAdvance(text) + _PAD for c, text in _WIDTH_TEXTS.items()},
            "summary_min": char * 22,
            "summary_comfortable": char * 36,
            "summary_max": char * 90,
            "hypothesis": fm.horizontalAdvance("propaganda") + 2 * _PAD,
            "hypothesis_min": fm.horizontalAdvance("Iranian") + _PAD,
            "letters": fm.horizontalAdvance("CC") + 10,
        }

    def apply_column_setup(self) -> None:
        model = self.model()
        if not isinstance(model, MatrixModel):
            return
        widths = self.preferred_widths()
        header = self.horizontalHeader()
        header.setMinimumSectionSize(widths["letters"])  # rating columns as narrow as their letters
        with self._header().fit_held():
            self._fitting = True
            for col in _WIDTH_TEXTS:
                self.setColumnWidth(col, self._hand_widths.get(col, widths[str(int(col))]))
            for hypothesis_column in range(FIXED_COLUMNS, model.columnCount()):
                self.setItemDelegateForColumn(hypothesis_column, self._rating_delegate)
            self._fitting = False
            self.fit_columns()

    def fit_columns(self) -> None:
        """Share the room between the evidence and the hypothesis columns not sized by hand."""
        model = self.model()
        room_total = self.viewport().width()
        if model is None or room_total < 50:
            return
        w = self.preferred_widths()
        hyps = [c for c in range(FIXED_COLUMNS, model.columnCount()) if self._key(c) not in self._hand_widths]
        set_hyps = [c for c in range(FIXED_COLUMNS, model.columnCount()) if c not in hyps]
        fixed = sum(self.columnWidth(c) for c in _WIDTH_TEXTS) + sum(
            self._hand_widths[self._key(c)] for c in set_hyps
        )
        room = room_total - fixed - 2
        summary = self._hand_widths.get(Column.SUMMARY)
        n = len(hyps)
        comfortable, least = w["summary_comfortable"], w["summary_min"]
        word = max(w["hypothesis_min"], min(self._longest_label_word(hyps), 2 * w["hypothesis"]))
        preferred = max(word, w["hypothesis"])
        if summary is not None:
            hyp = max(w["hypothesis_min"], min(preferred, (room - summary) // n)) if n else 0
        elif not n or room - n * preferred >= comfortable:
            # Room for all: the evidence takes what the hypotheses leave, up to its maximum.
            hyp = preferred
            summary = min(w["summary_max"], room - n * hyp)
        elif room - n * word >= least:
            # Hypothesis columns narrow first, their labels wrapping but every word whole;
            # the evidence keeps what it can of a comfortable width.
            hyp = max(word, (room - comfortable) // n)
            summary = room - n * hyp
        else:
            # Then labels are cut (whole in the tooltip) and the evidence narrows to its
            # minimum; past that, the hypotheses scroll sideways.
            hyp = max(w["hypothesis_min"], (room - least) // n)
            summary = max(least, room - n * hyp)
        header = self._header()
        with header.fit_held():
            self._fitting = True
            self.setColumnWidth(Column.SUMMARY, summary)
            for col in hyps:
                self.setColumnWidth(col, hyp)
            for col in set_hyps:
                self.setColumnWidth(col, self._hand_widths[self._key(col)])
            self._fitting = False
        header.fit_height()
        self.frozen.update_geometry()

    def _longest_label_word(self, columns: list[int]) -> int:
        """The width a hypothesis column needs for the longest word of its label (in bold,
        as the leader's is drawn)."""
        model = self.model()
        if model is None or not columns:
            return 0
        font = QFont(self.horizontalHeader().font())
        font.setBold(True)
        metrics = QFontMetrics(font)
        words = {
            w for c in columns for w in str(model.headerData(c, Qt.Orientation.Horizontal) or "").split()
        }
        return max((metrics.horizontalAdvance(w) for w in words), default=0) + 2 * HEADER_PADDING + 4

    def _section_resized(self, column: int, _old: int, new: int) -> None:
        if not self._fitting and self.model() is not None:
            self._hand_widths[self._key(column)] = new

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_columns()

    def event(self, event: QEvent) -> bool:
        if is_theme_change(event):
            model = self.model()
            if isinstance(model, MatrixModel):  # colours come from the palette: a new theme
                model.refresh_styles()
                self.viewport().update()
                self.frozen.viewport().update()
        return super().event(event)

    # -- scrolling and editing around the frozen columns -----------------------------------
    def scrollTo(
        self, index: Index, hint: QAbstractItemView.ScrollHint = QAbstractItemView.ScrollHint.EnsureVisible
    ) -> None:
        bar = self.horizontalScrollBar()
        before = bar.value()
        super().scrollTo(index, hint)
        bar.setValue(before)  # sideways, only as far as the frozen columns allow:
        scroll_clear_of(self, QModelIndex(index), self.frozen.width_of_frozen(), FROZEN_COLUMNS)  # type: ignore[arg-type]

    def edit(self, index: Index, trigger: Any = None, event: QEvent | None = None) -> bool:  # type: ignore[override]
        if trigger is None:  # the public edit(index), as Tab and the window call it
            trigger = QAbstractItemView.EditTrigger.AllEditTriggers
        ListEditingDelegate.open_lists = trigger in (
            QAbstractItemView.EditTrigger.DoubleClicked,
            QAbstractItemView.EditTrigger.EditKeyPressed,
        )
        if index.isValid() and index.column() < FROZEN_COLUMNS:
            # The cell is drawn by the overlay: its editor goes there, or it would be hidden.
            return bool(self.frozen.edit(QModelIndex(index), trigger, event))  # type: ignore[arg-type]
        return bool(super().edit(index, trigger, event))  # type: ignore[arg-type]

    # -- keys ------------------------------------------------------------------------------
    def selected_cells(self) -> list[tuple[int, int]]:
        """(evidence id, hypothesis id) of every selected rating cell, or the current one."""
        model = self.model()
        assert isinstance(model, MatrixModel)
        indexes = self.selectionModel().selectedIndexes() or [self.currentIndex()]
        cells = []
        for index in indexes:
            if index.isValid() and (hid := model.hypothesis_id(index.column())) is not None:
                cells.append((model.evidence_id(index.row()), hid))
        return cells

    def _selected_rows_in(self, column: int) -> list[int]:
        model = self.model()
        assert isinstance(model, MatrixModel)
        rows = {i.row() for i in self.selectionModel().selectedIndexes() if i.column() == column}
        rows = rows or {self.currentIndex().row()}
        return [model.evidence_id(r) for r in sorted(rows)]

    def keyPressEvent(self, event: QKeyEvent) -> None:
        current = self.currentIndex()
        editing = self.state() == QAbstractItemView.State.EditingState
        on_rating = current.isValid() and current.column() >= FIXED_COLUMNS
        if on_rating and not editing:
            rating = rating_for_key(event)
            if rating is not None:
                self.rate_requested.emit(self.selected_cells(), rating)
                event.accept()
                return
            if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and not event.modifiers():
                self.rate_requested.emit(self.selected_cells(), None)
                event.accept()
                return
        grade_column = {Column.CREDIBILITY: "credibility", Column.RELEVANCE: "relevance"}.get(
            Column(current.column()) if current.isValid() and current.column() < FIXED_COLUMNS else None  # type: ignore[arg-type]
        )
        if grade_column and not editing and (level := level_for_key(event)) is not None:
            self.levels_requested.emit(self._selected_rows_in(current.column()), grade_column, level)
            event.accept()
            return
        if (
            event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and current.isValid()
            and not editing
            and self.edit(current, QAbstractItemView.EditTrigger.EditKeyPressed, event)
        ):
            event.accept()
            return
        super().keyPressEvent(event)

    def keyboardSearch(self, search: str) -> None:
        """Letters typed on cells that take no key do nothing (they used to jump rows)."""
