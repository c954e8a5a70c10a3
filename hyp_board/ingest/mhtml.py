"""Web pages saved as one file (MHTML: ``.mht``/``.mhtml``, as browsers' "Save page as…
single file" writes them): the page's HTML taken out of its MIME wrapping.

The standard library's MIME parser undoes the transfer encodings (quoted-printable,
base64); the HTML itself is then imported like any saved page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from email.message import Message

MHTML_SUFFIXES = frozenset({".mht", ".mhtml"})
MAX_PARTS = 10_000
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

    # Each part costs the MIME parser some 35 µs, and parts nested in parts cost it a
    # level of recursion; a page saved by a browser has a few hundred, side by side.
    # Counting their boundaries (an upper bound) refuses millions before parsing.
    if data.count(b"\n--") > MAX_PARTS:
        raise NotAWebArchive(f"the archive has more than {MAX_PARTS:,} parts; refused")
    try:
        message = message_from_bytes(data)
        return _page_of(message)
    except RecursionError:
        raise NotAWebArchive("the archive's parts are nested too deeply to be read") from None


def _page_of(message: Message) -> ArchivedPage:
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
