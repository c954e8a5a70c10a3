"""The project's classification marking: a coloured banner across the top of the window,
and the dialog that sets it.

The banner is a toolbar that cannot be moved, floated or hidden from the toolbar
menu: a marked project always shows its marking. It is hidden only when the project
has none.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QSizePolicy,
    QToolBar,
    QWidget,
)

from hyp_board.core.colours import marking_colours
from hyp_board.core.method import CLASSIFICATION_PRESETS, MAX_MARKING_CHARS, marking_line, marking_tone


class _BannerLabel(QLabel):
    double_clicked = Signal()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self.double_clicked.emit()
        super().mouseDoubleClickEvent(event)


class MarkingBanner(QToolBar):
    """The marking, centred on its classification's colour, above everything else."""

    edit_requested = Signal()

    def __init__(self, window: QMainWindow) -> None:
        super().__init__("Classification", window)
        self.setObjectName("marking-banner")
        self.setMovable(False)
        self.setFloatable(False)
        self.toggleViewAction().setVisible(False)  # not in the toolbar menu: it cannot be put away
        self.label = _BannerLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.label.setToolTip("The project's classification and caveats (double-click to change)")
        self.label.double_clicked.connect(self.edit_requested)
        self.addWidget(self.label)
        self.setContentsMargins(0, 0, 0, 0)
        window.addToolBar(Qt.ToolBarArea.TopToolBarArea, self)
        window.addToolBarBreak(Qt.ToolBarArea.TopToolBarArea)
        self.hide()

    def show_marking(self, classification: str, caveats: str) -> None:
        text = marking_line(classification, caveats)
        if not text:
            self.hide()
            return
        background, foreground = marking_colours(marking_tone(classification).value)
        self.label.setText(text)
        self.label.setStyleSheet(
            f"QLabel {{ background: {background}; color: {foreground}; font-weight: bold; padding: 3px; }}"
        )
        self.setStyleSheet(f"QToolBar {{ background: {background}; border: none; spacing: 0; padding: 0; }}")
        self.show()


class MarkingDialog(QDialog):
    """Classification (a preset or free text) and caveats, for the whole project."""

    def __init__(self, classification: str, caveats: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Classification and Marking")
        self.classification = QComboBox()
        self.classification.setEditable(True)
        self.classification.addItems(["", *CLASSIFICATION_PRESETS])
        self.classification.setCurrentText(classification)
        line = self.classification.lineEdit()
        assert line is not None  # the combo box is editable
        line.setMaxLength(MAX_MARKING_CHARS)
        line.setPlaceholderText("None: the project is not marked")
        self.caveats = QLineEdit(caveats)
        self.caveats.setMaxLength(MAX_MARKING_CHARS)
        self.caveats.setPlaceholderText("e.g. NOFORN, REL TO USA, GBR (optional)")
        self.preview = QLabel()
        self.preview.setTextFormat(Qt.TextFormat.PlainText)
        self.preview.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow("&Classification", self.classification)
        form.addRow("Ca&veats", self.caveats)
        form.addRow("Printed as", self.preview)
        note = QLabel(
            "Shown across the top of the window, at the top and bottom of every report page, "
            "and at the head of Markdown and CSV exports."
        )
        note.setWordWrap(True)
        form.addRow(note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.classification.currentTextChanged.connect(self._preview)
        self.caveats.textChanged.connect(self._preview)
        self._preview()
        self.resize(460, self.sizeHint().height())

    def _preview(self) -> None:
        self.preview.setText(marking_line(*self.values()) or "(no marking)")

    def values(self) -> tuple[str, str]:
        return self.classification.currentText().strip(), self.caveats.text().strip()
