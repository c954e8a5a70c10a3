"""The matrix table, its keyboard rating, cell editors and the score footer."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, QRect, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPalette, QPen, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from hyp_board.core import colours
from hyp_board.core.model import EvidenceType, Level, Rating
from hyp_board.ui.matrix_model import (
    FIXED_COLUMNS,
    RATING_ROLE,
    Column,
    MatrixModel,
)
from hyp_board.ui.score_model import ScoreModel
from hyp_board.ui.theme import is_dark

Index = QModelIndex | QPersistentModelIndex

# Keys that rate the selected cells. Qt.Key values ignore Caps Lock, so Shift is
# read from the modifiers, not from the typed text.
_PLAIN_KEYS = {
    Qt.Key.Key_C: Rating.C,
    Qt.Key.Key_N: Rating.N,
    Qt.Key.Key_I: Rating.I,
    Qt.Key.Key_A: Rating.NA,
    Qt.Key.Key_1: Rating.CC,
    Qt.Key.Key_2: Rating.C,
    Qt.Key.Key_3: Rating.N,
    Qt.Key.Key_4: Rating.I,
    Qt.Key.Key_5: Rating.II,
    Qt.Key.Key_0: Rating.NA,
}
_SHIFT_KEYS = {Qt.Key.Key_C: Rating.CC, Qt.Key.Key_I: Rating.II}
RATING_KEYS_HELP = [
    (Rating.CC, "Shift+C or 1"),
    (Rating.C, "C or 2"),
    (Rating.N, "N or 3"),
    (Rating.I, "I or 4"),
    (Rating.II, "Shift+I or 5"),
    (Rating.NA, "A or 0"),
]
KEYS_TOOLTIP = (
    "<b>Rating keys</b> (on the selected cells)<br>"
    + "<br>".join(f"<b>{r.value}</b> {r.label}: {keys}" for r, keys in RATING_KEYS_HELP)
    + "<br><b>Delete</b>: clear (unrated)<br><b>Enter</b>: choose from a list<br>"
    "<b>Arrows</b>: move · <b>Shift+arrows</b>: select several"
)
_UNRATED_TEXT = "(unrated)"


_COLUMN_WIDTHS = {
    Column.NUMBER: 36,
    Column.SUMMARY: 320,
    Column.DATE: 80,
    Column.TYPE: 92,
    Column.CREDIBILITY: 46,
    Column.RELEVANCE: 40,
    Column.DIAGNOSTICITY: 44,
}
_HYPOTHESIS_WIDTH = 112
_SUMMARY_MIN, _SUMMARY_MAX = 220, 560


def rating_for_key(event: QKeyEvent) -> Rating | None:
    mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    key = Qt.Key(event.key())
    if mods == Qt.KeyboardModifier.ShiftModifier:
        return _SHIFT_KEYS.get(key)
    if mods == Qt.KeyboardModifier.NoModifier:
        return _PLAIN_KEYS.get(key)
    return None


class MatrixView(QTableView):
    """Keyboard-first: arrows move, rating keys rate every selected cell, Delete clears."""

    # [(evidence id, hypothesis id)], Rating or None
    rate_requested = Signal(list, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
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
        header = self.horizontalHeader()
        header.setSectionsClickable(True)
        header.setHighlightSections(True)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setToolTip(KEYS_TOOLTIP)
        self._rating_delegate = RatingDelegate(self)
        self._choice_delegate = ChoiceDelegate(self)
        self.setItemDelegate(self._choice_delegate)
        # The summary column fills the room the other columns leave, until the analyst
        # sets its width by hand.
        self._summary_set_by_hand = False
        self._fitting = False
        header.sectionResized.connect(self._section_resized)

    def setModel(self, model: QAbstractItemModel | None) -> None:
        super().setModel(model)
        if isinstance(model, MatrixModel):
            model.modelReset.connect(self.apply_column_setup)
            self.apply_column_setup()

    def apply_column_setup(self) -> None:
        model = self.model()
        if not isinstance(model, MatrixModel):
            return
        self._fitting = True
        for col, width in _COLUMN_WIDTHS.items():
            if self.columnWidth(col) in (0, 100):  # Qt's default: not yet set by the user
                self.setColumnWidth(col, width)
        for hypothesis_column in range(FIXED_COLUMNS, model.columnCount()):
            self.setItemDelegateForColumn(hypothesis_column, self._rating_delegate)
            if self.columnWidth(col) in (0, 100):
                self.setColumnWidth(col, _HYPOTHESIS_WIDTH)
        self._fitting = False
        self._fit_summary()
        lines = max(
            (
                str(model.headerData(c, Qt.Orientation.Horizontal)).count("\n") + 1
                for c in range(FIXED_COLUMNS, model.columnCount())
            ),
            default=1,
        )
        self.horizontalHeader().setMinimumHeight(self.fontMetrics().height() * lines + 12)

    def _section_resized(self, column: int, _old: int, _new: int) -> None:
        if column == Column.SUMMARY and not self._fitting:
            self._summary_set_by_hand = True

    def _fit_summary(self) -> None:
        model = self.model()
        if self._summary_set_by_hand or model is None or self.viewport().width() < 50:
            return
        others = sum(self.columnWidth(c) for c in range(model.columnCount()) if c != Column.SUMMARY)
        width = max(_SUMMARY_MIN, min(_SUMMARY_MAX, self.viewport().width() - others - 2))
        self._fitting = True
        self.setColumnWidth(Column.SUMMARY, width)
        self._fitting = False

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_summary()

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

    def keyPressEvent(self, event: QKeyEvent) -> None:
        current = self.currentIndex()
        on_rating = current.isValid() and current.column() >= FIXED_COLUMNS
        if on_rating and self.state() != QAbstractItemView.State.EditingState:
            rating = rating_for_key(event)
            if rating is not None:
                self.rate_requested.emit(self.selected_cells(), rating)
                event.accept()
                return
            if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and not event.modifiers():
                self.rate_requested.emit(self.selected_cells(), None)
                event.accept()
                return
        if (
            event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and current.isValid()
            and self.state() != QAbstractItemView.State.EditingState
        ) and self.edit(current, QAbstractItemView.EditTrigger.EditKeyPressed, event):
            event.accept()
            return
        super().keyPressEvent(event)


class _ListEditingDelegate(QStyledItemDelegate):
    """Edits with a drop-down list that commits as soon as a value is picked."""

    def _list_editor(self, parent: QWidget) -> QComboBox:
        combo = QComboBox(parent)
        combo.activated.connect(lambda _=0, c=combo: self._commit(c))
        return combo

    def _commit(self, editor: QWidget) -> None:
        self.commitData.emit(editor)
        self.closeEditor.emit(editor, QStyledItemDelegate.EndEditHint.SubmitModelCache)


class ChoiceDelegate(_ListEditingDelegate):
    """Editors for the evidence columns: lists for type and grades, text otherwise."""

    _CHOICES: ClassVar[dict[Column, list[str]]] = {
        Column.TYPE: [t.value for t in EvidenceType],
        Column.CREDIBILITY: [lv.value for lv in Level],
        Column.RELEVANCE: [lv.value for lv in Level],
    }

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        choices = self._CHOICES.get(Column(index.column())) if index.column() < FIXED_COLUMNS else None
        if choices is None:
            return super().createEditor(parent, option, index)
        combo = self._list_editor(parent)
        combo.addItems(choices)
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        if isinstance(editor, QComboBox):
            editor.setCurrentText(str(index.data(Qt.ItemDataRole.EditRole)))
            editor.showPopup()
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        if isinstance(editor, QComboBox):
            value = editor.currentText()
            if value != index.data(Qt.ItemDataRole.EditRole):
                model.setData(index, value)
        else:
            old = index.data(Qt.ItemDataRole.EditRole)
            value = editor.property("text")
            if value is not None and value != old:
                model.setData(index, value)


class RatingDelegate(_ListEditingDelegate):
    """Paints rating cells in their colour even when selected, and edits them with a list."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        code = index.data(RATING_ROLE)
        rating = Rating(code) if code else None
        rect: QRect = option.rect
        palette: QPalette = option.palette
        state = option.state
        selected = bool(state & QStyle.StateFlag.State_Selected)
        painter.save()
        if rating is not None:
            bg, fg = colours.rating_colours(rating, is_dark(palette))
            painter.fillRect(rect, QColor(bg))
            painter.setPen(QColor(fg))
        else:
            painter.fillRect(rect, palette.base())
            painter.setPen(palette.color(QPalette.ColorRole.Text))
        if rating is not None:
            font = painter.font()
            font.setBold(rating in (Rating.CC, Rating.II))
            painter.setFont(font)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, rating.value)
        if selected:  # an outline, so the rating colour stays visible under selection
            pen = QPen(palette.color(QPalette.ColorRole.Highlight), 3)
            pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
            painter.setPen(pen)
            painter.drawRect(rect.adjusted(1, 1, -2, -2))
            painter.setPen(QPen(palette.color(QPalette.ColorRole.Base), 1))
            painter.drawRect(rect.adjusted(3, 3, -4, -4))
        painter.restore()

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        combo = self._list_editor(parent)
        combo.addItem(_UNRATED_TEXT, "")
        for rating, keys in RATING_KEYS_HELP:
            combo.addItem(f"{rating.value} — {rating.label}   ({keys})", rating.value)
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(0, editor.findData(index.data(RATING_ROLE) or "")))
        editor.showPopup()

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        value = editor.currentData() or None
        if value != index.data(RATING_ROLE):
            model.setData(index, value)

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem, index: Index) -> None:
        rect: QRect = option.rect
        editor.setGeometry(rect.adjusted(0, 0, 160, 0))  # wide enough to read the labels


