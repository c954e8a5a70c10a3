"""Evidence taken from documents: passages, grades, and documents kept, switched and deleted."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from hyp_board.core.editor import EditError, ProjectEditor
from hyp_board.core.grading import suggested_credibility
from hyp_board.core.matrix import Matrix
from hyp_board.core.model import Cell, Evidence, Hypothesis, InformationGrade, Level, Rating, Reliability
from hyp_board.ingest.importer import read_document
from hyp_board.project_files.hypboard import parse_project, to_document
from hyp_board.sample_case import load_sample
from hyp_board.startup import open_store
from hyp_board.storage import Store
from hyp_board.storage.database import SCHEMA_VERSION

from cli_runner import run
from project_factory import project_fields

DATA = Path(__file__).parent / "data"
RANTBURG = DATA / "documents" / "rantburg-us-disarmament-talks.txt"
AP = DATA / "documents" / "ap-mahdi-army-fractures.txt"


def editor_for(store: Store, pid: int) -> ProjectEditor:
    return ProjectEditor(store, Matrix(store.load_project(pid)))


def quoted(editor: ProjectEditor, doc_id: int, quote: str, **fields: object) -> int:
    """Add an item the way the reading pane does: the passage, its span, its document."""
    text = editor.matrix.document(doc_id).text
    start = text.index(quote)
    eid, _ = editor.add_evidence(
        Evidence(quote[:60], quote=quote, document_id=doc_id, span=(start, start + len(quote)), **fields)
    )
    return eid


@pytest.fixture
def project(store: Store) -> tuple[Store, int, int]:
    pid = store.create_project("Documents case")
    doc_id = store.insert_document(pid, read_document(RANTBURG).document)
    return store, pid, doc_id


# -- grading -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("reliability", "information", "level", "unknown"),
    [
        ("A", None, Level.HIGH, False),
        ("B", None, Level.HIGH, False),
        ("C", None, Level.MEDIUM, False),
        ("D", None, Level.LOW, False),
        ("E", None, Level.LOW, False),
        ("F", None, Level.MEDIUM, True),
        (None, "1", Level.HIGH, False),
        (None, "2", Level.HIGH, False),
        (None, "3", Level.MEDIUM, False),
        (None, "4", Level.LOW, False),
        (None, "5", Level.LOW, False),
        (None, "6", Level.MEDIUM, True),
        ("A", "5", Level.LOW, False),  # the information grade judges this item
        ("E", "1", Level.HIGH, False),
        ("E", "6", Level.LOW, False),  # "cannot be judged" gives way to a judged grade
        ("F", "2", Level.HIGH, False),
        ("F", "6", Level.MEDIUM, True),
    ],
)
def test_grades_suggest_credibility_by_the_documented_mapping(reliability, information, level, unknown):
    s = suggested_credibility(
        Reliability(reliability) if reliability else None,
        InformationGrade(information) if information else None,
    )
    assert s is not None and (s.level, s.unknown) == (level, unknown)
    assert suggested_credibility(None, None) is None


def test_credibility_follows_grades_until_the_analyst_overrides_it(project):
    store, pid, doc_id = project
    ed = editor_for(store, pid)
    ed.update_document(doc_id, {"reliability": "B"})
    eid = quoted(ed, doc_id, "The American intelligence official spoke under the condition of anonymity")
    ev = ed.matrix.evidence_item(eid)
    assert ev.credibility is Level.HIGH and not ev.credibility_overridden
    ed.update_evidence(eid, {"information": "5"})
    assert ev.credibility is Level.LOW and not ev.credibility_overridden
    ed.update_evidence(eid, {"credibility": Level.MEDIUM})  # the analyst disagrees
    assert ev.credibility is Level.MEDIUM and ev.credibility_overridden
    ed.update_evidence(eid, {"information": "1"})  # an override stays
    assert ev.credibility is Level.MEDIUM and ev.credibility_overridden
    ed.update_evidence(eid, {"credibility": Level.HIGH})  # agreeing again ends the override
    assert not ev.credibility_overridden
    # A new source grade re-suggests for the items that follow their grades.
    ed.update_evidence(eid, {"information": None})
    ed.update_document(doc_id, {"reliability": "E"})
    assert ev.credibility is Level.LOW
    reloaded = Matrix(store.load_project(pid)).evidence_item(eid)
    assert (reloaded.credibility, reloaded.information, reloaded.credibility_overridden) == (
        Level.LOW,
        None,
        False,
    )


def test_invalid_grades_are_refused(project):
    store, pid, doc_id = project
    ed = editor_for(store, pid)
    eid, _ = ed.add_evidence(Evidence("x"))
    with pytest.raises(EditError, match="information"):
        ed.update_evidence(eid, {"information": "9"})
    with pytest.raises(EditError, match="reliability"):
        ed.update_document(doc_id, {"reliability": "Z"})


# -- passages ------------------------------------------------------------------------------
def test_spans_survive_reopening_the_project(project, db_path: Path):
    store, pid, doc_id = project
    ed = editor_for(store, pid)
    quote = "With al-Sadr’s paymasters gone many mid-level commanders are unpaid."
    eid = quoted(ed, doc_id, quote)
    store.close()
    reopened = Store.open(db_path)
    m = Matrix(reopened.load_project(pid))
    ev = m.evidence_item(eid)
    assert ev.document_id == doc_id and ev.span is not None
    assert m.document(doc_id).text[ev.span[0] : ev.span[1]] == quote
    reopened.close()


def test_switching_to_the_full_original_text_moves_every_passage(project):
    store, pid, doc_id = project
    ed = editor_for(store, pid)
    quotes = ["The U.S. is in serious discussions", "Posted by: Delphi2005", "al-Sadr’s paymasters"]
    ids = [quoted(ed, doc_id, q) for q in quotes]
    doc = ed.matrix.document(doc_id)
    article_spans = [ed.matrix.evidence_item(i).span for i in ids]
    old, _ = ed.use_original_text(doc_id, True)
    assert doc.text == doc.original_text and "Bold Italic Underline" in doc.text
    for eid, quote in zip(ids, quotes, strict=True):
        span = ed.matrix.evidence_item(eid).span
        assert span is not None and doc.text[span[0] : span[1]] == quote
    assert old == dict(zip(ids, article_spans, strict=True))
    ed.use_original_text(doc_id, False)
    assert [ed.matrix.evidence_item(i).span for i in ids] == article_spans


def test_an_edited_quote_keeps_its_passage_through_a_switch(project):
    store, pid, doc_id = project
    ed = editor_for(store, pid)
    eid = quoted(ed, doc_id, "They are desperate for money.")
    ed.update_evidence(eid, {"quote": "desperate for money"})  # the analyst trims the quote
    ed.use_original_text(doc_id, True)
    ev = ed.matrix.evidence_item(eid)
    assert ed.matrix.document(doc_id).text[ev.span[0] : ev.span[1]] == "They are desperate for money."


def test_a_passage_outside_the_article_loses_its_position_not_its_link(project):
    store, pid, doc_id = project
    ed = editor_for(store, pid)
    ed.use_original_text(doc_id, True)
    eid = quoted(ed, doc_id, "Sorry. Comments have been closed on this article.")
    ed.use_original_text(doc_id, False)
    ev = ed.matrix.evidence_item(eid)
    assert ev.document_id == doc_id and ev.span is None


def test_deleting_a_document_keeps_or_deletes_its_evidence_and_comes_back(project):
    store, pid, doc_id = project
    ed = editor_for(store, pid)
    h, _ = ed.add_hypothesis(Hypothesis("Real split"))
    a = quoted(ed, doc_id, "The U.S. is in serious discussions")
    b = quoted(ed, doc_id, "They are desperate for money.")
    ed.set_cell(b, h, Cell(Rating.II, "money trail"))
    other, _ = ed.add_evidence(Evidence("Unrelated item"))
    before = project_fields(ed.matrix)
    assert ed.matrix.evidence_counts() == {doc_id: 2}

    removed, _ = ed.remove_document(doc_id, delete_evidence=False)
    assert not ed.matrix.documents and len(ed.matrix.evidence) == 3
    assert all(ed.matrix.evidence_item(i).document_id == 0 for i in (a, b))
    ed.restore_document(removed)
    assert project_fields(ed.matrix) == before

    removed, _ = ed.remove_document(doc_id, delete_evidence=True)
    assert [e.id for e in ed.matrix.evidence] == [other]
    assert project_fields(Matrix(store.load_project(pid)))[2] == project_fields(ed.matrix)[2]
    ed.restore_document(removed)
    assert project_fields(ed.matrix) == before
    assert project_fields(Matrix(store.load_project(pid))) == before


# -- storage ---------------------------------------------------------------------------------
def test_a_schema_1_0_database_gains_documents(tmp_path: Path):
    copy = tmp_path / "old.sqlite"
    shutil.copy(DATA / "schema-1.0.sqlite", copy)
    s = Store.open(copy)
    pid = s.find_project("Schema 1.0 project")
    assert all(e.document_id == 0 and e.span is None for e in s.load_project(pid).evidence)
    doc_id = s.insert_document(pid, read_document(AP).document)
    ed = editor_for(s, pid)
    eid = quoted(ed, doc_id, "At the Pentagon, a military official confirmed")
    s.close()
    with sqlite3.connect(copy) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    s = Store.open(copy)
    ev = Matrix(s.load_project(pid)).evidence_item(eid)
    assert ev.document_id == doc_id and ev.span is not None
    s.close()


# -- the sample and shared files ----------------------------------------------------------------
def test_every_sample_item_is_linked_to_its_passage():
    data = load_sample()
    docs = {d.id: d for d in data.documents}
    assert len(docs) == 2 and all(d.reliability for d in docs.values())
    rantburg = next(d for d in docs.values() if "Disarmament" in d.title)
    assert "Â" not in rantburg.original_text and "Bold Italic" not in rantburg.text
    for ev in data.evidence:
        assert ev.document_id in docs, ev.summary
        assert ev.span is not None and docs[ev.document_id].text[ev.span[0] : ev.span[1]] == ev.quote
        assert ev.information is not None


def test_a_passage_that_does_not_match_its_document_is_dropped_with_a_note(store: Store):
    pid = store.insert_project(load_sample())
    doc = to_document(Matrix(store.load_project(pid)))
    doc["evidence"][0]["span"] = [0, 10]
    result = parse_project(json.dumps(doc).encode(), "tampered.hypboard")
    assert result.data.evidence[0].span is None and result.data.evidence[0].document_id
    assert "not where the file says" in result.notes[0]
    doc["evidence"][0]["document"] = "00000000-0000-4000-8000-000000000000"
    with pytest.raises(ValueError, match="no document has the uuid"):
        parse_project(json.dumps(doc).encode(), "tampered.hypboard")


# -- command line ----------------------------------------------------------------------------
def test_cli_adds_lists_and_prints_documents(db_path: Path, tmp_path: Path):
    open_store(db_path).close()  # the window's first start made it, with the sample
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    open_store(db_path).close()  # a first start: the database with the sample case
    result = run("add-documents", "1", "--db", str(db_path), str(RANTBURG), str(empty), str(binary))
    assert result.returncode == 1
    imported = [line for line in result.stdout.splitlines() if line.startswith("imported")]
    assert len(imported) == 1 and "US in Disarmament Discussions" in imported[0]
    assert "characters" in imported[0]
    refused = result.stderr.splitlines()
    assert refused[0].startswith("refused empty.txt: ") and "empty" in refused[0]
    assert refused[1].startswith("refused photo.txt: ") and "binary" in refused[1]

    listing = run("documents", "1", "--db", str(db_path)).stdout
    # The sample's two documents with their item counts, then the new one with none.
    rows = [line.split() for line in listing.splitlines()[1:]]
    assert len(rows) == 3
    assert [r[2] for r in rows] == ["16", "6", "0"]

    by_title = run("documents", "1", "--db", str(db_path), "--text", "us in disarmament")
    assert by_title.returncode == 1 and "several documents" in by_title.stderr
    new_id = rows[2][0]
    text = run("documents", "1", "--db", str(db_path), "--text", new_id).stdout
    assert text.startswith("US in Disarmament Discussions") and "Al-Sadr’s family" in text
    assert run("documents", "1", "--db", str(db_path), "--text", "AP:").stdout.startswith("AP: Mahdi Army")
    missing = run("documents", "1", "--db", str(db_path), "--text", "nothing like this")
    assert missing.returncode == 1 and "no document" in missing.stderr
