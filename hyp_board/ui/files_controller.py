"""Project files: opening them (from the menu, a drop or the command line), comparing
with a colleague's version, and exporting the open project."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget

from hyp_board.core.conclusion_history import conclusion_history
from hyp_board.core.matrix import Matrix
from hyp_board.export_formats import ExportOptions
from hyp_board.project_files.import_result import ProjectFileError
from hyp_board.storage import DatabaseError
from hyp_board.ui import settings as keys
from hyp_board.ui.current_project import CurrentProject
from hyp_board.ui.export import Exporter
from hyp_board.ui.messages import Choice, Messages, Role
from hyp_board.ui.settings import Setting, Settings

if TYPE_CHECKING:  # the file readers and the comparison load when first used, not at start
    from hyp_board.storage import Store
    from hyp_board.ui.compare_view import CompareDialog


@contextmanager
def busy(messages: Messages, message: str) -> Iterator[None]:
    """A wait cursor and a status message around work that takes a moment (a large
    file can take seconds to check)."""
    messages.status(message, 0)
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    QApplication.processEvents()  # show them before the work starts
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()
        messages.clear_status()


def ask_for_files(
    parent: QWidget, settings: Settings, title: str, folder: Setting[str], filter_: str
) -> list[Path]:
    """A file dialog that starts where the last one of its kind was left."""
    names, _ = QFileDialog.getOpenFileNames(parent, title, settings.get(folder), filter_)
    if names:
        settings.set(folder, str(Path(names[0]).parent))
    return [Path(n) for n in names]


class ProjectFilesController(QObject):
    exported = Signal(str)  # the kind of file written ("pdf", "markdown", …)

    def __init__(
        self,
        store: Store,
        current: CurrentProject,
        settings: Settings,
        messages: Messages,
        open_project: Callable[[int], None],
        flush_editors: Callable[[], None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._current = current
        self._settings = settings
        self._messages = messages
        self._open_project = open_project
        self._flush_editors = flush_editors
        self._parent = parent
        self.exporter = Exporter(parent, settings, messages)
        self.compare_dialog: CompareDialog | None = None
        current.opened.connect(lambda _session: self.close_compare())  # it belonged to the old project

    # -- opening -----------------------------------------------------------------------
    def choose_files_to_open(self) -> None:
        from hyp_board.sharing import OPEN_FILTER

        if paths := ask_for_files(
            self._parent, self._settings, "Open project files", keys.OPEN_DIR, OPEN_FILTER
        ):
            self.import_files(paths)

    def import_files(self, paths: list[Path]) -> None:
        """Import project files; open the last one imported.

        A file holding a project you already have (the same identity) can instead be
        compared with yours.
        """
        from hyp_board.sharing import read_any, store_imported

        self._flush_editors()
        opened, problems, notes, count = None, [], [], 0
        for path in paths:
            try:
                with busy(self._messages, f"Reading {path.name}…"):
                    result = read_any(path)
            except ProjectFileError as exc:
                problems.append(str(exc))
                continue
            same = self._store.projects_with_uuid(result.data.project.uuid)
            choice = self.ask_compare_or_copy(path, same[0].title) if same else "copy"
            if choice == "compare":
                self._open_project(same[0].id)
                self.compare_with(Matrix(result.data), path.name)
                opened = None
            elif choice == "copy":
                try:
                    with busy(self._messages, f"Storing {path.name}…"):
                        opened, file_notes = store_imported(self._store, result, path.name)
                except DatabaseError as exc:  # read-only, disk full…: this file not stored
                    problems.append(f"{path.name}: {exc}")
                    continue
                notes += file_notes
                count += 1
        if opened is not None:
            self._open_project(opened)
            self._messages.status(f"Imported {count} project file{'s' if count != 1 else ''}")
        if problems:
            self._messages.warning(
                "Not imported (your projects are unchanged):", "\n\n".join(problems + notes)
            )
        elif notes:
            self._messages.info("\n\n".join(notes))

    def ask_compare_or_copy(self, path: Path, title: str) -> str:
        return (
            self._messages.choose(
                f"{path.name} is a version of your project “{title}”.",
                "Compare it with yours (and take what you want from it), or keep it as a separate copy?",
                [
                    Choice("compare", "Compare with Yours", Role.ACCEPT),
                    Choice("copy", "Import as a Separate Copy", Role.ACTION),
                    Choice("skip", "Skip", Role.REJECT),
                ],
                default="compare",
            )
            or "skip"
        )

    # -- comparing -----------------------------------------------------------------------
    def choose_file_to_compare(self) -> None:
        if self._current.session is None:
            return
        from hyp_board.sharing import OPEN_FILTER, read_any

        name, _ = QFileDialog.getOpenFileName(
            self._parent, "Compare with a project file", self._settings.get(keys.OPEN_DIR), OPEN_FILTER
        )
        if not name:
            return
        try:
            with busy(self._messages, f"Reading {Path(name).name}…"):
                result = read_any(Path(name))
        except ProjectFileError as exc:
            self._messages.warning(str(exc))
            return
        self.compare_with(Matrix(result.data), Path(name).name)

    def compare_with(self, theirs: Matrix, source: str) -> CompareDialog | None:
        if self._current.session is None:
            return None
        self.close_compare()
        from hyp_board.ui.compare_view import CompareDialog

        self.compare_dialog = CompareDialog(self._current.session, theirs, source, self._parent)
        self.compare_dialog.show()
        return self.compare_dialog

    def close_compare(self) -> None:
        if self.compare_dialog is not None:
            self.compare_dialog.close()
            self.compare_dialog.deleteLater()
            self.compare_dialog = None

    # -- exporting -----------------------------------------------------------------------
    def export(self, kind: str) -> Path | None:
        session = self._current.session
        if session is None:
            return None
        self._flush_editors()

        def with_history() -> ExportOptions:
            if kind == "hypboard":
                from hyp_board.snapshots import history_for_export

                return ExportOptions(
                    history=history_for_export(self._store, session.project_id, session.matrix.to_data())
                )
            journal = self._store.journal(session.project_id)
            return ExportOptions(conclusion=conclusion_history(session.matrix, journal))

        path = self.exporter.export(kind, session.matrix, with_history)
        if path is not None:
            self.exported.emit(kind)  # may mark the report step done: before the snapshot
            # What a reader was sent can always be found again.
            session.snapshot_automatically(f"Exported {path.name}")
        return path

    def print_preview(self) -> None:
        if self._current.session is not None:
            self._flush_editors()
            self.exporter.print_preview(self._current.session.matrix)
