"""Leaderboard ranking: points for solves, competition ranks, top/bottom slices.

Pure functions, no I/O. Ties share a rank using standard competition ranking
("1224"): a row's rank is one more than the number of rows with a strictly better value.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

K = TypeVar("K")
T = TypeVar("T")

DEFAULT_WEIGHTS: tuple[int, int, int] = (1, 3, 7)


@dataclass(frozen=True, slots=True)
class Ranked(Generic[K]):
    """One leaderboard row: the caller's key, the value it was ranked by, and its rank (1-based)."""

    key: K
    value: float
    rank: int


def points(
    easy: int, medium: int, hard: int, weights: tuple[int, int, int] = DEFAULT_WEIGHTS
) -> int:
    """Weighted score for easy/medium/hard solves (default 1/3/7 points each)."""
    if min(easy, medium, hard) < 0:
        raise ValueError(f"solve counts must not be negative: {(easy, medium, hard)}")
    if min(weights) < 0:
        raise ValueError(f"weights must not be negative: {weights}")
    w_easy, w_medium, w_hard = weights
    return easy * w_easy + medium * w_medium + hard * w_hard


def rank(
    rows: Sequence[tuple[K, float]],
    *,
    descending: bool = True,
    tiebreak: Callable[[K], str] | None = None,
) -> list[Ranked[K]]:
    """Rank ``(key, value)`` rows, best first; equal values share a rank (1, 2, 2, 4).

    ``descending=True`` means a higher value is better. Rows with equal values are listed
    by ``tiebreak(key)`` (e.g. ``lambda m: m.name.casefold()``), then in input order; the
    tiebreak only orders rows, it never splits a shared rank. NaN values are rejected.
    """
    for key, value in rows:
        if math.isnan(value):
            raise ValueError(f"cannot rank NaN value for {key!r}")

    def order(item: tuple[int, tuple[K, float]]) -> tuple[float, str]:
        _, (key, value) = item
        primary = -value if descending else value
        return (primary, tiebreak(key) if tiebreak is not None else "")

    # sorted() is stable, so rows equal on (value, tiebreak) keep their input order.
    ordered = sorted(enumerate(rows), key=order)
    result: list[Ranked[K]] = []
    for position, (_, (key, value)) in enumerate(ordered, start=1):
        tied = bool(result) and result[-1].value == value
        result.append(Ranked(key=key, value=value, rank=result[-1].rank if tied else position))
    return result


def top_and_bottom(items: Sequence[T], top: int, bottom: int) -> tuple[list[T], int, list[T]]:
    """Split a ranked list into ``(first top, hidden middle count, last bottom)``.

    The two slices never overlap: when the list is shorter than ``top + bottom``, the top
    slice is filled first and the bottom slice gets what is left (possibly nothing).
    """
    if top < 0 or bottom < 0:
        raise ValueError(f"top and bottom must not be negative: {top}, {bottom}")
    head = list(items[:top])
    rest = list(items[top:])
    tail = rest[max(0, len(rest) - bottom) :] if bottom else []
    return head, len(rest) - len(tail), tail
