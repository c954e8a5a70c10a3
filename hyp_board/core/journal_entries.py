"""The change journal: one entry for every change made to a project, kept for good.

Undo is lost when the window closes; the journal is not. Each entry says when, what
(the item by its stable reference, "E12", "H2", "D3", and its label at the time),
and the value before and after, as JSON-able values: enough to revert the change
later, and to replay the matrix backwards from today's state.

What ``old`` and ``new`` hold, by kind:

- a rating: the cell, ``{"rating": "C", "reason": "..."}``, or None for unrated;
- a field edit (evidence, hypothesis, project, document, likelihood): the fields
  changed, by name, before and after (``credibility_overridden`` travels with a
  credibility so that a revert puts back exactly what was there);
- an addition or a removal: the whole item on its side (None on the other), with its
  position and its ratings keyed by the other axis's references; a removed document
  carries its text, an added one only its details (reverting an addition removes it);
- a move: the positions before and after;
- a milestone (``item`` its hypothesis, "H2"; ``label`` its text): the whole milestone,
  with its ``uuid`` and ``position``, on the side it exists, or, for an edit, its
  ``uuid`` and the fields changed before and after (the uuid finds it again later);
- a deception check (``item`` its document, "D3"): the whole check before and after,
  None where there was none.

Entries made by one command (a range of ratings, a take from a colleague, an applied
what-if, a document removed with its evidence) share a ``group``, so they can be shown
and reverted together; ``action`` is the command as the undo history names it.

Plain Python: storage writes and reads these, the editor makes them.
"""

from __future__ import annotations

import enum
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from hyp_board.core.method import (
    Answer,
    Concern,
    DeceptionCheck,
    DeceptionQuestion,
    Milestone,
    MilestoneStatus,
)
from hyp_board.core.model import (
    Cell,
    Document,
    Evidence,
    Hypothesis,
    Rating,
)

JsonValue = Any  # None, bool, int, float, str, and lists and dicts of them


class ChangeKind(enum.StrEnum):
    RATING = "rating"
    EVIDENCE_FIELD = "evidence-field"
    HYPOTHESIS_FIELD = "hypothesis-field"
    PROJECT_FIELD = "project-field"
    DOCUMENT_FIELD = "document-field"
    LIKELIHOOD = "likelihood"
    EVIDENCE_ADDED = "evidence-added"
    EVIDENCE_REMOVED = "evidence-removed"
    EVIDENCE_MOVED = "evidence-moved"
    HYPOTHESIS_ADDED = "hypothesis-added"
    HYPOTHESIS_REMOVED = "hypothesis-removed"
    HYPOTHESIS_MOVED = "hypothesis-moved"
    DOCUMENT_ADDED = "document-added"
    DOCUMENT_REMOVED = "document-removed"
    # The project itself was stored: made new, imported from a file, or copied.
    PROJECT_CREATED = "project-created"
    MILESTONE_ADDED = "milestone-added"
    MILESTONE_FIELD = "milestone-field"
    MILESTONE_REMOVED = "milestone-removed"
    DECEPTION_CHECK = "deception-check"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    ChangeKind.RATING: "Rating",
    ChangeKind.EVIDENCE_FIELD: "Evidence edited",
    ChangeKind.HYPOTHESIS_FIELD: "Hypothesis edited",
    ChangeKind.PROJECT_FIELD: "Project edited",
    ChangeKind.DOCUMENT_FIELD: "Document edited",
    ChangeKind.LIKELIHOOD: "Likelihood setting",
    ChangeKind.EVIDENCE_ADDED: "Evidence added",
    ChangeKind.EVIDENCE_REMOVED: "Evidence deleted",
    ChangeKind.EVIDENCE_MOVED: "Evidence moved",
    ChangeKind.HYPOTHESIS_ADDED: "Hypothesis added",
    ChangeKind.HYPOTHESIS_REMOVED: "Hypothesis deleted",
    ChangeKind.HYPOTHESIS_MOVED: "Hypothesis moved",
    ChangeKind.DOCUMENT_ADDED: "Document added",
    ChangeKind.DOCUMENT_REMOVED: "Document deleted",
    ChangeKind.PROJECT_CREATED: "Project created",
    ChangeKind.MILESTONE_ADDED: "Milestone added",
    ChangeKind.MILESTONE_FIELD: "Milestone edited",
    ChangeKind.MILESTONE_REMOVED: "Milestone deleted",
    ChangeKind.DECEPTION_CHECK: "Deception check",
}
_KIND_BY_TEXT = {k.value: k for k in ChangeKind}


def kind_from_text(text: str) -> ChangeKind | None:
    """The kind stored as *text*; None for one this version does not know (a newer one's)."""
    return _KIND_BY_TEXT.get(text)


@dataclass(slots=True)
class JournalEntry:
    """One change to a project, as it was made."""

    kind: ChangeKind
    item: str  # "E12", "H2", "D3"; "" for the project itself and its settings
    label: str  # the item's summary, label or title when the change was made
    old: JsonValue = None
    new: JsonValue = None
    field: str = ""  # the fields edited, comma-separated ("" for ratings, additions…)
    hypothesis: str = ""  # a rating's hypothesis ("H2"); "" otherwise
    reason: str = ""  # why, added by the analyst afterwards
    group: str = ""  # shared by the entries of one command
    action: str = ""  # the command, as the undo history names it ("Undo …" when undone)
    at: datetime | None = None  # UTC; given when the entry is stored
    project_id: int = 0
    id: int = 0  # 0 until stored

    @property
    def target(self) -> str:
        """What the change is about, in words: "E12 × H2", "E12", "the project"."""
        if self.hypothesis:
            return f"{self.item} × {self.hypothesis}"
        return self.item or "the project"


