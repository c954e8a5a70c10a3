"""Heuer's eight steps of ACH as a checklist, each step's status read from the project.

Where the project shows whether a step is done (hypotheses listed, cells rated,
milestones set) the status is derived; where only the analyst knows (that the
non-diagnostic items were reviewed, the sensitivity looked at, the report sent) it
is the mark the analyst set, with what the project can say beside it. Pure: the
window and the reports show the same list.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from hyp_board.core.matrix import Matrix
from hyp_board.core.method import Due
from hyp_board.core.model import EvidenceType

# Steps only the analyst can mark done (the others follow the project).
MARKED_STEPS = frozenset({4, 6, 7})


class StepStatus(enum.StrEnum):
    DONE = "done"
    PARTLY = "partly done"
    TO_DO = "to do"

    @property
    def symbol(self) -> str:
        return {"done": "✓", "partly done": "◐", "to do": "○"}[self.value]


class StepPlace(enum.StrEnum):
    """Where in the window a step is done."""

    HYPOTHESES = "hypotheses"  # the matrix's hypothesis columns
    EVIDENCE = "evidence"  # the matrix's evidence rows
    UNRATED = "unrated"  # the first unrated cell
    DIAGNOSTICITY = "diagnosticity"  # the matrix sorted by diagnosticity
    NOTES = "notes"  # the project's notes
    ANALYSIS = "analysis"  # the analysis panel
    REPORT = "report"  # the report export
    MILESTONES = "milestones"  # the milestones of the hypotheses


@dataclass(frozen=True, slots=True)
class Step:
    number: int
    title: str
    status: StepStatus
    detail: str  # what the project says about it, one line
    place: StepPlace
    markable: bool  # the analyst marks it done (4, 6, 7)


TITLES = {
    1: "Identify the hypotheses",
    2: "List evidence and assumptions",
    3: "Rate the matrix",
    4: "Refine the matrix",
    5: "Draw tentative conclusions",
    6: "Analyse sensitivity",
    7: "Report the conclusions",
    8: "Set milestones",
}


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def non_diagnostic_count(matrix: Matrix) -> int:
    """Items in the scores whose ratings do not tell the hypotheses apart."""
    board = matrix.board
    return sum(1 for e in matrix.evidence if e.included and board.diagnosticity(e.id) == 0)


def unrated_count(matrix: Matrix) -> int:
    """Cells of the items in the scores with no rating yet."""
    # Counted from the other side: every rating is of an item and a hypothesis of the
    # project, so those of the items in the scores are all of them but the excluded
    # items' (few, and a row each). It runs on every edit: no pass over every cell.
    cells, hypotheses = matrix.cells, matrix.hypotheses
    included = excluded_rated = 0
    for e in matrix.evidence:
        if e.included:
            included += 1
        else:
            excluded_rated += sum(1 for h in hypotheses if (e.id, h.id) in cells)
    return max(0, included * len(hypotheses) - (len(cells) - excluded_rated))


def method_steps(matrix: Matrix, today: date | None = None) -> list[Step]:
    """The eight steps and where the project stands on each; given *today*, step 8 also
    counts the milestones overdue."""
    done = matrix.project.steps_done
    n_h = len(matrix.hypotheses)
    steps: list[Step] = []

    if n_h >= 3:
        steps.append(_step(1, StepStatus.DONE, f"{n_h} hypotheses", StepPlace.HYPOTHESES))
    elif n_h == 2:
        steps.append(
            _step(1, StepStatus.PARTLY, "2 hypotheses: consider at least a third", StepPlace.HYPOTHESES)
        )
    else:
        steps.append(
            _step(
                1,
                StepStatus.TO_DO,
                f"{_plural(n_h, 'hypothesis', 'hypotheses')}: at least two are needed",
                StepPlace.HYPOTHESES,
            )
        )

    n_e = len(matrix.evidence)
    assumptions = sum(1 for e in matrix.evidence if e.kind is EvidenceType.ASSUMPTION)
    listed = f"{_plural(n_e, 'item')}, {_plural(assumptions, 'assumption')}"
    if n_e and assumptions:
        steps.append(_step(2, StepStatus.DONE, listed, StepPlace.EVIDENCE))
    elif n_e:
        steps.append(_step(2, StepStatus.PARTLY, listed + ": list the assumptions too", StepPlace.EVIDENCE))
    else:
        steps.append(_step(2, StepStatus.TO_DO, "no evidence yet", StepPlace.EVIDENCE))

    unrated = unrated_count(matrix)
    rated = len(matrix.cells)
    if n_h and n_e and not unrated:
        steps.append(_step(3, StepStatus.DONE, "every cell rated", StepPlace.UNRATED))
    elif rated:
        steps.append(_step(3, StepStatus.PARTLY, f"{_plural(unrated, 'cell')} unrated", StepPlace.UNRATED))
    else:
        steps.append(_step(3, StepStatus.TO_DO, "nothing rated yet", StepPlace.UNRATED))

    flat = non_diagnostic_count(matrix)
    flat_text = f"{_plural(flat, 'non-diagnostic item')}"
    steps.append(
        _marked(4, done, flat_text + (", reviewed" if 4 in done else " to review"), StepPlace.DIAGNOSTICITY)
    )

    notes = matrix.project.notes.strip()
    if notes:
        steps.append(
            _step(
                5,
                StepStatus.DONE,
                f"conclusion notes written ({_plural(len(notes.split()), 'word')})",
                StepPlace.NOTES,
            )
        )
    else:
        steps.append(_step(5, StepStatus.TO_DO, "no conclusion notes yet", StepPlace.NOTES))

    steps.append(
        _marked(6, done, "reviewed" if 6 in done else "review the analysis panel", StepPlace.ANALYSIS)
    )
    steps.append(
        _marked(
            7,
            done,
            "report exported" if 7 in done else "export a report with every hypothesis's likelihood",
            StepPlace.REPORT,
        )
    )

    overdue = sum(1 for m in matrix.milestones if today is not None and m.due_state(today) is Due.OVERDUE)
    late = f"; {overdue} overdue" if overdue else ""
    with_milestones = {m.hypothesis_id for m in matrix.milestones}
    covered = sum(1 for h in matrix.hypotheses if h.id in with_milestones)
    total = len(matrix.milestones)
    if n_h and covered == n_h:
        steps.append(
            _step(
                8,
                StepStatus.DONE,
                f"{_plural(total, 'milestone')} for every hypothesis{late}",
                StepPlace.MILESTONES,
            )
        )
    elif covered:
        steps.append(
            _step(
                8,
                StepStatus.PARTLY,
                f"{_plural(total, 'milestone')}; {covered} of {n_h} hypotheses have one{late}",
                StepPlace.MILESTONES,
            )
        )
    else:
        steps.append(_step(8, StepStatus.TO_DO, "no milestones yet", StepPlace.MILESTONES))
    return steps


def _step(number: int, status: StepStatus, detail: str, place: StepPlace) -> Step:
    return Step(number, TITLES[number], status, detail, place, markable=False)


def _marked(number: int, done: frozenset[int], detail: str, place: StepPlace) -> Step:
    status = StepStatus.DONE if number in done else StepStatus.TO_DO
    return Step(number, TITLES[number], status, detail, place, markable=True)


def completed(steps: list[Step]) -> int:
    return sum(1 for s in steps if s.status is StepStatus.DONE)
