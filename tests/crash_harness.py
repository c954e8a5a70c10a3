"""Killing the application at random moments while it edits, and checking what survives.

A child process (:func:`child_main`) opens the database and makes random edits through
the window's own path (:class:`ProjectSession`: the editor and the undo commands),
ranges, multi-row deletes, documents, undo and redo included. It logs, each line
written and flushed before it goes on:

* ``READY <digest>`` once the project is loaded;
* ``BEGIN <n> <what>`` before each action;
* ``PREPARED <n> <digest>`` inside the action's transaction, just before its commit,
  with the state the commit makes (the matrix in memory is complete by then);
* ``ACK <n> <digest>`` once the action has returned (committed, or refused).

The parent (:func:`kill_and_check`) kills it with SIGKILL at a random moment and
checks the database: integrity, foreign keys, contiguous positions, and that what is
stored is exactly the state after the last acknowledged action, or after the one in
flight if it reached its commit: never a part of an action, and never less than was
acknowledged. A digest covers every field of the project (by identity, not database
id), so "part of an action" cannot pass unnoticed.
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def digest(matrix) -> str:  # type: ignore[no-untyped-def]
    from project_factory import project_fields

    return hashlib.sha1(repr(project_fields(matrix)).encode()).hexdigest()[:16]


# -- the child -----------------------------------------------------------------------------
def child_main(db: Path, log: Path, seed: int) -> None:
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication

    from hyp_board.storage import Store
    from hyp_board.ui.project_session import ProjectSession

    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND)

    def write(line: str) -> None:
        os.write(fd, (line + "\n").encode())  # unbuffered: on disk before we go on

    class LoggingStore(Store):
        """The real store, telling the log when a transaction is about to commit."""

        depth = 0
        before_commit = None

        @contextmanager
        def transaction(self, project_id=None, action="The change was not saved") -> Iterator[None]:  # type: ignore[no-untyped-def, override]
            self.depth += 1
            try:
                with super().transaction(project_id, action):
                    yield
                    if self.depth == 1 and self.before_commit is not None:
                        self.before_commit()
            finally:
                self.depth -= 1

    _app = QApplication.instance() or QApplication([])
    store = LoggingStore.open(db)
    project_id = store.list_projects()[0].id
    session = ProjectSession(store, project_id)
    rng = random.Random(seed)
    step = 0
    store.before_commit = lambda: write(f"PREPARED {step} {digest(session.matrix)}")  # type: ignore[assignment]
    write(f"READY {digest(session.matrix)}")
    while True:
        step += 1
        action = rng.choice(ACTIONS)
        write(f"BEGIN {step} {action.__name__}")
        action(session, rng)
        write(f"ACK {step} {digest(session.matrix)}")


# Actions: what an analyst does in the window, at random.
def rate_cell(s, rng) -> None:  # type: ignore[no-untyped-def]
    m = s.matrix
    if m.evidence and m.hypotheses:
        cell = (rng.choice(m.evidence).id, rng.choice(m.hypotheses).id)
        s.rate([cell], rng.choice([*_ratings(), None]))


def rate_range(s, rng) -> None:  # type: ignore[no-untyped-def]
    m = s.matrix
    if len(m.evidence) < 2 or not m.hypotheses:
        return
    top = rng.randrange(len(m.evidence) - 1)
    rows = m.evidence[top : top + rng.randint(2, 6)]
    left = rng.randrange(len(m.hypotheses))
    cols = m.hypotheses[left : left + rng.randint(1, 4)]
    s.rate([(e.id, h.id) for e in rows for h in cols], rng.choice([*_ratings(), None]))


def edit_evidence(s, rng) -> None:  # type: ignore[no-untyped-def]
    from hyp_board.core.model import Level

    if s.matrix.evidence:
        e = rng.choice(s.matrix.evidence)
        field_edit = rng.choice(
            [
                {"summary": f"Edited {rng.randrange(10**6)}"},
                {"included": not e.included},
                {"credibility": rng.choice(list(Level))},
                {"notes": "note " * rng.randint(0, 30)},
            ]
        )
        s.edit_evidence(e.id, field_edit)


def add_evidence(s, rng) -> None:  # type: ignore[no-untyped-def]
    from hyp_board.core.model import Evidence

    if len(s.matrix.evidence) < 40:
        s.add_evidence(Evidence(f"New item {rng.randrange(10**6)}"), rng.randint(0, len(s.matrix.evidence)))


def quote_a_passage(s, rng) -> None:  # type: ignore[no-untyped-def]
    from hyp_board.core.model import Evidence

    docs = s.matrix.documents
    if docs and len(s.matrix.evidence) < 40:
        doc = rng.choice(docs)
        text = doc.text
        start = rng.randrange(max(1, len(text) - 80))
        quote = text[start : start + 60]
        if quote.strip():
            s.add_evidence(
                Evidence(
                    quote.strip()[:50] or "q",
                    quote=quote,
                    document_id=doc.id,
                    span=(start, start + len(quote)),
                )
            )


def delete_rows(s, rng) -> None:  # type: ignore[no-untyped-def]
    ids = [e.id for e in s.matrix.evidence]
    if len(ids) > 6:
        s.remove_evidence(rng.sample(ids, rng.randint(1, 4)))


def move_evidence(s, rng) -> None:  # type: ignore[no-untyped-def]
    if len(s.matrix.evidence) > 1:
        s.move_evidence(rng.choice(s.matrix.evidence).id, rng.choice([-1, 1]))


def add_hypothesis(s, rng) -> None:  # type: ignore[no-untyped-def]
    from hyp_board.core.model import Hypothesis

    if len(s.matrix.hypotheses) < 8:
        s.add_hypothesis(
            Hypothesis(f"Hypothesis {rng.randrange(10**6)}"), rng.randint(0, len(s.matrix.hypotheses))
        )


def delete_hypothesis(s, rng) -> None:  # type: ignore[no-untyped-def]
    if len(s.matrix.hypotheses) > 2:
        s.remove_hypothesis(rng.choice(s.matrix.hypotheses).id)


def grade_source(s, rng) -> None:  # type: ignore[no-untyped-def]
    from hyp_board.core.model import Reliability

    if s.matrix.documents:
        s.edit_document(rng.choice(s.matrix.documents).id, {"reliability": rng.choice([*Reliability, None])})


def switch_text(s, rng) -> None:  # type: ignore[no-untyped-def]
    docs = [d for d in s.matrix.documents if d.article_text is not None]
    if docs:
        doc = rng.choice(docs)
        s.use_original_text(doc.id, not doc.uses_original)


def delete_document(s, rng) -> None:  # type: ignore[no-untyped-def]
    if len(s.matrix.documents) > 1:
        s.remove_document(rng.choice(s.matrix.documents).id, delete_evidence=rng.random() < 0.5)


def add_document(s, rng) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from hyp_board.core.model import new_uuid

    if s.matrix.documents and len(s.matrix.documents) < 5:
        source = rng.choice(s.matrix.documents)
        s.add_document(replace(source, id=0, uuid=new_uuid(), title=f"Copy {rng.randrange(10**6)}"))


def undo(s, rng) -> None:  # type: ignore[no-untyped-def]
    for _ in range(rng.randint(1, 3)):
        s.undo_stack.undo()


def redo(s, rng) -> None:  # type: ignore[no-untyped-def]
    s.undo_stack.redo()


def _ratings():  # type: ignore[no-untyped-def]
    from hyp_board.core.model import Rating

    return list(Rating)


ACTIONS = [
    rate_cell,
    rate_range,
    rate_range,
    edit_evidence,
    add_evidence,
    quote_a_passage,
    delete_rows,
    delete_rows,
    move_evidence,
    add_hypothesis,
    delete_hypothesis,
    grade_source,
    switch_text,
    delete_document,
    add_document,
    undo,
    undo,
    undo,
    redo,
]


# -- the parent ----------------------------------------------------------------------------
@dataclass
class CrashReport:
    kills: int = 0
    in_flight: int = 0  # killed between BEGIN and ACK of an action
    after_prepare: int = 0  # … of which after it reached its commit
    committed_in_flight: int = 0  # … and whose commit made it to the database
    actions: int = 0  # acknowledged actions, all runs together
    failures: list[str] = field(default_factory=list)


def prepare(db: Path) -> None:
    """A database holding the sample case (documents, linked evidence, grades)."""
    from hyp_board.startup import open_store

    open_store(db).close()


def kill_and_check(db: Path, work: Path, kills: int, seed: int = 1, max_delay: float = 0.6) -> CrashReport:
    report = CrashReport()
    rng = random.Random(seed)
    with Launcher() as launcher:
        for run in range(kills):
            log = work / f"run-{run}.log"
            pid = launcher.start(db, log, seed * 100_003 + run)
            if not _ready(log, launcher):
                report.failures.append(f"run {run}: the child never got its project open; see {log}")
                break
            time.sleep(rng.uniform(0, max_delay))
            os.kill(pid, signal.SIGKILL)
            status = launcher.ended()
            if status != -signal.SIGKILL:
                report.failures.append(f"run {run}: the child ended by itself (status {status}); see {log}")
                break
            report.kills += 1
            problem = check(db, log, report)
            if problem:
                report.failures.append(f"run {run}: {problem}")
                break
    return report


class Launcher:
    """A process that has imported the application once and forks a fresh child for
    each run: every child is a whole process, killed for real, without paying for
    Python, Qt and SQLAlchemy to start each time."""

    def __enter__(self) -> Launcher:
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")]))
        self._process = subprocess.Popen(
            [sys.executable, "-c", "import crash_harness; crash_harness.launcher_main()"],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.child = 0
        return self

    def _ask(self, line: str | None = None) -> str:
        assert self._process.stdin is not None and self._process.stdout is not None
        if line is not None:
            self._process.stdin.write(line + "\n")
            self._process.stdin.flush()
        answer = self._process.stdout.readline()
        if not answer:
            raise RuntimeError("the launcher stopped")
        return answer.strip()

    def start(self, db: Path, log: Path, seed: int) -> int:
        self.child = int(self._ask(f"{db}\t{log}\t{seed}"))
        return self.child

    def alive(self) -> bool:
        try:
            os.kill(self.child, 0)
        except ProcessLookupError:
            return False
        return True

    def ended(self) -> int:
        return int(self._ask())

    def __exit__(self, *_exc: object) -> None:
        assert self._process.stdin is not None and self._process.stdout is not None
        self._process.stdin.close()
        self._process.wait(30)
        self._process.stdout.close()


def launcher_main() -> None:
    # Everything the child needs, imported once, before any thread or Qt application
    # exists (so forking is safe).
    import PySide6.QtWidgets  # noqa: F401

    import hyp_board.storage
    import hyp_board.ui.project_session  # noqa: F401

    for request in sys.stdin:
        db, log, seed = request.rstrip("\n").split("\t")
        pid = os.fork()
        if pid == 0:
            try:
                child_main(Path(db), Path(log), int(seed))
            finally:
                os._exit(3)
        print(pid, flush=True)
        _, status = os.waitpid(pid, 0)
        print(-os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status), flush=True)


def _ready(log: Path, launcher: Launcher) -> bool:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if log.exists() and log.read_bytes().startswith(b"READY"):
            return True
        if not launcher.alive():
            return False
        time.sleep(0.005)
    return False


def check(db: Path, log: Path, report: CrashReport) -> str | None:
    """What is wrong with the database after a kill, or None."""
    lines = log.read_bytes().decode().split("\n")[:-1]  # a line cut short by the kill is not written
    # An action may be several transactions (undo three times), one after another:
    # a transaction that another followed had committed; the last one may or may not.
    committed = lines[0].split()[1]
    pending: str | None = None
    in_flight: str | None = None
    for line in lines[1:]:
        kind, _step, value = line.split(" ", 2)
        if kind == "BEGIN":
            in_flight = value
        elif kind == "PREPARED":
            if pending is not None:
                committed = pending
            pending = value
        elif kind == "ACK":
            committed, pending, in_flight = value, None, None
            report.actions += 1
    if in_flight is not None:
        report.in_flight += 1
        report.after_prepare += pending is not None

    with sqlite3.connect(db) as conn:
        integrity = conn.execute("PRAGMA integrity_check").fetchall()
        if integrity != [("ok",)]:
            return f"integrity check: {integrity[:5]}"
        orphans = conn.execute("PRAGMA foreign_key_check").fetchall()
        if orphans:
            return f"foreign keys: {orphans[:5]}"
        for table in ("evidence", "hypothesis", "document"):
            for project, positions in conn.execute(
                f"SELECT project_id, group_concat(position) FROM (SELECT project_id, position FROM {table} "
                "ORDER BY project_id, position) GROUP BY project_id"
            ):
                found = [int(p) for p in positions.split(",")]
                if table != "document" and found != list(range(len(found))):
                    return f"{table} positions of project {project} are not contiguous: {found}"
                if len(set(found)) != len(found):
                    return f"{table} positions of project {project} repeat: {found}"

    from hyp_board.core.matrix import Matrix
    from hyp_board.storage import Store

    store = Store.open(db)
    try:
        stored = digest(Matrix(store.load_project(store.list_projects()[0].id)))
    finally:
        store.close()
    if stored not in {committed, pending}:
        what = f"while {in_flight!r} was in flight" if in_flight else "with no action in flight"
        return f"the database holds neither the acknowledged state nor a whole transaction ({what})"
    if pending is not None and stored == pending != committed:
        report.committed_in_flight += 1
    return None


def summary(report: CrashReport, seconds: float) -> str:
    return (
        f"{report.kills} kills in {seconds:.0f} s; {report.actions} acknowledged actions; "
        f"{report.in_flight} kills inside an action ({report.after_prepare} after a transaction of it "
        f"reached its commit, {report.committed_in_flight} of those committed); "
        f"failures: {len(report.failures)}"
    )
