"""Desktop integration: one application id everywhere, file types declared alike in the
desktop entry, the metainfo and the MIME definitions, icons at the hicolor sizes, and the
About dialog."""

from __future__ import annotations

import configparser
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QImage
from PySide6.QtWidgets import QLabel, QTextBrowser

from hyp_board import APP_ID

ROOT = Path(__file__).resolve().parent.parent
LINUX = ROOT / "packaging" / "linux"
ICONS = ROOT / "resources" / "icons"
MIME_NS = "{http://www.freedesktop.org/standards/shared-mime-info}"


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(LINUX / f"{APP_ID}.desktop", encoding="utf-8")
    return parser["Desktop Entry"]


def test_one_application_id_everywhere(qapp):
    entry = desktop_entry()
    assert entry["Icon"] == APP_ID
    meta = ET.parse(LINUX / f"{APP_ID}.metainfo.xml").getroot()
    assert meta.findtext("id") == APP_ID
    assert meta.findtext("launchable") == f"{APP_ID}.desktop"
    from hyp_board.ui.app import make_application

    assert make_application().desktopFileName() == APP_ID


def test_file_types_declared_alike():
    entry_types = {t for t in desktop_entry()["MimeType"].split(";") if t}
    meta = ET.parse(LINUX / f"{APP_ID}.metainfo.xml").getroot()
    provided = {m.text for m in meta.iter("mediatype")}
    mime = ET.parse(LINUX / f"{APP_ID}.mime.xml").getroot()
    defined = {m.get("type"): {g.get("pattern") for g in m.iter(f"{MIME_NS}glob")} for m in mime}
    assert entry_types == provided == set(defined)
    assert defined["application/x-hypothesis-board"] == {"*.hypboard"}
    assert defined["application/x-parc-ach"] == {"*.achz"}
    assert "%F" in desktop_entry()["Exec"]  # any number of files at once


def test_icons_at_the_hicolor_sizes(qapp):
    for name in ("hyp-board", "hypboard-document"):
        assert (ICONS / f"{name}.svg").exists()
        for size in (16, 22, 24, 32, 48, 64, 128, 256, 512):
            image = QImage(str(ICONS / f"{size}x{size}" / f"{name}.png"))
            assert (image.width(), image.height()) == (size, size), (name, size)
    assert (ROOT / "packaging" / "windows" / "hyp-board.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"
    assert (ROOT / "packaging" / "macos" / "hyp-board.icns").read_bytes()[:4] == b"icns"


def test_about_dialog_shows_versions_and_opens_the_database_folder(qtbot, monkeypatch, db_path: Path):
    from hyp_board import __version__
    from hyp_board.ui.about import AboutDialog

    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    dialog = AboutDialog(db_path)
    qtbot.addWidget(dialog)
    labels = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert f"Version {__version__}" in labels and str(db_path) in dialog.location.text()
    credits = dialog.findChild(QTextBrowser).toPlainText()
    assert "Qt for Python (PySide6)" in credits and "LGPL-3.0" in credits and "Bitstream Vera" in credits
    dialog.open_folder()
    assert opened == [QUrl.fromLocalFile(str(db_path.parent))]
