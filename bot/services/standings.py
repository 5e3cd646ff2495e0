"""On-demand views of progress: one member's recap and milestones, the leaderboard."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.core.calendar import InProgram, local_date, local_to_utc
from bot.core.ranking import Ranked, rank
from bot.core.stats import MemberStats, MilestoneResult, evaluate
from bot.errors import UserFacingError
from bot.models import Cohort, Member
from bot.services.cohorts import cohort_calendar, post_times
from bot.services.recap import CohortReport, cohort_week_report, item_categories, report_date
from bot.services.stats import Needs, cohort_stats
from curriculum.loader import Curriculum
from curriculum.target_schema import Milestone

NOT_A_COHORT_MATE = "You can only look at the progress of members of your own cohort."
NOT_SHARED = "They keep their progress private — only they can see their log, recap and milestones."


async def member_in_guild(guild_id: int, user_id: int, viewer: Member) -> tuple[Member, Cohort]:
    """Another member's row and cohort, if ``viewer`` may look at their progress.

    Only members of the same cohort may look (both active in it), and only while the member
    shares their progress (``/prefs share_progress``, on by default). ``viewer`` is the caller's
    own active membership.
    """
    member = (
        await Member.filter(guild__guild_id=guild_id, user_id=user_id)
        .select_related("cohort")
        .first()
    )
    viewer_cohort: int | None = viewer.cohort_id  # type: ignore[attr-defined]
    if (
        viewer.left_at is not None
        or member is None
        or member.cohort is None
        or member.left_at is not None
        or member.cohort.id != viewer_cohort
    ):
        raise UserFacingError(NOT_A_COHORT_MATE)
    if member.id != viewer.id and not member.share_progress:
        raise UserFacingError(NOT_SHARED)
    return member, member.cohort


async def current_week(cohort: Cohort, curriculum: Curriculum, now: datetime) -> int:
    """The program week running now (the last one after the end, 1 before the start)."""
    calendar = await cohort_calendar(cohort, curriculum)
    return calendar.current_week(local_date(now, calendar.zone))


async def member_report(
    member: Member, cohort: Cohort, week: int | None, curriculum: Curriculum, now: datetime
) -> CohortReport:
    latest = await current_week(cohort, curriculum, now)
    if week is not None and week > latest:
        raise UserFacingError(f"Week {week} hasn't started yet — pick a week up to {latest}.")
    return await cohort_week_report(cohort, week or latest, curriculum, now, members=[member])


@dataclass(frozen=True)
class MilestoneView:
    milestone: Milestone
    result: MilestoneResult
    upcoming: bool  # the next milestone, judged on current numbers
    due: bool  # judged: passed or missed (its week is over or its recap went out)


async def member_milestones(
    member: Member, cohort: Cohort, curriculum: Curriculum, now: datetime
) -> list[MilestoneView]:
    """Every milestone so far (judged at its week's end) and the next one (judged now)."""
    calendar = await cohort_calendar(cohort, curriculum)
    week = calendar.current_week(local_date(now, calendar.zone))
    times = post_times(cohort)
    categories = item_categories(curriculum)
    views = []
    past = [m for m in curriculum.targets.milestones if m.week < week]
    upcoming = [m for m in curriculum.targets.milestones if m.week >= week][:1]
    for milestone in [*past, *upcoming]:
        at = min(milestone.week, week)
        needs = Needs.for_milestones([milestone])
        stats = (await cohort_stats(cohort, at, needs, [member]))[member.id]
        is_next = milestone.week >= week
        recap_out = local_to_utc(
            calendar.date_of(milestone.week, times.recap_weekday), times.recap, calendar.zone
        )
        due = not is_next or recap_out <= now  # one verdict with the week's recap
        views.append(MilestoneView(milestone, evaluate(milestone, stats, categories), is_next, due))
    return views


class Period(StrEnum):
    WEEK = "week"
    PHASE = "phase"
    ALL = "all"


class Board(StrEnum):
    SOLVES = "solves"
    POINTS = "points"
    STREAK = "streak"
    TIME = "time"  # minutes in study rooms


@dataclass(frozen=True)
class Leaderboard:
    period: Period
    metric: Board
    weeks: tuple[int, int]
    rows: list[Ranked[MemberStats]]


async def leaderboard(
    cohort: Cohort, period: Period, metric: Board, curriculum: Curriculum, now: datetime
) -> Leaderboard:
    calendar = await cohort_calendar(cohort, curriculum)
    today = local_date(now, calendar.zone)
    pos = calendar.position(today)
    week = calendar.current_week(today)
    first = {
        Period.WEEK: week,
        Period.PHASE: curriculum.phase_of_week(week).weeks[0],
        Period.ALL: 1,
    }[period]
    span = (first, week)
    stats = await cohort_stats(cohort, week)
    weights = (cohort.points_easy, cohort.points_medium, cohort.points_hard)
    as_of = today if isinstance(pos, InProgram) else report_date(calendar, week, now)

    def value(s: MemberStats) -> float:
        if metric is Board.SOLVES:
            return s.solves_in(span)
        if metric is Board.POINTS:
            return s.points(weights, span)
        if metric is Board.TIME:
            return s.study_in(span) // 60  # whole minutes: equal times share a rank
        return s.streak(as_of, cohort.rest_days_per_week).length

    rows = rank(
        [(s, float(value(s))) for s in stats.values()], tiebreak=lambda s: s.name.casefold()
    )
    return Leaderboard(period, metric, span, rows)
