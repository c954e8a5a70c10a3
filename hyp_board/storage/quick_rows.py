"""Rows read by :mod:`hyp_board.storage.quick_read` as the core's dataclasses.

The mapping is the store's own (:mod:`hyp_board.storage.rows`, by column name), so
both ways of reading give the same project; only what the ORM's column types do is
done here: date-times from their stored text, cells from their codes.
"""

from __future__ import annotations

import sqlite3
from collections import namedtuple
from collections.abc import Iterable
from typing import Any

from hyp_board.core.model import ProjectData
from hyp_board.storage import rows
from hyp_board.storage.quick_read import stored_datetime

Row = tuple[Any, ...]
_ROW_TYPES: dict[tuple[str, ...], Any] = {}


def named_row(cursor: sqlite3.Cursor, values: Row) -> Any:
    """A row factory: the row's columns by attribute name, as ``rows.py`` reads them."""
    names = tuple(column[0] for column in cursor.description)
    row_type: Any = _ROW_TYPES.get(names)
    if row_type is None:
        row_type = _ROW_TYPES[names] = namedtuple("StoredRow", names)
    return row_type._make(values)


def project_data(
    project: Any,
    likelihood: Iterable[Any],
    hypotheses: Iterable[Any],
    evidence: Iterable[Any],
    cells: Iterable[Row],
    documents: Iterable[Any],
    milestones: Iterable[Any],
    checks: Iterable[Any],
) -> ProjectData:
    stored = project._replace(
        created_at=stored_datetime(project.created_at), modified_at=stored_datetime(project.modified_at)
    )
    loaded = rows.project_from_row(stored)
    loaded.likelihood = {setting.name: setting.value for setting in likelihood}
    return ProjectData(
        loaded,
        [rows.hypothesis_from_row(r) for r in hypotheses],
        [rows.evidence_from_row(r) for r in evidence],
        rows.cells_from_rows(cells),
        [rows.document_from_row(d._replace(imported_at=stored_datetime(d.imported_at))) for d in documents],
        [rows.milestone_from_row(m) for m in milestones],
        {c.document_id: rows.deception_check_from_row(c) for c in checks},
    )
