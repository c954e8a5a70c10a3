"""The window facing hostile files: a batch of documents goes on past the bad ones, notes
that took Markdown minutes open at once, and markup shown in the compare view is text."""

from __future__ import annotations

import time
from pathlib import Path

from test_gui_markup_is_text import MARKUP, as_qt_shows, tooltips

from hyp_board.core.matrix import Matrix
from hyp_board.core.model import Cell, Evidence, Hypothesis, Project, ProjectData, Rating
from hyp_board.core.text import clean_line

import hostile_files as hf


def test_a_batch_of_documents_goes_on_past_the_bad_ones(window, qtbot, tmp_path: Path):
    good = tmp_path / "good.txt"
    good.write_text("Good report\n\nThe convoy crossed at night.\n", encoding="utf-8")
    second = tmp_path / "second.md"
    second.write_text("# Second report\n\nWitnesses describe arrests.\n", encoding="utf-8")
    bad = [hf.nested_mhtml(tmp_path), hf.fifo(tmp_path, "pipe.txt"), hf.endless(tmp_path, "zero.html")]
    before = len(window.session.matrix.documents)
    window.documents.import_documents([good, *bad, second])
    titles = [d.title for d in window.session.matrix.documents[before:]]
    assert titles == ["Good report", "Second report"]
    warning = next(m for m in window.messages.shown if m.text.startswith("Not imported"))
    for path in bad:
        assert path.name in warning.detail
    assert "nested too deeply" in warning.detail and "named pipe" in warning.detail


def test_a_project_with_notes_that_took_markdown_minutes_opens_at_once(window, qtbot):
    data = ProjectData(Project("Brackets", notes="[" * 40_000))
    data.hypotheses.append(Hypothesis("H", description="> " * 20_000, id=1))
    data.evidence.append(Evidence("E", notes="![" * 20_000, id=1))
    project_id = window.store.insert_project(data)
    start = time.monotonic()
    window.open_project(project_id)
    qtbot.wait(10)
    assert time.monotonic() - start < 5
    model = window.session.model
    window.matrix.view.setCurrentIndex(model.index(0, 0))
    qtbot.wait(10)
    assert time.monotonic() - start < 8


def test_the_compare_view_shows_a_colleagues_markup_as_text(window, qtbot):
    data = ProjectData(Project("Mine"))
    data.hypotheses = [Hypothesis(MARKUP, id=1)]
    data.evidence = [Evidence(MARKUP, id=1)]
    data.cells = {(1, 1): Cell(Rating.I, MARKUP)}
    window.open_project(window.store.insert_project(data))
    theirs = Matrix(window.store.load_project(window.session.project_id))
    theirs.set_cell(theirs.evidence[0].id, theirs.hypotheses[0].id, Cell(Rating.II, MARKUP))
    dialog = window.files.compare_with(theirs, f"{MARKUP}.hypboard")
    shown = [as_qt_shows(t) for t in tooltips(dialog.model, dialog.model.rowCount(), 2)]
    assert shown and all("Iran" not in text or MARKUP in text for text in shown), shown
    assert MARKUP in as_qt_shows(dialog.summary.text())
    assert clean_line(MARKUP) == MARKUP  # markup is not what cleaning removes: it is shown as text
