"""What the roadmap asks of a member in a given week: the recap judges only what was due."""

from __future__ import annotations

from dataclasses import dataclass

from curriculum.loader import Curriculum
from curriculum.week_schema import DeliverableCategory, TaskKind

SOLVE_KINDS = {TaskKind.GUIDED_SOLVE, TaskKind.UNGUIDED_SOLVE, TaskKind.TIMED_SOLVE}
ACTIVE_DAYS_WHEN_NO_SOLVES = 5  # logging on 5 days of a week is keeping at it


@dataclass(frozen=True)
class WeekDue:
    """The week's checkable asks: LeetCode solves, an ML notebook, a mock interview."""

    week: int
    solves: bool
    ml_notebook: bool
    mock: bool


def week_due(curriculum: Curriculum, week: int) -> WeekDue:
    w = curriculum.week(week)
    tasks = [
        t
        for day in w.days.values()
        for block in (day.block_a, day.block_b, day.session)
        if block is not None
        for t in block.tasks
    ]
    return WeekDue(
        week=week,
        solves=any(t.problems or t.kind in SOLVE_KINDS for t in tasks),
        ml_notebook=any(d.category is DeliverableCategory.ML_NOTEBOOK for d in w.deliverables)
        or any(t.kind is TaskKind.NOTEBOOK for t in tasks),
        mock=any(t.kind is TaskKind.MOCK for t in tasks),
    )


def did_the_week(due: WeekDue, new_solves: int, weekly_target: int, active_days: int) -> bool:
    """Whether a member kept at it this week: the week's solve count when solving was due,
    or showing up (logging) on most days — a daily streak is never "could use a hand"."""
    if due.solves and new_solves >= weekly_target:
        return True
    return active_days >= ACTIVE_DAYS_WHEN_NO_SOLVES
