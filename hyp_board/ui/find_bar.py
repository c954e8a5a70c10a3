"""Find in a document: the bar above the reading pane's text (Ctrl+F, F3, Shift+F3, Esc).

Each match found is selected in the text, so a phrase found is one Ctrl+Return away
from becoming evidence. Matches are counted up to :data:`COUNT_LIMIT`, once per query,
not per step: a common word in a long transcript must not stall typing.
"""

from __future__ import annotations

from bisect import bisect_left

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QTextCursor, QTextDocument
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QToolButton, QWidget

from hyp_board.ui.theme import is_dark, is_theme_change

COUNT_LIMIT = 1000


class FindBar(QWidget):
    quote_requested = Signal()  # Ctrl+Return in the find field: quote the match found

    def __init__(self, text: QPlainTextEdit) -> None:
        super().__init__()
        self._text = text
        self._matches: list[int] = []  # starts of the matches counted, in Qt positions
        self._more = False  # more matches than were counted
        self._not_found = False

        self.query = QLineEdit()
        self.query.setPlaceholderText("Find in this document")
        self.query.setClearButtonEnabled(True)
        self.query.setToolTip(
            "Enter: next match · Shift+Enter: previous · Ctrl+Enter: quote the match as evidence · Esc: close"
        )
        self.count = QLabel()
        self.count.setMinimumWidth(self.count.fontMetrics().horizontalAdvance("1000+ of 1000+ "))
        self.previous_button = self._button(
            "◀", "Previous match (Shift+F3)", lambda: self.step(backward=True)
        )
        self.next_button = self._button("▶", "Next match (F3)", self.step)
        close = self._button("✕", "Close (Esc)", self.close_bar)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.query, 1)
        layout.addWidget(self.count)
        layout.addWidget(self.previous_button)
        layout.addWidget(self.next_button)
        layout.addWidget(close)

        self.query.textEdited.connect(self._query_edited)
        self.query.installEventFilter(self)  # Enter: next match, Shift+Enter: previous
        # F3 and Shift+F3 work from the find field and from the text it searches.
        for owner in (self, text):
            for key, backward in (("F3", False), ("Shift+F3", True)):
                shortcut = QShortcut(
                    QKeySequence(key), owner, context=Qt.ShortcutContext.WidgetWithChildrenShortcut
                )
                shortcut.activated.connect(lambda b=backward: self.step(backward=b))
        escape = QShortcut(QKeySequence("Esc"), self, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.activated.connect(self.close_bar)
        self.setVisible(False)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.query
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)  # type: ignore[attr-defined]
        ):
            modifiers = event.modifiers()  # type: ignore[attr-defined]
            if modifiers & Qt.KeyboardModifier.ControlModifier:
                self.quote_requested.emit()  # as Ctrl+Return in the text: the match is selected there
            else:
                self.step(backward=bool(modifiers & Qt.KeyboardModifier.ShiftModifier))
            return True
        return super().eventFilter(watched, event)

    def _button(self, label: str, tip: str, slot) -> QToolButton:  # type: ignore[no-untyped-def]
        button = QToolButton()
        button.setText(label)
        button.setToolTip(tip)
        button.setAutoRaise(True)
        button.clicked.connect(slot)
        return button

    # -- opening and closing --------------------------------------------------------------
    def open(self) -> None:
        """Show the bar and put the cursor in it; a short selection becomes the query."""
        selected = self._text.textCursor().selectedText()
        if selected and len(selected) <= 80 and "\u2029" not in selected:
            self.query.setText(selected)
            self._recount()
        self.setVisible(True)
        self._show_count()
        self.query.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.query.selectAll()

    def close_bar(self) -> None:
        self.setVisible(False)
        self._text.setFocus(Qt.FocusReason.ShortcutFocusReason)  # the match stays selected there

    def reset(self) -> None:
        """Another document is shown: its matches are counted afresh."""
        self._recount()
        self._show_count()

    # -- finding --------------------------------------------------------------------------
    def _query_edited(self) -> None:
        self._recount()
        # Typing refines the match in place: search again from where the current one starts.
        cursor = self._text.textCursor()
        cursor.setPosition(cursor.selectionStart())
        self._text.setTextCursor(cursor)
        self.step()

    def _recount(self) -> None:
        self._matches, self._more = [], False
        query = self.query.text()
        if not query:
            return
        doc = self._text.document()
        cursor = doc.find(query, 0)
        while not cursor.isNull():
            if len(self._matches) == COUNT_LIMIT:
                self._more = True
                break
            self._matches.append(cursor.selectionStart())
            cursor = doc.find(query, cursor.selectionEnd())

    def step(self, backward: bool = False) -> bool:
        """Select the next (or previous) match, wrapping at the document's end."""
        query = self.query.text()
        if not query:
            self._show_count()
            return False
        if not self.isVisible():
            self.open()
        doc = self._text.document()
        flags = QTextDocument.FindFlag.FindBackward if backward else QTextDocument.FindFlag(0)
        found = doc.find(query, self._text.textCursor(), flags)
        if found.isNull():  # wrap around
            start = QTextCursor(doc)
            if backward:
                start.movePosition(QTextCursor.MoveOperation.End)
            found = doc.find(query, start, flags)
        if found.isNull():
            self._show_count()
            return False
        self._text.setTextCursor(found)
        self._text.centerCursor()
        self._show_count(found.selectionStart())
        return True

    def _show_count(self, position: int | None = None) -> None:
        """ "3 of 12" for the match at *position*; the total, or "Not found", without one."""
        query = self.query.text()
        total = f"{len(self._matches)}{'+' if self._more else ''}"
        index = bisect_left(self._matches, position) if position is not None else -1
        if not query:
            text = ""
        elif not self._matches:
            text = "Not found"
        elif 0 <= index < len(self._matches) and self._matches[index] == position:
            text = f"{index + 1} of {total}"
        elif position is not None:  # beyond the matches counted
            text = f"{COUNT_LIMIT}+ matches"
        else:
            text = f"{total} match{'es' if total != '1' else ''}"
        self.count.setText(text)
        self._not_found = bool(query and not self._matches)
        self._colour_query()

    def _colour_query(self) -> None:
        # Red that reads on the theme's background: dark red on light, light red on dark.
        colour = "#ff8a80" if is_dark() else "#b00020"
        self.query.setStyleSheet(f"color: {colour};" if self._not_found else "")

    def event(self, event: QEvent) -> bool:
        if is_theme_change(event):
            self._colour_query()
        return super().event(event)
