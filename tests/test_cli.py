"""The command line, run as a user runs it: a separate process, output and exit status."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from hyp_board.core.editor import ProjectEditor
from hyp_board.core.matrix import Matrix
from hyp_board.core.model import Cell, Evidence, Hypothesis, Rating
from hyp_board.sample_case import load_sample
from hyp_board.startup import open_store
from hyp_board.storage import Store

from cli_runner import run


def tie_project(db: Path) -> int:
    s = Store.open(db)
    pid = s.create_project("Tie case")
    ed = ProjectEditor(s, Matrix(s.load_project(pid)))
    a, _ = ed.add_hypothesis(Hypothesis("Alpha"))
    b, _ = ed.add_hypothesis(Hypothesis("Beta"))
    c, _ = ed.add_hypothesis(Hypothesis("Gamma"))
    e1, _ = ed.add_evidence(Evidence("one"))
    e2, _ = ed.add_evidence(Evidence("two"))
    ed.set_cell(e1, a, Cell(Rating.I))
    ed.set_cell(e1, b, Cell(Rating.I))
    ed.set_cell(e2, c, Cell(Rating.II))
    s.close()
    return pid


def test_list_shows_the_projects_of_a_database_the_window_created(db_path: Path):
    open_store(db_path).close()  # the window's first start: the sample case
    result = run("list", "--db", str(db_path))
    assert result.returncode == 0, result.stderr
    (line,) = result.stdout.splitlines()
    pid, title = line.split("\t")
    assert pid.isdigit() and title == load_sample().project.title


def test_reading_commands_never_create_a_database(db_path: Path, tmp_path: Path):
    for args in (
        ["list"],
        ["score", "x"],
        ["documents", "x"],
        ["export", "x", "--csv", str(tmp_path / "o.csv")],
    ):
        result = run(*args, "--db", str(db_path))
        assert result.returncode == 2 and result.stdout == ""
        assert (
            result.stderr.startswith("hyp-board: there is no database at")
            and "\n" not in result.stderr.strip()
        )
    assert not db_path.parent.exists()
    db_path.parent.mkdir()
    db_path.touch()  # an empty file is no database either
    assert run("list", "--db", str(db_path)).returncode == 2
    assert db_path.stat().st_size == 0


def test_import_creates_a_missing_database_holding_just_what_it_imports(db_path: Path, tmp_path: Path):
    source = tmp_path / "source.sqlite"
    tie_project(source)
    shared = tmp_path / "tie.hypboard"
    assert run("export", "Tie case", "--hypboard", str(shared), "--db", str(source)).returncode == 0
    result = run("import", str(shared), "--create-db", "--db", str(db_path))
    assert result.returncode == 0, result.stderr
    (line,) = run("list", "--db", str(db_path)).stdout.splitlines()
    assert line.endswith("\tTie case")  # and no sample case beside it


@pytest.mark.parametrize(
    "command", [["list"], ["score", "1"], ["documents", "1"], ["export", "1", "--csv", "x.csv"]]
)
def test_commands_refuse_a_database_that_does_not_exist(tmp_path: Path, command: list[str]):
    typo = tmp_path / "typo" / "hyp-board.sqlite"
    result = run(*command, "--db", str(typo))
    assert result.returncode == 2
    assert f"no database at {typo}" in result.stderr and "Traceback" not in result.stderr
    assert not typo.parent.exists()  # no folder, no empty database holding the sample


def test_import_creates_a_database_only_when_asked(tmp_path: Path):
    shared = tmp_path / "shared.hypboard"
    from hyp_board.project_files.hypboard import write_project_file

    write_project_file(Matrix(load_sample()), shared)
    new = tmp_path / "new" / "projects.sqlite"
    refused = run("import", str(shared), "--db", str(new))
    assert refused.returncode == 2 and not new.exists()
    created = run("import", str(shared), "--db", str(new), "--create-db")
    assert created.returncode == 0, created.stderr
    assert len(run("list", "--db", str(new)).stdout.splitlines()) == 1  # the import only, no sample


def test_an_export_into_a_missing_folder_is_refused_not_created(db_path: Path, tmp_path: Path):
    open_store(db_path).close()
    out = tmp_path / "nope" / "dir" / "x.pdf"
    result = run("export", "1", "--pdf", str(out), "--db", str(db_path))
    assert result.returncode == 1
    assert f"cannot write {out}: No such file or directory" in result.stderr
    assert not out.parent.exists()


def test_a_missing_file_to_open_is_named_as_missing(tmp_path: Path):
    missing = tmp_path / "nope" / "missing.hypboard"
    result = run(str(missing))
    assert result.returncode == 2
    assert result.stderr.strip() == f"hyp-board: {missing}: no such file"
    assert "invalid choice" not in result.stderr


def test_help_names_every_export_format_and_opening_files():
    text = " ".join(run("--help").stdout.split())
    for suffix in (".pdf", ".csv", ".md", ".hypboard", ".achz"):
        assert suffix in text
    assert "hyp-board FILE… opens the window" in text


def test_db_option_before_the_command_and_environment_variable(tmp_path: Path):
    a, b = tmp_path / "a.sqlite", tmp_path / "b.sqlite"
    tie_project(a)
    assert "Tie case" in run("--db", str(a), "list").stdout
    assert "Tie case" in run("list", env_db=a).stdout
    assert "Tie case" not in run("list", env_db=b).stdout


def test_score_table_and_json_with_a_tie(db_path: Path):
    tie_project(db_path)
    table = run("score", "Tie case", "--db", str(db_path))
    assert table.returncode == 0, table.stderr
    rows = [line.split() for line in table.stdout.splitlines()[2:5]]
    assert [row.pop(1) for row in rows] == ["H1", "H2", "H3"]
    assert rows == [
        ["1", "Alpha", "1", "1.00"],
        ["1", "Beta", "1", "1.00"],
        ["3", "Gamma", "2", "2.00"],
    ] or rows == [["1=", "Alpha", "1", "1.00"], ["1=", "Beta", "1", "1.00"], ["3", "Gamma", "2", "2.00"]]
    assert "tied" in table.stdout
    data = json.loads(run("score", "tie", "--json", "--db", str(db_path)).stdout)
    assert data == [
        {"number": 1, "hypothesis": "Alpha", "inconsistency": 1, "weighted_inconsistency": 1.0, "rank": 1},
        {"number": 2, "hypothesis": "Beta", "inconsistency": 1, "weighted_inconsistency": 1.0, "rank": 1},
        {"number": 3, "hypothesis": "Gamma", "inconsistency": 2, "weighted_inconsistency": 2.0, "rank": 3},
    ]


def test_score_of_the_sample_matches_the_core(db_path: Path):
    s = Store.open(db_path)
    pid = s.insert_project(load_sample())
    expected = {
        x.label: (x.inconsistency, round(x.weighted_inconsistency, 6), x.rank)
        for x in Matrix(s.load_project(pid)).scores()
    }
    s.close()
    data = json.loads(run("score", str(pid), "--json", "--db", str(db_path)).stdout)
    assert {
        d["hypothesis"]: (d["inconsistency"], d["weighted_inconsistency"], d["rank"]) for d in data
    } == expected
    assert [d["rank"] for d in data] == sorted(d["rank"] for d in data)


def test_errors_go_to_stderr_with_a_non_zero_status(db_path: Path, tmp_path: Path):
    tie_project(db_path)
    missing = run("score", "No such project", "--db", str(db_path))
    assert missing.returncode == 1 and missing.stdout == "" and "no project" in missing.stderr
    s = Store.open(db_path)
    s.create_project("Tie case two")
    s.close()
    ambiguous = run("score", "Tie", "--db", str(db_path))
    assert ambiguous.returncode == 1 and "several" in ambiguous.stderr
    junk = tmp_path / "junk.sqlite"
    junk.write_text("not a database")
    broken = run("list", "--db", str(junk))
    assert broken.returncode == 2 and "not a SQLite database" in broken.stderr
    assert junk.read_text() == "not a database"
    usage = run("score")
    assert usage.returncode == 2 and "PROJECT" in usage.stderr


def test_headless_commands_do_not_load_qt(db_path: Path):
    open_store(db_path).close()
    code = (
        "import sys; from hyp_board.cli import main; main(['list', '--db', sys.argv[1]]); "
        "print(sorted(m for m in sys.modules if m.startswith('PySide6')))"
    )
    result = subprocess.run([sys.executable, "-c", code, str(db_path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"
