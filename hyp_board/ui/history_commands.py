"""Reverting journaled changes from the window, as undoable edits.

A revert is a change of its own: it is journaled, and undo takes it back. Undo and
redo are themselves reverts, each of the changes the step before made, so that
whatever the revert touched (an item put back under a new id, say) comes back as it
was, found by its stable reference.
"""

from __future__ import annotations

from typing import Any

from hyp_board.core.editor import EditError
from hyp_board.core.journal_entries import JournalEntry
from hyp_board.core.matrix import Change
from hyp_board.core.revert import revert_entries
from hyp_board.ui.commands import EditCommand


class RevertChangesCommand(EditCommand):
    def __init__(self, entries: list[JournalEntry], text: str, *args: Any) -> None:
        super().__init__(text, *args)
        self._to_revert = list(entries)  # what the next step (do, undo, redo) reverts
        self._first = True

    def do(self) -> Change:
        return self._step()

    def undo_change(self) -> Change:
        return self._step()

    def _step(self) -> Change:
        made = self.editor.pending_entries
        start = len(made)
        change = revert_entries(self.editor, self._to_revert)
        if self._first and len(made) == start:
            raise EditError("nothing to revert: this is already as it was before the change")
        self._first = False
        self._to_revert = list(made[start:])
        return change


def revert_text(entries: list[JournalEntry]) -> str:
    """The undo history's name for reverting *entries*."""
    if len(entries) == 1:
        entry = entries[0]
        return f"Revert {entry.kind.label.lower()} of {entry.target}"
    action = entries[0].action
    return f"Revert “{action}” ({len(entries)} changes)" if action else f"Revert {len(entries)} changes"
