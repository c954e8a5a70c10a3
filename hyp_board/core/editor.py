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

from hyp_board.core.grading import Suggestion, suggested_credibility
from hyp_board.core.matrix import Change, Matrix, RemovedDocument, RemovedEvidence, RemovedHypothesis
from hyp_board.core.model import (
    DOCUMENT_FIELDS,
    EVIDENCE_FIELDS,
    HYPOTHESIS_FIELDS,
    PROJECT_FIELDS,
    Cell,
    Document,
    Evidence,
    Hypothesis,
    InformationGrade,
    Level,
    normalise_date,
)
from hyp_board.core.passages import Span, relocate, span_is_valid, span_text


class ProjectStore(Protocol):
    """What the editor needs from storage; every call is one committed transaction.

    Positions are kept contiguous by the store: inserting at a position shifts the
    items after it, deleting closes the gap, exactly as :class:`Matrix` does. Items
    are inserted with their number (the editor gives new ones theirs), which the store
    records as given.
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
    def insert_document(self, project_id: int, document: Document) -> int: ...
    def update_document(self, project_id: int, document_id: int, values: dict[str, Any]) -> None: ...
    def delete_document(self, project_id: int, document_id: int) -> None: ...


class EditError(ValueError):
    """An edit that cannot be made as asked; the message is meant for the user."""


# Grades may be cleared; every other field always holds a value.
_OPTIONAL = frozenset({"information", "reliability"})


def _validate(values: dict[str, Any], allowed: dict[str, type]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for name, value in values.items():
        expected = allowed.get(name)
        if expected is None:
            raise EditError(f"{name!r} cannot be edited")
        if name in _OPTIONAL and value in (None, ""):
            clean[name] = None
            continue
        if not isinstance(value, expected):
            try:
                value = expected(value)
            except (TypeError, ValueError) as exc:
                raise EditError(f"{name}: {exc}") from None
        if name in ("date", "published"):
            try:
                value = normalise_date(value)
            except ValueError as exc:
                raise EditError(str(exc)) from None
        elif isinstance(value, str) and name in ("summary", "label", "title", "origin", "author"):
            # One line: these head matrix rows, columns and the window; line breaks
            # typed or pasted into them would be hidden there.
            value = " ".join(value.split())
            if not value and name in ("summary", "label", "title"):
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
        """Edit fields; credibility follows the grades unless the analyst overrides it.

        Passing ``credibility_overridden`` along with ``credibility`` sets both as
        given (undo uses this to put back exactly what was there).
        """
        restoring = "credibility_overridden" in values
        overridden = bool(values.get("credibility_overridden"))
        clean = _validate({k: v for k, v in values.items() if k != "credibility_overridden"}, EVIDENCE_FIELDS)
        ev = self.matrix.evidence_item(evidence_id)
        if restoring:
            clean["credibility_overridden"] = overridden
        else:
            clean.update(self._credibility_values(ev, clean.get("information", ev.information), clean))
        return self._write_evidence(evidence_id, clean)

    def _write_evidence(self, evidence_id: int, clean: dict[str, Any]) -> Change:
        self.store.update_evidence(self.project_id, evidence_id, clean)
        return self.matrix.update_evidence(evidence_id, clean)

    def suggestion_for(self, information: InformationGrade | None, document_id: int) -> Suggestion | None:
        """The credibility an information grade suggests for an item from *document_id*."""
        return suggested_credibility(self.matrix.source_reliability(document_id), information)

    def _credibility_values(
        self, ev: Evidence, information: InformationGrade | None, clean: dict[str, Any]
    ) -> dict[str, Any]:
        suggestion = self.suggestion_for(information, ev.document_id)
        if "credibility" in clean:
            chosen: Level = clean["credibility"]
            return {"credibility_overridden": suggestion is not None and chosen is not suggestion.level}
        if suggestion is None:
            return {"credibility_overridden": False} if ev.credibility_overridden else {}
        if ev.credibility_overridden or suggestion.level is ev.credibility:
            return {}
        return {"credibility": suggestion.level}

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
        """Add a new item at *index* (default: the end); returns its id.

        An item quoted from a document takes the credibility its grades suggest.
        """
        values = {k: getattr(evidence, k) for k in EVIDENCE_FIELDS}
        evidence = replace(evidence, **_validate(values, EVIDENCE_FIELDS))
        if evidence.document_id and not self.matrix.has_document(evidence.document_id):
            raise EditError("the document this passage came from is no longer in the project")
        suggestion = self.suggestion_for(evidence.information, evidence.document_id)
        if suggestion is not None and not evidence.credibility_overridden:
            evidence.credibility = suggestion.level
        index = len(self.matrix.evidence) if index is None else index
        if evidence.number <= 0 or any(e.number == evidence.number for e in self.matrix.evidence):
            evidence.number = self.matrix.next_evidence_number()
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
        if hypothesis.number <= 0 or any(h.number == hypothesis.number for h in self.matrix.hypotheses):
            hypothesis.number = self.matrix.next_hypothesis_number()
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

    # -- documents -------------------------------------------------------------------
    def add_document(self, document: Document, index: int | None = None) -> tuple[int, Change]:
        index = len(self.matrix.documents) if index is None else index
        document.id = self.store.insert_document(self.project_id, document)
        return document.id, self.matrix.insert_document(document, index)

    def update_document(self, document_id: int, values: dict[str, Any]) -> Change:
        """Edit a document's details; a new reliability grade re-suggests the
        credibility of the items taken from it (those not overridden)."""
        clean = _validate(values, DOCUMENT_FIELDS)
        self.store.update_document(self.project_id, document_id, clean)
        change = self.matrix.update_document(document_id, clean)
        if "reliability" in clean:
            for ev in self.matrix.evidence_from(document_id):
                follow = self._credibility_values(ev, ev.information, {})
                if follow:
                    change = change | self._write_evidence(ev.id, follow)
        return change

    def use_original_text(
        self, document_id: int, use_original: bool
    ) -> tuple[dict[int, Span | None], Change]:
        """Switch a document between its article and its full original text.

        Each linked item's passage is found again in the text now shown; returns the
        spans as they were, for undo. Items whose passage is not in the new text stay
        linked to the document, without a position.
        """
        doc = self.matrix.document(document_id)
        old_text = doc.text
        old_spans = {ev.id: ev.span for ev in self.matrix.evidence_from(document_id)}
        self.store.update_document(self.project_id, document_id, {"uses_original": use_original})
        change = self.matrix.update_document(document_id, {"uses_original": use_original})
        new_text = doc.text
        for ev in self.matrix.evidence_from(document_id):
            # The passage itself is sought, not the quote: the analyst may have
            # trimmed or corrected the quote since taking it.
            passage = span_text(old_text, ev.span) if span_is_valid(old_text, ev.span) else ev.quote
            span = relocate(passage, old_text, new_text, ev.span) if ev.span else None
            if span != ev.span:
                change = change | self._write_evidence(ev.id, {"span": span})
        return old_spans, change

    def set_spans(self, spans: dict[int, Span | None]) -> Change:
        change = Change(documents=True)
        for eid, span in spans.items():
            if self.matrix.evidence_item(eid).span != span:
                change = change | self._write_evidence(eid, {"span": span})
        return change

    def remove_document(self, document_id: int, delete_evidence: bool) -> tuple[RemovedDocument, Change]:
        """Remove a document; its evidence is deleted or kept without the link."""
        linked = self.matrix.evidence_from(document_id)
        change = Change(documents=True)
        removed: list[RemovedEvidence] = []
        unlinked: dict[int, Span | None] = {}
        if delete_evidence:
            for ev in sorted(linked, key=lambda e: e.position, reverse=True):
                item, c = self.remove_evidence(ev.id)
                removed.insert(0, item)
                change = change | c
        else:
            for ev in linked:
                unlinked[ev.id] = ev.span
                change = change | self._write_evidence(ev.id, {"document_id": 0, "span": None})
        self.store.delete_document(self.project_id, document_id)
        document = self.matrix.document(document_id)
        index = self.matrix.remove_document(document_id)
        return RemovedDocument(document, index, unlinked, removed), change

    def restore_document(self, removed: RemovedDocument) -> Change:
        doc_id, change = self.add_document(removed.document, removed.index)
        for item in removed.removed:
            item.evidence.document_id = doc_id
            change = change | self.restore_evidence(item)[1]
        for eid, span in removed.unlinked.items():
            change = change | self._write_evidence(eid, {"document_id": doc_id, "span": span})
        return change
