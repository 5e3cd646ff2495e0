"""The weekly recap and milestone checks of a cohort: numbers for each member and the group.

``cohort_week_report`` runs a fixed number of queries (see :mod:`bot.services.stats`) and
then only arithmetic, so its cost in queries does not grow with the cohort.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from bot.core.calendar import CohortCalendar, local_date
from bot.core.due import WeekDue, did_the_week, week_due
from bot.core.mock_goals import roadmap_mock_criteria
from bot.core.progress import target_for, target_pace, target_points
from bot.core.ranking import Ranked, rank
from bot.core.stats import MemberStats, MilestoneResult, evaluate
from bot.core.streaks import Streak
from bot.core.voice import planned_blocks
from bot.models import Cohort, Member
from bot.render.chart_data import MemberSeries, RecapChartData
from bot.services.cohorts import cohort_calendar
from bot.services.stats import Needs, cohort_stats
from curriculum.loader import Curriculum
from curriculum.schema import WEEKDAYS
from curriculum.target_schema import Criterion, Milestone, SolveTarget

ON_TRACK_SHARE = 0.9  # within 10 % of the roadmap's pace still counts as on track


class Standing(StrEnum):
    AHEAD = "ahead"
    ON_TRACK = "on track"
    CATCHING_UP = "catching up"  # behind the roadmap's total, but kept this week's pace
    BEHIND = "behind"


@dataclass(frozen=True)
class MemberRecap:
    stats: MemberStats
    streak: Streak
    standing: Standing
    pace: float  # the roadmap's cumulative pace at the end of the week
    ml_notebook: bool | None  # None: none done and none was due this week
    mock: bool | None  # None: none done and none was due this week
    milestones: tuple[MilestoneResult, ...]
    kept_pace: bool  # did what this week asked (see bot.core.due.did_the_week)
    active_days: int  # days with any log in this program week

    @property
    def name(self) -> str:
        return self.stats.name


@dataclass(frozen=True)
class CohortReport:
    cohort_name: str
    week: int
    as_of: date  # the local date the numbers are as of (the week's end, or today)
    week_title: str
    patterns: tuple[str, ...]
    target: SolveTarget | None
    weekly_target: int
    members: tuple[MemberRecap, ...]
    milestones: tuple[Milestone, ...]
    chart: RecapChartData
    due: WeekDue
    final: bool  # the week is over: its milestones are passed or missed, not in progress
    mock_goals: tuple[Criterion, ...] = ()  # the roadmap's mock criteria (the recap counts)
    # the week's blocks per slot ({"block_a": 5, "block_b": 5, "session": 2}): check-ins
    planned_blocks: Mapping[str, int] = field(default_factory=dict)

    @property
    def blocks_planned(self) -> int:
        return sum(self.planned_blocks.values())

    @property
    def tracks_blocks(self) -> bool:
        """Someone checked in on a block this week (else the recap says nothing of blocks)."""
        return any(m.stats.blocks_done for m in self.members)

    @property
    def tracks_time(self) -> bool:
        """Someone spent time in a study room this week."""
        return any(m.stats.study_seconds.get(self.week) for m in self.members)

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


def standing(cumulative: int, pace: float, next_pace: float, kept_pace: bool = False) -> Standing:
    if cumulative >= next_pace and next_pace > pace:
        return Standing.AHEAD
    if cumulative >= ON_TRACK_SHARE * pace:
        return Standing.ON_TRACK
    return Standing.CATCHING_UP if kept_pace else Standing.BEHIND


def _checked(done: bool, due: bool) -> bool | None:
    """✅ when done, ❌ only when it was due, else nothing to judge (``None``)."""
    return True if done else (False if due else None)


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
    # … and the next milestone's needs: the recap forecasts it (bot.services.coach_recap)
    ahead = [m for m in curriculum.targets.milestones if m.week > week][:1]
    stats = await cohort_stats(cohort, week, Needs.for_milestones([*milestones, *ahead]), members)
    return build_week_report(
        cohort.name, cohort.rest_days_per_week, week, curriculum, calendar, stats, now
    )


def build_week_report(
    name: str,
    rest_days: int,
    week: int,
    curriculum: Curriculum,
    calendar: CohortCalendar,
    stats: Mapping[int, MemberStats],
    now: datetime,
) -> CohortReport:
    """The report from the members' stats (pure: no database, ``now`` injected)."""
    milestones = tuple(curriculum.milestones_for_week(week))
    as_of = report_date(calendar, week, now)
    points = target_points(curriculum.targets)
    pace, next_pace = target_pace(points, week), target_pace(points, week + 1)
    categories = item_categories(curriculum)
    ml = {i for i, c in categories.items() if c == "ml_notebook"}
    due = week_due(curriculum, week)
    weekly_target = curriculum.targets.weekly_recap_solves
    week_days = {calendar.date_of(week, d) for d in WEEKDAYS}
    recaps = []
    for s in stats.values():
        active = sum(1 for d in s.active_days if d in week_days)
        kept = did_the_week(due, s.week_new, weekly_target, active)
        recaps.append(
            MemberRecap(
                stats=s,
                streak=s.streak(as_of, rest_days),
                standing=standing(s.unique_total, pace, next_pace, kept),
                pace=pace,
                ml_notebook=_checked(bool(s.done_this_week & ml), due.ml_notebook),
                mock=_checked(s.mock_this_week, due.mock),
                milestones=tuple(evaluate(m, s, categories) for m in milestones),
                kept_pace=kept,
                active_days=active,
            )
        )
    weeks = tuple(range(1, week + 1))
    chart = RecapChartData(
        title=f"{name} · week {week}",
        weeks=weeks,
        targets=points,
        members=tuple(MemberSeries(r.name, r.stats.cumulative_by_week(weeks)) for r in recaps),
        difficulty_mix=_sum_mix([r.stats.mix(only=week) for r in recaps]),
        mix_label=f"Week {week} difficulty mix",
    )
    w = curriculum.week(week)
    return CohortReport(
        cohort_name=name,
        week=week,
        as_of=as_of,
        week_title=w.title,
        patterns=tuple(w.patterns),
        target=target_for(curriculum.targets, week),
        weekly_target=weekly_target,
        members=tuple(recaps),
        milestones=milestones,
        chart=chart,
        due=due,
        final=as_of >= calendar.date_of(week, "sun"),
        mock_goals=roadmap_mock_criteria(curriculum),
        planned_blocks=planned_blocks(curriculum, week),
    )


def _sum_mix(mixes: list[tuple[int, int, int]]) -> tuple[int, int, int]:
    return (sum(m[0] for m in mixes), sum(m[1] for m in mixes), sum(m[2] for m in mixes))
