"""The weekly recap and milestone checks of a cohort: numbers for each member and the group.

``cohort_week_report`` runs a fixed number of queries (see :mod:`bot.services.stats`) and
then only arithmetic, so its cost in queries does not grow with the cohort.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from bot.core.calendar import CohortCalendar, local_date
from bot.core.progress import target_for, target_pace, target_points
from bot.core.ranking import Ranked, rank
from bot.core.stats import MemberStats, MilestoneResult, evaluate
from bot.core.streaks import Streak
from bot.models import Cohort, Member
from bot.render.chart_data import MemberSeries, RecapChartData
from bot.services.cohorts import cohort_calendar
from bot.services.stats import Needs, cohort_stats
from curriculum.loader import Curriculum
from curriculum.schema import Milestone, SolveTarget

ON_TRACK_SHARE = 0.9  # within 10 % of the roadmap's pace still counts as on track


class Standing(StrEnum):
    AHEAD = "ahead"
    ON_TRACK = "on track"
    BEHIND = "behind"


@dataclass(frozen=True)
class MemberRecap:
    stats: MemberStats
    streak: Streak
    standing: Standing
    pace: float  # the roadmap's cumulative pace at the end of the week
    ml_notebook: bool
    mock: bool
    milestones: tuple[MilestoneResult, ...]

    @property
    def name(self) -> str:
        return self.stats.name


@dataclass(frozen=True)
class CohortReport:
    cohort: Cohort
    week: int
    as_of: date  # the local date the numbers are as of (the week's end, or today)
    week_title: str
    patterns: tuple[str, ...]
    target: SolveTarget | None
    weekly_target: int
    members: tuple[MemberRecap, ...]
    milestones: tuple[Milestone, ...]
    chart: RecapChartData

    def by_standing(self, standing: Standing) -> list[MemberRecap]:
        return [m for m in self.members if m.standing is standing]

    @property
    def active(self) -> list[MemberRecap]:
        return [m for m in self.members if sum(m.stats.kind_week.values()) > 0]

    @property
    def week_mix(self) -> tuple[int, int, int]:
        mixes = [m.stats.mix(only=self.week) for m in self.members]
        return (sum(x[0] for x in mixes), sum(x[1] for x in mixes), sum(x[2] for x in mixes))

    def ranked(self) -> list[Ranked[MemberRecap]]:
        """Members by cumulative unique solves (ties share a rank)."""
        return rank(
            [(m, float(m.stats.unique_total)) for m in self.members],
            tiebreak=lambda m: m.name.casefold(),
        )

    def top_streaks(self, n: int = 3) -> list[Ranked[MemberRecap]]:
        ranked = rank(
            [(m, float(m.streak.length)) for m in self.members if m.streak.length > 0],
            tiebreak=lambda m: m.name.casefold(),
        )
        return ranked[:n]


def standing(cumulative: int, pace: float, next_pace: float) -> Standing:
    if cumulative >= next_pace and next_pace > pace:
        return Standing.AHEAD
    if cumulative >= ON_TRACK_SHARE * pace:
        return Standing.ON_TRACK
    return Standing.BEHIND


def item_categories(curriculum: Curriculum) -> dict[str, str]:
    return {d.id: d.category.value for w in curriculum.weeks.values() for d in w.deliverables}


def report_date(calendar: CohortCalendar, week: int, now: datetime) -> date:
    """The week's Sunday, or today when the week is still running."""
    return min(calendar.date_of(week, "sun"), local_date(now, calendar.zone))


async def cohort_week_report(
    cohort: Cohort,
    week: int,
    curriculum: Curriculum,
    now: datetime,
    members: list[Member] | None = None,
) -> CohortReport:
    """The recap of program ``week`` for the cohort's current members (or ``members``)."""
    calendar = await cohort_calendar(cohort, curriculum)
    milestones = tuple(curriculum.milestones_for_week(week))
    stats = await cohort_stats(cohort, week, Needs.for_milestones(milestones), members)
    as_of = report_date(calendar, week, now)
    points = target_points(curriculum.targets)
    pace, next_pace = target_pace(points, week), target_pace(points, week + 1)
    categories = item_categories(curriculum)
    ml = {i for i, c in categories.items() if c == "ml_notebook"}
    recaps = []
    for s in stats.values():
        recaps.append(
            MemberRecap(
                stats=s,
                streak=s.streak(as_of, cohort.rest_days_per_week),
                standing=standing(s.unique_total, pace, next_pace),
                pace=pace,
                ml_notebook=bool(s.done_this_week & ml),
                mock=s.mock_this_week,
                milestones=tuple(evaluate(m, s, categories) for m in milestones),
            )
        )
    weeks = tuple(range(1, week + 1))
    chart = RecapChartData(
        title=f"{cohort.name} · week {week}",
        weeks=weeks,
        targets=points,
        members=tuple(MemberSeries(r.name, r.stats.cumulative_by_week(weeks)) for r in recaps),
        difficulty_mix=_sum_mix([r.stats.mix(only=week) for r in recaps]),
        mix_label=f"Week {week} difficulty mix",
    )
    w = curriculum.week(week)
    return CohortReport(
        cohort=cohort,
        week=week,
        as_of=as_of,
        week_title=w.title,
        patterns=tuple(w.patterns),
        target=target_for(curriculum.targets, week),
        weekly_target=curriculum.targets.weekly_recap_solves,
        members=tuple(recaps),
        milestones=milestones,
        chart=chart,
    )


def _sum_mix(mixes: list[tuple[int, int, int]]) -> tuple[int, int, int]:
    return (sum(m[0] for m in mixes), sum(m[1] for m in mixes), sum(m[2] for m in mixes))
