"""The light and dark application palettes, and rating colours as Qt brushes.

The colours themselves live in :mod:`hyp_board.core.colours`, shared with reports.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from PySide6.QtCore import QEvent
from PySide6.QtGui import QBrush, QColor, QGuiApplication, QPalette

from hyp_board.core import colours
from hyp_board.core.model import Rating


class ThemeChoice(enum.StrEnum):
    SYSTEM = "system"
    LIGHT = "light"
    DARK = "dark"


@dataclass(frozen=True)
class RatingStyle:
    background: QBrush
    foreground: QBrush


def dark_palette() -> QPalette:
    p = QPalette()
    window, base, text = QColor("#2b2b2b"), QColor("#1f1f1f"), QColor("#e6e6e6")
    for role, colour in (
        (QPalette.ColorRole.Window, window),
        (QPalette.ColorRole.WindowText, text),
        (QPalette.ColorRole.Base, base),
        (QPalette.ColorRole.AlternateBase, QColor("#262626")),
        (QPalette.ColorRole.ToolTipBase, QColor("#3a3a3a")),
        (QPalette.ColorRole.ToolTipText, text),
        (QPalette.ColorRole.PlaceholderText, QColor("#8a8a8a")),
        (QPalette.ColorRole.Text, text),
        (QPalette.ColorRole.Button, QColor("#353535")),
        (QPalette.ColorRole.ButtonText, text),
        (QPalette.ColorRole.BrightText, QColor("#ff6b6b")),
        (QPalette.ColorRole.Highlight, QColor("#3d6fa8")),
        (QPalette.ColorRole.HighlightedText, QColor("#ffffff")),
        (QPalette.ColorRole.Link, QColor("#7db4ff")),
        (QPalette.ColorRole.Mid, QColor("#444444")),
        (QPalette.ColorRole.Midlight, QColor("#4a4a4a")),
        (QPalette.ColorRole.Dark, QColor("#1a1a1a")),
        (QPalette.ColorRole.Light, QColor("#505050")),
    ):
        p.setColor(role, colour)
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7a7a7a"))
    return p


def apply_theme(choice: ThemeChoice) -> None:
    """Switch the whole application between the system, light and dark palettes."""
    app = QGuiApplication.instance()
    assert isinstance(app, QGuiApplication)
    if choice is ThemeChoice.DARK:
        app.setPalette(dark_palette())
    else:
        style = getattr(app, "style", None)
        app.setPalette(style().standardPalette() if style else QPalette())


def is_theme_change(event: QEvent) -> bool:
    """The event a widget gets when the application's palette (the theme) changes.

    Widgets whose colours are not the palette's own (rating colours, highlights) redraw
    them on it, so a switch of theme shows at once everywhere.
    """
    return event.type() in (QEvent.Type.ApplicationPaletteChange, QEvent.Type.PaletteChange)


def is_dark(palette: QPalette | None = None) -> bool:
    palette = palette or QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def rating_styles(dark: bool) -> dict[Rating, RatingStyle]:
    table = colours.DARK if dark else colours.LIGHT
    return {r: RatingStyle(QBrush(QColor(bg)), QBrush(QColor(fg))) for r, (bg, fg) in table.items()}
