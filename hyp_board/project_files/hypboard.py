"""The ``.hypboard`` project file: one whole project as UTF-8 JSON, for sharing.

Its structure is published as a JSON Schema (``resources/schema/hypboard-1.schema.json``)
and checked against it (compiled by ``jsonschema-rs``; ``jsonschema`` says where a file
is wrong); the checks a schema cannot express
(duplicate identifiers, ratings pointing at items that are not there, two ratings for
one cell) follow. Files come from other people, so reading is defensive: a size limit
before anything is read, strict UTF-8, bounded nesting, and every problem reported
with where it is. Nothing is written to the database until the whole file has passed.
"""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hyp_board import APP_NAME, __version__
from hyp_board.core.bulk import collector_paused
from hyp_board.core.layout import Layout
from hyp_board.core.method import (
    Answer,
    Concern,
    DeceptionCheck,
    DeceptionQuestion,
    Milestone,
    MilestoneStatus,
    normalise_due,
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
    ProjectData,
    Rating,
    Reliability,
    normalise_date,
    record_texts,
    recorded_cell,
    utc_now,
)
from hyp_board.core.text import clean_project, cleaning_note
from hyp_board.paths import resources_dir
from hyp_board.project_files.import_result import ImportResult, ProjectFileError
from hyp_board.safe_read import FileTooLarge, UnreadableFile, read_limited

if TYPE_CHECKING:  # the writer's only: reading a file needs no matrix and its scoring
    from hyp_board.core.matrix import Matrix

FORMAT_NAME = "hypothesis-board"
# 1.1 added documents and evidence provenance; 1.2 each document's layout (page starts
# and marked blocks of its texts) and an e-mail's attachments; 1.3 the stable numbers
# of evidence and hypotheses (E1…, H1…); 1.4 when and in which view each rating was
# given (so a colleague sees which were given blind), the method around the matrix
# (milestones, deception checks, the classification marking and the steps marked
# done) and the optional history (the change journal and snapshots).
FORMAT_MAJOR, FORMAT_MINOR = 1, 4
SUFFIX = ".hypboard"
MAX_FILE_BYTES = 256 * 1024 * 1024  # far above any real project; refuses runaway files
_BARE_CELLS = {r.value: Cell(r) for r in Rating}
# Objects and lists: enough for the most a file may hold (2,000,000 ratings, 100,000
# evidence items with their passages, 10,000 documents, 1,000 hypotheses).
MAX_CONTAINERS = 2_500_000
# The schema has checked each item's type and grades: they are looked up rather than
# given to the enum's constructor, which costs 25 times as much (6,000 times a file).
_EVIDENCE_TYPES = {kind.value: kind for kind in EvidenceType}
_LEVELS = {level.value: level for level in Level}


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(
        (resources_dir() / "schema" / "hypboard-1.schema.json").read_text(encoding="utf-8")
    )
    return loaded


@lru_cache(maxsize=1)
def _compiled_schema() -> Any:
    """The published schema, compiled by jsonschema-rs (a native validator): it checks a
    2,000 × 40 project file some ninety times faster than jsonschema does."""
    import jsonschema_rs

    return jsonschema_rs.Draft202012Validator(schema())


# -- writing -----------------------------------------------------------------------------
def to_document(matrix: Matrix, history: dict[str, Any] | None = None) -> dict[str, Any]:
    """The file's content; *history* (see hypboard_history.history_section) only when the
    analyst chose to share it."""
    document = _project_document(matrix)
    if history is not None:
        document["history"] = history
    return document


