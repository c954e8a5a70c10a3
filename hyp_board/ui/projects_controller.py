"""Projects: the switcher in the toolbar, and creating, renaming, duplicating and
deleting them."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QComboBox

from hyp_board.core.matrix import Change
from hyp_board.startup import add_sample_project
from hyp_board.storage import DatabaseError
from hyp_board.ui import settings as keys
from hyp_board.ui.current_project import CurrentProject
from hyp_board.ui.messages import Messages
from hyp_board.ui.plain_text import plain_tooltip
from hyp_board.ui.project_session import ProjectSession
from hyp_board.ui.settings import Settings

if TYPE_CHECKING:
    from hyp_board.storage import Store


class ProjectsController(QObject):
    """Owns the project switcher (:attr:`combo`) and the project commands."""

    created = Signal()  # a new, empty project was opened: time to write its question

    def __init__(
        self,
        store: Store,
        current: CurrentProject,
        settings: Settings,
        messages: Messages,
        flush_editors: Callable[[], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._current = current
        self._settings = settings
        self._messages = messages
        self._flush_editors = flush_editors
        self.combo = QComboBox()
        self.combo.setMinimumContentsLength(18)
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setToolTip("Switch project")
        self.combo.activated.connect(self._chosen)
        current.opened.connect(self._opened)
        current.changed.connect(self._changed)

    def _opened(self, session: ProjectSession) -> None:
        self._settings.set(keys.LAST_PROJECT, session.project_id)
        self.refresh_list()

    def _changed(self, change: Change) -> None:
        if change.project:
            self.refresh_list()

    def edit_project(self, values: dict[str, Any]) -> None:
        """The project panel's fields: title, key question, notes."""
        if self._current.session is not None:
            self._current.session.edit_project(values)

    def open(self, project_id: int) -> None:
        """Open another project, committing what is being typed in the one closing."""
        self._flush_editors()
        self._current.open(project_id)

    def open_initial(self) -> None:
        """The project used last, else the first, else a new empty one."""
        projects = self._store.list_projects()
        if not projects:
            self._current.open(self._store.create_project("Untitled project"))
            return
        last = self._settings.get(keys.LAST_PROJECT)
        ids = [p.id for p in projects]
        self._current.open(last if last in ids else ids[0])

    def refresh_list(self) -> None:
        combo = self.combo
        combo.blockSignals(True)
        combo.clear()
        for p in self._store.list_projects():
            combo.addItem(p.title, p.id)
            combo.setItemData(
                combo.count() - 1,
                plain_tooltip(
                    f"{p.title}\n{_count(p.hypotheses, 'hypothesis', 'hypotheses')}, "
                    f"{_count(p.evidence, 'evidence item', 'evidence items')}\n"
                    f"modified {p.modified_at:%Y-%m-%d %H:%M}"
                ),
                Qt.ItemDataRole.ToolTipRole,
            )
        if self._current.session is not None:
            combo.setCurrentIndex(combo.findData(self._current.session.project_id))
        combo.blockSignals(False)

    def _chosen(self, index: int) -> None:
        project_id = self.combo.itemData(index)
        if self._current.session is None or project_id != self._current.session.project_id:
            self.open(project_id)

    # -- commands ----------------------------------------------------------------------
    def new_project(self) -> None:
        title = self._messages.ask_text("New project", "Title of the new project:")
        if title and self._stored(lambda: self.open(self._store.create_project(title))):
            self.created.emit()

    def open_sample(self) -> None:
        self._stored(lambda: self.open(add_sample_project(self._store)))

    def rename_project(self) -> None:
        session = self._current.session
        if session is None:
            return
        title = self._messages.ask_text("Rename project", "New title:", session.matrix.project.title)
        if title:
            session.edit_project({"title": title})

    def duplicate_project(self) -> None:
        session = self._current.session
        if session is None:
            return
        title = f"{session.matrix.project.title} (copy)"
        if self._stored(lambda: self.open(self._store.duplicate_project(session.project_id, title))):
            self._messages.status(f"Duplicated as “{title}”")

    def delete_project(self) -> None:
        session = self._current.session
        if session is None:
            return
        m = session.matrix
        confirmed = self._messages.confirm(
            f"Delete “{m.project.title}” with its {_count(len(m.hypotheses), 'hypothesis', 'hypotheses')} "
            f"and {_count(len(m.evidence), 'evidence item', 'evidence items')}?",
            "This cannot be undone.",
            action="Delete Project",
            destructive=True,
            title="Delete project",
        )
        if not confirmed:
            return
        self._flush_editors()
        if self._stored(lambda: self._store.delete_project(session.project_id)):
            self._messages.status(f"Deleted “{m.project.title}”")
            self.open_initial()

    def _stored(self, write: Callable[[], object]) -> bool:
        """Make a change to the database; if it cannot be (read-only, disk full…), say
        why, with nothing changed."""
        try:
            write()
        except DatabaseError as exc:
            self._messages.error(str(exc))
            return False
        return True


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"
