"""``hyp-board analyse``, run as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from hyp_board.core.editor import ProjectEditor
from hyp_board.core.matrix import Matrix
from hyp_board.core.model import Cell, Evidence, Hypothesis, Rating
from hyp_board.storage import Store

from cli_runner import run

R = Rating


def worked_project(db: Path, title: str = "Worked case") -> int:
    """A: 1, B: 4, C: 3 (see tests/test_analysis.py); e1 from "Wire", the rest without."""
    s = Store.open(db)
    pid = s.create_project(title)
    ed = ProjectEditor(s, Matrix(s.load_project(pid)))
    hyps = [ed.add_hypothesis(Hypothesis(label))[0] for label in ("A", "B", "C")]
    rows = [
        ("e1", "Wire", [R.N, R.I, R.II]),
        ("e2", "", [R.C, R.II, R.I]),
        ("e3", "", [R.I, R.N, R.NA]),
        ("e4", "", [R.CC, R.I, None]),
    ]
    for summary, source, ratings in rows:
        eid, _ = ed.add_evidence(Evidence(summary, source=source))
        for hid, rating in zip(hyps, ratings, strict=True):
            if rating is not None:
                ed.set_cell(eid, hid, Cell(rating))
    s.close()
    return pid


def test_analyse_json_has_every_figure(db_path: Path):
    worked_project(db_path)
    result = run("analyse", "Worked case", "--json", "--db", str(db_path))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["leader"] == ["A"] and data["margin"] == 2.0
    assert data["linchpins"] == ["E1"]
    assert data["fewest_rating_changes"] == {
        "count": 2,
        "changes": [{"evidence": "E1", "hypothesis": "C", "from": "II", "to": "N", "steps": 2}],
        "new_leaders": ["A", "C"],
    }
    assert data["fewest_exclusions"] == {
        "count": 1,
        "evidence": ["E1"],
        "new_leaders": ["A", "C"],
        "proven_fewest": True,
    }
    assert [(g["source"], g["leaders"]) for g in data["without_source"]] == [
        ("Wire", ["A", "C"]),
        ("", ["A"]),
    ]
    likelihood = data["likelihood"]
    assert likelihood["mapping"] == {"CC": 0.95, "C": 0.8, "N": 0.5, "I": 0.2, "II": 0.05}
    assert likelihood["priors"] == {"A": 0.333333, "B": 0.333333, "C": 0.333333}
    assert set(likelihood["posteriors"]) == {"A", "B", "C"}
    assert abs(sum(likelihood["posteriors"].values()) - 1) < 1e-12
    assert data["scores"]["B"] == {"inconsistency": 4, "weighted_inconsistency": 4.0}


def test_analyse_prints_sentences_and_the_likelihood_table(db_path: Path):
    worked_project(db_path)
    result = run("analyze", "Worked", "--db", str(db_path))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "A leads with a weighted inconsistency of 1.00, 2.00 ahead of the next." in out
    assert "Removing E1 alone would change the lead" in out
    assert "Likelihoods: CC 0.95, C 0.8, N 0.5, I 0.2, II 0.05; NA and unrated carry no information." in out
    assert "independent" in out
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Hypothesis"))
    table = [line.split() for line in lines[start + 1 : start + 4]]
    assert [row[:3] for row in table] == [
        ["A", "1.00", "0.333"],
        ["B", "4.00", "0.333"],
        ["C", "3.00", "0.333"],
    ]


def test_analyse_refuses_an_unknown_project_and_loads_no_qt(db_path: Path):
    worked_project(db_path)
    missing = run("analyse", "Nothing like it", "--db", str(db_path))
    assert missing.returncode == 1 and missing.stdout == "" and "no project" in missing.stderr
    code = (
        "import sys; from hyp_board.cli import main; "
        "main(['analyse', 'Worked', '--json', '--db', sys.argv[1]]); "
        "print(sorted(m for m in sys.modules if m.startswith('PySide6')))"
    )
    result = subprocess.run([sys.executable, "-c", code, str(db_path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_analyse_of_a_project_with_no_hypotheses(db_path: Path):
    s = Store.open(db_path)
    s.create_project("Empty")
    s.close()
    result = run("analyse", "Empty", "--db", str(db_path))
    assert result.returncode == 0 and "(no hypotheses yet)" in result.stdout
    data = json.loads(run("analyse", "Empty", "--json", "--db", str(db_path)).stdout)
    assert (
        data["leader"] == []
        and data["fewest_rating_changes"] is None
        and data["likelihood"]["posteriors"] == {}
    )
