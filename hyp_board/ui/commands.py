"""Undoable edits: one ``QUndoCommand`` per operation, calling the core editor.

Commands keep ids and the values they replace, never model indexes, and removals
keep what they removed (with its position and ratings) so undo puts it back exactly.
Each doing, undoing and redoing of a command is one database transaction (the
editor's batch): a range of ratings, several deleted rows, a document with its
evidence are stored all together or not at all, and on failure the matrix in memory
is as it was. An edit is made once *before* the command is pushed (:func:`execute`):
if the editor refuses it or the database cannot store it, nothing lands on the stack
and the message reaches the user. Undo and redo that fail later report through
*on_error*, which reloads the project from the database so the screen never lies.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand, QUndoStack

from hyp_board.core.editor import ProjectEditor
from hyp_board.core.journal_entries import new_group
from hyp_board.core.matrix import Change, RemovedDocument, RemovedEvidence, RemovedHypothesis
from hyp_board.core.model import Cell, Document, Evidence, Hypothesis

Notify = Callable[[Change], None]
ErrorHandler = Callable[[Exception], None]

# Edits of the same text field of the same item merge into one undo step while the
# analyst types, so undo takes back a paragraph, not a keystroke.
MERGE_EVIDENCE, MERGE_HYPOTHESIS, MERGE_PROJECT, MERGE_CELL_REASON = 1, 2, 3, 4


class MacroJournal:
    """The commands of one undo macro (a take, an applied what-if), so that undoing or
    redoing it is journaled as one group, as doing it was."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._verb = "Do"
        self._group = ""

    def group_for(self, verb: str) -> str:
        """The group of a command of the macro being undone or redone (*verb*). A macro's
        commands are undone, or redone, all together, and undo and redo alternate: a
        change of verb is the next step."""
        if verb != self._verb:
            self._verb, self._group = verb, new_group()
        return self._group


class EditCommand(QUndoCommand):
    def __init__(self, text: str, editor: ProjectEditor, notify: Notify, on_error: ErrorHandler) -> None:
        super().__init__(text)
        self.editor = editor
        self._notify = notify
        self._on_error = on_error
        self._already_done = False
        self.macro: MacroJournal | None = None  # the undo macro it belongs to, if any

    def do(self) -> Change:
        raise NotImplementedError

    def undo_change(self) -> Change:
        raise NotImplementedError

    def redo(self) -> None:
        if self._already_done:
            self._already_done = False
            return
        self._run(self.do, "Redo")

    def undo(self) -> None:
        self._run(self.undo_change, "Undo")

    def _run(self, step: Callable[[], Change], verb: str) -> None:
        macro = self.macro
        action = f"{verb}: {macro.text if macro else self.text()}"
        try:
            with self.editor.batch(action, macro.group_for(verb) if macro else None):
                change = step()
        except Exception as exc:  # a failed write must not take the window down
            self._on_error(exc)
            return
        self._notify(change)


def execute(stack: QUndoStack, command: EditCommand) -> Change:
    """Make the edit now (errors propagate, nothing is pushed), then record it for undo."""
    with command.editor.batch(command.text()):
        change = command.do()
    command._notify(change)
    command._already_done = True
    stack.push(command)
    return change


class SetCellsCommand(EditCommand):
    """Set or clear one or more ratings (several at once when a range is selected)."""

    def __init__(self, edits: list[tuple[int, int, Cell | None]], text: str, *args: Any) -> None:
        super().__init__(text, *args)
        matrix = self.editor.matrix
        self._edits = edits
        self._old = [matrix.cell(eid, hid) for eid, hid, _ in edits]
        self._merge = (
            len(edits) == 1
            and edits[0][2] is not None
            and self._old[0] is not None
            and self._old[0].rating is edits[0][2].rating
        )  # reason typing only

    def id(self) -> int:
        return MERGE_CELL_REASON if self._merge else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SetCellsCommand) or not other._merge:
            return False
        if other._edits[0][:2] != self._edits[0][:2]:
            return False
        self._edits = other._edits
        return True

    def do(self) -> Change:
        return self._apply([cell for _, _, cell in self._edits])

    def undo_change(self) -> Change:
        return self._apply(self._old)

    def _apply(self, cells: list[Cell | None]) -> Change:
        change = Change()
        for (eid, hid, _), cell in zip(self._edits, cells, strict=True):
            change = change | self.editor.set_cell(eid, hid, cell)
        return change


class _FieldsCommand(EditCommand):
    """Shared by the evidence, hypothesis and project field edits."""

    merge_id = -1

    def __init__(
        self, item_id: int, values: dict[str, Any], old: dict[str, Any], text: str, *args: Any
    ) -> None:
        super().__init__(text, *args)
        self.item_id = item_id
        self._values = values
        self._old = old

    def id(self) -> int:
        text_only = all(isinstance(v, str) for v in self._values.values())
        return self.merge_id if text_only else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if type(other) is not type(self) or not isinstance(other, _FieldsCommand):
            return False
        if other.item_id != self.item_id or other._values.keys() != self._values.keys():
            return False
        self._values = other._values
        return True

    def do(self) -> Change:
        return self.write(self._values)

    def undo_change(self) -> Change:
        return self.write(self._old)

    def write(self, values: dict[str, Any]) -> Change:
        raise NotImplementedError


