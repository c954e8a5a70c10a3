"""Columns that stay in place while the others scroll sideways, as in a spreadsheet.

A second table view, laid over the left of the first, shows the frozen columns with
the same model and selection; the view underneath keeps every column (and the
keyboard focus), so moving, selecting and editing work as in one table. The overlay
follows the view's vertical scrolling, row heights and column widths.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QEvent, QModelIndex, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QAbstractItemDelegate, QAbstractItemView, QHeaderView, QTableView, QWidget


class FrozenPart(QTableView):
    """The overlay: the first *count* columns of *main*, drawn over it."""

    menu_requested = Signal(QModelIndex, QPoint)  # index, global position

    def __init__(self, main: QTableView, count: int, header: QHeaderView | None = None) -> None:
        super().__init__(main)
        self._main = main
        self.count = count
        if header is not None:
            self.setHorizontalHeader(header)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keyboard stays with the main view
        self.verticalHeader().hide()
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollMode(main.verticalScrollMode())
        self.setFrameShape(QTableView.Shape.NoFrame)
        self.setSelectionBehavior(main.selectionBehavior())
        self.setSelectionMode(main.selectionMode())
        self.setEditTriggers(main.editTriggers())
        self.setWordWrap(main.wordWrap())
        self.setTextElideMode(main.textElideMode())
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(
            lambda pos: self.menu_requested.emit(self.indexAt(pos), self.viewport().mapToGlobal(pos))
        )
        main.viewport().stackUnder(self)
        # Scrolling either one scrolls both (the wheel over the overlay included).
        self.verticalScrollBar().valueChanged.connect(main.verticalScrollBar().setValue)
        main.verticalScrollBar().valueChanged.connect(self.verticalScrollBar().setValue)
        main.horizontalHeader().sectionResized.connect(self._main_resized)
        self.horizontalHeader().sectionResized.connect(self._own_resized)
        main.horizontalHeader().geometriesChanged.connect(self.update_geometry)
        self.show()

    def attach(self, model: QAbstractItemModel) -> None:
        """Show *model* (the main view's, after it was set there)."""
        self.setModel(model)
        self.setSelectionModel(self._main.selectionModel())
        self.verticalHeader().setDefaultSectionSize(self._main.verticalHeader().defaultSectionSize())
        model.modelReset.connect(self.hide_scrolling_columns)
        model.columnsInserted.connect(self.hide_scrolling_columns)
        model.layoutChanged.connect(self.hide_scrolling_columns)
        self.hide_scrolling_columns()

    def hide_scrolling_columns(self) -> None:
        model = self.model()
        if model is None:
            return
        for column in range(model.columnCount()):
            hidden = column >= self.count
            if self.isColumnHidden(column) != hidden:  # (each change is a resize to answer)
                self.setColumnHidden(column, hidden)
            if not hidden:
                self.setColumnWidth(column, self._main.columnWidth(column))
        self.update_geometry()

    def width_of_frozen(self) -> int:
        return sum(self._main.columnWidth(c) for c in range(self.count))

    def update_geometry(self) -> None:
        main = self._main
        header = main.horizontalHeader()
        header_height = 0 if header.isHidden() else header.height()
        own = self.horizontalHeader()
        own.setHidden(header.isHidden())
        if header_height:
            own.setFixedHeight(header_height)
        viewport = main.viewport().geometry()
        self.setGeometry(
            viewport.x(),
            viewport.y() - header_height,
            min(self.width_of_frozen(), viewport.width()),
            viewport.height() + header_height,
        )

    def _main_resized(self, column: int, _old: int, new: int) -> None:
        if column < self.count and self.columnWidth(column) != new:
            self.setColumnWidth(column, new)
        self.update_geometry()

    def _own_resized(self, column: int, _old: int, new: int) -> None:
        # Dragging a frozen column's edge (the overlay's header is the one on top).
        if column < self.count and self._main.columnWidth(column) != new:
            self._main.setColumnWidth(column, new)

    # -- the keyboard and the editors stay with the main view --------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._main.setFocus(Qt.FocusReason.MouseFocusReason)
        super().mousePressEvent(event)

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
        self._main.setFocus(Qt.FocusReason.OtherFocusReason)
        Hint = QAbstractItemDelegate.EndEditHint
        if hint in (Hint.EditNextItem, Hint.EditPreviousItem):
            # Tab out of a frozen cell goes on to the next cell, in the main view.
            action = (
                QAbstractItemView.CursorAction.MoveNext
                if hint is Hint.EditNextItem
                else QAbstractItemView.CursorAction.MovePrevious
            )
            index = self._main.moveCursor(action, Qt.KeyboardModifier.NoModifier)
            if index.isValid():
                self._main.setCurrentIndex(index)
                self._main.edit(index)


class FrozenColumns(QObject):
    """Keeps a :class:`FrozenPart` laid over *main* as it resizes."""

    def __init__(self, main: QTableView, count: int, header: QHeaderView | None = None) -> None:
        super().__init__(main)
        self.part = FrozenPart(main, count, header)
        main.installEventFilter(self)
        main.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Show, QEvent.Type.LayoutRequest):
            self.part.update_geometry()
        return False


def scroll_clear_of(view: QTableView, index: QModelIndex, frozen_width: int, frozen_count: int) -> None:
    """Scroll *view* sideways so that the cell at *index* is not under the frozen columns
    (or past the right edge); frozen cells need no sideways scrolling."""
    if not index.isValid() or index.column() < frozen_count:
        return
    bar = view.horizontalScrollBar()
    left = view.columnViewportPosition(index.column())
    right = left + view.columnWidth(index.column())
    width = view.viewport().width()
    if left < frozen_width:
        bar.setValue(bar.value() - (frozen_width - left))
    elif right > width:
        bar.setValue(bar.value() + min(right - width, left - frozen_width))
