"""The panels around the matrix: the documents and their reading pane, the inspector,
the project's details, the analysis and the history of changes.

On a first start they are arranged for the screen: beside the matrix on both sides
where there is room, tabbed together on one side on a laptop screen, so the matrix
with every hypothesis column comes first. The View menu (and F6, F7, F8, F9) shows and
hides them, and *Focus on Matrix* puts them all away and brings them back.

The Analysis panel, behind another tab at start, is built the first time it is shown
(or asked for), so the window paints its matrix sooner.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QObject, QSize, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMainWindow, QTabBar, QTabWidget, QWidget

from hyp_board.ui import settings as keys
from hyp_board.ui.checklist_panel import MethodChecklist, ProjectTab
from hyp_board.ui.documents_panel import DocumentsPanel
from hyp_board.ui.history_panel import HistoryPanel
from hyp_board.ui.inspector import Inspector, ProjectPanel
from hyp_board.ui.reading_pane import ReadingPane
from hyp_board.ui.settings import Settings

if TYPE_CHECKING:
    from hyp_board.ui.analysis_panel import AnalysisPanel

# Below this available width (logical pixels) the panels share one side: 1366 × 768,
# 1280 × 720 and a 1920 × 1080 panel at 125 % (1536 × 864) are laptop screens.
WIDE_SCREEN = 1600
_DOCK_MIN_WIDTH = 220


class Panels(QObject):
    """Creates the panels' docks and the actions that show and hide them."""

    analysis_panel_built = Signal(object)  # the AnalysisPanel, the moment it exists

    def __init__(
        self, window: QMainWindow, settings: Settings, import_action: QAction, paste_action: QAction
    ) -> None:
        super().__init__(window)
        self._window = window
        self._settings = settings
        self._switching = False  # hiding or showing several docks in one go
        window.setDockOptions(
            QMainWindow.DockOption.AnimatedDocks
            | QMainWindow.DockOption.AllowTabbedDocks
            | QMainWindow.DockOption.AllowNestedDocks
        )
        window.setTabPosition(Qt.DockWidgetArea.AllDockWidgetAreas, QTabWidget.TabPosition.North)
        self.inspector = Inspector()
        self.project_panel = ProjectPanel()
        self.checklist = MethodChecklist()
        self.documents_panel = DocumentsPanel(import_action, paste_action)
        self.reading_pane = ReadingPane()
        self._analysis_panel: AnalysisPanel | None = None
        self.history_panel = HistoryPanel()
        self.inspector_dock = self._dock("Inspector", "inspector", self.inspector)
        self.project_dock = self._dock("Project", "project", ProjectTab(self.project_panel, self.checklist))
        self.documents_dock = self._dock("Documents", "documents", self.documents_panel)
        self.reading_dock = self._dock("Reading", "reading", self.reading_pane)
        self.analysis_dock = self._dock("Analysis", "analysis", QWidget())  # (until first shown)
        self.analysis_dock.visibilityChanged.connect(self._analysis_visible)
        self.history_dock = self._dock("History", "history", self.history_panel)
        self.arrange_wide()  # a first start rearranges them for its screen
        self._make_actions()

    @property
    def analysis_panel(self) -> AnalysisPanel:
        """The Analysis panel, built now if it has not been shown before."""
        if self._analysis_panel is None:
            from hyp_board.ui.analysis_panel import AnalysisPanel

            panel = self._analysis_panel = AnalysisPanel()
            panel.setMinimumWidth(_DOCK_MIN_WIDTH)
            placeholder = self.analysis_dock.widget()
            self.analysis_dock.setWidget(panel)
            placeholder.deleteLater()
            self.analysis_panel_built.emit(panel)
        return self._analysis_panel

    def _analysis_visible(self, visible: bool) -> None:
        if visible:
            self.analysis_panel  # noqa: B018 (built on first showing)

    @property
    def docks(self) -> list[QDockWidget]:
        return [
            self.inspector_dock,
            self.project_dock,
            self.analysis_dock,
            self.documents_dock,
            self.reading_dock,
            self.history_dock,
        ]

    def _dock(self, title: str, name: str, widget: QWidget) -> QDockWidget:
        dock = QDockWidget(title, self._window)
        dock.setObjectName(name)  # saveState() finds docks by name
        dock.setWidget(widget)
        # Narrow enough to give way to the matrix: the panels' contents wrap or scroll.
        widget.setMinimumWidth(_DOCK_MIN_WIDTH)
        return dock

    # -- arrangements ------------------------------------------------------------------------
    def arrange_for(self, available: QSize) -> None:
        """The first start's arrangement for a screen (or window) of this size."""
        if available.width() >= WIDE_SCREEN:
            self.arrange_wide(available.width())
        else:
            self.arrange_compact(available.width())

    def arrange_wide(self, width: int = WIDE_SCREEN) -> None:
        """Documents over the reading pane on the left, inspector and project on the right."""
        w = self._window
        for dock in self.docks:
            w.removeDockWidget(dock)
        right, left = Qt.DockWidgetArea.RightDockWidgetArea, Qt.DockWidgetArea.LeftDockWidgetArea
        w.addDockWidget(right, self.inspector_dock)
        w.tabifyDockWidget(self.inspector_dock, self.project_dock)
        w.tabifyDockWidget(self.inspector_dock, self.analysis_dock)
        w.tabifyDockWidget(self.inspector_dock, self.history_dock)
        w.addDockWidget(left, self.documents_dock)
        w.addDockWidget(left, self.reading_dock)
        w.splitDockWidget(self.documents_dock, self.reading_dock, Qt.Orientation.Vertical)
        for dock in self.docks:
            dock.show()
        self.inspector_dock.raise_()
        w.resizeDocks([self.documents_dock, self.reading_dock], [130, 600], Qt.Orientation.Vertical)
        side = max(300, min(420, width // 5))
        w.resizeDocks([self.reading_dock, self.inspector_dock], [side, side - 40], Qt.Orientation.Horizontal)

    def arrange_compact(self, width: int) -> None:
        """Every panel tabbed on the right, about a quarter of the width: the matrix first."""
        w = self._window
        for dock in self.docks:
            w.removeDockWidget(dock)
        w.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.inspector_dock)
        for dock in (
            self.project_dock,
            self.analysis_dock,
            self.documents_dock,
            self.reading_dock,
            self.history_dock,
        ):
            w.tabifyDockWidget(self.inspector_dock, dock)
        for dock in self.docks:
            dock.show()
        # The history waits for F9 here: one tab more would cut every tab's title short.
        self.history_dock.hide()
        self.inspector_dock.raise_()
        # About a quarter of the width, and enough for every tab's title in full where
        # that still leaves the matrix most of the window (on the smallest screens the
        # tab bar scrolls instead).
        tabs = min(self._tabs_width(), width * 30 // 100)
        side = max(_DOCK_MIN_WIDTH + 30, tabs, min(360, width * 26 // 100))
        w.resizeDocks([self.inspector_dock], [side], Qt.Orientation.Horizontal)

    def _tabs_width(self) -> int:
        """How wide the panels' tabs are with every title in full."""
        bar = QTabBar()
        bar.setElideMode(Qt.TextElideMode.ElideNone)
        for dock in self.docks:
            if dock is not self.history_dock:  # closed on a first start (see above)
                bar.addTab(dock.windowTitle())
        return bar.sizeHint().width() + 8

    # -- showing and hiding ------------------------------------------------------------------
    def _make_actions(self) -> None:
        def action(text: str, key: str, tip: str) -> QAction:
            a = QAction(text, self._window, checkable=True)
            a.setShortcut(QKeySequence(key))
            a.setStatusTip(tip)
            a.setToolTip(f"{tip} ({key})")
            return a

        self.show_sources = action(
            "&Documents and Reading", "F6", "Show or hide the documents list and the reading pane"
        )
        self.show_inspector = action(
            "&Inspector, Project and Analysis",
            "F7",
            "Show or hide the inspector, the project's details and the analysis",
        )
        self.show_history = action(
            "&History", "F9", "Show or hide the history of changes: who changed what, when, and why"
        )
        self.focus_matrix = action(
            "&Focus on Matrix",
            "F8",
            "Put every panel away to give the matrix the whole window; again to bring them back",
        )
        self.show_sources.triggered.connect(
            lambda on: self._show([self.documents_dock, self.reading_dock], on)
        )
        self.show_inspector.triggered.connect(
            lambda on: self._show([self.inspector_dock, self.project_dock, self.analysis_dock], on)
        )
        self.show_history.triggered.connect(self._toggle_history)
        self.focus_matrix.triggered.connect(self.set_focus_on_matrix)
        for dock in self.docks:
            # A method, not a lambda: the connection ends with this object, before the
            # docks are torn down with the window.
            dock.toggleViewAction().toggled.connect(self._dock_toggled)
        self._sync_actions()

    def _toggle_history(self, on: bool) -> None:
        """F9: bring the history to the front; again to put it away."""
        if not on and self.history_dock.visibleRegion().isEmpty():  # open, but behind another tab
            self.show_history.setChecked(True)
            self.history_dock.raise_()
            return
        self._show([self.history_dock], on)

    def _dock_toggled(self, _on: bool) -> None:
        self._sync_actions()

    def _show(self, docks: list[QDockWidget], on: bool) -> None:
        if on and self.focus_matrix.isChecked():
            self._leave_focus()
        self._switching = True
        try:
            for dock in docks:
                dock.setVisible(on)
        finally:
            self._switching = False
        if on:
            docks[-1].raise_()
        self._sync_actions()

    @staticmethod
    def shown(dock: QDockWidget) -> bool:
        """Open (as the View menu says), whether or not its tab is the one in front."""
        return dock.toggleViewAction().isChecked()

    def _sync_actions(self) -> None:
        if self._switching or not all(shiboken6.isValid(d) for d in self.docks):
            return  # (or the window is being torn down)
        self.show_sources.setChecked(self.shown(self.documents_dock) or self.shown(self.reading_dock))
        self.show_inspector.setChecked(
            any(self.shown(d) for d in (self.inspector_dock, self.project_dock, self.analysis_dock))
        )
        self.show_history.setChecked(self.shown(self.history_dock))
        if any(self.shown(d) for d in self.docks) and self.focus_matrix.isChecked():
            self._leave_focus()  # a panel was opened: focus mode is over

    def set_focus_on_matrix(self, on: bool) -> None:
        self._switching = True
        try:
            if on:
                restore = [d.objectName() for d in self.docks if self.shown(d)]
                self._settings.set(keys.FOCUS_RESTORE, ",".join(restore) or "inspector")
                self.focus_matrix.setChecked(True)
                for dock in self.docks:
                    dock.hide()
            else:
                names = self._settings.get(keys.FOCUS_RESTORE).split(",")
                self._leave_focus()
                for dock in self.docks:
                    if dock.objectName() in names:
                        dock.show()
                front = next((d for d in self.docks if d.objectName() in names), None)
                if front is not None:
                    front.raise_()
        finally:
            self._switching = False
        self._sync_actions()

    def _leave_focus(self) -> None:
        self.focus_matrix.setChecked(False)
        self._settings.set(keys.FOCUS_RESTORE, "")

    def restore_focus_state(self) -> None:
        """After the window's saved state: still in focus mode if it was left in it."""
        if self._settings.get(keys.FOCUS_RESTORE) and not any(self.shown(d) for d in self.docks):
            self.focus_matrix.setChecked(True)
        self._sync_actions()
