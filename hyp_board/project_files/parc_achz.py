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
from hyp_board.core.method import MAX_MARKING_CHARS, marking_line
from hyp_board.core.model import Cell, Evidence, EvidenceType, Hypothesis, Level, Project, ProjectData, Rating
from hyp_board.core.text import clean_line, clean_project, clean_text, cleaning_note
from hyp_board.project_files.import_result import MAX_RATINGS, ImportResult, ProjectFileError
from hyp_board.safe_read import FileTooLarge, UnreadableFile, read_limited

SUFFIX = ".achz"
MAX_FILE_BYTES = 64 * 1024 * 1024
# After decompression: PARC files are UTF-16, so this is at most 32 million characters
# of text, whatever the compressed size (gzip bombs are refused at this point).
MAX_XML_BYTES = 64 * 1024 * 1024
MAX_TEXT = 100_000  # characters in one field
MAX_ITEMS = 20_000  # evidence items; PARC ACH projects hold hundreds
MAX_HYPOTHESES = 1000
MAX_PARTS = 1000  # elements inside one item: a real one has about ten
MAX_ELEMENTS = 500_000  # in the whole file: enough for MAX_ITEMS real items
MAX_DEPTH = 64  # a real file nests four deep

_TYPES = {t.value.lower(): t for t in EvidenceType} | {"absence": EvidenceType.ABSENCE}
_LEVELS = {"HIGH": Level.HIGH, "MEDIUM": Level.MEDIUM, "LOW": Level.LOW}
# The codes as PARC writes them, looked up before the slower general parse.
_CODES = {r.value: r for r in Rating} | {"C C": Rating.CC, "I I": Rating.II}
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
    """Read a whole PARC ACH file; raises ProjectFileError for one we refuse.

    The XML is decompressed and parsed as a stream, and every limit is counted as it
    goes: a small file that would unpack to millions of items or ratings is refused
    when it reaches the limit, not after it has filled the memory.
    """
    if not raw:
        raise ProjectFileError(f"{name}: the file is empty")
    reader = _MatrixReader(name)
    try:
        for event, element in SafeET.iterparse(_XmlStream(raw, name), ("start", "end"), forbid_dtd=True):
            reader.feed(event, element)
    except ProjectFileError:
        raise
    except DefusedXmlException:
        raise ProjectFileError(
            f"{name}: the XML declares entities or a DTD, which project files never need; refused"
        ) from None
    except (SafeET.ParseError, ValueError) as exc:  # ValueError: e.g. an encoding the parser lacks
        raise ProjectFileError(f"{name}: not readable XML ({exc})") from None
    return reader.result()


class _XmlStream:
    """The XML inside an .achz, decompressed as the parser reads it and never past
    :data:`MAX_XML_BYTES` (a gzip bomb is refused at that point)."""

    def __init__(self, raw: bytes, name: str) -> None:
        self._name = name
        compressed = raw[:2] == b"\x1f\x8b"
        self._source = gzip.GzipFile(fileobj=io.BytesIO(raw)) if compressed else io.BytesIO(raw)
        self._total = 0
        head = self._read(4)
        # UTF-16 without its byte order mark: say which order it is, as the parser needs.
        bom = {b"<\x00?\x00": b"\xff\xfe", b"\x00<\x00?": b"\xfe\xff"}.get(head, b"")
        self._pending = bom + head

    def read(self, size: int = -1) -> bytes:
        size = 1 << 16 if size < 0 else size
        if self._pending:
            data, self._pending = self._pending, b""
            return data
        return self._read(size)

    def _read(self, size: int) -> bytes:
        try:
            data = self._source.read(size)
        except (OSError, EOFError, zlib.error) as exc:
            raise ProjectFileError(
                f"{self._name}: the compressed data is damaged or cut short ({exc})"
            ) from None
        self._total += len(data)
        if self._total > MAX_XML_BYTES:
            raise ProjectFileError(
                f"{self._name}: decompresses to more than {MAX_XML_BYTES // 2**20} MB; refused"
            )
        return data


def _tag(element: Element) -> str:
    return element.tag.rsplit("}", 1)[-1].upper()  # namespaces and case do not matter


def _child(element: Element, tag: str) -> Element | None:
    return next((c for c in element if _tag(c) == tag), None)


