""".hypboard files with the project's history (format 1.4): written only when asked,
read back into snapshots, refused in words when damaged or hostile, ignored by older
readers."""

from __future__ import annotations

import copy
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hyp_board.core.editor import ProjectEditor
from hyp_board.core.matrix import Matrix
from hyp_board.core.model import Cell, Document, Rating
from hyp_board.project_files.hypboard import parse_project
from hyp_board.project_files.import_result import ProjectFileError
from hyp_board.sample_case import load_sample
from hyp_board.sharing import export_project_file, import_project_file
from hyp_board.snapshots import snapshot_data, take_snapshot
from hyp_board.storage import Store

from cli_runner import run

ROOT = Path(__file__).resolve().parent.parent
# The last commit writing format 1.3: the release before the history was added.
OLDER_RELEASE = "1337227"


@pytest.fixture
def with_snapshots(store: Store) -> int:
    """The sample with two snapshots: one before a document was added (and later deleted
    from the project), one after a rating changed."""
    pid = store.insert_project(load_sample())
    ed = ProjectEditor(store, Matrix(store.load_project(pid)))
    doc_id, _ = ed.add_document(Document("Later deleted", original_text="Only a snapshot still holds this."))
    take_snapshot(store, pid, "With the extra document")
    ed.remove_document(doc_id, delete_evidence=False)
    ed.set_cell(ed.matrix.evidence[0].id, ed.matrix.hypotheses[0].id, Cell(Rating.II, "reread"))
    take_snapshot(store, pid, "After rereading", automatic=True)
    return pid


def test_a_project_file_holds_no_history_unless_asked(store: Store, with_snapshots: int, tmp_path: Path):
    out = tmp_path / "plain.hypboard"
    export_project_file(store, with_snapshots, out)
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["version"] == "1.4" and "history" not in document
    new_id, notes = import_project_file(store, out)
    assert store.snapshots(new_id) == [] and not any("history" in n for n in notes)


def test_the_history_travels_and_comes_back_as_snapshots(store: Store, with_snapshots: int, tmp_path: Path):
    out = tmp_path / "with-history.hypboard"
    export_project_file(store, with_snapshots, out, with_history=True)
    document = json.loads(out.read_text(encoding="utf-8"))
    history = document["history"]
    assert [s["name"] for s in history["snapshots"]] == ["After rereading", "With the extra document"]
    assert [j["kind"] for j in history["journal"]] == [
        "rating",
        "document-removed",
        "document-added",
        "project-created",
    ]
    # Only the text no document of the file holds is written out; the others are the
    # documents' own, referred to by hash.
    assert list(history["texts"].values()) == ["Only a snapshot still holds this."]

    new_id, notes = import_project_file(store, out)
    original_journal = store.journal(with_snapshots)
    assert "4 recorded changes and 2 snapshots" in notes[-1]  # stored, document in and out, a rating
    # The journal comes back as it was, entry for entry, with the import itself on top.
    journal = store.journal(new_id)
    assert journal[0].action == "Imported from with-history.hypboard"
    assert [(e.at, e.kind, e.item, e.hypothesis, e.old, e.new, e.group, e.action) for e in journal[1:]] == [
        (e.at, e.kind, e.item, e.hypothesis, e.old, e.new, e.group, e.action) for e in original_journal
    ]
    brought = store.snapshots(new_id)
    original = store.snapshots(with_snapshots)
    assert [(s.name, s.automatic, s.taken_at) for s in brought] == [
        (s.name, s.automatic, s.taken_at) for s in original
    ]
    for mine, theirs in zip(original, brought, strict=True):
        a, b = snapshot_data(store, mine.id), snapshot_data(store, theirs.id)
        assert [d.text for d in a.documents] == [d.text for d in b.documents]
        assert Matrix(a).cells == Matrix(b).cells
        assert [e.uuid for e in a.evidence] == [e.uuid for e in b.evidence]


def test_the_command_line_exports_the_history_when_asked(db_path: Path, tmp_path: Path):
    s = Store.open(db_path)
    pid = s.insert_project(load_sample())
    take_snapshot(s, pid, "Kept")
    s.close()
    out = tmp_path / "shared.hypboard"
    result = run("export", "Sample", "--hypboard", str(out), "--with-history", "--db", str(db_path))
    assert result.returncode == 0, result.stderr
    # "Kept" (the export took none of its own: the project is as "Kept" holds it).
    assert "with its history: 1 recorded change and 1 snapshot" in result.stdout  # stored
    assert [s["name"] for s in json.loads(out.read_text(encoding="utf-8"))["history"]["snapshots"]] == [
        "Kept"
    ]
    alone = run("export", "Sample", "--csv", str(tmp_path / "r.csv"), "--with-history", "--db", str(db_path))
    assert (
        alone.returncode == 2 and "--with-history goes with --hypboard, --pdf or --markdown" in alone.stderr
    )


