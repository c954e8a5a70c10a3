"""A matrix from any spreadsheet, as CSV (the layout ``reports.csv_report`` writes).

The first column is the evidence, then one column per hypothesis with rating codes
(empty = unrated); the named extra columns are read when present, the score rows after
an empty row are ignored (they are recomputed). Comma, semicolon or tab separated;
UTF-8, else Windows-1252. A marking row above the header (``Marking, SECRET``) gives
the project its classification and caveats.
"""

from __future__ import annotations

import codecs
import csv
import enum
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

from hyp_board.core.method import MAX_MARKING_CHARS
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
from hyp_board.core.text import clean_line, clean_project, cleaning_note
from hyp_board.project_files.import_result import MAX_RATINGS, ImportResult, ProjectFileError
from hyp_board.reports.csv_report import EXTRA_COLUMNS, MARKING_LABEL, unquote_cell
from hyp_board.safe_read import FileTooLarge, UnreadableFile, read_limited

MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_CELL = 10_000  # characters
MAX_LINE = 1_000_000  # characters: room for a thousand columns of long text
MAX_ROWS = 100_000
MAX_HYPOTHESES = 1000


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
    """Read a matrix row by row, refusing the file as soon as it passes a limit."""
    notes: list[str] = []
    if b"\x00" in raw[:4096]:
        raise ProjectFileError(f"{name}: not a text file (it holds binary data)")
    encoding = "utf-8-sig" if _is_utf8(raw) else "cp1252"
    if encoding == "cp1252":
        notes.append("Not UTF-8: read as Windows-1252; check accented letters.")
    if not raw.strip():
        raise ProjectFileError(f"{name}: the file is empty")
    text = io.TextIOWrapper(io.BytesIO(raw), encoding=encoding, errors="replace", newline="")
    sample = raw[:65536].decode(encoding, errors="ignore")
    rows = csv.reader(_lines(text, name), delimiter=_delimiter(sample))
    try:
        return _read_rows(rows, name, title, notes)
    except csv.Error as exc:
        raise ProjectFileError(f"{name}: not readable CSV ({exc})") from None


def read_marking_row(row: list[str]) -> tuple[str, str] | None:
    """(classification, caveats) from a marking row ``Marking, SECRET // NOFORN``;
    None when the row is not one."""
    cells = [c for c in row if c]
    if not cells or cells[0] != MARKING_LABEL or len(cells) > 2:
        return None
    text = cells[1] if len(cells) == 2 else ""
    classification, _, caveats = text.partition("//")
    return clean_line(classification)[:MAX_MARKING_CHARS], clean_line(caveats)[:MAX_MARKING_CHARS]


