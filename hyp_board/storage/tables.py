"""The database tables (schema 1.9: 1.0, plus documents and evidence provenance in 1.1,
ids that are never reused and a project revision in 1.2, document layouts and
attachments in 1.3, the likelihood view's settings and priors in 1.4, the stable
numbers of evidence and hypotheses in 1.5, when and how each rating was given in 1.6,
milestones, deception checks, the project's marking and the method steps marked done
in 1.7, the change journal in 1.8, snapshots in 1.9).

Enums are stored as their text values so the file stays readable with any SQLite
tool. Ratings hold only rated cells: an absent row means "unrated", which is not N.

Every table whose ids the window holds (in its views and its undo history) uses
AUTOINCREMENT: an id, once deleted, is never given to another row, so an edit made
against a deleted item can only miss, never land on a stranger.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DDL, Column, Float, ForeignKey, Index, Integer, LargeBinary, String, event, text
from sqlmodel import Field, SQLModel

# Numbers are unique in a project; 0 is "none yet": an older version of the application
# (which keeps to schema 1.x) adds items without one, and they are numbered when the
# project is next opened here.
_NUMBERED = text("number > 0")


def _parent(table: str) -> Column:  # type: ignore[type-arg]
    # Deleting a project (or a row or column) takes everything under it along.
    return Column(Integer, ForeignKey(f"{table}.id", ondelete="CASCADE"), nullable=False)


# Ids never reused (see above).
_NEVER_REUSE_IDS = {"sqlite_autoincrement": True}


class ProjectRow(SQLModel, table=True):
    __tablename__ = "project"
    __table_args__ = _NEVER_REUSE_IDS

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(index=True)  # not unique: a shared copy keeps its identity
    title: str
    question: str = ""
    notes: str = ""
    created_at: datetime
    modified_at: datetime
    # Added in 1.2: counts the edits stored, so a window can tell that another program
    # changed the project since it loaded it (the time stamp has one-second steps).
    revision: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    # Added in 1.5: the highest evidence and hypothesis numbers ever given.
    last_evidence_number: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    last_hypothesis_number: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    # Added in 1.7: the marking, and the steps of the method marked done ("4,6,7").
    classification: str = Field(default="", sa_column_kwargs={"server_default": ""})
    caveats: str = Field(default="", sa_column_kwargs={"server_default": ""})
    steps_done: str = Field(default="", sa_column_kwargs={"server_default": ""})


class HypothesisRow(SQLModel, table=True):
    __tablename__ = "hypothesis"
    __table_args__ = (
        Index("ix_hypothesis_project", "project_id", "position"),
        Index("ux_hypothesis_number", "project_id", "number", unique=True, sqlite_where=_NUMBERED),
        _NEVER_REUSE_IDS,
    )

    id: int | None = Field(default=None, primary_key=True)
    uuid: str
    project_id: int = Field(sa_column=_parent("project"))
    label: str
    description: str = ""
    position: int = 0
    # Added in 1.3: the prior weight in the likelihood view.
    prior: float = Field(default=1.0, sa_column=Column(Float, nullable=False, server_default="1.0"))
    number: int = Field(default=0, sa_column_kwargs={"server_default": "0"})  # 1.5: H1, H2…


class DocumentRow(SQLModel, table=True):
    __tablename__ = "document"
    __table_args__ = (Index("ix_document_project", "project_id", "position"), _NEVER_REUSE_IDS)

    id: int | None = Field(default=None, primary_key=True)
    uuid: str
    project_id: int = Field(sa_column=_parent("project"))
    title: str
    origin: str = ""
    author: str = ""
    published: str = ""
    imported_at: datetime
    original_text: str
    article_text: str | None = None  # NULL: the importer kept the whole text
    uses_original: bool = False
    reliability: str | None = None
    notes: str = ""
    position: int = 0
    # Added in 1.4, JSON (see hyp_board.core.layout): pages and marked blocks of each
    # text, and the files an e-mail carried. NULL: none.
    original_layout: str | None = None
    article_layout: str | None = None
    attachments: str | None = None


class EvidenceRow(SQLModel, table=True):
    __tablename__ = "evidence"
    __table_args__ = (
        Index("ix_evidence_project", "project_id", "position"),
        Index("ux_evidence_number", "project_id", "number", unique=True, sqlite_where=_NUMBERED),
        _NEVER_REUSE_IDS,
    )

    id: int | None = Field(default=None, primary_key=True)
    uuid: str
    project_id: int = Field(sa_column=_parent("project"))
    summary: str
    quote: str = ""
    source: str = ""
    date: str = ""
    kind: str = "Report"
    credibility: str = "Medium"
    relevance: str = "Medium"
    included: bool = True
    notes: str = ""
    position: int = 0
    # Added in 1.1. Deleting a document unlinks its evidence rather than deleting it
    # (the application asks first and does either explicitly).
    document_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("document.id", ondelete="SET NULL"), nullable=True),
    )
    span_start: int | None = None
    span_end: int | None = None
    information: str | None = None
    credibility_overridden: bool = False
    number: int = Field(default=0, sa_column_kwargs={"server_default": "0"})  # 1.5: E1, E2…


class LikelihoodSettingRow(SQLModel, table=True):
    """Added in 1.3: a project's own values for the likelihood view, by name ("CC" … "II",
    "High", "Medium", "Low"); a name with no row takes the default."""

    __tablename__ = "likelihood_setting"

    project_id: int = Field(
        sa_column=Column(Integer, ForeignKey("project.id", ondelete="CASCADE"), primary_key=True)
    )
    name: str = Field(primary_key=True)
    value: float


class RatingRow(SQLModel, table=True):
    __tablename__ = "rating"
    __table_args__ = (Index("ix_rating_hypothesis", "hypothesis_id"),)

    evidence_id: int = Field(
        sa_column=Column(Integer, ForeignKey("evidence.id", ondelete="CASCADE"), primary_key=True)
    )
    hypothesis_id: int = Field(
        sa_column=Column(Integer, ForeignKey("hypothesis.id", ondelete="CASCADE"), primary_key=True)
    )
    code: str
    reason: str = ""
    # Added in 1.6: when the rating was given (UTC, ISO 8601 text) and in which view
    # ("matrix", "hypotheses-in-rows", "rate-across"); NULL for ratings made before.
    rated_at: str | None = None
    rated_in: str | None = None


class MilestoneRow(SQLModel, table=True):
    """Added in 1.7: what the analyst expects to see, by a date, if a hypothesis is true."""

    __tablename__ = "milestone"
    __table_args__ = (Index("ix_milestone_hypothesis", "hypothesis_id", "position"), _NEVER_REUSE_IDS)

    id: int | None = Field(default=None, primary_key=True)
    uuid: str
    project_id: int = Field(sa_column=_parent("project"))
    hypothesis_id: int = Field(sa_column=_parent("hypothesis"))
    text: str
    due: str = ""  # YYYY-MM-DD or ''
    status: str = "watching"
    note: str = ""
    position: int = 0


class DeceptionCheckRow(SQLModel, table=True):
    """Added in 1.7: one source document's deception check. ``answers`` is JSON:
    {question: [answer, note]}; ``concern`` NULL follows the answers."""

    __tablename__ = "deception_check"

    document_id: int = Field(
        sa_column=Column(Integer, ForeignKey("document.id", ondelete="CASCADE"), primary_key=True)
    )
    project_id: int = Field(sa_column=_parent("project"))
    answers: str = "{}"
    concern: str | None = None
    note: str = ""


class JournalRow(SQLModel, table=True):
    """Added in 1.8: every change made to a project (see
    :mod:`hyp_board.core.journal_entries`). Values are JSON; items are named by their
    references (E12, H2, D3), which outlive the rows they name."""

    __tablename__ = "journal"
    __table_args__ = (
        # Newest first: whole, from a date, for one item, one hypothesis or one kind (each
        # filter the History panel offers reads its own index, in order, a page at a time);
        # one command's entries.
        Index("ix_journal_at", "project_id", "at"),
        Index("ix_journal_item", "project_id", "item", "at"),
        Index("ix_journal_hypothesis", "project_id", "hypothesis", "at"),
        Index("ix_journal_kind", "project_id", "kind", "at"),
        Index("ix_journal_group", "project_id", "change_group"),
        _NEVER_REUSE_IDS,
    )

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(sa_column=_parent("project"))
    at: datetime  # UTC
    kind: str
    item: str = ""
    hypothesis: str = ""
    label: str = ""
    field: str = ""
    old_value: str = "null"
    new_value: str = "null"
    reason: str = ""
    change_group: str = ""
    action: str = ""


class SnapshotRow(SQLModel, table=True):
    """Added in 1.9: a named snapshot of a project, taken by hand or automatically.

    ``content`` is the project as a ``.hypboard`` document, zlib-compressed JSON, with
    each document's texts replaced by their SHA-256: the texts themselves are kept once
    in ``snapshot_text``, however many snapshots hold them.
    """

    __tablename__ = "snapshot"
    __table_args__ = (Index("ix_snapshot_project", "project_id", "taken_at"), _NEVER_REUSE_IDS)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(sa_column=_parent("project"))
    name: str
    taken_at: datetime
    automatic: bool = False
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class SnapshotTextRow(SQLModel, table=True):
    """Added in 1.9: a document text held by snapshots, once, by its SHA-256 (hex) and
    zlib-compressed UTF-8."""

    __tablename__ = "snapshot_text"

    sha256: str = Field(sa_column=Column(String, primary_key=True))
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    length: int = 0  # characters, for saying how much a snapshot holds without reading it


class SnapshotTextUseRow(SQLModel, table=True):
    """Added in 1.9: which snapshot holds which text. A text no snapshot holds any more
    is deleted with its last use (a trigger, so it also happens when a project is
    deleted, and when an older version of the application deletes one)."""

    __tablename__ = "snapshot_text_use"
    __table_args__ = (Index("ix_snapshot_text_use_text", "sha256"),)

    snapshot_id: int = Field(
        sa_column=Column(Integer, ForeignKey("snapshot.id", ondelete="CASCADE"), primary_key=True)
    )
    sha256: str = Field(sa_column=Column(String, ForeignKey("snapshot_text.sha256"), primary_key=True))


# Runs for deletions cascading from a snapshot or a project too (SQLite fires triggers
# for foreign-key actions).
SNAPSHOT_TEXT_TRIGGER = (
    "CREATE TRIGGER IF NOT EXISTS snapshot_text_unused AFTER DELETE ON snapshot_text_use "
    "BEGIN DELETE FROM snapshot_text WHERE sha256 = OLD.sha256 AND NOT EXISTS "
    "(SELECT 1 FROM snapshot_text_use WHERE sha256 = OLD.sha256); END"
)
event.listen(
    SnapshotTextUseRow.__table__,  # type: ignore[attr-defined]
    "after_create",
    DDL(SNAPSHOT_TEXT_TRIGGER),  # type: ignore[no-untyped-call]
)
