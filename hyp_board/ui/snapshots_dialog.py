"""The Snapshots dialog: the open project's snapshots, and what can be done with one.

Taking, restoring and deleting a snapshot are not edits of the project (restoring
makes another project; the project itself is untouched), so none is on the undo
stack; deleting asks first. Comparing opens the compare view, where taking something
back from the snapshot is an ordinary, undoable edit.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QStandardPaths, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from hyp_board.core.matrix import Matrix
from hyp_board.core.wording import counted
from hyp_board.project_files.import_result import ProjectFileError
from hyp_board.snapshots import export_snapshot, restore_as_new_project, snapshot_data, take_snapshot
from hyp_board.storage import DatabaseError, SnapshotNotFoundError, SnapshotSummary
from hyp_board.ui import settings as keys
from hyp_board.ui.messages import Messages
from hyp_board.ui.project_session import ProjectSession
from hyp_board.ui.settings import Settings

log = logging.getLogger(__name__)
COLUMNS = ("Name", "Taken", "Kind", "Size")
_FAILURES = (DatabaseError, ProjectFileError, SnapshotNotFoundError, OSError)


def size_text(size: int) -> str:
    return f"{size / 1024:.1f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"


class SnapshotsDialog(QDialog):
    """Lists the snapshots of the session's project, newest first."""

    def __init__(
        self,
        session: ProjectSession,
        settings: Settings,
        messages: Messages,
        compare_with: Callable[[Matrix, str], object],
        open_project: Callable[[int], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ready = False  # until every widget is made
        self.session = session
        self._store = session.store
        self._settings = settings
        self._messages = messages
        self._compare_with = compare_with
        self._open_project = open_project
        self.summaries: list[SnapshotSummary] = []
        self.setWindowTitle("Snapshots")
        self.resize(820, 460)
        intro = QLabel(
            "A snapshot keeps the project as it was at one moment. Automatic ones are taken before "
            "documents are imported or something is taken from a colleague's version, and at every export."
        )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        self.model = QStandardItemModel(0, len(COLUMNS), self)
        self.model.setHorizontalHeaderLabels(list(COLUMNS))
        self.view = QTreeView()
        self.view.setModel(self.model)
        self.view.setRootIsDecorated(False)
        self.view.setUniformRowHeights(True)
        self.view.setAlternatingRowColors(True)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.view.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        # Room between the columns: contents-sized columns would run into each other.
        samples = ("2026-12-31 23:59", "automatic", "999.9 KB")
        for column, sample in enumerate(samples, start=1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, self.fontMetrics().horizontalAdvance(sample) + 28)
        self.view.doubleClicked.connect(lambda _index: self.compare_selected())
        self.footer = QLabel()
        self.footer.setTextFormat(Qt.TextFormat.PlainText)
        self.take_button = QPushButton("&Take Snapshot…")
        self.compare_button = QPushButton("&Compare with Current")
        self.restore_button = QPushButton("&Restore as New Project")
        self.export_button = QPushButton("&Export as .hypboard…")
        self.delete_button = QPushButton("&Delete…")
        close = QPushButton("Close")
        self.take_button.clicked.connect(self.take)
        self.compare_button.clicked.connect(self.compare_selected)
        self.restore_button.clicked.connect(self.restore_selected)
        self.export_button.clicked.connect(self.export_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        close.clicked.connect(self.close)
        self.compare_button.setToolTip("Show the project beside this snapshot; take back what you want")
        self.restore_button.setToolTip("Store the snapshot as a project of its own; this one is not touched")
        buttons = QHBoxLayout()
        for b in (self.take_button, self.compare_button, self.restore_button, self.export_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.delete_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.footer)
        layout.addLayout(buttons)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._enable())
        self.refresh()
        self._ready = True

    # -- showing -------------------------------------------------------------------------
    def event(self, event: QEvent) -> bool:
        # Automatic snapshots are taken while it is open (a take in the compare view,
        # an export): coming back to it shows them.
        if event.type() == QEvent.Type.WindowActivate and getattr(self, "_ready", False):
            chosen = self.selected()
            self.refresh(select=chosen.id if chosen else None)
        return super().event(event)

    def refresh(self, select: int | None = None) -> None:
        try:
            self.summaries = self._store.snapshots(self.session.project_id)
            texts = self._store.snapshot_text_totals()
        except DatabaseError as exc:
            self._messages.error(str(exc))
            self.summaries, texts = [], (0, 0)
        self.model.removeRows(0, self.model.rowCount())
        for s in self.summaries:
            taken = s.taken_at.astimezone().strftime("%Y-%m-%d %H:%M")
            row = [
                QStandardItem(s.name),
                QStandardItem(taken),
                QStandardItem("automatic" if s.automatic else "by hand"),
                QStandardItem(size_text(s.size)),
            ]
            row[0].setToolTip(s.name)
            row[3].setToolTip(
                f"{size_text(s.size)} of its own; it refers to {counted(s.texts, 'document text')} "
                f"({size_text(s.text_size)}), kept once for every snapshot that holds them"
            )
            row[3].setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.model.appendRow(row)
        own = sum(s.size for s in self.summaries)
        self.footer.setText(
            f"{counted(len(self.summaries), 'snapshot')}, {size_text(own)}; the document texts they "
            f"hold take {size_text(texts[1])} in all, each kept once however many snapshots hold it."
            if self.summaries
            else "No snapshots of this project yet."
        )
        row_to_select = next((i for i, s in enumerate(self.summaries) if s.id == select), 0)
        if self.summaries:
            self.view.setCurrentIndex(self.model.index(row_to_select, 0))
        self._enable()

    def _enable(self) -> None:
        chosen = self.selected() is not None
        writable = self._store.read_only is None
        self.take_button.setEnabled(writable)
        for b in (self.compare_button, self.export_button):
            b.setEnabled(chosen)
        for b in (self.restore_button, self.delete_button):
            b.setEnabled(chosen and writable)

    def selected(self) -> SnapshotSummary | None:
        rows = self.view.selectionModel().selectedRows()
        return self.summaries[rows[0].row()] if rows else None

    # -- doing ---------------------------------------------------------------------------
    def take(self) -> None:
        name = self._messages.ask_text("Take snapshot", "Name of the snapshot:", "")
        if name is None:
            return
        try:
            snapshot_id = take_snapshot(self._store, self.session.project_id, name)
        except DatabaseError as exc:
            self._messages.error(str(exc))
            return
        self._messages.status(f"Snapshot “{name}” taken")
        self.refresh(select=snapshot_id)

    def compare_selected(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        try:
            theirs = Matrix(snapshot_data(self._store, chosen.id))
        except _FAILURES as exc:
            self._messages.error(f"The snapshot “{chosen.name}” cannot be read:", str(exc))
            return
        self._compare_with(theirs, f"snapshot “{chosen.name}”")

    def restore_selected(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        try:
            project_id = restore_as_new_project(self._store, chosen.id)
        except _FAILURES as exc:
            self._messages.error(f"The snapshot “{chosen.name}” was not restored:", str(exc))
            return
        self._messages.status(f"Snapshot “{chosen.name}” restored as a new project")
        self.close()
        self._open_project(project_id)

    def export_selected(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        folder = self._settings.get(keys.EXPORT_DIR) or QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        name = re.sub(r"[^\w\- ]+", "", f"{self.session.matrix.project.title} {chosen.name}").strip()[:100]
        chosen_path, _ = QFileDialog.getSaveFileName(
            self,
            "Export snapshot",
            str(Path(folder) / f"{name or 'snapshot'}.hypboard"),
            "Hypothesis Board projects (*.hypboard)",
        )
        if chosen_path:
            path = Path(chosen_path)
            self.export_to(
                chosen, path if path.suffix.lower() == ".hypboard" else path.with_suffix(".hypboard")
            )

    def export_to(self, chosen: SnapshotSummary, path: Path) -> bool:
        try:
            export_snapshot(self._store, chosen.id, path)
        except _FAILURES as exc:
            detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            self._messages.error(f"The snapshot could not be written to {path}:", detail)
            return False
        self._settings.set(keys.EXPORT_DIR, str(path.parent))
        self._messages.status(f"Snapshot “{chosen.name}” written to {path}", 10000)
        return True

    def delete_selected(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        confirmed = self._messages.confirm(
            f"Delete the snapshot “{chosen.name}”?",
            "Deleting a snapshot cannot be undone. The project itself is not changed.",
            action="Delete Snapshot",
            destructive=True,
            title="Delete snapshot",
        )
        if not confirmed:
            return
        try:
            self._store.delete_snapshot(chosen.id)
        except (DatabaseError, SnapshotNotFoundError) as exc:
            self._messages.error(str(exc))
        self.refresh()
