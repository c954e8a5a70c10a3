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
CONTAINER_SUFFIXES = PDF_SUFFIXES
_SNIFF_BYTES = 1024


def reader_for(path: Path) -> Reader | None:
    """The reader for *path* if it is one of these kinds, else None (the text importer's)."""
    suffix = path.suffix.lower()
    if suffix in PDF_SUFFIXES:
        return _read_pdf
    try:
        if not path.is_file():
            return None  # the text importer says what is wrong with it
        with path.open("rb") as fh:
            head = fh.read(_SNIFF_BYTES)
    except OSError:
        return None
    if b"%PDF-" in head:
        return _read_pdf
    return None


def _read_pdf(path: Path, control: ImportControl | None) -> object:
    from hyp_board.ingest.pdf import read_pdf

    return read_pdf(path, control)
