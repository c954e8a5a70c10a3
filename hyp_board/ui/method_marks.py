"""What the matrix marks of the method: items from a source of high deception concern
(beside their number) and the milestones due or overdue of a hypothesis (a badge on
its column header). Plain strings; the tooltips escape what the analyst wrote."""

from __future__ import annotations

from datetime import date
from html import escape

from hyp_board.core.matrix import Matrix
from hyp_board.core.method import Concern, Due
from hyp_board.core.model import Evidence

CONCERN_MARK = "⚠"
OVERDUE_MARK = "⚑"


def concern_mark(matrix: Matrix, ev: Evidence) -> str:
    check = matrix.deception_check(ev.document_id) if ev.document_id else None
    return CONCERN_MARK if check is not None and check.level is Concern.HIGH else ""


def concern_tooltip(matrix: Matrix, ev: Evidence) -> str:
    """Why the item is marked, as rich text ('' when it is not)."""
    if not concern_mark(matrix, ev):
        return ""
    check = matrix.deception_check(ev.document_id)
    assert check is not None
    title = matrix.document(ev.document_id).title
    worrying = [q.short.lower() for q, (a, _) in check.answers.items() if a.value == "yes"]
    basis = f" (yes to: {escape(', '.join(worrying))})" if worrying else ""
    how = "set by you" if check.concern is not None else "from the answers"
    note = f"<br>{escape(check.note)}" if check.note.strip() else ""
    return (
        f"⚠ From “{escape(title)}”, a source of <b>high deception concern</b>, {how}{basis}.{note}"
        "<br>See the Analysis panel for the lead without this source."
    )


def milestone_badge(matrix: Matrix, hypothesis_id: int, today: date) -> str:
    """ " ⚑2" when milestones of the hypothesis are overdue, " ⚑" when due soon, else ''."""
    states = [m.due_state(today) for m in matrix.milestones_of(hypothesis_id)]
    overdue = states.count(Due.OVERDUE)
    if overdue:
        return f" {OVERDUE_MARK}{overdue}"
    return f" {OVERDUE_MARK}" if Due.SOON in states else ""


def milestone_tooltip(matrix: Matrix, hypothesis_id: int, today: date) -> str:
    lines = []
    for m in matrix.milestones_of(hypothesis_id):
        state = m.due_state(today)
        if state in (Due.OVERDUE, Due.SOON):
            lines.append(f"{OVERDUE_MARK} {state.value}: {escape(m.text)} (by {m.due})")
    return "<br>".join(lines)


def overdue_count(matrix: Matrix, today: date) -> int:
    return sum(1 for m in matrix.milestones if m.due_state(today) is Due.OVERDUE)
