"""What the coach's pure rules read about one member: their :class:`History`.

``/next`` (:mod:`bot.core.coach`) ranks suggestions from it and ``/plan``
(:mod:`bot.core.plan`) builds a catch-up plan from it; :mod:`bot.services.coach_history`
loads it from the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from bot.core.calendar import CohortCalendar
from bot.core.catchup import Plan
from bot.core.roadmap import SolveRecord
from bot.core.schedule import PostTimes


@dataclass(frozen=True)
class DueReview:
    review_id: int
    due_at: datetime


@dataclass(frozen=True)
class History:
    """The cohort's calendar and post times, the member's solves, ticked deliverables, logged
    days, due Oops reviews and current catch-up plan."""

    calendar: CohortCalendar
    times: PostTimes
    solves: tuple[SolveRecord, ...] = ()
    done_items: frozenset[str] = frozenset()
    active_days: frozenset[date] = frozenset()
    due_reviews: tuple[DueReview, ...] = ()
    plan: Plan | None = None
    solved: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "solved", frozenset(s.problem_key for s in self.solves))
