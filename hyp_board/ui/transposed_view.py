"""The tables of View → Hypotheses in Rows: the transposed matrix, rated with the same
keys as the matrix, and the scores pinned at the right end of each hypothesis's row.

As in the matrix, a click on a header never selects: a hypothesis's label opens it
for editing, an evidence number shows the item; cells are rated only when selected.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFontMetrics, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QStyleOptionHeader, QTableView, QWidget

from hyp_board.ui.matrix_delegates import KEYS_TOOLTIP, ListEditingDelegate, RatingDelegate, rating_for_key
from hyp_board.ui.matrix_header import HEADER_PADDING, NEVER_WRAPPED, MatrixHeader, wrap_label
from hyp_board.ui.matrix_model import EVIDENCE_ID_ROLE, HYPOTHESIS_ID_ROLE
from hyp_board.ui.theme import is_theme_change
from hyp_board.ui.transposed_models import TransposedMatrixModel, TransposedScoreModel

Index = QModelIndex | QPersistentModelIndex
LABEL_LINES = 2  # a hypothesis label wraps onto this many lines (whole in its tooltip)
LABEL_CHARS = 30  # the label column's width, in average characters


class HypothesisRowHeader(QHeaderView):
    """The hypotheses' labels down the left, wrapped to two lines; a click emits
    :attr:`section_clicked` and selects nothing."""

    section_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Vertical, parent)
        self._pressed: int | None = None
        self.setSectionsClickable(True)
        self.setHighlightSections(True)
        self.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)

    def initStyleOptionForIndex(self, option: QStyleOptionHeader, logicalIndex: int) -> None:
        super().initStyleOptionForIndex(option, logicalIndex)
        model = self.model()
        text = str(model.headerData(logicalIndex, self.orientation()) or "") if model else ""
        width = max(1, self.width() - 2 * HEADER_PADDING - 4)
        option.text = "\n".join(wrap_label(text, QFontMetrics(self.font()), width, LABEL_LINES))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        section = self.logicalIndexAt(event.position().toPoint())
        if event.button() == Qt.MouseButton.LeftButton and section >= 0:
            self._pressed = section
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._pressed is not None:
            pressed, self._pressed = self._pressed, None
            if self.logicalIndexAt(event.position().toPoint()) == pressed:
                self.section_clicked.emit(pressed)
            event.accept()
            return
        super().mouseReleaseEvent(event)


class TransposedView(QTableView):
    """Hypotheses in rows, evidence in columns; the matrix's keys rate the selection."""

    rate_requested = Signal(list, object)  # [(evidence id, hypothesis id)], Rating or None
    hypothesis_clicked = Signal(int)  # hypothesis id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        columns = MatrixHeader(NEVER_WRAPPED, self)  # evidence numbers: short, never wrapped
        self.setHorizontalHeader(columns)
        columns.section_clicked.connect(self._evidence_clicked)
        rows = HypothesisRowHeader(self)
        self.setVerticalHeader(rows)
        rows.section_clicked.connect(self._hypothesis_clicked)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setItemDelegate(RatingDelegate(self))
        self.setToolTip(KEYS_TOOLTIP)
        self.setCornerButtonEnabled(False)
        self._size_sections()

    def _size_sections(self) -> None:
        fm = self.fontMetrics()
        self.verticalHeader().setDefaultSectionSize(fm.lineSpacing() * LABEL_LINES + 10)
        self.verticalHeader().setFixedWidth(fm.averageCharWidth() * LABEL_CHARS + 2 * HEADER_PADDING)
        self.horizontalHeader().setDefaultSectionSize(fm.horizontalAdvance("E000") + 10)
        self.horizontalHeader().setMinimumSectionSize(fm.horizontalAdvance("CC") + 10)
        self.horizontalHeader().setFixedHeight(fm.lineSpacing() + 2 * HEADER_PADDING + 4)

    def model(self) -> TransposedMatrixModel | None:  # type: ignore[override]
        model = super().model()
        return model if isinstance(model, TransposedMatrixModel) else None

    def event(self, event: QEvent) -> bool:
        if is_theme_change(event):
            self.viewport().update()
        return super().event(event)

    # -- clicks on the headers ---------------------------------------------------------------
    def _hypothesis_clicked(self, section: int) -> None:
        model = self.model()
        hid = model.headerData(section, Qt.Orientation.Vertical, HYPOTHESIS_ID_ROLE) if model else None
        if hid is not None:
            self.hypothesis_clicked.emit(int(hid))

    def _evidence_clicked(self, section: int) -> None:
        """The item's cell in the current hypothesis's row becomes current (the
        inspector shows the item); nothing else is selected."""
        model = self.model()
        if model is None or not model.rowCount():
            return
        row = max(self.currentIndex().row(), 0)
        self.selectionModel().setCurrentIndex(
            model.index(row, section), self.selectionModel().SelectionFlag.ClearAndSelect
        )

    # -- keys ---------------------------------------------------------------------------------
    def selected_cells(self) -> list[tuple[int, int]]:
        """(evidence id, hypothesis id) of every selected cell, or the current one."""
        indexes = self.selectionModel().selectedIndexes() or [self.currentIndex()]
        cells = []
        for index in indexes:
            eid, hid = index.data(EVIDENCE_ID_ROLE), index.data(HYPOTHESIS_ID_ROLE)
            if index.isValid() and eid is not None and hid is not None:
                cells.append((int(eid), int(hid)))
        return cells

    def keyPressEvent(self, event: QKeyEvent) -> None:
        current = self.currentIndex()
        if current.isValid() and self.state() != QAbstractItemView.State.EditingState:
            rating = rating_for_key(event)
            if rating is not None:
                self.rate_requested.emit(self.selected_cells(), rating)
                event.accept()
                return
            if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and not event.modifiers():
                self.rate_requested.emit(self.selected_cells(), None)
                event.accept()
                return
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.edit(
                current, QAbstractItemView.EditTrigger.EditKeyPressed, event
            ):
                event.accept()
                return
        super().keyPressEvent(event)

    def edit(self, index: Index, trigger: Any = None, event: QEvent | None = None) -> bool:  # type: ignore[override]
        if trigger is None:
            trigger = QAbstractItemView.EditTrigger.AllEditTriggers
        ListEditingDelegate.open_lists = trigger in (
            QAbstractItemView.EditTrigger.DoubleClicked,
            QAbstractItemView.EditTrigger.EditKeyPressed,
        )
        return bool(super().edit(index, trigger, event))  # type: ignore[arg-type]

    def keyboardSearch(self, search: str) -> None:
        """Letters that rate nothing do nothing (as in the matrix)."""


class TransposedScoreView(QTableView):
    """The scores at the end of each hypothesis's row: level with its rows and scrolled
    with them, whatever the evidence columns do sideways."""

    def __init__(self, rows_view: TransposedView) -> None:
        super().__init__()
        self._rows_view = rows_view
        self.verticalHeader().hide()
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(rows_view.verticalHeader().defaultSectionSize())
        self.horizontalHeader().setFixedHeight(rows_view.horizontalHeader().height())
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        rows_view.verticalScrollBar().valueChanged.connect(self.verticalScrollBar().setValue)
        self.verticalScrollBar().valueChanged.connect(rows_view.verticalScrollBar().setValue)

    def show_scores(self, model: TransposedScoreModel) -> None:
        self.setModel(model)
        fm = self.fontMetrics()
        widths = [fm.horizontalAdvance(text) + 18 for text in ("Incons.", "Weighted", "★ 10=")]
        for column, width in enumerate(widths):
            self.setColumnWidth(column, width)
        self.setFixedWidth(sum(widths) + 2 * self.frameWidth())
        self.verticalScrollBar().setValue(self._rows_view.verticalScrollBar().value())