class ScoreView(QTableView):
    """The score rows, pinned under the matrix and scrolled and sized with it."""

    def __init__(self, matrix_view: MatrixView, model: ScoreModel) -> None:
        super().__init__()
        self.setModel(model)
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
        self.setFixedHeight(
            model.rowCount() * self.verticalHeader().defaultSectionSize() + 2 * self.frameWidth()
        )
        header = matrix_view.horizontalHeader()
        header.sectionResized.connect(lambda col, _old, new: self.setColumnWidth(col, new))
        matrix_view.horizontalScrollBar().valueChanged.connect(self.horizontalScrollBar().setValue)
        model.modelReset.connect(self.copy_widths)
        self.copy_widths()

    def copy_widths(self) -> None:
        for col in range(self.model().columnCount()):
            self.setColumnWidth(col, self._matrix_view.columnWidth(col))
        self.horizontalScrollBar().setValue(self._matrix_view.horizontalScrollBar().value())


class Legend(QLabel):
    """The rating colours with the key for each, always visible under the matrix; it
    wraps onto a second line in a narrow window rather than hiding the keys."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setContentsMargins(4, 2, 4, 4)
        self.setToolTip(KEYS_TOOLTIP)
        self.refresh_colours()

    def refresh_colours(self) -> None:
        dark = is_dark()
        parts = []
        for rating, keys in RATING_KEYS_HELP:
            bg, fg = colours.rating_colours(rating, dark)
            weight = "bold" if rating in (Rating.CC, Rating.II) else "normal"
            # Non-breaking spaces keep each chip with its label; lines break between them.
            label = f"{rating.label}&nbsp;<span style='color:gray'>({keys.replace(' ', '&nbsp;')})</span>"
            parts.append(
                f"<span style='background-color:{bg}; color:{fg}; font-weight:{weight}'>"
                f"&nbsp;{rating.value}&nbsp;</span>&nbsp;{label.replace(' ', '&nbsp;')}"
            )
        parts.append("<span style='color:gray'>Delete:&nbsp;clear · Enter:&nbsp;choose</span>")
        self.setText(" &nbsp; ".join(parts))
