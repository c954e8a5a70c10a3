"""E-mail messages (.eml): the message as a document, its attachments as documents of
their own.

Parsed with the standard library's ``email`` package (its modern policy decodes
headers and bodies, whatever their charset and transfer encoding). The subject is
the title, the sender the author, the date the publication date. The document's text
starts with the message's header lines (From, To, Cc, Date, Subject, Attachments, as
a printed e-mail shows them, so they can be quoted too), then the plain-text body, or
the HTML body read as a web page (all of it: a message has no site around it).
Attachments of a kind that can be imported (PDF, Word, web pages, text…) are read as
documents of their own; every attachment is listed with the message.
"""

from __future__ import annotations

import email.policy
import email.utils
import logging
import re
import tempfile
from collections.abc import Sequence
from email.message import EmailMessage, Message
from email.parser import BytesParser
from pathlib import Path

from hyp_board.core.layout import BlockKind, Layout, LayoutBuilder
from hyp_board.core.model import Attachment, Document
from hyp_board.ingest.control import ImportControl
from hyp_board.ingest.importer import (
    DOCUMENT_SUFFIXES,
    DocumentImportError,
    ImportedDocument,
    parse_document,
    read_document,
)
from hyp_board.safe_read import FileTooLarge, UnreadableFile, read_limited

log = logging.getLogger(__name__)

MAX_EMAIL_BYTES = 50 * 1024 * 1024  # attachments included
MAX_MIME_DEPTH = 12  # parts inside parts; mail programs nest three or four deep
MAX_MIME_PARTS = 500
_HEADERS = (("From", "from"), ("To", "to"), ("Cc", "cc"), ("Date", "date"), ("Subject", "subject"))
_QUOTED = re.compile(r"^>")
_UNSAFE_NAME = re.compile(r"[^\w.\- ]+")


def read_email(
    path: Path, control: ImportControl | None = None, with_attachments: bool = True
) -> ImportedDocument:
    name = path.name
    try:
        data = read_limited(path, MAX_EMAIL_BYTES)
    except FileTooLarge as exc:
        raise DocumentImportError(
            f"{name}: the file is {exc.size / 1024 / 1024:.0f} MiB; e-mails over "
            f"{MAX_EMAIL_BYTES // 1024 // 1024} MiB are not imported"
        ) from None
    except UnreadableFile as exc:
        raise DocumentImportError(f"{name}: {exc}") from None
    if len(data) > MAX_EMAIL_BYTES:
        raise DocumentImportError(
            f"{name}: e-mails over {MAX_EMAIL_BYTES // 1024 // 1024} MiB are not imported"
        )
    if not data.strip():
        raise DocumentImportError(f"{name}: the file is empty")
    try:
        message = BytesParser(policy=email.policy.default).parsebytes(data)
        _check_shape(message)
        return _imported(message, name, control, with_attachments)
    except DocumentImportError:
        raise
    except _Refused as exc:
        raise DocumentImportError(f"{name}: {exc}") from None
    except RecursionError:
        raise DocumentImportError(
            f"{name}: its parts are nested deeper than any real e-mail; not imported"
        ) from None
    except (LookupError, ValueError, TypeError, AttributeError) as exc:
        raise DocumentImportError(f"{name}: not a readable e-mail ({exc})") from None


class _Refused(Exception):
    pass


def _check_shape(message: Message) -> None:
    """Refuse a message nested or split beyond reason before anything walks it."""
    parts = 0
    stack: list[tuple[Message, int]] = [(message, 0)]
    while stack:
        part, depth = stack.pop()
        parts += 1
        if depth > MAX_MIME_DEPTH:
            raise _Refused(
                f"its parts are nested over {MAX_MIME_DEPTH} levels deep, more than any real e-mail"
            )
        if parts > MAX_MIME_PARTS:
            raise _Refused(f"it has over {MAX_MIME_PARTS} parts, more than any real e-mail")
        payload = part.get_payload()
        if isinstance(payload, list):
            stack.extend((child, depth + 1) for child in payload if isinstance(child, Message))
    if not message.keys():
        raise _Refused("no e-mail headers in it")


