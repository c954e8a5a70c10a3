"""A process killed while it edits leaves no edit without its journal entries, and no
entry without its edit."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from hyp_board.core.editor import ProjectEditor
from hyp_board.core.matrix import Matrix
from hyp_board.core.model import Evidence, Hypothesis
from hyp_board.storage import Store

# The child: rates every cell once, in batches of several cells (one transaction
# each), adds an item now and then and edits a summary, as fast as it can, until killed.
CHILD = """
import sys
from pathlib import Path
from hyp_board.core.editor import ProjectEditor
from hyp_board.core.matrix import Matrix
from hyp_board.core.model import Cell, Evidence, Rating
from hyp_board.storage import Store

store = Store.open(Path(sys.argv[1]))
pid = store.list_projects()[0].id
ed = ProjectEditor(store, Matrix(store.load_project(pid)))
print("READY", flush=True)
ratings = list(Rating)
n = 0
for ev in list(ed.matrix.evidence):
    with ed.batch("Rate a row"):
        for h in ed.matrix.hypotheses:
            ed.set_cell(ev.id, h.id, Cell(ratings[n % len(ratings)], f"reason {n}"))
            n += 1
    ed.update_evidence(ev.id, {"summary": f"rated {ev.ref}"})
    ed.add_evidence(Evidence(f"added after {ev.ref}"))
print("DONE", flush=True)
"""


def make_project(db: Path) -> None:
    store = Store.open(db)
    pid = store.create_project("Kill test")
    ed = ProjectEditor(store, Matrix(store.load_project(pid)))
    for i in range(8):
        ed.add_hypothesis(Hypothesis(f"H {i}"))
    for i in range(400):
        ed.add_evidence(Evidence(f"item {i}"))
    store.close()


def check(db: Path) -> tuple[int, str | None]:
    """How many ratings survived, and the first inconsistency between edits and journal."""
    with sqlite3.connect(db) as conn:
        if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            return 0, "damaged database"
        ratings = {
            (f"E{e}", f"H{h}"): {"rating": code, "reason": reason}
            for e, h, code, reason in conn.execute(
                "SELECT e.number, h.number, r.code, r.reason FROM rating r "
                "JOIN evidence e ON e.id = r.evidence_id JOIN hypothesis h ON h.id = r.hypothesis_id"
            )
        }
        entries = conn.execute("SELECT kind, item, hypothesis, new_value FROM journal").fetchall()
        summaries = dict(conn.execute("SELECT 'E' || number, summary FROM evidence"))
    rated = {(item, h): json.loads(new) for kind, item, h, new in entries if kind == "rating"}
    if len(rated) != sum(kind == "rating" for kind, *_ in entries):
        return len(ratings), "a cell was journaled twice"
    if rated != ratings:
        missing = set(ratings) - set(rated)
        extra = set(rated) - set(ratings)
        return len(
            ratings
        ), f"ratings without entries {sorted(missing)[:3]}, entries without ratings {sorted(extra)[:3]}"
    edited = {item: json.loads(new)["summary"] for kind, item, _, new in entries if kind == "evidence-field"}
    if any(summaries.get(item) != summary for item, summary in edited.items()):
        return len(ratings), "a summary edit and its entry disagree"
    if sum(s.startswith("rated ") for s in summaries.values()) != len(edited):
        return len(ratings), "a summary edit without its entry"
    # Every item was added through the editor, the 400 made before the child started too.
    if sum(kind == "evidence-added" for kind, *_ in entries) != len(summaries):
        return len(ratings), "an added item without its entry, or an entry without its item"
    return len(ratings), None


def test_a_killed_process_leaves_every_edit_with_its_entries_and_no_other(tmp_path: Path):
    rng = random.Random(18)
    survived = []
    for run in range(4):
        db = tmp_path / f"run{run}.sqlite"
        make_project(db)
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(db)], stdout=subprocess.PIPE, text=True, env=dict(os.environ)
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "READY"
        time.sleep(rng.uniform(0.2, 1.2))
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stdout.close()
        count, problem = check(db)
        assert problem is None, f"run {run}: {problem}"
        survived.append(count)
    # The kills landed part-way: some edits were stored, and not all of them.
    assert any(0 < n < 400 * 8 for n in survived), survived
