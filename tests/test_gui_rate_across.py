"""Rate-across mode: one item at a time, hypotheses shuffled per item, the other items'
ratings out of sight until this one is rated, every rating undoable and recorded as
given blind."""

from __future__ import annotations

import random
import sqlite3

from PySide6.QtCore import Qt

from hyp_board.core.model import Evidence, Hypothesis, Rating, RatingMode, rating_record
from hyp_board.ui.matrix_delegates import RatingDelegate
from hyp_board.ui.matrix_model import FIXED_COLUMNS, RATED_IN_ROLE
from hyp_board.ui.rate_across import HIDDEN_NOTE, RateAcrossDialog


def fresh_project(window, items: int = 4, hypotheses: int = 5) -> None:  # type: ignore[no-untyped-def]
    """A project with nothing rated yet."""
    pid = window.store.create_project("Rate across")
    window.open_project(pid)
    for i in range(hypotheses):
        window.session.add_hypothesis(Hypothesis(f"Hypothesis {i + 1}"))
    for i in range(items):
        window.session.add_evidence(Evidence(f"Item {i + 1}", quote=f"Quoted words {i + 1}"))


def open_dialog(window, qtbot, seed: int = 7) -> RateAcrossDialog:  # type: ignore[no-untyped-def]
    dialog = RateAcrossDialog(window.session, random.Random(seed), parent=window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def shown_order(dialog: RateAcrossDialog) -> list[int]:
    return [dialog.hypothesis_at(r) for r in range(dialog.table.rowCount())]  # type: ignore[misc]


def others_column(dialog: RateAcrossDialog) -> list[str]:
    return [dialog.table.item(r, 2).text() for r in range(dialog.table.rowCount())]


def test_hypotheses_come_in_a_seeded_random_order_that_changes_per_item(window, qtbot):
    fresh_project(window)
    ids = [h.id for h in window.session.matrix.hypotheses]
    dialog = open_dialog(window, qtbot, seed=7)
    orders = [shown_order(dialog)]
    for _ in range(3):
        qtbot.keyClick(dialog.table, Qt.Key.Key_PageDown)
        orders.append(shown_order(dialog))
    assert all(sorted(order) == sorted(ids) for order in orders)
    assert len({tuple(o) for o in orders}) > 1 and any(o != ids for o in orders)
    # The same seed draws the same orders; going back shows an item's order unchanged.
    again = open_dialog(window, qtbot, seed=7)
    seen = [shown_order(again)]
    for _ in range(3):
        qtbot.keyClick(again.table, Qt.Key.Key_PageDown)
        seen.append(shown_order(again))
    assert seen == orders
    qtbot.keyClick(again.table, Qt.Key.Key_PageUp)
    assert shown_order(again) == orders[2]
    other_seed = open_dialog(window, qtbot, seed=8)
    drawn = [shown_order(other_seed)]
    for _ in range(3):
        qtbot.keyClick(other_seed.table, Qt.Key.Key_PageDown)
        drawn.append(shown_order(other_seed))
    assert drawn != orders


def test_rating_by_key_hides_other_items_until_done_and_counts_progress(window, qtbot):
    fresh_project(window, items=3, hypotheses=3)
    m = window.session.matrix
    e1, e2 = m.evidence[0].id, m.evidence[1].id
    h_ids = [h.id for h in m.hypotheses]
    window.session.rate([(e2, h) for h in h_ids], Rating.I)  # another item, rated in the matrix
    dialog = open_dialog(window, qtbot)
    assert dialog.round.current == e1  # the first item not yet rated
    assert dialog.summary.text() == "Item 1" and dialog.quote.text() == "“Quoted words 1”"
    assert dialog.progress_label.text() == "1 of 3 rated"
    order = shown_order(dialog)
    # Rated one by one with the matrix's keys, moving down the list; nothing of E2 shows.
    qtbot.keyClick(dialog.table, Qt.Key.Key_C, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(dialog.table, Qt.Key.Key_3)
    assert others_column(dialog) == [HIDDEN_NOTE] * 3
    assert dialog.progress_label.text() == "1 of 3 rated"
    qtbot.keyClick(dialog.table, Qt.Key.Key_I)
    assert [m.cell(e1, h).rating for h in order] == [Rating.CC, Rating.N, Rating.I]
    # Done: the other items' ratings show, and the count moves on.
    assert others_column(dialog) == ["I 1", "I 1", "I 1"]
    assert dialog.progress_label.text() == "2 of 3 rated"
    # Clearing one hides them again.
    dialog.table.setCurrentCell(0, 1)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Delete)
    assert m.cell(e1, order[0]) is None and others_column(dialog) == [HIDDEN_NOTE] * 3
    assert dialog.progress_label.text() == "1 of 3 rated"


def test_every_rating_is_one_undo_step_and_is_recorded_as_blind(window, qtbot, db_path):
    fresh_project(window, items=2, hypotheses=2)
    m = window.session.matrix
    e1 = m.evidence[0].id
    dialog = open_dialog(window, qtbot)
    first = shown_order(dialog)[0]
    qtbot.keyClick(dialog.table, Qt.Key.Key_2)
    cell = m.cell(e1, first)
    assert cell.rating is Rating.C and cell.rated_in is RatingMode.ACROSS and cell.blind
    assert rating_record(cell).startswith("Rated blind in rate-across mode on ")
    with sqlite3.connect(db_path) as conn:
        assert conn.execute(
            "SELECT code, rated_in FROM rating WHERE evidence_id = ? AND hypothesis_id = ?", (e1, first)
        ).fetchone() == ("C", "rate-across")
    qtbot.keyClick(dialog.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert m.cell(e1, first) is None
    assert dialog.table.item(0, 1).data(Qt.ItemDataRole.UserRole + 3) is None  # shown unrated
    qtbot.keyClick(
        dialog.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert m.cell(e1, first).rating is Rating.C
    # Reloaded from the database, the record is still there; the inspector and tooltip say so.
    dialog.reject()
    window.open_project(window.session.project_id)
    m = window.session.matrix
    assert m.cell(e1, first).blind
    model = window.session.model
    index = model.index(model.row_of(e1), FIXED_COLUMNS + m.hypothesis_index(first))
    assert index.data(RATED_IN_ROLE) == "rate-across"
    assert window.rows_view.model.from_matrix(index).data(RATED_IN_ROLE) == "rate-across"  # in rows too
    assert "Rated blind in rate-across mode" in index.data(Qt.ItemDataRole.ToolTipRole)
    window.matrix.view.setCurrentIndex(index)
    record = window.inspector.evidence_page.rating_record
    assert record.text().startswith("Rated blind in rate-across mode on ")
    assert record.textFormat() is Qt.TextFormat.PlainText
    # A rating given in the matrix is recorded as such, and is not blind.
    window.matrix.view.setFocus()
    qtbot.keyClick(window.matrix.view, Qt.Key.Key_I)
    assert m.cell(e1, first).rated_in is RatingMode.MATRIX and not m.cell(e1, first).blind


def test_skip_moves_to_the_next_item_not_yet_rated(window, qtbot):
    fresh_project(window, items=4, hypotheses=2)
    m = window.session.matrix
    window.session.rate([(m.evidence[1].id, h.id) for h in m.hypotheses], Rating.N)
    dialog = open_dialog(window, qtbot)
    assert dialog.round.current == m.evidence[0].id
    qtbot.keyClick(dialog.table, Qt.Key.Key_S)  # E2 is done: on to E3
    assert dialog.round.current == m.evidence[2].id and dialog.summary.text() == "Item 3"
    qtbot.keyClick(dialog.table, Qt.Key.Key_PageUp)
    assert dialog.round.current == m.evidence[1].id


def test_the_menu_opens_it_over_the_window_and_esc_leaves(window, qtbot):
    fresh_project(window, items=3, hypotheses=2)
    action = window.actions_.rate_across
    assert action.shortcut().toString() == "Ctrl+R"
    action.trigger()
    dialog = window.findChild(RateAcrossDialog)
    assert dialog is not None and dialog.isVisible() and dialog.isModal()
    qtbot.keyClick(dialog.table, Qt.Key.Key_PageDown)
    current = dialog.round.current
    qtbot.keyClick(dialog.table, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    # The item reached is the one selected in the matrix.
    assert window.matrix.current_evidence() == current


def test_mark_blind_ratings_is_a_view_option(window, qtbot):
    window.actions_.mark_blind.setChecked(True)
    assert RatingDelegate.mark_blind and "rated&nbsp;blind" in window.matrix.legend.text()
    window.actions_.mark_blind.setChecked(False)
    assert not RatingDelegate.mark_blind and "blind" not in window.matrix.legend.text()


def test_rate_across_waits_for_a_what_if_to_end(window, qtbot):
    window.actions_.what_if.setChecked(True)
    assert window.session.what_if is not None
    assert window.rate_across() is None and window.findChild(RateAcrossDialog) is None
    assert "what-if" in window.messages.texts_of("warning")[-1]
