"""The read-only path of the commands that only read: the same project as the storage
layer reads, from a database in good order only; any other goes the usual way."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from hyp_board.core.layout import Layout
from hyp_board.core.matrix import Matrix
from hyp_board.core.model import Attachment, Cell, InformationGrade, Level, Rating, RatingMode, Reliability
from hyp_board.sample_case import load_sample
from hyp_board.storage import Store, database, quick_read

from cli_runner import run
from project_factory import generate

DATA = Path(__file__).parent / "data"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sample_database(path: Path) -> int:
    """The sample case, with every kind of field the reader maps: documents with layouts,
    attachments and passages, grades, an override, an excluded item, reasons, a rating's record, priors,
    likelihood settings, and a rating code from a newer version that both readers must
    leave out."""
    data = load_sample()
    first, second = data.evidence[0], data.evidence[1]
    data.evidence[0] = replace(first, credibility=Level.LOW, credibility_overridden=True, included=False)
    data.evidence[1] = replace(second, information=InformationGrade.DOUBTFUL, notes="**checked**")
    data.hypotheses[1] = replace(data.hypotheses[1], prior=2.5)
    data.project.classification, data.project.caveats = "OFFICIAL", "SENSITIVE"
    data.project.steps_done = frozenset({4, 6})
    assert data.milestones and data.deception_checks  # the sample has both
    data.documents[0] = replace(
        data.documents[0],
        reliability=Reliability.B,
        original_layout=Layout.from_json({"pages": [0, 40]}),
        attachments=(Attachment("report.pdf", "application/pdf", 1234),),
    )
    data.cells[(first.id, data.hypotheses[0].id)] = Cell(Rating.II, "contradicts the report")
    data.cells[(second.id, data.hypotheses[0].id)] = Cell(
        Rating.C, "", datetime(2026, 11, 3, 9, 30, tzinfo=UTC), RatingMode.ACROSS
    )
    store = Store.open(path)
    pid = store.insert_project(data)
    store.set_likelihood(pid, {"CC": 0.8, "Low": 0.4})
    store.create_project("Another")
    store.close()
    with sqlite3.connect(path) as conn:
        eid, hid = conn.execute("SELECT evidence_id, hypothesis_id FROM rating LIMIT 1").fetchone()
        conn.execute("UPDATE rating SET code = 'X9' WHERE evidence_id = ? AND hypothesis_id = ?", (eid, hid))
    return pid


def assert_both_paths_agree(path: Path) -> None:
    """Every project of the database, its listing and look-ups, read both ways."""
    store = Store.open(path)
    reader = quick_read.open_for_reading(path)
    assert reader is not None
    try:
        listed = store.list_projects()
        assert [tuple(p) for p in reader.list_projects()] == [
            (p.id, p.title, p.modified_at, p.hypotheses, p.evidence) for p in listed
        ]
        for p in listed:
            assert reader.load_project(p.id) == store.load_project(p.id), p.title
            assert reader.find_project(str(p.id)) == store.find_project(str(p.id))
            assert reader.find_project(p.title.upper()) == store.find_project(p.title.upper())
    finally:
        reader.close()
        store.close()


def test_reads_every_field_as_the_storage_layer_does(db_path: Path):
    pid = sample_database(db_path)
    reader = quick_read.open_for_reading(db_path)
    assert reader is not None
    data = reader.load_project(pid)
    reader.close()
    assert data.project.likelihood == {"CC": 0.8, "Low": 0.4}
    assert data.hypotheses[1].prior == 2.5 and all(h.number > 0 for h in data.hypotheses)
    assert data.documents[0].attachments and data.documents[0].original_layout is not None
    assert any(e.span for e in data.evidence)
    assert_both_paths_agree(db_path)


@pytest.mark.parametrize("fixture", sorted(p.name for p in DATA.glob("schema-*.sqlite")))
def test_every_older_fixture_once_upgraded_reads_alike(tmp_path: Path, fixture: str):
    path = tmp_path / fixture
    shutil.copy(DATA / fixture, path)
    assert quick_read.open_for_reading(path) is None  # to be upgraded first: the usual way
    Store.open(path).close()
    assert_both_paths_agree(path)


def test_a_generated_database_reads_alike(db_path: Path):
    db_path.parent.mkdir(parents=True, exist_ok=True)
    generate(db_path, 300, 25)
    store = Store.open(db_path)
    store.create_project("Empty")
    store.close()
    assert_both_paths_agree(db_path)


def test_knows_the_versions_and_ratings_the_storage_layer_knows():
    assert quick_read.SCHEMA_MAJOR == database.SCHEMA_MAJOR
    assert quick_read.SCHEMA_MINOR <= database.SCHEMA_MINOR  # never a schema the store has not
    assert quick_read.APPLICATION_ID == database.APPLICATION_ID


def test_a_newer_minor_version_with_more_columns_and_tables_is_read(db_path: Path):
    pid = sample_database(db_path)
    with sqlite3.connect(db_path) as conn:
        conn.execute("ALTER TABLE evidence ADD COLUMN colour TEXT DEFAULT 'red'")
        conn.execute("ALTER TABLE project ADD COLUMN owner TEXT")
        conn.execute("CREATE TABLE evidence_tag (evidence_id INTEGER, tag TEXT)")
        conn.execute(f"PRAGMA user_version = {(1 << 16) | (database.SCHEMA_MINOR + 4)}")
    reader = quick_read.open_for_reading(db_path)
    assert reader is not None
    assert reader.load_project(pid).project.title == load_sample().project.title
    reader.close()
    assert_both_paths_agree(db_path)


def test_items_without_numbers_are_numbered_by_the_store(db_path: Path):
    """An older 1.x version adds items without numbers: the quick path leaves them to the
    store, which numbers and keeps them, so `score` shows numbers either way."""
    pid = sample_database(db_path)
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE hypothesis SET number = 0 WHERE project_id = ? AND position = 0", (pid,))
    reader = quick_read.open_for_reading(db_path)
    assert reader is not None
    with pytest.raises(quick_read.NeedsStore):
        reader.load_project(pid)
    reader.close()
    scored = run("score", str(pid), "--json", "--db", str(db_path))
    assert scored.returncode == 0, scored.stderr
    assert all(s["number"] > 0 for s in json.loads(scored.stdout))
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM hypothesis WHERE number = 0").fetchone()[0] == 0


def newer_major(path: Path) -> None:
    sample_database(path)
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {2 << 16}")


def foreign(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE accounts (id INTEGER PRIMARY KEY)")


def damaged(path: Path) -> None:
    sample_database(path)
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    for i in range(4096 + 16, len(data), 97):
        data[i] = 0xFF
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    "make",
    [
        lambda p: None,  # no file yet
        lambda p: p.write_bytes(b""),
        lambda p: p.write_text("not a database"),
        lambda p: shutil.copy(DATA / "schema-1.0.sqlite", p),  # to be upgraded first
        newer_major,
        foreign,
        damaged,
    ],
    ids=["missing", "empty", "not-sqlite", "older", "newer-major", "foreign", "damaged"],
)
def test_any_database_not_in_good_order_goes_the_usual_way(db_path: Path, make):  # type: ignore[no-untyped-def]
    db_path.parent.mkdir(parents=True, exist_ok=True)
    make(db_path)
    before = digest(db_path) if db_path.exists() else None
    assert quick_read.open_for_reading(db_path) is None
    assert (digest(db_path) if db_path.exists() else None) == before


def test_commands_on_databases_not_in_good_order_say_what_they_always_said(db_path: Path, tmp_path: Path):
    older = tmp_path / "old.sqlite"
    shutil.copy(DATA / "schema-1.0.sqlite", older)
    upgraded = run("score", "Schema 1.0", "--json", "--db", str(older))
    assert upgraded.returncode == 0, upgraded.stderr
    assert sorted(s["hypothesis"] for s in json.loads(upgraded.stdout)) == ["First", "Second"]
    with sqlite3.connect(older) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == database.SCHEMA_VERSION

    newer_major(db_path)
    before = digest(db_path)
    refused = run("score", "1", "--db", str(db_path))
    assert refused.returncode == 2 and "newer Hypothesis Board" in refused.stderr
    assert digest(db_path) == before

    broken = tmp_path / "broken.sqlite"
    damaged(broken)
    result = run("list", "--db", str(broken))
    assert result.returncode == 2
    assert "failed its integrity check" in result.stderr or "is damaged" in result.stderr

    missing = run("score", "Nothing", "--db", str(older))
    assert missing.returncode == 1
    assert missing.stderr == "hyp-board: no project 'Nothing' (see 'hyp-board list')\n"


def test_the_read_only_commands_load_no_orm_and_print_everything(db_path: Path):
    pid = sample_database(db_path)
    code = (
        "import sys; from hyp_board.cli import main\n"
        "main(['--db', sys.argv[1], 'list']); main(['--db', sys.argv[1], 'score', sys.argv[2], '--json'])\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'sqlalchemy', 'sqlmodel', 'pydantic'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(db_path), str(pid)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "[]"
    # As a program (which ends without tearing the interpreter down), every line is out.
    store = Store.open(db_path)
    expected = Matrix(store.load_project(pid)).scores()
    store.close()
    scored = run("score", str(pid), "--json", "--db", str(db_path))
    assert scored.returncode == 0 and scored.stdout.endswith("]\n")
    assert len(json.loads(scored.stdout)) == len(expected)
    piped = subprocess.run(
        f"{sys.executable} -m hyp_board --db {db_path} score {pid} | head -c 10",
        shell=True,
        capture_output=True,
        text=True,
    )
    assert piped.returncode == 0 and len(piped.stdout) == 10 and "Traceback" not in piped.stderr


def test_only_the_commands_that_do_not_store_run_without_the_cycle_collector(db_path: Path, tmp_path: Path):
    """They keep what they build until they end; the window and the commands that store
    (which may run long, and free what they build) have it."""
    sample_database(db_path)
    exported = tmp_path / "out.hypboard"
    code = (
        "import gc, sys; from hyp_board import cli\n"
        "db, out = sys.argv[1], sys.argv[2]\n"
        "for argv in (['list'], ['export', '1', '--hypboard', out], ['import', out]):\n"
        "    gc.disable()  # as the program starts\n"
        "    status, _ = cli._run(['--db', db, *argv], program=True)\n"
        "    print(argv[0], status, gc.isenabled())\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(db_path), str(exported)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    outcomes = [line for line in result.stdout.splitlines() if line.endswith(("True", "False"))]
    assert outcomes == ["list 0 False", "export 0 False", "import 0 True"]