def _is_utf8(raw: bytes) -> bool:
    """Whether *raw* is UTF-8, checked a megabyte at a time (no copy of the whole text)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for start in range(0, len(raw), 1 << 20):
            decoder.decode(raw[start : start + (1 << 20)])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _delimiter(sample: str) -> str:
    """Comma, semicolon or tab: whichever the header row uses most, outside quotes.

    (csv.Sniffer's quote-guessing expressions take minutes on some 64 KB samples.)
    """
    lines = sample.split("\n", 3)
    # A marking row (see csv_report) above the header says nothing of the delimiter.
    header = lines[0]
    if header.lstrip("\ufeff").startswith(MARKING_LABEL) and len(lines) > 2:
        header = lines[1] if lines[1].strip() else lines[2]
    unquoted = "".join(header.split('"')[::2])  # the parts between pairs of quotes
    counts = {d: unquoted.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=counts.__getitem__)
    return best if counts[best] else ","


def _lines(text: io.TextIOWrapper, name: str) -> Iterator[str]:
    """The file's lines, none longer than :data:`MAX_LINE` (a row of a million empty
    cells would otherwise be built whole before it could be counted)."""
    number = 0
    while line := text.readline(MAX_LINE + 1):
        number += 1
        if len(line) > MAX_LINE:
            raise ProjectFileError(f"{name}: line {number:,} is longer than {MAX_LINE:,} characters; refused")
        yield line.replace("\x00", "")


def _read_rows(rows: Iterator[list[str]], name: str, title: str, notes: list[str]) -> ImportResult:
    first = [unquote_cell(c).strip() for c in next(rows, [])]
    marking = read_marking_row(first)
    skipped = 0  # rows above the header: the marking, and the empty row after it
    if marking is not None:
        first = []
        while not any(first):
            first = [unquote_cell(c).strip() for c in next(rows, [""])]
            skipped += 1
            if skipped > 3:
                raise ProjectFileError(f"{name}: no header row under the marking")
    header = first
    if len(header) < 2:
        raise ProjectFileError(
            f"{name}: the first row must name the evidence column and at least one hypothesis"
        )
    extra = {i: c.casefold() for i, c in enumerate(header) if c.casefold() in _EXTRA}
    hyp_columns = [i for i in range(1, len(header)) if i not in extra and header[i]]
    if not hyp_columns:
        raise ProjectFileError(f"{name}: no hypothesis columns in the first row")
    if len(hyp_columns) > MAX_HYPOTHESES:
        raise ProjectFileError(f"{name}: {len(hyp_columns):,} hypothesis columns; {MAX_HYPOTHESES:,} at most")
    data = ProjectData(Project(title=" ".join(title.split()) or "Imported matrix"))
    if marking is not None:
        data.project.classification, data.project.caveats = marking
    hypothesis_numbers: set[int] = set()
    for n, i in enumerate(hyp_columns, start=1):
        label, number = _numbered(_cell_text(header[i], name, 1, i), _HYPOTHESIS_HEADER, hypothesis_numbers)
        data.hypotheses.append(Hypothesis(label, position=n, id=n, number=number))
    evidence_numbers: set[int] = set()
    for r, cells in enumerate(rows, start=2 + skipped):
        row = [unquote_cell(c) for c in cells]  # cells we wrote as text: see csv_report
        if not any(c.strip() for c in row):
            break  # the score rows follow an empty row
        number = r - 1 - skipped  # rows before it all hold evidence: an empty one ends the matrix
        if number > MAX_ROWS:
            raise ProjectFileError(f"{name}: more than {MAX_ROWS:,} evidence rows; refused")
        data.evidence.append(_evidence(row, extra, name, r, number, evidence_numbers))
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
        if len(data.cells) > MAX_RATINGS:
            raise ProjectFileError(f"{name}: more than {MAX_RATINGS:,} ratings; refused")
    if not data.evidence:
        raise ProjectFileError(f"{name}: no evidence rows under the header")
    notes.extend(cleaning_note(clean_project(data)))
    return ImportResult(data, notes)


def _evidence(
    row: list[str], extra: dict[int, str], name: str, r: int, number: int, taken: set[int]
) -> Evidence:
    summary = " ".join(_cell_text(row[0] if row else "", name, r, 0).split())
    if not summary:
        raise ProjectFileError(f"{name}: row {r}: the evidence cell is empty")
    values = {key: (_cell_text(row[i], name, r, i) if i < len(row) else "") for i, key in extra.items()}
    try:
        return Evidence(
            summary,
            source=values.get("source", ""),
            date=normalise_date(values.get("date", "")),
            kind=_choice(EvidenceType, values.get("type"), EvidenceType.REPORT),
            credibility=_choice(Level, values.get("credibility"), Level.MEDIUM),
            relevance=_choice(Level, values.get("relevance"), Level.MEDIUM),
            included=values.get("included", "yes").casefold() not in ("no", "false", "0", "excluded"),
            position=number,
            id=number,
            number=_numbered(values.get("number", ""), _EVIDENCE_NUMBER, taken)[1],
        )
    except ValueError as exc:
        raise ProjectFileError(f"{name}: row {r}: {exc}") from None


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
    return text.strip()


E = TypeVar("E", bound=enum.Enum)


def _choice(kind: type[E], text: str | None, default: E) -> E:
    if not text:
        return default
    for member in kind:
        if member.value.casefold() == text.casefold() or member.value[0].casefold() == text.casefold():
            return member
    raise ValueError(f"{text!r} is not one of {', '.join(m.value for m in kind)}")
