"""The core, storage and formats packages stay free of Qt widgets; the core of anything but
the standard library."""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import hyp_board

PACKAGE = Path(hyp_board.__file__).parent
# The PDF writer is the one part outside the UI that may use Qt: QtGui, never widgets.
PDF_WRITER = (
    "hyp_board.reports.pdf",
    "hyp_board.reports.pdf_layout",
    "hyp_board.reports.pdf_matrix",
    "hyp_board.reports.pdf_analysis",
    "hyp_board.reports.pdf_method",
    "hyp_board.reports.charts",
    "hyp_board.reports.charts_timeline",
    "hyp_board.reports.charts_history",
)
HEADLESS = (
    "hyp_board.core",
    "hyp_board.storage",
    "hyp_board.reports",
    "hyp_board.ingest",
    "hyp_board.project_files",
    "hyp_board.cli",
    "hyp_board.startup",
    "hyp_board.sharing",
    "hyp_board.snapshots",
    "hyp_board.sample_case",
    "hyp_board.markdown_notes",
    "hyp_board.atomic",
    "hyp_board.safe_read",
)


def modules_under(prefix: str) -> list[str]:
    package = PACKAGE / prefix.split(".", 1)[1].replace(".", "/") if "." in prefix else PACKAGE
    if package.is_dir():
        return [prefix] + [f"{prefix}.{m.name}" for m in pkgutil.iter_modules([str(package)])]
    return [prefix]


