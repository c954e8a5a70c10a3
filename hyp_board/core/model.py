"""The ACH domain: projects, hypotheses, evidence, ratings, and source documents.

Plain dataclasses with no Qt and no database: storage fills them, scoring reads
them, the UI shows them. Ids are the database's integer keys (0 means "not stored
yet"); uuids identify an item across copies of a project (shared files). Numbers
(E1, E2…, H1, H2…) are what the analyst cites: given once, they never change and are
never given again within the project, however the items are sorted, moved or deleted.
"""

from __future__ import annotations

import enum
import math
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo
from typing import TYPE_CHECKING, NamedTuple

from hyp_board.core.layout import Layout

if TYPE_CHECKING:
    from hyp_board.core.method import DeceptionCheck, Milestone


class Rating(enum.StrEnum):
    """How consistent one item of evidence is with one hypothesis (PARC ACH codes)."""

    CC = "CC"  # very consistent
    C = "C"  # consistent
    N = "N"  # neutral
    I = "I"  # inconsistent  # noqa: E741 - the ACH code itself
    II = "II"  # very inconsistent
    NA = "NA"  # not applicable

    @property
    def label(self) -> str:
        return RATING_LABELS[self]

    @property
    def inconsistency_points(self) -> int:
        """Points towards the inconsistency score: only I and II count against a hypothesis."""
        return {Rating.I: 1, Rating.II: 2}.get(self, 0)

    @property
    def consistency(self) -> int | None:
        """Position on the consistency scale (CC = +2 … II = -2); None for NA."""
        return _CONSISTENCY.get(self)

    @classmethod
    def parse(cls, text: str) -> Rating:
        """Accept the codes in any case and with the PARC spelling "C C" / "I I"."""
        code = re.sub(r"\s+", "", text).upper()
        try:
            return cls(code)
        except ValueError:
            raise ValueError(f"unknown rating {text!r} (expected one of CC, C, N, I, II, NA)") from None


RATING_LABELS = {
    Rating.CC: "Very consistent",
    Rating.C: "Consistent",
    Rating.N: "Neutral",
    Rating.I: "Inconsistent",
    Rating.II: "Very inconsistent",
    Rating.NA: "Not applicable",
}
_CONSISTENCY = {Rating.CC: 2, Rating.C: 1, Rating.N: 0, Rating.I: -1, Rating.II: -2}


class Level(enum.StrEnum):
    """Credibility and relevance grades."""

    HIGH = "High"
    MEDIUM = "Medium"
    LOW = "Low"

    @property
    def exponent(self) -> int:
        """The grade's weight is √2 raised to this: Low = 1/√2, Medium = 1, High = √2."""
        return {Level.LOW: -1, Level.MEDIUM: 0, Level.HIGH: 1}[self]

    @property
    def weight(self) -> float:
        return math.sqrt(2) ** self.exponent

    @property
    def sort_key(self) -> int:
        return self.exponent


class EvidenceType(enum.StrEnum):
    REPORT = "Report"
    ASSUMPTION = "Assumption"
    ARGUMENT = "Argument"
    ABSENCE = "Absence of evidence"
    OTHER = "Other"


class Reliability(enum.StrEnum):
    """How far a source has proved reliable (NATO/Admiralty code, first character).

    See :mod:`hyp_board.core.grading` for the credibility the grades suggest.
    """

    A = "A"
    B = "B"
    C = "C"
    D = "D"
    E = "E"
    F = "F"

    @property
    def label(self) -> str:
        return _RELIABILITY_LABELS[self]


class InformationGrade(enum.StrEnum):
    """How credible one piece of information is (Admiralty code, second character)."""

    CONFIRMED = "1"
    PROBABLY_TRUE = "2"
    POSSIBLY_TRUE = "3"
    DOUBTFUL = "4"
    IMPROBABLE = "5"
    CANNOT_BE_JUDGED = "6"

    @property
    def label(self) -> str:
        return _INFORMATION_LABELS[self]


