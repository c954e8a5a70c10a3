"""Labels, titles and reasons from a colleague's file are shown as the text they are:
markup in them is never rendered by Qt (an <img> of /dev/zero once exhausted memory)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import Qt as QtGuiNamespace
from PySide6.QtGui import QTextDocument

from hyp_board.core.matrix import Matrix
from hyp_board.core.model import Cell, Document, Evidence, Hypothesis, Project, ProjectData, Rating

MARKUP = '<img src="/dev/zero">Iran'


def as_qt_shows(text: str) -> str:
    """What a tooltip or an automatic label shows for *text*: Qt renders it as HTML
    when it looks like HTML."""
    if not QtGuiNamespace.mightBeRichText(text):
        return text
    document = QTextDocument()
    document.setHtml(text)
    return document.toPlainText()


def hostile_project() -> ProjectData:
    data = ProjectData(Project(f"{MARKUP} project", question=MARKUP))
    data.hypotheses = [Hypothesis(MARKUP, description=MARKUP, id=1), Hypothesis("Plain", id=2)]
    data.documents = [Document(f"{MARKUP} report", original_text=f"Text of it. {MARKUP} quoted.", id=1)]
    start = data.documents[0].original_text.index(MARKUP)
    data.evidence = [
        Evidence(MARKUP, quote=MARKUP, source=MARKUP, id=1, document_id=1, span=(start, start + len(MARKUP))),
        Evidence("Plain item", id=2),
    ]
    data.cells = {(1, 1): Cell(Rating.I, MARKUP), (1, 2): Cell(Rating.C), (2, 1): Cell(Rating.C)}
    return data


def tooltips(model, rows: int, columns: int) -> list[str]:  # type: ignore[no-untyped-def]
    found = []
    for column in range(columns):
        found.append(model.headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole))
        for row in range(rows):
            found.append(model.index(row, column, QModelIndex()).data(Qt.ItemDataRole.ToolTipRole))
    return [t for t in found if t]


def test_markup_in_a_project_reaches_the_user_as_text(window):
    project_id = window.store.insert_project(hostile_project())
    window.open_project(project_id)
    session = window.session
    model = session.model
    shown = [as_qt_shows(t) for t in tooltips(model, model.rowCount(), model.columnCount())]
    shown += [
        as_qt_shows(t) for t in tooltips(session.scores, session.scores.rowCount(), model.columnCount())
    ]
    documents = window.documents_panel.model
    shown += [as_qt_shows(t) for t in tooltips(documents, documents.rowCount(), 1)]
    combo = window.projects.combo
    shown += [as_qt_shows(combo.itemData(i, Qt.ItemDataRole.ToolTipRole)) for i in range(combo.count())]
    # The label, the reason, the summary and the titles are each somewhere, literally.
    assert sum(MARKUP in text for text in shown) >= 5
    for text in shown:
        assert "Iran" not in text or MARKUP in text, text  # never the label without its markup

    window.matrix.view.setCurrentIndex(model.index(0, model.column_of(session.matrix.hypotheses[0].id)))
    page = window.inspector.evidence_page
    assert MARKUP in as_qt_shows(page.cell_box.toolTip())
    assert MARKUP in as_qt_shows(page.document.toolTip())
    assert MARKUP in page.document.text() or "&lt;img" in page.document.text()
    assert window.windowTitle().startswith(MARKUP)

    theirs = Matrix(hostile_project())
    theirs.set_cell(2, 2, Cell(Rating.II, MARKUP))
    dialog = window.files.compare_with(theirs, f"{MARKUP}.hypboard")
    compare_shown = [as_qt_shows(t) for t in tooltips(dialog.model, dialog.model.rowCount(), 3)]
    assert any(MARKUP in text for text in compare_shown)
    assert MARKUP in as_qt_shows(dialog.summary.text())
