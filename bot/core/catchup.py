"""A catch-up plan's items and how far a member got through them (pure).

:mod:`bot.core.plan` builds a :class:`Plan` (and stores it as JSON); ``/next`` walks the member
through its open items, ``/plan`` and the weekly recap show its progress
(:func:`plan_progress`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bot.core.roadmap import SolveRecord


@dataclass(frozen=True)
class PlanItem:
    """One problem of a catch-up plan on a day and block; ``key`` ``None``: any new problem."""

    day: date
    slot: str
    key: str | None
    difficulty: str
    minutes: int
    pattern: str | None = None


@dataclass(frozen=True)
class Plan:
    week: int
    starts_on: date
    ends_on: date
    items: tuple[PlanItem, ...]
    rest_days: tuple[date, ...] = ()


def plan_progress(plan: Plan, solves: Sequence[SolveRecord]) -> tuple[set[int], int]:
    """Which plan items are done (their indexes) and how many new problems filled open slots.

    A named item is done once its problem is solved; an open item ("any new problem") is
    filled, in plan order, by each problem first solved since the plan began that the plan
    does not name.
    """
    named = {i.key for i in plan.items if i.key is not None}
    first: dict[str, date] = {}
    for s in solves:
        if s.problem_key not in first or s.local_date < first[s.problem_key]:
            first[s.problem_key] = s.local_date
    fresh = sum(1 for k, d in first.items() if d >= plan.starts_on and k not in named)
    done: set[int] = set()
    credit = fresh
    for i, item in enumerate(plan.items):
        if item.key is not None:
            if item.key in first:
                done.add(i)
        elif credit > 0:
            done.add(i)
            credit -= 1
    return done, fresh
