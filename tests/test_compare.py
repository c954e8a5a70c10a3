"""Comparing your project with a colleague's version, and taking theirs (undoably)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hyp_board.core.compare import adopt_evidence, compare
from hyp_board.core.matrix import Matrix
from hyp_board.core.model import Cell, Evidence, Level, Project, ProjectData, Rating
from hyp_board.project_files.hypboard import parse_project, to_document
from hyp_board.sample_case import load_sample


def numbered(data):  # type: ignore[no-untyped-def]
    for i, e in enumerate(data.evidence):
        e.id = i + 1
    return data


def colleague_version(mine: Matrix) -> dict:
    """Their copy of my project, as a shared file would carry it, with their changes."""
    doc = to_document(mine)
    doc["ratings"][0]["rating"] = "II"  # a disagreement
    doc["ratings"][0]["reason"] = "They read it differently"
    doc["evidence"].append(
        {"uuid": "11111111-1111-4111-8111-111111111111", "summary": "Their new item", "credibility": "High"}
    )
    doc["ratings"].append(
        {
            "evidence": "11111111-1111-4111-8111-111111111111",
            "hypothesis": doc["hypotheses"][0]["uuid"],
            "rating": "I",
            "reason": "new",
        }
    )
    doc["hypotheses"].append(
        {"uuid": "22222222-2222-4222-8222-222222222222", "label": "Their new hypothesis"}
    )
    doc["ratings"].append(
        {
            "evidence": doc["evidence"][1]["uuid"],
            "hypothesis": "22222222-2222-4222-8222-222222222222",
            "rating": "C",
        }
    )
    return doc


def test_items_are_matched_by_identity_and_differences_counted():
    mine = Matrix(numbered(load_sample()))
    theirs = Matrix(parse_project(json.dumps(colleague_version(mine)).encode()).data)
    result = compare(mine, theirs)
    counts = result.counts()
    assert counts["differ"] == 1
    assert counts["agree"] == len(mine.cells) - 1
    assert counts["evidence_only_theirs"] == 1 and counts["hypotheses_only_theirs"] == 1
    assert counts["evidence_only_mine"] == 0 and counts["hypotheses_only_mine"] == 0
    assert result.differs(0, 0)


def test_taken_items_keep_their_passage_only_in_a_document_you_have():
    theirs = Matrix(numbered(load_sample()))
    data = theirs.to_data()  # my copy: the same documents (same identities), other ids
    for d in data.documents:
        d.id += 100
    for e in data.evidence:
        e.document_id += 100
    mine_with_docs = Matrix(data)
    item = theirs.evidence[14]  # quoted from the Rantburg page, graded D4
    adopted = adopt_evidence(item, theirs, mine_with_docs)
    doc = mine_with_docs.document(adopted.document_id)
    assert doc.uuid == theirs.document(item.document_id).uuid
    assert doc.text[adopted.span[0] : adopted.span[1]] == item.quote
    assert adopted.credibility is item.credibility and not adopted.credibility_overridden

    bare = Matrix(ProjectData(Project("Mine, without documents")))
    adopted = adopt_evidence(item, theirs, bare)
    assert (adopted.document_id, adopted.span, adopted.quote) == (0, None, item.quote)
    # Their credibility came from their grades; here it is kept, as an override of what
    # the information grade alone suggests (4 → Low, so no override for a Low item).
    assert adopted.credibility is item.credibility
    high = Evidence("x", information=item.information, credibility=Level.HIGH, document_id=item.document_id)
    assert adopt_evidence(high, theirs, bare).credibility_overridden


def test_independent_copies_are_matched_by_their_text():
    mine, theirs = Matrix(numbered(load_sample())), Matrix(numbered(load_sample()))  # fresh uuids each
    assert mine.hypotheses[0].uuid != theirs.hypotheses[0].uuid
    theirs.set_cell(theirs.evidence[2].id, theirs.hypotheses[1].id, Cell(Rating.NA))
    counts = compare(mine, theirs).counts()
    assert (
        counts["differ"] == 1
        and counts["evidence_only_theirs"] == 0
        and counts["hypotheses_only_theirs"] == 0
    )


@pytest.fixture
def their_file(window, tmp_path: Path) -> Path:
    path = tmp_path / "colleague.hypboard"
    path.write_text(json.dumps(colleague_version(window.session.matrix)), encoding="utf-8")
    return path


def test_compare_view_take_a_rating_then_everything_and_undo(window, their_file: Path, monkeypatch, qtbot):
    window.messages.answers = ["compare"]
    projects_before = len(window.store.list_projects())
    window.import_files([their_file])
    dialog = window.files.compare_dialog
    assert dialog is not None and dialog.isVisible()
    assert len(window.store.list_projects()) == projects_before  # comparing imports nothing
    assert "1 differ" in dialog.summary.text()

    matrix = window.session.matrix
    first_e, first_h = matrix.evidence[0].id, matrix.hypotheses[0].id
    original = matrix.cell(first_e, first_h)
    model = dialog.model
    dialog.only_differences.setChecked(True)
    differing = [
        model.index(r, c)
        for r in range(model.rowCount())
        for c in range(1, model.columnCount())
        if "→" in str(model.index(r, c).data())
    ]
    assert len(differing) == 1 and differing[0].data() == f"{original.rating.value} → II"
    dialog.table.selectionModel().select(differing[0], dialog.table.selectionModel().SelectionFlag.Select)
    dialog.take_cells.click()
    assert matrix.cell(first_e, first_h) == Cell(Rating.II, "They read it differently")
    assert "0 differ" in dialog.summary.text()

    window.undo_action.trigger()
    assert window.session.matrix.cell(first_e, first_h) == original
    assert "1 differ" in dialog.summary.text()

    n_evidence, n_hypotheses = len(matrix.evidence), len(matrix.hypotheses)
    dialog.take_all.click()
    assert len(matrix.evidence) == n_evidence + 1 and len(matrix.hypotheses) == n_hypotheses + 1
    new_item = matrix.evidence[-1]
    assert new_item.summary == "Their new item" and matrix.cell(new_item.id, first_h) == Cell(Rating.I, "new")
    assert matrix.cell(matrix.evidence[1].id, matrix.hypotheses[-1].id) == Cell(Rating.C)
    assert "0 differ" in dialog.summary.text() and "only they have" not in dialog.summary.text()

    window.undo_action.trigger()  # one undo step for the whole take
    assert len(matrix.evidence) == n_evidence and len(matrix.hypotheses) == n_hypotheses
    assert matrix.cell(first_e, first_h) == original


class StoredProject:
    """My project as the rules of taking see it: additions are stored at once."""

    def __init__(self, editor) -> None:  # type: ignore[no-untyped-def]
        self.editor = editor

    @property
    def matrix(self) -> Matrix:
        return self.editor.matrix

    def add_evidence(self, evidence: Evidence, index: int | None = None) -> int | None:
        return self.editor.add_evidence(evidence, index)[0]

    def add_hypothesis(self, hypothesis, index: int | None = None) -> int | None:  # type: ignore[no-untyped-def]
        return self.editor.add_hypothesis(hypothesis, index)[0]


def test_taking_rules_without_a_window(store):
    from hyp_board.core.compare import Taking
    from hyp_board.core.editor import ProjectEditor

    project_id = store.insert_project(load_sample())
    mine = StoredProject(ProjectEditor(store, Matrix(store.load_project(project_id))))
    theirs = Matrix(parse_project(json.dumps(colleague_version(mine.matrix)).encode()).data)
    comparison = compare(mine.matrix, theirs)
    differing = comparison.evidence[0], comparison.hypotheses[0]

    taking = Taking(mine, theirs)
    taking.cell(*differing)
    taking.cell(*differing)  # taken twice: one edit
    taking.row(comparison.evidence[1], comparison.hypotheses)  # rows that agree: nothing
    assert [(e, h, c.rating if c else None) for e, h, c in taking.cell_edits()] == [
        (differing[0].mine.id, differing[1].mine.id, Rating.II)
    ]

    everything = Taking(mine, theirs)
    everything.everything()
    labels = [h.label for h in mine.matrix.hypotheses]
    assert labels[-1] == "Their new hypothesis" and mine.matrix.evidence[-1].summary == "Their new item"
    new_h, new_e = mine.matrix.hypotheses[-1].id, mine.matrix.evidence[-1].id
    edits = {(e, h): c for e, h, c in everything.cell_edits()}
    assert edits[mine.matrix.evidence[1].id, new_h].rating is Rating.C  # their column's rating
    assert edits[new_e, mine.matrix.hypotheses[0].id].rating is Rating.I  # their row's rating
    assert edits[differing[0].mine.id, differing[1].mine.id].rating is Rating.II
    assert len(edits) == 3  # nothing where we already agree
