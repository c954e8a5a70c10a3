"""Hostile characters in text from files and from the keyboard: control characters are
removed wherever text enters, so every export we write reads back; invisible characters
that make two labels look alike are removed from one-line fields."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hyp_board.core.compare import compare
from hyp_board.core.editor import ProjectEditor
from hyp_board.core.matrix import Matrix
from hyp_board.core.method import Answer, DeceptionCheck, DeceptionQuestion, Milestone
from hyp_board.core.model import Cell, Document, Evidence, Hypothesis, Project, ProjectData, Rating
from hyp_board.core.text import (
    _clean_document_text_closely,
    _clean_line_closely,
    _clean_text_closely,
    clean_document_text,
    clean_line,
    clean_project,
    clean_project_data,
    clean_text,
)
from hyp_board.project_files.hypboard import to_document, write_project_file
from hyp_board.project_files.parc_achz import write_achz
from hyp_board.reports.csv_report import write_csv
from hyp_board.reports.model import build_report
from hyp_board.sharing import read_any, store_imported
from hyp_board.storage import Store

# NUL, escape, DEL, NEL (a C1 control), a lone carriage return, a noncharacter.
HOSTILE = "A\x00B\x1bC\x7fD\x85E\rF\ufffeG"
# Zero-width space, joiner, word joiner, byte-order mark; a right-to-left override and
# an isolate; "é" as e plus a combining accent.
INVISIBLE = "Ir\u200ban\u200d\u2060\ufeff \u202ecut\u202c \u2066funds\u2069 re\u0301gime"
VISIBLE = "Iran cut funds régime"


def hostile_project() -> ProjectData:
    data = ProjectData(Project(f"Case {HOSTILE}", question=f"Who? {HOSTILE}", notes=f"Notes {HOSTILE}"))
    data.hypotheses = [
        Hypothesis(f"H{i} {HOSTILE}", f"Why {HOSTILE}", id=i + 1, position=i) for i in range(2)
    ]
    text = f"Opening line.\nThe words {HOSTILE} quoted.\r\nLast line."
    data.documents = [Document(f"Report {HOSTILE}", original_text=text, id=1)]
    start = text.index("The words")
    span = (start, start + len(f"The words {HOSTILE} quoted."))
    data.evidence = [
        Evidence(
            f"Item {HOSTILE}",
            quote=text[span[0] : span[1]],
            source=f"Source {HOSTILE}",
            notes=f"Seen {HOSTILE}",
            id=1,
            position=0,
            document_id=1,
            span=span,
        ),
        Evidence(f"Other {HOSTILE}", quote=f"Q {HOSTILE}", source="Plain", id=2, position=1),
    ]
    data.cells = {(1, 1): Cell(Rating.C, f"Because {HOSTILE}"), (2, 2): Cell(Rating.I)}
    return data


def imported_from_hostile_file(tmp_path: Path) -> tuple[Matrix, ProjectData]:
    """The hostile project written as a .hypboard file (JSON carries every character),
    imported into a database; returns the stored project and the cleaned original."""
    original = hostile_project()
    path = tmp_path / "hostile.hypboard"
    path.write_text(json.dumps(to_document(Matrix(copy.deepcopy(original))), ensure_ascii=False))
    store = Store.open(tmp_path / "db.sqlite")
    project_id, _ = store_imported(store, read_any(path))
    stored = Matrix(store.load_project(project_id))
    store.close()
    return stored, clean_project_data(original)


def everything(data: ProjectData | Matrix) -> dict[str, object]:
    cells = data.cells
    return {
        "project": (data.project.title, data.project.question, data.project.notes),
        "hypotheses": [(h.label, h.description) for h in data.hypotheses],
        "evidence": [(e.summary, e.quote, e.source, e.notes, e.span) for e in data.evidence],
        "reasons": sorted(c.reason for c in cells.values()),
        "documents": [(d.title, d.original_text) for d in data.documents],
    }


def test_the_cleaned_project_holds_no_control_characters(tmp_path: Path):
    stored, cleaned = imported_from_hostile_file(tmp_path)
    assert everything(stored) == everything(cleaned)
    assert stored.hypotheses[0].label == "H0 ABCD E FG"
    assert stored.project.notes == "Notes ABCD\nE\nFG"
    # The document keeps its length (passages point into it) and the quote its passage.
    document = stored.documents[0]
    assert document.original_text == "Opening line.\nThe words A B C D\nE\nF G quoted. \nLast line."
    evidence = stored.evidence[0]
    assert evidence.span is not None
    assert (
        evidence.quote
        == document.text[evidence.span[0] : evidence.span[1]]
        == "The words A B C D\nE\nF G quoted."
    )


def test_every_export_reads_back_as_the_cleaned_original(tmp_path: Path):
    stored, cleaned = imported_from_hostile_file(tmp_path)
    expected = everything(cleaned)

    write_project_file(stored, tmp_path / "again.hypboard")
    assert everything(read_any(tmp_path / "again.hypboard").data) == expected

    write_achz(stored, tmp_path / "again.achz")
    parc = read_any(tmp_path / "again.achz").data
    assert parc.project.title == cleaned.project.title
    assert [h.label for h in parc.hypotheses] == [h.label for h in cleaned.hypotheses]
    assert [(e.summary, e.source) for e in parc.evidence] == [(e.summary, e.source) for e in cleaned.evidence]
    assert all(e.notes in p.notes for e, p in zip(cleaned.evidence, parc.evidence, strict=True))

    write_csv(build_report(stored), tmp_path / "again.csv")
    assert b"\x00" not in (tmp_path / "again.csv").read_bytes()
    matrix = read_any(tmp_path / "again.csv").data
    assert [h.label for h in matrix.hypotheses] == [h.label for h in cleaned.hypotheses]
    assert [(e.summary, e.source) for e in matrix.evidence] == [
        (e.summary, e.source) for e in cleaned.evidence
    ]


def test_exports_of_a_project_stored_with_control_characters_still_read_back(tmp_path: Path):
    """A project stored before imports were cleaned: the exports clean it on the way out."""
    matrix = Matrix(hostile_project())
    write_achz(matrix, tmp_path / "old.achz")
    assert read_any(tmp_path / "old.achz").data.hypotheses[0].label == "H0 ABCD E FG"
    write_csv(build_report(matrix), tmp_path / "old.csv")
    assert read_any(tmp_path / "old.csv").data.evidence[0].summary == "Item ABCD E FG"


def test_invisible_characters_leave_one_line_fields_on_import(tmp_path: Path):
    data = ProjectData(Project(f"Title {INVISIBLE}"))
    data.hypotheses = [
        Hypothesis(INVISIBLE, f"Keeps {INVISIBLE}", id=1),
        Hypothesis("Other", id=2, position=1),
    ]
    data.evidence = [Evidence(f"Summary {INVISIBLE}", source=INVISIBLE, id=1)]
    data.documents = [Document(f"Doc {INVISIBLE}", "text", id=1)]
    path = tmp_path / "spoof.hypboard"
    path.write_text(json.dumps(to_document(Matrix(data)), ensure_ascii=False))
    read = read_any(path).data
    assert read.project.title == f"Title {VISIBLE}"
    assert read.hypotheses[0].label == VISIBLE
    assert read.evidence[0].summary == f"Summary {VISIBLE}"
    assert read.evidence[0].source == VISIBLE
    assert read.documents[0].title == f"Doc {VISIBLE}"


def test_a_label_of_invisible_characters_only_is_refused(tmp_path: Path):
    from hyp_board.project_files.import_result import ProjectFileError

    data = ProjectData(Project("Spoof"))
    data.hypotheses = [Hypothesis("\u200b\u202e\u2066", id=1)]
    data.evidence = [Evidence("An item", id=1)]
    path = tmp_path / "blank.hypboard"
    path.write_text(json.dumps(to_document(Matrix(data)), ensure_ascii=False))
    with pytest.raises(ProjectFileError, match="hypothesis 1 has no visible label"):
        read_any(path)


def test_edits_clean_what_is_typed_and_labels_alike_become_equal(tmp_path: Path):
    store = Store.open(tmp_path / "db.sqlite")
    data = ProjectData(Project("Edited"))
    data.hypotheses = [Hypothesis("Iran cut funds régime", id=1), Hypothesis("Second", id=2, position=1)]
    data.evidence = [Evidence("An item", id=1)]
    project_id = store.insert_project(data)
    editor = ProjectEditor(store, Matrix(store.load_project(project_id)))
    second = editor.matrix.hypotheses[1].id
    editor.update_hypothesis(second, {"label": INVISIBLE, "description": f"Typed {HOSTILE}"})
    item = editor.matrix.evidence[0].id
    editor.update_evidence(item, {"summary": f"New {INVISIBLE}", "source": INVISIBLE, "notes": HOSTILE})
    editor.update_project({"title": f"T {INVISIBLE}", "notes": HOSTILE})
    for stored in (editor.matrix, Matrix(store.load_project(project_id))):
        assert stored.hypotheses[1].label == VISIBLE == stored.hypotheses[0].label
        assert stored.hypotheses[1].description == "Typed ABCD\nE\nFG"
        assert stored.evidence[0].summary == f"New {VISIBLE}"
        assert stored.evidence[0].source == VISIBLE
        assert stored.evidence[0].notes == "ABCD\nE\nFG"
        assert stored.project.title == f"T {VISIBLE}"
    store.close()


def test_compare_matches_labels_that_differ_only_by_invisible_characters():
    def project(label: str, summary: str) -> Matrix:
        data = ProjectData(Project("Copy"))
        data.hypotheses = [Hypothesis(label, id=1)]
        data.evidence = [Evidence(summary, id=1)]
        return Matrix(data)

    # Independent copies (different identities): matched by their text alone, even when
    # one side was stored before one-line fields were cleaned.
    comparison = compare(project(VISIBLE, "Convoy seen"), project(INVISIBLE, "Con\u200bvoy\u202e seen"))
    assert all(p.mine is not None and p.theirs is not None for p in comparison.hypotheses)
    assert all(p.mine is not None and p.theirs is not None for p in comparison.evidence)
    assert clean_line(INVISIBLE) == VISIBLE


def test_documents_are_imported_without_control_characters():
    from hyp_board.ingest.importer import document_from_text, parse_document

    # Noncharacters (invalid in XML) alongside controls, which the decoder's repair drops.
    text = "Field report\n\n" + "The convoy left at dawn. " * 300 + "Coded X\x01\ufffe\uffff\ufdd0Y here.\n"
    for imported in (parse_document(text.encode(), "report.txt"), document_from_text(text)):
        assert "Coded XY here." in imported.document.text


# Every character the cleaning treats apart, and its neighbours; then any character at
# all, lone surrogates included.
SPECIAL = (
    "\x00\x08\t\n\x0b\x0c\r\x0e\x1c\x1f \x7e\x7f\x84\x85\x9f\xa0\xad\u061c\u0627\u200b\u200c\u200d"
    "\u200e\u200f\u2028\u202a\u202e\u2060\u2066\u2069\ud800\udfff\ufdcf\ufdd0\ufdef\ufeff\ufffd\ufffe"
    "\uffff\U0001f600\U0001fffd\U0001fffe\U0001ffff\U00020000\U0010fffe\U0010ffffe\u0301aé"
)
ANY_TEXT = st.lists(
    st.sampled_from(SPECIAL) | st.text(st.characters(exclude_categories=()), max_size=3), max_size=30
).map("".join)


@settings(max_examples=400, deadline=None)
@given(text=ANY_TEXT)
def test_texts_kept_as_they_are_are_those_the_close_cleaning_leaves_alone(text: str):
    # Most texts need nothing, which one search tells before anything is done to them:
    # whatever it lets through must be exactly what the full cleaning would give.
    assert clean_text(text) == _clean_text_closely(text)
    assert clean_line(text) == _clean_line_closely(text)
    assert clean_document_text(text) == _clean_document_text_closely(text)


def test_the_note_after_cleaning_counts_every_field_changed():
    data = hostile_project()
    # The hostile project: its title, question and notes (3), both hypotheses' label and
    # description (4), the document's title and text (2), the first item's summary,
    # quote, source and notes (4), the second's summary and quote (2), one reason (1).
    assert clean_project(data) == 16
    assert clean_project(data) == 0  # cleaned once is clean

    data = hostile_project()
    data.project.classification, data.project.caveats = "SECRET\x00", "Plain"
    data.milestones = [Milestone(hypothesis_id=1, text="Watch\x01", note="Soon\r", uuid="m")]
    questions = list(DeceptionQuestion)
    data.deception_checks = {
        1: DeceptionCheck({q: (Answer.YES, f"Seen\x02{q}") for q in questions[:2]}, None, "N\x03")
    }
    data.documents[0].origin, data.documents[0].notes = "wire\u200b", "Checked\r"
    # 16 as above, plus the classification, the milestone's text and note, the check's
    # note and two answers, the document's origin and notes.
    assert clean_project(data) == 24
