"""The storage interface: whole projects in and out, and committed edits.

Nothing outside this package sees a session, a connection or SQL. Reads return the
core's plain dataclasses; bulk reads select columns, not ORM objects, because a
2,000 × 40 project has 80,000 ratings to read. Every failure is raised as one of the
:mod:`~hyp_board.storage.errors` types, with a message for the user.

Each edit method is one committed transaction, unless it runs inside
:meth:`Store.transaction`: then everything inside is committed together at its end,
or nothing is.

Other programs may write to the same file (the command line, a second copy of the
application). Every transaction stamps the projects it edits with a new revision; a
project the window holds in memory is *guarded* (:meth:`Store.guard_project`), and an
edit of it is refused with :class:`StaleEditError` when its revision has moved on
elsewhere, so nothing is ever written from a stale picture of a project.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Connection,
    CursorResult,
    Engine,
    String,
    Table,
    bindparam,
    delete,
    func,
    insert,
    select,
    type_coerce,
    update,
)
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from hyp_board.core.bulk import collector_paused
from hyp_board.core.editor import StaleEditError
from hyp_board.core.journal_entries import ChangeKind, JournalEntry, utc_stamp
from hyp_board.core.method import DeceptionCheck, Milestone
from hyp_board.core.model import (
    Cell,
    Document,
    Evidence,
    Hypothesis,
    Project,
    ProjectData,
    give_numbers,
    new_uuid,
    utc_now,
)
from hyp_board.storage import change_journal, rows
from hyp_board.storage.database import open_database
from hyp_board.storage.errors import DatabaseError, describe
from hyp_board.storage.journal import JournalWatch
from hyp_board.storage.quick_read import ProjectNotFoundError as ProjectNotFoundError
from hyp_board.storage.quick_read import ProjectSummary as ProjectSummary
from hyp_board.storage.quick_read import resolve_project
from hyp_board.storage.snapshots import SnapshotStorage
from hyp_board.storage.tables import (
    DeceptionCheckRow,
    DocumentRow,
    EvidenceRow,
    HypothesisRow,
    LikelihoodSettingRow,
    MilestoneRow,
    ProjectRow,
    RatingRow,
)

log = logging.getLogger(__name__)

# The tables, for SQL Core statements (SQLModel declares ``__table__`` without a type).
P: Table = ProjectRow.__table__  # type: ignore[attr-defined]
D: Table = DocumentRow.__table__  # type: ignore[attr-defined]
H: Table = HypothesisRow.__table__  # type: ignore[attr-defined]
E: Table = EvidenceRow.__table__  # type: ignore[attr-defined]
R: Table = RatingRow.__table__  # type: ignore[attr-defined]
L: Table = LikelihoodSettingRow.__table__  # type: ignore[attr-defined]
M: Table = MilestoneRow.__table__  # type: ignore[attr-defined]
X: Table = DeceptionCheckRow.__table__  # type: ignore[attr-defined]


NOT_SAVED = "The change was not saved"
NOT_READ = "The database could not be read"
_FAILURES = (SQLAlchemyError, sqlite3.Error, OSError)


def _upsert_rating() -> Any:
    # Built once: rating is the hottest write, and building the statement costs more
    # than running it.
    stmt = sqlite_insert(R).values(
        evidence_id=bindparam("e"),
        hypothesis_id=bindparam("h"),
        code=bindparam("code"),
        reason=bindparam("reason"),
        rated_at=bindparam("rated_at"),
        rated_in=bindparam("rated_in"),
    )
    return stmt.on_conflict_do_update(
        index_elements=[R.c.evidence_id, R.c.hypothesis_id],
        set_={
            "code": stmt.excluded.code,
            "reason": stmt.excluded.reason,
            "rated_at": stmt.excluded.rated_at,
            "rated_in": stmt.excluded.rated_in,
        },
    )


_UPSERT_RATING = _upsert_rating()

# A project's revision: the count of its edits stored, and its modification stamp as
# stored (text, compared exactly), which also moves with edits made by versions of
# the application that do not count them.
Revision = tuple[int, str]
_modified_as_stored = type_coerce(P.c.modified_at, String)
# Built once, like the rating upsert: every edit runs one.
_STAMP = (
    update(P)
    .where(P.c.id == bindparam("pid"))
    .values(modified_at=bindparam("now"), revision=P.c.revision + 1)
    .returning(P.c.revision, _modified_as_stored)
)
_STAMP_IF_UNCHANGED = _STAMP.where(
    P.c.revision == bindparam("count"), _modified_as_stored == bindparam("stamp", type_=String)
)


class DocumentNotFoundError(LookupError):
    pass


@dataclass(frozen=True, slots=True)
class DocumentSummary:
    id: int
    title: str
    origin: str
    published: str
    reliability: str | None
    length: int
    evidence: int


class Store(SnapshotStorage):
    """A Hypothesis Board database."""

    def __init__(
        self, engine: Engine, path: Path, created: bool = False, read_only: str | None = None
    ) -> None:
        self._engine = engine
        self._path = path
        self.created = created  # the file was new: callers may seed it
        # Why the database cannot be written (it is then open for reading only), or None.
        self.read_only = read_only
        # Told when something happened to the database that the user should know of.
        self.on_warning: Callable[[str], None] = lambda message: log.warning("%s", message)
        self._tx: Connection | None = None
        self._touched: set[int] = set()  # projects stamped in the open transaction
        self._guards: dict[int, Revision] = {}  # project id: the revision its holder has
        self._watch: sqlite3.Connection | None = None
        self._journal = JournalWatch(path)
        if read_only is None:
            self._remember_journal()

    @classmethod
    def open(cls, path: Path) -> Store:
        """Open (or create) the database; raises a DatabaseError for one we must not use.

        One that cannot be written is opened read-only: see :attr:`read_only`.
        """
        path = path.expanduser().absolute()
        opened = open_database(path)
        return cls(opened.engine, path, opened.created, opened.read_only)

    @property
    def path(self) -> Path:
        return self._path

    def close(self) -> None:
        """Close, first copying the journal into the database file (a clean exit
        leaves one self-contained file, whoever else has it open)."""
        self._close_watch()
        if self.read_only is None:
            try:
                self.check_journal()
                with self._engine.connect() as conn:
                    conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            except (*_FAILURES, DatabaseError) as exc:
                log.warning("closing %s: %r", self._path, exc)
        self._engine.dispose()

    # -- transactions ------------------------------------------------------------------
    @contextmanager
    def transaction(self, project_id: int | None = None, action: str = NOT_SAVED) -> Iterator[None]:
        """Make every write inside one transaction: all are committed at the end, or none.

        Nested calls join the outermost one. A database or disk failure raises a
        DatabaseError whose message starts with *action*; any other exception (an
        EditError, say) rolls back and passes through unchanged. *project_id* is
        stamped as modified, with a new revision, before anything else is written:
        for a guarded project that is also the check that nobody else changed it (a
        compare-and-set in the same transaction), refused with StaleEditError. A
        reference to a row that is not there (deleted elsewhere) refuses it too.
        """
        if self._tx is not None:
            if project_id is not None and project_id not in self._touched:
                self._stamp(self._tx, project_id)
            yield
            return
        self.check_journal()
        guards = dict(self._guards)
        try:
            with self._engine.connect().execution_options(write=True) as conn, conn.begin():
                self._tx = conn
                self._touched = set()
                try:
                    if project_id is not None:
                        self._stamp(conn, project_id)
                    yield
                finally:
                    self._tx = None
        except BaseException as exc:
            self._guards = guards  # rolled back, and the stored revisions with it
            if isinstance(exc, IntegrityError) and _is_foreign_key_failure(exc):
                raise StaleEditError("the edit refers to an item that is no longer in the project") from exc
            if isinstance(exc, _FAILURES):
                raise describe(exc, self._path, action) from exc
            raise

    def _stamp(self, conn: Connection, project_id: int) -> None:
        self._touched.add(project_id)
        expected = self._guards.get(project_id)
        now = utc_now()
        if expected is None:
            row = conn.execute(_STAMP, {"pid": project_id, "now": now}).one_or_none()
        else:
            values = {"pid": project_id, "now": now, "count": expected[0], "stamp": expected[1]}
            row = conn.execute(_STAMP_IF_UNCHANGED, values).one_or_none()
        if row is None:
            if conn.execute(select(P.c.id).where(P.c.id == project_id)).first() is None:
                raise StaleEditError("the project is no longer in the database (another program deleted it)")
            raise StaleEditError("the project was changed by another program since it was read")
        if expected is not None:
            self._guards[project_id] = (row[0], row[1])

    @contextmanager
    def _edit(self, project_id: int | None, action: str = NOT_SAVED) -> Iterator[Connection]:
        with self.transaction(project_id, action):
            assert self._tx is not None
            yield self._tx

    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        if self._tx is not None:  # reads inside a transaction see its own writes
            yield self._tx
            return
        try:
            with self._engine.connect() as conn:
                yield conn
        except _FAILURES as exc:
            raise describe(exc, self._path, NOT_READ) from exc

    # -- changes made elsewhere --------------------------------------------------------
    def data_version(self) -> int | None:
        """A number that changes whenever anything is committed to the database, by this
        store or any other program (SQLite's ``PRAGMA data_version`` on a connection of
        its own); None if it cannot be read just now. Cheap enough to poll every
        second: it reads no table."""
        try:
            if self._watch is None:
                target = f"{self._path.as_uri()}?mode=ro" if self.read_only is not None else str(self._path)
                self._watch = sqlite3.connect(target, uri=self.read_only is not None)
            return int(self._watch.execute("PRAGMA data_version").fetchone()[0])
        except sqlite3.Error as exc:
            log.info("Cannot tell whether the database changed: %s", exc)
            self._close_watch()
            return None

    def _close_watch(self) -> None:
        if self._watch is not None:
            self._watch.close()
            self._watch = None

    def project_revision(self, project_id: int) -> Revision | None:
        """Where *project_id* stands: changed by any edit stored (None: it is not in
        the database). To compare, not to read."""
        query = select(P.c.revision, _modified_as_stored).where(P.c.id == project_id)
        with self._reading() as conn:
            row = conn.execute(query).one_or_none()
        return None if row is None else (row[0], row[1])

    def guard_project(self, project_id: int, revision: Revision | None) -> None:
        """Refuse edits of *project_id* unless it is still at *revision* (read it before
        loading the project); this store's own edits move the revision along. None
        stops guarding it."""
        if revision is None:
            self._guards.pop(project_id, None)
        else:
            self._guards[project_id] = revision

    def changed_elsewhere(self, project_id: int) -> bool:
        """Whether a guarded project was changed or deleted by someone else since."""
        guarded = self._guards.get(project_id)
        return guarded is not None and self.project_revision(project_id) != guarded

    # -- the journal ---------------------------------------------------------------------
    def _remember_journal(self) -> None:
        try:
            with self._engine.connect() as conn:
                conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()
        except _FAILURES as exc:
            raise describe(exc, self._path, NOT_READ) from exc
        self._journal.remember()

    def check_journal(self) -> bool:
        """Whether the journal files were deleted while open; if so, save what they held.

        The connections still reach the deleted journal: its changes are copied into
        the database file, fresh journal files are started, and :attr:`on_warning`
        is told. Cheap (two ``stat`` calls): run before every write, and now and then.
        """
        if self.read_only is not None:
            return False
        lost = self._journal.lost()
        if not lost:
            return False
        names = " and ".join(p.name for p in lost)
        try:
            with self._engine.connect() as conn:
                busy = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()[0]
            # Every connection of this process lets go of the deleted files, so the
            # next ones start fresh journal files.
            self._close_watch()
            self._engine.dispose()
            self._remember_journal()
        except (*_FAILURES, DatabaseError) as exc:
            log.error("saving the journal of %s after %s vanished: %r", self._path, names, exc)
            busy = 1
        log.warning("journal files deleted while open: %s (saved: %s)", names, not busy)
        if busy:
            outcome = (
                "Hypothesis Board could not yet copy your latest changes into the database file, "
                "because another program is using it. Close that program, then quit Hypothesis "
                "Board normally (do not force it to stop) to keep them."
            )
        else:
            outcome = (
                "Every change you had made has now been copied into the database file itself, "
                "and saving goes on as before."
            )
        self.on_warning(
            f"The database journal ({names}) beside {self._path} was deleted by another program "
            f"while Hypothesis Board was using it. {outcome} Find out what deleted it (a cleaning "
            "or syncing tool?): had Hypothesis Board stopped before noticing, your latest changes "
            "would have been lost."
        )
        return True

    # -- projects ------------------------------------------------------------------
    def list_projects(self) -> list[ProjectSummary]:
        n_h = select(func.count()).where(H.c.project_id == P.c.id).scalar_subquery()
        n_e = select(func.count()).where(E.c.project_id == P.c.id).scalar_subquery()
        query = select(P.c.id, P.c.title, P.c.modified_at, n_h, n_e).order_by(func.lower(P.c.title), P.c.id)
        with self._reading() as conn:
            return [ProjectSummary(*row) for row in conn.execute(query)]

    def projects_with_uuid(self, uuid: str) -> list[ProjectSummary]:
        """Copies of one project (its identity survives sharing and re-importing)."""
        return [p for p in self.list_projects() if p.id in self._ids_with_uuid(uuid)]

    def _ids_with_uuid(self, uuid: str) -> set[int]:
        with self._reading() as conn:
            return set(conn.execute(select(P.c.id).where(P.c.uuid == uuid)).scalars())

    def is_empty(self) -> bool:
        with self._reading() as conn:
            return conn.execute(select(func.count()).select_from(P)).scalar_one() == 0

    def find_project(self, ref: str) -> int:
        """Resolve an id or an unambiguous title (exact, then prefix; any case)."""
        return resolve_project([(p.id, p.title) for p in self.list_projects()], ref)

    def load_project(self, project_id: int) -> ProjectData:
        with collector_paused(), self._reading() as conn:
            row = conn.execute(select(P).where(P.c.id == project_id)).one_or_none()
            if row is None:
                raise ProjectNotFoundError(f"no project with id {project_id}")
            project = rows.project_from_row(row)
            project.likelihood = {
                name: value
                for name, value in conn.execute(
                    select(L.c.name, L.c.value).where(L.c.project_id == project_id)
                )
            }
            hypotheses = [
                rows.hypothesis_from_row(r)
                for r in conn.execute(select(H).where(H.c.project_id == project_id).order_by(H.c.position))
            ]
            evidence = [
                rows.evidence_from_row(r)
                for r in conn.execute(select(E).where(E.c.project_id == project_id).order_by(E.c.position))
            ]
            cells = self._load_cells(conn, project_id)
            documents = self._load_documents(conn, project_id)
            milestones = [
                rows.milestone_from_row(r)
                for r in conn.execute(select(M).where(M.c.project_id == project_id).order_by(M.c.position))
            ]
            checks = {
                r.document_id: rows.deception_check_from_row(r)
                for r in conn.execute(select(X).where(X.c.project_id == project_id))
            }
        data = ProjectData(project, hypotheses, evidence, cells, documents, milestones, checks)
        items: list[Hypothesis | Evidence] = [*hypotheses, *evidence]
        if any(item.number <= 0 for item in items):
            self._number_unnumbered(data)
        return data

    def _number_unnumbered(self, data: ProjectData) -> None:
        """Give and store numbers for items added by a version that had none."""
        items: list[Hypothesis | Evidence] = [*data.hypotheses, *data.evidence]
        unnumbered = [item for item in items if item.number <= 0]
        give_numbers(data)
        p = data.project
        with self._engine.begin() as conn:
            for item in unnumbered:
                table = H if isinstance(item, Hypothesis) else E
                conn.execute(update(table).where(table.c.id == item.id).values(number=item.number))
            conn.execute(
                update(P)
                .where(P.c.id == p.id)
                .values(
                    last_evidence_number=p.last_evidence_number,
                    last_hypothesis_number=p.last_hypothesis_number,
                )
            )

    @staticmethod
    def _load_documents(conn: Connection, project_id: int, document_id: int | None = None) -> list[Document]:
        query = select(D).where(D.c.project_id == project_id).order_by(D.c.position)
        if document_id is not None:
            query = query.where(D.c.id == document_id)
        return [rows.document_from_row(r) for r in conn.execute(query)]

    @staticmethod
    def _load_cells(conn: Connection, project_id: int) -> dict[tuple[int, int], Cell]:
        # The hot path of opening a project: the driver's own cursor, no per-row
        # result processing.
        cursor = conn.connection.driver_connection.execute(rows.RATINGS_SQL, (project_id,))  # type: ignore[union-attr]
        return rows.cells_from_rows(cursor.fetchall())

    def create_project(self, title: str, question: str = "") -> int:
        return self.insert_project(ProjectData(Project(title=title, question=question)), "New project")

    def insert_project(self, data: ProjectData, action: str = "Project stored") -> int:
        """Store a whole project in one transaction; returns its new id.

        The ids inside *data* only link its cells to its items; new ones are assigned.
        Items without a number are given one (in *data* too). The journal starts with
        an entry saying how it came (*action*: "Imported from …", say).
        """
        give_numbers(data)
        with self._edit(None, "The project was not stored") as conn:
            project_id = _new_id(conn.execute(insert(P).values(**rows.project_values(data.project))))
            h_ids = self._insert_many(
                conn,
                H,
                [
                    {"project_id": project_id, **rows.hypothesis_values(h), "position": i}
                    for i, h in enumerate(data.hypotheses)
                ],
            )
            d_ids = self._insert_many(
                conn,
                D,
                [
                    {"project_id": project_id, **rows.document_values(d), "position": i}
                    for i, d in enumerate(data.documents)
                ],
            )
            d_map = {d.id: new for d, new in zip(data.documents, d_ids, strict=True)}
            e_ids = self._insert_many(
                conn,
                E,
                [
                    {
                        "project_id": project_id,
                        **rows.evidence_values(e),
                        "document_id": d_map.get(e.document_id),
                        "position": i,
                    }
                    for i, e in enumerate(data.evidence)
                ],
            )
            h_map = {h.id: new for h, new in zip(data.hypotheses, h_ids, strict=True)}
            e_map = {e.id: new for e, new in zip(data.evidence, e_ids, strict=True)}
            self._insert_cells(conn, [(e_map[eid], h_map[hid], c) for (eid, hid), c in data.cells.items()])
            milestones = [
                {
                    "project_id": project_id,
                    **rows.milestone_values(m),
                    "hypothesis_id": h_map[m.hypothesis_id],
                }
                for m in data.milestones
                if m.hypothesis_id in h_map
            ]
            if milestones:
                conn.execute(insert(M), milestones)
            checks = [
                {"project_id": project_id, "document_id": d_map[doc_id], **rows.deception_check_values(c)}
                for doc_id, c in data.deception_checks.items()
                if doc_id in d_map
            ]
            if checks:
                conn.execute(insert(X), checks)
            settings = [
                {"project_id": project_id, "name": n, "value": v} for n, v in data.project.likelihood.items()
            ]
            if settings:
                conn.execute(insert(L), settings)
            contents = {
                "title": data.project.title,
                "hypotheses": len(data.hypotheses),
                "evidence": len(data.evidence),
                "ratings": len(data.cells),
                "documents": len(data.documents),
            }
            created = JournalEntry(
                ChangeKind.PROJECT_CREATED,
                "",
                data.project.title,
                new=contents,
                action=action,
                at=utc_stamp(),
            )
            change_journal.record(conn, int(project_id), [created])
        return int(project_id)

    @staticmethod
    def _insert_many(conn: Connection, table: Any, values: list[dict[str, Any]]) -> list[int]:
        if not values:
            return []
        result = conn.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), values)
        return [r[0] for r in result]

    def duplicate_project(self, project_id: int, title: str) -> int:
        data = self.load_project(project_id)
        now = utc_now()
        data.project = replace(data.project, uuid=new_uuid(), title=title, created_at=now, modified_at=now)
        return self.insert_project(data, f"Copied from project {project_id}")

    def rename_project(self, project_id: int, title: str) -> None:
        self.update_project(project_id, {"title": title})

    def delete_project(self, project_id: int) -> None:
        with self._edit(None, "The project was not deleted") as conn:
            conn.execute(delete(P).where(P.c.id == project_id))

    # -- the change journal ----------------------------------------------------------
    def record(self, project_id: int, entries: list[JournalEntry]) -> None:
        """Write journal entries; inside the edit's transaction, so that the edit and
        its entries are committed together or not at all. Gives each entry its id."""
        with self._edit(project_id) as conn:
            change_journal.record(conn, project_id, entries)

    def journal(
        self,
        project_id: int,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        item: str | None = None,
        hypothesis: str | None = None,
        kinds: Iterable[ChangeKind | str] | None = None,
        group: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[JournalEntry]:
        """The project's journal, newest first; a page of it with *limit* and *offset*.

        *since* and *until* are moments (a naive one is UTC); *item* an item's reference
        ("E12", "H2", "D3"), *hypothesis* a rating's hypothesis."""
        where = change_journal.JournalFilter(
            since, until, item, hypothesis, change_journal.kinds_set(kinds), group
        )
        with self._reading() as conn:
            return list(change_journal.read(conn, project_id, where, limit, offset))

    def each_journal_entry(
        self,
        project_id: int,
        *,
        since: datetime | None = None,
        item: str | None = None,
        hypothesis: str | None = None,
        kinds: Iterable[ChangeKind | str] | None = None,
    ) -> Iterator[JournalEntry]:
        """The whole journal newest first, read as it is used: one query, however long
        (for writing it out, or replaying it), without holding it all in memory."""
        where = change_journal.JournalFilter(since, None, item, hypothesis, change_journal.kinds_set(kinds))
        with self._reading() as conn:
            yield from change_journal.read(conn, project_id, where)

    def count_journal(
        self,
        project_id: int,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        item: str | None = None,
        hypothesis: str | None = None,
        kinds: Iterable[ChangeKind | str] | None = None,
        group: str | None = None,
    ) -> int:
        """How many entries :meth:`journal` would give without a limit."""
        where = change_journal.JournalFilter(
            since, until, item, hypothesis, change_journal.kinds_set(kinds), group
        )
        with self._reading() as conn:
            return change_journal.count(conn, project_id, where)

    def journal_items(self, project_id: int) -> list[str]:
        """Every item the project's journal names (E…, then H…, then D…, by number)."""
        with self._reading() as conn:
            return change_journal.items_in(conn, project_id)

    def set_journal_reason(self, entry_id: int, reason: str) -> None:
        """Say why a change was made, afterwards. It changes no project content, so it
        does not count as an edit of the project (no new revision)."""
        with self._edit(None, "The reason was not saved") as conn:
            if not change_journal.set_reason(conn, entry_id, reason):
                raise StaleEditError("this journal entry is no longer in the database")

    # -- edits (the core's ProjectStore protocol) -----------------------------------
    def update_project(self, project_id: int, values: dict[str, Any]) -> None:
        with self._edit(project_id) as conn:
            conn.execute(update(P).where(P.c.id == project_id).values(**rows.project_changed_values(values)))

    def set_cell(self, project_id: int, evidence_id: int, hypothesis_id: int, cell: Cell | None) -> None:
        with self._edit(project_id) as conn:
            if cell is None:
                conn.execute(
                    delete(R).where(R.c.evidence_id == evidence_id, R.c.hypothesis_id == hypothesis_id)
                )
            else:
                conn.execute(
                    _UPSERT_RATING,
                    {
                        "e": evidence_id,
                        "h": hypothesis_id,
                        "code": cell.rating.value,
                        "reason": cell.reason,
                        **rows.rating_record_values(cell),
                    },
                )

    def set_likelihood(self, project_id: int, values: dict[str, float | None]) -> None:
        """The project's own values for likelihood settings, by name; None goes back to the
        default. One transaction for all of them."""
        with self._edit(project_id) as conn:
            conn.execute(delete(L).where(L.c.project_id == project_id, L.c.name.in_(list(values))))
            rows = [
                {"project_id": project_id, "name": n, "value": v} for n, v in values.items() if v is not None
            ]
            if rows:
                conn.execute(insert(L), rows)

    def update_evidence(self, project_id: int, evidence_id: int, values: dict[str, Any]) -> None:
        with self._edit(project_id) as conn:
            _update_row(conn, E, project_id, evidence_id, rows.changed_values(values))

    def update_hypothesis(self, project_id: int, hypothesis_id: int, values: dict[str, Any]) -> None:
        with self._edit(project_id) as conn:
            _update_row(conn, H, project_id, hypothesis_id, values)

    def insert_evidence(self, project_id: int, evidence: Evidence, cells: dict[int, Cell]) -> int:
        with self._edit(project_id) as conn:
            self._open_gap(conn, E, project_id, evidence.position)
            values = {
                "project_id": project_id,
                **rows.evidence_values(evidence),
                "position": evidence.position,
            }
            if evidence.id:
                values["id"] = evidence.id  # restoring a removed item keeps its id
            new_id = _new_id(conn.execute(insert(E).values(**values)))
            self._count_number(conn, project_id, P.c.last_evidence_number, evidence.number)
            self._insert_cells(conn, [(new_id, hid, c) for hid, c in cells.items()])
        return new_id

    def insert_hypothesis(self, project_id: int, hypothesis: Hypothesis, cells: dict[int, Cell]) -> int:
        with self._edit(project_id) as conn:
            self._open_gap(conn, H, project_id, hypothesis.position)
            values = {
                "project_id": project_id,
                **rows.hypothesis_values(hypothesis),
                "position": hypothesis.position,
            }
            if hypothesis.id:
                values["id"] = hypothesis.id
            new_id = _new_id(conn.execute(insert(H).values(**values)))
            self._count_number(conn, project_id, P.c.last_hypothesis_number, hypothesis.number)
            self._insert_cells(conn, [(eid, new_id, c) for eid, c in cells.items()])
        return new_id

    def delete_evidence(self, project_id: int, evidence_id: int) -> None:
        self._delete_item(E, project_id, evidence_id)

    def delete_hypothesis(self, project_id: int, hypothesis_id: int) -> None:
        self._delete_item(H, project_id, hypothesis_id)

    def set_evidence_order(self, project_id: int, evidence_ids: list[int]) -> None:
        self._set_order(E, project_id, evidence_ids)

    def set_hypothesis_order(self, project_id: int, hypothesis_ids: list[int]) -> None:
        self._set_order(H, project_id, hypothesis_ids)

    def document_summaries(self, project_id: int) -> list[DocumentSummary]:
        """The documents of a project, with their lengths and evidence counts (no text)."""
        n_e = select(func.count()).where(E.c.document_id == D.c.id).scalar_subquery()
        length = func.length(
            func.coalesce(func.iif(D.c.uses_original, None, D.c.article_text), D.c.original_text)
        )
        query = (
            select(D.c.id, D.c.title, D.c.origin, D.c.published, D.c.reliability, length, n_e)
            .where(D.c.project_id == project_id)
            .order_by(D.c.position)
        )
        with self._reading() as conn:
            return [DocumentSummary(*row) for row in conn.execute(query)]

    def find_document(self, project_id: int, ref: str) -> Document:
        """A document by id or unambiguous title (exact, then prefix; any case)."""
        titles = [(s.id, s.title) for s in self.document_summaries(project_id)]
        ref = ref.strip()
        folded = ref.casefold()
        for matches in (
            [(i, title) for i, title in titles if ref.isdigit() and i == int(ref)],
            [(i, title) for i, title in titles if title.casefold() == folded],
            [(i, title) for i, title in titles if title.casefold().startswith(folded)],
        ):
            if len(matches) == 1:
                with self._reading() as conn:
                    return self._load_documents(conn, project_id, matches[0][0])[0]
            if len(matches) > 1:
                names = ", ".join(f"{i} ({title})" for i, title in matches)
                raise DocumentNotFoundError(f"{ref!r} matches several documents: {names}; use the id")
        raise DocumentNotFoundError(f"no document {ref!r} in this project")

    def insert_document(self, project_id: int, document: Document, index: int | None = None) -> int:
        """Add a document at *index* in the project's list (default: the end).

        Restoring a removed one keeps its id.
        """
        with self._edit(project_id) as conn:
            ordered = (
                conn.execute(select(D.c.position).where(D.c.project_id == project_id).order_by(D.c.position))
                .scalars()
                .all()
            )
            if index is None or index >= len(ordered):
                position = (ordered[-1] + 1) if ordered else 0
            else:
                # Positions written by earlier versions may have gaps: take the place of
                # the document now at *index*, moving it and those after it down.
                position = ordered[max(index, 0)]
                self._open_gap(conn, D, project_id, position)
            values = {"project_id": project_id, **rows.document_values(document), "position": position}
            if document.id:
                values["id"] = document.id
            return _new_id(conn.execute(insert(D).values(**values)))

    def update_document(self, project_id: int, document_id: int, values: dict[str, Any]) -> None:
        with self._edit(project_id) as conn:
            _update_row(conn, D, project_id, document_id, rows.changed_values(values))

    def delete_document(self, project_id: int, document_id: int) -> None:
        self._delete_item(D, project_id, document_id)

    # -- milestones and deception checks --------------------------------------------------
    def insert_milestone(self, project_id: int, milestone: Milestone) -> int:
        """Add a milestone; restoring a removed one keeps its id."""
        with self._edit(project_id) as conn:
            values = {"project_id": project_id, **rows.milestone_values(milestone)}
            if milestone.id:
                values["id"] = milestone.id
            return _new_id(conn.execute(insert(M).values(**values)))

    def update_milestone(self, project_id: int, milestone_id: int, values: dict[str, Any]) -> None:
        with self._edit(project_id) as conn:
            _update_row(conn, M, project_id, milestone_id, rows.changed_values(values))

    def delete_milestone(self, project_id: int, milestone_id: int) -> None:
        with self._edit(project_id) as conn:
            gone = conn.execute(delete(M).where(M.c.id == milestone_id, M.c.project_id == project_id))
            if gone.rowcount == 0:
                raise StaleEditError("this milestone is no longer in the project")

    def set_deception_check(self, project_id: int, document_id: int, check: DeceptionCheck | None) -> None:
        with self._edit(project_id) as conn:
            known = conn.execute(
                select(D.c.id).where(D.c.id == document_id, D.c.project_id == project_id)
            ).first()
            if known is None:
                raise StaleEditError("this document is no longer in the project")
            conn.execute(delete(X).where(X.c.document_id == document_id))
            if check is not None:
                values = {"project_id": project_id, "document_id": document_id}
                conn.execute(insert(X).values(**values, **rows.deception_check_values(check)))

    # -- helpers -------------------------------------------------------------------
    @staticmethod
    def _count_number(conn: Connection, project_id: int, counter: Any, number: int) -> None:
        """Record *number* as given: the project never gives it again."""
        conn.execute(update(P).where(P.c.id == project_id, counter < number).values({counter.name: number}))

    @staticmethod
    def _open_gap(conn: Connection, table: Any, project_id: int, position: int) -> None:
        conn.execute(
            update(table)
            .where(table.c.project_id == project_id, table.c.position >= position)
            .values(position=table.c.position + 1)
        )

    def _delete_item(self, table: Any, project_id: int, item_id: int) -> None:
        with self._edit(project_id) as conn:
            position = conn.execute(
                select(table.c.position).where(table.c.id == item_id, table.c.project_id == project_id)
            ).scalar_one_or_none()
            if position is None:
                raise StaleEditError(f"this {_ITEM_NAMES[table]} is no longer in the project")
            conn.execute(delete(table).where(table.c.id == item_id))
            conn.execute(
                update(table)
                .where(table.c.project_id == project_id, table.c.position > position)
                .values(position=table.c.position - 1)
            )

    def _set_order(self, table: Any, project_id: int, ids: list[int]) -> None:
        with self._edit(project_id) as conn:
            current: dict[int, int] = dict(
                conn.execute(
                    select(table.c.id, table.c.position).where(table.c.project_id == project_id)
                ).all()
            )
            if set(ids) != current.keys() or len(ids) != len(current):
                # Writing this order would leave two items at one position.
                raise StaleEditError(
                    f"the {_ITEM_NAMES[table]}s of the project were changed by another program"
                )
            changed = [{"item_id": i, "pos": n} for n, i in enumerate(ids) if current.get(i) != n]
            if changed:
                conn.execute(
                    update(table).where(table.c.id == bindparam("item_id")).values(position=bindparam("pos")),
                    changed,
                )

    @staticmethod
    def _insert_cells(conn: Connection, cells: list[tuple[int, int, Cell]]) -> None:
        if cells:
            conn.execute(
                insert(R),
                [
                    {
                        "evidence_id": e,
                        "hypothesis_id": h,
                        "code": c.rating.value,
                        "reason": c.reason,
                        **rows.rating_record_values(c),
                    }
                    for e, h, c in cells
                ],
            )


_ITEM_NAMES = {E: "evidence item", H: "hypothesis", D: "document", M: "milestone"}


def _is_foreign_key_failure(exc: IntegrityError) -> bool:
    orig = exc.orig
    return getattr(orig, "sqlite_errorname", "") == "SQLITE_CONSTRAINT_FOREIGNKEY" or (
        "FOREIGN KEY constraint failed" in str(orig)
    )


def _update_row(conn: Connection, table: Any, project_id: int, item_id: int, values: dict[str, Any]) -> None:
    """Update one item of the project; refused if it is not there (deleted elsewhere)."""
    where = (table.c.id == item_id, table.c.project_id == project_id)
    if conn.execute(update(table).where(*where).values(**values)).rowcount == 0:
        raise StaleEditError(f"this {_ITEM_NAMES[table]} is no longer in the project")


def _new_id(result: CursorResult[Any]) -> int:
    """The id SQLite gave the row just inserted."""
    key = result.inserted_primary_key
    assert key is not None  # an INSERT of one row always has one
    return int(key[0])
