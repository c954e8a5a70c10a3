"""The built-in sample case: complete, consistent with its sources, honestly graded."""

from __future__ import annotations

import json
import re

from hyp_board.core.matrix import Matrix
from hyp_board.core.model import EvidenceType, Level
from hyp_board.sample_case import load_sample, sample_path


def test_sample_has_the_four_hypotheses_and_a_fully_rated_matrix():
    data = load_sample()
    assert [h.label for h in data.hypotheses] == [
        "Real split",
        "US propaganda",
        "Iranian propaganda",
        "Sadr's own cover",
    ]
    assert 15 <= len(data.evidence) <= 25
    for ev in data.evidence:
        for h in data.hypotheses:
            cell = data.cells[(ev.id, h.id)]
            assert cell.reason.strip(), f"no reason for {ev.summary!r} × {h.label}"
        assert ev.summary and ev.source and ev.date


def test_quotes_are_verbatim_from_both_source_documents():
    raw = json.loads(sample_path().read_text(encoding="utf-8"))
    texts = {
        key: (sample_path().parent / doc["file"]).read_text(encoding="utf-8")
        for key, doc in raw["documents"].items()
    }
    used = set()
    for item in raw["evidence"]:
        if item["quote"]:
            assert item["quote"] in texts[item["document"]], item["quote"]
            assert len(item["quote"].split()) <= 40, "quotes stay short"
            used.add(item["document"])
    assert used == set(texts)


def test_sources_are_graded_honestly():
    data = load_sample()
    for ev in data.evidence:
        if re.search(r"reader comment|blog post", ev.source, re.I):
            assert ev.credibility is Level.LOW or "AP" in ev.source or "Associated Press" in ev.source, (
                ev.summary
            )
    assert any(ev.kind is EvidenceType.ASSUMPTION for ev in data.evidence)
    assert any(ev.kind is EvidenceType.ABSENCE for ev in data.evidence)
    assert any(not ev.included for ev in data.evidence)


def test_sample_is_a_real_ach_case():
    m = Matrix(load_sample())
    scores = m.scores()
    assert len({s.rank for s in scores}) > 1, "the sample separates the hypotheses"
    assert any(m.board.diagnosticity(e.id) == 0 for e in m.evidence), "a non-diagnostic item teaches"
    assert any(m.board.diagnosticity(e.id) >= 3 for e in m.evidence)
    # The notes' conclusion names the hypothesis the matrix actually ranks first.
    leader = next(s.label for s in scores if s.rank == 1)
    conclusion = m.project.notes.split("Tentative conclusion", 1)[1]
    assert leader in conclusion.split(".")[0]