def test_an_older_reader_imports_the_project_and_says_it_left_the_history_out(
    store: Store, with_snapshots: int, tmp_path: Path
):
    """The reader of the previous release (format 1.3), run from its own code."""
    out = tmp_path / "new.hypboard"
    export_project_file(store, with_snapshots, out, with_history=True)
    older = tmp_path / "older"
    older.mkdir()
    archive = subprocess.run(
        ["git", "archive", OLDER_RELEASE, "hyp_board", "resources/schema"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(older)], input=archive, check=True)
    code = (
        "import json, sys\n"
        "from hyp_board.project_files.hypboard import FORMAT_MINOR, read_project_file\n"
        "result = read_project_file(sys.argv[1])\n"
        "print(json.dumps([FORMAT_MINOR, len(result.data.evidence), result.notes]))"
    )
    env = {**os.environ, "PYTHONPATH": str(older)}
    done = subprocess.run(
        [sys.executable, "-c", code, str(out)], capture_output=True, text=True, env=env, cwd=older
    )
    assert done.returncode == 0, done.stderr
    minor, evidence, notes = json.loads(done.stdout)
    assert minor == 3 and evidence == len(store.load_project(with_snapshots).evidence)
    assert "not imported: history" in notes[0]


# -- hostile files ----------------------------------------------------------------------
@pytest.fixture
def shared(store: Store, with_snapshots: int, tmp_path: Path) -> dict:
    out = tmp_path / "shared.hypboard"
    export_project_file(store, with_snapshots, out, with_history=True)
    return json.loads(out.read_text(encoding="utf-8"))


def refused(document: dict) -> str:
    with pytest.raises(ProjectFileError) as caught:
        parse_project(json.dumps(document).encode("utf-8"), "x.hypboard")
    return str(caught.value)


def test_a_text_filed_under_another_hash_is_refused(shared: dict):
    (digest,) = shared["history"]["texts"]
    shared["history"]["texts"][digest] = "A different text."
    assert "does not have the SHA-256 it is filed under" in refused(shared)


def test_a_snapshot_whose_text_is_missing_is_refused(shared: dict):
    shared["history"]["texts"] = {}
    assert "history.snapshots[1]: documents[2].text: its text is missing" in refused(shared)


def test_a_snapshot_holding_a_history_of_its_own_is_refused(shared: dict):
    inner = shared["history"]["snapshots"][0]["project"]
    inner["history"] = {"snapshots": []}
    assert "history.snapshots[0].project" in refused(shared)


def test_a_snapshot_rating_an_item_that_is_not_there_is_refused_with_where(shared: dict):
    shared["history"]["snapshots"][0]["project"]["ratings"][0]["evidence"] = (
        "00000000-0000-4000-8000-000000000000"
    )
    message = refused(shared)
    assert "history.snapshots[0]" in message and "ratings[0].evidence" in message


def test_too_many_snapshots_are_refused(shared: dict):
    tiny = copy.deepcopy(shared["history"]["snapshots"][0])
    tiny["project"].update(hypotheses=[], evidence=[], ratings=[], documents=[])
    shared["history"]["snapshots"] = [tiny] * 1001
    assert "history.snapshots" in refused(shared)


def test_journal_entries_of_an_unknown_kind_are_left_out_with_a_note(
    store: Store, shared: dict, tmp_path: Path
):
    shared["history"]["journal"].insert(0, {"at": "2027-01-01T00:00:00+00:00", "kind": "time-travel"})
    path = tmp_path / "newer.hypboard"
    path.write_text(json.dumps(shared), encoding="utf-8")
    new_id, notes = import_project_file(store, path)
    assert "1 change of kinds a newer version records were left out" in notes[-1]
    assert all(str(e.kind) != "time-travel" for e in store.journal(new_id))


def test_a_journal_entry_without_a_readable_time_is_refused(shared: dict):
    shared["history"]["journal"][0]["at"] = "yesterday"
    assert "history.journal[0].at: 'yesterday' is not a date and time" in refused(shared)


def test_a_journal_entry_with_a_value_too_long_is_refused(shared: dict):
    shared["history"]["journal"][0]["reason"] = "x" * 10_001
    assert "history.journal[0].reason" in refused(shared)


