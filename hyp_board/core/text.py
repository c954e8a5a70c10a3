"""Text from files and from the keyboard, made safe to store, show and write back.

Files from others (and pasted text) may hold characters no one typed on purpose:

* control characters (NUL, escape, DEL, the C1 block) and noncharacters (U+FFFE):
  invisible on screen, they make our own ``.achz`` export invalid XML and our CSV
  export look binary. They are removed from every text; tab and line feed stay in
  texts of several lines, and a carriage return or NEL becomes a line break.
* in one-line fields (a hypothesis label, an evidence summary or source, a project
  or document title), zero-width characters and bidirectional controls. Two labels
  differing only by them look identical, and an override can make a label read
  backwards; they are removed, and the field is put in Unicode NFC form so that the
  same letters typed two ways (``é`` as one character or as ``e`` plus an accent)
  are the same label.

A document's text is cleaned without changing its length (each removed character
becomes a space), because evidence passages and page starts point into it by offset.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hyp_board.core.model import Document, ProjectData

# C0 controls but tab, line feed and carriage return (handled apart); DEL and the C1
# block; lone surrogates (unencodable); the noncharacters.
_BMP_CONTROL_CHARS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff"
_NONCHARACTERS = "".join(chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF) for plane in range(1, 17))
_CONTROL = re.compile(f"[{_BMP_CONTROL_CHARS}{_NONCHARACTERS}]")
# A lone surrogate (half of a character, from a damaged file) cannot be stored or
# written: it becomes the replacement character, so the user sees something was there.
_SURROGATE_CHARS = "\ud800-\udfff"
_SURROGATE = re.compile(f"[{_SURROGATE_CHARS}]")
# Zero-width characters (space, non-joiner, joiner, word joiner, byte-order mark) and
# the Unicode Bidi_Control characters (marks, embeddings, overrides, isolates).
_INVISIBLE_CHARS = "\u00ad\u200b\u200e\u200f\u2060\ufeff\u061c\u202a-\u202e\u2066-\u2069"
_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARS}]")
# The zero-width (non-)joiner shapes Persian, Indic scripts and emoji: kept between two
# characters of those, removed elsewhere (in "Ir\u200dan" it only hides a difference).
_JOINER_CHARS = "\u200c\u200d"
_JOINERS = re.compile(f"[{_JOINER_CHARS}]")
_LINE_BREAK = re.compile("\r\n?|\x85")  # NEL (next line) too: str.splitlines agrees
# Nearly every text holds none of the characters above: one search says so, and such a
# text is kept as it is (a project file of 2,000 items has tens of thousands of texts).
# The search looks for a superset: every character from the first noncharacter past
# the Basic Multilingual Plane on, since a class holding those 32 characters one by
# one is searched seven times slower; a text with such characters is looked at closer.
_PAST_FIRST_ASTRAL_NONCHARACTER = "\U0001fffe-\U0010ffff"
_TEXT_NEEDS_CLEANING = re.compile(
    f"[{_BMP_CONTROL_CHARS}{_SURROGATE_CHARS}\r\x85{_PAST_FIRST_ASTRAL_NONCHARACTER}]"
)
_LINE_NEEDS_CLEANING = re.compile(
    f"[{_BMP_CONTROL_CHARS}{_SURROGATE_CHARS}{_INVISIBLE_CHARS}{_JOINER_CHARS}{_PAST_FIRST_ASTRAL_NONCHARACTER}]"
)


def clean_text(text: str) -> str:
    """A text of several lines (notes, a description, a quote): control characters
    removed, every line break a line feed."""
    return _clean_text_closely(text) if _TEXT_NEEDS_CLEANING.search(text) else text


def _clean_text_closely(text: str) -> str:
    return _SURROGATE.sub("\ufffd", _CONTROL.sub("", _LINE_BREAK.sub("\n", text)))


def clean_line(text: str) -> str:
    """A one-line field: control, zero-width and bidi characters removed, NFC form,
    runs of white space (line breaks included) made one space, no space at the ends."""
    if _LINE_NEEDS_CLEANING.search(text):
        return _clean_line_closely(text)
    return unicodedata.normalize("NFC", " ".join(text.split()))  # only spacing and form to do


def _clean_line_closely(text: str) -> str:
    # Split first: what Python counts as white space (line breaks, NEL, the
    # separator controls) parts words, as readers that collapse spacing do.
    words = (
        _JOINERS.sub(_joiner_if_needed, _INVISIBLE.sub("", _SURROGATE.sub("\ufffd", _CONTROL.sub("", word))))
        for word in text.split()
    )
    return unicodedata.normalize("NFC", " ".join(word for word in words if word))


def _joiner_if_needed(match: re.Match[str]) -> str:
    text, at = match.string, match.start()
    before = text[at - 1] if at else ""
    after = text[at + 1] if at + 1 < len(text) else ""
    return match.group() if _joins(before) and _joins(after) else ""


def _joins(char: str) -> bool:
    """A letter, mark or symbol of a script past Latin, Greek and Cyrillic's basics."""
    return bool(char) and ord(char) >= 0x0590 and unicodedata.category(char)[0] in "LMS"


