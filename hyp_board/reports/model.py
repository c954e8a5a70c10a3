"""What a report says, independent of how it is written (PDF, Markdown, CSV).

Built once from the matrix, so every output states the same scores, ranking and
sensitivity as the window.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from hyp_board.core.analysis import Analysis, analyse
from hyp_board.core.analysis_input import analysis_input
from hyp_board.core.analysis_text import without_document_sentence
from hyp_board.core.checklist import Step, method_steps
from hyp_board.core.conclusion_history import ConclusionHistory
from hyp_board.core.matrix import Matrix
from hyp_board.core.method import Concern, DeceptionCheck, DeceptionQuestion, Due, marking_line
from hyp_board.core.model import Evidence, Rating, evidence_ref, hypothesis_ref
from hyp_board.core.scoring import MAX_DIAGNOSTICITY

LEADER_MARK = "★"
RANKING_FOLLOWERS = 3  # hypotheses named after the leader in the one-line ranking
PIVOTAL_SHOWN = 10


@dataclass(frozen=True, slots=True)
class ReportMilestone:
    text: str
    due: str  # YYYY-MM-DD or ''
    status: str  # "Watching", "Observed", "Did not happen"
    due_state: str  # "overdue", "due soon" or ''
    note: str


@dataclass(frozen=True, slots=True)
class ReportCheck:
    """A source's deception check, as the report states it."""

    level: str  # "High"
    basis: str  # "from the answers" or "set by the analyst; the answers suggest Medium"
    answers: tuple[tuple[str, str, str], ...]  # (question, answer, note), answered ones only
    note: str
    without: str  # the lead without this source ('' when unknown)

    @property
    def high(self) -> bool:
        return self.level == Concern.HIGH.label


@dataclass(frozen=True, slots=True)
class ReportHypothesis:
    number: int  # the stable number (H3), not the column
    column: int  # where it stands in the matrix, from 0
    label: str
    description: str
    inconsistency: int
    weighted: float
    rank: int
    tied: bool
    leader: bool
    milestones: tuple[ReportMilestone, ...] = ()

    @property
    def rank_text(self) -> str:
        return f"{self.rank}=" if self.tied else str(self.rank)

    @property
    def ref(self) -> str:
        return hypothesis_ref(self.number)

    @property
    def titled(self) -> str:
        """ "H3 Real split": how the matrix heads its column."""
        return f"{self.ref} {self.label}"


@dataclass(frozen=True, slots=True)
class ReportEvidence:
    number: int  # the stable number (E12), not the row
    summary: str
    quote: str
    source: str
    date: str
    kind: str
    credibility: str
    relevance: str
    included: bool
    diagnosticity: int
    notes: str
    ratings: tuple[Rating | None, ...]  # in hypothesis order
    reasons: tuple[str, ...]
    document: str = ""  # the title of the document it was quoted from
    grades: str = ""  # how credibility relates to the source and information grades
    pages: str = ""  # where in the document: "p. 4", "pp. 4–5", or "" (no pages)

    @property
    def document_text(self) -> str:
        """“Title”, p. 4 — the document and, for a paged one, where in it."""
        return f"“{self.document}”" + (f", {self.pages}" if self.pages else "") if self.document else ""

    @property
    def ref(self) -> str:
        return evidence_ref(self.number)

    @property
    def credibility_text(self) -> str:
        return f"credibility {self.credibility}" + (f" ({self.grades})" if self.grades else "")


@dataclass(frozen=True, slots=True)
class ReportDocument:
    title: str
    details: str  # author, origin, date and source grade, as one line
    items: int  # evidence items quoted from it
    check: ReportCheck | None = None
    refs: tuple[str, ...] = ()  # the items quoted from it: "E3"…


