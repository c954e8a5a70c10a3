"""Takes the README's screenshots, or the window's first start at several screen sizes
to look at.

    uv run python tests/screenshots.py                       # README: 1366 × 768
    uv run python tests/screenshots.py --sizes 1024x768,1280x720,1366x768,1920x1080 --out DIR

Each window is a real first start (a fresh database and settings) on an off-screen
display of the given size, in its own process. The report's first page needs
``pdftoppm`` (poppler-utils).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README_SHOTS = ROOT / "resources" / "screenshots"


def child(width: int, height: int, theme: str, out: Path, what: str) -> None:
    """In a process of its own: one first start, one picture."""
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from hyp_board.core.matrix import Matrix
    from hyp_board.core.model import Rating, RatingMode
    from hyp_board.project_files.hypboard import parse_project, to_document
    from hyp_board.startup import open_store
    from hyp_board.ui.app import make_application
    from hyp_board.ui.main_window import MainWindow
    from hyp_board.ui.settings import Settings
    from hyp_board.ui.theme import ThemeChoice

    app = make_application([])
    store = open_store(Path(os.environ["HYP_BOARD_DB"]))
    window = MainWindow(store, Settings.open())
    window.open_initial_project()
    window.set_theme(ThemeChoice(theme))
    window.showMaximized() if window.start_maximized else window.show()
    # What follows the start on timers (the line below the matrix, the analysis and its
    # linchpin marks) is in the picture, however fast the start.
    for _ in range(400):
        if window.analysis.result is not None:
            break
        QTest.qWait(50)
    QTest.qWait(300)
    if what == "window":
        window.grab().save(str(out))
    elif what == "across":
        assert window.session is not None
        m = window.session.matrix  # an item not yet rated, to rate across
        window.session.set_cells([(m.evidence[4].id, h.id, None) for h in m.hypotheses], "Clear")
        dialog = window.rate_across()
        assert dialog is not None
        dialog.rate_current(Rating.C)  # the first hypothesis rated, the second current
        for _ in range(30):
            app.processEvents()
        dialog.grab().save(str(out))
    elif what == "blind":
        assert window.session is not None
        m = window.session.matrix  # a few items rated again, blind
        for e in m.evidence[1:5]:
            window.session.rate([(e.id, h.id) for h in m.hypotheses], Rating.N, RatingMode.ACROSS)
        window.actions_.mark_blind.setChecked(True)
        window.matrix.select_evidence(m.evidence[1].id, window.session.model.column_of(m.hypotheses[0].id))
        for _ in range(30):
            app.processEvents()
        window.grab().save(str(out))
    elif what == "rows":
        window.actions_.hypotheses_in_rows.setChecked(True)
        for _ in range(30):
            app.processEvents()
        window.grab().save(str(out))
    elif what == "compare":
        assert window.session is not None
        theirs = to_document(window.session.matrix)  # a colleague's copy, with their changes
        theirs["ratings"][3]["rating"] = "II"
        theirs["ratings"][3]["reason"] = "The defectors' own accounts contradict this."
        theirs["evidence"].append(
            {"uuid": "6d1f7c2e-94b1-4a51-8c2f-0a7d6f1b9e31", "summary": "A colleague's new item"}
        )
        dialog = window.files.compare_with(
            Matrix(parse_project(json.dumps(theirs).encode()).data), "colleague.hypboard"
        )
        assert dialog is not None
        dialog.resize(1250, 700)
        dialog.only_differences.setChecked(True)
        for _ in range(30):
            app.processEvents()
        dialog.grab().save(str(out))
    elif what == "history":
        history_shown(window, app)
        window.grab().save(str(out))
    elif what == "snapshots":
        assert window.session is not None
        from hyp_board.core.model import Cell, Rating
        from hyp_board.snapshots import take_snapshot

        session = window.session
        take_snapshot(store, session.project_id, "Before the March review")
        session.set_cell(session.matrix.evidence[2].id, session.matrix.hypotheses[1].id, Cell(Rating.II))
        session.snapshot_automatically("Exported Mahdi Army assessment.pdf")
        session.set_cell(session.matrix.evidence[4].id, session.matrix.hypotheses[0].id, Cell(Rating.C))
        session.snapshot_automatically("Before importing 2 documents")
        dialog = window.show_snapshots()
        assert dialog is not None
        for _ in range(30):
            app.processEvents()
        dialog.grab().save(str(out))
    elif what == "conclusion":
        assert window.session is not None
        from hyp_board.core.model import Cell, Rating

        session = window.session
        m = session.matrix
        # A few days' rethinking of the sample, as edits: the lead moves and comes back.
        h1, h2, h3 = (h.id for h in m.hypotheses[:3])
        for e, h, r in [
            (2, h1, "II"),
            (3, h1, "I"),
            (5, h2, "II"),
            (6, h2, "II"),
            (7, h2, "I"),
            (8, h3, "C"),
        ]:
            session.set_cell(m.evidence[e].id, h, Cell(Rating(r)))
        session.edit_evidence(m.evidence[2].id, {"included": False})
        session.set_cell(m.evidence[9].id, h1, Cell(Rating.II))
        session.set_cell(m.evidence[10].id, h1, Cell(Rating.II))
        window.panels.show_history.trigger()
        window.history_panel.tabs.setCurrentWidget(window.conclusion_panel)
        for _ in range(30):
            app.processEvents()
        window.conclusion.refresh()
        for _ in range(30):
            app.processEvents()
        window.grab().save(str(out))
    elif what == "report":
        from hyp_board.export_formats import EXPORT_FORMATS, ExportOptions

        assert window.session is not None
        pdf = out.with_suffix(".pdf")
        EXPORT_FORMATS["pdf"].write(window.session.matrix, pdf, ExportOptions())
        stem = out.with_suffix("")
        subprocess.run(
            ["pdftoppm", "-png", "-r", "90", "-f", "1", "-l", "1", "-singlefile", pdf, stem], check=True
        )
        pdf.unlink()
    window.close()
    store.close()
    QApplication.processEvents()


def history_shown(window, app) -> None:  # type: ignore[no-untyped-def]
    """A morning's work on the sample case, then the History panel open on it."""
    from PySide6.QtCore import QItemSelectionModel
    from PySide6.QtTest import QTest

    from hyp_board.core.model import Evidence, Level, Rating

    session = window.session
    m = session.matrix
    session.rate([(m.evidence[2].id, m.hypotheses[1].id)], Rating.II)
    session.rate([(m.evidence[3].id, m.hypotheses[0].id), (m.evidence[3].id, m.hypotheses[2].id)], Rating.C)
    session.edit_evidence(m.evidence[1].id, {"credibility": Level.LOW})
    session.add_evidence(Evidence("Satellite imagery shows new camps near the border"))
    session.edit_hypothesis(m.hypotheses[2].id, {"label": m.hypotheses[2].label + " (revised)"})
    session.undo_stack.undo()
    window.panels.show_history.trigger()
    panel = window.history_panel
    window.history.reload()
    window.store.set_journal_reason(
        panel.model.entry(2).id, "The new satellite pass contradicts the defectors"
    )
    window.history.reload()
    flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    panel.table.selectionModel().select(panel.model.index(4, 0), flags)
    QTest.qWait(1500)  # the analysis below the matrix catches up with the edits