def _project_document(matrix: Matrix) -> dict[str, Any]:
    p = matrix.project
    return {
        "format": FORMAT_NAME,
        "version": f"{FORMAT_MAJOR}.{FORMAT_MINOR}",
        "exported": utc_now().isoformat(),
        "generator": f"{APP_NAME} {__version__}",
        "project": {
            "uuid": p.uuid,
            "title": p.title,
            "question": p.question,
            "notes": p.notes,
            "created": p.created_at.isoformat(),
            "modified": p.modified_at.isoformat(),
            "last_evidence_number": p.last_evidence_number,
            "last_hypothesis_number": p.last_hypothesis_number,
            **({"classification": p.classification} if p.classification else {}),
            **({"caveats": p.caveats} if p.caveats else {}),
            **({"steps_done": sorted(p.steps_done)} if p.steps_done else {}),
        },
        "hypotheses": [
            {
                "uuid": h.uuid,
                "number": h.number,
                "label": h.label,
                "description": h.description,
                **_milestones(matrix.milestones_of(h.id)),
            }
            for h in matrix.hypotheses
        ],
        "evidence": [
            {
                "uuid": e.uuid,
                "number": e.number,
                "summary": e.summary,
                "quote": e.quote,
                "source": e.source,
                "date": e.date,
                "type": e.kind.value,
                "credibility": e.credibility.value,
                "relevance": e.relevance.value,
                "included": e.included,
                "notes": e.notes,
                **_provenance(matrix, e),
            }
            for e in matrix.evidence
        ],
        "documents": [
            {
                "uuid": d.uuid,
                "title": d.title,
                "origin": d.origin,
                "author": d.author,
                "published": d.published,
                "imported": d.imported_at.isoformat(),
                "text": d.original_text,
                "article": d.article_text,
                "uses_original": d.uses_original,
                **({"reliability": d.reliability.value} if d.reliability else {}),
                "notes": d.notes,
                **_layouts(d),
                **_deception_check(matrix.deception_check(d.id)),
            }
            for d in matrix.documents
        ],
        "ratings": [
            {
                "evidence": e.uuid,
                "hypothesis": h.uuid,
                "rating": cell.rating.value,
                "reason": cell.reason,
                **_record(cell),
            }
            for e in matrix.evidence
            for h in matrix.hypotheses
            if (cell := matrix.cell(e.id, h.id)) is not None
        ],
    }


def _record(cell: Cell) -> dict[str, str]:
    """1.4: when and in which view the rating was given; nothing where not recorded."""
    rated_at, rated_in = record_texts(cell)
    return {
        **({"rated_at": rated_at} if rated_at is not None else {}),
        **({"rated_in": rated_in} if rated_in is not None else {}),
    }


def _milestones(milestones: list[Milestone]) -> dict[str, Any]:
    if not milestones:
        return {}
    return {
        "milestones": [
            {"uuid": m.uuid, "text": m.text, "due": m.due, "status": m.status.value, "note": m.note}
            for m in milestones
        ]
    }


def _deception_check(check: DeceptionCheck | None) -> dict[str, Any]:
    if check is None:
        return {}
    out: dict[str, Any] = {
        "answers": {q.value: {"answer": a.value, "note": n} for q, (a, n) in check.answers.items()},
        "note": check.note,
    }
    if check.concern is not None:
        out["concern"] = check.concern.value
    return {"deception_check": out}


def _layouts(d: Document) -> dict[str, Any]:
    out: dict[str, Any] = {}
    layout = {
        name: value.to_json()
        for name, value in (("text", d.original_layout), ("article", d.article_layout))
        if value
    }
    if layout:
        out["layout"] = layout
    if d.attachments:
        out["attachments"] = [{"name": a.name, "type": a.content_type, "size": a.size} for a in d.attachments]
    return out


def _provenance(matrix: Matrix, e: Evidence) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if e.document_id and matrix.has_document(e.document_id):
        out["document"] = matrix.document(e.document_id).uuid
        if e.span:
            out["span"] = list(e.span)
    if e.information:
        out["information"] = e.information.value
    if e.credibility_overridden:
        out["credibility_overridden"] = True
    return out


def write_project_file(matrix: Matrix, path: Path, history: dict[str, Any] | None = None) -> None:
    """Write atomically: a crash mid-way never leaves a partial file behind."""
    from hyp_board.atomic import atomic_text  # (its temporary files are for writing only)

    with atomic_text(path) as fh:
        json.dump(to_document(matrix, history), fh, ensure_ascii=False, indent=1)
        fh.write("\n")


# -- reading -----------------------------------------------------------------------------
def read_project_file(path: Path) -> ImportResult:
    """Read and check a project file completely; raises ProjectFileError."""
    path = Path(path)
    try:
        raw = read_limited(path, MAX_FILE_BYTES)
    except FileTooLarge as exc:
        raise ProjectFileError(
            f"{path.name}: {exc.size / 1e6:.0f} MB is larger than a project file can be "
            f"({MAX_FILE_BYTES / 1e6:.0f} MB)"
        ) from None
    except UnreadableFile as exc:
        raise ProjectFileError(f"{path.name}: {exc}") from None
    if not raw:
        raise ProjectFileError(f"{path.name}: the file is empty")
    return parse_project(raw, path.name)


def parse_project(raw: bytes, name: str = "project file") -> ImportResult:
    # A project file is some hundred thousand dicts, lists and strings, then as many
    # items and cells, none in a cycle: the collector would walk them again and again
    # as they are built (a tenth of the read).
    with collector_paused():
        return _parse_project(raw, name)


