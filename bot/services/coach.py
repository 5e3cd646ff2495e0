"""The coach's member views, database side: ``/next``, ``/patterns`` and ``/plan`` (stored
plans), and the forecasts for ``/milestones`` and ``/progress``.

Each reads the member's own rows (:mod:`bot.services.coach_history`: one query for their
entries); ``/patterns`` compares them with the cohort's solve times. The weekly recap's
extras are :mod:`bot.services.coach_recap`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from tortoise.transactions import in_transaction

from bot.coaching.models import CoachPlan
from bot.core.calendar import CohortCalendar, local_date
from bot.core.catchup import Plan, plan_progress
from bot.core.coach import MAX_ACTIONS, Action, rank_actions, top_problem
from bot.core.forecast import MilestoneForecast, forecast_milestone, upcoming
from bot.core.forecast_window import PastCounts, needed_kinds, past_stats, window
from bot.core.patterns import PatternReport, diagnose
from bot.core.plan import PlanResult, build_plan, plan_to_json
from bot.core.roadmap import SolveRecord
from bot.core.stats import MemberStats
from bot.models import Cohort, Member
from bot.services.coach_history import (
    active_plan,
    history_for,
    member_rows,
    monday_of,
    solve_times,
    times_data,
)
from bot.services.cohorts import cohort_calendar
from bot.services.progress import MemberContext
from bot.services.recap import item_categories
from bot.services.sql import query
from bot.services.stats import Needs, cohort_stats
from curriculum.loader import Curriculum
from curriculum.target_schema import Milestone


# -- /next -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class NextView:
    actions: list[Action]  # the suggestions shown
    more: bool  # Skip would show another
    week: int | None  # the program week running (None before the start, paused or after)

    @property
    def top(self) -> tuple[str, str] | None:
        """(problem key, mode) "Solved it" logs."""
        return top_problem(self.actions)


async def next_for(ctx: MemberContext, curriculum: Curriculum, *, skip: int = 0) -> NextView:
    """``/next``: the member's suggestions now, ``skip`` of them skipped."""
    history = await history_for(ctx)
    ranked = rank_actions(curriculum, history, ctx.now, ctx.zone)
    return NextView(ranked[skip : skip + MAX_ACTIONS], len(ranked) > skip + 1, ctx.this_week)


# -- /patterns -------------------------------------------------------------------------------
async def patterns_for(ctx: MemberContext, curriculum: Curriculum) -> PatternReport:
    rows = await member_rows(ctx.member.id, monday_of(ctx))
    week = ctx.calendar.current_week(ctx.today)
    group, _ = times_data(await solve_times(ctx.cohort.id, ctx.now), curriculum)
    return diagnose(curriculum, week, rows.solves, rows.oops, group)


# -- forecasts -------------------------------------------------------------------------------
async def past_counts(
    member_ids: Sequence[int], week: int, kinds: Sequence[str]
) -> dict[int, PastCounts]:
    """Entries per kind (and Anki totals) up to the end of ``week``, per member (one query)."""
    if not kinds or not member_ids:
        return {}
    marks = ", ".join(["{p}"] * len(member_ids))
    kind_marks = ", ".join(["{p}"] * len(kinds))
    rows = await query(
        "SELECT e.member_id AS member_id, e.kind AS kind, COUNT(*) AS n,"
        " SUM(COALESCE(e.new_cards, 0)) AS added, MAX(e.mature_total) AS mature"
        f" FROM entry e WHERE e.member_id IN ({marks}) AND e.week <= {{p}}"
        f" AND e.kind IN ({kind_marks}) GROUP BY e.member_id, e.kind",
        *member_ids,
        week,
        *kinds,
    )
    out: dict[int, dict[str, Any]] = {}
    for r in rows:
        d = out.setdefault(int(r["member_id"]), {"kinds": {}, "added": 0, "mature": None})
        d["kinds"][r["kind"]] = int(r["n"])
        if r["kind"] == "anki":
            d["added"] = int(r["added"] or 0)
            d["mature"] = None if r["mature"] is None else int(r["mature"])
    return {k: PastCounts(v["kinds"], v["added"], v["mature"]) for k, v in out.items()}