class _MatrixReader:
    """Builds the project from the parser's start and end events.

    An item (``HYPOTHESIS`` or ``EVIDENCE`` in the ``MATRIX``) is read when it ends, then
    dropped from the tree, as is every element nobody needs, so memory holds the
    project being built and little else. Items may come in any order; ratings are
    matched to hypotheses once all are known.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.notes: list[str] = []
        self.stack: list[Element] = []
        self.elements = 0
        self.matrix: Element | None = None
        self.keeping = 0  # depth of the element being kept whole (an item, a title), 0: none
        self.parts = 0  # elements inside the item being kept
        self.top: dict[str, str] = {}  # the root's children: tag -> text, for the known ones
        self.hypotheses: list[Hypothesis] = []
        self.evidence: list[Evidence] = []
        self.codes: list[list[Rating | None]] = []  # each item's ratings, in hypothesis order
        self.ratings = 0
        self.odd_types: set[str] = set()

    def feed(self, event: str, element: Element) -> None:
        if event == "start":
            self._start(element)
        else:
            self._end(element)

    def _start(self, element: Element) -> None:
        self.stack.append(element)
        depth = len(self.stack)
        self.elements += 1
        if self.elements > MAX_ELEMENTS or depth > MAX_DEPTH:
            what = (
                f"more than {MAX_ELEMENTS:,} elements" if depth <= MAX_DEPTH else "elements nested too deep"
            )
            raise ProjectFileError(f"{self.name}: {what} for a PARC ACH project; refused")
        tag = _tag(element)
        if self.keeping:
            self.parts += 1
            if self.parts > MAX_PARTS:
                raise ProjectFileError(
                    f"{self.name}: an item holds more than {MAX_PARTS:,} elements; refused"
                )
        elif self.matrix is None and tag == "MATRIX":
            self.matrix = element
        else:
            item = depth > 1 and self.stack[-2] is self.matrix and tag in ("HYPOTHESIS", "EVIDENCE")
            heading = depth == 2 and tag in ("PROJECT-TITLE", "CLASSIFICATION")
            if item or heading:
                self.keeping, self.parts = depth, 0  # kept whole until it ends

    def _end(self, element: Element) -> None:
        depth = len(self.stack)
        self.stack.pop()
        parent = self.stack[-1] if self.stack else None
        tag = _tag(element)
        if depth == 2 and element is not self.matrix and parent is not self.matrix:
            self.top.setdefault(tag, _text(element, tag, self.name) if tag in _KNOWN else "")
        if self.keeping and depth > self.keeping:
            return  # part of the item, read when the item ends
        if self.keeping == depth:
            self.keeping = 0
            if parent is self.matrix and tag == "HYPOTHESIS":
                self._hypothesis(element)
            elif parent is self.matrix and tag == "EVIDENCE":
                self._evidence(element)
        if parent is not None:
            del parent[-1]  # read (or not needed): free it; it is always the last child so far

    def _hypothesis(self, h: Element) -> None:
        i = len(self.hypotheses) + 1
        if i > MAX_HYPOTHESES:
            raise ProjectFileError(f"{self.name}: more than {MAX_HYPOTHESES:,} hypotheses; refused")
        name_element = _child(h, "NAME")  # (an element without children is falsy: no `or`)
        text = _text(h if name_element is None else name_element, f"HYPOTHESIS {i} NAME", self.name)
        self.hypotheses.append(Hypothesis(" ".join(text.split()) or f"Hypothesis {i}", position=i, id=i))

    def _evidence(self, e: Element) -> None:
        i = len(self.evidence) + 1
        if i > MAX_ITEMS:
            raise ProjectFileError(f"{self.name}: more than {MAX_ITEMS:,} evidence items; refused")
        name, where = self.name, f"EVIDENCE {i}"
        children: dict[str, Element] = {}
        for child in e:
            children.setdefault(_tag(child), child)

        def field(tag: str) -> str:
            return _text(children.get(tag), f"{where} {tag}", name)

        summary = " ".join(field("NAME").split()) or f"Evidence {i}"
        item_notes = [field("NOTES")]
        if code := field("CODE"):
            item_notes.append(f"PARC code: {code}")
        if field("FLAG") in ("1", "true", "TRUE"):
            item_notes.append("Flagged in PARC ACH.")
        kind_text = field("TYPE")
        kind = _TYPES.get(kind_text.lower(), EvidenceType.OTHER) if kind_text else EvidenceType.REPORT
        if kind_text and kind_text.lower() not in _TYPES:
            self.odd_types.add(kind_text)
            item_notes.append(f"PARC type: {kind_text}")
        item = f"{where} (“{summary[:40]}”)"
        credibility_text = field("CREDIBILITY").upper()
        if credibility_text and credibility_text not in _LEVELS:
            raise ProjectFileError(
                f"{name}: {item}: CREDIBILITY {credibility_text!r} is not HIGH, MEDIUM or LOW"
            )
        self.evidence.append(
            Evidence(
                summary,
                source=field("LINK"),
                date=_date(field("DATE"), where, name),
                kind=kind,
                credibility=_LEVELS.get(credibility_text, Level.MEDIUM),
                notes="\n\n".join(n for n in item_notes if n),
                position=i,
                id=i,
            )
        )
        values = field("VALUES")
        codes = values.split(",") if values else []
        if len(codes) > MAX_HYPOTHESES:
            raise ProjectFileError(f"{name}: {item} has {len(codes):,} ratings; refused")
        self.ratings += sum(1 for text in codes if text.strip())
        if self.ratings > MAX_RATINGS:
            raise ProjectFileError(f"{name}: more than {MAX_RATINGS:,} ratings; refused")
        row: list[Rating | None] = []
        for j, text in enumerate(codes, start=1):
            try:
                code = text.strip()
                row.append((_CODES.get(code) or Rating.parse(code)) if code else None)
            except ValueError:
                raise ProjectFileError(
                    f"{name}: {item}, rating {j}: {text.strip()!r} is not CC, C, N, I, II or NA"
                ) from None
        self.codes.append(row)

    def result(self) -> ImportResult:
        name = self.name
        if self.matrix is None:
            raise ProjectFileError(f"{name}: no MATRIX element: not a PARC ACH project")
        title = self.top.get("PROJECT-TITLE") or Path(name).stem or "Imported PARC ACH project"
        # PARC's one CLASSIFICATION line becomes the project's marking ("SECRET // NOFORN"
        # splits into classification and caveats, as the marking is written back).
        classification, _, caveats = (self.top.get("CLASSIFICATION") or "").partition("//")
        notes = self.notes
        unknown = sorted(set(self.top) - _KNOWN)
        if unknown:
            notes.append(f"Not understood and left out: {', '.join(unknown)}.")
        data = ProjectData(
            Project(
                title=" ".join(title.split()),
                classification=clean_line(classification)[:MAX_MARKING_CHARS],
                caveats=clean_line(caveats)[:MAX_MARKING_CHARS],
            )
        )
        data.hypotheses = self.hypotheses
        data.evidence = self.evidence
        short_rows = 0
        for e, row in zip(self.evidence, self.codes, strict=True):
            if len(row) > len(self.hypotheses):
                raise ProjectFileError(
                    f"{name}: EVIDENCE {e.id} (“{e.summary[:40]}”) has {len(row)} ratings "
                    f"for {len(self.hypotheses)} hypotheses"
                )
            short_rows += len(row) < len(self.hypotheses)
            for j, rating in enumerate(row, start=1):
                if rating is not None:
                    data.cells[(e.id, j)] = Cell(rating)
        if self.odd_types:
            notes.append(f"Evidence types kept as Other: {', '.join(sorted(self.odd_types))}.")
        if short_rows:
            notes.append(
                f"{short_rows} evidence item(s) had fewer ratings than hypotheses: the rest are unrated."
            )
        notes.append("PARC ACH files have no relevance, reasons or descriptions: relevance is set to Medium.")
        notes.extend(cleaning_note(clean_project(data)))
        return ImportResult(data, notes)


def _text(element: Element | None, where: str, name: str) -> str:
    text = "".join(element.itertext()).strip() if element is not None else ""
    if len(text) > MAX_TEXT:
        raise ProjectFileError(f"{name}: {where} is {len(text):,} characters long; refused")
    return text


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
    # Texts are cleaned again on the way out: a project stored before imports were
    # cleaned may still hold control characters, which XML cannot carry.
    SubElement(root, "PROJECT-TITLE").text = clean_text(matrix.project.title)
    SubElement(root, "LAST-INDEX").text = str(len(matrix.hypotheses) + len(matrix.evidence))
    SubElement(root, "COLOR-SCHEME").text = "0"
    marking = marking_line(matrix.project.classification, matrix.project.caveats)
    SubElement(root, "CLASSIFICATION").text = clean_text(marking)
    body = SubElement(root, "MATRIX")
    for h in matrix.hypotheses:
        SubElement(SubElement(body, "HYPOTHESIS"), "NAME").text = clean_text(h.label)
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
            SubElement(item, tag).text = clean_text(text)
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