_RELIABILITY_LABELS = {
    Reliability.A: "Completely reliable",
    Reliability.B: "Usually reliable",
    Reliability.C: "Fairly reliable",
    Reliability.D: "Not usually reliable",
    Reliability.E: "Unreliable",
    Reliability.F: "Reliability cannot be judged",
}
_INFORMATION_LABELS = {
    InformationGrade.CONFIRMED: "Confirmed by other sources",
    InformationGrade.PROBABLY_TRUE: "Probably true",
    InformationGrade.POSSIBLY_TRUE: "Possibly true",
    InformationGrade.DOUBTFUL: "Doubtful",
    InformationGrade.IMPROBABLE: "Improbable",
    InformationGrade.CANNOT_BE_JUDGED: "Truth cannot be judged",
}


def evidence_ref(number: int) -> str:
    """How an evidence item is cited: "E12"."""
    return f"E{number}"


def hypothesis_ref(number: int) -> str:
    """How a hypothesis is cited: "H3"."""
    return f"H{number}"


def new_uuid() -> str:
    import uuid  # (loaded when first needed: showing a project makes no new identity)

    return str(uuid.uuid4())


def utc_now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


_PARTIAL_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


def normalise_date(text: str) -> str:
    """Validate an evidence date: '', 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'.

    Reports are often dated only to the month, so partial ISO dates are allowed; as
    strings they still sort chronologically.
    """
    text = text.strip()
    if text and not _PARTIAL_DATE.match(text):
        raise ValueError(f"date {text!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    if len(text) == 10:
        # Rejects 2007-02-30. (Not strptime: its module and patterns cost ~6 ms at start.)
        date(int(text[:4]), int(text[5:7]), int(text[8:]))
    return text


@dataclass(slots=True)
class Project:
    title: str
    question: str = ""
    notes: str = ""
    id: int = 0
    uuid: str = field(default_factory=new_uuid)
    created_at: datetime = field(default_factory=utc_now)
    modified_at: datetime = field(default_factory=utc_now)
    # The analyst's own values for the likelihood view, by name ("CC" … "II" for the
    # ratings, "High", "Medium", "Low" for credibility); absent names take the defaults
    # of :mod:`hyp_board.core.likelihood`.
    likelihood: dict[str, float] = field(default_factory=dict)
    # The highest numbers ever given in this project, so a deleted item's number is
    # never given to another.
    last_evidence_number: int = 0
    last_hypothesis_number: int = 0
    # The marking printed on everything the project produces (see core.method), and
    # the steps of Heuer's method the analyst has marked done where the project
    # cannot tell by itself (4: refined, 6: sensitivity reviewed, 7: report
    # exported), as a set of step numbers.
    classification: str = ""
    caveats: str = ""
    steps_done: frozenset[int] = frozenset()


@dataclass(slots=True)
class Hypothesis:
    label: str
    description: str = ""
    position: int = 0
    id: int = 0
    uuid: str = field(default_factory=new_uuid)
    # Prior weight in the likelihood view, relative to the other hypotheses' (all equal
    # by default); normalised to probabilities when used.
    prior: float = 1.0
    number: int = 0  # H1, H2…: 0 until the project gives it one

    @property
    def ref(self) -> str:
        return hypothesis_ref(self.number)


@dataclass(slots=True)
class Evidence:
    summary: str
    quote: str = ""
    source: str = ""
    date: str = ""
    kind: EvidenceType = EvidenceType.REPORT
    credibility: Level = Level.MEDIUM
    relevance: Level = Level.MEDIUM
    included: bool = True
    notes: str = ""
    position: int = 0
    id: int = 0
    uuid: str = field(default_factory=new_uuid)
    # Provenance: the document the item was taken from (0: none) and where in its
    # text the quoted passage stands, as [start, end) character offsets.
    document_id: int = 0
    span: tuple[int, int] | None = None
    information: InformationGrade | None = None
    # True when the analyst chose a credibility other than the grades suggest.
    credibility_overridden: bool = False
    number: int = 0  # E1, E2…: 0 until the project gives it one

    @property
    def ref(self) -> str:
        return evidence_ref(self.number)

    @property
    def weight_exponent(self) -> int:
        """Exponent of √2 in credibility × relevance weight (-2 … +2)."""
        return self.credibility.exponent + self.relevance.exponent


@dataclass(slots=True)
class Document:
    """A source document kept in the project, the text evidence is quoted from.

    ``original_text`` is everything the importer could read; ``article_text`` is the
    article alone when the importer dropped site chrome around it (None when it kept
    everything). The analyst reads and quotes one of the two: :attr:`text`. Each has
    its layout (pages, headings, list items) when the file had one: :attr:`layout`.
    """

    title: str
    original_text: str
    article_text: str | None = None
    uses_original: bool = False
    origin: str = ""  # URL or publisher
    author: str = ""
    published: str = ""  # partial ISO date, as evidence dates
    imported_at: datetime = field(default_factory=utc_now)
    reliability: Reliability | None = None
    notes: str = ""
    id: int = 0
    uuid: str = field(default_factory=new_uuid)
    original_layout: Layout | None = None
    article_layout: Layout | None = None
    attachments: tuple[Attachment, ...] = ()  # what an e-mail carried

    @property
    def text(self) -> str:
        if self.article_text is None or self.uses_original:
            return self.original_text
        return self.article_text

    @property
    def layout(self) -> Layout:
        """The layout of :attr:`text` (an empty one when it has none)."""
        if self.article_text is None or self.uses_original:
            return self.original_layout or Layout()
        return self.article_layout or Layout()

    def citation(self, span: tuple[int, int] | None) -> str:
        """Where a passage stands, for a reader: "p. 4", "pp. 4–5", or "" without pages."""
        return self.layout.citation(span)

    @property
    def has_article(self) -> bool:
        return self.article_text is not None


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file an e-mail carried: listed with the message, imported on its own if readable."""

    name: str
    content_type: str
    size: int  # bytes

    def describe(self) -> str:
        size = (
            f"{self.size / 1024:.0f} KB" if self.size < 1024 * 1024 else f"{self.size / 1024 / 1024:.1f} MB"
        )
        return f"{self.name} ({self.content_type}, {size})"


class RatingMode(enum.StrEnum):
    """Where a rating was given: in the matrix, in it with hypotheses in rows, or in
    rate-across mode, one item at a time with the other items' ratings out of sight
    (a *blind* rating)."""

    MATRIX = "matrix"
    TRANSPOSED = "hypotheses-in-rows"
    ACROSS = "rate-across"

    @property
    def description(self) -> str:
        return _MODE_DESCRIPTIONS[self]


_MODE_DESCRIPTIONS = {
    RatingMode.MATRIX: "in the matrix",
    RatingMode.TRANSPOSED: "with hypotheses in rows",
    RatingMode.ACROSS: "blind in rate-across mode",
}


class Cell(NamedTuple):
    """A rating with the analyst's reason for it, and when and how it was given.

    Immutable (edits replace the cell) and a tuple, because a large project loads
    80,000 of them and tuples are the cheapest immutable records Python builds.
    ``rated_at`` and ``rated_in`` are None for ratings made before they were recorded,
    or brought in from a file that does not carry them.
    """

    rating: Rating
    reason: str = ""
    rated_at: datetime | None = None  # UTC
    rated_in: RatingMode | None = None

    def same_judgement(self, other: Cell | None) -> bool:
        """The same rating and reason: when and where it was given aside."""
        return other is not None and self.rating is other.rating and self.reason == other.reason

    @property
    def blind(self) -> bool:
        return self.rated_in is RatingMode.ACROSS


_MODE_BY_TEXT = {m.value: m for m in RatingMode}


def recorded_cell(rating: Rating, reason: str, rated_at: str | None, rated_in: str | None) -> Cell:
    """A rating with its record as text (stored, or from a file): a time or a view this
    version cannot read is left out (not known), never a reason to lose the rating."""
    when = None
    if rated_at:
        try:
            when = datetime.fromisoformat(rated_at)
        except ValueError:
            when = None
        if when is not None and when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
    return Cell(rating, reason, when, _MODE_BY_TEXT.get(rated_in) if rated_in else None)


def record_texts(cell: Cell) -> tuple[str | None, str | None]:
    """When and in which view *cell* was rated, as text (None where not known)."""
    return (
        cell.rated_at.isoformat() if cell.rated_at is not None else None,
        cell.rated_in.value if cell.rated_in is not None else None,
    )


def rated(old: Cell | None, rating: Rating, mode: RatingMode, now: datetime | None = None) -> Cell:
    """*rating* given now in *mode*, keeping *old*'s reason; *old* itself when it already
    holds that rating (giving it again is not a new judgement, and keeps its record)."""
    if old is not None and old.rating is rating:
        return old
    return Cell(rating, old.reason if old else "", now or utc_now(), mode)


# Fields the UI may edit, with the type each must hold; used to validate edits
# before they reach storage.
EVIDENCE_FIELDS: dict[str, type] = {
    "summary": str,
    "quote": str,
    "source": str,
    "date": str,
    "kind": EvidenceType,
    "credibility": Level,
    "relevance": Level,
    "included": bool,
    "notes": str,
    "information": InformationGrade,
}
HYPOTHESIS_FIELDS: dict[str, type] = {"label": str, "description": str, "prior": float}
PROJECT_FIELDS: dict[str, type] = {
    "title": str,
    "question": str,
    "notes": str,
    "classification": str,
    "caveats": str,
    "steps_done": frozenset,
}
DOCUMENT_FIELDS: dict[str, type] = {
    "title": str,
    "origin": str,
    "author": str,
    "published": str,
    "reliability": Reliability,
    "notes": str,
}


@dataclass(slots=True)
class ProjectData:
    """A whole project in memory: what storage loads and importers produce."""

    project: Project
    hypotheses: list[Hypothesis] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    # Keyed by (evidence id, hypothesis id). Data not stored yet (an importer's) may
    # use any ids unique within it; storage assigns real ones on insert.
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    documents: list[Document] = field(default_factory=list)
    # Milestones of the hypotheses (by the hypotheses' ids, as cells are), and a
    # deception check per document id.
    milestones: list[Milestone] = field(default_factory=list)
    deception_checks: dict[int, DeceptionCheck] = field(default_factory=dict)


def give_numbers(data: ProjectData) -> None:
    """Number the items that have no number yet, after the highest given so far.

    Importers of formats without numbers (and older ``.hypboard`` files) leave them at
    0; the items are then numbered in their order, as the analyst saw them.
    """
    project = data.project
    for items, counter in (
        (data.evidence, "last_evidence_number"),
        (data.hypotheses, "last_hypothesis_number"),
    ):
        last = max([getattr(project, counter), *(item.number for item in items)])
        for item in items:
            if item.number <= 0:
                last += 1
                item.number = last
        setattr(project, counter, last)


def rating_record(cell: Cell, tz: tzinfo | None = None) -> str:
    """When and how a rating was given, for the analyst: "Rated blind in rate-across mode
    on 29 Nov 2026, 03:40" (local time unless *tz* is given); "" when not recorded."""
    if cell.rated_at is None and cell.rated_in is None:
        return ""
    how = f"Rated {cell.rated_in.description}" if cell.rated_in is not None else "Rated"
    if cell.rated_at is None:
        return how
    when = cell.rated_at.astimezone(tz)
    return f"{how} on {when.day} {when:%b %Y, %H:%M}"
