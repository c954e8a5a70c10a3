"""The built-in sample case, read from ``resources/sample/``.

The sample is written by hand in a small authoring format (hypotheses by key, each
evidence item with its ratings and reasons) so that it stays easy to review. It is
trusted input shipped with the application, but is still checked on load so a
mistake in it fails loudly in the tests rather than quietly in front of a user.

Its two source documents are imported from their files through the same importer a
user's documents go through (so their flaws are repaired the same way), and each
item's quote is located in its document's text to record the passage.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hyp_board.core.grading import suggested_credibility
from hyp_board.core.method import (
    Answer,
    Concern,
    DeceptionCheck,
    DeceptionQuestion,
    Milestone,
    MilestoneStatus,
    normalise_due,
)
from hyp_board.core.model import (
    Cell,
    Document,
    Evidence,
    EvidenceType,
    Hypothesis,
    InformationGrade,
    Level,
    Project,
    ProjectData,
    Rating,
    Reliability,
    normalise_date,
)
from hyp_board.ingest.importer import parse_document
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
        for m in h.get("milestones", []):
            data.milestones.append(
                Milestone(
                    hypothesis_id=index,
                    text=m["text"],
                    due=normalise_due(m.get("due", "")),
                    status=MilestoneStatus(m.get("status", "watching")),
                    note=m.get("note", ""),
                    position=len(data.milestones),
                    id=len(data.milestones) + 1,
                )
            )
    folder = (path or sample_path()).parent
    documents: dict[str, Document] = {}
    for index, (key, d) in enumerate(raw.get("documents", {}).items(), start=1):
        document = parse_document((folder / d["file"]).read_bytes(), d["file"]).document
        document.id = index
        document.title = d.get("title") or document.title
        document.origin = d.get("origin", document.origin)
        document.author = d.get("author", document.author)
        document.published = normalise_date(d.get("published", document.published))
        document.reliability = Reliability(d["reliability"]) if d.get("reliability") else None
        document.notes = d.get("notes", "")
        documents[key] = document
        if "deception_check" in d:
            data.deception_checks[index] = _deception_check(d["deception_check"])
    data.documents = list(documents.values())
    for index, e in enumerate(raw["evidence"], start=1):
        source = documents.get(e.get("document", ""))
        quote = e.get("quote", "")
        span = None
        if source is not None and quote:
            start = source.text.find(quote)
            if start < 0:
                raise ValueError(f"sample quote not found in its document: {quote!r}")
            span = (start, start + len(quote))
        information = InformationGrade(e["information"]) if e.get("information") else None
        credibility = Level(e.get("credibility", "Medium"))
        suggestion = suggested_credibility(source.reliability if source else None, information)
        data.evidence.append(
            Evidence(
                id=index,
                document_id=source.id if source else 0,
                span=span,
                information=information,
                credibility_overridden=suggestion is not None and suggestion.level is not credibility,
                summary=e["summary"],
                quote=quote,
                source=e.get("source", ""),
                date=normalise_date(e.get("date", "")),
                kind=EvidenceType(e.get("kind", "Report")),
                credibility=credibility,
                relevance=Level(e.get("relevance", "Medium")),
                included=bool(e.get("included", True)),
                notes=e.get("notes", ""),
                position=index,
            )
        )
        for key, (code, reason) in e.get("ratings", {}).items():
            data.cells[(index, keys[key])] = Cell(Rating.parse(code), reason)
    return data


def _deception_check(item: dict[str, Any]) -> DeceptionCheck:
    answers = {
        DeceptionQuestion(question): (Answer(answer), note)
        for question, (answer, note) in item.get("answers", {}).items()
    }
    concern = item.get("concern")
    return DeceptionCheck(answers, Concern(concern) if concern else None, str(item.get("note", "")))
