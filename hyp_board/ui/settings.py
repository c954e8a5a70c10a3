"""The window's settings, each declared once with its type and default.

They live in an ini file under the config folder. A value of the wrong type (an edited
file, an older version's) reads as the default instead of breaking the window.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from PySide6.QtCore import QByteArray, QSettings

from hyp_board.core.matrix import EvidenceOrder
from hyp_board.paths import config_dir
from hyp_board.ui.theme import ThemeChoice

T = TypeVar("T", bool, int, str, QByteArray)


@dataclass(frozen=True)
class Setting(Generic[T]):
    key: str
    default: T
    doc: str
    choices: tuple[str, ...] = ()  # for text settings with a fixed set of values


GEOMETRY = Setting("geometry", QByteArray(), "the window's size and place")
WINDOW_STATE = Setting("window_state", QByteArray(), "docks and toolbars: where, and whether shown")
THEME = Setting(
    "theme", ThemeChoice.SYSTEM.value, "light, dark or the system's", tuple(t.value for t in ThemeChoice)
)
ORDER = Setting(
    "order", EvidenceOrder.POSITION.value, "how evidence is sorted", tuple(o.value for o in EvidenceOrder)
)
HIDE_NON_DIAGNOSTIC = Setting("hide_non_diagnostic", False, "hide evidence that cannot tell hypotheses apart")
HIDE_EXCLUDED = Setting("hide_excluded", False, "hide evidence excluded from scoring")
HYPOTHESES_IN_ROWS = Setting(
    "hypotheses_in_rows", "", "the projects shown with hypotheses in rows (their ids, comma-separated)"
)
MARK_BLIND = Setting("mark_blind", False, "mark the ratings given blind, in rate-across mode")
FOCUS_RESTORE = Setting(
    "focus_restore", "", "in Focus on Matrix: the panels to bring back (empty: not in it)"
)
LAST_PROJECT = Setting("last_project", 0, "the project to reopen at start (0: none)")
OPEN_DIR = Setting("open_dir", "", "where project files were last opened from")
DOCUMENTS_DIR = Setting("documents_dir", "", "where documents were last imported from")
EXPORT_DIR = Setting("export_dir", "", "where reports were last written")

ALL_SETTINGS = (
    GEOMETRY,
    WINDOW_STATE,
    THEME,
    ORDER,
    HIDE_NON_DIAGNOSTIC,
    HIDE_EXCLUDED,
    HYPOTHESES_IN_ROWS,
    MARK_BLIND,
    FOCUS_RESTORE,
    LAST_PROJECT,
    OPEN_DIR,
    DOCUMENTS_DIR,
    EXPORT_DIR,
)


class Settings:
    """Typed reading and writing of the declared settings (and nothing else)."""

    def __init__(self, store: QSettings) -> None:
        self._store = store

    @classmethod
    def open(cls) -> Settings:
        return cls(QSettings(str(config_dir() / "settings.ini"), QSettings.Format.IniFormat))

    def get(self, setting: Setting[T]) -> T:
        default = setting.default
        if isinstance(default, QByteArray):
            raw = self._store.value(setting.key)
            return raw if isinstance(raw, QByteArray) else default
        try:
            value = self._store.value(setting.key, default, type=type(default))
        except (TypeError, ValueError):
            return default
        if not isinstance(value, type(default)) or (setting.choices and value not in setting.choices):
            return default
        return value

    def set(self, setting: Setting[T], value: T) -> None:
        self._store.setValue(setting.key, value)

    def sync(self) -> None:
        self._store.sync()
