"""PARC ACH (.achz) and CSV matrices: read liberally, refused cleanly, written back."""

from __future__ import annotations

import csv
import gzip
import sqlite3
from pathlib import Path

import pytest

from hyp_board.core.matrix import Matrix
from hyp_board.core.model import Evidence, EvidenceType, Hypothesis, Level, Project, ProjectData, Rating
from hyp_board.project_files.csv_matrix import parse_csv_matrix
from hyp_board.project_files.import_result import ProjectFileError
from hyp_board.project_files.parc_achz import parse_achz, read_achz, write_achz
from hyp_board.reports.csv_report import write_csv
from hyp_board.reports.model import build_report
from hyp_board.sample_case import load_sample
from hyp_board.sharing import import_project_file
from hyp_board.storage import Store

PARC = """<?xml version="1.0" encoding="UTF-16"?>
<{root}>
  <PROJECT-TITLE>Who took the ledger?</PROJECT-TITLE>
  <LAST-INDEX>7</LAST-INDEX>
  <COLOR-SCHEME>1</COLOR-SCHEME>
  <CLASSIFICATION>UNCLASSIFIED</CLASSIFICATION>
  <MATRIX>
    <HYPOTHESIS><NAME>The clerk</NAME></HYPOTHESIS>
    <HYPOTHESIS><NAME>The auditor</NAME></HYPOTHESIS>
    <HYPOTHESIS><NAME>Nobody: misfiled</NAME></HYPOTHESIS>
    <EVIDENCE>
      <NAME>Clerk had the only key</NAME><NOTES>From the night log.</NOTES><LINK>http://example.org/log</LINK>
      <TYPE>Report</TYPE><DATE>1173830400000</DATE><CODE>K-1</CODE><FLAG>1</FLAG>
      <CREDIBILITY>HIGH</CREDIBILITY><VALUES>C C,I,N</VALUES>
    </EVIDENCE>
    <EVIDENCE>
      <VALUES>I I, C ,</VALUES><CREDIBILITY>low</CREDIBILITY><NAME>Auditor seen leaving late</NAME>
      <DATE>0</DATE><TYPE>Rumour</TYPE>
    </EVIDENCE>
  </MATRIX>
</{root}>
"""


def achz(
    root: str = "ACH", encoding: str = "utf-16", compress: bool = True, text: str | None = None
) -> bytes:
    data = (text or PARC.format(root=root)).encode(encoding)
    return gzip.compress(data) if compress else data


