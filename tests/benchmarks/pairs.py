"""Timing whole processes against a baseline on a shared, noisy machine.

Each measured run is paired with a run of its baseline taken right after it, so a
machine slowing down or speeding up affects both alike; what is compared is the
median of the pairs' ratios, and the medians of each side are printed beside it.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

# Users have Python's compiled-module cache (an installed copy writes it on its first
# start, or at install); this shell may say not to write it.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
ENV["QT_QPA_PLATFORM"] = ENV.get("QT_QPA_PLATFORM", "offscreen")
PYTHON = sys.executable
# Processes start elsewhere than in a checkout, whose package would shadow the one
# measured (`python -c` looks in its working folder first).
CWD = tempfile.gettempdir()
HYP_BOARD = str(Path(sys.executable).with_name("hyp-board"))  # the installed command


@dataclass
class Pairs:
    name: str
    baseline_name: str
    ours: list[float]
    baseline: list[float]

    @property
    def ratio(self) -> float:
        return statistics.median(o / b for o, b in zip(self.ours, self.baseline, strict=True))

    def line(self, target: str = "") -> str:
        ours, base = statistics.median(self.ours), statistics.median(self.baseline)
        return (
            f"{self.name:<44} {ours * 1000:7.0f} ms  vs {self.baseline_name:<34} {base * 1000:6.0f} ms"
            f"  ratio {self.ratio:5.2f}×" + (f"  (target {target})" if target else "")
        )


def alternate(
    name: str,
    ours: Callable[[], float],
    baseline_name: str,
    baseline: Callable[[], float],
    repeat: int,
    warm_up: int = 1,
) -> Pairs:
    """*ours* and *baseline* (each returning the seconds it took), run in turn."""
    for _ in range(warm_up):  # compiles the module caches, fills the disk cache
        ours()
        baseline()
    pairs = Pairs(name, baseline_name, [], [])
    for _ in range(repeat):
        pairs.ours.append(ours())
        pairs.baseline.append(baseline())
    return pairs


def run_process(argv: Sequence[str], env: dict[str, str] | None = None) -> float:
    """Seconds from starting the process to its end; it must succeed."""
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, env=env or ENV, cwd=CWD, timeout=600, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{argv[:4]}… failed ({done.returncode}): {done.stderr.decode()[-2000:]}")
    return elapsed


def run_until_reported(argv: Sequence[str], env: dict[str, str] | None = None) -> float:
    """Seconds from starting the process until it prints the moment (``time.time()``)
    it reached what is measured (a painted window); it may go on after that."""
    start_wall = time.time()
    done = subprocess.run(argv, capture_output=True, env=env or ENV, cwd=CWD, timeout=600, check=False)
    lines = [line for line in done.stdout.decode().splitlines() if line.startswith("reached ")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"{argv[:4]}… did not report ({done.returncode}): {done.stderr.decode()[-2000:]}")
    return float(lines[-1].split()[1]) - start_wall
