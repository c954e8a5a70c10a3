"""Benchmark: snapshots and how the conclusion moved, on a 2,000 evidence × 40 hypothesis
project (80,000 ratings) with documents.

Prints:

* taking a snapshot (from the project in memory, as the window does), beside writing the
  same project as a .hypboard file (the baseline: what an export costs anyway);
* the database's growth per snapshot, and the document texts it would have copied;
* how the conclusion moved, replayed over 100,000 journal entries (read from the
  database, then replayed), and over the window's cap of 20,000.

Run:  uv run python tests/benchmarks/bench_snapshots.py [--evidence 2000 --hypotheses 40]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests/: the project factory

from hyp_board.core.conclusion_history import conclusion_history
from hyp_board.core.journal_entries import ChangeKind, JournalEntry, cell_json
from hyp_board.core.matrix import Matrix
from hyp_board.core.model import Cell, Document, Rating
from hyp_board.project_files.hypboard import write_project_file
from hyp_board.snapshots import take_snapshot
from hyp_board.storage import Store

from project_factory import generated_data


def timed(run, repeat: int = 5) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--evidence", type=int, default=2000)
    parser.add_argument("--hypotheses", type=int, default=40)
    parser.add_argument("--entries", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.sqlite"
        store = Store.open(db)
        data = generated_data(args.evidence, args.hypotheses)
        rng = random.Random(3)
        words = [
            "the",
            "report",
            "says",
            "that",
            "a",
            "convoy",
            "crossed",
            "the",
            "border",
            "at",
            "night",
            "near",
            "Basra",
        ]
        data.documents = [
            Document(
                f"Source {i}", original_text=" ".join(rng.choice(words) for _ in range(40_000)), id=i + 1
            )
            for i in range(10)
        ]
        text_bytes = sum(len(d.original_text.encode()) for d in data.documents)
        pid = store.insert_project(data)
        loaded = store.load_project(pid)
        out = Path(tmp) / "p.hypboard"
        export = timed(lambda: write_project_file(Matrix(loaded), out))
        first_size = db.stat().st_size
        take_snapshot(store, pid, "first", data=loaded)
        store.close()
        store = Store.open(db)
        after_first = db.stat().st_size
        sizes = []

        def snapshot() -> None:
            take_snapshot(store, pid, "again", data=loaded)

        snap = timed(snapshot)
        store.close()  # folds the WAL into the file, to measure it
        store = Store.open(db)
        sizes.append(db.stat().st_size)
        n_snapshots = len(store.snapshots(pid))
        own = statistics.median(s.size for s in store.snapshots(pid))
        print(
            f"project: {args.evidence} x {args.hypotheses}, 10 documents of {text_bytes / 1e6:.1f} MB in all"
        )
        print(f"write .hypboard (baseline): {export * 1000:.0f} ms ({out.stat().st_size / 1e6:.1f} MB)")
        print(f"take a snapshot: {snap * 1000:.0f} ms ({snap / export:.2f}x the project file)")
        print(
            f"database: {first_size / 1e6:.1f} MB; +{(after_first - first_size) / 1e6:.2f} MB with the first "
            f"snapshot (its texts included); {n_snapshots} snapshots: "
            f"+{(sizes[-1] - after_first) / max(n_snapshots - 1, 1) / 1e3:.0f} KB each after it "
            f"(own content {own / 1e3:.0f} KB; the texts it would otherwise copy: {text_bytes / 1e6:.1f} MB)"
        )

        # The journal: random ratings, newest first as the store gives them.
        matrix = Matrix(store.load_project(pid))
        refs_e = [e.ref for e in matrix.evidence]
        refs_h = [h.ref for h in matrix.hypotheses]
        at = datetime(2026, 1, 1, tzinfo=UTC)
        entries = []
        ratings = list(Rating)
        for i in range(args.entries):
            entries.append(
                JournalEntry(
                    ChangeKind.RATING,
                    rng.choice(refs_e),
                    "",
                    cell_json(Cell(rng.choice(ratings))),
                    cell_json(Cell(rng.choice(ratings))),
                    hypothesis=rng.choice(refs_h),
                    at=at + timedelta(seconds=i),
                )
            )
        store.record(pid, entries)
        read = timed(lambda: store.journal(pid), repeat=3)
        journal = store.journal(pid)
        replay = timed(lambda: conclusion_history(matrix, journal), repeat=3)
        window = store.journal(pid, limit=20_000)
        read_capped = timed(lambda: store.journal(pid, limit=20_000), repeat=3)
        replay_capped = timed(lambda: conclusion_history(matrix, window), repeat=3)
        newest = journal[0]
        since = timed(lambda: [e for e in store.journal(pid, since=newest.at) if e.id > newest.id], repeat=3)
        print(
            f"conclusion history over {len(journal):,} entries: read {read * 1000:.0f} ms, "
            f"replay {replay * 1000:.0f} ms; the window's 20,000: read once {read_capped * 1000:.0f} ms, "
            f"then after each edit {since * 1000:.1f} ms to read what was added "
            f"and {replay_capped * 1000:.0f} ms to replay"
        )
        store.close()


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    main()
