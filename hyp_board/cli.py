"""The ``hyp-board`` command.

With no command it opens the window; the other commands work headless over the same
core and storage. Only the window imports Qt, and only when it is asked for, so
``hyp-board list`` starts fast and runs where there is no display.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from hyp_board import APP_NAME, __version__
from hyp_board.export_formats import EXPORT_FORMATS, ExportError, ExportOptions
from hyp_board.paths import default_database


class CommandError(Exception):
    """A failure to report on stderr, with the exit status to use."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.status = status


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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    files = _files_to_open(argv)
    if files:  # `hyp-board FILE…`, as a desktop opens files: the window, opening them
        argv = [a for a in argv if Path(a) not in files]
    elif missing := _missing_file(argv):
        print(f"hyp-board: {missing}: no such file", file=sys.stderr)
        return 2
    args = build_parser().parse_args(argv)
    db_path: Path = getattr(args, "db", None) or default_database()
    if args.command is None:
        # Qt only when the window is wanted; the window already open on this database,
        # if there is one, takes the files instead.
        from hyp_board.ui.single_instance import open_window

        return open_window(db_path, files)
    from hyp_board.storage import DatabaseError

    try:
        return COMMANDS[args.command](args, db_path)
    except CommandError as exc:
        print(f"hyp-board: {exc}", file=sys.stderr)
        return exc.status
    except DatabaseError as exc:  # read-only, disk full, locked, damaged: one line, in words
        print(f"hyp-board: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. piped into head
        return 0


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
    from hyp_board.storage import ProjectNotFoundError

    try:
        return int(store.find_project(ref))
    except ProjectNotFoundError as exc:
        raise CommandError(f"{exc.args[0]} (see 'hyp-board list')") from exc


def cmd_list(args: argparse.Namespace, db_path: Path) -> int:
    store = _open(db_path)
    try:
        for project in store.list_projects():
            print(f"{project.id}\t{project.title}")
    finally:
        store.close()
    return 0


def cmd_score(args: argparse.Namespace, db_path: Path) -> int:
    from hyp_board.core.matrix import Matrix

    store = _open(db_path)
    try:
        matrix = Matrix(store.load_project(_project_id(store, args.project)))
    finally:
        store.close()
    scores = sorted(matrix.scores(), key=lambda s: (s.rank, matrix.hypothesis_index(s.hypothesis_id)))
    if args.json:
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

    store = _open(db_path)
    try:
        matrix = Matrix(store.load_project(_project_id(store, args.project)))
    finally:
        store.close()
    result = analyse(analysis_input(matrix))
    if args.json:
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

    outputs = [(fmt, path) for fmt in EXPORT_FORMATS.values() if (path := getattr(args, fmt.key)) is not None]
    if not outputs:
        choices = ", ".join(f"--{f.key} OUT{f.suffix}" for f in EXPORT_FORMATS.values())
        raise CommandError(f"say what to write: {choices} (one or more)", status=2)
    store = _open(db_path)
    try:
        matrix = Matrix(store.load_project(_project_id(store, args.project)))
    finally:
        store.close()
    options = ExportOptions(paper=args.paper, landscape=not args.portrait, details=not args.matrix_only)
    for fmt, path in outputs:
        try:
            note = fmt.write(matrix, path, options)
        except OSError as exc:
            raise CommandError(f"cannot write {path}: {exc.strerror or exc}") from exc
        except ExportError as exc:
            raise CommandError(str(exc)) from exc
        print(f"wrote {path}" + (f" ({note})" if note else ""))
    return 0


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
    from hyp_board.ingest.importer import DocumentImportError, read_document

    store = _open(db_path, writing=True)
    refused = 0
    try:
        project_id = _project_id(store, args.project)
        for path in args.files:
            try:
                imported = read_document(path)
            except DocumentImportError as exc:
                refused += 1
                print(f"refused {exc}", file=sys.stderr)  # the message starts with the file's name
                continue
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
}
