"""Stable evidence and hypothesis numbers (E1…, H1…): given once, never changed, never
given again in the project, and carried by every copy and report."""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from pypdf import PdfReader

from hyp_board.core.editor import ProjectEditor
from hyp_board.core.matrix import Matrix
from hyp_board.core.model import Evidence, Hypothesis
from hyp_board.project_files.csv_matrix import read_csv_matrix
from hyp_board.project_files.hypboard import parse_project, to_document
from hyp_board.project_files.import_result import ProjectFileError
from hyp_board.reports.csv_report import write_csv
from hyp_board.reports.markdown_report import render_markdown_report
from hyp_board.reports.model import build_report
from hyp_board.reports.pdf import write_pdf
from hyp_board.sample_case import load_sample
from hyp_board.sharing import export_project_file, import_project_file
from hyp_board.storage import Store
from hyp_board.storage.database import SCHEMA_VERSION

DATA = Path(__file__).parent / "data"


def numbers(matrix: Matrix) -> dict[str, int]:
    return {e.summary: e.number for e in matrix.evidence}


@pytest.fixture
def editor(store: Store) -> ProjectEditor:
    pid = store.insert_project(load_sample())
    return ProjectEditor(store, Matrix(store.load_project(pid)))


def reloaded(editor: ProjectEditor) -> Matrix:
    store = editor.store
    assert isinstance(store, Store)
    return Matrix(store.load_project(editor.project_id))


def test_the_sample_is_numbered_in_its_order(editor: ProjectEditor):
    m = editor.matrix
    assert [e.ref for e in m.evidence] == [f"E{i}" for i in range(1, len(m.evidence) + 1)]
    assert [h.ref for h in m.hypotheses] == ["H1", "H2", "H3", "H4"]
    assert m.project.last_evidence_number == len(m.evidence)


def test_inserting_deleting_and_moving_renumber_nothing(editor: ProjectEditor):
    m = editor.matrix
    before = numbers(m)
    new_id, _ = editor.add_evidence(Evidence("Inserted near the top"), index=1)
    assert m.evidence_item(new_id).number == len(before) + 1  # the next number, not 2
    editor.remove_evidence(m.evidence[0].id)
    editor.move_evidence(m.evidence[-1].id, 0)
    after = numbers(m)
    del after["Inserted near the top"]
    before.pop(next(s for s, n in before.items() if n == 1))
    assert after == before
    assert numbers(reloaded(editor)) == numbers(m)  # as stored


def test_a_deleted_number_is_never_given_again(editor: ProjectEditor):
    m = editor.matrix
    last = m.evidence[-1]
    removed, _ = editor.remove_evidence(last.id)
    new_id, _ = editor.add_evidence(Evidence("After the deletion"))
    assert m.evidence_item(new_id).number == last.number + 1
    # Undoing the deletion brings the item back with its own number.
    editor.remove_evidence(new_id)
    restored_id, _ = editor.restore_evidence(removed)
    assert m.evidence_item(restored_id).number == last.number
    # The counter survives a restart, so the next item still gets a fresh number.
    matrix = reloaded(editor)
    assert matrix.project.last_evidence_number == last.number + 1
    again, _ = ProjectEditor(editor.store, matrix).add_evidence(Evidence("Later"))
    assert matrix.evidence_item(again).number == last.number + 2


def test_hypotheses_keep_their_numbers_too(editor: ProjectEditor):
    m = editor.matrix
    removed, _ = editor.remove_hypothesis(m.hypotheses[1].id)  # H2
    new_id, _ = editor.add_hypothesis(Hypothesis("A fifth explanation"), index=0)
    assert m.hypothesis(new_id).ref == "H5"
    editor.move_hypothesis(m.hypotheses[-1].id, 0)
    assert sorted(h.ref for h in reloaded(editor).hypotheses) == ["H1", "H3", "H4", "H5"]
    editor.restore_hypothesis(removed)
    assert sorted(h.ref for h in reloaded(editor).hypotheses) == ["H1", "H2", "H3", "H4", "H5"]


def test_a_duplicate_keeps_the_numbers_and_what_was_given(editor: ProjectEditor, store: Store):
    editor.remove_evidence(editor.matrix.evidence[-1].id)
    copy = Matrix(store.load_project(store.duplicate_project(editor.project_id, "Copy")))
    assert numbers(copy) == numbers(editor.matrix)
    assert copy.project.last_evidence_number == editor.matrix.project.last_evidence_number


