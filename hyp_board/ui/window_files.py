"""The main window's handling of files: opening and dropping project files, comparing
with a colleague's version, and exporting."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QMainWindow, QMessageBox

from hyp_board import APP_NAME
from hyp_board.core.matrix import Matrix
from hyp_board.ingest.importer import DOCUMENT_SUFFIXES
from hyp_board.project_files.import_result import ProjectFileError
from hyp_board.sharing import OPEN_FILTER, read_any, store_imported
from hyp_board.ui.compare_view import CompareDialog


def is_document_file(path: Path) -> bool:
    return path.suffix.lower() in DOCUMENT_SUFFIXES


@contextmanager
def busy(window: QMainWindow, message: str) -> Iterator[None]:
    """A wait cursor and a status message around work that takes a moment (a large
    file can take seconds to check)."""
    window.statusBar().showMessage(message)
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    QApplication.processEvents()  # show them before the work starts
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()
        window.statusBar().clearMessage()


class FileHandling:
    """Part of :class:`~hyp_board.ui.main_window.MainWindow` (a mixin, for a file that
    reads in one sitting)."""

    # -- project files ---------------------------------------------------------------------
    def ask_for_files(self, title: str, folder_setting: str, file_filter: str) -> list[Path]:
        """A file dialog that starts where the last one of its kind was left."""
        folder = self.settings.value(folder_setting, "")
        names, _ = QFileDialog.getOpenFileNames(self, title, str(folder), file_filter)
        if names:
            self.settings.setValue(folder_setting, str(Path(names[0]).parent))
        return [Path(n) for n in names]

    def choose_files_to_open(self) -> None:
        if paths := self.ask_for_files("Open project files", "open_dir", OPEN_FILTER):
            self.import_files(paths)

    def import_files(self, paths: list[Path]) -> None:
        """Import project files (from the menu, a drop, or the command line); open the last.

        A file holding a project you already have (the same identity) can instead be
        compared with yours.
        """
        self._flush_editors()
        opened, problems, notes, count = None, [], [], 0
        for path in paths:
            try:
                with busy(self, f"Reading {path.name}…"):
                    result = read_any(path)
            except ProjectFileError as exc:
                problems.append(str(exc))
                continue
            same = self.store.projects_with_uuid(result.data.project.uuid)
            choice = self._ask_compare_or_copy(path, same[0].title) if same else "copy"
            if choice == "compare":
                self.open_project(same[0].id)
                self.compare_with(Matrix(result.data), path.name)
                opened = None
                continue
            if choice == "copy":
                with busy(self, f"Storing {path.name}…"):
                    opened, file_notes = store_imported(self.store, result)
                notes += file_notes
                count += 1
        if opened is not None:
            self.open_project(opened)
            self.statusBar().showMessage(f"Imported {count} project file{'s' if count != 1 else ''}", 10000)
        if problems or notes:
            text = "\n\n".join(
                (
                    [f"Not imported (your projects are unchanged):\n{chr(10).join(problems)}"]
                    if problems
                    else []
                )
                + notes
            )
            (QMessageBox.warning if problems else QMessageBox.information)(self, APP_NAME, text)

    def _ask_compare_or_copy(self, path: Path, title: str) -> str:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            APP_NAME,
            f"{path.name} is a version of your project “{title}”.",
            parent=self,
        )
        box.setInformativeText(
            "Compare it with yours (and take what you want from it), or keep it as a separate copy?"
        )
        compare_button = box.addButton("Compare with Yours", QMessageBox.ButtonRole.AcceptRole)
        copy_button = box.addButton("Import as a Separate Copy", QMessageBox.ButtonRole.ActionRole)
        box.addButton("Skip", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(compare_button)
        box.exec()
        clicked = box.clickedButton()
        return "compare" if clicked is compare_button else ("copy" if clicked is copy_button else "skip")

    def choose_file_to_compare(self) -> None:
        if self.session is None:
            return
        name, _ = QFileDialog.getOpenFileName(
            self, "Compare with a project file", str(self.settings.value("open_dir", "")), OPEN_FILTER
        )
        if not name:
            return
        try:
            with busy(self, f"Reading {Path(name).name}…"):
                result = read_any(Path(name))
        except ProjectFileError as exc:
            QMessageBox.warning(self, APP_NAME, str(exc))
            return
        self.compare_with(Matrix(result.data), Path(name).name)

    def compare_with(self, theirs: Matrix, source: str) -> CompareDialog | None:
        if self.session is None:
            return None
        self._close_compare()
        self._compare = CompareDialog(self.session, theirs, source, self)
        self._compare.show()
        return self._compare

    def _close_compare(self) -> None:
        if self._compare is not None:
            self._compare.close()
            self._compare.deleteLater()
            self._compare = None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            # Documents (text, Markdown, HTML) join the open project; anything else is
            # taken for a project file. After the drop returns, so the file manager is
            # not kept waiting on dialogs.
            documents = [p for p in paths if is_document_file(p)]
            projects = [p for p in paths if not is_document_file(p)]
            if documents:
                QTimer.singleShot(0, lambda: self.import_documents(documents))
            if projects:
                QTimer.singleShot(0, lambda: self.import_files(projects))

    def export(self, kind: str) -> Path | None:
        if self.session is None:
            return None
        self._flush_editors()
        return self.exporter.export(kind, self.session.matrix)

    def print_preview(self) -> None:
        if self.session is not None:
            self._flush_editors()
            self.exporter.print_preview(self.session.matrix)
