"""The ``hyp-board`` command.

With no command it opens the window; the other commands work headless over the same
core and storage. Only the window imports Qt, and only when it is asked for, so
``hyp-board list`` starts fast and runs where there is no display.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import itertools
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

from hyp_board import APP_NAME, __version__
from hyp_board.export_formats import EXPORT_FORMATS, ExportError, ExportOptions
from hyp_board.paths import default_database

if TYPE_CHECKING:
    from hyp_board.core.matrix import Matrix
    from hyp_board.core.model import ProjectData

T = TypeVar("T")


class CommandError(Exception):
    """A failure to report on stderr, with the exit status to use."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.status = status


# What the window's start uses that needs no Qt, loaded before Qt (see _run).
_WINDOW_MODULES_WITHOUT_QT = (
    "hyp_board.logs",
    "hyp_board.startup",
    "hyp_board.markdown_notes",
    "hyp_board.core.editor",
    "hyp_board.core.matrix",
    "hyp_board.core.what_if",
    "hyp_board.core.revert",
    "hyp_board.core.checklist",
    "hyp_board.core.colours",
    "hyp_board.core.conclusion_history",
    "hyp_board.core.journal_text",
    "hyp_board.storage.backups",
    "hyp_board.storage.deferred_store",
    "hyp_board.storage.quick_rows",
)


