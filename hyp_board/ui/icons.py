"""Icons: the platform's own where it has them, else drawn in the palette's text colour
so they stay visible in the dark theme."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPalette, QPen, QPixmap

from hyp_board.paths import resources_dir

_SIZES = (16, 22, 24, 32, 48)


def app_icon() -> QIcon:
    """The application's own icon, at every size it is drawn at."""
    icon = QIcon()
    for size in (16, 22, 24, 32, 48, 64, 128, 256, 512):
        path = resources_dir() / "icons" / f"{size}x{size}" / "hyp-board.png"
        if path.exists():
            icon.addFile(str(path))
    return icon


def undo_icon(palette: QPalette) -> QIcon:
    return _themed(QIcon.ThemeIcon.EditUndo, palette, mirrored=False)


def redo_icon(palette: QPalette) -> QIcon:
    return _themed(QIcon.ThemeIcon.EditRedo, palette, mirrored=True)


def _themed(name: QIcon.ThemeIcon, palette: QPalette, mirrored: bool) -> QIcon:
    icon = QIcon.fromTheme(name)
    return (
        icon if not icon.isNull() else _curved_arrow(palette.color(QPalette.ColorRole.ButtonText), mirrored)
    )


def _curved_arrow(colour: QColor, mirrored: bool) -> QIcon:
    """The usual undo sign: an arrow that turns back on itself (redo: mirrored)."""
    icon = QIcon()
    for size in _SIZES:
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        p = QPainter(pixmap)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        if mirrored:
            p.translate(size, 0)
            p.scale(-1, 1)
        s = size / 16.0
        pen = QPen(colour, 1.8 * s, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)
        p.setPen(pen)
        arc = QPainterPath(QPointF(4 * s, 6 * s))
        arc.lineTo(10 * s, 6 * s)
        arc.arcTo(QRectF(6.5 * s, 6 * s, 7 * s, 7 * s), 90, -180)
        arc.lineTo(7 * s, 13 * s)
        p.drawPath(arc)
        head = QPainterPath(QPointF(1.5 * s, 6 * s))
        head.lineTo(5.5 * s, 2.5 * s)
        head.lineTo(5.5 * s, 9.5 * s)
        head.closeSubpath()
        p.setBrush(colour)
        p.setPen(Qt.PenStyle.NoPen)
        p.drawPath(head)
        p.end()
        icon.addPixmap(pixmap)
    return icon
