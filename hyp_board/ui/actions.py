"""The window's actions, their shortcuts, and the menus and toolbar that hold them."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QGuiApplication, QIcon, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QStyle, QToolBar, QToolButton, QWidget

from hyp_board.core.matrix import EvidenceOrder
from hyp_board.ui.icons import redo_icon, undo_icon
from hyp_board.ui.theme import ThemeChoice

Std = QKeySequence.StandardKey


class WindowActions:
    """Every action of the main window, created once; the window connects them."""

    def __init__(self, window: QMainWindow) -> None:
        self._window = window
        style = window.style()

        def act(
            text: str,
            shortcut: QKeySequence | Std | str | None = None,
            tip: str = "",
            icon: QStyle.StandardPixmap | None = None,
            checkable: bool = False,
        ) -> QAction:
            action = QAction(text, window)
            if shortcut is not None:
                action.setShortcut(QKeySequence(shortcut))
            if tip:
                action.setStatusTip(tip)
                action.setToolTip(
                    f"{tip} ({action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})"
                    if action.shortcut()
                    else tip
                )
            if icon is not None:
                action.setIcon(QIcon(style.standardIcon(icon)))
            action.setCheckable(checkable)
            return action

        SP = QStyle.StandardPixmap
        # File
        self.new_project = act("&New Project…", Std.New, "Start an empty project", SP.SP_FileIcon)
        self.open_file = act(
            "&Open Project File…", Std.Open, "Add a project from a .hypboard file shared with you"
        )
        self.compare_file = act(
            "&Compare with Project File…", None, "Compare the open project with a colleague's version of it"
        )
        self.export_file = act(
            "Export Project &File…", "Ctrl+Shift+S", "Write the whole project as a .hypboard file to share"
        )
        self.open_sample = act("Open &Sample Case", None, "Add a fresh copy of the built-in sample case")
        self.import_documents = act(
            "Import &Documents…",
            "Ctrl+Shift+I",
            "Add PDF, Word, e-mail, web pages, text or Markdown files to the project",
        )
        self.paste_document = act(
            "&Paste as Document", "Ctrl+Shift+V", "Add the text on the clipboard as a new document"
        )
        self.rename_project = act("&Rename Project…", "Ctrl+Shift+R", "Rename the open project")
        self.duplicate_project = act("D&uplicate Project", None, "Make a copy of the open project")
        self.delete_project = act("&Delete Project…", None, "Delete the open project")
        self.snapshots = act(
            "&Snapshots…", None, "The project's snapshots: compare, restore, export or delete them"
        )
        self.take_snapshot = act("&Take Snapshot…", None, "Keep the project as it is now, under a name")
        self.export_pdf = act("&Export PDF…", "Ctrl+Shift+E", "Write the matrix report as a PDF")
        self.print_preview = act("Print Pre&view…", Std.Print, "Preview and print the matrix report")
        self.export_csv = act("Export &CSV…", None, "Write the matrix with its scores for spreadsheets")
        self.export_markdown = act("Export &Markdown…", None, "Write the report as a Markdown document")
        self.export_achz = act("Export for &PARC ACH…", None, "Write the matrix as a PARC ACH 2.x file")
        self.quit = act("&Quit", None, "Quit Hypothesis Board")
        # The platform's quit keys, or Ctrl+Q where it has none (Windows, a bare X server).
        self.quit.setShortcuts(QKeySequence.keyBindings(Std.Quit) or [QKeySequence("Ctrl+Q")])
        # Edit
        self.add_evidence = act(
            "Add &Evidence", "Ctrl+E", "Add an evidence row below the current one", SP.SP_FileDialogNewFolder
        )
        self.add_hypothesis = act(
            "Add &Hypothesis…", "Ctrl+H", "Add a hypothesis column", SP.SP_FileDialogDetailedView
        )
        self.delete_evidence = act("Delete Evidence", "Ctrl+Del", "Delete the selected evidence rows")
        self.delete_hypothesis = act("Delete Hypothesis…", None, "Delete the current hypothesis column")
        self.move_up = act("Move Evidence Up", "Alt+Up", "Move the current evidence item up")
        self.move_down = act("Move Evidence Down", "Alt+Down", "Move the current evidence item down")
        self.move_left = act("Move Hypothesis Left", "Alt+Left", "Move the current hypothesis left")
        self.move_right = act("Move Hypothesis Right", "Alt+Right", "Move the current hypothesis right")
        self.find_in_document = act(
            "&Find in Document…", Std.Find, "Find words in the document open in the reading pane"
        )
        self.toggle_included = act(
            "Include in Scoring",
            "Ctrl+Shift+X",
            "Include or exclude the current evidence item from the scores",
            checkable=True,  # ticked when the current item counts
        )
        # View
        self.what_if = act(
            "&What-if Mode",
            "Ctrl+Shift+W",
            "Try ratings, inclusion, credibility and relevance without saving them",
            checkable=True,
        )
        self.sort_actions: dict[EvidenceOrder, QAction] = {}
        self.sort_group = QActionGroup(window)
        for order in EvidenceOrder:
            a = act(
                order.value if order is not EvidenceOrder.POSITION else "Your Order",
                tip=f"Sort evidence by {order.value.lower()}",
                checkable=True,
            )
            a.setData(order.value)
            self.sort_group.addAction(a)
            self.sort_actions[order] = a
        self.sort_actions[EvidenceOrder.POSITION].setChecked(True)
        self.hide_non_diagnostic = act(
            "Hide &Non-diagnostic Evidence",
            "Ctrl+Shift+D",
            "Show only evidence that helps tell the hypotheses apart",
            checkable=True,
        )
        self.hide_excluded = act(
            "Hide E&xcluded Evidence", None, "Hide items excluded from scoring", checkable=True
        )
        self.hypotheses_in_rows = act(
            "&Hypotheses in Rows",
            "Ctrl+Shift+T",
            "Turn the matrix on its side: hypotheses as rows, evidence as columns (kept per project)",
            checkable=True,
        )
        self.rate_across = act(
            "&Rate Across…",
            "Ctrl+R",
            "Rate one evidence item at a time against every hypothesis, the other ratings out of sight",
        )
        self.mark_blind = act(
            "Mark &Blind Ratings",
            None,
            "Mark the ratings given in rate-across mode, with the other items' ratings out of sight",
            checkable=True,
        )
        self.theme_actions: dict[ThemeChoice, QAction] = {}
        self.theme_group = QActionGroup(window)
        for choice in ThemeChoice:
            a = act(choice.value.capitalize(), checkable=True)
            a.setData(choice.value)
            self.theme_group.addAction(a)
            self.theme_actions[choice] = a
        # Help
        self.show_keys = act("&Rating Keys", Std.HelpContents, "Show the keyboard rating keys")
        self.about = act("&About Hypothesis Board")

    def build_menus(self, undo: QAction, redo: QAction, panels: list[QAction], docks: list[QAction]) -> None:
        bar = self._window.menuBar()
        file_menu = bar.addMenu("&File")
        for a in (
            self.new_project,
            self.open_file,
            self.compare_file,
            self.open_sample,
            None,
            self.import_documents,
            self.paste_document,
            None,
            self.export_file,
            self.export_pdf,
            self.print_preview,
            self.export_csv,
            self.export_markdown,
            self.export_achz,
            None,
            self.rename_project,
            self.duplicate_project,
            self.delete_project,
            None,
            self.quit,
        ):
            file_menu.addSeparator() if a is None else file_menu.addAction(a)
        edit = bar.addMenu("&Edit")
        project_menu = bar.addMenu("&Project")
        project_menu.addAction(self.take_snapshot)
        project_menu.addAction(self.snapshots)
        for a in (
            undo,
            redo,
            None,
            self.find_in_document,
            None,
            self.add_evidence,
            self.delete_evidence,
            self.move_up,
            self.move_down,
            self.toggle_included,
            self.what_if,
            None,
            self.add_hypothesis,
            self.delete_hypothesis,
            self.move_left,
            self.move_right,
        ):
            edit.addSeparator() if a is None else edit.addAction(a)
        view = bar.addMenu("&View")
        sort_menu = QMenu("&Sort Evidence By", view)
        sort_menu.addActions(list(self.sort_actions.values()))
        view.addMenu(sort_menu)
        view.addAction(self.hide_non_diagnostic)
        view.addAction(self.hide_excluded)
        view.addSeparator()
        view.addAction(self.hypotheses_in_rows)
        view.addAction(self.rate_across)
        view.addAction(self.mark_blind)
        view.addSeparator()
        theme_menu = QMenu("&Theme", view)
        theme_menu.addActions(list(self.theme_actions.values()))
        view.addMenu(theme_menu)
        view.addSeparator()
        view.addActions(panels)
        panels_menu = QMenu("&Panels", view)
        panels_menu.addActions(docks)
        view.addMenu(panels_menu)
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.show_keys)
        help_menu.addAction(self.about)

    def build_toolbar(self, toolbar: QToolBar, undo: QAction, redo: QAction) -> None:
        toolbar.addAction(self.add_evidence)
        toolbar.addAction(self.add_hypothesis)
        toolbar.addSeparator()
        # The platform's undo and redo icons with a short word beside them; the edit
        # they take back or make again ("Undo Rate E2 × H1 …") is in the tooltip, so
        # the toolbar does not move about.
        self._undo_redo = (undo, redo)
        for action, word in ((undo, "Undo"), (redo, "Redo")):
            action.setIconText(word)
            button = _UndoRedoButton(action, toolbar)
            button.setObjectName(f"{word.lower()}-button")
            toolbar.addWidget(button)
        self.refresh_icons()
        toolbar.addSeparator()
        toolbar.addAction(self.what_if)
        self.hide_non_diagnostic.setIconText("Diagnostic Only")
        toolbar.addAction(self.hide_non_diagnostic)

    def refresh_icons(self) -> None:
        """Icons drawn in the palette's colours follow a change of theme."""
        palette = QGuiApplication.palette()
        undo, redo = self._undo_redo
        undo.setIcon(undo_icon(palette))
        redo.setIcon(redo_icon(palette))


class _UndoRedoButton(QToolButton):
    """Icon and word, with the edit it would undo or redo and its keys in the tooltip
    ("Undo Rate E2 × H1 “Real split” C (Ctrl+Z)"), kept up to date."""

    def __init__(self, action: QAction, parent: QWidget) -> None:
        super().__init__(parent)
        self._action = action
        self.setDefaultAction(action)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        action.changed.connect(self._update_tooltip)  # ends with this button
        self._update_tooltip()

    def _update_tooltip(self) -> None:
        action = self._action
        if not shiboken6.isValid(action):  # the window is being torn down
            return
        text = action.text().replace("&", "")
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        tip = f"{text} ({keys})" if keys else text
        if action.toolTip() != tip:
            action.setToolTip(tip)
