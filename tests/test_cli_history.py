"""``hyp-board history``: the change journal on the command line."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from hyp_board.core.editor import ProjectEditor
from hyp_board.core.matrix import Matrix
from hyp_board.core.model import Cell, Evidence, Hypothesis, Rating
from hyp_board.storage import Store

from cli_runner import run


def project_with_history(db: Path) -> int:
    store = Store.open(db)
    pid = store.create_project("Letter")
    ed = ProjectEditor(store, Matrix(store.load_project(pid)))
    h, _ = ed.add_hypothesis(Hypothesis("The clerk"))
    e, _ = ed.add_evidence(Evidence("Clerk left at five"))
    with ed.batch("Rate E1 × H1 “The clerk” I"):
        ed.set_cell(e, h, Cell(Rating.I))
    store.set_journal_reason(ed.recorded[0].id, "the porter saw him leave")
    ed.update_evidence(e, {"summary": "Clerk left at <b>five</b>"})
    store.close()
    return pid


def test_history_prints_every_change_newest_first_with_its_reason(db_path: Path):
    project_with_history(db_path)
    result = run("history", "Letter", "--db", str(db_path))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    changes = [line for line in lines if not line.startswith(" ")]
    assert [line.split("  ")[1].strip() for line in changes] == ["E1", "E1 × H1", "E1", "H1", "project"]
    assert "summary: Clerk left at five → Clerk left at <b>five</b>" in changes[0]
    assert "Rating: unrated → I" in changes[1]
    assert lines[lines.index(changes[1]) + 2].strip() == "why: the porter saw him leave"
    assert changes[-1].endswith(
        "Project created: 0 hypotheses, 0 evidence items, 0 ratings, 0 documents  “Letter”"
    )


def test_history_as_json_since_a_date_and_for_one_item(db_path: Path):
    pid = project_with_history(db_path)
    result = run("history", str(pid), "--json", "--db", str(db_path))
    assert result.returncode == 0, result.stderr
    entries = json.loads(result.stdout)
    assert [e["kind"] for e in entries] == [
        "evidence-field",
        "rating",
        "evidence-added",
        "hypothesis-added",
        "project-created",
    ]
    rating = entries[1]
    assert (rating["item"], rating["hypothesis"], rating["old"], rating["new"]) == (
        "E1",
        "H1",
        None,
        {"rating": "I", "reason": ""},
    )
    assert rating["reason"] == "the porter saw him leave" and rating["at"].endswith("Z")
    one = json.loads(run("history", "Letter", "--json", "--item", "h1", "--db", str(db_path)).stdout)
    assert [e["kind"] for e in one] == ["hypothesis-added"]
    assert (
        json.loads(run("history", "Letter", "--json", "--limit", "2", "--db", str(db_path)).stdout)[1]
        == rating
    )
    # Entries dated before and after a moment: only the later ones.
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE journal SET at = '2020-01-01 10:00:00.000000' WHERE kind != 'evidence-field'")
    later = json.loads(
        run("history", "Letter", "--json", "--since", "2021-06-01", "--db", str(db_path)).stdout
    )
    assert [e["kind"] for e in later] == ["evidence-field"]
    none = run("history", "Letter", "--since", "2099-01-01", "--db", str(db_path))
    assert none.stdout.strip() == "(no changes recorded since then)"
    assert (
        json.loads(run("history", "Letter", "--json", "--since", "2099-01-01", "--db", str(db_path)).stdout)
        == []
    )


def test_history_refuses_in_one_line(db_path: Path, tmp_path: Path):
    project_with_history(db_path)
    bad_date = run("history", "Letter", "--since", "last week", "--db", str(db_path))
    assert bad_date.returncode == 2
    assert (
        bad_date.stderr == "hyp-board: --since: 'last week' is not a date (YYYY-MM-DD or YYYY-MM-DDTHH:MM)\n"
    )
    unknown = run("history", "Nothing like it", "--db", str(db_path))
    assert unknown.returncode == 1 and unknown.stderr.startswith("hyp-board: no project 'Nothing like it'")
    missing = run("history", "Letter", "--db", str(tmp_path / "none.sqlite"))
    assert missing.returncode == 2 and "there is no database" in missing.stderr
    assert not (tmp_path / "none.sqlite").exists()


def test_documents_added_on_the_command_line_are_in_the_history(db_path: Path, tmp_path: Path):
    project_with_history(db_path)
    note = tmp_path / "porter.txt"
    note.write_text("The porter saw the clerk leave at five.\n", encoding="utf-8")
    added = run("add-documents", "Letter", str(note), "--db", str(db_path))
    assert added.returncode == 0, added.stderr
    (entry,) = json.loads(run("history", "Letter", "--json", "--limit", "1", "--db", str(db_path)).stdout)
    assert (entry["kind"], entry["item"], entry["label"]) == ("document-added", "D1", "porter")
    assert entry["action"] == "hyp-board add-documents porter.txt"
    assert entry["new"]["position"] == 0 and "original_text" not in entry["new"]["document"]


def test_milestones_and_deception_checks_are_in_the_history(db_path: Path):
    from hyp_board.core.method import Answer, DeceptionCheck, DeceptionQuestion, Milestone, MilestoneStatus
    from hyp_board.core.model import Document

    store = Store.open(db_path)
    pid = store.create_project("Letter")
    ed = ProjectEditor(store, Matrix(store.load_project(pid)))
    h, _ = ed.add_hypothesis(Hypothesis("The clerk"))
    doc, _ = ed.add_document(Document("Statement", "The clerk left at five."))
    milestone, _ = ed.add_milestone(Milestone(h, "His car seen at the station", due="2027-03-01"))
    ed.update_milestone(milestone, {"status": MilestoneStatus.OBSERVED})
    ed.set_deception_check(doc, DeceptionCheck({DeceptionQuestion.MOTIVE: (Answer.YES, "")}))
    ed.set_deception_check(doc, None)
    ed.remove_milestone(milestone)
    ed.update_project({"classification": "OFFICIAL", "steps_done": frozenset({8})})
    store.close()
    result = run("history", "Letter", "--limit", "6", "--db", str(db_path))
    assert result.returncode == 0, result.stderr
    changes = [line.split("  ", 1)[1] for line in result.stdout.splitlines() if not line.startswith(" ")]
    assert changes == [
        "project    Project edited: classification: (none) → OFFICIAL; steps done: (none) → 8  “Letter”",
        "H1         Milestone deleted: deleted, due 2027-03-01, observed  “His car seen at the station”",
        "D1         Deception check: cleared (concern was medium, 1 answer)  “Statement”",
        "D1         Deception check: set, concern medium, 1 answer  “Statement”",
        "H1         Milestone edited: status: watching → observed  “His car seen at the station”",
        "H1         Milestone added: added, due 2027-03-01, watching  “His car seen at the station”",
    ]
    entries = json.loads(run("history", "Letter", "--json", "--item", "H1", "--db", str(db_path)).stdout)
    assert [e["kind"] for e in entries] == [
        "milestone-removed",
        "milestone-field",
        "milestone-added",
        "hypothesis-added",
    ]
    assert entries[1]["old"]["uuid"] == entries[1]["new"]["uuid"] == entries[0]["old"]["uuid"]
