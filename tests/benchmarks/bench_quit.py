"""How long Ctrl+Q takes, from the key to the end of the process.

Each run is a whole process: the window starts (a first start, so with the sample
case), waits, gets Ctrl+Q through the window system, and the clock stops when the
process has ended. Runs alternate with the baseline: the same process ending with
``os._exit`` the moment its window has closed, which is what the operating system
itself needs. Printed: medians, the ratio, and where the time goes (window closing,
database closing, the interpreter's teardown).

    uv run python tests/benchmarks/bench_quit.py [--runs 7] [--session]

Uses the offscreen platform unless ``DISPLAY`` is set (then the real X11 one).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DRIVER = Path(__file__).with_name("quit_driver.py")


def run_once(extra: list[str]) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "HYP_BOARD_CONFIG_DIR": str(Path(tmp) / "config"),
            "HYP_BOARD_LOG_DIR": str(Path(tmp) / "logs"),
        }
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # as users run it: with .pyc files
        if not env.get("DISPLAY"):
            env["QT_QPA_PLATFORM"] = "offscreen"
        process = subprocess.Popen(
            [sys.executable, str(DRIVER), str(Path(tmp) / "db.sqlite"), *extra],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        out, err = process.communicate(timeout=120)
        ended = time.time()
    stamps = {k: float(v) for k, v in (line.split() for line in out.splitlines() if line[:1].isupper())}
    if "QUIT" not in stamps or process.returncode != 0:
        raise SystemExit(f"the window did not quit (status {process.returncode}):\n{err[-2000:]}")
    quit_at = stamps.pop("QUIT")
    timings = {name: at - quit_at for name, at in stamps.items()}
    timings["EXITED"] = ended - quit_at
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--session", action="store_true", help="a short session before quitting")
    args = parser.parse_args()
    extra = ["--session"] if args.session else []
    quits: list[dict[str, float]] = []
    floors: list[float] = []
    for _ in range(args.runs):  # alternated, so both see the same load on the machine
        quits.append(run_once(extra))
        floors.append(run_once([*extra, "--floor"])["EXITED"])
    exited = statistics.median(q["EXITED"] for q in quits)
    floor = statistics.median(floors)
    print(f"Ctrl+Q to process end, median of {args.runs}: {exited * 1000:.0f} ms")
    print(f"baseline (os._exit when the window closes): {floor * 1000:.0f} ms; ratio {exited / floor:.2f}")
    for name in ("STORE_CLOSING", "STORE_CLOSED", "RETURNED"):
        values = [q[name] for q in quits if name in q]
        if values:
            print(f"  {name.lower().replace('_', ' ')} after {statistics.median(values) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
