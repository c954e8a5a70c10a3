"""The journal as a table, newest first, read a page at a time as the view scrolls.

A project's journal can hold 100,000 entries: the model counts them (one indexed
query) and holds only the pages read so far; the view asks for more with
``fetchMore`` as it scrolls towards the end.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from html import escape
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from hyp_board.core.journal_entries import ChangeKind, JournalEntry
from hyp_board.core.journal_text import describe_change, short

if TYPE_CHECKING:
    from hyp_board.storage import Store

Index = QModelIndex | QPersistentModelIndex
PAGE = 200


class HistoryColumn(enum.IntEnum):
    # What changed and how first: a panel beside the matrix is narrow.
    WHEN = 0
    ITEM = 1
    VALUES = 2
    CHANGE = 3
    LABEL = 4
    REASON = 5
    COMMAND = 6


_HEADERS = {
    HistoryColumn.WHEN: "When",
    HistoryColumn.CHANGE: "Change",
    HistoryColumn.ITEM: "Item",
    HistoryColumn.LABEL: "Label",
    HistoryColumn.VALUES: "Before → after",
    HistoryColumn.REASON: "Reason",
    HistoryColumn.COMMAND: "Command",
}


@dataclass(frozen=True)
class HistoryFilter:
    """What the panel's filters ask for; every part optional."""

    item: str | None = None
    hypothesis: str | None = None
    kinds: frozenset[ChangeKind] | None = None
    since: datetime | None = None

    def arguments(self) -> dict[str, Any]:
        return {"item": self.item, "hypothesis": self.hypothesis, "kinds": self.kinds, "since": self.since}


def local_time(at: datetime | None) -> str:
    return "" if at is None else at.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def short_time(at: datetime | None, now: datetime | None = None) -> str:
    """The time alone today, the day and time this year, the date before."""
    if at is None:
        return ""
    local = at.astimezone()
    now = (now or datetime.now(local.tzinfo)).astimezone()
    if local.date() == now.date():
        return local.strftime("%H:%M:%S")
    if local.year == now.year:
        return local.strftime("%d %b %H:%M")
    return local.strftime("%Y-%m-%d")


class HistoryModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._store: Store | None = None
        self._project_id = 0
        self._filter = HistoryFilter()
        self._entries: list[JournalEntry] = []
        self._total = 0

    # -- what is shown -----------------------------------------------------------------------
    def show_project(self, store: Store | None, project_id: int, where: HistoryFilter | None = None) -> None:
        """Read the journal of *project_id* afresh: the count and the first page."""
        self.beginResetModel()
        self._store, self._project_id = store, project_id
        if where is not None:
            self._filter = where
        self._entries, self._total = [], 0
        if store is not None and project_id:
            arguments = self._filter.arguments()
            self._total = store.count_journal(project_id, **arguments)
            self._entries = store.journal(project_id, **arguments, limit=PAGE)
        self.endResetModel()

    def set_filter(self, where: HistoryFilter) -> None:
        self.show_project(self._store, self._project_id, where)

    def reload(self) -> None:
        self.show_project(self._store, self._project_id)

    @property
    def total(self) -> int:
        """How many entries the filter matches (not only those read so far)."""
        return self._total

    def entry(self, row: int) -> JournalEntry:
        return self._entries[row]

    def replace_entry(self, row: int, entry: JournalEntry) -> None:
        self._entries[row] = entry
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(HistoryColumn) - 1))

    # -- paging ------------------------------------------------------------------------------
    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008 - Qt's signature
        return not parent.isValid() and len(self._entries) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._store is None:
            return
        page = self._store.journal(
            self._project_id, **self._filter.arguments(), limit=PAGE, offset=len(self._entries)
        )
        if not page:
            self._total = len(self._entries)  # entries went away meanwhile (a project deleted)
            return
        start = len(self._entries)
        self.beginInsertRows(QModelIndex(), start, start + len(page) - 1)
        self._entries.extend(page)
        self.endInsertRows()

    # -- the table ---------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HistoryColumn)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _HEADERS[HistoryColumn(section)]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._entries):
            return None
        entry = self._entries[index.row()]
        column = HistoryColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(entry, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tooltip(entry)
        return None

    @staticmethod
    def _text(entry: JournalEntry, column: HistoryColumn) -> str:
        if column is HistoryColumn.WHEN:
            return short_time(entry.at)
        if column is HistoryColumn.CHANGE:
            return entry.kind.label
        if column is HistoryColumn.ITEM:
            return entry.target if entry.item else "Project"
        if column is HistoryColumn.LABEL:
            return short(entry.label, 60) if entry.label else ""
        if column is HistoryColumn.VALUES:
            return describe_change(entry)
        if column is HistoryColumn.REASON:
            return short(entry.reason, 60) if entry.reason else ""
        return entry.action


def _tooltip(entry: JournalEntry) -> str:
    # Our own markup around the analyst's text, escaped: never taken for markup.
    lines = [
        f"<b>{escape(entry.kind.label)} {escape(entry.target)}</b>",
        escape(entry.label),
        escape(describe_change(entry)),
    ]
    if entry.action:
        lines.append(f"Command: {escape(entry.action)}")
    if entry.reason:
        lines.append(f"Reason: {escape(entry.reason)}")
    lines.append(escape(local_time(entry.at)))
    return "<p>" + "<br>".join(line for line in lines if line) + "</p>"
