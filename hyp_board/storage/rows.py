"""Table rows ↔ the core's dataclasses: one mapping each way per table, by column name.

Enums are stored as their text values; an evidence item's passage as two columns; no
document as NULL (0 in the core); a document's layouts and attachments as JSON. Text
this version does not know (a newer minor's) falls back to the default rather than
failing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from hyp_board.core.layout import Layout
from hyp_board.core.method import (
    Answer,
    Concern,
    DeceptionCheck,
    DeceptionQuestion,
    Milestone,
    MilestoneStatus,
)
from hyp_board.core.model import (
    Attachment,
    Cell,
    Document,
    Evidence,
    EvidenceType,
    Hypothesis,
    InformationGrade,
    Level,
    Project,
    Rating,
    Reliability,
    record_texts,
    recorded_cell,
)

_LEVEL_BY_TEXT = {lv.value: lv for lv in Level}
_TYPE_BY_TEXT = {t.value: t for t in EvidenceType}
_INFORMATION_BY_TEXT = {g.value: g for g in InformationGrade}
_RELIABILITY_BY_TEXT = {g.value: g for g in Reliability}
_ENUMS = (Level, EvidenceType, InformationGrade, Reliability, MilestoneStatus)

Row = Any  # a result row: columns by attribute name


# -- project -------------------------------------------------------------------------
def project_from_row(r: Row) -> Project:
    return Project(
        id=r.id,
        uuid=r.uuid,
        title=r.title,
        question=r.question,
        notes=r.notes,
        created_at=r.created_at,
        modified_at=r.modified_at,
        last_evidence_number=r.last_evidence_number,
        last_hypothesis_number=r.last_hypothesis_number,
        classification=r.classification,
        caveats=r.caveats,
        steps_done=steps_from_text(r.steps_done),
    )


def steps_from_text(text: str | None) -> frozenset[int]:
    return frozenset(int(part) for part in (text or "").split(",") if part.strip().isdigit())


def steps_text(steps: frozenset[int]) -> str:
    return ",".join(str(step) for step in sorted(steps))


def project_changed_values(values: dict[str, Any]) -> dict[str, Any]:
    return {name: steps_text(v) if name == "steps_done" else v for name, v in values.items()}


def project_values(p: Project) -> dict[str, Any]:
    return {
        "uuid": p.uuid,
        "title": p.title,
        "question": p.question,
        "notes": p.notes,
        "created_at": p.created_at,
        "modified_at": p.modified_at,
        "last_evidence_number": p.last_evidence_number,
        "last_hypothesis_number": p.last_hypothesis_number,
        "classification": p.classification,
        "caveats": p.caveats,
        "steps_done": steps_text(p.steps_done),
    }


# -- hypothesis ------------------------------------------------------------------------
def hypothesis_from_row(r: Row) -> Hypothesis:
    return Hypothesis(
        id=r.id,
        uuid=r.uuid,
        label=r.label,
        description=r.description,
        position=r.position,
        prior=r.prior,
        number=r.number,
    )


def hypothesis_values(h: Hypothesis) -> dict[str, Any]:
    """Everything but the id, the project and the position, which the store assigns."""
    return {
        "uuid": h.uuid,
        "label": h.label,
        "description": h.description,
        "prior": h.prior,
        "number": h.number,
    }


# -- evidence --------------------------------------------------------------------------
def evidence_from_row(r: Row) -> Evidence:
    has_span = r.span_start is not None and r.span_end is not None
    return Evidence(
        id=r.id,
        uuid=r.uuid,
        summary=r.summary,
        quote=r.quote,
        source=r.source,
        date=r.date,
        kind=_TYPE_BY_TEXT.get(r.kind, EvidenceType.OTHER),
        credibility=_LEVEL_BY_TEXT.get(r.credibility, Level.MEDIUM),
        relevance=_LEVEL_BY_TEXT.get(r.relevance, Level.MEDIUM),
        included=bool(r.included),
        notes=r.notes,
        position=r.position,
        document_id=r.document_id or 0,
        span=(r.span_start, r.span_end) if has_span else None,
        information=_INFORMATION_BY_TEXT.get(r.information) if r.information else None,
        credibility_overridden=bool(r.credibility_overridden),
        number=r.number,
    )


def evidence_values(e: Evidence) -> dict[str, Any]:
    """Everything but the id, the project and the position, which the store assigns."""
    return {
        "uuid": e.uuid,
        "summary": e.summary,
        "quote": e.quote,
        "source": e.source,
        "date": e.date,
        "kind": e.kind.value,
        "credibility": e.credibility.value,
        "relevance": e.relevance.value,
        "included": e.included,
        "notes": e.notes,
        "document_id": e.document_id or None,
        "span_start": e.span[0] if e.span else None,
        "span_end": e.span[1] if e.span else None,
        "information": e.information.value if e.information else None,
        "credibility_overridden": e.credibility_overridden,
        "number": e.number,
    }


# -- document --------------------------------------------------------------------------
def document_from_row(r: Row) -> Document:
    return Document(
        id=r.id,
        uuid=r.uuid,
        title=r.title,
        origin=r.origin,
        author=r.author,
        published=r.published,
        imported_at=r.imported_at,
        original_text=r.original_text,
        article_text=r.article_text,
        uses_original=bool(r.uses_original),
        reliability=_RELIABILITY_BY_TEXT.get(r.reliability) if r.reliability else None,
        notes=r.notes,
        original_layout=Layout.loads(r.original_layout),
        article_layout=Layout.loads(r.article_layout),
        attachments=_attachments_from(r.attachments),
    )


def document_values(d: Document) -> dict[str, Any]:
    """Everything but the id, the project and the position, which the store assigns."""
    return {
        "uuid": d.uuid,
        "title": d.title,
        "origin": d.origin,
        "author": d.author,
        "published": d.published,
        "imported_at": d.imported_at,
        "original_text": d.original_text,
        "article_text": d.article_text,
        "uses_original": d.uses_original,
        "reliability": d.reliability.value if d.reliability else None,
        "notes": d.notes,
        "original_layout": d.original_layout.dumps() if d.original_layout else None,
        "article_layout": d.article_layout.dumps() if d.article_layout else None,
        "attachments": (
            json.dumps([[a.name, a.content_type, a.size] for a in d.attachments]) if d.attachments else None
        ),
    }


def _attachments_from(text: str | None) -> tuple[Attachment, ...]:
    if not text:
        return ()
    try:
        return tuple(Attachment(str(name), str(kind), int(size)) for name, kind, size in json.loads(text))
    except (ValueError, TypeError):
        return ()  # a damaged list costs the list, never the document


# -- rating ------------------------------------------------------------------------------
# A project's ratings as both readers select them. Codes this version does not know (a
# newer minor's) are left out, so those cells read as unrated: by cells_from_rows, not in
# the query, where a test of every row costs a tenth of reading them.
RATINGS_SQL = (
    "SELECT r.evidence_id, r.hypothesis_id, r.code, r.reason, r.rated_at, r.rated_in FROM rating r "
    "JOIN evidence e ON e.id = r.evidence_id WHERE e.project_id = ?"
)
_RATING_BY_CODE = {r.value: r for r in Rating}
# Most cells have no reason or record; sharing one immutable Cell per rating makes
# loading 80,000 of them cheap.
_BARE_CELLS = {code: Cell(rating) for code, rating in _RATING_BY_CODE.items()}


def cells_from_rows(found: Iterable[tuple[Any, ...]]) -> dict[tuple[int, int], Cell]:
    """Cells by (evidence id, hypothesis id) from rows selected by :data:`RATINGS_SQL`."""
    bare, by_code, full = _BARE_CELLS, _RATING_BY_CODE, recorded_cell
    cells: dict[tuple[int, int], Cell | None] = {
        (eid, hid): bare.get(code)
        if not (reason or rated_at or rated_in)
        else (None if (rating := by_code.get(code)) is None else full(rating, reason, rated_at, rated_in))
        for eid, hid, code, reason, rated_at, rated_in in found
    }
    if None in cells.values():  # (a code of a newer version: rare, and looked for at C speed)
        return {key: cell for key, cell in cells.items() if cell is not None}
    return cells  # type: ignore[return-value]


def rating_record_values(cell: Cell) -> dict[str, Any]:
    """When and in which view a rating was given, as stored (NULL where not known)."""
    rated_at, rated_in = record_texts(cell)
    return {"rated_at": rated_at, "rated_in": rated_in}


# -- milestones and deception checks ---------------------------------------------------
_STATUS_BY_TEXT = {s.value: s for s in MilestoneStatus}
_ANSWER_BY_TEXT = {a.value: a for a in Answer}
_QUESTION_BY_TEXT = {q.value: q for q in DeceptionQuestion}
_CONCERN_BY_TEXT = {c.value: c for c in Concern}


def milestone_from_row(r: Row) -> Milestone:
    return Milestone(
        id=r.id,
        uuid=r.uuid,
        hypothesis_id=r.hypothesis_id,
        text=r.text,
        due=r.due,
        status=_STATUS_BY_TEXT.get(r.status, MilestoneStatus.WATCHING),
        note=r.note,
        position=r.position,
    )


def milestone_values(m: Milestone) -> dict[str, Any]:
    return {
        "uuid": m.uuid,
        "hypothesis_id": m.hypothesis_id,
        "text": m.text,
        "due": m.due,
        "status": m.status.value,
        "note": m.note,
        "position": m.position,
    }


def deception_check_from_row(r: Row) -> DeceptionCheck:
    answers: dict[DeceptionQuestion, tuple[Answer, str]] = {}
    try:
        stored = json.loads(r.answers or "{}")
        for key, (answer, note) in stored.items():
            if key in _QUESTION_BY_TEXT:  # a newer minor's questions are left out
                answers[_QUESTION_BY_TEXT[key]] = (_ANSWER_BY_TEXT.get(answer, Answer.UNKNOWN), str(note))
    except (ValueError, TypeError, AttributeError):
        answers = {}  # damaged answers cost the answers, never the check's note
    return DeceptionCheck(answers, _CONCERN_BY_TEXT.get(r.concern) if r.concern else None, r.note)


def deception_check_values(check: DeceptionCheck) -> dict[str, Any]:
    return {
        "answers": json.dumps({q.value: [a.value, n] for q, (a, n) in check.answers.items()}),
        "concern": check.concern.value if check.concern else None,
        "note": check.note,
    }


# -- partial updates -------------------------------------------------------------------
def changed_values(values: dict[str, Any]) -> dict[str, Any]:
    """Edited fields as stored: enums as text, a span as two columns, 0 as no document."""
    stored: dict[str, Any] = {}
    for name, value in values.items():
        if name == "span":
            stored["span_start"], stored["span_end"] = value if value else (None, None)
        elif name == "document_id":
            stored[name] = value or None
        else:
            stored[name] = value.value if isinstance(value, _ENUMS) else value
    return stored
