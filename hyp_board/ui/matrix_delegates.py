"""How matrix cells are drawn and edited, and the keys that rate them."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, QPoint, QRect, Qt
from PySide6.QtGui import QBrush, QColor, QKeyEvent, QPainter, QPalette, QPen, QPolygon
from PySide6.QtWidgets import QComboBox, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from hyp_board.core import colours
from hyp_board.core.model import EvidenceType, Level, Rating, RatingMode
from hyp_board.ui.matrix_columns import RATED_IN_ROLE
from hyp_board.ui.matrix_model import EXCLUDED_ROLE, FIXED_COLUMNS, RATING_ROLE, Column
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
# H, M and L on a credibility or relevance cell.
LEVEL_KEYS = {Qt.Key.Key_H: Level.HIGH, Qt.Key.Key_M: Level.MEDIUM, Qt.Key.Key_L: Level.LOW}
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
    "<b>Arrows</b>: move · <b>Shift+arrows</b>: select several<br>"
    "<b>H</b>, <b>M</b>, <b>L</b> on a credibility or relevance cell: High, Medium, Low"
)
_UNRATED_TEXT = "(unrated)"


def rating_for_key(event: QKeyEvent) -> Rating | None:
    mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    key = Qt.Key(event.key())
    if mods == Qt.KeyboardModifier.ShiftModifier:
        return _SHIFT_KEYS.get(key)
    if mods == Qt.KeyboardModifier.NoModifier:
        return _PLAIN_KEYS.get(key)
    return None


def level_for_key(event: QKeyEvent) -> Level | None:
    if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier != Qt.KeyboardModifier.NoModifier:
        return None
    return LEVEL_KEYS.get(Qt.Key(event.key()))


BLIND_MARK = "◤"  # as in the legend


def draw_blind_mark(painter: QPainter, rect: QRect, dark: bool) -> None:
    """A small triangle in the cell's top-left corner: rated blind, in rate-across mode."""
    size = max(6, rect.height() // 3)
    corner = QPolygon([rect.topLeft(), rect.topLeft() + QPoint(size, 0), rect.topLeft() + QPoint(0, size)])
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(BLIND_MARK_COLOURS[dark]))
    painter.drawPolygon(corner)


BLIND_MARK_COLOURS = {False: "#6a3d9a", True: "#d2b4ff"}


class ListEditingDelegate(QStyledItemDelegate):
    """Edits with a drop-down list that commits as soon as a value is picked.

    The list opens by itself only when the analyst asked to edit (Enter, a double
    click): Tab from one cell's editor to the next must not pop lists open.
    """

    open_lists = False  # set by the view for each edit it starts

    def _list_editor(self, parent: QWidget) -> QComboBox:
        combo = QComboBox(parent)
        combo.activated.connect(lambda _=0, c=combo: self._commit(c))
        return combo

    def _commit(self, editor: QWidget) -> None:
        self.commitData.emit(editor)
        self.closeEditor.emit(editor, QStyledItemDelegate.EndEditHint.SubmitModelCache)

    def _maybe_open(self, combo: QComboBox) -> None:
        if self.open_lists:
            combo.showPopup()


class ChoiceDelegate(ListEditingDelegate):
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
            self._maybe_open(editor)
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


class RatingDelegate(ListEditingDelegate):
    """Paints rating cells in their colour even when selected, and edits them with a list.

    Cells of an item excluded from scoring are grey and hatched, their letters kept:
    they are there to read, and do not count. With :attr:`mark_blind` set (View → Mark
    Blind Ratings), a rating given blind, in rate-across mode, has a corner mark.
    """

    mark_blind = False  # set by the window, for every view

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        code = index.data(RATING_ROLE)
        rating = Rating(code) if code else None
        rect: QRect = option.rect
        palette: QPalette = option.palette
        state = option.state
        selected = bool(state & QStyle.StateFlag.State_Selected)
        excluded = bool(index.data(EXCLUDED_ROLE))
        painter.save()
        if excluded:
            painter.fillRect(rect, palette.window())
            hatch = QColor(palette.color(QPalette.ColorRole.Mid))
            hatch.setAlpha(90)
            painter.fillRect(rect, QBrush(hatch, Qt.BrushStyle.BDiagPattern))
            painter.setPen(palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text))
        elif rating is not None:
            bg, fg = colours.rating_colours(rating, is_dark(palette))
            painter.fillRect(rect, QColor(bg))
            painter.setPen(QColor(fg))
        else:
            painter.fillRect(rect, palette.base())
            painter.setPen(palette.color(QPalette.ColorRole.Text))
        if rating is not None:
            font = painter.font()
            font.setBold(rating in (Rating.CC, Rating.II) and not excluded)
            font.setItalic(excluded)
            painter.setFont(font)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, rating.value)
        if self.mark_blind and index.data(RATED_IN_ROLE) == RatingMode.ACROSS.value:
            draw_blind_mark(painter, rect, is_dark(palette))
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
        self._maybe_open(editor)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        value = editor.currentData() or None
        if value != index.data(RATING_ROLE):
            model.setData(index, value)

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem, index: Index) -> None:
        rect: QRect = option.rect
        editor.setGeometry(rect.adjusted(0, 0, 160, 0))  # wide enough to read the labels
