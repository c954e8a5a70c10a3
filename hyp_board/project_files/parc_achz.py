"""PARC ACH 2.x project files (``.achz``), in and out.

What is known of the format: gzip-compressed XML in UTF-16, with top-level elements
``PROJECT-TITLE``, ``LAST-INDEX``, ``COLOR-SCHEME``, ``CLASSIFICATION`` and ``MATRIX``.
``MATRIX`` holds ``HYPOTHESIS`` elements (with ``NAME``) and ``EVIDENCE`` elements with
``NAME``, ``NOTES``, ``LINK``, ``TYPE``, ``DATE`` (milliseconds since 1970, 0 for none),
``CODE``, ``FLAG`` (0/1), ``CREDIBILITY`` (HIGH/MEDIUM/LOW) and ``VALUES``: the ratings
in hypothesis order, comma-separated, with CC and II written ``C C`` and ``I I``.

Reading is liberal (any root element name, any element order, missing fields, a byte
order mark or none, uncompressed XML) and says what it did not understand; it is also
defensive: the XML parser refuses entity definitions (``defusedxml``), and sizes are
capped before and after decompression. PARC has no relevance, no reasons and no
descriptions, so those are left at their defaults on import and dropped on export
(the export says so).
"""

from __future__ import annotations

import gzip
import io
import zlib
from datetime import UTC, datetime
from pathlib import Path
from xml.etree.ElementTree import Element, SubElement, tostring

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from hyp_board.atomic import atomic_path
from hyp_board.core.matrix import Matrix
from hyp_board.core.model import Cell, Evidence, EvidenceType, Hypothesis, Level, Project, ProjectData, Rating
from hyp_board.project_files.import_result import ImportResult, ProjectFileError
from hyp_board.safe_read import FileTooLarge, UnreadableFile, read_limited

SUFFIX = ".achz"
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_XML_BYTES = 256 * 1024 * 1024  # after decompression: refuses gzip bombs
MAX_TEXT = 100_000  # characters in one field
MAX_ITEMS = 100_000

_TYPES = {t.value.lower(): t for t in EvidenceType} | {"absence": EvidenceType.ABSENCE}
_LEVELS = {"HIGH": Level.HIGH, "MEDIUM": Level.MEDIUM, "LOW": Level.LOW}
_KNOWN = {"PROJECT-TITLE", "LAST-INDEX", "COLOR-SCHEME", "CLASSIFICATION", "MATRIX"}


# -- reading -------------------------------------------------------------------------------
def read_achz(path: Path) -> ImportResult:
    path = Path(path)
    name = path.name
    try:
        raw = read_limited(path, MAX_FILE_BYTES)
    except FileTooLarge as exc:
        raise ProjectFileError(f"{name}: {exc.size / 1e6:.0f} MB is too large for a PARC ACH file") from None
    except UnreadableFile as exc:
        raise ProjectFileError(f"{name}: {exc}") from None
    return parse_achz(raw, name)


def parse_achz(raw: bytes, name: str = "PARC ACH file") -> ImportResult:
    if not raw:
        raise ProjectFileError(f"{name}: the file is empty")
    xml = _decompress(raw, name) if raw[:2] == b"\x1f\x8b" else raw
    # UTF-16 without its byte order mark: say which order it is, as the parser needs.
    if xml[:4] == b"<\x00?\x00":
        xml = b"\xff\xfe" + xml
    elif xml[:4] == b"\x00<\x00?":
        xml = b"\xfe\xff" + xml
    try:
        root = SafeET.fromstring(xml, forbid_dtd=True)
    except DefusedXmlException:
        raise ProjectFileError(
            f"{name}: the XML declares entities or a DTD, which project files never need; refused"
        ) from None
    except SafeET.ParseError as exc:
        raise ProjectFileError(f"{name}: not readable XML ({exc})") from None
    except ValueError as exc:  # e.g. an encoding the parser cannot handle
        raise ProjectFileError(f"{name}: not readable XML ({exc})") from None
    return _to_project(root, name)


def _decompress(raw: bytes, name: str) -> bytes:
    out = io.BytesIO()
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(raw)) as stream:
            while chunk := stream.read(1 << 20):
                out.write(chunk)
                if out.tell() > MAX_XML_BYTES:
                    raise ProjectFileError(
                        f"{name}: decompresses to more than {MAX_XML_BYTES // 2**20} MB; refused"
                    )
    except (OSError, EOFError, zlib.error) as exc:
        raise ProjectFileError(f"{name}: the compressed data is damaged or cut short ({exc})") from None
    return out.getvalue()