def _forecasts(
    milestones: Sequence[Milestone],
    stats: MemberStats,
    counts: PastCounts | None,
    calendar: CohortCalendar,
    today: date,
    curriculum: Curriculum,
    categories: dict[str, str],
) -> list[MilestoneForecast]:
    out = []
    for m in milestones:
        win = window(calendar, today, m.week)
        past = past_stats(stats, win.past_week, counts)
        out.append(
            forecast_milestone(m, stats, past, win, curriculum=curriculum, categories=categories)
        )
    return out


@dataclass(frozen=True)
class MemberOutlook:
    forecasts: list[MilestoneForecast]
    stats: MemberStats
    past: MemberStats
    calendar: CohortCalendar
    today: date


async def member_outlook(
    member: Member, cohort: Cohort, curriculum: Curriculum, now: datetime
) -> MemberOutlook:
    """Forecasts of every milestone still ahead (this week's included) for one member."""
    calendar = await cohort_calendar(cohort, curriculum)
    today = local_date(now, calendar.zone)
    week = calendar.current_week(today)
    milestones = upcoming(curriculum, week, include_current=True)
    needs = Needs(minutes=True, anki_days=True)
    stats = (await cohort_stats(cohort, week, needs, [member]))[member.id]
    past_week = window(calendar, today, week).past_week
    kinds = needed_kinds(milestones) or ["solve"]
    counts = (await past_counts([member.id], past_week, kinds)).get(member.id)
    categories = item_categories(curriculum)
    forecasts = _forecasts(milestones, stats, counts, calendar, today, curriculum, categories)
    return MemberOutlook(forecasts, stats, past_stats(stats, past_week, counts), calendar, today)


# -- /plan -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class PlanView:
    plan: Plan | None
    result: PlanResult | None  # set when the plan was just built (or could not be)
    done: frozenset[int]  # indexes of the items done
    fresh: int  # new problems first solved since the plan began
    created: bool
    gap_before: int | None
    gap_now: int | None


def _week_new(solves: Sequence[SolveRecord], calendar: CohortCalendar, week: int) -> int:
    first: dict[str, date] = {}
    for s in solves:
        if s.problem_key not in first or s.local_date < first[s.problem_key]:
            first[s.problem_key] = s.local_date
    return sum(1 for d in first.values() if calendar.counting_week(d) == week)


async def plan_for(ctx: MemberContext, curriculum: Curriculum, *, rebuild: bool) -> PlanView:
    """This week's stored plan, or a new one (``rebuild``, or none yet) when behind."""
    rows = await member_rows(ctx.member.id, monday_of(ctx))
    history = await history_for(ctx, rows)
    week = ctx.calendar.current_week(ctx.today)
    unique = len(history.solved)
    stored = await active_plan(ctx.member.id, week)
    if stored is not None and not rebuild:
        row, plan = stored
        done, fresh = plan_progress(plan, rows.solves)
        return PlanView(
            plan,
            None,
            frozenset(done),
            fresh,
            False,
            row.pace_target - row.unique_before,
            row.pace_target - unique,
        )
    result = build_plan(
        curriculum,
        history,
        ctx.now,
        ctx.zone,
        unique_now=unique,
        week_new=_week_new(rows.solves, ctx.calendar, week),
        rest_days=ctx.cohort.rest_days_per_week,
    )
    if result.plan is None:
        return PlanView(None, result, frozenset(), 0, False, None, None)
    plan = result.plan
    async with in_transaction():
        await CoachPlan.filter(member_id=ctx.member.id, week=plan.week, active=True).update(
            active=False
        )
        await CoachPlan.create(
            member=ctx.member,
            cohort=ctx.cohort,
            week=plan.week,
            created_at=ctx.now,
            starts_on=plan.starts_on,
            ends_on=plan.ends_on,
            unique_before=unique,
            pace_target=result.pace,
            items=plan_to_json(plan),
        )
    return PlanView(plan, result, frozenset(), 0, True, result.gap, result.gap)