@dataclass(frozen=True, slots=True)
class Report:
    title: str
    question: str
    notes: str
    generated: date
    hypotheses: tuple[ReportHypothesis, ...]
    evidence: tuple[ReportEvidence, ...]
    ranking: str  # one line: who leads and by how much
    sensitivity: str
    documents: tuple[ReportDocument, ...] = ()
    analysis: Analysis | None = None  # sensitivity and likelihood view (None: not asked for)
    marking: str = ""  # "SECRET // NOFORN", at the head and foot of every page ('' none)
    steps: tuple[Step, ...] = ()  # Heuer's eight steps and where the project stands
    conclusion: ConclusionHistory | None = None  # how the conclusion moved (None: not asked for)

    @property
    def high_concern_sources(self) -> tuple[ReportDocument, ...]:
        return tuple(d for d in self.documents if d.check is not None and d.check.high)

    @property
    def has_milestones(self) -> bool:
        return any(h.milestones for h in self.hypotheses)

    @property
    def max_diagnosticity(self) -> int:
        return MAX_DIAGNOSTICITY


def build_report(
    matrix: Matrix,
    today: date | None = None,
    analysis: bool = True,
    conclusion: ConclusionHistory | None = None,
) -> Report:
    """The report of *matrix*; *analysis*: with the sensitivity analysis and the
    likelihood view (a matrix-only report or a CSV has no use for them, and on a large
    project they take longer to work out than the matrix takes to lay out);
    *conclusion*: how the conclusion moved, when the report is to show it."""
    scores = matrix.scores()
    rated = any(s.inconsistency for s in scores)
    hypotheses = tuple(
        ReportHypothesis(
            number=matrix.hypotheses[i].number,
            column=i,
            label=s.label,
            description=matrix.hypotheses[i].description,
            inconsistency=s.inconsistency,
            weighted=s.weighted_inconsistency,
            rank=s.rank,
            tied=s.tied,
            leader=rated and s.rank == 1,
            milestones=report_milestones(matrix, matrix.hypotheses[i].id, today or date.today()),
        )
        for i, s in enumerate(scores)
    )
    evidence = []
    hypothesis_ids = [h.id for h in matrix.hypotheses]
    all_cells = matrix.cells  # read directly: one call per cell is a tenth of the report model's time
    for ev in matrix.evidence:
        cells = [all_cells.get((ev.id, hid)) for hid in hypothesis_ids]
        evidence.append(
            ReportEvidence(
                number=ev.number,
                summary=ev.summary,
                quote=ev.quote,
                source=ev.source,
                date=ev.date,
                kind=ev.kind.value,
                credibility=ev.credibility.value,
                relevance=ev.relevance.value,
                included=ev.included,
                diagnosticity=matrix.board.diagnosticity(ev.id),
                notes=ev.notes,
                ratings=tuple(c.rating if c else None for c in cells),
                reasons=tuple(c.reason if c else "" for c in cells),
                document=matrix.document(ev.document_id).title if matrix.has_document(ev.document_id) else "",
                grades=grades_text(matrix, ev),
                pages=matrix.document(ev.document_id).citation(ev.span)
                if matrix.has_document(ev.document_id)
                else "",
            )
        )
    worked_out = analyse(analysis_input(matrix)) if analysis and matrix.hypotheses else None
    return Report(
        title=matrix.project.title,
        question=matrix.project.question,
        notes=matrix.project.notes,
        generated=today or date.today(),
        hypotheses=hypotheses,
        evidence=tuple(evidence),
        ranking=ranking_line(hypotheses, rated),
        sensitivity=sensitivity_line(matrix) if rated and len(hypotheses) > 1 else "",
        documents=report_documents(matrix, worked_out),
        analysis=worked_out,
        marking=marking_line(matrix.project.classification, matrix.project.caveats),
        steps=tuple(method_steps(matrix, today or date.today())),
        conclusion=conclusion,
    )


def report_milestones(matrix: Matrix, hypothesis_id: int, today: date) -> tuple[ReportMilestone, ...]:
    out = []
    for m in matrix.milestones_of(hypothesis_id):
        state = m.due_state(today)
        shown = state.value if state in (Due.OVERDUE, Due.SOON) else ""
        out.append(ReportMilestone(m.text, m.due, m.status.label, shown, m.note))
    return tuple(out)


