"""Running ``hyp-board`` as a user does: a separate process, its output and exit status."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run(*args: str, env_db: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if env_db is not None:
        env["HYP_BOARD_DB"] = str(env_db)
    return subprocess.run(
        [sys.executable, "-m", "hyp_board", *args], capture_output=True, text=True, env=env, timeout=60
    )