def take(width: int, height: int, theme: str, out: Path, what: str = "window") -> None:
    with tempfile.TemporaryDirectory() as tmp:
        screen = Path(tmp) / "screen.json"
        screen.write_text(
            json.dumps(
                {
                    "synchronousWindowSystemEvents": True,
                    "windowFrameMargins": False,
                    "screens": [
                        {"name": "s", "x": 0, "y": 0, "width": width, "height": height, "logicalDpi": 96}
                    ],
                }
            )
        )
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": f"offscreen:configfile={screen}",
            "HYP_BOARD_DB": str(Path(tmp) / "db.sqlite"),
            "HYP_BOARD_CONFIG_DIR": str(Path(tmp) / "config"),
            "HYP_BOARD_LOG_DIR": str(Path(tmp) / "logs"),
        }
        args = [sys.executable, __file__, "--child", str(width), str(height), theme, str(out), what]
        subprocess.run(args, env=env, check=True)
    print(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", help="WxH,… : first starts at these screen sizes, light and dark")
    parser.add_argument("--out", type=Path, help="where to write them (README: resources/screenshots)")
    parser.add_argument(
        "--what", default="window", help="window, compare, history, snapshots, conclusion (with --sizes)"
    )
    parser.add_argument("--child", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        width, height, theme, out, what = args.child
        child(int(width), int(height), theme, Path(out), what)
        return
    if args.sizes:
        out = args.out or Path.cwd()
        out.mkdir(parents=True, exist_ok=True)
        for size in args.sizes.split(","):
            width, height = (int(n) for n in size.lower().split("x"))
            for theme in ("light", "dark"):
                name = "first-start" if args.what == "window" else args.what
                take(width, height, theme, out / f"{name}-{width}x{height}-{theme}.png", args.what)
        return
    out = args.out or README_SHOTS
    take(1366, 768, "light", out / "main-window-light.png")
    take(1366, 768, "dark", out / "main-window-dark.png")
    take(1366, 768, "light", out / "compare.png", "compare")
    take(1366, 768, "light", out / "history.png", "history")
    if shutil.which("pdftoppm"):
        take(1366, 768, "light", out / "report-page-1.png", "report")
    else:
        print("pdftoppm not found: the report's page was not retaken", file=sys.stderr)


if __name__ == "__main__":
    main()
