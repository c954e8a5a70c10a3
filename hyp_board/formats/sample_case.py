"""The built-in sample case, read from ``resources/sample/``.

The sample is written by hand in a small authoring format (hypotheses by key, each
evidence item with its ratings and reasons) so that it stays easy to review. It is
trusted input shipped with the application, but is still checked on load so a
mistake in it fails loudly in the tests rather than quietly in front of a user.
"""

from __future__ import annotations

import json
from pathlib import Path

from hyp_board.core.model import (
    Cell,
    Evidence,
    EvidenceType,
    Hypothesis,
    Level,
    Project,
    ProjectData,
    Rating,
    normalise_date,
)
from hyp_board.paths import resources_dir

SAMPLE_FILE = "sample/mahdi-army-2007.json"


def sample_path() -> Path:
    return resources_dir() / SAMPLE_FILE


def load_sample(path: Path | None = None) -> ProjectData:
    raw = json.loads((path or sample_path()).read_text(encoding="utf-8"))
    if raw.get("format") != "hyp-board-sample" or raw.get("version") != 1:
        raise ValueError("not a version-1 sample case file")
    p = raw["project"]
    data = ProjectData(Project(title=p["title"], question=p["question"], notes=p["notes"]))
    keys: dict[str, int] = {}
    for index, h in enumerate(raw["hypotheses"], start=1):
        keys[h["key"]] = index
        data.hypotheses.append(
            Hypothesis(id=index, label=h["label"], description=h.get("description", ""), position=index)
        )
    for index, e in enumerate(raw["evidence"], start=1):
        data.evidence.append(
            Evidence(
                id=index,
                summary=e["summary"],
                quote=e.get("quote", ""),
                source=e.get("source", ""),
                date=normalise_date(e.get("date", "")),
                kind=EvidenceType(e.get("kind", "Report")),
                credibility=Level(e.get("credibility", "Medium")),
                relevance=Level(e.get("relevance", "Medium")),
                included=bool(e.get("included", True)),
                notes=e.get("notes", ""),
                position=index,
            )
        )
        for key, (code, reason) in e.get("ratings", {}).items():
            data.cells[(index, keys[key])] = Cell(Rating.parse(code), reason)
    return data
