"""The storage interface: whole projects in and out, and one committed edit per call.

Nothing outside this package sees a session, a connection or SQL. Reads return the
core's plain dataclasses; bulk reads select columns, not ORM objects, because a
2,000 × 40 project has 80,000 ratings to read.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, delete, func, insert, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from hyp_board.core.bulk import collector_paused
from hyp_board.core.model import (
    Cell,
    Document,
    Evidence,
    EvidenceType,
    Hypothesis,
    InformationGrade,
    Level,
    Project,
    ProjectData,
    Rating,
    Reliability,
    give_numbers,
    new_uuid,
    utc_now,
)
from hyp_board.storage.database import open_database
from hyp_board.storage.tables import DocumentRow, EvidenceRow, HypothesisRow, ProjectRow, RatingRow

P = ProjectRow.__table__
D = DocumentRow.__table__
H = HypothesisRow.__table__
E = EvidenceRow.__table__
R = RatingRow.__table__

_RATING_BY_CODE = {r.value: r for r in Rating}
_LEVEL_BY_TEXT = {lv.value: lv for lv in Level}
_TYPE_BY_TEXT = {t.value: t for t in EvidenceType}
_INFORMATION_BY_TEXT = {g.value: g for g in InformationGrade}
_RELIABILITY_BY_TEXT = {g.value: g for g in Reliability}
# Most cells have no reason; sharing one immutable Cell per rating makes loading
# 80,000 of them cheap.
_BARE_CELLS = {code: Cell(rating) for code, rating in _RATING_BY_CODE.items()}


def _upsert_rating() -> Any:
    # Built once: rating is the hottest write, and building the statement costs more
    # than running it.
    stmt = sqlite_insert(R).values(
        evidence_id=bindparam("e"),
        hypothesis_id=bindparam("h"),
        code=bindparam("code"),
        reason=bindparam("reason"),
    )
    return stmt.on_conflict_do_update(
        index_elements=[R.c.evidence_id, R.c.hypothesis_id],
        set_={"code": stmt.excluded.code, "reason": stmt.excluded.reason},
    )


_UPSERT_RATING = _upsert_rating()


class ProjectNotFoundError(LookupError):
    pass


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


@dataclass(frozen=True, slots=True)
class ProjectSummary:
    id: int
    title: str
    modified_at: datetime
    hypotheses: int
    evidence: int


class Store:
    """A Hypothesis Board database. Every method commits before it returns."""

    def __init__(self, engine: Engine, created: bool = False) -> None:
        self._engine = engine
        self.created = created  # the file was new: callers may seed it

    @classmethod
    def open(cls, path: Path) -> Store:
        """Open (or create) the database; raises a DatabaseError for one we must not use."""
        engine, created = open_database(path)
        return cls(engine, created)

    @property
    def engine(self) -> Engine:
        return self._engine

    @property
    def path(self) -> Path:
        return Path(self._engine.url.database or "")

    def close(self) -> None:
        self._engine.dispose()

    @contextmanager
    def _edit(self, project_id: int) -> Iterator[Connection]:
        """One transaction that also stamps the project as modified."""
        with self._engine.begin() as conn:
            yield conn
            conn.execute(update(P).where(P.c.id == project_id).values(modified_at=utc_now()))

    # -- projects ------------------------------------------------------------------
    def list_projects(self) -> list[ProjectSummary]:
        n_h = select(func.count()).where(H.c.project_id == P.c.id).scalar_subquery()
        n_e = select(func.count()).where(E.c.project_id == P.c.id).scalar_subquery()
        query = select(P.c.id, P.c.title, P.c.modified_at, n_h, n_e).order_by(func.lower(P.c.title), P.c.id)
        with self._engine.connect() as conn:
            return [ProjectSummary(*row) for row in conn.execute(query)]

    def projects_with_uuid(self, uuid: str) -> list[ProjectSummary]:
        """Copies of one project (its identity survives sharing and re-importing)."""
        return [p for p in self.list_projects() if p.id in self._ids_with_uuid(uuid)]

    def _ids_with_uuid(self, uuid: str) -> set[int]:
        with self._engine.connect() as conn:
            return set(conn.execute(select(P.c.id).where(P.c.uuid == uuid)).scalars())

    def is_empty(self) -> bool:
        with self._engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(P)).scalar_one() == 0

    def find_project(self, ref: str) -> int:
        """Resolve an id or an unambiguous title (exact, then prefix; any case)."""
        projects = self.list_projects()
        ref_stripped = ref.strip()
        if ref_stripped.isdigit():
            for p in projects:
                if p.id == int(ref_stripped):
                    return p.id
        folded = ref_stripped.casefold()
        for matcher in (
            lambda t: t.casefold() == folded,
            lambda t: t.casefold().startswith(folded),
        ):
            hits = [p for p in projects if matcher(p.title)]
            if len(hits) == 1:
                return hits[0].id
            if len(hits) > 1:
                names = ", ".join(f"{p.id} ({p.title})" for p in hits)
                raise ProjectNotFoundError(f"{ref!r} matches several projects: {names}; use the id")
        raise ProjectNotFoundError(f"no project {ref!r} (see 'hyp-board list')")

    def load_project(self, project_id: int) -> ProjectData:
        with collector_paused(), self._engine.connect() as conn:
            row = conn.execute(select(P).where(P.c.id == project_id)).one_or_none()
            if row is None:
                raise ProjectNotFoundError(f"no project with id {project_id}")
            project = Project(
                id=row.id,
                uuid=row.uuid,
                title=row.title,
                question=row.question,
                notes=row.notes,
                created_at=row.created_at,
                modified_at=row.modified_at,
                last_evidence_number=row.last_evidence_number,
                last_hypothesis_number=row.last_hypothesis_number,
            )
            hypotheses = [
                Hypothesis(
                    id=r.id,
                    uuid=r.uuid,
                    label=r.label,
                    description=r.description,
                    position=r.position,
                    number=r.number,
                )
                for r in conn.execute(
                    select(H.c.id, H.c.uuid, H.c.label, H.c.description, H.c.position, H.c.number)
                    .where(H.c.project_id == project_id)
                    .order_by(H.c.position)
                )
            ]
            evidence = [
                Evidence(
                    id=r[0],
                    uuid=r[1],
                    summary=r[2],
                    quote=r[3],
                    source=r[4],
                    date=r[5],
                    kind=_TYPE_BY_TEXT.get(r[6], EvidenceType.OTHER),
                    credibility=_LEVEL_BY_TEXT.get(r[7], Level.MEDIUM),
                    relevance=_LEVEL_BY_TEXT.get(r[8], Level.MEDIUM),
                    included=bool(r[9]),
                    notes=r[10],
                    position=r[11],
                    document_id=r[12] or 0,
                    span=(r[13], r[14]) if r[13] is not None and r[14] is not None else None,
                    information=_INFORMATION_BY_TEXT.get(r[15]) if r[15] else None,
                    credibility_overridden=bool(r[16]),
                    number=r[17],
                )
                for r in conn.execute(
                    select(
                        E.c.id,
                        E.c.uuid,
                        E.c.summary,
                        E.c.quote,
                        E.c.source,
                        E.c.date,
                        E.c.kind,
                        E.c.credibility,
                        E.c.relevance,
                        E.c.included,
                        E.c.notes,
                        E.c.position,
                        E.c.document_id,
                        E.c.span_start,
                        E.c.span_end,
                        E.c.information,
                        E.c.credibility_overridden,
                        E.c.number,
                    )
                    .where(E.c.project_id == project_id)
                    .order_by(E.c.position)
                )
            ]
            cells = self._load_cells(conn, project_id)
            documents = self._load_documents(conn, project_id)
        data = ProjectData(project, hypotheses, evidence, cells, documents)
        if any(item.number <= 0 for item in [*hypotheses, *evidence]):
            self._number_unnumbered(data)
        return data

    def _number_unnumbered(self, data: ProjectData) -> None:
        """Give and store numbers for items added by a version that had none."""
        unnumbered = [item for item in [*data.hypotheses, *data.evidence] if item.number <= 0]
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
        return [
            Document(
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
            )
            for r in conn.execute(query)
        ]

    @staticmethod
    def _load_cells(conn: Connection, project_id: int) -> dict[tuple[int, int], Cell]:
        # The hot path of opening a project: the driver's own cursor, no per-row
        # result processing.
        # Codes this version does not know (a newer minor's) are left out: unrated.
        known = ",".join(f"'{code}'" for code in _RATING_BY_CODE)
        cursor = conn.connection.driver_connection.execute(  # type: ignore[union-attr]
            "SELECT r.evidence_id, r.hypothesis_id, r.code, r.reason FROM rating r "
            f"JOIN evidence e ON e.id = r.evidence_id WHERE e.project_id = ? AND r.code IN ({known})",
            (project_id,),
        )
        bare, by_code = _BARE_CELLS, _RATING_BY_CODE
        return {
            (eid, hid): bare[code] if not reason else Cell(by_code[code], reason)
            for eid, hid, code, reason in cursor.fetchall()
        }

    def create_project(self, title: str, question: str = "") -> int:
        return self.insert_project(ProjectData(Project(title=title, question=question)))

    def insert_project(self, data: ProjectData) -> int:
        """Store a whole project in one transaction; returns its new id.

        The ids inside *data* only link its cells to its items; new ones are assigned.
        Items without a number are given one (in *data* too).
        """
        give_numbers(data)
        p = data.project
        with self._engine.begin() as conn:
            project_id = conn.execute(
                insert(P).values(
                    uuid=p.uuid,
                    title=p.title,
                    question=p.question,
                    notes=p.notes,
                    created_at=p.created_at,
                    modified_at=p.modified_at,
                    last_evidence_number=p.last_evidence_number,
                    last_hypothesis_number=p.last_hypothesis_number,
                )
            ).inserted_primary_key[0]
            h_ids = self._insert_many(
                conn,
                H,
                [
                    {
                        "uuid": h.uuid,
                        "project_id": project_id,
                        "label": h.label,
                        "description": h.description,
                        "position": i,
                        "number": h.number,
                    }
                    for i, h in enumerate(data.hypotheses)
                ],
            )
            d_ids = self._insert_many(
                conn,
                D,
                [
                    {"project_id": project_id, **_document_values(d), "position": i}
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
                        **_evidence_values(e),
                        "document_id": d_map.get(e.document_id),
                        "position": i,
                    }
                    for i, e in enumerate(data.evidence)
                ],
            )
            h_map = {h.id: new for h, new in zip(data.hypotheses, h_ids, strict=True)}
            e_map = {e.id: new for e, new in zip(data.evidence, e_ids, strict=True)}
            rows = [
                {
                    "evidence_id": e_map[eid],
                    "hypothesis_id": h_map[hid],
                    "code": c.rating.value,
                    "reason": c.reason,
                }
                for (eid, hid), c in data.cells.items()
            ]
            if rows:
                conn.execute(insert(R), rows)
        return int(project_id)

    @staticmethod
    def _insert_many(conn: Connection, table: Any, rows: list[dict[str, Any]]) -> list[int]:
        if not rows:
            return []
        result = conn.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), rows)
        return [r[0] for r in result]

    def duplicate_project(self, project_id: int, title: str) -> int:
        data = self.load_project(project_id)
        now = utc_now()
        data.project = replace(data.project, uuid=new_uuid(), title=title, created_at=now, modified_at=now)
        return self.insert_project(data)

    def rename_project(self, project_id: int, title: str) -> None:
        self.update_project(project_id, {"title": title})

    def delete_project(self, project_id: int) -> None:
        with self._engine.begin() as conn:
            conn.execute(delete(P).where(P.c.id == project_id))

    # -- edits (the core's ProjectStore protocol) -----------------------------------
    def update_project(self, project_id: int, values: dict[str, Any]) -> None:
        with self._edit(project_id) as conn:
            conn.execute(update(P).where(P.c.id == project_id).values(**values))

    def set_cell(self, project_id: int, evidence_id: int, hypothesis_id: int, cell: Cell | None) -> None:
        with self._edit(project_id) as conn:
            if cell is None:
                conn.execute(
                    delete(R).where(R.c.evidence_id == evidence_id, R.c.hypothesis_id == hypothesis_id)
                )
            else:
                conn.execute(
                    _UPSERT_RATING,
                    {"e": evidence_id, "h": hypothesis_id, "code": cell.rating.value, "reason": cell.reason},
                )

    def update_evidence(self, project_id: int, evidence_id: int, values: dict[str, Any]) -> None:
        with self._edit(project_id) as conn:
            conn.execute(update(E).where(E.c.id == evidence_id).values(**_column_values(values)))

    def update_hypothesis(self, project_id: int, hypothesis_id: int, values: dict[str, Any]) -> None:
        with self._edit(project_id) as conn:
            conn.execute(update(H).where(H.c.id == hypothesis_id).values(**values))

    def insert_evidence(self, project_id: int, evidence: Evidence, cells: dict[int, Cell]) -> int:
        with self._edit(project_id) as conn:
            self._open_gap(conn, E, project_id, evidence.position)
            values = {"project_id": project_id, **_evidence_values(evidence), "position": evidence.position}
            if evidence.id:
                values["id"] = evidence.id  # restoring a removed item keeps its id
            new_id = int(conn.execute(insert(E).values(**values)).inserted_primary_key[0])
            self._count_number(conn, project_id, P.c.last_evidence_number, evidence.number)
            self._insert_cells(conn, [(new_id, hid, c) for hid, c in cells.items()])
        return new_id

    def insert_hypothesis(self, project_id: int, hypothesis: Hypothesis, cells: dict[int, Cell]) -> int:
        with self._edit(project_id) as conn:
            self._open_gap(conn, H, project_id, hypothesis.position)
            values = {
                "uuid": hypothesis.uuid,
                "project_id": project_id,
                "label": hypothesis.label,
                "description": hypothesis.description,
                "position": hypothesis.position,
                "number": hypothesis.number,
            }
            if hypothesis.id:
                values["id"] = hypothesis.id
            new_id = int(conn.execute(insert(H).values(**values)).inserted_primary_key[0])
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
        with self._engine.connect() as conn:
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
                with self._engine.connect() as conn:
                    return self._load_documents(conn, project_id, matches[0][0])[0]
            if len(matches) > 1:
                names = ", ".join(f"{i} ({title})" for i, title in matches)
                raise DocumentNotFoundError(f"{ref!r} matches several documents: {names}; use the id")
        raise DocumentNotFoundError(f"no document {ref!r} in this project (see 'hyp-board documents')")

    def insert_document(self, project_id: int, document: Document) -> int:
        """Add a document at the end of the list (restoring one keeps its id)."""
        with self._edit(project_id) as conn:
            last = conn.execute(select(func.max(D.c.position)).where(D.c.project_id == project_id)).scalar()
            values = {"project_id": project_id, **_document_values(document), "position": (last or 0) + 1}
            if document.id:
                values["id"] = document.id
            return int(conn.execute(insert(D).values(**values)).inserted_primary_key[0])

    def update_document(self, project_id: int, document_id: int, values: dict[str, Any]) -> None:
        with self._edit(project_id) as conn:
            conn.execute(update(D).where(D.c.id == document_id).values(**_column_values(values)))

    def delete_document(self, project_id: int, document_id: int) -> None:
        with self._edit(project_id) as conn:
            conn.execute(delete(D).where(D.c.id == document_id))

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
            position = conn.execute(select(table.c.position).where(table.c.id == item_id)).scalar_one()
            conn.execute(delete(table).where(table.c.id == item_id))
            conn.execute(
                update(table)
                .where(table.c.project_id == project_id, table.c.position > position)
                .values(position=table.c.position - 1)
            )

    def _set_order(self, table: Any, project_id: int, ids: list[int]) -> None:
        with self._edit(project_id) as conn:
            current = dict(
                conn.execute(
                    select(table.c.id, table.c.position).where(table.c.project_id == project_id)
                ).all()
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
                    {"evidence_id": e, "hypothesis_id": h, "code": c.rating.value, "reason": c.reason}
                    for e, h, c in cells
                ],
            )


_ENUMS = (Level, EvidenceType, InformationGrade, Reliability)


def _column_values(values: dict[str, Any]) -> dict[str, Any]:
    """Field values as stored: enums as text, a span as two columns, 0 as no document."""
    stored: dict[str, Any] = {}
    for name, value in values.items():
        if name == "span":
            stored["span_start"], stored["span_end"] = value if value else (None, None)
        elif name == "document_id":
            stored[name] = value or None
        else:
            stored[name] = value.value if isinstance(value, _ENUMS) else value
    return stored


def _document_values(d: Document) -> dict[str, Any]:
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
    }


def _evidence_values(e: Evidence) -> dict[str, Any]:
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
