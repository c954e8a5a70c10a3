"""How the analysis names evidence items and hypotheses, in one place.

Sentences, the command line's JSON and the reports all name items through these two
functions, so a change of numbering scheme is a change here alone.
"""

from __future__ import annotations

from hyp_board.core.model import Evidence, Hypothesis


def evidence_name(evidence: Evidence) -> str:
    """An item as the matrix shows it: its stable number (E7), which never changes."""
    return evidence.ref


def hypothesis_name(hypothesis: Hypothesis) -> str:
    return hypothesis.label
