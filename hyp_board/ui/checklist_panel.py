"""Heuer's eight steps in the project panel: where the project stands on each, a click
away from where each is done.

Statuses come from :func:`hyp_board.core.checklist.method_steps`; the steps only the
analyst can judge (4, 6, 7) have a "done" box, which is an undoable project edit.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from hyp_board.core.checklist import TITLES, Step, StepPlace, StepStatus, completed
from hyp_board.ui.theme import is_dark

_COLOURS = {  # (light, dark)
    StepStatus.DONE: ("#1b6e2d", "#7ccf8f"),
    StepStatus.PARTLY: ("#8a5a00", "#e8b85c"),
    StepStatus.TO_DO: ("#6b6b6b", "#a0a0a0"),
}


class MethodChecklist(QGroupBox):
    go_to = Signal(object)  # a StepPlace
    mark_done = Signal(int, bool)  # step number, done

    def __init__(self) -> None:
        super().__init__("Heuer's steps")
        grid = QGridLayout(self)
        grid.setContentsMargins(6, 4, 6, 4)
        grid.setVerticalSpacing(0)
        grid.setColumnStretch(1, 1)
        self._status: dict[int, QLabel] = {}
        self._buttons: dict[int, QPushButton] = {}
        self._details: dict[int, QLabel] = {}
        self.boxes: dict[int, QCheckBox] = {}
        self._places: dict[int, StepPlace] = {}
        for number, title in TITLES.items():
            status = QLabel()
            status.setTextFormat(Qt.TextFormat.PlainText)
            status.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
            button = QPushButton(f"{number}. {title}")
            button.setFlat(True)
            button.setStyleSheet("QPushButton { text-align: left; padding: 1px 2px; font-weight: bold; }")
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            button.clicked.connect(lambda _=False, n=number: self._clicked(n))
            detail = QLabel()
            detail.setTextFormat(Qt.TextFormat.PlainText)
            detail.setWordWrap(True)
            detail.setContentsMargins(4, 0, 0, 4)
            detail.setForegroundRole(QPalette.ColorRole.PlaceholderText)
            row = 2 * (number - 1)
            grid.addWidget(status, row, 0, 2, 1)
            grid.addWidget(button, row, 1, 1, 2)
            grid.addWidget(detail, row + 1, 1)
            self._status[number], self._buttons[number], self._details[number] = status, button, detail
        for number in (4, 6, 7):
            box = QCheckBox("Done")
            box.setToolTip("Only you can say this step is done: tick it when it is")
            box.toggled.connect(lambda on, n=number: self.mark_done.emit(n, on))
            grid.addWidget(box, 2 * (number - 1) + 1, 2, Qt.AlignmentFlag.AlignTop)
            self.boxes[number] = box

    def show_steps(self, steps: list[Step]) -> None:
        dark = is_dark(self.palette())
        self.setTitle(f"Heuer's steps ({completed(steps)} of {len(steps)} done)")
        for step in steps:
            light_colour, dark_colour = _COLOURS[step.status]
            status = self._status[step.number]
            status.setText(step.status.symbol)
            status.setStyleSheet(f"color: {dark_colour if dark else light_colour}; font-weight: bold;")
            status.setToolTip(step.status.value.capitalize())
            self._details[step.number].setText(step.detail)
            self._buttons[step.number].setToolTip(f"{step.title}: {step.status.value}. Click to go there.")
            self._places[step.number] = step.place
            if step.number in self.boxes:
                box = self.boxes[step.number]
                box.blockSignals(True)  # showing the project is not an edit of it
                box.setChecked(step.status is StepStatus.DONE)
                box.blockSignals(False)

    def _clicked(self, number: int) -> None:
        if number in self._places:
            self.go_to.emit(self._places[number])


class ProjectTab(QScrollArea):
    """The project dock's contents: its details above, Heuer's steps below; scrolled
    when the window is too short for both (the dock must not make it taller)."""

    def __init__(self, details: QWidget, checklist: MethodChecklist) -> None:
        super().__init__()
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        inner = QWidget()
        layout = QVBoxLayout(inner)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(details, 1)
        layout.addWidget(checklist)
        self.setWidget(inner)