def test_headless_packages_import_no_qt_widgets():
    """Core, storage, formats and the CLI load no Qt at all, except the PDF writer,
    which may use QtGui (fonts, painting) but never widgets."""
    names = [m for p in HEADLESS for m in modules_under(p) if m not in PDF_WRITER]
    code = (
        "import importlib, sys\n"
        f"for name in {names!r}: importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.startswith('PySide6')))\n"
        f"for name in {PDF_WRITER!r}: importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.startswith('PySide6.Qt')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    without_pdf, with_pdf = result.stdout.strip().splitlines()
    assert without_pdf == "[]"
    assert "QtWidgets" not in with_pdf and "QtGui" in with_pdf


def test_core_uses_only_the_standard_library():
    allowed = set(sys.stdlib_module_names) | {"hyp_board"}
    for path in (PACKAGE / "core").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                roots = [a.name.split(".")[0] for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                roots = [node.module.split(".")[0]]
            else:
                continue
            for root in roots:
                assert root in allowed or root == "__future__", f"{path.name} imports {root}"
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("hyp_board"):
                assert node.module == "hyp_board" or node.module.startswith("hyp_board.core"), (
                    f"{path.name} imports {node.module}"
                )


def test_ui_is_the_only_package_importing_qt_widgets():
    # (text search: a QtWidgets import anywhere outside hyp_board/ui is a layering bug)
    for path in PACKAGE.rglob("*.py"):
        if "ui" in path.relative_to(PACKAGE).parts:
            continue
        assert "QtWidgets" not in path.read_text(encoding="utf-8"), path


def loaded_in_a_fresh_process(code: str) -> str:
    """What *code* prints, run in a process of its own (nothing imported beforehand)."""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_window_and_commands_start_without_what_no_start_needs():
    """The document libraries (charset-normalizer, ftfy, jusText, lxml: ~0.2 s), JSON
    Schema, the XML parser, the report writers and Qt's printing module load when a
    document is imported, a file opened or a report written, not at start."""
    code = (
        "import sys\n"
        "import hyp_board.cli, hyp_board.ui.main_window\n"
        "heavy = ('charset_normalizer', 'ftfy', 'justext', 'lxml', 'jsonschema', 'defusedxml')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy\n"
        "    or m.startswith(('hyp_board.reports', 'PySide6.QtPrintSupport'))))"
    )
    assert loaded_in_a_fresh_process(code) == "[]"


def test_the_window_starts_without_its_dialogs_and_file_readers():
    """What the first paint of the window does not show loads when first used: the
    dialogs (comparison, snapshots, rate-across, milestones, deception check, about),
    snapshots themselves, the project-file and document readers, and the date parser of
    the standard library (a project's dates are checked without it as it loads)."""
    code = (
        "import sys\n"
        "import hyp_board.cli, hyp_board.ui.app, hyp_board.ui.main_window\n"
        "from hyp_board.core.model import normalise_date\n"
        "assert normalise_date('2007-02-28') == '2007-02-28'\n"
        "later = ('hyp_board.sharing', 'hyp_board.snapshots', 'hyp_board.ingest.importer',\n"
        "    'hyp_board.project_files.hypboard',\n"
        "    'hyp_board.ui.compare_view', 'hyp_board.ui.snapshots_dialog', 'hyp_board.ui.rate_across',\n"
        "    'hyp_board.ui.milestones_dialog', 'hyp_board.ui.deception_dialog', 'hyp_board.ui.about',\n"
        "    'hyp_board.ui.analysis_panel', 'hyp_board.core.analysis', '_strptime')\n"
        "print(sorted(m for m in later if m in sys.modules))"
    )
    assert loaded_in_a_fresh_process(code) == "[]"


def test_the_commands_start_without_the_orm():
    """The commands that only read use sqlite3 alone (storage/quick_read.py) and load
    SQLAlchemy, SQLModel and pydantic only when a database must be opened the usual
    way; nor is the version looked up in the package metadata at start."""
    code = (
        "import sys\n"
        "import hyp_board.cli, hyp_board.storage.quick_read, hyp_board.storage.quick_rows\n"
        "heavy = ('sqlalchemy', 'sqlmodel', 'pydantic', 'appdirs')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy or m == 'importlib.metadata'))"
    )
    assert loaded_in_a_fresh_process(code) == "[]"


def test_the_window_loads_without_the_orm():
    """The window is painted from sqlite3 reads; SQLAlchemy, SQLModel and pydantic wait for
    the first paint (storage/deferred_store.py), so no window module may load them."""
    code = (
        "import sys\n"
        "import hyp_board.cli, hyp_board.ui.app, hyp_board.ui.main_window\n"
        "heavy = ('sqlalchemy', 'sqlmodel', 'pydantic')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))"
    )
    assert loaded_in_a_fresh_process(code) == "[]"


def test_the_version_is_written_once_in_the_package():
    """The build reads ``__version__`` (pyproject.toml: dynamic), so the installed
    package's metadata and the running application agree."""
    from importlib.metadata import version

    assert version("hyp-board") == hyp_board.__version__


def test_installs_compile_bytecode_once():
    """Where Python may not write its cache (PYTHONDONTWRITEBYTECODE, as on CI machines)
    every start would compile SQLAlchemy, pydantic and SQLModel again: CI installs with
    `--compile-bytecode`, and the project does not ask uv to (then every `uv run` would
    compile again)."""
    root = PACKAGE.parent
    assert "uv sync --locked --quiet --compile-bytecode" in (root / ".ci" / "run").read_text(encoding="utf-8")
    assert "compile-bytecode" not in (root / "pyproject.toml").read_text(encoding="utf-8")


def test_qt_lives_in_the_ui_and_the_report_writers_only():
    """QtWidgets only in ui/; QtGui (fonts and painting for the PDF) also in reports/;
    no other package imports Qt at all."""
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).parts
        text = path.read_text(encoding="utf-8")
        if parts[0] == "ui":
            continue
        assert "QtWidgets" not in text, path
        if parts[0] != "reports":
            assert "PySide6" not in text, path


def test_the_main_window_is_composed_not_grown():
    """The window composes controllers; no module of the UI is too long to read in one
    sitting, and none is a mixin of the window."""
    for path in (PACKAGE / "ui").glob("*.py"):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        assert lines <= 480, f"{path.name} has {lines} lines"
    from hyp_board.ui.main_window import MainWindow

    assert [c.__name__ for c in MainWindow.__mro__[1:3]] == ["QMainWindow", "QWidget"]


def test_only_the_message_service_shows_message_boxes():
    for path in PACKAGE.rglob("*.py"):
        if path.name == "messages.py":
            continue
        text = path.read_text(encoding="utf-8")
        assert "QMessageBox." not in text.replace("QMessageBox.Icon", ""), path


def test_only_storage_sees_sql():
    """Storage raises its own errors and hands out dataclasses: no other package imports
    SQLAlchemy or SQLModel, catches their errors or reaches for an engine or session."""
    for path in PACKAGE.rglob("*.py"):
        if path.relative_to(PACKAGE).parts[0] == "storage":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                roots = [a.name.split(".")[0] for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                roots = [node.module.split(".")[0]]
            elif isinstance(node, ast.Attribute) and node.attr in ("engine", "_engine"):
                raise AssertionError(f"{path.name} reaches for the database engine")
            else:
                continue
            assert not {"sqlalchemy", "sqlmodel", "sqlite3"} & set(roots), f"{path.name} imports {roots}"
