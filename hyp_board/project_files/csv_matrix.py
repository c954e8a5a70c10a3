"""A matrix from any spreadsheet, as CSV (the layout ``reports.csv_report`` writes).

The first column is the evidence, then one column per hypothesis with rating codes
(empty = unrated); the named extra columns are read when present, the score rows after
an empty row are ignored (they are recomputed). Comma, semicolon or tab separated;
UTF-8, else Windows-1252.
"""

from __future__ import annotations

import csv
import enum
import io
from pathlib import Path
from typing import TypeVar

from hyp_board.core.model import (
    Cell,
    Evidence,
    EvidenceType,
    Hypothesis,
    Level,
    Project,
    ProjectData,
    Rating,
    normalise_date,
)
from hyp_board.project_files.import_result import ImportResult, ProjectFileError
from hyp_board.reports.csv_report import EXTRA_COLUMNS
from hyp_board.safe_read import FileTooLarge, UnreadableFile, read_limited

MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_CELL = 10_000


def read_csv_matrix(path: Path) -> ImportResult:
    path = Path(path)
    name = path.name
    try:
        raw = read_limited(path, MAX_FILE_BYTES)
    except FileTooLarge:
        limit = MAX_FILE_BYTES // 2**20
        raise ProjectFileError(f"{name}: too large for a matrix ({limit} MB at most)") from None
    except UnreadableFile as exc:
        raise ProjectFileError(f"{name}: {exc}") from None
    return parse_csv_matrix(raw, name, title=path.stem)


def parse_csv_matrix(raw: bytes, name: str = "matrix.csv", title: str = "Imported matrix") -> ImportResult:
    notes: list[str] = []
    if b"\x00" in raw[:4096]:
        raise ProjectFileError(f"{name}: not a text file (it holds binary data)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
        notes.append("Not UTF-8: read as Windows-1252; check accented letters.")
    if not text.strip():
        raise ProjectFileError(f"{name}: the file is empty")
    sample = text[:65536]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = list(csv.reader(io.StringIO(text), dialect))
    except csv.Error as exc:
        raise ProjectFileError(f"{name}: not readable CSV ({exc})") from None
    header = [c.strip() for c in rows[0]]
    if len(header) < 2:
        raise ProjectFileError(
            f"{name}: the first row must name the evidence column and at least one hypothesis"
        )
    extra = {i: c.casefold() for i, c in enumerate(header) if c.casefold() in _EXTRA}
    hyp_columns = [i for i in range(1, len(header)) if i not in extra and header[i]]
    if not hyp_columns:
        raise ProjectFileError(f"{name}: no hypothesis columns in the first row")
    if len(hyp_columns) > 1000 or len(rows) > 100_001:
        raise ProjectFileError(f"{name}: too many rows or columns for a matrix")
    data = ProjectData(Project(title=" ".join(title.split()) or "Imported matrix"))
    for n, i in enumerate(hyp_columns, start=1):
        data.hypotheses.append(Hypothesis(_cell_text(header[i], name, 1, i), position=n, id=n))
    for r, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            break  # the score rows follow an empty row
        summary = " ".join(_cell_text(row[0] if row else "", name, r, 0).split())
        if not summary:
            raise ProjectFileError(f"{name}: row {r}: the evidence cell is empty")
        number = r - 1  # rows before it all hold evidence: an empty one ends the matrix
        values = {key: (row[i].strip() if i < len(row) else "") for i, key in extra.items()}
        try:
            evidence = Evidence(
                summary,
                source=values.get("source", ""),
                date=normalise_date(values.get("date", "")),
                kind=_choice(EvidenceType, values.get("type"), EvidenceType.REPORT),
                credibility=_choice(Level, values.get("credibility"), Level.MEDIUM),
                relevance=_choice(Level, values.get("relevance"), Level.MEDIUM),
                included=values.get("included", "yes").casefold() not in ("no", "false", "0", "excluded"),
                position=number,
                id=number,
            )
        except ValueError as exc:
            raise ProjectFileError(f"{name}: row {r}: {exc}") from None
        data.evidence.append(evidence)
        for n, i in enumerate(hyp_columns, start=1):
            code = row[i].strip() if i < len(row) else ""
            if code:
                try:
                    data.cells[(number, n)] = Cell(Rating.parse(code))
                except ValueError:
                    column = header[i][:40]
                    raise ProjectFileError(
                        f"{name}: row {r}, column “{column}”: {code[:20]!r} is not CC, C, N, I, II or NA"
                    ) from None
    if not data.evidence:
        raise ProjectFileError(f"{name}: no evidence rows under the header")
    return ImportResult(data, notes)


_EXTRA = {c.casefold() for c in EXTRA_COLUMNS}


def _cell_text(text: str, name: str, row: int, column: int) -> str:
    if len(text) > MAX_CELL:
        raise ProjectFileError(
            f"{name}: row {row}, column {column + 1} holds {len(text):,} characters; refused"
        )
    return text.strip()


E = TypeVar("E", bound=enum.Enum)


def _choice(kind: type[E], text: str | None, default: E) -> E:
    if not text:
        return default
    for member in kind:
        if member.value.casefold() == text.casefold() or member.value[0].casefold() == text.casefold():
            return member
    raise ValueError(f"{text!r} is not one of {', '.join(m.value for m in kind)}")