class EditEvidenceCommand(_FieldsCommand):
    merge_id = MERGE_EVIDENCE

    def __init__(self, evidence_id: int, values: dict[str, Any], *args: Any) -> None:
        ev = args[0].matrix.evidence_item(evidence_id)
        old = {k: getattr(ev, k) for k in values}
        super().__init__(evidence_id, values, old, _describe("Edit", values, f"evidence {ev.ref}"), *args)

    def write(self, values: dict[str, Any]) -> Change:
        return self.editor.update_evidence(self.item_id, values)


class EditHypothesisCommand(_FieldsCommand):
    merge_id = MERGE_HYPOTHESIS

    def __init__(self, hypothesis_id: int, values: dict[str, Any], *args: Any) -> None:
        h = args[0].matrix.hypothesis(hypothesis_id)
        old = {k: getattr(h, k) for k in values}
        super().__init__(hypothesis_id, values, old, _describe("Edit", values, f"{h.ref} “{h.label}”"), *args)

    def write(self, values: dict[str, Any]) -> Change:
        return self.editor.update_hypothesis(self.item_id, values)


class EditProjectCommand(_FieldsCommand):
    merge_id = MERGE_PROJECT

    def __init__(self, values: dict[str, Any], *args: Any) -> None:
        project = args[0].matrix.project
        old = {k: getattr(project, k) for k in values}
        super().__init__(project.id, values, old, _describe("Edit project", values, ""), *args)

    def write(self, values: dict[str, Any]) -> Change:
        return self.editor.update_project(values)


class AddEvidenceCommand(EditCommand):
    def __init__(self, evidence: Evidence, index: int | None, *args: Any) -> None:
        super().__init__("Add evidence", *args)
        self._evidence = evidence
        self._index = index
        self._removed: RemovedEvidence | None = None
        self.evidence_id = 0

    def do(self) -> Change:
        if self._removed is None:
            self.evidence_id, change = self.editor.add_evidence(self._evidence, self._index)
        else:
            self.evidence_id, change = self.editor.restore_evidence(self._removed)
        return change

    def undo_change(self) -> Change:
        self._removed, change = self.editor.remove_evidence(self.evidence_id)
        return change


class RemoveEvidenceCommand(EditCommand):
    def __init__(self, evidence_ids: list[int], *args: Any) -> None:
        n = len(evidence_ids)
        super().__init__("Delete evidence" if n == 1 else f"Delete {n} evidence items", *args)
        matrix = self.editor.matrix
        # Remove from the bottom up and restore from the top down, so each stored
        # index is still right when it is used.
        self._ids = sorted(evidence_ids, key=matrix.evidence_index, reverse=True)
        self._removed: list[RemovedEvidence] = []

    def do(self) -> Change:
        change = Change()
        self._removed = []
        for eid in self._ids:
            removed, c = self.editor.remove_evidence(eid)
            self._removed.append(removed)
            change = change | c
        return change

    def undo_change(self) -> Change:
        change = Change()
        for removed in reversed(self._removed):
            change = change | self.editor.restore_evidence(removed)[1]
        return change


class MoveEvidenceCommand(EditCommand):
    def __init__(self, evidence_id: int, to_index: int, *args: Any) -> None:
        super().__init__("Move evidence", *args)
        self._id = evidence_id
        self._from = self.editor.matrix.evidence_index(evidence_id)
        self._to = to_index

    def do(self) -> Change:
        return self.editor.move_evidence(self._id, self._to)

    def undo_change(self) -> Change:
        return self.editor.move_evidence(self._id, self._from)


class AddHypothesisCommand(EditCommand):
    def __init__(self, hypothesis: Hypothesis, index: int | None, *args: Any) -> None:
        super().__init__(f"Add hypothesis “{hypothesis.label}”", *args)
        self._hypothesis = hypothesis
        self._index = index
        self._removed: RemovedHypothesis | None = None
        self.hypothesis_id = 0

    def do(self) -> Change:
        if self._removed is None:
            self.hypothesis_id, change = self.editor.add_hypothesis(self._hypothesis, self._index)
        else:
            self.hypothesis_id, change = self.editor.restore_hypothesis(self._removed)
        return change

    def undo_change(self) -> Change:
        self._removed, change = self.editor.remove_hypothesis(self.hypothesis_id)
        return change


