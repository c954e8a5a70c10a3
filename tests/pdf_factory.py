"""PDF files for the importer's tests, drawn line by line with Qt's PDF writer.

Every line is placed where a typesetter would put it, so a test controls exactly what
the extractor must undo: running headers and footers, a word hyphenated across two
lines, ligature glyphs, two columns, a page of nothing but a picture (a scan).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF
from PySide6.QtGui import QColor, QFont, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter

# A4 at 72 units per inch: coordinates are PostScript points.
PAGE_WIDTH, PAGE_HEIGHT = 595, 842
MARGIN = 72
LINE_HEIGHT = 15


@dataclass
class Page:
    lines: list[str] = field(default_factory=list)  # the body, top to bottom
    header: str = ""
    footer: str = ""
    right_column: list[str] | None = None  # a second column beside *lines*
    heading: str = ""  # a larger, bold first line
    picture_only: bool = False  # a scanned page: pixels, no text layer


def write_pdf(path: Path, pages: list[Page], info: dict[str, str] | None = None, password: str = "") -> Path:
    """*info*: document information entries ("/Title", "/Author", "/CreationDate");
    *password*: encrypt the file so that it opens only with it."""
    writer = QPdfWriter(str(path))
    writer.setResolution(72)
    writer.setPageLayout(
        QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait, QMarginsF())
    )
    painter = QPainter(writer)
    try:
        for number, page in enumerate(pages):
            if number:
                writer.newPage()
            _draw_page(painter, page)
    finally:
        painter.end()
    if info or password:
        _rewrite(path, info or {}, password)
    return path


def _rewrite(path: Path, info: dict[str, str], password: str) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(path))
    if info:
        writer.add_metadata(info)
    if password:
        writer.encrypt(user_password=password, owner_password=password + "-owner", algorithm="RC4-128")
    with path.open("wb") as fh:
        writer.write(fh)


def _draw_page(painter: QPainter, page: Page) -> None:
    if page.picture_only:
        image = QImage(400, 500, QImage.Format.Format_RGB32)
        image.fill(QColor("white"))
        for y in range(40, 480, 18):  # grey bars where a scan has lines of text
            for x in range(30, 370):
                if (x // 7 + y) % 5:
                    image.setPixelColor(x, y, QColor("#333"))
        painter.drawImage(QRectF(MARGIN, MARGIN, 450, 560), image)
        return
    family = _font_family()
    body = QFont(family, 11)
    small = QFont(family, 8)
    if page.header:
        painter.setFont(small)
        painter.drawText(QPointF(MARGIN, 40), page.header)
    if page.footer:
        painter.setFont(small)
        painter.drawText(QPointF(PAGE_WIDTH / 2 - 20, PAGE_HEIGHT - 36), page.footer)
    y = MARGIN + LINE_HEIGHT
    if page.heading:
        heading = QFont(family, 16)
        heading.setBold(True)
        painter.setFont(heading)
        painter.drawText(QPointF(MARGIN, y), page.heading)
        y += 2 * LINE_HEIGHT
    painter.setFont(body)
    width = PAGE_WIDTH - 2 * MARGIN
    if page.right_column is None:
        _column(painter, page.lines, MARGIN, y)
    else:
        gutter = 24
        column = (width - gutter) / 2
        _column(painter, page.lines, MARGIN, y)
        _column(painter, page.right_column, MARGIN + column + gutter, y)


@functools.cache
def _font_family() -> str:
    """The bundled DejaVu font: the same glyphs on every machine."""
    from PySide6.QtGui import QFontDatabase

    from hyp_board.paths import resources_dir

    font_id = QFontDatabase.addApplicationFont(str(resources_dir() / "fonts" / "DejaVuSansCondensed.ttf"))
    return QFontDatabase.applicationFontFamilies(font_id)[0]


def _column(painter: QPainter, lines: list[str], x: float, y: float) -> None:
    for line in lines:
        if line:
            painter.drawText(QPointF(x, y), line)
        y += LINE_HEIGHT
