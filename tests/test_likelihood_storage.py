"""The likelihood mapping and priors are stored per project (schema 1.3)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from hyp_board.core.analysis import analyse
from hyp_board.core.analysis_input import analysis_input
from hyp_board.core.editor import EditError, ProjectEditor
from hyp_board.core.matrix import Matrix
from hyp_board.core.model import Cell, Hypothesis, Rating
from hyp_board.sample_case import load_sample
from hyp_board.storage import Store
from hyp_board.storage.database import SCHEMA_VERSION

DATA = Path(__file__).parent / "data"


def editor_for(store: Store, pid: int) -> ProjectEditor:
    return ProjectEditor(store, Matrix(store.load_project(pid)))


def test_a_schema_1_2_database_gains_priors_and_a_mapping(tmp_path: Path):
    copy = tmp_path / "old.sqlite"
    shutil.copy(DATA / "schema-1.2.sqlite", copy)
    with sqlite3.connect(copy) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == (1 << 16) | 2
    s = Store.open(copy)
    pid = s.find_project("Schema 1.2 project")
    m = Matrix(s.load_project(pid))
    # Everything of 1.1 is still there; the new settings start at their defaults.
    assert [h.label for h in m.hypotheses] == ["First", "Second"] and all(
        h.prior == 1.0 for h in m.hypotheses
    )
    assert m.project.likelihood == {}
    assert m.cell(m.evidence[0].id, m.hypotheses[0].id) == Cell(Rating.II, "contradicts")
    assert m.documents[0].title == "A wire report" and m.evidence[0].span == (0, 29)
    ed = ProjectEditor(s, m)
    ed.update_hypothesis(m.hypotheses[1].id, {"prior": 3})
    ed.set_likelihood({"CC": 0.9})
    s.close()
    with sqlite3.connect(copy) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    s = Store.open(copy)
    m = Matrix(s.load_project(pid))
    assert [h.prior for h in m.hypotheses] == [1.0, 3.0] and m.project.likelihood == {"CC": 0.9}
    s.close()


@pytest.mark.parametrize(
    ("fixture", "title"), [("schema-1.0", "Schema 1.0 project"), ("schema-1.1", "Schema 1.1 project")]
)
def test_older_databases_upgrade_through_every_step(tmp_path: Path, fixture: str, title: str):
    # Before 1.2 the hypothesis table is rebuilt from the current definition, which
    # already has the prior column; the 1.3 step must not add it twice.
    copy = tmp_path / "older.sqlite"
    shutil.copy(DATA / f"{fixture}.sqlite", copy)
    s = Store.open(copy)
    m = Matrix(s.load_project(s.find_project(title)))
    assert [h.prior for h in m.hypotheses] == [1.0, 1.0] and m.project.likelihood == {}
    ProjectEditor(s, m).set_likelihood({"N": 0.45})
    s.close()
    with sqlite3.connect(copy) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("SELECT name, value FROM likelihood_setting").fetchall() == [("N", 0.45)]


def test_settings_and_priors_are_edited_stored_and_reach_the_analysis(store: Store):
    pid = store.insert_project(load_sample())
    ed = editor_for(store, pid)
    first = ed.matrix.hypotheses[0].id
    ed.set_likelihood({"I": 0.3})
    ed.set_likelihood({"Low": 0.2})
    ed.update_hypothesis(first, {"prior": 2.5})
    reloaded = Matrix(store.load_project(pid))
    assert reloaded.project.likelihood == {"I": 0.3, "Low": 0.2}
    assert reloaded.hypotheses[0].prior == 2.5
    view = analyse(analysis_input(reloaded)).likelihood
    assert view.settings.likelihood[Rating.I] == 0.3 and view.priors[0] == pytest.approx(2.5 / 5.5)
    ed.set_likelihood({"I": None})  # back to the default
    assert Matrix(store.load_project(pid)).project.likelihood == {"Low": 0.2}
    assert ed.matrix.project.likelihood == {"Low": 0.2}


@pytest.mark.parametrize(
    ("name", "value"), [("CC", 0), ("CC", 1.2), ("High", -0.5), ("Bogus", 0.5), ("N", "half")]
)
def test_nonsense_settings_are_refused_and_nothing_is_stored(store: Store, name: str, value: object):
    pid = store.insert_project(load_sample())
    ed = editor_for(store, pid)
    with pytest.raises(EditError):
        ed.set_likelihood({name: value})  # type: ignore[dict-item]
    assert Matrix(store.load_project(pid)).project.likelihood == {} and ed.matrix.project.likelihood == {}


@pytest.mark.parametrize("prior", [0, -1, float("nan"), "lots"])
def test_nonsense_priors_are_refused(store: Store, prior: object):
    pid = store.insert_project(load_sample())
    ed = editor_for(store, pid)
    with pytest.raises(EditError, match="prior"):
        ed.update_hypothesis(ed.matrix.hypotheses[0].id, {"prior": prior})
    assert Matrix(store.load_project(pid)).hypotheses[0].prior == 1.0


def test_copies_keep_and_deletions_take_the_settings(store: Store):
    pid = store.insert_project(load_sample())
    ed = editor_for(store, pid)
    ed.set_likelihood({"C": 0.7})
    new_id, _ = ed.add_hypothesis(Hypothesis("Fifth", prior=4.0))
    assert Matrix(store.load_project(pid)).hypothesis(new_id).prior == 4.0
    copy = store.duplicate_project(pid, "Copy")
    m = Matrix(store.load_project(copy))
    assert m.project.likelihood == {"C": 0.7} and m.hypotheses[-1].prior == 4.0
    store.delete_project(pid)
    with sqlite3.connect(store.path) as conn:
        rows = conn.execute("SELECT project_id FROM likelihood_setting").fetchall()
    assert rows == [(copy,)]
