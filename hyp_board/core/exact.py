"""Exact arithmetic on weighted scores: numbers of the form (a + b·√2) / 2.

Every weight in Hypothesis Board is a power of √2 (Low 1/√2, Medium 1, High √2, and
their products), so every score, gap and change the analysis works with is
(a + b·√2) / 2 for integers a and b. Kept as the pair ``(a, b)`` they add exactly,
and two of them are equal only when their pairs are (√2 is irrational), so ties and
"just enough to close the gap" are decided without rounding.
"""

from __future__ import annotations

import functools
import math

Exact = tuple[int, int]  # (a, b) meaning (a + b·√2) / 2

ZERO: Exact = (0, 0)
SQRT2 = math.sqrt(2)
# a + b·√2 in floating point is within a few units of 2⁻⁵³·(|a| + 2|b|) of the truth
# (while a and b stay below 2⁵³); a thousand times that margin is certain.
_CERTAIN = 1e-13
_TINY = 1e-300

# One inconsistency point on an item of weight √2**exponent (exponent -2 … 2).
POINT: dict[int, Exact] = {-2: (1, 0), -1: (0, 1), 0: (2, 0), 1: (0, 2), 2: (4, 0)}


def add(x: Exact, y: Exact) -> Exact:
    return (x[0] + y[0], x[1] + y[1])


def sub(x: Exact, y: Exact) -> Exact:
    return (x[0] - y[0], x[1] - y[1])


def scale(x: Exact, n: int) -> Exact:
    return (x[0] * n, x[1] * n)


def sign(x: Exact) -> int:
    """The sign of (a + b·√2) / 2: from its floating-point value when that is far from
    zero compared with its possible rounding error, else decided in integers."""
    a, b = x
    approx = a + b * SQRT2
    if approx > _CERTAIN * (abs(a) + 2 * abs(b)) + _TINY:
        return 1
    if approx < -_CERTAIN * (abs(a) + 2 * abs(b)) - _TINY:
        return -1
    if a >= 0 and b >= 0:
        return 0 if a == 0 and b == 0 else 1
    if a <= 0 and b <= 0:
        return -1
    # Opposite signs: compare a² with 2b² (never equal, √2 being irrational).
    if a > 0:
        return 1 if a * a > 2 * b * b else -1
    return 1 if 2 * b * b > a * a else -1


def compare(x: Exact, y: Exact) -> int:
    return sign((x[0] - y[0], x[1] - y[1]))


SORTABLE_LIMIT = 1 << 23


def sortable(x: Exact) -> float:
    """A float that orders exact values correctly while |a|, |b| < 2²³.

    Two different values a + b√2 and c + d√2 differ by at least 1 / (|a−c| + |b−d|·√2)
    (since (p + q√2)(p − q√2) = p² − 2q² is a non-zero integer): more than 2·10⁻⁸ at
    these sizes, while each float is within 5·10⁻⁹ of its value. Equal values have equal
    pairs, so equal floats. (A 2,000-item project's scores stay below 2¹⁵.)
    """
    return x[0] + x[1] * SQRT2


def less(x: Exact, y: Exact) -> bool:
    return compare(x, y) < 0


def at_least(x: Exact, y: Exact) -> bool:
    return compare(x, y) >= 0


sort_key = functools.cmp_to_key(compare)


def to_float(x: Exact) -> float:
    return (x[0] + x[1] * SQRT2) / 2


def ceil_over_sqrt2(n: int) -> int:
    """The smallest integer m with m·√2 ≥ n, i.e. ⌈n / √2⌉, exactly."""
    if n == 0:
        return 0
    floor_abs = math.isqrt(n * n // 2)  # ⌊|n| / √2⌋ (|n|/√2 is never a whole number)
    return floor_abs + 1 if n > 0 else -floor_abs