def clean_document_text(text: str) -> str:
    """A document's text, cleaned as :func:`clean_text` but keeping every offset:
    a lone carriage return or NEL becomes a line feed, anything else removed a space."""
    return _clean_document_text_closely(text) if _TEXT_NEEDS_CLEANING.search(text) else text


def _clean_document_text_closely(text: str) -> str:
    text = text.replace("\r\n", " \n").replace("\r", "\n").replace("\x85", "\n")
    return _CONTROL.sub(" ", text)


def clean_document(document: Document) -> Document:
    """Clean a document's texts and details in place (see the module's note); returns it."""
    _clean_document(document)
    return document


def _clean_document(document: Document) -> int:
    """:func:`clean_document`, counting the texts it changed (its attachments' aside)."""
    before = _document_texts(document)
    document.title = clean_line(document.title) or "Untitled document"
    document.origin = clean_line(document.origin)
    document.author = clean_line(document.author)
    document.notes = clean_text(document.notes)
    document.original_text = clean_document_text(document.original_text)
    if document.article_text is not None:
        document.article_text = clean_document_text(document.article_text)
    document.attachments = tuple(
        replace(a, name=clean_line(a.name), content_type=clean_line(a.content_type))
        for a in document.attachments
    )
    return _changed(before, _document_texts(document))


def _document_texts(d: Document) -> tuple[str, ...]:
    return (d.title, d.origin, d.author, d.notes, d.original_text, d.article_text or "")


def _changed(before: tuple[str, ...], after: tuple[str, ...]) -> int:
    return sum(1 for old, new in zip(before, after, strict=True) if old != new)


def clean_project_data(data: ProjectData) -> ProjectData:
    """Clean every text of a project read from a file, in place; returns it.

    Raises ValueError (naming the item) when a label or summary is left empty: it held
    nothing but invisible characters.
    """
    _clean_project(data)
    return data


def clean_project(data: ProjectData) -> int:
    """:func:`clean_project_data`, counting the texts it changed (for a reader's note)."""
    return _clean_project(data)


def _clean_project(data: ProjectData) -> int:
    # Each item's texts are compared as they are cleaned: a project may have millions of
    # ratings, whose reasons are taken as they are unless cleaning changes them.
    p = data.project
    before: tuple[str, ...] = (p.title, p.question, p.notes, p.classification, p.caveats)
    p.title = clean_line(p.title) or "Untitled project"
    p.question = clean_text(p.question)
    p.notes = clean_text(p.notes)
    p.classification = clean_line(p.classification)
    p.caveats = clean_line(p.caveats)
    changed = _changed(before, (p.title, p.question, p.notes, p.classification, p.caveats))
    for i, h in enumerate(data.hypotheses):
        before = (h.label, h.description)
        h.label = clean_line(h.label)
        if not h.label:
            raise ValueError(f"hypothesis {i + 1} has no visible label")
        h.description = clean_text(h.description)
        changed += _changed(before, (h.label, h.description))
    documents = {d.id: d for d in data.documents}
    quoted = {
        e.id: documents[e.document_id].text[slice(*e.span)]
        for e in data.evidence
        if e.span and e.document_id in documents
    }
    for d in data.documents:
        changed += _clean_document(d)
    for i, e in enumerate(data.evidence):
        before = (e.summary, e.quote, e.source, e.notes)
        e.summary = clean_line(e.summary)
        if not e.summary:
            raise ValueError(f"evidence item {i + 1} has no visible summary")
        e.source = clean_line(e.source)
        e.notes = clean_text(e.notes)
        if e.id in quoted and e.quote == quoted[e.id] and e.span:
            # Still the words at its passage, cleaned alike (the passage keeps its place).
            e.quote = documents[e.document_id].text[slice(*e.span)]
        else:
            e.quote = clean_text(e.quote)
        changed += _changed(before, (e.summary, e.quote, e.source, e.notes))
    cells = data.cells
    for key, cell in cells.items():
        if cell.reason and (reason := clean_text(cell.reason)) != cell.reason:
            cells[key] = cell._replace(reason=reason)
            changed += 1
    for i, m in enumerate(data.milestones):
        before = (m.text, m.note)
        m.text = clean_line(m.text)
        if not m.text:
            raise ValueError(f"milestone {i + 1} has no visible text")
        m.note = clean_text(m.note)
        changed += _changed(before, (m.text, m.note))
    for doc_id, check in data.deception_checks.items():
        answers = {q: (a, clean_text(n)) for q, (a, n) in check.answers.items()}
        cleaned = replace(check, note=clean_text(check.note), answers=answers)
        data.deception_checks[doc_id] = cleaned
        changed += _changed(
            (check.note, *(n for _, n in check.answers.values())),
            (cleaned.note, *(n for _, n in cleaned.answers.values())),
        )
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
