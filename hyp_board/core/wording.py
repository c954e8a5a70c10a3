"""Counted nouns in what the user reads: "1 hypothesis", "2 hypotheses", never "(es)"."""

from __future__ import annotations

# Nouns whose plural is not the singular plus "s".
_PLURALS = {"hypothesis": "hypotheses", "evidence item": "evidence items", "match": "matches"}


def counted(n: int, noun: str) -> str:
    """ "1 evidence item", "3 evidence items", "0 hypotheses"."""
    return f"{n} {noun if n == 1 else _PLURALS.get(noun, noun + 's')}"