def report_check(check: DeceptionCheck, without: str) -> ReportCheck:
    suggested = check.suggested_concern
    if check.concern is None:
        basis = "from the answers"
    elif check.concern is suggested:
        basis = "set by the analyst, as the answers suggest"
    else:
        basis = f"set by the analyst; the answers suggest {suggested.label}"
    answers = tuple(
        (q.short, check.answer(q).label, check.answer_note(q))
        for q in DeceptionQuestion
        if check.answer(q) or check.answer_note(q)
    )
    return ReportCheck(check.level.label, basis, answers, check.note, without)


def report_documents(matrix: Matrix, analysis: Analysis | None = None) -> tuple[ReportDocument, ...]:
    counts = matrix.evidence_counts()
    documents = []
    for doc in matrix.documents:
        facts = [f for f in (doc.author, doc.origin, doc.published) if f]
        grade = (
            f"source reliability {doc.reliability.value} ({doc.reliability.label.lower()})"
            if doc.reliability
            else "source not graded"
        )
        check = matrix.deception_check(doc.id)
        without = without_document_sentence(analysis, doc.id) if analysis is not None else ""
        documents.append(
            ReportDocument(
                doc.title,
                " · ".join([*facts, grade]),
                counts.get(doc.id, 0),
                report_check(check, without) if check is not None else None,
                tuple(e.ref for e in matrix.evidence_from(doc.id)),
            )
        )
    return tuple(documents)


def grades_text(matrix: Matrix, ev: Evidence) -> str:
    suggestion = matrix.credibility_suggestion(ev)
    if suggestion is None:
        return ""
    if ev.credibility_overridden:
        return f"graded {suggestion.basis}, which suggests {suggestion.level.value}: the analyst's override"
    if suggestion.unknown:
        return f"graded {suggestion.basis}: cannot be judged"
    return f"graded {suggestion.basis}"


def ranking_line(hypotheses: tuple[ReportHypothesis, ...], rated: bool) -> str:
    if not hypotheses:
        return "No hypotheses yet."
    if not rated:
        return "No inconsistent evidence rated yet: every hypothesis stands equal."
    ordered = sorted(hypotheses, key=lambda h: (h.rank, h.column))
    leaders = [h for h in ordered if h.rank == 1]
    rest = [h for h in ordered if h.rank != 1]
    names = " and ".join(h.label for h in leaders)
    head = (
        f"Tied for least inconsistent: {names} ({leaders[0].weighted:.2f})"
        if len(leaders) > 1
        else f"Least inconsistent: {names} (weighted {leaders[0].weighted:.2f})"
    )
    if rest:
        # One line, not a list: the score rows give every hypothesis.
        shown = rest[:RANKING_FOLLOWERS]
        head += "; then " + ", ".join(f"{h.label} ({h.weighted:.2f})" for h in shown)
        if len(rest) > len(shown):
            head += f" and {len(rest) - len(shown)} more"
    return head + "."


def sensitivity_line(matrix: Matrix) -> str:
    s = matrix.sensitivity()
    parts = []
    if s.margin is not None and len(s.leaders) == 1:
        parts.append(f"The lead is {s.margin:.2f} weighted points.")
    if len(s.pivotal) == 1:
        parts.append(
            f"Removing evidence {matrix.evidence_item(s.pivotal[0]).ref} alone would change the lead."
        )
    elif s.pivotal:
        numbers = ", ".join(matrix.evidence_item(e).ref for e in s.pivotal[:PIVOTAL_SHOWN])
        if len(s.pivotal) > PIVOTAL_SHOWN:
            numbers += f" and {len(s.pivotal) - PIVOTAL_SHOWN} more"
        parts.append(f"Removing any one of evidence {numbers} alone would change the lead.")
    else:
        parts.append("No single evidence item changes the lead if removed.")
    return " ".join(parts)


def rating_label(rating: Rating | None) -> str:
    return rating.value if rating is not None else ""
