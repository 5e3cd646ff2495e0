"""The pace forecast's window: the days its rate counts, and the member at its start (pure).

The rate is what the member added since the end of program week ``w − 2`` (``w`` the current
week), per program day: the last 14 days at the weekly recap, 8 to 14 days mid-week. Paused
days count neither in the window nor in the days left to the deadline (the Sunday of the
milestone's week). :func:`past_stats` rebuilds the member as they were at the window's start,
from their stats and the :class:`PastCounts` that :class:`MemberStats` keeps no history of.
:mod:`bot.core.forecast` projects and judges from these.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from bot.core.calendar import CohortCalendar, InProgram
from bot.core.stats import MemberStats
from curriculum.target_schema import Metric, Milestone

RATE_WINDOW_WEEKS = 2  # the rate counts from the end of week w − 2
# Kinds whose counts before the window a forecast needs (beyond MemberStats' history).
PAST_KINDS = {
    Metric.SOLVE_ENTRIES: "solve",
    Metric.LEDGER_ENTRIES: "ledger",
    Metric.ANKI_CARDS_ADDED: "anki",
    Metric.ANKI_MATURE_CARDS: "anki",
}


@dataclass(frozen=True)
class Window:
    today: date
    week: int  # the program week ``today`` counts towards
    since: date  # the end of week ``week - 2``: the rate counts the days after it
    days_done: int  # program days in (since, today]
    deadline: date
    days_left: int  # program days in (today, deadline]

    @property
    def past_week(self) -> int:
        return max(0, self.week - RATE_WINDOW_WEEKS)


def program_days(calendar: CohortCalendar, after: date, until: date) -> int:
    """Program days in ``(after, until]`` (paused and off-program days excluded)."""
    n, day = 0, after + timedelta(days=1)
    while day <= until:
        if isinstance(calendar.position(day), InProgram):
            n += 1
        day += timedelta(days=1)
    return n


def window(calendar: CohortCalendar, today: date, deadline_week: int) -> Window:
    week = calendar.current_week(today)
    past = week - RATE_WINDOW_WEEKS
    since = (
        calendar.date_of(past, "sun") if past >= 1 else calendar.program_start - timedelta(days=1)
    )
    deadline = calendar.date_of(min(deadline_week, calendar.weeks), "sun")
    return Window(
        today=today,
        week=week,
        since=since,
        days_done=program_days(calendar, since, today),
        deadline=deadline,
        days_left=program_days(calendar, today, deadline),
    )


# -- the member as they were at the start of the window ----------------------------------------
@dataclass(frozen=True)
class PastCounts:
    """Counts as of the end of week ``w − 2`` that :class:`MemberStats` keeps no history of."""

    kinds: dict[str, int] = field(default_factory=dict)  # entries per kind
    anki_added: int = 0
    anki_mature: int | None = None


def past_stats(now: MemberStats, past_week: int, counts: PastCounts | None) -> MemberStats:
    """``now`` as it was at the end of ``past_week`` (solves and mocks from their weeks)."""
    counts = counts or PastCounts()
    return replace(
        now,
        week=past_week,
        first_solves={w: c for w, c in now.first_solves.items() if w <= past_week},
        kind_total=dict(counts.kinds),
        kind_week={},
        mocks=[m for m in now.mocks if m[2] <= past_week],
        anki_added=counts.anki_added,
        anki_mature=counts.anki_mature,
        _by_category=None,
    )


def needed_kinds(milestones: Sequence[Milestone]) -> list[str]:
    """The entry kinds whose counts before the window these forecasts need."""
    kinds = {PAST_KINDS[c.metric] for m in milestones for c in m.criteria if c.metric in PAST_KINDS}
    return sorted(kinds)
