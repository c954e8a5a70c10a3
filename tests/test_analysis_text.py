"""The analysis in sentences."""

from __future__ import annotations

from analysis_helpers import R, build, snapshot

from hyp_board.core.analysis import analyse
from hyp_board.core.analysis_input import analysis_input
from hyp_board.core.analysis_text import joined, likelihood_sentences, sensitivity_findings
from hyp_board.core.model import Document, Evidence, Level


def ev(name: str = "e", **kw) -> Evidence:
    return Evidence(name, **kw)


def test_findings_of_a_worked_matrix_read_as_sentences():
    m = build(
        [
            (ev("e1", source="Wire"), [R.N, R.I, R.II]),
            (ev("e2", document_id=5), [R.C, R.II, R.I]),
            (ev("e3", credibility=Level.LOW), [R.I, R.N, R.NA]),
            (ev("e4"), [R.CC, R.I, None]),
        ],
        documents=[Document("Ministry statement", "text", id=5)],
    )
    findings = sensitivity_findings(analyse(analysis_input(m)))
    # A: 1/√2 (e3 is Low); B: 1 + 2 + 1 = 4; C: 2 + 1 = 3.
    assert findings == [
        "A leads with a weighted inconsistency of 0.71, 2.29 ahead of the next.",
        "No single item changes the lead if removed.",
        "3 single-step rating changes would change the lead (C would lead instead of A): "
        "E1 for C: II → N (2 steps) and E3 for A: I → II.",
        "Excluding 2 items (E1 and E2) would change the lead: C would lead instead of A.",
        "The lead holds without any one document or source.",
        "Without the 1 Low-credibility item, the lead would not change.",
    ]


def test_ties_sources_and_the_likelihood_view_in_sentences():
    a = analyse(
        snapshot(
            [
                (ev("e1", source="Wire"), [R.II, R.N]),
                (ev("e2", source="Wire"), [R.N, R.I]),
                (ev("e3"), [R.N, R.I]),
                (ev("e4", credibility=Level.HIGH, relevance=Level.HIGH), [R.C, R.CC]),
            ],
            ("A", "B"),
        )
    )
    # A: 2 (e1 II); B: 1 + 1. Every hypothesis leads, so "fewest changes" has no one to
    # hand the lead to; the sources still matter.
    assert sensitivity_findings(a) == [
        "All hypotheses are tied at a weighted inconsistency of 2.00.",
        "Removing any one of E1, E2 and E3 alone would change the lead: "
        "these are the conclusion's linchpins.",
        "Without the items from “Wire” (2 items), A would lead.",
        "Without the items with no source given (2 items), B would lead.",
    ]
    assert likelihood_sentences(a) == [
        "The likelihood view favours B (posterior 0.55).",
        "E4 weighs heavily (High credibility or relevance) yet tells the hypotheses little apart "
        "(likelihood ratio below 1.5): the conclusion should not rest on it.",
    ]


def test_nothing_rated_says_so_once():
    a = analyse(snapshot([(ev(), [R.C, R.N])], ("A", "B")))
    assert sensitivity_findings(a) == [
        "No inconsistent evidence is rated yet, so every hypothesis stands equal."
    ]
    assert joined(["A", "B", "C"]) == "A, B and C"


def test_long_lists_of_hypotheses_are_cut_short():
    labels = [f"H{i}" for i in range(1, 8)]
    # H1 has one I; all others none: without that item every hypothesis stands equal.
    a = analyse(snapshot([(ev("e1", source="Wire"), [R.I] + [R.N] * 6)], labels))
    findings = sensitivity_findings(a)
    assert findings[0] == "H2, H3, H4 and 3 others are tied for the lead at a weighted inconsistency of 0.00."
    assert "Without the items from “Wire” (1 item), every hypothesis would stand equal." in findings
