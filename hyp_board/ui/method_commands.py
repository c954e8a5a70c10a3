"""Undoable edits of the method around the matrix: milestones, deception checks, and
the project's marking and steps (those go through the project's field command)."""

from __future__ import annotations

from typing import Any

from hyp_board.core.matrix import Change
from hyp_board.core.method import DeceptionCheck, Milestone
from hyp_board.ui.commands import EditCommand, _short

_MILESTONE_FIELD_NAMES = {"text": "text", "due": "date", "status": "status", "note": "note"}


class AddMilestoneCommand(EditCommand):
    def __init__(self, milestone: Milestone, *args: Any) -> None:
        super().__init__(f"Add milestone “{_short(milestone.text)}”", *args)
        self._milestone = milestone
        self.milestone_id = 0

    def do(self) -> Change:
        if self.milestone_id:  # redo: the same milestone, with its id and place
            return self.editor.restore_milestone(self._milestone)[1]
        self.milestone_id, change = self.editor.add_milestone(self._milestone)
        self._milestone = self.editor.matrix.milestone(self.milestone_id)
        return change

    def undo_change(self) -> Change:
        self._milestone, change = self.editor.remove_milestone(self.milestone_id)
        return change


class EditMilestoneCommand(EditCommand):
    def __init__(self, milestone_id: int, values: dict[str, Any], *args: Any) -> None:
        milestone = args[0].matrix.milestone(milestone_id)
        fields = ", ".join(_MILESTONE_FIELD_NAMES.get(k, k) for k in values)
        super().__init__(f"Edit milestone {fields}", *args)
        self._id = milestone_id
        self._values = values
        self._old = {k: getattr(milestone, k) for k in values}

    def do(self) -> Change:
        return self.editor.update_milestone(self._id, self._values)

    def undo_change(self) -> Change:
        return self.editor.update_milestone(self._id, self._old)


class RemoveMilestoneCommand(EditCommand):
    def __init__(self, milestone_id: int, *args: Any) -> None:
        milestone = args[0].matrix.milestone(milestone_id)
        super().__init__(f"Delete milestone “{_short(milestone.text)}”", *args)
        self._id = milestone_id
        self._removed: Milestone | None = None

    def do(self) -> Change:
        self._removed, change = self.editor.remove_milestone(self._id)
        return change

    def undo_change(self) -> Change:
        assert self._removed is not None
        return self.editor.restore_milestone(self._removed)[1]


class SetDeceptionCheckCommand(EditCommand):
    def __init__(self, document_id: int, check: DeceptionCheck | None, *args: Any) -> None:
        title = _short(args[0].matrix.document(document_id).title)
        super().__init__(f"Deception check of “{title}”", *args)
        self._id = document_id
        self._check = check
        self._old = args[0].matrix.deception_check(document_id)

    def do(self) -> Change:
        return self.editor.set_deception_check(self._id, self._check)

    def undo_change(self) -> Change:
        return self.editor.set_deception_check(self._id, self._old)