def _tag(element: Element) -> str:
    return element.tag.rsplit("}", 1)[-1].upper()  # namespaces and case do not matter


def _child(element: Element, tag: str) -> Element | None:
    return next((c for c in element if _tag(c) == tag), None)


def _text(element: Element | None, where: str, name: str) -> str:
    text = "".join(element.itertext()).strip() if element is not None else ""
    if len(text) > MAX_TEXT:
        raise ProjectFileError(f"{name}: {where} is {len(text):,} characters long; refused")
    return text


def _to_project(root: Element, name: str) -> ImportResult:
    notes: list[str] = []
    top = {_tag(c): c for c in root}
    matrix = top.get("MATRIX") if _tag(root) != "MATRIX" else root
    if matrix is None:
        matrix = next((e for e in root.iter() if _tag(e) == "MATRIX"), None)
    if matrix is None:
        raise ProjectFileError(f"{name}: no MATRIX element: not a PARC ACH project")
    title = (
        _text(top.get("PROJECT-TITLE"), "PROJECT-TITLE", name)
        or Path(name).stem
        or "Imported PARC ACH project"
    )
    project_notes = []
    classification = _text(top.get("CLASSIFICATION"), "CLASSIFICATION", name)
    if classification:
        project_notes.append(f"Classification (from PARC ACH): {classification}")
    unknown = sorted(set(top) - _KNOWN - {"MATRIX"})
    if unknown:
        notes.append(f"Not understood and left out: {', '.join(unknown)}.")
    data = ProjectData(Project(title=" ".join(title.split()), notes="\n\n".join(project_notes)))

    hypotheses = [e for e in matrix if _tag(e) == "HYPOTHESIS"]
    evidence = [e for e in matrix if _tag(e) == "EVIDENCE"]
    if len(hypotheses) > 1000 or len(evidence) > MAX_ITEMS:
        raise ProjectFileError(
            f"{name}: {len(hypotheses)} hypotheses and {len(evidence)} evidence items: too many"
        )
    for i, h in enumerate(hypotheses, start=1):
        name_element = _child(h, "NAME")  # (an element without children is falsy: no `or`)
        label = " ".join(
            _text(h if name_element is None else name_element, f"HYPOTHESIS {i} NAME", name).split()
        )
        data.hypotheses.append(Hypothesis(label or f"Hypothesis {i}", position=i, id=i))
    odd_types: set[str] = set()
    short_rows = 0
    for i, e in enumerate(evidence, start=1):
        where = f"EVIDENCE {i}"
        summary = " ".join(_text(_child(e, "NAME"), f"{where} NAME", name).split()) or f"Evidence {i}"
        item_notes = [_text(_child(e, "NOTES"), f"{where} NOTES", name)]
        code = _text(_child(e, "CODE"), f"{where} CODE", name)
        if code:
            item_notes.append(f"PARC code: {code}")
        if _text(_child(e, "FLAG"), f"{where} FLAG", name) in ("1", "true", "TRUE"):
            item_notes.append("Flagged in PARC ACH.")
        kind_text = _text(_child(e, "TYPE"), f"{where} TYPE", name)
        kind = _TYPES.get(kind_text.lower(), EvidenceType.OTHER) if kind_text else EvidenceType.REPORT
        if kind_text and kind_text.lower() not in _TYPES:
            odd_types.add(kind_text)
            item_notes.append(f"PARC type: {kind_text}")
        item = f"{where} (“{summary[:40]}”)"
        credibility_text = _text(_child(e, "CREDIBILITY"), f"{where} CREDIBILITY", name).upper()
        if credibility_text and credibility_text not in _LEVELS:
            raise ProjectFileError(
                f"{name}: {item}: CREDIBILITY {credibility_text!r} is not HIGH, MEDIUM or LOW"
            )
        data.evidence.append(
            Evidence(
                summary,
                source=_text(_child(e, "LINK"), f"{where} LINK", name),
                date=_date(_text(_child(e, "DATE"), f"{where} DATE", name), where, name),
                kind=kind,
                credibility=_LEVELS.get(credibility_text, Level.MEDIUM),
                notes="\n\n".join(n for n in item_notes if n),
                position=i,
                id=i,
            )
        )
        values = _text(_child(e, "VALUES"), f"{where} VALUES", name)
        codes = values.split(",") if values else []
        if len(codes) > len(hypotheses):
            raise ProjectFileError(
                f"{name}: {item} has {len(codes)} ratings for {len(hypotheses)} hypotheses"
            )
        short_rows += len(codes) < len(hypotheses)
        for j, text in enumerate(codes, start=1):
            if not text.strip():
                continue
            try:
                rating = Rating.parse(text)
            except ValueError:
                raise ProjectFileError(
                    f"{name}: {item}, rating {j}: {text.strip()!r} is not CC, C, N, I, II or NA"
                ) from None
            data.cells[(i, j)] = Cell(rating)
    if odd_types:
        notes.append(f"Evidence types kept as Other: {', '.join(sorted(odd_types))}.")
    if short_rows:
        notes.append(
            f"{short_rows} evidence item(s) had fewer ratings than hypotheses: the rest are unrated."
        )
    notes.append("PARC ACH files have no relevance, reasons or descriptions: relevance is set to Medium.")
    return ImportResult(data, notes)