class RemoveHypothesisCommand(EditCommand):
    def __init__(self, hypothesis_id: int, *args: Any) -> None:
        label = args[0].matrix.hypothesis(hypothesis_id).label
        super().__init__(f"Delete hypothesis “{label}”", *args)
        self._id = hypothesis_id
        self._removed: RemovedHypothesis | None = None

    def do(self) -> Change:
        self._removed, change = self.editor.remove_hypothesis(self._id)
        return change

    def undo_change(self) -> Change:
        assert self._removed is not None
        return self.editor.restore_hypothesis(self._removed)[1]


class MoveHypothesisCommand(EditCommand):
    def __init__(self, hypothesis_id: int, to_index: int, *args: Any) -> None:
        super().__init__("Move hypothesis", *args)
        self._id = hypothesis_id
        self._from = self.editor.matrix.hypothesis_index(hypothesis_id)
        self._to = to_index

    def do(self) -> Change:
        return self.editor.move_hypothesis(self._id, self._to)

    def undo_change(self) -> Change:
        return self.editor.move_hypothesis(self._id, self._from)


_FIELD_NAMES = {
    "kind": "type",
    "included": "inclusion",
    "information": "information grade",
    "steps_done": "steps done",
}


def _describe(verb: str, values: dict[str, Any], what: str) -> str:
    fields = ", ".join(_FIELD_NAMES.get(k, k) for k in values)
    return f"{verb} {what} {fields}".replace("  ", " ").strip()


# -- documents ----------------------------------------------------------------------------
class AddDocumentCommand(EditCommand):
    def __init__(self, document: Document, *args: Any) -> None:
        super().__init__(f"Import document “{_short(document.title)}”", *args)
        self._document = document
        self.document_id = 0

    def do(self) -> Change:
        # Redo re-inserts the same object, so the document keeps its id.
        self.document_id, change = self.editor.add_document(self._document)
        return change

    def undo_change(self) -> Change:
        return self.editor.remove_document(self.document_id, delete_evidence=False)[1]


class EditDocumentCommand(EditCommand):
    """Edit a document's details. A new reliability grade moves the credibility of the
    items taken from it, so their credibility is kept for undo too."""

    def __init__(self, document_id: int, values: dict[str, Any], *args: Any) -> None:
        doc = args[0].matrix.document(document_id)
        super().__init__(_describe("Edit document", values, ""), *args)
        self._id = document_id
        self._values = values
        self._old = {k: getattr(doc, k) for k in values}
        self._credibility = {
            e.id: {"credibility": e.credibility, "credibility_overridden": e.credibility_overridden}
            for e in self.editor.matrix.evidence_from(document_id)
        }

    def do(self) -> Change:
        return self.editor.update_document(self._id, self._values)

    def undo_change(self) -> Change:
        change = self.editor.update_document(self._id, self._old)
        for eid, values in self._credibility.items():
            change = change | self.editor.update_evidence(eid, values)
        return change


class EditEvidenceGradesCommand(EditCommand):
    """An evidence edit that may move its credibility (grades, credibility itself):
    undo puts back exactly the credibility and override that were there."""

    def __init__(self, evidence_id: int, values: dict[str, Any], *args: Any) -> None:
        ev = args[0].matrix.evidence_item(evidence_id)
        super().__init__(_describe("Edit", values, f"evidence {ev.ref}"), *args)
        self._id = evidence_id
        self._values = values
        self._old = {k: getattr(ev, k) for k in values}
        self._old.update(credibility=ev.credibility, credibility_overridden=ev.credibility_overridden)

    def do(self) -> Change:
        return self.editor.update_evidence(self._id, self._values)

    def undo_change(self) -> Change:
        return self.editor.update_evidence(self._id, self._old)


class UseOriginalTextCommand(EditCommand):
    def __init__(self, document_id: int, use_original: bool, *args: Any) -> None:
        super().__init__("Show full original text" if use_original else "Show article only", *args)
        self._id = document_id
        self._use_original = use_original
        self._old_spans: dict[int, tuple[int, int] | None] = {}

    def do(self) -> Change:
        self._old_spans, change = self.editor.use_original_text(self._id, self._use_original)
        return change

    def undo_change(self) -> Change:
        _, change = self.editor.use_original_text(self._id, not self._use_original)
        return change | self.editor.set_spans(self._old_spans)


class RemoveDocumentCommand(EditCommand):
    def __init__(self, document_id: int, delete_evidence: bool, *args: Any) -> None:
        title = _short(args[0].matrix.document(document_id).title)
        text = f"Delete document “{title}”" + (" and its evidence" if delete_evidence else "")
        super().__init__(text, *args)
        self._id = document_id
        self._delete_evidence = delete_evidence
        self._removed: RemovedDocument | None = None

    def do(self) -> Change:
        self._removed, change = self.editor.remove_document(self._id, self._delete_evidence)
        return change

    def undo_change(self) -> Change:
        assert self._removed is not None
        return self.editor.restore_document(self._removed)


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
