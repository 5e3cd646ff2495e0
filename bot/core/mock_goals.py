"""The roadmap's mock-interview goals and who is still short of them (pure).

The goals are the criteria the Final Program Checklist's "Mock Interviews" row links
(≥ 5 mock interviews; ≥ 2 "Strong Hire" DS&A; ≥ 1 "Hire" system design); without such a row,
every mock criterion of the last milestone that has one. A member's mocks are counted from
:class:`bot.core.stats.MemberStats` exactly as the milestones count them (typed and peer
mocks alike).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.core.stats import MemberStats
from curriculum.loader import Curriculum
from curriculum.target_schema import Criterion, Metric


def roadmap_mock_criteria(curriculum: Curriculum) -> tuple[Criterion, ...]:
    by_id = {c.id: c for m in curriculum.targets.milestones for c in m.criteria}
    for row in curriculum.program.final_checklist:
        linked = [by_id[i] for i in row.criteria if i in by_id]
        if linked and all(c.metric is Metric.MOCKS for c in linked):
            return tuple(linked)
    for milestone in sorted(curriculum.targets.milestones, key=lambda m: -m.week):
        found = tuple(c for c in milestone.criteria if c.metric is Metric.MOCKS)
        if found:
            return found
    return ()


def meets(stats: MemberStats, criterion: Criterion) -> bool:
    return criterion.met_by(stats.mock_count(criterion.params.kind, criterion.params.rating))


@dataclass(frozen=True)
class MockWeek:
    """A group's mocks: this week's count and who is short of the roadmap's goals."""

    this_week: int  # mock entries logged in the week
    hired_this_week: int  # of those, rated Hire or better
    with_any: int  # members with at least one mock so far
    short: tuple[MemberStats, ...]  # members missing at least one goal
    short_per_goal: tuple[tuple[Criterion, int], ...]  # goal → members short of it
    members: int


def mock_week(stats: Iterable[MemberStats], week: int, goals: tuple[Criterion, ...]) -> MockWeek:
    everyone = list(stats)
    this_week = sum(n for s in everyone for _, _, w, n in s.mocks if w == week)
    hired = sum(
        n for s in everyone for _, r, w, n in s.mocks if w == week and r in ("strong_hire", "hire")
    )
    short = tuple(s for s in everyone if goals and not all(meets(s, c) for c in goals))
    per_goal = tuple((c, sum(1 for s in everyone if not meets(s, c))) for c in goals)
    return MockWeek(
        this_week=this_week,
        hired_this_week=hired,
        with_any=sum(1 for s in everyone if s.mocks),
        short=short,
        short_per_goal=per_goal,
        members=len(everyone),
    )