def _date(text: str, where: str, name: str) -> str:
    if not text or text == "0":
        return ""
    try:
        millis = int(text)
        return datetime.fromtimestamp(millis / 1000, UTC).date().isoformat()
    except (ValueError, OverflowError, OSError):
        raise ProjectFileError(f"{name}: {where} DATE {text[:30]!r} is not a time in milliseconds") from None


# -- writing -------------------------------------------------------------------------------
def write_achz(matrix: Matrix, path: Path) -> list[str]:
    """Write a PARC ACH file (atomically); returns what PARC ACH cannot hold."""
    root = Element("ACH")  # PARC's own root name is not documented; readers look for MATRIX
    SubElement(root, "PROJECT-TITLE").text = matrix.project.title
    SubElement(root, "LAST-INDEX").text = str(len(matrix.hypotheses) + len(matrix.evidence))
    SubElement(root, "COLOR-SCHEME").text = "0"
    SubElement(root, "CLASSIFICATION").text = ""
    body = SubElement(root, "MATRIX")
    for h in matrix.hypotheses:
        SubElement(SubElement(body, "HYPOTHESIS"), "NAME").text = h.label
    for e in matrix.evidence:
        item = SubElement(body, "EVIDENCE")
        notes = "\n\n".join(x for x in (f"“{e.quote}”" if e.quote else "", e.notes) if x)
        fields = {
            "NAME": e.summary,
            "NOTES": notes,
            "LINK": e.source,
            "TYPE": e.kind.value,
            "DATE": str(_millis(e.date)),
            "CODE": "",
            "FLAG": "0",
            "CREDIBILITY": e.credibility.value.upper(),
            "VALUES": ",".join(
                _parc_code(c.rating) if (c := matrix.cell(e.id, h.id)) else "" for h in matrix.hypotheses
            ),
        }
        for tag, text in fields.items():
            SubElement(item, tag).text = text
    xml = b'<?xml version="1.0" encoding="UTF-16"?>\n'.decode() + tostring(root, encoding="unicode")
    with atomic_path(path) as tmp, gzip.open(tmp, "wb") as fh:
        fh.write(xml.encode("utf-16"))
    lost = []
    if any(e.relevance is not Level.MEDIUM for e in matrix.evidence):
        lost.append("relevance")
    if any(c.reason for c in matrix.cells.values()):
        lost.append("the reasons for ratings")
    if any(h.description for h in matrix.hypotheses):
        lost.append("hypothesis descriptions")
    if any(not e.included for e in matrix.evidence):
        lost.append("which items are excluded from scoring")
    if matrix.documents:
        lost.append("the documents and the passages evidence was quoted from")
    if any(e.information for e in matrix.evidence) or any(d.reliability for d in matrix.documents):
        lost.append("source and information grades")
    return lost


def _parc_code(rating: Rating) -> str:
    return {Rating.CC: "C C", Rating.II: "I I"}.get(rating, rating.value)


def _millis(date: str) -> int:
    if not date:
        return 0
    parts = [int(p) for p in date.split("-")] + [1, 1]
    return int(datetime(parts[0], parts[1], parts[2], tzinfo=UTC).timestamp() * 1000)
