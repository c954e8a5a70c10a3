"""Documents in the window: reading, quoting passages, highlights, grades, deletion."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog

from hyp_board.core.model import Level
from hyp_board.ui.matrix_model import Column

DOCS = Path(__file__).parent / "data" / "documents"


def pane_point(window, offset: int) -> QPoint:
    """Where the character at *offset* of the shown document is drawn in the text's viewport."""
    pane = window.reading_pane
    cursor = pane.text.textCursor()
    cursor.setPosition(pane._offsets.to_qt(offset))
    pane.text.setTextCursor(cursor)
    pane.text.centerCursor()
    rect = pane.text.cursorRect(cursor)
    return QPoint(rect.x() + 3, rect.center().y())


def current_evidence(window) -> int:
    return window.session.model.evidence_id(window.matrix.view.currentIndex().row())


def open_document(window, title_start: str) -> int:
    doc = next(d for d in window.session.matrix.documents if d.title.startswith(title_start))
    row = window.documents_panel.model.row_of(doc.id)
    index = window.documents_panel.model.index(row)
    rect = window.documents_panel.view.visualRect(index)
    QTest.mouseClick(window.documents_panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.reading_pane.document_id == doc.id
    return doc.id


def test_the_sample_opens_with_its_documents_listed_and_counted(window):
    model = window.documents_panel.model
    texts = [model.index(r).data() for r in range(model.rowCount())]
    assert len(texts) == 2
    assert texts[0].startswith("AP: Mahdi Army fractures") and "16 evidence items · C" in texts[0]
    assert "6 evidence items · D" in texts[1]
    assert window.reading_pane.document_id == window.session.matrix.documents[0].id
    assert len(window.reading_pane.text.extraSelections()) == 16


def test_select_a_passage_and_make_it_evidence(window, qtbot):
    doc_id = open_document(window, "US in Disarmament")
    pane = window.reading_pane
    text = window.session.matrix.document(doc_id).text
    sentence = "They are desperate for money."
    start = text.index(sentence)
    # Click at the start of the sentence, then select five words with the keyboard.
    qtbot.mouseClick(pane.text.viewport(), Qt.MouseButton.LeftButton, pos=pane_point(window, start))
    for _ in range(5):
        qtbot.keyClick(
            pane.text,
            Qt.Key.Key_Right,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )
    assert pane.new_evidence.isEnabled()
    before = len(window.session.matrix.evidence)
    qtbot.keyClick(pane.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    m = window.session.matrix
    assert len(m.evidence) == before + 1
    new = m.evidence_item(current_evidence(window))
    assert new.quote == "They are desperate for money"  # five words, as selected
    assert new.span is not None and text[new.span[0] : new.span[1]] == new.quote
    assert new.document_id == doc_id
    assert new.date == "2007-03-14" and "Anonymoose" in new.source
    # Source D suggests Low for what is quoted from it.
    assert new.credibility is Level.LOW and not new.credibility_overridden
    assert len(pane.text.extraSelections()) == 7
    assert "7 evidence items" in window.documents_panel.model.index(1).data()
    # Stored, and undone in one step.
    assert window.store.load_project(m.project.id).evidence[new.position].span == new.span
    window.undo_action.trigger()
    assert len(window.session.matrix.evidence) == before
    assert len(pane.text.extraSelections()) == 6


def test_clicking_a_highlight_selects_its_row(window, qtbot):
    m = window.session.matrix
    target = next(e for e in m.evidence if e.document_id == m.documents[0].id and e.position > 5)
    pane = window.reading_pane
    assert pane.document_id == target.document_id
    point = pane_point(window, target.span[0] + 2)
    window.matrix.view.setCurrentIndex(window.session.model.index(0, Column.SUMMARY))
    qtbot.mouseClick(pane.text.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert current_evidence(window) == target.id
    assert window.inspector.evidence_page.evidence_id == target.id


def test_selecting_a_row_scrolls_its_document_to_the_passage(window):
    m = window.session.matrix
    target = max((e for e in m.evidence if e.document_id == m.documents[1].id), key=lambda e: e.span[0])
    window.matrix.view.setCurrentIndex(window.session.model.index(target.position, Column.SUMMARY))
    pane = window.reading_pane
    assert pane.document_id == target.document_id  # switched documents
    cursor_rect = pane.text.cursorRect()
    assert pane.text.viewport().rect().contains(cursor_rect.center())
    assert pane._offsets.from_qt(pane.text.textCursor().position()) == target.span[0]
    formats = [s.format.fontUnderline() for s in pane.text.extraSelections()]
    assert formats.count(True) == 1  # the current passage stands out


def test_import_by_drop_refuses_what_cannot_be_read(window, tmp_path: Path):
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>Convoy</title></head><body><nav><a href='/'>Home</a> <a href='/x'>World</a></nav>"
        "<p>A convoy of trucks was stopped at the border crossing on Tuesday, and the drivers said they "
        "had been paid in cash by men they did not know to carry the cargo to Basra.</p></body></html>",
        encoding="utf-8",
    )
    binary = tmp_path / "scan.txt"
    binary.write_bytes(bytes(range(256)) * 20)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(page)), QUrl.fromLocalFile(str(binary))])
    before = len(window.session.matrix.documents)
    window.dropEvent(
        QDropEvent(
            QPointF(10, 10),
            Qt.DropAction.CopyAction,
            mime,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
    )
    QTest.qWait(50)
    docs = window.session.matrix.documents
    assert len(docs) == before + 1 and docs[-1].title == "Convoy"
    assert window.reading_pane.document_id == docs[-1].id
    assert "Home" not in window.reading_pane.text.toPlainText()
    warnings = window.messages.texts_of("warning")
    assert warnings and "scan.txt" in warnings[0] and "binary" in warnings[0]
    window.undo_action.trigger()
    assert len(window.session.matrix.documents) == before


def test_import_and_paste_from_the_menu(window, monkeypatch):
    monkeypatch.setattr(
        QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(DOCS / "ap-mahdi-army-fractures.txt")], "")
    )
    before = len(window.session.matrix.documents)
    window.actions_.import_documents.trigger()
    QGuiApplication.clipboard().setText("Witnesses describe arrests near Basra\n\nMore text follows here.")
    window.actions_.paste_document.trigger()
    docs = window.session.matrix.documents
    assert len(docs) == before + 2
    assert docs[-1].title == "Witnesses describe arrests near Basra"
    assert window.reading_pane.text.toPlainText().startswith("Witnesses describe")


