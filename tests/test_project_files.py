"""Shared project files (.hypboard): round trips, and untrusted input refused cleanly with
the database exactly as it was."""

from __future__ import annotations

import copy
import json
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hyp_board.core.matrix import Matrix
from hyp_board.core.model import RatingMode
from hyp_board.project_files.hypboard import parse_project, read_project_file, to_document, write_project_file
from hyp_board.project_files.import_result import ProjectFileError
from hyp_board.sample_case import load_sample
from hyp_board.sharing import export_project_file, import_project_file
from hyp_board.startup import open_store
from hyp_board.storage import Store

from project_factory import generated_data, project_fields


def dump(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return list(conn.iterdump())


@pytest.fixture
def sample_file(store: Store, tmp_path: Path) -> Path:
    pid = store.insert_project(load_sample())
    out = tmp_path / "sample.hypboard"
    export_project_file(store, pid, out)
    return out


def generated_with_odd_text():  # type: ignore[no-untyped-def]
    data = generated_data(40, 6, reasons=0.5)
    data.project.notes = "Notes with **Markdown**, “quotes”, 中文 and\nnew lines."
    data.evidence[3].quote = 'A quote with "double quotes" and a\ttab'
    return data


# The sample brings documents, passages and grades; the generated project odd text.
@pytest.mark.parametrize("make", [generated_with_odd_text, load_sample], ids=["generated", "sample"])
def test_round_trip_gives_an_identical_project(store: Store, tmp_path: Path, make):  # type: ignore[no-untyped-def]
    pid = store.insert_project(make())
    original = Matrix(store.load_project(pid))
    out = tmp_path / "p.hypboard"
    export_project_file(store, pid, out)

    other = Store.open(tmp_path / "colleague.sqlite")
    new_id, notes = import_project_file(other, out)
    assert notes == []
    assert project_fields(Matrix(other.load_project(new_id))) == project_fields(original)
    other.close()


def test_a_large_file_reads_back_as_the_project_written(tmp_path: Path):
    # 2,000 items × 40 hypotheses, as a file is read (its cells in bulk, its texts
    # checked and kept as they are): every field and every cell as written, the cells
    # with a reason or a record of when and where they were given among them.
    data = generated_data(2000, 40)
    for i, e in enumerate(data.evidence):
        e.notes = f"Checked against **source {i % 7}**.\nSecond line." if i % 3 == 0 else ""
    when = datetime(2026, 11, 29, 6, 30, tzinfo=UTC)
    for n, key in enumerate(list(data.cells)[::97]):
        data.cells[key] = data.cells[key]._replace(rated_at=when, rated_in=list(RatingMode)[n % 3])
    path = tmp_path / "large.hypboard"
    write_project_file(Matrix(copy.deepcopy(data)), path)

    result = read_project_file(path)
    assert result.notes == []
    assert project_fields(Matrix(result.data)) == project_fields(Matrix(data))
    assert result.data.cells == data.cells
    assert {c.rated_in for c in result.data.cells.values()} == {None, *RatingMode}
    assert any(c.reason for c in result.data.cells.values())


def test_importing_a_project_you_already_have_keeps_both(store: Store, sample_file: Path):
    new_id, notes = import_project_file(store, sample_file)
    projects = store.list_projects()
    assert len(projects) == 2 and "(imported" in next(p.title for p in projects if p.id == new_id)
    assert notes and "already have this project" in notes[0]
    # Same identity, so the two copies can be matched item by item later.
    assert len(store.projects_with_uuid(Matrix(store.load_project(new_id)).project.uuid)) == 2


def test_written_atomically(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    pid = store.insert_project(load_sample())
    out = tmp_path / "existing.hypboard"
    out.write_text("the colleague's previous version")
    import hyp_board.project_files.hypboard as hypboard

    def crash(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError("disk full")

    monkeypatch.setattr(hypboard.json, "dump", crash)
    with pytest.raises(OSError):
        export_project_file(store, pid, out)
    assert out.read_text() == "the colleague's previous version"
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".tmp"] == []


def valid_document() -> dict:
    data = load_sample()
    return to_document(Matrix(data))


def broken(case: str) -> bytes:
    doc = valid_document()
    text = json.dumps(doc, ensure_ascii=False)
    if case == "empty":
        return b""
    if case == "truncated":
        return text.encode()[: len(text) // 2]
    if case == "invalid json":
        return text.replace('"ratings":', '"ratings"').encode()
    if case == "utf-16":
        return text.encode("utf-16")
    if case == "latin-1":  # as a text editor set to Latin-1 would save it
        doc["project"]["title"] += " — café, naïve"
        return json.dumps(doc, ensure_ascii=False).encode("latin-1", errors="replace")
    if case == "binary":
        return bytes(range(256)) * 40
    if case == "not an object":
        return b"[1, 2, 3]"
    if case == "another format":
        return json.dumps({"format": "something-else", "version": "1.0"}).encode()
    if case == "newer version":
        doc["version"] = "2.0"
    elif case == "wrong type":
        doc["evidence"][2]["credibility"] = 5
    elif case == "unknown rating":
        doc["ratings"][4]["rating"] = "X"
    elif case == "huge string":
        doc["project"]["title"] = "A" * 2_000_000
    elif case == "deep nesting":
        return (
            b'{"format": "hypothesis-board", "version": "1.0", "project": '
            + b"[" * 100_000
            + b"]" * 100_000
            + b"}"
        )
    elif case == "dangling reference":
        doc["ratings"][0]["hypothesis"] = "00000000-0000-4000-8000-000000000000"
    elif case == "duplicate uuid":
        doc["evidence"][1]["uuid"] = doc["evidence"][0]["uuid"]
    elif case == "duplicate rating":
        doc["ratings"].append(dict(doc["ratings"][0]))
    elif case == "bad uuid":
        doc["hypotheses"][0]["uuid"] = "not-a-uuid"
    elif case == "bad date":
        doc["evidence"][0]["date"] = "2007-02-30"
    elif case == "blank label":
        doc["hypotheses"][1]["label"] = "   "
    return json.dumps(doc).encode()


BROKEN = {
    "empty": "empty",
    "truncated": "ends too early",
    "invalid json": "not valid JSON",
    "utf-16": "not UTF-8",
    "latin-1": "not UTF-8",
    "binary": "not UTF-8",
    "not an object": "not a Hypothesis Board project file",
    "another format": "not a Hypothesis Board project file",
    "newer version": "newer Hypothesis Board",
    "wrong type": "evidence[2].credibility",
    "unknown rating": "ratings[4].rating",
    "huge string": "project.title",
    "deep nesting": "nested too deeply",
    "dangling reference": "ratings[0].hypothesis",
    "duplicate uuid": "evidence[1]",
    "duplicate rating": "second rating",
    "bad uuid": "hypotheses[0].uuid",
    "bad date": "evidence[0].date",
    "blank label": "hypotheses[1].label",
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_broken_files_are_refused_with_the_database_unchanged(
    case: str, store: Store, db_path: Path, tmp_path: Path
):
    store.insert_project(load_sample())
    before = dump(db_path)
    path = tmp_path / f"{case}.hypboard"
    path.write_bytes(broken(case))
    with pytest.raises(ProjectFileError) as info:
        import_project_file(store, path)
    message = str(info.value)
    assert BROKEN[case] in message, message
    assert message.startswith(path.name) and len(message) < 400
    assert dump(db_path) == before


def test_a_newer_minor_version_imports_and_says_what_it_left_out(tmp_path: Path):
    doc = valid_document()
    doc["version"] = "1.99"
    doc["timeline"] = [{"title": "a future feature"}]
    result = parse_project(json.dumps(doc).encode())
    assert len(result.data.evidence) == len(doc["evidence"])
    assert "not imported: timeline" in result.notes[0]


def test_oversized_files_are_refused_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import hyp_board.project_files.hypboard as hypboard

    monkeypatch.setattr(hypboard, "MAX_FILE_BYTES", 1000)
    path = tmp_path / "big.hypboard"
    path.write_bytes(b" " * 2000)
    with pytest.raises(ProjectFileError, match="larger than a project file can be"):
        read_project_file(path)


VALID = json.dumps(valid_document()).encode()


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    mutation=st.one_of(
        st.tuples(st.just("flip"), st.integers(0, len(VALID) - 1), st.integers(0, 255)),
        st.tuples(st.just("cut"), st.integers(0, len(VALID) - 1), st.just(0)),
        st.tuples(st.just("insert"), st.integers(0, len(VALID) - 1), st.integers(0, 255)),
        st.tuples(
            st.just("value"),
            st.sampled_from(["project", "hypotheses", "evidence", "ratings"]),
            st.recursive(
                st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
                lambda inner: (
                    st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
                ),
                max_leaves=8,
            ),
        ),
    )
)
def test_mutated_files_either_import_correctly_or_change_nothing(mutation, store_for_fuzz):
    store, db_path, tmp = store_for_fuzz
    kind, where, what = mutation
    if kind == "flip":
        raw = VALID[:where] + bytes([what]) + VALID[where + 1 :]
    elif kind == "cut":
        raw = VALID[:where]
    elif kind == "insert":
        raw = VALID[:where] + bytes([what]) + VALID[where:]
    else:
        doc = json.loads(VALID)
        target = doc[where]
        if isinstance(target, list) and target:
            target[0] = what
        else:
            doc[where] = what
        raw = json.dumps(doc).encode()
    path = tmp / "mutated.hypboard"
    path.write_bytes(raw)
    before = dump(db_path)
    try:
        pid, _ = import_project_file(store, path)
    except ProjectFileError:
        assert dump(db_path) == before
        return
    imported = Matrix(store.load_project(pid))
    doc = json.loads(raw.decode("utf-8-sig"))
    assert [h.uuid for h in imported.hypotheses] == [h["uuid"] for h in doc["hypotheses"]]
    assert [e.uuid for e in imported.evidence] == [e["uuid"] for e in doc["evidence"]]
    assert len(imported.cells) == len(doc["ratings"])
    store.delete_project(pid)


@pytest.fixture(scope="module")
def store_for_fuzz(tmp_path_factory):  # type: ignore[no-untyped-def]
    tmp = tmp_path_factory.mktemp("fuzz")
    store = Store.open(tmp / "fuzz.sqlite")
    store.insert_project(load_sample())
    yield store, tmp / "fuzz.sqlite", tmp
    store.close()


def test_cli_export_and_import(db_path: Path, tmp_path: Path):
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "hyp_board", *args, "--db", str(db_path)],
            capture_output=True,
            text=True,
            timeout=60,
        )

    open_store(db_path).close()  # a first start: the database with the sample case
    out = tmp_path / "shared.hypboard"
    assert run("export", "sample", "--hypboard", str(out)).returncode == 0
    bad = tmp_path / "bad.hypboard"
    bad.write_text("{")
    result = run("import", str(out), str(bad))
    assert result.returncode == 1
    assert "imported" in result.stdout and "already have this project" in result.stdout
    assert "refused bad.hypboard: not valid JSON" in result.stderr
    assert len(run("list").stdout.splitlines()) == 2


def test_hyp_board_file_opens_the_window_with_the_file(monkeypatch: pytest.MonkeyPatch, sample_file: Path):
    import hyp_board.ui.single_instance as single_instance
    from hyp_board import cli

    seen = {}
    monkeypatch.setattr(
        single_instance, "open_window", lambda db, files: seen.update(db=db, files=files) or 0
    )
    assert cli.main([str(sample_file)]) == 0
    assert seen["files"] == [sample_file]
    other = sample_file.with_name("other.achz")
    other.write_bytes(b"any content: the window reports problems")
    db = sample_file.with_name("chosen.sqlite")
    assert cli.main(["--db", str(db), str(sample_file), str(other)]) == 0  # several at once, as %F gives them
    assert seen["files"] == [sample_file, other] and seen["db"] == db
    import gc

    assert gc.isenabled()  # (paused only while the window starts)


def test_open_and_drop_project_files_in_the_window(window, monkeypatch, sample_file: Path, tmp_path: Path):
    from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
    from PySide6.QtGui import QDropEvent
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QFileDialog

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(sample_file)], ""))
    # The file is a version of a project this database has: keep it as a separate copy.
    window.messages.answers = ["copy", "copy"]
    before = len(window.store.list_projects())  # the file's fixture added one behind the window
    window.actions_.open_file.trigger()
    assert "(imported" in window.session.matrix.project.title
    assert window.projects.combo.count() == len(window.store.list_projects()) == before + 1

    bad = tmp_path / "broken.hypboard"
    bad.write_text('{"format": "hypothesis-board", "version": "9.0"}')
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(sample_file)), QUrl.fromLocalFile(str(bad))])
    assert window.acceptDrops()
    drop = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(drop)
    QTest.qWait(50)  # the drop is handled once the drag has finished
    assert window.projects.combo.count() == len(window.store.list_projects()) == before + 2
    shown = window.messages.texts_of("warning")
    assert any("newer Hypothesis Board" in text and "unchanged" in text for text in shown)
    assert window.messages.questions[0].startswith(
        "sample.hypboard is a version of your project “Sample case"
    )


def test_notes_from_a_shared_file_render_inert(window, tmp_path: Path, monkeypatch):
    doc = valid_document()
    doc["project"]["notes"] = (
        'Read <script>alert(1)</script> [this](javascript:alert(1)) <img src="file:///x">'
    )
    doc["project"]["uuid"] = "33333333-3333-4333-8333-333333333333"
    path = tmp_path / "hostile.hypboard"
    path.write_text(json.dumps(doc), encoding="utf-8")
    window.import_files([path])
    panel = window.project_panel
    panel.notes.setCurrentWidget(panel.notes.preview)
    html = panel.notes.preview.toHtml().lower()
    # HTML in notes is left out (its text, if any, stays as text); links only to the web.
    assert "read" in html and "<script" not in html and "href" not in html and "<img" not in html
    assert "javascript" not in html and "file:" not in html
