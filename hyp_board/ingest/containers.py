"""Which reader a file needs when it is not text: PDF, Word, OpenDocument, e-mail.

Chosen by the file's name, else by its first bytes (a PDF saved without its suffix),
so that these files are not refused as "binary" by the text importer.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from hyp_board.ingest.control import ImportControl

Reader = Callable[[Path, ImportControl | None], object]

PDF_SUFFIXES = frozenset({".pdf"})
WORD_SUFFIXES = frozenset({".docx", ".odt"})
EMAIL_SUFFIXES = frozenset({".eml"})
CONTAINER_SUFFIXES = PDF_SUFFIXES | WORD_SUFFIXES | EMAIL_SUFFIXES
_SNIFF_BYTES = 1024


def reader_for(path: Path) -> Reader | None:
    """The reader for *path* if it is one of these kinds, else None (the text importer's)."""
    suffix = path.suffix.lower()
    if suffix in PDF_SUFFIXES:
        return _read_pdf
    if suffix in WORD_SUFFIXES or suffix == ".doc":  # an old .doc is refused with advice
        return _read_word
    if suffix in EMAIL_SUFFIXES:
        return _read_email
    try:
        if not path.is_file():
            return None  # the text importer says what is wrong with it
        with path.open("rb") as fh:
            head = fh.read(_SNIFF_BYTES)
    except OSError:
        return None
    if b"%PDF-" in head:
        return _read_pdf
    if head.startswith(b"PK\x03\x04") and (b"word/" in head or b"opendocument.text" in head):
        return _read_word
    return None


def _read_pdf(path: Path, control: ImportControl | None) -> object:
    from hyp_board.ingest.pdf import read_pdf

    return read_pdf(path, control)


def _read_word(path: Path, control: ImportControl | None) -> object:
    from hyp_board.ingest.word import read_word

    return read_word(path, control)


def _read_email(path: Path, control: ImportControl | None) -> object:
    from hyp_board.ingest.eml import read_email

    return read_email(path, control)