def test_a_likelihood_setting_out_of_range_is_refused(shared: dict):
    shared["history"]["snapshots"][0]["likelihood"] = {"CC": 7}
    assert "likelihood for CC must be above 0 and at most 1" in refused(shared)


def test_a_text_hash_that_is_not_hex_is_refused(shared: dict):
    shared["history"]["texts"]["../../etc/passwd"] = "x"
    assert "history.texts" in refused(shared)


def test_sha256_of_the_written_texts_is_of_their_utf8(shared: dict):
    for digest, text in shared["history"]["texts"].items():
        assert hashlib.sha256(text.encode("utf-8")).hexdigest() == digest


def test_reading_a_file_with_history_is_checked_completely_before_anything_is_stored(
    store: Store, shared: dict, tmp_path: Path
):
    shared["history"]["snapshots"][1]["project"]["hypotheses"][0]["uuid"] = shared["history"]["snapshots"][1][
        "project"
    ]["hypotheses"][1]["uuid"]
    bad = tmp_path / "bad.hypboard"
    bad.write_text(json.dumps(shared), encoding="utf-8")
    projects = store.list_projects()
    with pytest.raises(ProjectFileError, match="is used twice"):
        import_project_file(store, bad)
    assert store.list_projects() == projects


def test_reports_show_how_the_conclusion_moved_when_asked(db_path: Path, tmp_path: Path):
    s = Store.open(db_path)
    pid = s.insert_project(load_sample())
    ed = ProjectEditor(s, Matrix(s.load_project(pid)))
    m = ed.matrix
    leader = min(m.scores(), key=lambda x: x.weighted_inconsistency).hypothesis_id
    with ed.batch("Against the leader"):
        for e in m.evidence:
            ed.set_cell(e.id, leader, Cell(Rating.II))
    s.close()
    plain, told = tmp_path / "plain.md", tmp_path / "told.md"
    assert run("export", "Sample", "--markdown", str(plain), "--db", str(db_path)).returncode == 0
    result = run(
        "export",
        "Sample",
        "--markdown",
        str(told),
        "--pdf",
        str(tmp_path / "r.pdf"),
        "--with-history",
        "--db",
        str(db_path),
    )
    assert result.returncode == 0, result.stderr
    assert "How the conclusion moved" not in plain.read_text(encoding="utf-8")
    text = told.read_text(encoding="utf-8")
    assert "### How the conclusion moved" in text
    assert "took the lead on" in text and "when “Against the leader” made" in text
    from pypdf import PdfReader

    pdf_text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(tmp_path / "r.pdf").pages)
    assert "How the conclusion moved" in pdf_text and "took the lead" in pdf_text


def test_milestone_and_deception_check_entries_travel_and_revert_after_import(store: Store, tmp_path: Path):
    import jsonschema

    from hyp_board.core.method import Concern, DeceptionCheck, Milestone, MilestoneStatus
    from hyp_board.core.model import Hypothesis
    from hyp_board.core.revert import revert_entry
    from hyp_board.project_files.hypboard import schema

    pid = store.create_project("Watched")
    ed = ProjectEditor(store, Matrix(store.load_project(pid)))
    h, _ = ed.add_hypothesis(Hypothesis("The clerk"))
    doc, _ = ed.add_document(Document("Statement", "Text."))
    milestone, _ = ed.add_milestone(Milestone(h, "His car at the station"))
    ed.update_milestone(milestone, {"status": MilestoneStatus.DID_NOT_HAPPEN})
    ed.set_deception_check(doc, DeceptionCheck(concern=Concern.LOW, note="a neighbour"))
    out = tmp_path / "watched.hypboard"
    export_project_file(store, pid, out, with_history=True)
    document = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema()).validate(document)
    assert [j["kind"] for j in document["history"]["journal"]][:3] == [
        "deception-check",
        "milestone-field",
        "milestone-added",
    ]
    new_id, notes = import_project_file(store, out)
    assert "0 recorded changes" not in notes[-1]
    journal = store.journal(new_id)
    assert [(e.kind, e.item, e.old, e.new) for e in journal[1:]] == [
        (e.kind, e.item, e.old, e.new) for e in store.journal(pid)
    ]
    # The milestone keeps its uuid in the copy: its edit can be reverted there.
    copy = ProjectEditor(store, Matrix(store.load_project(new_id)))
    revert_entry(copy, journal[2])
    assert copy.matrix.milestones[0].status is MilestoneStatus.WATCHING
