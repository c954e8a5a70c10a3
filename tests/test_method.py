"""Milestones, deception checks, the marking and Heuer's steps: edited, stored, shared."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from hyp_board.core.checklist import StepStatus, method_steps, unrated_count
from hyp_board.core.editor import EditError, ProjectEditor
from hyp_board.core.matrix import Matrix
from hyp_board.core.method import (
    Answer,
    Concern,
    DeceptionCheck,
    DeceptionQuestion,
    Due,
    Milestone,
    MilestoneStatus,
    marking_line,
    suggested_concern,
)
from hyp_board.core.model import Cell, Evidence, EvidenceType, Hypothesis, Project, ProjectData, Rating
from hyp_board.project_files.hypboard import parse_project, to_document
from hyp_board.sample_case import load_sample
from hyp_board.storage import Store
from hyp_board.storage.database import SCHEMA_VERSION

DATA = Path(__file__).parent / "data"
Q = DeceptionQuestion


def open_sample(store: Store) -> tuple[ProjectEditor, int]:
    pid = store.insert_project(load_sample())
    return ProjectEditor(store, Matrix(store.load_project(pid))), pid


def reloaded(store: Store, pid: int) -> Matrix:
    return Matrix(store.load_project(pid))


def test_the_sample_has_milestones_for_every_hypothesis_and_a_check_for_each_source(store: Store):
    _ed, pid = open_sample(store)
    m = reloaded(store, pid)
    assert all(len(m.milestones_of(h.id)) == 2 for h in m.hypotheses)
    assert all(ms.due and ms.status is MilestoneStatus.WATCHING for ms in m.milestones)
    levels = {m.document(doc_id).title.split(":")[0]: c.level for doc_id, c in m.deception_checks.items()}
    assert levels == {
        "AP": Concern.MEDIUM,
        "US in Disarmament Discussions with Elements of Al-Sadr's Mahdi Army in Iraq": Concern.HIGH,
    }
    # Every question is answered, with a reason.
    for check in m.deception_checks.values():
        assert all(check.answer(q) is not Answer.UNANSWERED and check.answer_note(q) for q in Q)


def test_milestones_edit_undo_and_persist(store: Store):
    ed, pid = open_sample(store)
    h = ed.matrix.hypotheses[1]
    new_id, change = ed.add_milestone(Milestone(h.id, "  Sanctions   vote at the UN ", due="2007-05-31"))
    assert change.method and h.id in change.hypotheses
    added = ed.matrix.milestone(new_id)
    assert added.text == "Sanctions vote at the UN"  # one line, as typed
    assert [x.text for x in reloaded(store, pid).milestones_of(h.id)][-1] == "Sanctions vote at the UN"

    ed.update_milestone(new_id, {"status": MilestoneStatus.OBSERVED, "note": "Resolution 1747, 24 March"})
    stored = reloaded(store, pid).milestone(new_id)
    assert stored.status is MilestoneStatus.OBSERVED and stored.note == "Resolution 1747, 24 March"
    ed.update_milestone(new_id, {"status": MilestoneStatus.WATCHING, "note": ""})  # undo
    assert reloaded(store, pid).milestone(new_id).status is MilestoneStatus.WATCHING

    with pytest.raises(EditError, match="YYYY-MM-DD"):
        ed.update_milestone(new_id, {"due": "2007-02-30"})
    with pytest.raises(EditError, match="empty"):
        ed.update_milestone(new_id, {"text": "   "})
    assert reloaded(store, pid).milestone(new_id).due == "2007-05-31"  # nothing stored

    removed, _ = ed.remove_milestone(new_id)
    assert new_id not in {x.id for x in reloaded(store, pid).milestones}
    ed.restore_milestone(removed)  # undo keeps its id and place
    again = reloaded(store, pid)
    assert again.milestone(new_id).text == "Sanctions vote at the UN"
    assert [x.id for x in again.milestones_of(h.id)][-1] == new_id


def test_removing_a_hypothesis_takes_its_milestones_and_undo_brings_them_back(store: Store):
    ed, pid = open_sample(store)
    h = ed.matrix.hypotheses[0]
    before = [(x.id, x.text) for x in ed.matrix.milestones_of(h.id)]
    removed, change = ed.remove_hypothesis(h.id)
    assert change.method and not reloaded(store, pid).milestones_of(h.id)
    with sqlite3.connect(store.path) as conn:
        assert (
            conn.execute("SELECT count(*) FROM milestone WHERE hypothesis_id = ?", (h.id,)).fetchone()[0] == 0
        )
    ed.restore_hypothesis(removed)
    assert [(x.id, x.text) for x in reloaded(store, pid).milestones_of(h.id)] == before
    assert [(x.id, x.text) for x in ed.matrix.milestones_of(h.id)] == before


def test_deception_check_edit_override_undo_and_persist(store: Store):
    ed, pid = open_sample(store)
    doc = ed.matrix.documents[0]
    old = ed.matrix.deception_check(doc.id)
    assert old is not None and old.level is Concern.MEDIUM and old.concern is None
    answers = dict(old.answers)
    answers[Q.PAST_PRACTICE] = (Answer.YES, "They lied to the AP in 2006")
    change = ed.set_deception_check(doc.id, DeceptionCheck(answers, None, old.note))
    assert change.method and change.evidence == {e.id for e in ed.matrix.evidence_from(doc.id)}
    assert reloaded(store, pid).deception_check(doc.id).level is Concern.HIGH  # derived
    ed.set_deception_check(doc.id, DeceptionCheck(answers, Concern.LOW, old.note))  # the analyst overrides
    stored = reloaded(store, pid).deception_check(doc.id)
    assert stored.level is Concern.LOW and stored.suggested_concern is Concern.HIGH
    ed.set_deception_check(doc.id, old)  # undo
    assert reloaded(store, pid).deception_check(doc.id) == old
    ed.set_deception_check(doc.id, DeceptionCheck())  # an empty check is no check
    assert reloaded(store, pid).deception_check(doc.id) is None


def test_removing_a_document_takes_its_check_and_undo_brings_it_back(store: Store):
    ed, pid = open_sample(store)
    doc = ed.matrix.documents[1]
    check = ed.matrix.deception_check(doc.id)
    removed, _ = ed.remove_document(doc.id, delete_evidence=False)
    assert reloaded(store, pid).deception_check(doc.id) is None
    ed.restore_document(removed)
    assert reloaded(store, pid).deception_check(doc.id) == check == ed.matrix.deception_check(doc.id)


@pytest.mark.parametrize(
    ("answers", "level"),
    [
        ({}, Concern.LOW),
        ({Q.MOTIVE: Answer.NO, Q.CHANNEL: Answer.NO}, Concern.LOW),
        ({Q.MOTIVE: Answer.YES}, Concern.MEDIUM),
        ({Q.MOTIVE: Answer.UNKNOWN, Q.OPPORTUNITY: Answer.UNKNOWN}, Concern.MEDIUM),
        ({Q.MOTIVE: Answer.YES, Q.OPPORTUNITY: Answer.YES, Q.PAST_PRACTICE: Answer.YES}, Concern.HIGH),
        ({Q.CHANNEL: Answer.YES, Q.UNCORROBORATED: Answer.YES, Q.MOTIVE: Answer.YES}, Concern.HIGH),
    ],
)
def test_concern_follows_the_answers(answers: dict[DeceptionQuestion, Answer], level: Concern):
    assert suggested_concern(DeceptionCheck({q: (a, "") for q, a in answers.items()})) is level


def test_milestone_due_states():
    m = Milestone(1, "x", due="2026-03-10")
    assert m.due_state(date(2026, 3, 11)) is Due.OVERDUE
    assert m.due_state(date(2026, 3, 1)) is Due.SOON
    assert m.due_state(date(2026, 1, 1)) is Due.LATER
    m.status = MilestoneStatus.OBSERVED
    assert m.due_state(date(2026, 3, 11)) is Due.NONE


def test_marking_is_edited_as_one_line(store: Store):
    ed, pid = open_sample(store)
    ed.update_project({"classification": " SECRET ", "caveats": "REL TO\nUSA, GBR"})
    p = reloaded(store, pid).project
    assert (p.classification, p.caveats) == ("SECRET", "REL TO USA, GBR")
    assert marking_line(p.classification, p.caveats) == "SECRET // REL TO USA, GBR"
    with pytest.raises(EditError, match="at most"):
        ed.update_project({"caveats": "X" * 300})


def test_hypboard_round_trip_keeps_the_method(store: Store):
    ed, _pid = open_sample(store)
    ed.update_project({"classification": "OFFICIAL", "caveats": "SENSITIVE", "steps_done": frozenset({4, 6})})
    first = ed.matrix.milestones[0]
    ed.update_milestone(first.id, {"status": MilestoneStatus.DID_NOT_HAPPEN, "note": "No names by June"})
    doc = ed.matrix.documents[0]
    ed.set_deception_check(
        doc.id, DeceptionCheck(ed.matrix.deception_check(doc.id).answers, Concern.HIGH, "n")
    )
    document = to_document(ed.matrix)
    assert document["version"] == "1.4"
    result = parse_project(json.dumps(document).encode())
    back = Matrix(result.data)
    p = back.project
    assert (p.classification, p.caveats, p.steps_done) == ("OFFICIAL", "SENSITIVE", frozenset({4, 6}))
    assert [(x.text, x.due, x.status, x.note) for x in back.milestones] == [
        (x.text, x.due, x.status, x.note) for x in ed.matrix.milestones
    ]
    assert [back.hypothesis(x.hypothesis_id).uuid for x in back.milestones] == [
        ed.matrix.hypothesis(x.hypothesis_id).uuid for x in ed.matrix.milestones
    ]
    checks = {back.document(i).uuid: c for i, c in back.deception_checks.items()}
    assert checks == {ed.matrix.document(i).uuid: c for i, c in ed.matrix.deception_checks.items()}
    # And into a database and out again.
    again = reloaded(store, store.insert_project(result.data))
    assert len(again.milestones) == 8 and len(again.deception_checks) == 2
    assert again.project.classification == "OFFICIAL"


def test_an_older_hypboard_file_still_reads(store: Store):
    ed, _ = open_sample(store)
    document = to_document(ed.matrix)
    document["version"] = "1.3"
    for key in ("classification", "caveats", "steps_done"):
        document["project"].pop(key, None)
    for h in document["hypotheses"]:
        h.pop("milestones", None)
    for d in document["documents"]:
        d.pop("deception_check", None)
    data = parse_project(json.dumps(document).encode()).data
    assert data.milestones == [] and data.deception_checks == {} and data.project.classification == ""


def test_a_hypboard_file_with_a_bad_milestone_is_refused_in_words(store: Store):
    ed, _ = open_sample(store)
    document = to_document(ed.matrix)
    document["hypotheses"][0]["milestones"][0]["due"] = "2007-13-01"
    with pytest.raises(Exception, match=r"hypotheses\[0\]\.milestones\[0\]\.due"):
        parse_project(json.dumps(document).encode())
    document["hypotheses"][0]["milestones"][0]["due"] = "June"
    with pytest.raises(Exception, match="due"):
        parse_project(json.dumps(document).encode())


def test_a_schema_1_5_database_gains_the_method(tmp_path: Path):
    copy = tmp_path / "old.sqlite"
    shutil.copy(DATA / "schema-1.5.sqlite", copy)
    with sqlite3.connect(copy) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == (1 << 16) | 5
    s = Store.open(copy)
    pid = s.list_projects()[0].id
    m = Matrix(s.load_project(pid))
    assert len(m.evidence) == 22 and m.milestones == [] and m.deception_checks == {}
    assert m.project.classification == "" and m.project.steps_done == frozenset()
    ed = ProjectEditor(s, m)
    ed.add_milestone(Milestone(m.hypotheses[0].id, "Something to watch", due="2007-06-30"))
    ed.set_deception_check(m.documents[0].id, DeceptionCheck({Q.MOTIVE: (Answer.YES, "")}))
    ed.update_project({"classification": "UNCLASSIFIED"})
    s.close()
    with sqlite3.connect(copy) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    s = Store.open(copy)
    m = Matrix(s.load_project(pid))
    assert len(m.milestones) == 1 and len(m.deception_checks) == 1
    assert m.project.classification == "UNCLASSIFIED"
    s.delete_project(pid)  # takes the new rows with it
    s.close()
    with sqlite3.connect(copy) as conn:
        assert conn.execute("SELECT count(*) FROM milestone").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM deception_check").fetchone()[0] == 0


def _project(n_h: int, n_e: int, rate: bool = True, assumption: bool = False) -> Matrix:
    data = ProjectData(Project("p"))
    data.hypotheses = [Hypothesis(f"H{i}", id=i, position=i) for i in range(1, n_h + 1)]
    for i in range(1, n_e + 1):
        kind = EvidenceType.ASSUMPTION if assumption and i == 1 else EvidenceType.REPORT
        data.evidence.append(Evidence(f"E{i}", kind=kind, id=i, position=i))
        if rate:
            for h in data.hypotheses:
                data.cells[(i, h.id)] = Cell(Rating.C if h.id == 1 else Rating.I)
    return Matrix(data)


def test_checklist_statuses_follow_the_project():
    empty = {s.number: s for s in method_steps(_project(0, 0, rate=False))}
    assert [s.status for s in empty.values()] == [StepStatus.TO_DO] * 8
    assert "at least two" in empty[1].detail

    two = {s.number: s for s in method_steps(_project(2, 3))}
    assert two[1].status is StepStatus.PARTLY and "third" in two[1].detail
    assert two[2].status is StepStatus.PARTLY and "assumptions" in two[2].detail
    assert two[3].status is StepStatus.DONE

    m = _project(3, 4, assumption=True)
    m.cells.pop((1, 2))
    m.cells.pop((2, 3))
    steps = {s.number: s for s in method_steps(m)}
    assert steps[1].status is StepStatus.DONE and steps[2].status is StepStatus.DONE
    assert steps[3].status is StepStatus.PARTLY and steps[3].detail == "2 cells unrated"
    assert steps[4].status is StepStatus.TO_DO and steps[4].markable

    m.project.notes = "The first is the least inconsistent."
    m.project.steps_done = frozenset({4, 6, 7})
    m.milestones = [Milestone(1, "x", id=1), Milestone(2, "y", id=2)]
    steps = {s.number: s for s in method_steps(m)}
    assert all(steps[n].status is StepStatus.DONE for n in (4, 5, 6, 7))
    assert steps[8].status is StepStatus.PARTLY and "2 of 3" in steps[8].detail
    m.milestones.append(Milestone(3, "z", due="2026-03-01", id=3))
    assert method_steps(m)[7].status is StepStatus.DONE
    assert method_steps(m, date(2026, 3, 2))[7].detail == "3 milestones for every hypothesis; 1 overdue"
    assert method_steps(m, date(2026, 3, 1))[7].detail == "3 milestones for every hypothesis"


def test_unrated_cells_are_counted_through_every_kind_of_edit():
    import random

    rng = random.Random(11)
    m = _project(5, 30)

    def by_hand() -> int:
        return sum(1 for e in m.evidence if e.included for h in m.hypotheses if (e.id, h.id) not in m.cells)

    for step in range(400):
        e = rng.choice(m.evidence)
        h = rng.choice(m.hypotheses)
        what = rng.random()
        if what < 0.5:
            m.set_cell(e.id, h.id, None if rng.random() < 0.4 else Cell(rng.choice(list(Rating))))
        elif what < 0.7:
            m.update_evidence(e.id, {"included": not e.included})
        elif what < 0.8 and len(m.evidence) > 3:
            removed, _ = m.remove_evidence(e.id)
            if rng.random() < 0.5:
                m.insert_evidence(removed)
        elif what < 0.9 and len(m.hypotheses) > 2:
            removed_h, _ = m.remove_hypothesis(h.id)
            if rng.random() < 0.7:
                m.insert_hypothesis(removed_h)
        assert unrated_count(m) == by_hand(), step


def test_non_diagnostic_items_are_counted_for_step_4():
    m = _project(3, 2)
    data_flat = Evidence("flat", id=99, position=9)
    ed_cells = {(99, h.id): Cell(Rating.C) for h in m.hypotheses}
    flat = Matrix(ProjectData(m.project, m.hypotheses, [*m.evidence, data_flat], {**m.cells, **ed_cells}))
    step4 = method_steps(flat)[3]
    assert step4.detail == "1 non-diagnostic item to review"