def _parse_project(raw: bytes, name: str) -> ImportResult:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ProjectFileError(
            f"{name}: not UTF-8 text (byte {exc.start}); is it a {SUFFIX} file, or damaged?"
        ) from None
    # Every {} or [] becomes an object of 50 bytes or more in memory: counting the
    # brackets (an upper bound, as text may hold some) refuses a file of millions of
    # empty objects before it is parsed, rather than after it has taken gigabytes.
    if raw.count(b"{") + raw.count(b"[") > MAX_CONTAINERS:
        raise ProjectFileError(f"{name}: more than {MAX_CONTAINERS:,} objects and lists; refused")
    try:
        document = json.loads(text)
    except RecursionError:
        raise ProjectFileError(f"{name}: nested too deeply to be a project file") from None
    except json.JSONDecodeError as exc:
        if exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated"):
            raise ProjectFileError(f"{name}: not valid JSON: it ends too early (truncated?)") from None
        raise ProjectFileError(
            f"{name}: not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    except ValueError:  # an integer of thousands of digits (Python refuses to convert it)
        raise ProjectFileError(f"{name}: not valid JSON: a number in it is too long to be read") from None
    return from_document(document, name)


def from_document(document: Any, name: str = "project file") -> ImportResult:
    notes: list[str] = []
    if not isinstance(document, dict) or document.get("format") != FORMAT_NAME:
        raise ProjectFileError(f'{name}: not a Hypothesis Board project file (no "format": "{FORMAT_NAME}")')
    version = document.get("version")
    major, minor = _version(version, name)
    if major > FORMAT_MAJOR:
        raise ProjectFileError(
            f"{name}: written by a newer Hypothesis Board (format {version}; this version reads "
            f"{FORMAT_MAJOR}.x). Update Hypothesis Board to open it."
        )
    _check_schema(document, name)
    if minor > FORMAT_MINOR:
        known = set(schema()["properties"])
        extra = sorted(set(document) - known)
        notes.append(
            f"Written by a newer version (format {version}); "
            + (f"not imported: {', '.join(extra)}." if extra else "everything in it was understood.")
        )
    data = _to_project_data(document, name, notes)
    notes.extend(cleaning_note(clean_project(data)))
    result = ImportResult(data, notes)
    if isinstance(document.get("history"), dict):
        from hyp_board.project_files.hypboard_history import read_history

        result.history = read_history(document["history"], data, name)
    return result


def _version(version: Any, name: str) -> tuple[int, int]:
    try:
        major, minor = (int(part) for part in str(version).split("."))
    except ValueError:
        raise ProjectFileError(f'{name}: "version" must look like "1.0", not {version!r}') from None
    return major, minor


def _check_schema(document: dict[str, Any], name: str) -> None:
    # Nearly every file is valid, and the compiled validator says so quickly. A file it
    # finds wrong (it is, if anything, stricter: a "$" in a pattern does not match
    # before a final line break there) is checked again by jsonschema, the reference,
    # whose verdict stands and which says where the file is wrong.
    try:
        if _compiled_schema().is_valid(document):
            return
    except (ValueError, TypeError, OverflowError, RecursionError):
        pass  # something it cannot take: the reference decides
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema())
    # The most telling of the first few errors: a file with millions of wrong items
    # would otherwise be checked item by item before anything is said.
    first_errors = itertools.islice(validator.iter_errors(document), 20)
    error = jsonschema.exceptions.best_match(first_errors)
    if error is not None:
        where = _path(error.absolute_path) or "the file"
        message = error.message if len(error.message) < 200 else error.message[:200] + "…"
        raise ProjectFileError(f"{name}: {where}: {message}")