def _imported(
    message: EmailMessage, name: str, control: ImportControl | None, with_attachments: bool
) -> ImportedDocument:
    subject = " ".join(str(message.get("subject", "")).split())
    sender = _sender(message)
    published = _date(message)
    body = message.get_body(preferencelist=("plain", "html"))
    attachments = [part for part in message.walk() if _is_attachment(part, body)]
    listed = tuple(
        Attachment(_attachment_name(part, n), part.get_content_type(), len(_payload(part)))
        for n, part in enumerate(attachments, start=1)
    )
    notes: list[str] = []
    body_text, body_layout = "", None
    if body is not None and body.get_content_type() == "text/html":
        # A message has no site around it: all of its HTML body is the message.
        page = parse_document(_payload(body), name, "html", body.get_content_charset())
        body_text, body_layout = page.document.original_text, page.document.original_layout
        notes.append("HTML body")
    elif body is not None:
        body_text, body_layout = _plain_body(body)
    header = _header_lines(message, listed)
    original = _with_header(header, body_text, body_layout)
    if not body_text.strip():
        notes.append("no message text")
    document = Document(
        title=subject or f"E-mail from {sender[0] or sender[1] or 'an unknown sender'}",
        original_text=original.text(),
        author=sender[0] or sender[1],
        origin=sender[1],
        published=published,
        original_layout=original.layout(),
        attachments=listed,
    )
    imported = ImportedDocument(document, "e-mail", "utf-8", notes)
    if listed:
        notes.append(f"{len(listed)} attachment{'s' if len(listed) != 1 else ''}")
    if with_attachments:
        _import_attachments(imported, attachments, listed, control)
    return imported


def _sender(message: EmailMessage) -> tuple[str, str]:
    name, address = email.utils.parseaddr(str(message.get("from", "")))
    return " ".join(name.split()), address


def _date(message: EmailMessage) -> str:
    try:
        when = email.utils.parsedate_to_datetime(str(message.get("date", "")))
    except (TypeError, ValueError, IndexError):
        return ""
    return when.date().isoformat() if when is not None and when.year >= 1000 else ""


def _is_attachment(part: Message, body: Message | None) -> bool:
    if part is body or part.is_multipart():
        return False
    disposition = part.get_content_disposition()
    if disposition == "attachment":
        return True
    # Inline parts with a file name that are not text the message shows are files too.
    return bool(part.get_filename()) and part.get_content_maintype() not in ("text", "multipart")


def _attachment_name(part: Message, number: int) -> str:
    filename = part.get_filename() or f"attachment-{number}"
    return " ".join(str(filename).split())[:200]


def _payload(part: Message) -> bytes:
    payload = part.get_payload(decode=True)
    return payload if isinstance(payload, bytes) else b""


def _plain_body(part: Message) -> tuple[str, Layout]:
    from hyp_board.ingest.text_decoding import Decoded, repair

    try:
        text = part.get_content()  # type: ignore[attr-defined]  # the modern policy's parts have it
    except (LookupError, UnicodeError):  # an unknown charset: the bytes decoded as we decode files
        from hyp_board.ingest.text_decoding import decode

        text = decode(_payload(part)).text
    text = repair(Decoded(str(text), "utf-8")).text
    # Quoted lines of an earlier message are marked as a quotation.
    builder = LayoutBuilder()
    for paragraph in text.split("\n\n"):
        quoted = paragraph.strip() and all(
            _QUOTED.match(line) for line in paragraph.split("\n") if line.strip()
        )
        builder.block(paragraph, BlockKind.QUOTE if quoted else None, separator="\n\n")
    return builder.text(), builder.layout()


def _header_lines(message: EmailMessage, listed: tuple[Attachment, ...]) -> list[str]:
    lines = []
    for label, key in _HEADERS:
        value = " ".join(str(message.get(key, "")).split())
        if value:
            lines.append(f"{label}: {value}")
    if listed:
        lines.append("Attachments: " + "; ".join(a.describe() for a in listed))
    return lines


def _with_header(header: list[str], body: str | None, layout: Layout | None) -> LayoutBuilder:
    builder = LayoutBuilder()
    for line in header:
        builder.block(line, BlockKind.FIELD)
    builder.append(body or "", layout)
    return builder


def _import_attachments(
    imported: ImportedDocument,
    parts: Sequence[Message],
    listed: tuple[Attachment, ...],
    control: ImportControl | None,
) -> None:
    """Attachments of a kind that can be imported become documents of their own; the
    notes say which could not be and why."""
    message = imported.document
    with tempfile.TemporaryDirectory(prefix="hyp-board-attachment-") as folder:
        for part, attachment in zip(parts, listed, strict=True):
            suffix = Path(attachment.name).suffix.lower()
            if suffix not in DOCUMENT_SUFFIXES:
                continue
            safe = _UNSAFE_NAME.sub("_", Path(attachment.name).name).strip(" .") or f"attachment{suffix}"
            path = Path(folder) / safe
            path.write_bytes(_payload(part))
            try:
                if suffix == ".eml":
                    companion = read_email(path, control, with_attachments=False)
                else:
                    companion = read_document(path, control)
            except DocumentImportError as exc:
                imported.notes.append(f"attachment not imported: {exc}")
                continue
            doc = companion.document
            doc.origin = doc.origin or f"attachment to “{message.title}”"
            doc.author = doc.author or message.author
            doc.published = doc.published or message.published
            imported.companions.append(companion)
