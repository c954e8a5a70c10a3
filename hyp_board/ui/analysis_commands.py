"""Undoable edits of the likelihood view: the project's mapping (priors are hypothesis
fields, edited with :class:`hyp_board.ui.commands.EditHypothesisCommand`)."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QUndoCommand

from hyp_board.core.matrix import Change
from hyp_board.ui.commands import EditCommand

MERGE_LIKELIHOOD = 20


class SetLikelihoodCommand(EditCommand):
    """Set values of the likelihood mapping by name (None: back to the default)."""

    def __init__(self, values: dict[str, float | None], text: str, *args: Any) -> None:
        super().__init__(text, *args)
        likelihood = self.editor.matrix.project.likelihood
        self._values = values
        self._old: dict[str, float | None] = {name: likelihood.get(name) for name in values}

    def id(self) -> int:
        # Stepping one value up and down merges into one undo step.
        return MERGE_LIKELIHOOD if len(self._values) == 1 else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SetLikelihoodCommand) or other._values.keys() != self._values.keys():
            return False
        self._values = other._values
        return True

    def do(self) -> Change:
        return self.editor.set_likelihood(self._values)

    def undo_change(self) -> Change:
        return self.editor.set_likelihood(self._old)