def _path(parts: Any) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _to_project_data(doc: dict[str, Any], name: str, notes: list[str]) -> ProjectData:
    p = doc["project"]
    project = Project(
        uuid=p["uuid"],
        title=" ".join(p["title"].split()) or "Untitled project",
        question=p.get("question", ""),
        notes=p.get("notes", ""),
        created_at=_when(p.get("created")),
        modified_at=_when(p.get("modified")),
        last_evidence_number=p.get("last_evidence_number", 0),
        last_hypothesis_number=p.get("last_hypothesis_number", 0),
        classification=" ".join(p.get("classification", "").split()),
        caveats=" ".join(p.get("caveats", "").split()),
        steps_done=frozenset(p.get("steps_done", [])),
    )
    data = ProjectData(project)
    milestone_ids: dict[str, int] = {}
    hypothesis_ids: dict[str, int] = {}
    hypothesis_numbers: set[int] = set()
    for i, h in enumerate(doc["hypotheses"]):
        _claim(hypothesis_ids, h["uuid"], f"{name}: hypotheses[{i}]")
        _claim_number(hypothesis_numbers, h.get("number", 0), f"{name}: hypotheses[{i}].number")
        label = _one_line(h["label"], f"{name}: hypotheses[{i}].label")
        data.hypotheses.append(
            Hypothesis(
                label,
                h.get("description", ""),
                position=i,
                id=i + 1,
                uuid=h["uuid"],
                number=h.get("number", 0),
            )
        )
        for j, m in enumerate(h.get("milestones", [])):
            where = f"{name}: hypotheses[{i}].milestones[{j}]"
            _claim(milestone_ids, m["uuid"], where)
            data.milestones.append(
                Milestone(
                    hypothesis_id=i + 1,
                    text=_one_line(m["text"], where + ".text"),
                    due=_due(m.get("due", ""), where + ".due"),
                    status=MilestoneStatus(m.get("status", "watching")),
                    note=m.get("note", ""),
                    position=len(data.milestones),
                    id=len(data.milestones) + 1,
                    uuid=m["uuid"],
                )
            )
    documents = _documents(doc.get("documents", []), name)
    data.documents = list(documents.values())
    for d in doc.get("documents", []):
        if "deception_check" in d:
            data.deception_checks[documents[d["uuid"]].id] = _read_check(d["deception_check"])
    evidence_ids: dict[str, int] = {}
    evidence_numbers: set[int] = set()
    for i, e in enumerate(doc["evidence"]):
        _claim(evidence_ids, e["uuid"], f"{name}: evidence[{i}]")
        _claim_number(evidence_numbers, e.get("number", 0), f"{name}: evidence[{i}].number")
        summary = _one_line(e["summary"], f"{name}: evidence[{i}].summary")
        try:
            date = normalise_date(e.get("date", ""))
        except ValueError as exc:
            raise ProjectFileError(f"{name}: evidence[{i}].date: {exc}") from None
        data.evidence.append(
            Evidence(
                summary,
                quote=e.get("quote", ""),
                source=e.get("source", ""),
                date=date,
                kind=_EVIDENCE_TYPES[e.get("type", "Report")],
                credibility=_LEVELS[e.get("credibility", "Medium")],
                relevance=_LEVELS[e.get("relevance", "Medium")],
                included=e.get("included", True),
                notes=e.get("notes", ""),
                position=i,
                id=i + 1,
                uuid=e["uuid"],
                information=InformationGrade(e["information"]) if e.get("information") else None,
                credibility_overridden=e.get("credibility_overridden", False),
                number=e.get("number", 0),
            )
        )
        if e.get("document"):
            _link(data.evidence[-1], documents, e, f"{name}: evidence[{i}]", notes)
    data.cells = _cells(doc["ratings"], evidence_ids, hypothesis_ids, name)
    return data


def _cells(
    ratings: list[dict[str, Any]], evidence_ids: dict[str, int], hypothesis_ids: dict[str, int], name: str
) -> dict[tuple[int, int], Cell]:
    """The rated cells. A project may have millions: they are read in bulk (cells with
    no reason, most of them, share one immutable Cell per rating; the schema has
    checked the codes), and only a file with a problem is read again, rating by rating,
    to say which one."""
    bare = _BARE_CELLS
    try:
        keys = [(evidence_ids[r["evidence"]], hypothesis_ids[r["hypothesis"]]) for r in ratings]
    except KeyError:
        keys = []
    cells = {
        key: bare[r["rating"]]
        if not (reason := r.get("reason", "")) and "rated_at" not in r and "rated_in" not in r
        else recorded_cell(bare[r["rating"]].rating, reason, r.get("rated_at"), r.get("rated_in"))
        for key, r in zip(keys, ratings, strict=False)
    }
    if len(cells) == len(keys) == len(ratings):
        return cells
    seen: set[tuple[int, int]] = set()
    for i, r in enumerate(ratings):
        eid = evidence_ids.get(r["evidence"])
        hid = hypothesis_ids.get(r["hypothesis"])
        if eid is None:
            raise ProjectFileError(
                f"{name}: ratings[{i}].evidence: no evidence item has the uuid {r['evidence']}"
            )
        if hid is None:
            raise ProjectFileError(
                f"{name}: ratings[{i}].hypothesis: no hypothesis has the uuid {r['hypothesis']}"
            )
        if (eid, hid) in seen:
            raise ProjectFileError(
                f"{name}: ratings[{i}]: a second rating for the same evidence and hypothesis"
            )
        seen.add((eid, hid))
    raise AssertionError("unreachable: the ratings were read in bulk without a problem")


