"""Each rating records when it was given and in which view (schema 1.6), so the analyst
can see later which ratings were made blind."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from hyp_board.core.editor import ProjectEditor
from hyp_board.core.matrix import Matrix
from hyp_board.core.model import Cell, Evidence, Hypothesis, Rating, RatingMode, rated, rating_record
from hyp_board.project_files.hypboard import parse_project
from hyp_board.sharing import export_project_file, import_project_file
from hyp_board.storage import Store
from hyp_board.storage.database import SCHEMA_VERSION

DATA = Path(__file__).parent / "data"
WHEN = datetime(2026, 11, 29, 3, 40, tzinfo=UTC)


def test_a_schema_1_5_database_keeps_its_ratings_with_no_record(tmp_path: Path):
    copy = tmp_path / "old.sqlite"
    shutil.copy(DATA / "schema-1.5-rated.sqlite", copy)
    with sqlite3.connect(copy) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == (1 << 16) | 5
    s = Store.open(copy)
    m = Matrix(s.load_project(s.find_project("Schema 1.5 project")))
    e1, e2, e3 = (e.id for e in m.evidence)
    h1, h2 = (h.id for h in m.hypotheses)
    # Every rating and reason survives; when and how they were given is not known.
    assert m.cell(e1, h2) == Cell(Rating.I, "The captain was at sea")
    assert m.cell(e2, h1) == Cell(Rating.CC) and m.cell(e3, h2) == Cell(Rating.N)
    assert m.cell(e1, h1).rated_at is None and m.cell(e1, h1).rated_in is None
    assert rating_record(m.cell(e1, h1)) == ""
    # A new rating records both, and they are read back as given.
    ProjectEditor(s, m).set_cell(e3, h1, Cell(Rating.II, "no key", WHEN, RatingMode.ACROSS))
    s.close()
    with sqlite3.connect(copy) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("SELECT rated_at, rated_in FROM rating WHERE code = 'II'").fetchone() == (
            "2026-11-29T03:40:00+00:00",
            "rate-across",
        )
    s = Store.open(copy)
    m = Matrix(s.load_project(s.find_project("Schema 1.5 project")))
    cell = m.cell(e3, h1)
    assert cell == Cell(Rating.II, "no key", WHEN, RatingMode.ACROSS) and cell.blind
    assert not m.cell(e1, h1).blind
    s.close()


def test_an_unreadable_record_costs_the_record_never_the_rating(store: Store, db_path: Path):
    pid = store.create_project("Damaged records")
    ed = ProjectEditor(store, Matrix(store.load_project(pid)))
    e, _ = ed.add_evidence(Evidence("An item"))
    h, _ = ed.add_hypothesis(Hypothesis("A"))
    ed.set_cell(e, h, Cell(Rating.C, "", WHEN, RatingMode.MATRIX))
    with sqlite3.connect(db_path) as conn:  # as a newer version, or a damaged file, may leave it
        conn.execute("UPDATE rating SET rated_at = 'yesterday', rated_in = 'a newer view'")
    assert Matrix(store.load_project(pid)).cell(e, h) == Cell(Rating.C)


def test_giving_the_same_rating_again_keeps_its_record():
    old = Cell(Rating.C, "why", WHEN, RatingMode.ACROSS)
    assert rated(old, Rating.C, RatingMode.MATRIX) is old
    new = rated(old, Rating.I, RatingMode.TRANSPOSED, WHEN)
    assert new == Cell(Rating.I, "why", WHEN, RatingMode.TRANSPOSED)


def test_the_record_reads_as_a_sentence():
    cell = Cell(Rating.C, "", WHEN, RatingMode.ACROSS)
    assert rating_record(cell, UTC) == "Rated blind in rate-across mode on 29 Nov 2026, 03:40"
    assert rating_record(cell._replace(rated_in=RatingMode.TRANSPOSED), UTC) == (
        "Rated with hypotheses in rows on 29 Nov 2026, 03:40"
    )
    assert rating_record(cell._replace(rated_in=RatingMode.MATRIX), UTC).startswith("Rated in the matrix on")


def test_records_travel_in_a_project_file_and_older_files_still_read(store: Store, tmp_path: Path):
    pid = store.create_project("Shared")
    ed = ProjectEditor(store, Matrix(store.load_project(pid)))
    e1, _ = ed.add_evidence(Evidence("One"))
    e2, _ = ed.add_evidence(Evidence("Two"))
    h, _ = ed.add_hypothesis(Hypothesis("A"))
    ed.set_cell(e1, h, Cell(Rating.I, "why", WHEN, RatingMode.ACROSS))
    ed.set_cell(e2, h, Cell(Rating.C))  # given before records were kept
    out = tmp_path / "shared.hypboard"
    export_project_file(store, pid, out)
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["version"] == "1.4"
    by_reason = {r["reason"]: r for r in document["ratings"]}
    assert by_reason["why"]["rated_at"] == "2026-11-29T03:40:00+00:00"
    assert by_reason["why"]["rated_in"] == "rate-across"
    assert "rated_at" not in by_reason[""] and "rated_in" not in by_reason[""]  # nothing invented
    colleague = Store.open(tmp_path / "colleague.sqlite")
    new_id, _ = import_project_file(colleague, out)
    m = Matrix(colleague.load_project(new_id))
    first, second = (e.id for e in m.evidence)
    assert m.cell(first, m.hypotheses[0].id) == Cell(Rating.I, "why", WHEN, RatingMode.ACROSS)
    assert m.cell(second, m.hypotheses[0].id) == Cell(Rating.C)
    # A 1.3 reader's file has no records; a view this version does not know is ignored.
    for r in document["ratings"]:
        r.pop("rated_at", None)
        r["rated_in"] = "a view from the future"
    document["version"] = "1.3"
    data = parse_project(json.dumps(document).encode()).data
    assert sorted(c.rating.value for c in data.cells.values()) == ["C", "I"]
    assert all(c.rated_at is None and c.rated_in is None for c in data.cells.values())
    colleague.close()


def test_a_rating_round_keeps_up_with_hypotheses_and_items_added_or_removed(store: Store):
    import random

    from hyp_board.core.rate_across import RatingRound

    pid = store.create_project("Round")
    ed = ProjectEditor(store, Matrix(store.load_project(pid)))
    items = [ed.add_evidence(Evidence(f"Item {i}"))[0] for i in range(3)]
    hyps = [ed.add_hypothesis(Hypothesis(f"H {i}"))[0] for i in range(2)]
    for h in hyps:
        ed.set_cell(items[0], h, Cell(Rating.C))
    rnd = RatingRound(ed.matrix, random.Random(1))
    assert rnd.current == items[1] and rnd.is_done(items[0]) and rnd.progress_text() == "1 of 3 rated"
    new_h, change = ed.add_hypothesis(Hypothesis("Another"))
    rnd.changed(change)
    assert not rnd.is_done(items[0]) and rnd.progress_text() == "0 of 3 rated"
    assert sorted(rnd.hypotheses()) == sorted([*hyps, new_h]) and rnd.current == items[1]
    _, change = ed.remove_evidence(items[0])
    rnd.changed(change)
    assert rnd.current == items[1] and rnd.progress_text() == "0 of 2 rated"
    assert rnd.skip() and rnd.current == items[2] and not rnd.next()