def test_source_grade_moves_credibility_and_undo_restores_it(window):
    doc_id = open_document(window, "US in Disarmament")
    m = window.session.matrix
    linked = m.evidence_from(doc_id)
    before = [(e.credibility, e.credibility_overridden) for e in linked]
    pane = window.reading_pane
    # Clear the information grades of one item so the source grade decides for it.
    window.session.edit_evidence(linked[0].id, {"information": None})
    pane.reliability.setCurrentIndex(pane.reliability.findData("A"))
    pane.reliability.activated.emit(pane.reliability.currentIndex())
    assert m.document(doc_id).reliability.value == "A"
    assert linked[0].credibility is Level.HIGH
    window.undo_action.trigger()
    window.undo_action.trigger()
    assert m.document(doc_id).reliability.value == "D"
    assert [(e.credibility, e.credibility_overridden) for e in linked] == before
    assert pane.reliability.currentData() == "D"


def test_full_original_text_switch_keeps_highlights_on_their_passages(window, qtbot):
    doc_id = open_document(window, "US in Disarmament")
    pane = window.reading_pane
    assert pane.full_text.isVisible() and not pane.full_text.isChecked()
    qtbot.mouseClick(pane.full_text, Qt.MouseButton.LeftButton, pos=QPoint(5, pane.full_text.height() // 2))
    doc = window.session.matrix.document(doc_id)
    assert doc.uses_original and "Bold Italic Underline" in pane.text.toPlainText()
    for ev in window.session.matrix.evidence_from(doc_id):
        assert doc.text[ev.span[0] : ev.span[1]] == ev.quote
    highlighted = {s.cursor.selectedText() for s in pane.text.extraSelections()}
    assert highlighted == {ev.quote for ev in window.session.matrix.evidence_from(doc_id)}
    window.undo_action.trigger()
    assert not doc.uses_original and "Bold Italic" not in pane.text.toPlainText()


@pytest.mark.parametrize("choice", ["keep", "delete"])
def test_deleting_a_document_asks_about_its_evidence_and_undoes(window, choice: str):
    window.messages.answers = [choice]
    doc_id = open_document(window, "US in Disarmament")
    m = window.session.matrix
    linked = [e.id for e in m.evidence_from(doc_id)]
    total = len(m.evidence)
    window.documents_panel.view.setFocus()
    QTest.keyClick(window.documents_panel.view, Qt.Key.Key_Delete)
    assert not m.has_document(doc_id)
    assert "taken from it" in window.messages.questions[-1]
    if choice == "keep":
        assert len(m.evidence) == total
        assert all(m.evidence_item(e).document_id == 0 and m.evidence_item(e).span is None for e in linked)
    else:
        assert len(m.evidence) == total - len(linked)
    assert window.documents_panel.model.rowCount() == 1
    window.undo_action.trigger()
    m = window.session.matrix
    assert m.has_document(doc_id) and len(m.evidence) == total
    assert [e.id for e in m.evidence_from(doc_id)] == linked
    assert all(m.evidence_item(e).span for e in linked)
    assert window.documents_panel.model.rowCount() == 2


def test_find_in_a_document_then_quote_the_match(window, qtbot):
    doc_id = open_document(window, "AP: Mahdi Army")
    pane, bar = window.reading_pane, window.reading_pane.find_bar
    text = window.session.matrix.document(doc_id).text
    window.activateWindow()
    window.matrix.view.setFocus()
    window.actions_.find_in_document.trigger()  # Ctrl+F, from anywhere in the window
    assert bar.isVisible() and bar.query.hasFocus()

    qtbot.keyClicks(bar.query, "quds force")  # typing finds as it goes, ignoring case
    first = text.lower().index("quds force")
    total = text.lower().count("quds force")
    assert total >= 1
    assert pane.selected_span() == (first, first + len("quds force"))
    assert bar.count.text() == f"1 of {total}"

    qtbot.keyClick(bar.query, Qt.Key.Key_Return)  # next, wrapping round to the first
    if total == 1:
        assert pane.selected_span() == (first, first + len("quds force"))
    qtbot.keyClick(bar.query, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)  # back again
    assert pane.selected_span() == (first, first + len("quds force"))

    qtbot.keyClick(bar.query, Qt.Key.Key_Escape)  # closes; the match stays selected in the text
    assert not bar.isVisible() and pane.text.hasFocus()
    before = len(window.session.matrix.evidence)
    qtbot.keyClick(pane.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    new = window.session.matrix.evidence_item(current_evidence(window))
    assert len(window.session.matrix.evidence) == before + 1
    assert new.span == (first, first + len("quds force")) and new.quote == text[first : first + 10]

    window.actions_.find_in_document.trigger()
    bar.query.selectAll()
    qtbot.keyClicks(bar.query, "no such words anywhere")
    assert bar.count.text() == "Not found" and "color" in bar.query.styleSheet()
    assert pane.selected_span() is None


def test_find_counts_many_matches_once_and_steps_through_them(window, qtbot):
    doc_id = open_document(window, "US in Disarmament")
    pane, bar = window.reading_pane, window.reading_pane.find_bar
    text = window.session.matrix.document(doc_id).text
    window.actions_.find_in_document.trigger()
    qtbot.keyClicks(bar.query, "the")
    starts, at = [], text.lower().find("the")
    while at >= 0:
        starts.append(at)
        at = text.lower().find("the", at + 1)
    assert bar.count.text() == f"1 of {len(starts)}"
    for expected in starts[1:4]:
        qtbot.keyClick(bar.query, Qt.Key.Key_F3)
        assert pane.selected_span() == (expected, expected + 3)
    assert bar.count.text() == f"4 of {len(starts)}"
    qtbot.keyClick(bar.query, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert pane.selected_span() == (starts[2], starts[2] + 3)


def test_an_empty_title_is_refused_and_the_field_shows_the_title_kept(window, qtbot):
    doc_id = open_document(window, "AP: Mahdi Army")
    pane = window.reading_pane
    kept = window.session.matrix.document(doc_id).title
    pane.details_button.click()
    field = pane.fields["title"]
    field.setFocus()
    field.selectAll()
    qtbot.keyClick(field, Qt.Key.Key_Delete)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert [s.text for s in window.messages.shown] == ["The title cannot be empty"]
    assert window.session.matrix.document(doc_id).title == kept
    assert field.text() == kept

    field.selectAll()
    qtbot.keyClicks(field, "AP report")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert window.session.matrix.document(doc_id).title == field.text() == "AP report"


def test_cancelling_a_batch_import_adds_none_of_it(window, qtbot, tmp_path: Path, monkeypatch):
    import threading

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QProgressDialog

    import hyp_board.ui.document_import as document_import

    paths = []
    for n in range(3):
        paths.append(tmp_path / f"report-{n}.txt")
        paths[-1].write_text(
            f"Report {n}\n\nThe militia split is reported by source {n}.\n", encoding="utf-8"
        )
    real_read = document_import.read_document
    read: list[str] = []
    on_gui_thread: list[bool] = []

    def slow_read(path: Path, control):  # type: ignore[no-untyped-def]
        # The reader runs off the GUI thread and goes on until Cancel reaches it.
        on_gui_thread.append(threading.current_thread() is threading.main_thread())
        read.append(path.name)
        for _ in range(500):
            control.step(0, 1)
            threading.Event().wait(0.01)
        raise AssertionError("Cancel never reached the reader")

    def press_cancel() -> None:
        dialog = window.findChild(QProgressDialog)
        assert dialog is not None
        dialog.cancel()  # the user presses Cancel while the first file is read

    monkeypatch.setattr(document_import, "read_document", slow_read)
    before = len(window.session.matrix.documents)
    QTimer.singleShot(300, press_cancel)
    window.import_documents(paths)
    assert read == ["report-0.txt"] and on_gui_thread == [False]  # stopped before the next file
    assert len(window.session.matrix.documents) == before
    assert "Import cancelled" in window.statusBar().currentMessage()

    monkeypatch.setattr(document_import, "read_document", real_read)
    window.import_documents(paths)
    assert len(window.session.matrix.documents) == before + 3
    window.session.undo_stack.undo()  # the batch is one step
    assert len(window.session.matrix.documents) == before
