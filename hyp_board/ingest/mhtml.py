"""Web pages saved as one file (MHTML: ``.mht``/``.mhtml``, as browsers' "Save page as…
single file" writes them): the page's HTML taken out of its MIME wrapping.

The standard library's MIME parser undoes the transfer encodings (quoted-printable,
base64); the HTML itself is then imported like any saved page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MHTML_SUFFIXES = frozenset({".mht", ".mhtml"})
# The headers an MHTML file starts with, for one saved under another name.
_MHTML_START = re.compile(rb"^(?:[\w-]+:[^\r\n]*\r?\n(?:[ \t][^\r\n]*\r?\n)*)*?MIME-Version:", re.IGNORECASE)


class NotAWebArchive(ValueError):
    """The file is not an MHTML archive with a page in it; the message says why."""


@dataclass(frozen=True)
class ArchivedPage:
    html: bytes
    charset: str | None  # as the archive declares it for the page
    location: str  # the address the page was saved from, or ""


def looks_like_mhtml(data: bytes) -> bool:
    head = data[:4096]
    return bool(_MHTML_START.match(head)) and b"multipart/related" in head.lower()


def unpack(data: bytes) -> ArchivedPage:
    """The archive's page: its first HTML part (the page itself; frames come after)."""
    from email import message_from_bytes  # only an import needs the MIME parser

    message = message_from_bytes(data)
    if not message.is_multipart() and message.get_content_type() != "text/html":
        raise NotAWebArchive("this is not a saved web page (no MIME archive in it)")
    for part in message.walk():
        if part.get_content_type() != "text/html":
            continue
        html = part.get_payload(decode=True)
        if not isinstance(html, bytes) or not html.strip():
            continue
        location = (
            message.get("Snapshot-Content-Location")  # Chrome
            or part.get("Content-Location")
            or message.get("Content-Location")
            or ""
        )
        return ArchivedPage(html, part.get_content_charset(), str(location).strip())
    raise NotAWebArchive("the archive holds no web page (no HTML part)")
