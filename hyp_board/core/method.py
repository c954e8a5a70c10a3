"""The parts of Heuer's method around the matrix: milestones, deception checks, markings.

Milestones (step 8) are what the analyst expects to see, by a date, if a hypothesis is
true; each is watched until it is observed or does not happen. A deception check asks
of one source the standard questions (motive, opportunity and means to deceive; past
practice; how easily its channel is manipulated; whether other sources corroborate
it) and gives a level of concern, derived from the answers unless the analyst sets
it. A marking is the project's classification and handling caveats, printed on
everything the project produces.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date

from hyp_board.core.model import new_uuid


class MilestoneStatus(enum.StrEnum):
    WATCHING = "watching"
    OBSERVED = "observed"
    DID_NOT_HAPPEN = "did not happen"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class Due(enum.StrEnum):
    """Where a watched milestone stands against its date."""

    NONE = ""  # no date, or no longer watched
    LATER = "later"
    SOON = "due soon"  # within DUE_SOON_DAYS
    OVERDUE = "overdue"


DUE_SOON_DAYS = 14


def normalise_due(text: str) -> str:
    """A milestone's date: '' or a real YYYY-MM-DD."""
    text = text.strip()
    if text:
        try:
            date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"date {text!r} is not a date written YYYY-MM-DD") from None
        if len(text) != 10:
            raise ValueError(f"date {text!r} is not a date written YYYY-MM-DD")
    return text


@dataclass(slots=True)
class Milestone:
    """ "If this hypothesis is true, we expect to see *text* by *due*."""

    hypothesis_id: int
    text: str
    due: str = ""  # YYYY-MM-DD, or '' for no date
    status: MilestoneStatus = MilestoneStatus.WATCHING
    note: str = ""
    position: int = 0
    id: int = 0
    uuid: str = field(default_factory=new_uuid)

    def due_state(self, today: date) -> Due:
        if self.status is not MilestoneStatus.WATCHING or not self.due:
            return Due.NONE
        days = (date.fromisoformat(self.due) - today).days
        if days < 0:
            return Due.OVERDUE
        return Due.SOON if days <= DUE_SOON_DAYS else Due.LATER


MILESTONE_FIELDS: dict[str, type] = {"text": str, "due": str, "status": MilestoneStatus, "note": str}


class DeceptionQuestion(enum.StrEnum):
    """The standard questions, each asked so that "yes" is the worrying answer."""

    MOTIVE = "motive"
    OPPORTUNITY = "opportunity"
    PAST_PRACTICE = "past_practice"
    CHANNEL = "channel"
    UNCORROBORATED = "uncorroborated"

    @property
    def text(self) -> str:
        return _QUESTION_TEXT[self]

    @property
    def short(self) -> str:
        return _QUESTION_SHORT[self]


_QUESTION_TEXT = {
    DeceptionQuestion.MOTIVE: "Does the source (or whoever stands behind it) have a motive to deceive?",
    DeceptionQuestion.OPPORTUNITY: "Did it have the opportunity and the means to deceive?",
    DeceptionQuestion.PAST_PRACTICE: "Has it, or its sponsor, deceived or spread propaganda before?",
    DeceptionQuestion.CHANNEL: "Could the channel it reached us through be manipulated?",
    DeceptionQuestion.UNCORROBORATED: "Is what it says left uncorroborated by independent sources?",
}
_QUESTION_SHORT = {
    DeceptionQuestion.MOTIVE: "Motive",
    DeceptionQuestion.OPPORTUNITY: "Opportunity and means",
    DeceptionQuestion.PAST_PRACTICE: "Past practice",
    DeceptionQuestion.CHANNEL: "Manipulable channel",
    DeceptionQuestion.UNCORROBORATED: "Uncorroborated",
}


class Answer(enum.StrEnum):
    UNANSWERED = ""
    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        return {"": "—", "yes": "Yes", "no": "No", "unknown": "Unknown"}[self.value]


class Concern(enum.StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def label(self) -> str:
        return self.value.capitalize()


@dataclass(frozen=True, slots=True)
class DeceptionCheck:
    """One source's answers, with a note each; *concern* set by the analyst overrides
    the level the answers suggest (None: follow the answers)."""

    answers: dict[DeceptionQuestion, tuple[Answer, str]] = field(default_factory=dict)
    concern: Concern | None = None
    note: str = ""

    def answer(self, question: DeceptionQuestion) -> Answer:
        return self.answers.get(question, (Answer.UNANSWERED, ""))[0]

    def answer_note(self, question: DeceptionQuestion) -> str:
        return self.answers.get(question, (Answer.UNANSWERED, ""))[1]

    @property
    def suggested_concern(self) -> Concern:
        return suggested_concern(self)

    @property
    def level(self) -> Concern:
        return self.concern if self.concern is not None else self.suggested_concern

    @property
    def is_empty(self) -> bool:
        return self.concern is None and not self.note and not any(a or n for a, n in self.answers.values())


def suggested_concern(check: DeceptionCheck) -> Concern:
    """High when the source had a motive, the means and a record of deceiving, or when
    three answers worry; medium when any does, or when much is unknown; else low.

    Heuer's point: deception needs motive and opportunity, and past practice makes it
    likely; an uncorroborated report through a channel the source controls is where
    it shows.
    """
    yes = {q for q in DeceptionQuestion if check.answer(q) is Answer.YES}
    unknown = sum(check.answer(q) is Answer.UNKNOWN for q in DeceptionQuestion)
    core = {DeceptionQuestion.MOTIVE, DeceptionQuestion.OPPORTUNITY, DeceptionQuestion.PAST_PRACTICE}
    if core <= yes or len(yes) >= 3:
        return Concern.HIGH
    if yes or unknown >= 2:
        return Concern.MEDIUM
    return Concern.LOW


# -- markings -------------------------------------------------------------------------
CLASSIFICATION_PRESETS = ("UNCLASSIFIED", "OFFICIAL", "CONFIDENTIAL", "SECRET")
MAX_MARKING_CHARS = 200


def marking_line(classification: str, caveats: str) -> str:
    """The marking as printed: "SECRET // NOFORN", or '' when the project has none."""
    parts = [" ".join(part.split()) for part in (classification, caveats)]
    return " // ".join(part for part in parts if part)


class MarkingTone(enum.StrEnum):
    """The banner colour a classification takes (the customary ones)."""

    NONE = "none"
    UNCLASSIFIED = "unclassified"  # green
    OFFICIAL = "official"  # blue
    CONFIDENTIAL = "confidential"  # blue-grey
    SECRET = "secret"  # red
    TOP_SECRET = "top secret"  # orange


def marking_tone(classification: str) -> MarkingTone:
    text = " ".join(classification.upper().split())
    if not text:
        return MarkingTone.NONE
    for prefix, tone in (
        ("TOP SECRET", MarkingTone.TOP_SECRET),
        ("SECRET", MarkingTone.SECRET),
        ("CONFIDENTIAL", MarkingTone.CONFIDENTIAL),
        ("OFFICIAL", MarkingTone.OFFICIAL),
        ("UNCLASSIFIED", MarkingTone.UNCLASSIFIED),
    ):
        if text.startswith(prefix):
            return tone
    return MarkingTone.CONFIDENTIAL