@pytest.mark.parametrize(
    "variant",
    [
        {},
        {"root": "ACH-PROJECT"},
        {"root": "Document"},
        {"compress": False},
        {"encoding": "utf-16-le"},  # no byte order mark
        {"encoding": "utf-8", "text": PARC.format(root="ACH").replace("UTF-16", "UTF-8")},
    ],
)
def test_parc_files_are_read_liberally(variant: dict):
    result = parse_achz(achz(**variant), "ledger.achz")
    data = result.data
    assert data.project.title == "Who took the ledger?"
    assert [h.label for h in data.hypotheses] == ["The clerk", "The auditor", "Nobody: misfiled"]
    first, second = data.evidence
    assert (first.summary, first.source, first.date, first.credibility) == (
        "Clerk had the only key",
        "http://example.org/log",
        "2007-03-14",
        Level.HIGH,
    )
    assert "PARC code: K-1" in first.notes and "Flagged" in first.notes
    assert second.kind is EvidenceType.OTHER and second.credibility is Level.LOW and second.date == ""
    assert {k: c.rating for k, c in data.cells.items()} == {
        (1, 1): Rating.CC,
        (1, 2): Rating.I,
        (1, 3): Rating.N,
        (2, 1): Rating.II,
        (2, 2): Rating.C,
    }
    assert data.project.classification == "UNCLASSIFIED"  # the marking, no longer a note
    assert any("Rumour" in n for n in result.notes)


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<ACH><PROJECT-TITLE>&lol3;</PROJECT-TITLE><MATRIX/></ACH>"""


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "empty"),
        (achz()[:200], "damaged or cut short"),
        (gzip.compress(BILLION_LAUGHS.encode()), "declares entities"),
        (achz(text=PARC.format(root="ACH").replace("C C,I,N", "C C,X,N")), "rating 2: 'X'"),
        (achz(text=PARC.format(root="ACH").replace("C C,I,N", "C,C,I,N")), "4 ratings for 3 hypotheses"),
        (achz(text=PARC.format(root="ACH").replace("HIGH", "VERY")), "CREDIBILITY 'VERY'"),
        (achz(text=PARC.format(root="ACH").replace("1173830400000", "yesterday")), "not a time"),
        (gzip.compress(b"<ACH><PROJECT-TITLE>x</PROJECT-TITLE></ACH>"), "no MATRIX"),
        (gzip.compress(b"<ACH><MATRIX>"), "not readable XML"),
        (b"PK\x03\x04 a zip file, not ours", "not readable XML"),
    ],
)
def test_broken_parc_files_are_refused_and_change_nothing(
    raw: bytes, message: str, store: Store, db_path: Path, tmp_path: Path
):
    store.insert_project(load_sample())
    with sqlite3.connect(db_path) as c:
        before = list(c.iterdump())
    path = tmp_path / "broken.achz"
    path.write_bytes(raw)
    with pytest.raises(ProjectFileError) as info:
        import_project_file(store, path)
    assert message in str(info.value)
    with sqlite3.connect(db_path) as c:
        assert list(c.iterdump()) == before


def test_gzip_bombs_are_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    import hyp_board.project_files.parc_achz as parc

    monkeypatch.setattr(parc, "MAX_XML_BYTES", 1_000_000)
    bomb = gzip.compress(b"<ACH>" + b" " * 5_000_000 + b"</ACH>")
    assert len(bomb) < 10_000
    with pytest.raises(ProjectFileError, match="decompresses to more than"):
        parse_achz(bomb, "bomb.achz")


def test_parc_round_trip_keeps_what_parc_can_hold(tmp_path: Path):
    data = load_sample()
    for i, e in enumerate(data.evidence):
        e.id = i + 1
    matrix = Matrix(data)
    out = tmp_path / "sample.achz"
    lost = write_achz(matrix, out)
    assert "the reasons for ratings" in lost and "relevance" in lost
    raw = gzip.decompress(out.read_bytes())
    assert raw.startswith(b"\xff\xfe")  # UTF-16 with its byte order mark
    back = read_achz(out).data
    assert [h.label for h in back.hypotheses] == [h.label for h in matrix.hypotheses]
    assert [e.summary for e in back.evidence] == [e.summary for e in matrix.evidence]
    assert [e.credibility for e in back.evidence] == [e.credibility for e in matrix.evidence]
    original = {
        (matrix.evidence_index(e) + 1, matrix.hypothesis_index(h) + 1): c.rating
        for (e, h), c in matrix.cells.items()
    }
    assert {k: c.rating for k, c in back.cells.items()} == original


def test_csv_export_reads_back_as_the_same_matrix(tmp_path: Path):
    data = load_sample()
    for i, e in enumerate(data.evidence):
        e.id = i + 1
    matrix = Matrix(data)
    out = tmp_path / "sample.csv"
    write_csv(build_report(matrix), out)
    back = parse_csv_matrix(out.read_bytes(), out.name).data
    assert [h.label for h in back.hypotheses] == [h.label for h in matrix.hypotheses]
    fields = lambda e: (e.summary, e.source, e.date, e.kind, e.credibility, e.relevance, e.included)  # noqa: E731
    assert [fields(e) for e in back.evidence] == [fields(e) for e in matrix.evidence]
    assert len(back.cells) == len(matrix.cells)


def test_csv_from_a_european_spreadsheet():
    raw = "Beweis;Hypothese A;Hypothese B\nZeuge sah Wagen;c c;i\nKein Geständnis;;NA\n".encode("cp1252")
    result = parse_csv_matrix(raw, "matrix.csv")
    assert [h.label for h in result.data.hypotheses] == ["Hypothese A", "Hypothese B"]
    assert result.data.evidence[1].summary == "Kein Geständnis"
    assert {k: c.rating for k, c in result.data.cells.items()} == {
        (1, 1): Rating.CC,
        (1, 2): Rating.I,
        (2, 2): Rating.NA,
    }
    assert any("Windows-1252" in n for n in result.notes)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02binary", "binary data"),
        (b"Evidence\n", "at least one hypothesis"),
        (b"Evidence,H1\n", "no evidence rows"),
        (b"Evidence,H1,H2\nsomething,C,maybe\n", "row 2, column “H2”: 'maybe'"),
        (b"Evidence,H1,Credibility\nsomething,C,Huge\n", "row 2"),
        (b"Evidence,H1\n,C\n", "row 2: the evidence cell is empty"),
    ],
)
def test_broken_csv_matrices_are_refused(raw: bytes, message: str):
    with pytest.raises(ProjectFileError) as info:
        parse_csv_matrix(raw, "m.csv")
    assert message in str(info.value)


FORMULAS = ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "'=already quoted", "'plain quote"]


def test_csv_export_neutralises_formulas_and_reads_back_the_same_text(tmp_path: Path):
    data = ProjectData(Project("Formulas"))
    data.hypotheses = [Hypothesis(text, id=i + 1, position=i) for i, text in enumerate(FORMULAS)]
    data.evidence = [Evidence(text, source=text, id=i + 1, position=i) for i, text in enumerate(FORMULAS)]
    out = tmp_path / "formulas.csv"
    write_csv(build_report(Matrix(data)), out)

    with out.open(newline="", encoding="utf-8-sig") as fh:
        cells = [cell for row in csv.reader(fh) for cell in row]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert '\'=HYPERLINK("http://x")' in cells and "''=already quoted" in cells

    back = parse_csv_matrix(out.read_bytes(), out.name).data
    assert [h.label for h in back.hypotheses] == FORMULAS
    assert [e.summary for e in back.evidence] == FORMULAS
    assert [e.source for e in back.evidence] == FORMULAS
