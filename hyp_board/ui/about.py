"""The About dialog: version, the libraries inside and their licences, and where your
data lives."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from hyp_board import APP_NAME, __version__
from hyp_board.ui.icons import app_icon

# What ships inside the application, with the licence each is used under.
BUNDLED = [
    ("Qt for Python (PySide6)", "PySide6-Essentials", "LGPL-3.0", "https://doc.qt.io/qtforpython-6/"),
    ("SQLModel", "sqlmodel", "MIT", "https://sqlmodel.tiangolo.com/"),
    ("SQLAlchemy", "SQLAlchemy", "MIT", "https://www.sqlalchemy.org/"),
    ("Pydantic", "pydantic", "MIT", "https://docs.pydantic.dev/"),
    ("Python-Markdown", "Markdown", "BSD-3-Clause", "https://python-markdown.github.io/"),
    ("nh3 (Ammonia)", "nh3", "MIT", "https://github.com/messense/nh3"),
    ("jsonschema", "jsonschema", "MIT", "https://python-jsonschema.readthedocs.io/"),
    ("jsonschema-rs", "jsonschema-rs", "MIT", "https://github.com/Stranger6667/jsonschema"),
    ("defusedxml", "defusedxml", "PSF-2.0", "https://github.com/tiran/defusedxml"),
    ("appdirs", "appdirs", "MIT", "https://github.com/ActiveState/appdirs"),
    ("charset-normalizer", "charset-normalizer", "MIT", "https://github.com/jawah/charset_normalizer"),
    ("ftfy", "ftfy", "Apache-2.0", "https://github.com/rspeer/python-ftfy"),
    ("jusText", "jusText", "BSD-2-Clause", "https://github.com/miso-belica/jusText"),
    ("lxml", "lxml", "BSD-3-Clause", "https://lxml.de/"),
    ("DejaVu fonts", None, "Bitstream Vera licence", "https://dejavu-fonts.github.io/"),
]


def installed_version(distribution: str | None) -> str:
    if distribution is None:
        return "2.37"
    # Looked up when the dialog opens: the look-up machinery is slow to load at start.
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(distribution)
    except PackageNotFoundError:
        return "?"


class AboutDialog(QDialog):
    def __init__(self, database: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"About {APP_NAME}")
        self.database = database
        logo = QLabel()
        logo.setPixmap(app_icon().pixmap(96, 96))
        title = QLabel(
            f"<h2>{APP_NAME}</h2><p>Version {__version__}</p>"
            "<p>Analysis of Competing Hypotheses on the desktop.<br>MIT licence.</p>"
        )
        title.setTextFormat(Qt.TextFormat.RichText)
        head = QHBoxLayout()
        head.addWidget(logo)
        head.addWidget(title, 1)
        rows = "".join(
            f"<tr><td><a href='{url}'>{name}</a></td><td>{installed_version(dist)}</td><td>{lic}</td></tr>"
            for name, dist, lic, url in BUNDLED
        )
        credits = QTextBrowser()
        credits.setOpenExternalLinks(True)
        credits.setHtml(
            "<p><b>Built with</b></p><table cellspacing='0' cellpadding='3'>"
            "<tr><th align='left'>Library</th><th align='left'>Version</th><th align='left'>Licence</th></tr>"
            f"{rows}</table>"
        )
        self.location = QLabel(f"Your projects are kept in:<br><code>{html.escape(str(database))}</code>")
        self.location.setTextFormat(Qt.TextFormat.RichText)
        self.location.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.location.setWordWrap(True)
        open_folder = QPushButton("Open Folder")
        open_folder.setToolTip("Show the folder holding the database in your file manager")
        open_folder.clicked.connect(self.open_folder)
        close = QPushButton("Close")
        close.setDefault(True)
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(open_folder)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(credits, 1)
        layout.addWidget(self.location)
        layout.addLayout(buttons)
        self.resize(520, 520)

    def folder_url(self) -> QUrl:
        return QUrl.fromLocalFile(str(self.database.parent))

    def open_folder(self) -> None:
        QDesktopServices.openUrl(self.folder_url())
