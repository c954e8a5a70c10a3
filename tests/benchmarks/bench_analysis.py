"""Benchmark: the whole sensitivity and likelihood analysis of a 2,000 × 40 project.

Prints, as medians over alternating runs:

* baseline: scoring the project from scratch (what opening it does: ``Matrix(data)``);
* copy: what the window does on its own thread before handing the work over (the
  matrix's scoring facts copied; it must stay well under a frame);
* snapshot: the copy plus building the analysis input from it (on the worker thread);
* analysis: lead, margin, linchpins, fewest rating changes, fewest exclusions, without
  each source, credibility what-ifs, tornado and the likelihood view;
* the same on a hard case: a leader rated only C and CC (every change to it needs
  two or more steps, so the exact search cannot take the shortcut).

Target: snapshot + analysis under 1 s.

Run:  uv run python tests/benchmarks/bench_analysis.py [--evidence 2000 --hypotheses 40]
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests/: the project factory

from hyp_board.core.analysis import analyse
from hyp_board.core.analysis_input import analysis_input, copy_for_analysis
from hyp_board.core.matrix import Matrix
from hyp_board.core.model import Cell, Rating

from project_factory import generated_data


def timed(fn):  # type: ignore[no-untyped-def]
    gc.collect()
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--evidence", type=int, default=2000)
    parser.add_argument("--hypotheses", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    data = generated_data(args.evidence, args.hypotheses)
    hard = generated_data(args.evidence, args.hypotheses)
    for (eid, hid), cell in list(hard.cells.items()):
        if hid == 1:
            hard.cells[(eid, hid)] = Cell(Rating.C if eid % 3 else Rating.CC, cell.reason)

    baseline, copy, snapshot, analysis, hard_total = [], [], [], [], []
    matrix = Matrix(data)
    hard_matrix = Matrix(hard)
    for _ in range(args.repeat):
        baseline.append(timed(lambda: Matrix(data))[0])
        copy.append(timed(lambda: copy_for_analysis(matrix))[0])
        t_snap, inp = timed(lambda: analysis_input(matrix))
        t_analysis, result = timed(lambda inp=inp: analyse(inp))
        snapshot.append(t_snap)
        analysis.append(t_analysis)
        hard_total.append(timed(lambda: analyse(analysis_input(hard_matrix)))[0])

    def ms(samples: list[float]) -> float:
        return statistics.median(samples) * 1000

    total = [s + a for s, a in zip(snapshot, analysis, strict=True)]
    ratio = statistics.median(t / b for t, b in zip(total, baseline, strict=True))
    print(f"{args.evidence} × {args.hypotheses} project, median of {args.repeat} runs")
    print(f"baseline, scoring the project from scratch: {ms(baseline):7.1f} ms")
    print(f"copy on the window's thread:                {ms(copy):7.1f} ms")
    print(f"snapshot of the matrix for the analysis:    {ms(snapshot):7.1f} ms")
    print(f"whole analysis:                             {ms(analysis):7.1f} ms")
    print(f"snapshot + analysis:                        {ms(total):7.1f} ms", end="")
    print(f"  ({ratio:.1f}× baseline; target < 1000 ms)")
    print(f"hard case (leader rated only C and CC):     {ms(hard_total):7.1f} ms")
    fc = result.fewest_changes
    fe = result.fewest_exclusions
    print(
        f"  found: {len(result.linchpins)} linchpins, fewest changes {fc.count if fc else '-'}, "
        f"fewest exclusions {fe.count if fe else '-'}"
    )
    return 0 if max(total) < 1.0 else 1


if __name__ == "__main__":
    sys.exit(main())
