"""Small editing widgets: text fields that commit when the analyst pauses, a Markdown
editor with a rendered, inert preview, and grade choosers."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QFocusEvent
from PySide6.QtWidgets import QComboBox, QPlainTextEdit, QTabWidget, QTextBrowser, QWidget

from hyp_board.markdown_notes import is_safe_link, render_markdown

IDLE_COMMIT_MS = 700


class CommitTextEdit(QPlainTextEdit):
    """A plain-text field that emits :attr:`committed` after a pause in typing and on
    leaving the field, not on every keystroke, so each save (and undo step) is a
    meaningful piece of text."""

    committed = Signal(str)

    def __init__(self, parent: QWidget | None = None, lines: int = 3) -> None:
        super().__init__(parent)
        self._last = ""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(IDLE_COMMIT_MS)
        self._timer.timeout.connect(self.commit)
        self.textChanged.connect(self._timer.start)
        self.setTabChangesFocus(True)
        self.setFixedHeight(self.fontMetrics().lineSpacing() * lines + 14)

    def set_text(self, text: str) -> None:
        """Show a stored value without committing it back."""
        self._last = text
        if self.toPlainText() != text:
            self.blockSignals(True)
            self.setPlainText(text)
            self.blockSignals(False)
        self._timer.stop()

    def commit(self) -> None:
        self._timer.stop()
        text = self.toPlainText()
        if text != self._last:
            self._last = text
            self.committed.emit(text)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.commit()
        super().focusOutEvent(event)


class NotesBrowser(QTextBrowser):
    """Shows sanitised HTML. Links open only on click and only for http(s) and mailto."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self._open)

    def show_markdown(self, text: str) -> None:
        self.setHtml(render_markdown(text) if text.strip() else "<p><i>Nothing written yet.</i></p>")

    @staticmethod
    def _open(url: QUrl) -> None:
        if is_safe_link(url.toString()):
            QDesktopServices.openUrl(url)


class MarkdownEditor(QTabWidget):
    """Write / Preview tabs over one Markdown text."""

    committed = Signal(str)

    def __init__(self, parent: QWidget | None = None, placeholder: str = "") -> None:
        super().__init__(parent)
        self.editor = CommitTextEdit(self, lines=8)
        self.editor.setMinimumHeight(80)
        self.editor.setMaximumHeight(16777215)
        self.editor.setPlaceholderText(
            placeholder or "Markdown: **bold**, *italic*, - lists, [links](https://…)"
        )
        self.preview = NotesBrowser(self)
        self.addTab(self.editor, "Write")
        self.addTab(self.preview, "Preview")
        self.editor.committed.connect(self.committed)
        self.currentChanged.connect(self._tab_changed)

    def set_text(self, text: str) -> None:
        self.editor.set_text(text)
        if self.currentWidget() is self.preview:
            self.preview.show_markdown(text)

    def text(self) -> str:
        return self.editor.toPlainText()

    def _tab_changed(self, _index: int) -> None:
        # Rendered only when looked at: no Markdown work while typing.
        if self.currentWidget() is self.preview:
            self.editor.commit()
            self.preview.show_markdown(self.editor.toPlainText())


def grade_combo(grades: Iterable[Any], tooltip: str) -> QComboBox:
    """A choice of NATO/Admiralty grades ("B — Usually reliable"), or none."""
    combo = QComboBox()
    combo.addItem("Not graded", "")
    for grade in grades:
        combo.addItem(f"{grade.value} — {grade.label}", grade.value)
    combo.setToolTip(tooltip)
    return combo
