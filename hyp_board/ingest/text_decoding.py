"""Bytes from anywhere to clean text: encoding detection and mojibake repair.

Documents arrive in every encoding, declared or not, and often already damaged by an
earlier wrong decoding (``Al-SadrÂ’s``). Detection is charset-normalizer's, repair is
ftfy's; this module only decides the order and what counts as "not text at all".
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from typing import Any

import charset_normalizer
import ftfy
from charset_normalizer.md import mess_ratio

from hyp_board.core.text import clean_text

# Byte-order marks say the encoding outright.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control characters other than tab and line breaks: a text with more than a few is
# a binary file that happened to decode.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MAX_CONTROL_SHARE = 0.001
# charset-normalizer's own default threshold for "this decoding is clean".
_MAX_MESS = 0.2

# The bytes a Windows-1252 reading turns into punctuation (0x80–0x9F). When UTF-8
# text that held such a character as a C1 control is read as Windows-1252, it shows as
# "Â" plus that punctuation ("Â’"). ftfy leaves exactly this pair alone in short
# stretches of text, to be safe with rare legitimate uses (rspeer/python-ftfy#98);
# but "Â" directly followed by Windows-1252 punctuation does not occur in real text.
_WINDOWS_1252_PUNCTUATION = "".join(
    bytes([b]).decode("cp1252", errors="ignore") for b in range(0x80, 0xA0)
).replace("\ufffd", "")
_C1_MOJIBAKE = re.compile(f"Â([{re.escape(_WINDOWS_1252_PUNCTUATION)}])")


class NotTextError(ValueError):
    """The bytes are not readable text; the message says why, for the user."""


@dataclass(slots=True)
class Decoded:
    text: str
    encoding: str
    repairs: list[str] = field(default_factory=list)  # what was repaired, for the user


def decode(data: bytes, declared: str | None = None) -> Decoded:
    """Decode *data*: a BOM, then UTF-8, then a declared charset, then detection."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _checked(data.decode(encoding, errors="replace"), encoding.replace("-sig", ""))
    if b"\x00" in data[:8192]:
        raise NotTextError("it is a binary file, not text")
    try:
        return _checked(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.end == len(data):
            # UTF-8 cut off inside its last character (an interrupted download or
            # copy): the text is UTF-8, only that character is lost.
            decoded = _checked(data[: exc.start].decode("utf-8", errors="strict"), "utf-8")
            decoded.repairs.append("the file ends in the middle of a character (cut off?): it was left out")
            return decoded
    if declared:
        try:
            return _checked(data.decode(declared), codecs.lookup(declared).name)
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration is common; detect instead
    # Windows-1252 first: it is what undeclared legacy web text mostly is (browsers
    # read "latin-1" as it too), and detection on a short Western text is unsure (it
    # can prefer a Baltic code page that differs only in accented letters). The
    # guess stands only if charset-normalizer's own mess measure finds the result clean.
    try:
        western = data.decode("cp1252")
    except UnicodeDecodeError:
        pass
    else:
        if mess_ratio(western, _MAX_MESS) < _MAX_MESS:
            return _checked(western, "cp1252")
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise NotTextError("its encoding could not be recognised (it may not be text)")
    return _checked(str(best), best.encoding)


def _checked(text: str, encoding: str) -> Decoded:
    if len(_CONTROL.findall(text)) > max(2, len(text) * _MAX_CONTROL_SHARE):
        raise NotTextError("it is a binary file, not text")
    return Decoded(text, encoding)


def repair(decoded: Decoded) -> Decoded:
    """Fix mojibake, line breaks and stray spaces; records what was repaired."""
    text = decoded.text
    fixed = fix_text(text)
    fixed, c1 = _C1_MOJIBAKE.subn(lambda m: m.group(1), fixed)
    repairs = list(decoded.repairs)
    if c1 or _differs_beyond_line_breaks(text, fixed):
        repairs.append("repaired mis-decoded characters")
    nbsp = fixed.count("\u00a0")
    if nbsp:
        # Non-breaking spaces from web pages break searching and quoting.
        fixed = fixed.replace("\u00a0", " ")
        repairs.append(f"replaced {nbsp} non-breaking space{'s' if nbsp != 1 else ''}")
    fixed = _tidy_whitespace(clean_text(fixed))
    return Decoded(fixed, decoded.encoding, repairs)


# ftfy's choices for documents.
_FTFY_OPTIONS: dict[str, Any] = {
    "uncurl_quotes": False,  # typographic quotes are the author's, not damage
    "fix_character_width": False,  # full-width forms are meaningful in CJK text
    "fix_latin_ligatures": True,
    "normalization": "NFC",
}
# A line of printable ASCII (and tabs) without "&" holds nothing ftfy would change: no
# mojibake, entity, control character or odd line break.
_NOT_PLAIN = re.compile(r"[^\n\t\x20-\x25\x27-\x7e]+")


def fix_text(text: str) -> str:
    """``ftfy.fix_text`` with our options, giving the same result faster.

    ftfy fixes text a line at a time, at some 35 µs a line: a 20 MB file of a million
    short lines took minutes. Only the lines that hold something ftfy could change are
    handed to it; the others are kept as they are.
    """
    out, done = [], 0
    first_angle = text.find("<")
    for hit in _NOT_PLAIN.finditer(text):
        if hit.start() < done:
            continue  # in a line already fixed
        start = text.rfind("\n", 0, hit.start()) + 1
        end = text.find("\n", hit.start()) + 1 or len(text)
        # ftfy unescapes HTML entities only until it has seen a "<" (then it takes the
        # text for HTML); the lines skipped are passed on with that decision made.
        entities = "auto" if first_angle < 0 or first_angle >= start else False
        out.append(text[done:start])
        out.append(ftfy.fix_text(text[start:end], unescape_html=entities, **_FTFY_OPTIONS))
        done = end
    out.append(text[done:])
    return "".join(out)


def _differs_beyond_line_breaks(before: str, after: str) -> bool:
    return before.replace("\r\n", "\n").replace("\r", "\n") != after


def _tidy_whitespace(text: str) -> str:
    lines = [line.rstrip() for line in text.split("\n")]
    tidy = "\n".join(lines).strip("\n")
    return re.sub(r"\n{3,}", "\n\n", tidy)
