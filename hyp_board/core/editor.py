"""Edits to an open project: validated, persisted, then applied in memory.

The editor is what the UI's undo commands call. Each operation writes to the store
first (one committed transaction), and only when that succeeded changes the in-memory
:class:`~hyp_board.core.matrix.Matrix`, so the screen never shows an edit the
database does not hold. The store is any object with the methods of
:class:`ProjectStore`; :class:`hyp_board.storage.Store` is the real one.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Protocol

from hyp_board.core.matrix import Change, Matrix, RemovedEvidence, RemovedHypothesis
from hyp_board.core.model import (
    EVIDENCE_FIELDS,
    HYPOTHESIS_FIELDS,
    PROJECT_FIELDS,
    Cell,
    Evidence,
    Hypothesis,
    normalise_date,
)


class ProjectStore(Protocol):
    """What the editor needs from storage; every call is one committed transaction.

    Positions are kept contiguous by the store: inserting at a position shifts the
    items after it, deleting closes the gap, exactly as :class:`Matrix` does.
    """

    def set_cell(self, project_id: int, evidence_id: int, hypothesis_id: int, cell: Cell | None) -> None: ...
    def update_evidence(self, project_id: int, evidence_id: int, values: dict[str, Any]) -> None: ...
    def update_hypothesis(self, project_id: int, hypothesis_id: int, values: dict[str, Any]) -> None: ...
    def update_project(self, project_id: int, values: dict[str, Any]) -> None: ...
    def insert_evidence(self, project_id: int, evidence: Evidence, cells: dict[int, Cell]) -> int: ...
    def delete_evidence(self, project_id: int, evidence_id: int) -> None: ...
    def insert_hypothesis(self, project_id: int, hypothesis: Hypothesis, cells: dict[int, Cell]) -> int: ...
    def delete_hypothesis(self, project_id: int, hypothesis_id: int) -> None: ...
    def set_evidence_order(self, project_id: int, evidence_ids: list[int]) -> None: ...
    def set_hypothesis_order(self, project_id: int, hypothesis_ids: list[int]) -> None: ...


class EditError(ValueError):
    """An edit that cannot be made as asked; the message is meant for the user."""


def _validate(values: dict[str, Any], allowed: dict[str, type]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for name, value in values.items():
        expected = allowed.get(name)
        if expected is None:
            raise EditError(f"{name!r} cannot be edited")
        if not isinstance(value, expected):
            try:
                value = expected(value)
            except (TypeError, ValueError) as exc:
                raise EditError(f"{name}: {exc}") from None
        if name == "date":
            try:
                value = normalise_date(value)
            except ValueError as exc:
                raise EditError(str(exc)) from None
        elif isinstance(value, str) and name in ("summary", "label", "title"):
            # One line: these head matrix rows, columns and the window; line breaks
            # typed or pasted into them would be hidden there.
            value = " ".join(value.split())
            if not value:
                raise EditError(f"the {name} cannot be empty")
        clean[name] = value
    return clean


class ProjectEditor:
    def __init__(self, store: ProjectStore, matrix: Matrix) -> None:
        self.store = store
        self.matrix = matrix

    @property
    def project_id(self) -> int:
        return self.matrix.project.id

    # -- cells -------------------------------------------------------------------
    def set_cell(self, evidence_id: int, hypothesis_id: int, cell: Cell | None) -> Change:
        self.store.set_cell(self.project_id, evidence_id, hypothesis_id, cell)
        return self.matrix.set_cell(evidence_id, hypothesis_id, cell)

    # -- fields ------------------------------------------------------------------
    def update_evidence(self, evidence_id: int, values: dict[str, Any]) -> Change:
        clean = _validate(values, EVIDENCE_FIELDS)
        self.store.update_evidence(self.project_id, evidence_id, clean)
        return self.matrix.update_evidence(evidence_id, clean)

    def update_hypothesis(self, hypothesis_id: int, values: dict[str, Any]) -> Change:
        clean = _validate(values, HYPOTHESIS_FIELDS)
        self.store.update_hypothesis(self.project_id, hypothesis_id, clean)
        return self.matrix.update_hypothesis(hypothesis_id, clean)

    def update_project(self, values: dict[str, Any]) -> Change:
        clean = _validate(values, PROJECT_FIELDS)
        self.store.update_project(self.project_id, clean)
        return self.matrix.update_project(clean)

    # -- evidence rows -------------------------------------------------------------
    def add_evidence(self, evidence: Evidence, index: int | None = None) -> tuple[int, Change]:
        """Add a new item at *index* (default: the end); returns its id."""
        values = {k: getattr(evidence, k) for k in EVIDENCE_FIELDS}
        evidence = replace(evidence, **_validate(values, EVIDENCE_FIELDS))
        index = len(self.matrix.evidence) if index is None else index
        return self.restore_evidence(RemovedEvidence(evidence, index, {}))

    def restore_evidence(self, removed: RemovedEvidence) -> tuple[int, Change]:
        """Put back an item (new or removed earlier, keeping its id and ratings)."""
        removed.evidence.position = removed.index
        new_id = self.store.insert_evidence(self.project_id, removed.evidence, removed.cells)
        removed.evidence.id = new_id
        return new_id, self.matrix.insert_evidence(removed)

    def remove_evidence(self, evidence_id: int) -> tuple[RemovedEvidence, Change]:
        self.store.delete_evidence(self.project_id, evidence_id)
        return self.matrix.remove_evidence(evidence_id)

    def move_evidence(self, evidence_id: int, new_index: int) -> Change:
        order = [e.id for e in self.matrix.evidence]
        order.remove(evidence_id)
        order.insert(new_index, evidence_id)
        self.store.set_evidence_order(self.project_id, order)
        return self.matrix.move_evidence(evidence_id, new_index)

    # -- hypothesis columns --------------------------------------------------------
    def add_hypothesis(self, hypothesis: Hypothesis, index: int | None = None) -> tuple[int, Change]:
        values = {k: getattr(hypothesis, k) for k in HYPOTHESIS_FIELDS}
        hypothesis = replace(hypothesis, **_validate(values, HYPOTHESIS_FIELDS))
        index = len(self.matrix.hypotheses) if index is None else index
        return self.restore_hypothesis(RemovedHypothesis(hypothesis, index, {}))

    def restore_hypothesis(self, removed: RemovedHypothesis) -> tuple[int, Change]:
        removed.hypothesis.position = removed.index
        new_id = self.store.insert_hypothesis(self.project_id, removed.hypothesis, removed.cells)
        removed.hypothesis.id = new_id
        return new_id, self.matrix.insert_hypothesis(removed)

    def remove_hypothesis(self, hypothesis_id: int) -> tuple[RemovedHypothesis, Change]:
        self.store.delete_hypothesis(self.project_id, hypothesis_id)
        return self.matrix.remove_hypothesis(hypothesis_id)

    def move_hypothesis(self, hypothesis_id: int, new_index: int) -> Change:
        order = [h.id for h in self.matrix.hypotheses]
        order.remove(hypothesis_id)
        order.insert(new_index, hypothesis_id)
        self.store.set_hypothesis_order(self.project_id, order)
        return self.matrix.move_hypothesis(hypothesis_id, new_index)