def test_a_schema_1_1_database_is_numbered_as_it_was_shown(tmp_path: Path):
    copy = tmp_path / "old.sqlite"
    shutil.copy(DATA / "schema-1.1-unnumbered.sqlite", copy)
    s = Store.open(copy)
    m = Matrix(s.load_project(s.find_project("Schema 1.1 project")))
    # The "#" column showed the position: the numbers are what the analyst saw.
    assert [(e.summary, e.ref) for e in m.evidence] == [
        ("Item 5", "E1"),
        ("Item 1", "E2"),
        ("Item 3", "E3"),
        ("Item 4", "E4"),
    ]
    assert [h.ref for h in m.hypotheses] == ["H1", "H2", "H3"]
    assert m.evidence[1].document_id and m.evidence[1].span == (5, 9)
    other = Matrix(s.load_project(s.find_project("Second project")))
    assert [e.ref for e in other.evidence] == ["E1", "E2"]  # numbered per project
    new_id, _ = ProjectEditor(s, m).add_evidence(Evidence("New"))
    assert m.evidence_item(new_id).ref == "E5"
    s.close()
    with sqlite3.connect(copy) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_hypboard_round_trip_keeps_numbers_and_what_was_given(
    editor: ProjectEditor, store: Store, tmp_path: Path
):
    editor.remove_evidence(editor.matrix.evidence[-1].id)  # the highest number, now unused
    editor.move_evidence(editor.matrix.evidence[-1].id, 0)
    out = tmp_path / "shared.hypboard"
    export_project_file(store, editor.project_id, out)
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["version"] == "1.4"
    assert document["evidence"][0]["number"] == editor.matrix.evidence[0].number
    imported_id, _ = import_project_file(store, out)
    imported = Matrix(store.load_project(imported_id))
    assert numbers(imported) == numbers(editor.matrix)
    assert [h.number for h in imported.hypotheses] == [h.number for h in editor.matrix.hypotheses]
    assert imported.project.last_evidence_number == editor.matrix.project.last_evidence_number
    new_id, _ = ProjectEditor(store, imported).add_evidence(Evidence("Added by a colleague"))
    assert imported.evidence_item(new_id).number == editor.matrix.project.last_evidence_number + 1


def test_a_file_without_numbers_is_numbered_in_its_order():
    document = to_document(Matrix(load_sample()))
    document["version"] = "1.1"
    for item in document["hypotheses"] + document["evidence"]:
        del item["number"]
    del document["project"]["last_evidence_number"]
    del document["project"]["last_hypothesis_number"]
    data = parse_project(json.dumps(document).encode()).data
    assert [e.number for e in data.evidence] == list(range(1, len(data.evidence) + 1))
    assert [h.number for h in data.hypotheses] == [1, 2, 3, 4]


def test_a_number_used_twice_is_refused():
    document = to_document(Matrix(load_sample()))
    document["evidence"][3]["number"] = document["evidence"][1]["number"]
    with pytest.raises(ProjectFileError, match=r"evidence\[3\]\.number: the number 2 is used twice"):
        parse_project(json.dumps(document).encode())


def test_csv_round_trip_keeps_numbers(editor: ProjectEditor, tmp_path: Path):
    editor.move_evidence(editor.matrix.evidence[-1].id, 0)
    editor.move_hypothesis(editor.matrix.hypotheses[-1].id, 0)
    out = tmp_path / "matrix.csv"
    write_csv(build_report(editor.matrix), out)
    with out.open(encoding="utf-8-sig", newline="") as fh:
        header = next(csv.reader(fh))
    assert header[1] == f"H4: {editor.matrix.hypotheses[0].label}"
    data = read_csv_matrix(out).data
    assert [h.label for h in data.hypotheses] == [h.label for h in editor.matrix.hypotheses]
    assert [h.number for h in data.hypotheses] == [4, 1, 2, 3]
    assert [e.number for e in data.evidence] == [e.number for e in editor.matrix.evidence]


def test_sensitivity_and_reports_cite_the_stable_numbers(editor: ProjectEditor, tmp_path: Path):
    m = editor.matrix
    pivotal = [m.evidence_item(e) for e in m.sensitivity().pivotal]
    assert pivotal, "the sample's lead rests on a few items"
    # Move them to the top: their places change, their numbers must not.
    for ev in reversed(pivotal):
        editor.move_evidence(ev.id, 0)
    refs = [ev.ref for ev in pivotal]
    assert all(ev.position + 1 != ev.number for ev in pivotal)
    report = build_report(m)
    assert all(ref in report.sensitivity for ref in refs), report.sensitivity
    markdown = render_markdown_report(report)
    assert f"| {pivotal[0].ref} |" in markdown and f"### {pivotal[0].ref}. " in markdown
    pdf = tmp_path / "r.pdf"
    write_pdf(report, pdf)
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert all(ref in text for ref in refs)
    assert f"{pivotal[0].ref}. {pivotal[0].summary[:20]}" in " ".join(text.split())


def test_items_an_older_version_added_get_numbers_when_next_opened(store: Store, db_path: Path):
    pid = store.insert_project(load_sample())
    last = Matrix(store.load_project(pid)).project.last_evidence_number
    # A 1.x version without numbers adds rows (the column's default is 0, twice).
    with sqlite3.connect(db_path) as conn:
        for n in range(2):
            conn.execute(
                "INSERT INTO evidence (uuid, project_id, summary, quote, source, date, kind, credibility, "
                "relevance, included, notes, position, credibility_overridden) "
                "VALUES (?, ?, ?, '', '', '', 'Report', 'Medium', 'Medium', 1, '', ?, 0)",
                (f"00000000-0000-4000-8000-00000000000{n}", pid, f"Older {n}", 100 + n),
            )
    first = Matrix(store.load_project(pid))
    added = {e.summary: e.number for e in first.evidence if e.summary.startswith("Older")}
    assert added == {"Older 0": last + 1, "Older 1": last + 2}
    again = Matrix(store.load_project(pid))  # stored: the same numbers next time
    assert {e.summary: e.number for e in again.evidence if e.summary.startswith("Older")} == added
    assert again.project.last_evidence_number == last + 2