def _documents(items: list[dict[str, Any]], name: str) -> dict[str, Document]:
    documents: dict[str, Document] = {}
    ids: dict[str, int] = {}
    for i, d in enumerate(items):
        _claim(ids, d["uuid"], f"{name}: documents[{i}]")
        title = _one_line(d["title"], f"{name}: documents[{i}].title")
        documents[d["uuid"]] = Document(
            title,
            original_text=d["text"],
            article_text=d.get("article"),
            uses_original=d.get("uses_original", False),
            origin=" ".join(d.get("origin", "").split()),
            author=" ".join(d.get("author", "").split()),
            published=d.get("published", ""),
            imported_at=_when(d.get("imported")),
            reliability=Reliability(d["reliability"]) if d.get("reliability") else None,
            notes=d.get("notes", ""),
            id=i + 1,
            uuid=d["uuid"],
            attachments=tuple(
                Attachment(a["name"], a.get("type", ""), a.get("size", 0)) for a in d.get("attachments", [])
            ),
        )
        document = documents[d["uuid"]]
        layouts = d.get("layout", {})
        document.original_layout = _layout(
            layouts.get("text"), d["text"], f"{name}: documents[{i}].layout.text"
        )
        if document.article_text is not None:
            document.article_layout = _layout(
                layouts.get("article"), document.article_text, f"{name}: documents[{i}].layout.article"
            )
    return documents


def _layout(data: Any, text: str, where: str) -> Layout | None:
    """A text's layout, checked against the text it annotates."""
    if data is None:
        return None
    try:
        layout = Layout.from_json(data)
    except ValueError as exc:
        raise ProjectFileError(f"{where}: {exc}") from None
    if not layout.fits(text):
        raise ProjectFileError(f"{where}: its offsets do not fit the text (pages must start at 0 and ascend)")
    return layout or None


def _due(text: str, where: str) -> str:
    try:
        return normalise_due(text)
    except ValueError as exc:
        raise ProjectFileError(f"{where}: {exc}") from None


def _read_check(item: dict[str, Any]) -> DeceptionCheck:
    answers = {
        DeceptionQuestion(q): (Answer(a["answer"]), a.get("note", ""))
        for q, a in item.get("answers", {}).items()
        if q in _QUESTIONS  # a later minor's questions are left out
    }
    concern = Concern(item["concern"]) if item.get("concern") else None
    return DeceptionCheck(answers, concern, item.get("note", ""))


_QUESTIONS = {q.value for q in DeceptionQuestion}


def _claim(ids: dict[str, int], uuid: str, where: str) -> None:
    """Number an item by its uuid, which must be unique among its kind."""
    if uuid in ids:
        raise ProjectFileError(f"{where}: the uuid {uuid} is used twice")
    ids[uuid] = len(ids) + 1


def _claim_number(numbers: set[int], number: int, where: str) -> None:
    """A number (0: none given) must be unique among its kind."""
    if number in numbers:
        raise ProjectFileError(f"{where}: the number {number} is used twice")
    if number:
        numbers.add(number)


def _one_line(text: str, where: str) -> str:
    line = " ".join(text.split())
    if not line:
        raise ProjectFileError(f"{where} is blank")
    return line


def _link(
    evidence: Evidence, documents: dict[str, Document], item: dict[str, Any], where: str, notes: list[str]
) -> None:
    """Link an item to its document; a passage that is not where the file says is
    dropped (the link and quote stay) rather than pointing at the wrong words."""
    document = documents.get(item["document"])
    if document is None:
        raise ProjectFileError(f"{where}.document: no document has the uuid {item['document']}")
    evidence.document_id = document.id
    span = item.get("span")
    if span is None:
        return
    start, end = span
    if start < end <= len(document.text) and document.text[start:end] == evidence.quote:
        evidence.span = (start, end)
    else:
        notes.append(
            f"{where.split(': ', 1)[1]}: its passage is not where the file says in “{document.title}”; "
            "the item stays linked to the document without a position."
        )


def _when(text: str | None) -> datetime:
    if text:
        try:
            value = datetime.fromisoformat(text)
            return value if value.tzinfo else value.replace(tzinfo=UTC)
        except ValueError:
            pass
    return utc_now()
