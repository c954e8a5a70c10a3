"""A source's deception check: the standard questions, each answered with a note, and
the level of concern, which follows the answers unless the analyst sets it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from hyp_board.core.method import Answer, Concern, DeceptionCheck, DeceptionQuestion
from hyp_board.ui.widgets import CommitTextEdit

FOLLOW = "follow"


class DeceptionCheckDialog(QDialog):
    """Edits a copy; OK makes the whole check one undoable edit."""

    def __init__(
        self, title: str, check: DeceptionCheck | None, without: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Deception Check")
        check = check or DeceptionCheck()
        heading = QLabel(title)
        heading.setTextFormat(Qt.TextFormat.PlainText)
        heading.setWordWrap(True)
        heading.setStyleSheet("font-weight: bold;")
        grid = QGridLayout()
        grid.setColumnStretch(2, 1)
        self.answers: dict[DeceptionQuestion, QComboBox] = {}
        self.notes: dict[DeceptionQuestion, QPlainTextEdit] = {}
        for row, question in enumerate(DeceptionQuestion):
            label = QLabel(question.short)
            label.setToolTip(question.text)
            answer = QComboBox()
            for choice in Answer:
                answer.addItem(choice.label, choice.value)
            answer.setCurrentIndex(answer.findData(check.answer(question).value))
            answer.setToolTip(question.text)
            label.setBuddy(answer)
            note = QPlainTextEdit(check.answer_note(question))
            note.setPlaceholderText(question.text)
            note.setTabChangesFocus(True)
            note.setFixedHeight(note.fontMetrics().lineSpacing() * 2 + 12)
            answer.currentIndexChanged.connect(lambda _i: self._update_concern())
            grid.addWidget(label, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(answer, row, 1, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(note, row, 2)
            self.answers[question], self.notes[question] = answer, note
        self.concern = QComboBox()
        self.concern.addItem("", FOLLOW)
        for level in Concern:
            self.concern.addItem(level.label, level.value)
        self.concern.setCurrentIndex(self.concern.findData(check.concern.value if check.concern else FOLLOW))
        self.concern.setToolTip("The concern the answers suggest, unless you set another")
        concern_label = QLabel("&Concern")
        concern_label.setBuddy(self.concern)
        row = len(DeceptionQuestion)
        grid.addWidget(concern_label, row, 0)
        grid.addWidget(self.concern, row, 1, 1, 2)
        self.note = CommitTextEdit(lines=3)
        self.note.setPlainText(check.note)
        self.note.setPlaceholderText("Your judgement of the source, in a few sentences")
        self.without = QLabel(without)
        self.without.setTextFormat(Qt.TextFormat.PlainText)
        self.without.setWordWrap(True)
        self.without.setToolTip("From the analysis: who would lead if the items of this source were left out")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        intro = QLabel("Each question is asked so that “yes” is the worrying answer.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addLayout(grid)
        layout.addWidget(QLabel("Judgement"))
        layout.addWidget(self.note)
        layout.addWidget(self.without)
        layout.addWidget(buttons)
        self._update_concern()
        self.resize(760, self.sizeHint().height())

    def check(self) -> DeceptionCheck:
        answers = {
            q: (Answer(self.answers[q].currentData()), self.notes[q].toPlainText().strip())
            for q in DeceptionQuestion
        }
        answers = {q: (a, n) for q, (a, n) in answers.items() if a or n}
        chosen = self.concern.currentData()
        return DeceptionCheck(
            answers, None if chosen == FOLLOW else Concern(chosen), self.note.toPlainText().strip()
        )

    def _update_concern(self) -> None:
        suggested = DeceptionCheck(
            {q: (Answer(self.answers[q].currentData()), "") for q in DeceptionQuestion}
        ).suggested_concern
        self.concern.setItemText(0, f"As the answers suggest ({suggested.label})")
