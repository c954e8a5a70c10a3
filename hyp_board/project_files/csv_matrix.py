"""A matrix from any spreadsheet, as CSV (the layout ``reports.csv_report`` writes).

The first column is the evidence, then one column per hypothesis with rating codes
(empty = unrated); the named extra columns are read when present, the score rows after
an empty row are ignored (they are recomputed). Numbers written by Hypothesis Board
(``H2: label`` over a column, ``E7`` in the Number column) are kept. Comma, semicolon or tab separated;
UTF-8, else Windows-1252.
"""

from __future__ import annotations

import csv
import enum
import io
import re
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
from hyp_board.reports.csv_report import EXTRA_COLUMNS, unquote_cell

MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_CELL = 10_000


def read_csv_matrix(path: Path) -> ImportResult:
    path = Path(path)
    name = path.name
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ProjectFileError(f"{name}: too large for a matrix ({MAX_FILE_BYTES // 2**20} MB at most)")
        raw = path.read_bytes()
    except OSError as exc:
        raise ProjectFileError(f"{name}: cannot be read ({exc.strerror or exc})") from exc
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
    hypothesis_numbers: set[int] = set()
    for n, i in enumerate(hyp_columns, start=1):
        label, number = _numbered(_cell_text(header[i], name, 1, i), _HYPOTHESIS_HEADER, hypothesis_numbers)
        data.hypotheses.append(Hypothesis(label, position=n, id=n, number=number))
    evidence_numbers: set[int] = set()
    for r, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            break  # the score rows follow an empty row
        summary = " ".join(_cell_text(row[0] if row else "", name, r, 0).split())
        if not summary:
            raise ProjectFileError(f"{name}: row {r}: the evidence cell is empty")
        number = r - 1  # rows before it all hold evidence: an empty one ends the matrix
        values = {key: (unquote_cell(row[i]).strip() if i < len(row) else "") for i, key in extra.items()}
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
                number=_numbered(values.get("number", ""), _EVIDENCE_NUMBER, evidence_numbers)[1],
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
_HYPOTHESIS_HEADER = re.compile(r"^H([1-9][0-9]{0,8}): (.+)$", re.DOTALL)
_EVIDENCE_NUMBER = re.compile(r"^E([1-9][0-9]{0,8})$()")


def _numbered(text: str, pattern: re.Pattern[str], taken: set[int]) -> tuple[str, int]:
    """The text without its number, and the number (0: none, or one already taken)."""
    match = pattern.match(text.strip())
    if match is None:
        return text, 0
    number = int(match.group(1))
    if number in taken:
        return text, 0
    taken.add(number)
    return match.group(2) or text, number


def _cell_text(text: str, name: str, row: int, column: int) -> str:
    if len(text) > MAX_CELL:
        raise ProjectFileError(
            f"{name}: row {row}, column {column + 1} holds {len(text):,} characters; refused"
        )
    return unquote_cell(text).strip()


E = TypeVar("E", bound=enum.Enum)


def _choice(kind: type[E], text: str | None, default: E) -> E:
    if not text:
        return default
    for member in kind:
        if member.value.casefold() == text.casefold() or member.value[0].casefold() == text.casefold():
            return member
    raise ValueError(f"{text!r} is not one of {', '.join(m.value for m in kind)}")
