"""Text from files and from the keyboard, made safe to keep, show and write out again.

Two kinds of field: single-line ones (hypothesis labels, evidence summaries, titles,
sources), which head rows and columns and identify items to the eye, and texts (notes,
quotes, reasons, document texts), where line breaks and tabs mean something.

* Control characters (NUL and the like) are never kept: our own .achz export would be
  invalid XML and our CSV a "binary" file. A lone surrogate (a broken UTF-16 pair, which
  a JSON file can spell) cannot even be stored; it becomes U+FFFD, the replacement
  character.
* Single-line fields lose invisible characters that would let two labels look the same
  while differing (``Iran`` and ``Ir\u200ban``, or text reversed by a bidi override):
  bidirectional controls, zero-width spaces and joiners, soft hyphens. The zero-width
  joiner and non-joiner are kept between two letters of the scripts that need them
  (Persian, Arabic, Indic scripts; emoji sequences), and only there. The field is then
  put in Unicode NFC form, so that "é" typed and "é" decomposed are one label.
* Texts keep their line breaks and tabs, and are changed character for character (a
  removed character becomes a space), so passages quoted from a document by position
  still point at the same words.
"""

from __future__ import annotations

import re
import unicodedata

from hyp_board.core.model import Document, ProjectData

# C0 controls but tab and line feed, DEL, C1 controls, lone surrogates, and the two
# non-characters XML cannot hold.
_TEXT_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200e\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\u3164\ufeff\uffa0]"
)
_JOINERS = re.compile("[\u200c\u200d]")


def clean_text(text: str) -> str:
    """A multi-line text without control characters; same length, same line breaks."""
    return _TEXT_UNSAFE.sub(_replacement, text)


def clean_line(text: str) -> str:
    """A single-line field: one line of visible text, in NFC form."""
    text = _TEXT_UNSAFE.sub(_replacement, text)
    text = _INVISIBLE.sub("", text)
    if "\u200c" in text or "\u200d" in text:
        text = _JOINERS.sub(_joiner_if_needed, text)
    return unicodedata.normalize("NFC", " ".join(text.split()))


def _replacement(match: re.Match[str]) -> str:
    return "\ufffd" if "\ud800" <= match.group() <= "\udfff" else " "


def _joiner_if_needed(match: re.Match[str]) -> str:
    text, at = match.string, match.start()
    before = text[at - 1] if at else ""
    after = text[at + 1] if at + 1 < len(text) else ""
    return match.group() if _joins(before) and _joins(after) else ""


def _joins(char: str) -> bool:
    """A letter, mark or symbol of a script past Latin, Greek and Cyrillic's basics."""
    return bool(char) and ord(char) >= 0x0590 and unicodedata.category(char)[0] in "LMS"


def clean_project(data: ProjectData) -> int:
    """Clean every field of an imported project in place; returns how many changed."""
    changed = _clean_fields(data.project, ("title",), ("question", "notes"))
    for h in data.hypotheses:
        changed += _clean_fields(h, ("label",), ("description",))
    for e in data.evidence:
        changed += _clean_fields(e, ("summary",), ("quote", "source", "notes"))
    for d in data.documents:
        changed += clean_document(d)
    for key, cell in data.cells.items():
        reason = clean_text(cell.reason)
        if reason != cell.reason:
            data.cells[key] = cell._replace(reason=reason)
            changed += 1
    return changed


def clean_document(document: Document) -> int:
    """Clean a document's fields in place; returns how many changed."""
    return _clean_fields(document, ("title", "origin", "author"), ("original_text", "article_text", "notes"))


def _clean_fields(item: object, lines: tuple[str, ...], texts: tuple[str, ...]) -> int:
    changed = 0
    for names, clean in ((lines, clean_line), (texts, clean_text)):
        for name in names:
            value = getattr(item, name)
            if value is not None and (new := clean(value)) != value:
                setattr(item, name, new)
                changed += 1
    return changed


def cleaning_note(changed: int) -> list[str]:
    """What to tell the user after :func:`clean_project`."""
    if not changed:
        return []
    fields = "field" if changed == 1 else "fields"
    return [
        f"Control or invisible characters were removed from {changed} {fields} "
        "(they cannot be exported, or make different labels look alike)."
    ]
