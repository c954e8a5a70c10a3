"""Reverting journaled changes: putting back the value an entry says was there before.

A revert is a new edit made through the editor (so it is journaled in turn, and
undoable in the window), found by the items' stable references, so it works long
after the change and across restarts. It is refused, in words, when what it is about
is no longer there (or, for a deletion, is there again).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from hyp_board.core.editor import EditError, ProjectEditor
from hyp_board.core.journal_entries import (
    ChangeKind,
    JournalEntry,
    cell_from_json,
    deception_check_from_json,
    milestone_from_json,
    ref_number,
)
from hyp_board.core.layout import Layout
from hyp_board.core.matrix import Change, RemovedEvidence, RemovedHypothesis
from hyp_board.core.method import Milestone
from hyp_board.core.model import (
    Attachment,
    Cell,
    Document,
    Evidence,
    EvidenceType,
    Hypothesis,
    InformationGrade,
    Level,
    Reliability,
)

# Evidence fields a revert puts back through the editor's own checks, and the link to
# a passage, which the analyst never edits directly.
_LINK_FIELDS = frozenset({"document_id", "span"})


def revert_entries(editor: ProjectEditor, entries: Sequence[JournalEntry]) -> Change:
    """Revert *entries*, the latest first, as one transaction (all of them, or none).

    Stored entries are ordered by id; entries not stored yet are in the order made."""
    ordered = sorted(entries, key=lambda e: e.id) if all(e.id for e in entries) else list(entries)
    change = Change()
    with editor.batch():
        for entry in reversed(ordered):
            change = change | revert_entry(editor, entry)
    return change


def revert_entry(editor: ProjectEditor, entry: JournalEntry) -> Change:
    """Put back what *entry* changed; raises EditError (for the user) if it cannot be."""
    revert = _REVERTERS.get(entry.kind)
    if revert is None:
        raise EditError(f"{entry.kind.label} cannot be reverted")
    try:
        return revert(editor, entry)
    except EditError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        # A damaged entry (or one from a file): refused in words, nothing changed.
        raise EditError(f"this journal entry cannot be read ({type(exc).__name__}: {exc})") from None


# -- finding items -------------------------------------------------------------------------
def _evidence(editor: ProjectEditor, ref: str) -> Evidence | None:
    number = ref_number(ref, "E")
    return next((e for e in editor.matrix.evidence if e.number == number), None)


def _hypothesis(editor: ProjectEditor, ref: str) -> Hypothesis | None:
    number = ref_number(ref, "H")
    return next((h for h in editor.matrix.hypotheses if h.number == number), None)


def _document_id(editor: ProjectEditor, ref: str) -> int | None:
    number = ref_number(ref, "D")
    return number if number is not None and editor.matrix.has_document(number) else None


def _gone(ref: str) -> EditError:
    return EditError(f"{ref} is no longer in the project, so this change cannot be reverted")


def _needs_evidence(editor: ProjectEditor, ref: str) -> Evidence:
    ev = _evidence(editor, ref)
    if ev is None:
        raise _gone(ref)
    return ev


def _needs_hypothesis(editor: ProjectEditor, ref: str) -> Hypothesis:
    h = _hypothesis(editor, ref)
    if h is None:
        raise _gone(ref)
    return h


def _clamp(position: Any, count: int) -> int:
    return max(0, min(int(position), count))


# -- each kind -------------------------------------------------------------------------------
def _rating(editor: ProjectEditor, entry: JournalEntry) -> Change:
    ev = _needs_evidence(editor, entry.item)
    h = _needs_hypothesis(editor, entry.hypothesis)
    return editor.set_cell(ev.id, h.id, cell_from_json(entry.old))


def _evidence_fields(editor: ProjectEditor, entry: JournalEntry) -> Change:
    ev = _needs_evidence(editor, entry.item)
    old = dict(entry.old)
    link = {name: old.pop(name) for name in list(old) if name in _LINK_FIELDS}
    change = Change()
    with editor.batch():
        if old:
            change = editor.update_evidence(ev.id, old)
        if link:
            document_id = int(link.get("document_id", ev.document_id) or 0)
            if document_id and not editor.matrix.has_document(document_id):
                raise EditError(f"D{document_id}, which {entry.item} quoted, is no longer in the project")
            span = link.get("span", ev.span)
            change = change | editor.relink_evidence(ev.id, document_id, tuple(span) if span else None)
    return change


def _hypothesis_fields(editor: ProjectEditor, entry: JournalEntry) -> Change:
    h = _needs_hypothesis(editor, entry.item)
    return editor.update_hypothesis(h.id, dict(entry.old))


def _project_fields(editor: ProjectEditor, entry: JournalEntry) -> Change:
    return editor.update_project(dict(entry.old))


def _likelihood(editor: ProjectEditor, entry: JournalEntry) -> Change:
    return editor.set_likelihood(dict(entry.old))


def _document_fields(editor: ProjectEditor, entry: JournalEntry) -> Change:
    document_id = _document_id(editor, entry.item)
    if document_id is None:
        raise _gone(entry.item)
    old = dict(entry.old)
    change = Change()
    with editor.batch():
        if "uses_original" in old:
            change = editor.use_original_text(document_id, bool(old.pop("uses_original")))[1]
        if old:
            change = change | editor.update_document(document_id, old)
    return change


def _evidence_added(editor: ProjectEditor, entry: JournalEntry) -> Change:
    ev = _evidence(editor, entry.item)
    if ev is None:
        raise EditError(f"{entry.item} has been deleted already")
    return editor.remove_evidence(ev.id)[1]


def _evidence_removed(editor: ProjectEditor, entry: JournalEntry) -> Change:
    if _evidence(editor, entry.item) is not None:
        raise EditError(f"{entry.item} is in the project again")
    content = entry.old
    values = content["evidence"]
    document_id = int(values.get("document_id") or 0)
    linked = bool(document_id) and editor.matrix.has_document(document_id)
    information = values.get("information")
    ev = Evidence(
        summary=str(values["summary"]),
        quote=str(values.get("quote", "")),
        source=str(values.get("source", "")),
        date=str(values.get("date", "")),
        kind=EvidenceType(values.get("kind", EvidenceType.REPORT.value)),
        credibility=Level(values.get("credibility", Level.MEDIUM.value)),
        relevance=Level(values.get("relevance", Level.MEDIUM.value)),
        included=bool(values.get("included", True)),
        notes=str(values.get("notes", "")),
        uuid=str(values["uuid"]),
        document_id=document_id if linked else 0,
        span=tuple(values["span"]) if linked and values.get("span") else None,
        information=InformationGrade(information) if information else None,
        credibility_overridden=bool(values.get("credibility_overridden", False)),
        number=int(values["number"]),
    )
    cells = _ratings_back(content, lambda ref: _hypothesis(editor, ref))
    index = _clamp(content.get("position", len(editor.matrix.evidence)), len(editor.matrix.evidence))
    return editor.restore_evidence(RemovedEvidence(ev, index, cells))[1]


def _ratings_back(
    content: dict[str, Any], find: Callable[[str], Evidence | Hypothesis | None]
) -> dict[int, Cell]:
    """A removed item's ratings, keyed by the id of each counterpart still there (a
    rating against an item deleted since is left out)."""
    cells: dict[int, Cell] = {}
    for ref, cell in (content.get("ratings") or {}).items():
        other, restored = find(ref), cell_from_json(cell)
        if other is not None and restored is not None:
            cells[other.id] = restored
    return cells


def _evidence_moved(editor: ProjectEditor, entry: JournalEntry) -> Change:
    ev = _needs_evidence(editor, entry.item)
    return editor.move_evidence(ev.id, _clamp(entry.old, len(editor.matrix.evidence) - 1))


def _hypothesis_added(editor: ProjectEditor, entry: JournalEntry) -> Change:
    h = _hypothesis(editor, entry.item)
    if h is None:
        raise EditError(f"{entry.item} has been deleted already")
    return editor.remove_hypothesis(h.id)[1]


def _hypothesis_removed(editor: ProjectEditor, entry: JournalEntry) -> Change:
    if _hypothesis(editor, entry.item) is not None:
        raise EditError(f"{entry.item} is in the project again")
    content = entry.old
    values = content["hypothesis"]
    h = Hypothesis(
        label=str(values["label"]),
        description=str(values.get("description", "")),
        prior=float(values.get("prior", 1.0)),
        uuid=str(values["uuid"]),
        number=int(values["number"]),
    )
    cells = _ratings_back(content, lambda ref: _evidence(editor, ref))
    index = _clamp(content.get("position", len(editor.matrix.hypotheses)), len(editor.matrix.hypotheses))
    return editor.restore_hypothesis(RemovedHypothesis(h, index, cells))[1]


def _hypothesis_moved(editor: ProjectEditor, entry: JournalEntry) -> Change:
    h = _needs_hypothesis(editor, entry.item)
    return editor.move_hypothesis(h.id, _clamp(entry.old, len(editor.matrix.hypotheses) - 1))


def _document_added(editor: ProjectEditor, entry: JournalEntry) -> Change:
    document_id = _document_id(editor, entry.item)
    if document_id is None:
        raise EditError(f"{entry.item} has been deleted already")
    return editor.remove_document(document_id, delete_evidence=False)[1]


def _document_removed(editor: ProjectEditor, entry: JournalEntry) -> Change:
    number = ref_number(entry.item, "D")
    if number is None:
        raise EditError(f"{entry.item!r} is not a document")
    if editor.matrix.has_document(number):
        raise EditError(f"{entry.item} is in the project again")
    content = entry.old
    values = content["document"]
    if "original_text" not in values:
        raise EditError(f"the journal does not hold the text of {entry.item}")
    reliability = values.get("reliability")
    document = Document(
        title=str(values["title"]),
        original_text=str(values["original_text"]),
        article_text=None if values.get("article_text") is None else str(values["article_text"]),
        uses_original=bool(values.get("uses_original", False)),
        origin=str(values.get("origin", "")),
        author=str(values.get("author", "")),
        published=str(values.get("published", "")),
        imported_at=datetime.fromisoformat(str(values["imported_at"])),
        reliability=Reliability(reliability) if reliability else None,
        notes=str(values.get("notes", "")),
        id=number,  # document ids are never given twice: D3 comes back as D3
        uuid=str(values["uuid"]),
        original_layout=Layout.loads(values.get("original_layout")),
        article_layout=Layout.loads(values.get("article_layout")),
        attachments=tuple(Attachment(str(n), str(k), int(s)) for n, k, s in values.get("attachments") or ()),
    )
    index = _clamp(content.get("position", len(editor.matrix.documents)), len(editor.matrix.documents))
    return editor.add_document(document, index)[1]


def _milestone(editor: ProjectEditor, content: Any) -> Milestone | None:
    """The milestone an entry's value is about, by its uuid (its id is one database's)."""
    uuid = content["uuid"]
    return next((m for m in editor.matrix.milestones if m.uuid == uuid), None)


def _milestone_added(editor: ProjectEditor, entry: JournalEntry) -> Change:
    _needs_hypothesis(editor, entry.item)
    milestone = _milestone(editor, entry.new)
    if milestone is None:
        raise EditError(f"this milestone of {entry.item} has been deleted already")
    return editor.remove_milestone(milestone.id)[1]


def _milestone_removed(editor: ProjectEditor, entry: JournalEntry) -> Change:
    h = _needs_hypothesis(editor, entry.item)
    if _milestone(editor, entry.old) is not None:
        raise EditError(f"this milestone of {entry.item} is in the project again")
    milestone = milestone_from_json(entry.old, h.id)
    return editor.add_milestone(milestone, position=milestone.position)[1]


def _milestone_fields(editor: ProjectEditor, entry: JournalEntry) -> Change:
    _needs_hypothesis(editor, entry.item)
    milestone = _milestone(editor, entry.old)
    if milestone is None:
        raise EditError(f"this milestone of {entry.item} has been deleted, so this change cannot be reverted")
    return editor.update_milestone(milestone.id, {k: v for k, v in entry.old.items() if k != "uuid"})


def _deception_check(editor: ProjectEditor, entry: JournalEntry) -> Change:
    document_id = _document_id(editor, entry.item)
    if document_id is None:
        raise _gone(entry.item)
    return editor.set_deception_check(document_id, deception_check_from_json(entry.old))


def _refuse_creation(editor: ProjectEditor, entry: JournalEntry) -> Change:
    raise EditError("the creation of the project cannot be reverted (delete the project instead)")


_REVERTERS = {
    ChangeKind.RATING: _rating,
    ChangeKind.EVIDENCE_FIELD: _evidence_fields,
    ChangeKind.HYPOTHESIS_FIELD: _hypothesis_fields,
    ChangeKind.PROJECT_FIELD: _project_fields,
    ChangeKind.DOCUMENT_FIELD: _document_fields,
    ChangeKind.LIKELIHOOD: _likelihood,
    ChangeKind.EVIDENCE_ADDED: _evidence_added,
    ChangeKind.EVIDENCE_REMOVED: _evidence_removed,
    ChangeKind.EVIDENCE_MOVED: _evidence_moved,
    ChangeKind.HYPOTHESIS_ADDED: _hypothesis_added,
    ChangeKind.HYPOTHESIS_REMOVED: _hypothesis_removed,
    ChangeKind.HYPOTHESIS_MOVED: _hypothesis_moved,
    ChangeKind.DOCUMENT_ADDED: _document_added,
    ChangeKind.DOCUMENT_REMOVED: _document_removed,
    ChangeKind.PROJECT_CREATED: _refuse_creation,
    ChangeKind.MILESTONE_ADDED: _milestone_added,
    ChangeKind.MILESTONE_FIELD: _milestone_fields,
    ChangeKind.MILESTONE_REMOVED: _milestone_removed,
    ChangeKind.DECEPTION_CHECK: _deception_check,
}