def build_parser() -> argparse.ArgumentParser:
    db_option = argparse.ArgumentParser(add_help=False)
    db_option.add_argument(
        "--db",
        type=Path,
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="database file (default: $HYP_BOARD_DB, else the per-user data folder)",
    )
    parser = argparse.ArgumentParser(
        prog="hyp-board",
        parents=[db_option],
        description=f"{APP_NAME}: Analysis of Competing Hypotheses. Without a command, opens the window.",
        epilog="hyp-board FILE… opens the window with project files (.hypboard, PARC ACH .achz, CSV "
        "matrix). Commands use an existing database; the window creates one on its first start.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    commands.add_parser("list", parents=[db_option], help="list projects: id, then title")

    score = commands.add_parser(
        "score", parents=[db_option], help="show a project's hypotheses ranked by inconsistency"
    )
    score.add_argument("project", metavar="PROJECT", help="project id or unambiguous title")
    score.add_argument("--json", action="store_true", help="print JSON instead of a table")

    analyse = commands.add_parser(
        "analyse",
        aliases=["analyze"],
        parents=[db_option],
        help="how sensitive the conclusion is: linchpins, fewest changes, sources, likelihoods",
    )
    analyse.add_argument("project", metavar="PROJECT", help="project id or unambiguous title")
    analyse.add_argument("--json", action="store_true", help="print JSON instead of sentences")

    export = commands.add_parser(
        "export",
        parents=[db_option],
        help="write a project as " + ", ".join(f.suffix for f in EXPORT_FORMATS.values()),
    )
    export.add_argument("project", metavar="PROJECT", help="project id or unambiguous title")
    for fmt in EXPORT_FORMATS.values():
        export.add_argument(f"--{fmt.key}", type=Path, metavar=f"OUT{fmt.suffix}", help=fmt.what)
    export.add_argument("--paper", choices=["a4", "letter"], default="a4", help="PDF paper size (default a4)")
    export.add_argument("--portrait", action="store_true", help="PDF in portrait (default landscape)")
    export.add_argument(
        "--matrix-only", action="store_true", help="PDF with the matrix and scores only, no per-item sections"
    )
    export.add_argument(
        "--with-history",
        action="store_true",
        help="with the history: a .hypboard file holds the recorded changes and snapshots too; "
        "a PDF or Markdown report shows how the conclusion moved",
    )
    import_ = commands.add_parser(
        "import", parents=[db_option], help="add projects from files: .hypboard, PARC ACH .achz, CSV matrix"
    )
    import_.add_argument("files", nargs="+", type=Path, metavar="FILE", help=".hypboard, .achz or .csv files")
    import_.add_argument(
        "--create-db",
        action="store_true",
        help="create the database if there is none (empty, without the sample)",
    )

    add_docs = commands.add_parser(
        "add-documents",
        parents=[db_option],
        help="import documents into a project: PDF, Word, e-mail, web pages, text, Markdown",
    )
    add_docs.add_argument("project", metavar="PROJECT", help="project id or unambiguous title")
    add_docs.add_argument(
        "files",
        nargs="+",
        type=Path,
        metavar="FILE",
        help=".pdf, .docx, .odt, .eml, .html, .mhtml, .txt or .md files",
    )

    documents = commands.add_parser(
        "documents", parents=[db_option], help="list a project's documents, or print one's text"
    )
    documents.add_argument("project", metavar="PROJECT", help="project id or unambiguous title")
    documents.add_argument(
        "--text", metavar="DOC", help="print the text of this document (id or unambiguous title)"
    )

    history = commands.add_parser(
        "history", parents=[db_option], help="every change made to a project, newest first"
    )
    history.add_argument("project", metavar="PROJECT", help="project id or unambiguous title")
    history.add_argument("--json", action="store_true", help="print JSON instead of lines")
    history.add_argument(
        "--since",
        metavar="DATE",
        help="only changes from then on: YYYY-MM-DD or YYYY-MM-DDTHH:MM (local time)",
    )
    history.add_argument("--item", metavar="REF", help="only the changes to one item: E12, H2, D3")
    history.add_argument("--limit", type=int, metavar="N", help="only the newest N changes")
    snapshot = commands.add_parser(
        "snapshot", parents=[db_option], help="take a named snapshot of a project as it is now"
    )
    snapshot.add_argument("project", metavar="PROJECT", help="project id or unambiguous title")
    snapshot.add_argument("--name", help="the snapshot's name (default: its date and time)")

    snapshots = commands.add_parser(
        "snapshots", parents=[db_option], help="list a project's snapshots, newest first"
    )
    snapshots.add_argument("project", metavar="PROJECT", help="project id or unambiguous title")
    snapshots.add_argument("--json", action="store_true", help="print JSON instead of a table")
    return parser


# The commands that only read (a database the usual way may be upgraded, but is closed
# before they print): once they return, nothing is left to finalise. The program ends
# them without tearing the interpreter down, which for a loaded 2,000 × 40 project (its
# ~100,000 objects freed one by one) takes longer than scoring it, and runs them without
# the cycle collector: they keep what they build until they end, so it would only walk
# it again and again (6-14% of `export --pdf`).
ENDED_AT_ONCE = frozenset({"list", "score", "analyse", "analyze", "export", "documents"})


def run() -> NoReturn:
    """The ``hyp-board`` program: :func:`main`, then the exit."""
    gc.disable()  # given back at once to the window and the commands that store
    status, command = _run(sys.argv[1:], program=True)
    if command in ENDED_AT_ONCE:
        _end_now(status)
    sys.exit(status)


def _end_now(status: int) -> NoReturn:
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # the reader has gone (a closed pipe): nothing more can be told
        pass
    os._exit(status)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line *argv* (default: the program's) and return its exit status."""
    return _run(list(sys.argv[1:] if argv is None else argv))[0]


def _run(argv: list[str], program: bool = False) -> tuple[int, str | None]:
    """The exit status, and the command that ran (None: the window, or no command)."""
    files = _files_to_open(argv)
    if files:  # `hyp-board FILE…`, as a desktop opens files: the window, opening them
        argv = [a for a in argv if Path(a) not in files]
    elif missing := _missing_file(argv):
        print(f"hyp-board: {missing}: no such file", file=sys.stderr)
        return 2, None
    args = build_parser().parse_args(argv)
    if program and args.command is not None and args.command not in ENDED_AT_ONCE:
        gc.enable()
    db_path: Path = getattr(args, "db", None) or default_database()
    if args.command is None:
        # Qt only when the window is wanted; the window already open on this database,
        # if there is one, takes the files instead. What the window reads its first paint
        # with (the file checks, the quick reader, the core) is loaded before Qt: Qt for
        # Python wraps Python's import for its own lazy loading, and every module loaded
        # after it loads slower. The store itself waits for the first paint (see
        # storage/deferred_store.py). The cycle collector waits for the window's first
        # paint: until then it would only walk, again and again, the modules and classes
        # being loaded, which live as long as the program (~60 ms of the start).
        gc.disable()
        try:
            for module in _WINDOW_MODULES_WITHOUT_QT:
                importlib.import_module(module)
            from hyp_board.ui.single_instance import open_window

            return open_window(db_path, files), None
        finally:
            gc.enable()  # (however the window ended, or if it never started)
    try:
        return COMMANDS[args.command](args, db_path), args.command
    except CommandError as exc:
        print(f"hyp-board: {exc}", file=sys.stderr)
        return exc.status, args.command
    except BrokenPipeError:  # e.g. piped into head
        return 0, args.command
    except Exception as exc:
        from hyp_board.storage import DatabaseError  # (not loaded by the commands that read)

        if not isinstance(exc, DatabaseError):
            raise
        # Read-only, disk full, locked, damaged: one line, in words.
        print(f"hyp-board: {exc}", file=sys.stderr)
        return 2, args.command


def _files_to_open(argv: list[str]) -> list[Path]:
    """The files in ``hyp-board [--db PATH] FILE…`` (as a desktop opens files); none when
    a command is given."""
    files: list[Path] = []
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--db":
            skip = True  # its value is the database, not a file to open
        elif arg in COMMANDS:
            return []
        elif arg.startswith("-"):
            continue
        elif Path(arg).is_file():
            files.append(Path(arg))
        else:
            return []  # let the parser explain what is wrong
    return files


def _missing_file(argv: list[str]) -> str | None:
    """The first argument that is no command but names a file that is not there
    (``hyp-board /nope/x.hypboard``), so the user hears "no such file", not "invalid choice"."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--db":
            skip = True
        elif arg in COMMANDS:
            return None
        elif not arg.startswith("-"):
            looks_like_a_file = "/" in arg or "\\" in arg or Path(arg).suffix != ""
            return arg if looks_like_a_file and not Path(arg).exists() else None
    return None


def _open(db_path: Path, *, writing: bool = False, create: bool = False):  # type: ignore[no-untyped-def]
    """The database, which must exist unless *create* (then it starts empty).

    Nothing is ever created by a command that only reads, and never where backups
    show a database used to be: restoring one is the window's to offer.
    """
    from hyp_board.storage import Store, is_missing, list_backups

    if is_missing(db_path):
        backups = list_backups(db_path)
        if backups:
            raise CommandError(
                f"there is no database at {db_path}, but it has backups (the newest from "
                f"{backups[0].describe()}); start the window (hyp-board) to restore one",
                status=2,
            )
        if not create:
            raise CommandError(
                f"there is no database at {db_path} (start hyp-board once to create it, "
                "import a project into it with 'hyp-board import', or name another with --db)",
                status=2,
            )
    store = Store.open(db_path)
    if writing and store.read_only is not None:
        store.close()
        raise CommandError(f"the database {db_path} is read-only: {store.read_only}; nothing was changed", 2)
    return store


def _project_id(store, ref: str) -> int:  # type: ignore[no-untyped-def]
    from hyp_board.storage.quick_read import ProjectNotFoundError  # (the store raises it too)

    try:
        return int(store.find_project(ref))
    except ProjectNotFoundError as exc:
        raise CommandError(f"{exc.args[0]} (see 'hyp-board list')") from exc


def _read(db_path: Path, read: Callable[[Any], T], tables: Sequence[str] | None = None) -> T:
    """*read* of a reader of the database: a database in good order is read without
    loading the ORM, which is most of what a command that only reads would wait for;
    any other is opened the usual way, which creates, upgrades, numbers or refuses it.
    *tables*: those *read* reads (default: a whole project's)."""
    from hyp_board.storage import quick_read

    reader = quick_read.open_for_reading(db_path, tables or quick_read.PROJECT_TABLES)
    if reader is not None:
        try:
            return read(reader)
        except quick_read.NeedsStore:
            pass
        finally:
            reader.close()
    store = _open(db_path)
    try:
        return read(store)
    finally:
        store.close()


def _load_for_reading(db_path: Path, ref: str) -> ProjectData:
    """The project *ref* names."""
    data: ProjectData = _read(db_path, lambda reader: reader.load_project(_project_id(reader, ref)))
    return data


def cmd_list(args: argparse.Namespace, db_path: Path) -> int:
    from hyp_board.storage.quick_read import LISTING_TABLES

    for project in _read(db_path, lambda reader: reader.list_projects(), LISTING_TABLES):
        print(f"{project.id}\t{project.title}")
    return 0


def cmd_score(args: argparse.Namespace, db_path: Path) -> int:
    from hyp_board.core.matrix import Matrix

    matrix = Matrix(_load_for_reading(db_path, args.project))
    scores = sorted(matrix.scores(), key=lambda s: (s.rank, matrix.hypothesis_index(s.hypothesis_id)))
    if args.json:
        import json

        print(
            json.dumps(
                [
                    {
                        "number": matrix.hypothesis(s.hypothesis_id).number,
                        "hypothesis": s.label,
                        "inconsistency": s.inconsistency,
                        "weighted_inconsistency": round(s.weighted_inconsistency, 6),
                        "rank": s.rank,
                    }
                    for s in scores
                ],
                indent=2,
                ensure_ascii=False,
            )
        )
        return 0
    print(matrix.project.title)
    if not scores:
        print("(no hypotheses yet)")
        return 0
    width = max(len("Hypothesis"), *(len(s.label) for s in scores))
    refs = {s.hypothesis_id: matrix.hypothesis(s.hypothesis_id).ref for s in scores}
    ref_width = max(len("No."), *(len(r) for r in refs.values()))
    print(
        f"{'Rank':<5} {'No.':<{ref_width}}  {'Hypothesis':<{width}}  {'Inconsistency':>13}  {'Weighted':>8}"
    )
    for s in scores:
        rank = f"{s.rank}=" if s.tied else str(s.rank)
        print(
            f"{rank:<5} {refs[s.hypothesis_id]:<{ref_width}}  {s.label:<{width}}  "
            f"{s.inconsistency:>13}  {s.weighted_inconsistency:>8.2f}"
        )
    if any(s.tied for s in scores):
        print("= tied: equal weighted inconsistency")
    return 0


def cmd_analyse(args: argparse.Namespace, db_path: Path) -> int:
    from hyp_board.core.analysis import analyse
    from hyp_board.core.analysis_input import analysis_input
    from hyp_board.core.analysis_text import likelihood_sentences, sensitivity_findings
    from hyp_board.core.exact import to_float
    from hyp_board.core.likelihood import INDEPENDENCE_CAVEAT
    from hyp_board.core.matrix import Matrix
    from hyp_board.reports.analysis_data import analysis_data, hypothesis_keys

    matrix = Matrix(_load_for_reading(db_path, args.project))
    result = analyse(analysis_input(matrix))
    if args.json:
        import json

        print(json.dumps(analysis_data(result), indent=2, ensure_ascii=False))
        return 0
    print(matrix.project.title)
    if not matrix.hypotheses:
        print("(no hypotheses yet)")
        return 0
    print()
    for line in sensitivity_findings(result):
        print(line)
    print()
    view = result.likelihood
    keys = hypothesis_keys(result)
    width = max(len("Hypothesis"), *(len(k) for k in keys))
    print(f"{'Hypothesis':<{width}}  {'Weighted':>8}  {'Prior':>6}  {'Posterior':>9}")
    for h, key in enumerate(keys):
        weighted = to_float(result.scores[h])
        print(f"{key:<{width}}  {weighted:>8.2f}  {view.priors[h]:>6.3f}  {view.posteriors[h]:>9.3f}")
    mapping = ", ".join(f"{r.value} {p:g}" for r, p in view.settings.likelihood.items())
    genuine = ", ".join(f"{lv.value} {g:g}" for lv, g in view.settings.genuine.items())
    print(f"Likelihoods: {mapping}; NA and unrated carry no information.")
    print(f"Probability an item is genuine, by credibility: {genuine}.")
    for line in likelihood_sentences(result):
        print(line)
    print(INDEPENDENCE_CAVEAT)
    return 0


def cmd_export(args: argparse.Namespace, db_path: Path) -> int:
    from hyp_board.core.matrix import Matrix
    from hyp_board.heap import keep_freed_memory

    outputs = [(fmt, path) for fmt in EXPORT_FORMATS.values() if (path := getattr(args, fmt.key)) is not None]
    if not outputs:
        choices = ", ".join(f"--{f.key} OUT{f.suffix}" for f in EXPORT_FORMATS.values())
        raise CommandError(f"say what to write: {choices} (one or more)", status=2)
    if args.with_history and args.hypboard is None and args.pdf is None and args.markdown is None:
        raise CommandError("--with-history goes with --hypboard, --pdf or --markdown", 2)
    keep_freed_memory()  # the program ends right after (see ENDED_AT_ONCE)
    project_id, data = _read(db_path, lambda reader: _found_project(reader, args.project))
    matrix = Matrix(data)
    history, conclusion = (
        _history_to_share(db_path, project_id, data, matrix) if args.with_history else (None, None)
    )
    options = ExportOptions(
        paper=args.paper,
        landscape=not args.portrait,
        details=not args.matrix_only,
        free_memory=False,  # the program ends right after (see ENDED_AT_ONCE)
        history=history,
        conclusion=conclusion,
    )
    for fmt, path in outputs:
        try:
            note = fmt.write(matrix, path, options)
        except OSError as exc:
            raise CommandError(f"cannot write {path}: {exc.strerror or exc}") from exc
        except ExportError as exc:
            raise CommandError(str(exc)) from exc
        print(f"wrote {path}" + (f" ({note})" if note else ""))
    _snapshot_exported(db_path, project_id, data, [path for _fmt, path in outputs])
    return 0


def _found_project(reader: Any, ref: str) -> tuple[int, ProjectData]:
    project_id = _project_id(reader, ref)
    return project_id, reader.load_project(project_id)


def _history_to_share(db_path: Path, project_id: int, data: ProjectData, matrix: Matrix) -> tuple[Any, Any]:
    """The project file's history member (the journal and snapshots) and how the
    conclusion moved, for a report."""
    from hyp_board.core.conclusion_history import conclusion_history
    from hyp_board.snapshots import history_for_export

    store = _open(db_path)
    try:
        return history_for_export(store, project_id, data), conclusion_history(
            matrix, store.journal(project_id)
        )
    finally:
        store.close()


def _snapshot_exported(db_path: Path, project_id: int, data: ProjectData, paths: list[Path]) -> None:
    """Like the window: what a reader was sent can always be found again. A project
    unchanged since its newest snapshot needs none, which is known without loading the
    ORM (repeated exports of a finished assessment stay quick)."""
    from hyp_board.storage import quick_read

    reader = quick_read.open_for_reading(db_path, ("project", "snapshot"))
    if reader is not None:
        try:
            if reader.snapshot_is_current(project_id):
                return
        finally:
            reader.close()
    from hyp_board.snapshots import take_automatic

    store = _open(db_path)
    try:
        take_automatic(store, project_id, "Exported " + ", ".join(path.name for path in paths), data)
    finally:
        store.close()


def cmd_import(args: argparse.Namespace, db_path: Path) -> int:
    from hyp_board.project_files.import_result import ProjectFileError
    from hyp_board.sharing import import_project_file

    store = _open(db_path, writing=True, create=args.create_db)
    refused = 0
    try:
        for path in args.files:
            try:
                project_id, notes = import_project_file(store, path)
            except ProjectFileError as exc:
                refused += 1
                print(f"refused {exc}", file=sys.stderr)  # the message starts with the file's name
                continue
            title = next(p.title for p in store.list_projects() if p.id == project_id)
            print(f"imported {path} as project {project_id}: {title}")
            for note in notes:
                print(f"  {note}")
    finally:
        store.close()
    return 1 if refused else 0


def cmd_add_documents(args: argparse.Namespace, db_path: Path) -> int:
    from hyp_board.core.journal_entries import document_added, new_group, utc_stamp
    from hyp_board.core.text import clean_document
    from hyp_board.core.wording import counted
    from hyp_board.ingest.importer import DocumentImportError, read_document
    from hyp_board.snapshots import take_automatic

    store = _open(db_path, writing=True)
    refused = 0
    try:
        project_id = _project_id(store, args.project)
        snapshot_taken = False
        for path in args.files:
            try:
                imported = read_document(path)
            except DocumentImportError as exc:
                refused += 1
                print(f"refused {exc}", file=sys.stderr)  # the message starts with the file's name
                continue
            if not snapshot_taken:  # before the first document stored; none if all are refused
                take_automatic(store, project_id, f"Before importing {counted(len(args.files), 'document')}")
                snapshot_taken = True
            # The document and its attachments together, with their journal entries.
            documents = [clean_document(d.document) for d in (imported, *imported.companions)]
            with store.transaction(project_id):
                position = len(store.document_summaries(project_id))
                entries = []
                for document in documents:
                    document.id = store.insert_document(project_id, document)
                    entries.append(document_added(document, position))
                    position += 1
                group, at = new_group(), utc_stamp()
                for entry in entries:
                    entry.group, entry.at, entry.action = group, at, f"hyp-board add-documents {path.name}"
                store.record(project_id, entries)
            print(f"imported {path} as document {documents[0].id}: {imported.describe()}")
            for companion, document in zip(imported.companions, documents[1:], strict=True):
                print(f"  and its attachment as document {document.id}: {companion.describe()}")
    finally:
        store.close()
    return 1 if refused else 0


def cmd_documents(args: argparse.Namespace, db_path: Path) -> int:
    from hyp_board.storage import DocumentNotFoundError

    store = _open(db_path)
    try:
        project_id = _project_id(store, args.project)
        if args.text is not None:
            try:
                document = store.find_document(project_id, args.text)
            except DocumentNotFoundError as exc:
                raise CommandError(f"{exc.args[0]} (see 'hyp-board documents {args.project}')") from exc
            sys.stdout.write(document.text.rstrip("\n") + "\n")
            return 0
        summaries = store.document_summaries(project_id)
    finally:
        store.close()
    if not summaries:
        print("(no documents yet; add some with 'hyp-board add-documents')")
        return 0
    print(f"{'Id':>4}  {'Grade':<5}  {'Items':>5}  {'Chars':>8}  {'Published':<10}  Title")
    for d in summaries:
        print(
            f"{d.id:>4}  {d.reliability or '-':<5}  {d.evidence:>5}  {d.length:>8,}  "
            f"{d.published or '-':<10}  {d.title}"
        )
    return 0


def _since(text: str | None):  # type: ignore[no-untyped-def]
    from datetime import datetime

    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise CommandError(f"--since: {text!r} is not a date (YYYY-MM-DD or YYYY-MM-DDTHH:MM)", 2) from None
    return moment if moment.tzinfo else moment.astimezone()  # a local time, as the user reads clocks


def cmd_history(args: argparse.Namespace, db_path: Path) -> int:
    since = _since(args.since)
    if args.limit is not None and args.limit < 1:
        raise CommandError("--limit: give a number of changes, 1 or more", 2)
    item = args.item.strip().upper() if args.item else None
    store = _open(db_path)
    try:
        project_id = _project_id(store, args.project)
        # Printed as read: a journal of 100,000 entries starts printing at once.
        entries = store.each_journal_entry(project_id, since=since, item=item)
        try:
            count = _print_history(itertools.islice(entries, args.limit), args.json)
        finally:
            entries.close()  # (its reading ends before the database is closed)
        if args.json:
            sys.stdout.write("\n]\n" if count else "[]\n")
        elif not count:
            print("(no changes recorded" + (" since then)" if since else ")"))
    finally:
        store.close()
    return 0


def _print_history(entries, as_json: bool) -> int:  # type: ignore[no-untyped-def]
    from hyp_board.core.journal_text import describe_change

    count = 0
    for entry in entries:
        if as_json:
            text = json.dumps(_entry_json(entry), ensure_ascii=False)
            sys.stdout.write(("[\n  " if count == 0 else ",\n  ") + text)
        else:
            _print_entry(entry, describe_change(entry, width=80))
        count += 1
    return count


def _entry_json(entry) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {
        "id": entry.id,
        "at": entry.at.isoformat().replace("+00:00", "Z") if entry.at else None,
        "kind": entry.kind.value,
        "item": entry.item,
        "hypothesis": entry.hypothesis,
        "label": entry.label,
        "field": entry.field,
        "old": entry.old,
        "new": entry.new,
        "reason": entry.reason,
        "group": entry.group,
        "action": entry.action,
    }


def _print_entry(entry, change: str) -> None:  # type: ignore[no-untyped-def]
    when = entry.at.astimezone().strftime("%Y-%m-%d %H:%M:%S") if entry.at else "-"
    target = entry.target if entry.item else "project"
    label = f"  “{' '.join(entry.label.split())}”" if entry.label else ""
    print(f"{when}  {target:<9}  {entry.kind.label}: {change}{label}")
    if entry.action:
        print(f"{'':19}  by: {entry.action}")
    if entry.reason:
        print(f"{'':19}  why: {' '.join(entry.reason.split())}")


def cmd_snapshot(args: argparse.Namespace, db_path: Path) -> int:
    from hyp_board.snapshots import take_snapshot

    store = _open(db_path, writing=True)
    try:
        project_id = _project_id(store, args.project)
        snapshot_id = take_snapshot(store, project_id, args.name)
        taken = next(s for s in store.snapshots(project_id) if s.id == snapshot_id)
    finally:
        store.close()
    print(f"snapshot {taken.id}: {taken.name} ({_size(taken.size)})")
    return 0


def cmd_snapshots(args: argparse.Namespace, db_path: Path) -> int:
    from hyp_board.snapshots import as_dict

    store = _open(db_path)
    try:
        found = store.snapshots(_project_id(store, args.project))
    finally:
        store.close()
    if args.json:
        print(json.dumps([as_dict(s) for s in found], indent=2, ensure_ascii=False))
        return 0
    if not found:
        print("(no snapshots yet; take one with 'hyp-board snapshot')")
        return 0
    print(f"{'Id':>4}  {'Taken':<16}  {'Auto':<4}  {'Size':>8}  Name")
    for s in found:
        taken = s.taken_at.astimezone().strftime("%Y-%m-%d %H:%M")
        print(f"{s.id:>4}  {taken:<16}  {'yes' if s.automatic else '':<4}  {_size(s.size):>8}  {s.name}")
    return 0


def _size(size: int) -> str:
    return f"{size / 1024:.1f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"


COMMANDS = {
    "list": cmd_list,
    "score": cmd_score,
    "analyse": cmd_analyse,
    "analyze": cmd_analyse,
    "export": cmd_export,
    "import": cmd_import,
    "add-documents": cmd_add_documents,
    "documents": cmd_documents,
    "history": cmd_history,
    "snapshot": cmd_snapshot,
    "snapshots": cmd_snapshots,
}