def new_group() -> str:
    """A fresh group id: random, so that two programs writing one database never share one."""
    return os.urandom(8).hex()  # (what secrets.token_hex does, without loading it)


def utc_stamp() -> datetime:
    return datetime.now(UTC)


def document_ref(document_id: int) -> str:
    """How a document is referred to in the journal: "D3" (document ids are never reused)."""
    return f"D{document_id}"


def ref_number(ref: str, prefix: str) -> int | None:
    """The number in "E12" (for prefix "E"); None if *ref* is not one of those."""
    if len(ref) > 1 and ref[0] == prefix and ref[1:].isdigit():
        return int(ref[1:])
    return None


# -- values as JSON ------------------------------------------------------------------------
def to_json(value: Any) -> JsonValue:
    """A field's value as JSON: enums as their text, a passage span as a list, a set
    (the method's steps marked done) as a sorted list."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, frozenset):
        return sorted(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def fields_json(values: Mapping[str, Any]) -> dict[str, JsonValue]:
    return {name: to_json(value) for name, value in values.items()}


def cell_json(cell: Cell | None) -> JsonValue:
    return None if cell is None else {"rating": cell.rating.value, "reason": cell.reason}


def cell_from_json(value: JsonValue) -> Cell | None:
    if not isinstance(value, dict):
        return None
    return Cell(Rating.parse(str(value.get("rating", ""))), str(value.get("reason", "")))


_EVIDENCE_CONTENT = (
    "uuid",
    "number",
    "summary",
    "quote",
    "source",
    "date",
    "kind",
    "credibility",
    "relevance",
    "included",
    "notes",
    "document_id",
    "span",
    "information",
    "credibility_overridden",
)
_HYPOTHESIS_CONTENT = ("uuid", "number", "label", "description", "prior")
_DOCUMENT_DETAILS = (
    "uuid",
    "title",
    "origin",
    "author",
    "published",
    "reliability",
    "notes",
    "uses_original",
)


def evidence_json(ev: Evidence) -> dict[str, JsonValue]:
    return {name: to_json(getattr(ev, name)) for name in _EVIDENCE_CONTENT}


def hypothesis_json(h: Hypothesis) -> dict[str, JsonValue]:
    return {name: to_json(getattr(h, name)) for name in _HYPOTHESIS_CONTENT}


def document_json(doc: Document, with_text: bool) -> dict[str, JsonValue]:
    """A document's details; with its texts and layouts when it must be put back later."""
    content = {name: to_json(getattr(doc, name)) for name in _DOCUMENT_DETAILS}
    content["imported_at"] = doc.imported_at.isoformat()
    if with_text:
        content["original_text"] = doc.original_text
        content["article_text"] = doc.article_text
        content["original_layout"] = doc.original_layout.dumps() if doc.original_layout else None
        content["article_layout"] = doc.article_layout.dumps() if doc.article_layout else None
        content["attachments"] = [[a.name, a.content_type, a.size] for a in doc.attachments]
    return content


def document_added(document: Document, position: int) -> JournalEntry:
    """The entry for a document stored at *position* (its id given): its details, not its
    text, since reverting the addition only removes it."""
    details = {"position": position, "document": document_json(document, with_text=False)}
    return JournalEntry(ChangeKind.DOCUMENT_ADDED, document_ref(document.id), document.title, new=details)


# -- the method ---------------------------------------------------------------------------
def milestone_json(milestone: Milestone) -> dict[str, JsonValue]:
    """A milestone as the journal keeps it (its hypothesis is the entry's item)."""
    return {
        "uuid": milestone.uuid,
        "text": milestone.text,
        "due": milestone.due,
        "status": milestone.status.value,
        "note": milestone.note,
        "position": milestone.position,
    }


def milestone_from_json(value: JsonValue, hypothesis_id: int) -> Milestone:
    """The milestone *value* holds, on *hypothesis_id*; raises ValueError if damaged."""
    if not isinstance(value, dict) or not isinstance(value.get("uuid"), str):
        raise ValueError("not a milestone")
    return Milestone(
        hypothesis_id,
        str(value["text"]),
        due=str(value.get("due", "")),
        status=MilestoneStatus(value.get("status", MilestoneStatus.WATCHING.value)),
        note=str(value.get("note", "")),
        position=int(value.get("position", 0)),
        uuid=value["uuid"],
    )


def deception_check_json(check: DeceptionCheck | None) -> JsonValue:
    if check is None:
        return None
    return {
        "answers": {q.value: [a.value, note] for q, (a, note) in check.answers.items()},
        "concern": None if check.concern is None else check.concern.value,
        "note": check.note,
    }


def deception_check_from_json(value: JsonValue) -> DeceptionCheck | None:
    """The check *value* holds (None: no check); raises ValueError if damaged."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ValueError("not a deception check")
    answers: dict[DeceptionQuestion, tuple[Answer, str]] = {}
    for question, pair in (value.get("answers") or {}).items():
        if not isinstance(pair, list) or len(pair) != 2:
            raise ValueError(f"the answer to {question!r} is damaged")
        answers[DeceptionQuestion(question)] = (Answer(pair[0]), str(pair[1]))
    concern = value.get("concern")
    return DeceptionCheck(answers, Concern(concern) if concern else None, str(value.get("note", "")))
