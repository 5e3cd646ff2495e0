"""The coach's extras in the weekly recap: the next milestone's forecast and the catch-up
plans of every member, the group's weakest pattern, and (a small cohort, or one member's
``/recap``) each member's weakest pattern.

A fixed number of aggregate queries whatever the cohort's size, like
:mod:`bot.services.stats`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.coaching.models import CoachPlan
from bot.core.catchup import plan_progress
from bot.core.forecast import MilestoneForecast, forecast_milestone, upcoming
from bot.core.forecast_window import needed_kinds, past_stats, window
from bot.core.pattern_data import OopsRecord, PatternData
from bot.core.pattern_names import canonical_pattern
from bot.core.patterns import GroupPattern, diagnose, group_weakest
from bot.core.plan import plan_from_json
from bot.core.roadmap import SolveRecord
from bot.models import Cohort
from bot.services.coach import past_counts
from bot.services.coach_history import MEMBERS, Dates, solve_record, solve_times, times_data
from bot.services.cohorts import cohort_calendar
from bot.services.recap import CohortReport, item_categories
from bot.services.sql import query
from curriculum.loader import Curriculum
from curriculum.target_schema import Milestone


@dataclass(frozen=True)
class PlanProgress:
    planned: int
    done: int
    gap_before: int
    gap_now: int


@dataclass(frozen=True)
class MemberCoaching:
    weakest: str | None  # "Sliding Window: 3 Oops, median 31 min vs 18 for the group"
    forecast: MilestoneForecast | None
    plan: PlanProgress | None


@dataclass(frozen=True)
class RecapCoaching:
    week: int
    milestone: Milestone | None  # the next milestone forecast
    members: dict[int, MemberCoaching]  # by member id
    group_weakest: GroupPattern | None
    detailed: bool  # each member's weakest pattern was computed


async def recap_coaching(
    cohort: Cohort,
    report: CohortReport,
    curriculum: Curriculum,
    *,
    detailed: bool,
    now: datetime | None = None,
) -> RecapCoaching:
    """The recap's coaching extras: the next milestone's forecast and catch-up plans for
    every member, the group's weakest pattern, and (``detailed``) each member's weakest.

    A fixed number of aggregate queries: four, one more with catch-up plans; ``detailed``
    (a small cohort, or one member's ``/recap``) adds the solve times per pattern, which read
    every solve row, and the members' own rows. The group's weakest pattern weighs solve
    times only then; otherwise its Oops and unsolved roadmap problems per member.
    """
    week = report.week
    ids = [m.stats.member_id for m in report.members]
    calendar = await cohort_calendar(cohort, curriculum)
    ahead = upcoming(curriculum, week, include_current=not report.final)
    milestone = ahead[0] if ahead else None
    win = window(calendar, report.as_of, milestone.week if milestone else week)
    counts = await past_counts(ids, win.past_week, needed_kinds(ahead[:1]))
    categories = item_categories(curriculum)
    group = await _group_patterns(cohort.id, week, curriculum, timings=detailed, now=now)
    detail = await _member_patterns(ids, week) if detailed and ids else {}
    plans = await _plan_progress(cohort.id, ids, week)
    members = {}
    for m in report.members:
        s = m.stats
        forecast = None
        if milestone is not None:
            past = past_stats(s, win.past_week, counts.get(s.member_id))
            evaluated = next((r for r in m.milestones if r.milestone is milestone), None)
            forecast = forecast_milestone(
                milestone,
                s,
                past,
                win,
                curriculum=curriculum,
                categories=categories,
                evaluated=evaluated,  # the recap's own check of this week's milestone
            )
        weakest = None
        if detailed:
            solves, oops = detail.get(s.member_id, ((), ()))
            found = diagnose(curriculum, week, solves, oops, group.minutes).weakest
            weakest = found.reason if found else None
        plan = plans.get(s.member_id)
        progress = None
        if plan is not None:
            planned, done, target, before = plan
            progress = PlanProgress(planned, done, target - before, target - s.unique_total)
        members[s.member_id] = MemberCoaching(weakest, forecast, progress)
    weakest_group = group_weakest(curriculum, week, len(ids), group.data, group.solvers)
    return RecapCoaching(week, milestone, members, weakest_group, detailed)


@dataclass(frozen=True)
class _Group:
    minutes: dict[str, dict[str, Counter[int]]]
    data: dict[str, PatternData]
    solvers: dict[str, int]


async def _group_patterns(
    cohort_id: int, week: int, curriculum: Curriculum, *, timings: bool, now: datetime | None
) -> _Group:
    """The cohort's pooled pattern numbers: Oops per pattern and solvers per problem (two
    aggregate queries, on indexes), and with ``timings`` the solve minutes and guided counts
    per pattern and difficulty (:func:`solve_times`, which reads every solve row)."""
    where = f"WHERE e.member_id IN ({MEMBERS}) AND e.week <= {{p}}"
    minutes: dict[str, dict[str, Counter[int]]] = {}
    data: dict[str, PatternData] = {}
    if timings:
        minutes, data = times_data(await solve_times(cohort_id, now), curriculum)
    for r in await query(
        f"SELECT e.pattern AS pattern, COUNT(*) AS n FROM entry e {where} AND e.kind = 'oops'"
        " GROUP BY e.pattern",
        cohort_id,
        week,
    ):
        p = canonical_pattern(r["pattern"], curriculum)
        if p is not None:
            data.setdefault(p, PatternData()).oops += int(r["n"])
    solvers = {
        str(r["k"]): int(r["n"])
        for r in await query(
            "SELECT t.k AS k, COUNT(*) AS n FROM (SELECT e.member_id AS m, e.problem_key AS k"
            f" FROM entry e {where} AND e.kind = 'solve' GROUP BY e.member_id, e.problem_key)"
            " t GROUP BY t.k",
            cohort_id,
            week,
        )
    }
    return _Group(minutes, data, solvers)


async def _member_patterns(
    ids: Sequence[int], week: int
) -> dict[int, tuple[tuple[SolveRecord, ...], tuple[OopsRecord, ...]]]:
    """Solves and Oops of a few members (a small cohort, or one member), in one query."""
    marks = ", ".join(["{p}"] * len(ids))
    rows = await query(
        "SELECT member_id, kind, local_date, problem_key, minutes, difficulty, mode, pattern,"
        f" lesson FROM entry WHERE member_id IN ({marks}) AND week <= {{p}}"
        " AND kind IN ('solve', 'oops') ORDER BY local_date, id",
        *ids,
        week,
    )
    solves: dict[int, list[SolveRecord]] = {}
    oops: dict[int, list[OopsRecord]] = {}
    dates = Dates()
    for r in rows:
        member = int(r["member_id"])
        if r["kind"] == "solve" and r["problem_key"] is not None:
            solves.setdefault(member, []).append(solve_record(r, dates))
        elif r["kind"] == "oops":
            oops.setdefault(member, []).append(OopsRecord(r["pattern"], r["lesson"] or ""))
    return {i: (tuple(solves.get(i, ())), tuple(oops.get(i, ()))) for i in ids}


async def _plan_progress(
    cohort_id: int, ids: Sequence[int], week: int
) -> dict[int, tuple[int, int, int, int]]:
    """Each member's plan of ``week``: (planned, done, pace target, unique problems when
    made) — two queries."""
    wanted = set(ids)
    plans = [
        p
        for p in await CoachPlan.filter(cohort_id=cohort_id, week=week, active=True)
        if p.member_id in wanted  # type: ignore[attr-defined]
    ]
    if not plans:
        return {}
    start = min(p.starts_on for p in plans)
    marks = ", ".join(["{p}"] * len(plans))
    rows = await query(
        "SELECT e.member_id AS member_id, e.problem_key AS k, MIN(e.local_date) AS d"
        f" FROM entry e WHERE e.member_id IN ({marks}) AND e.kind = 'solve'"
        " GROUP BY e.member_id, e.problem_key HAVING MIN(e.local_date) >= {p}",
        *(p.member_id for p in plans),  # type: ignore[attr-defined]
        start,
    )
    fresh: dict[int, list[SolveRecord]] = {}
    dates = Dates()
    for r in rows:
        fresh.setdefault(int(r["member_id"]), []).append(SolveRecord(str(r["k"]), dates[r["d"]]))
    out = {}
    for p in plans:
        plan = plan_from_json(p.items, p.week, p.starts_on, p.ends_on)
        member_id: int = p.member_id  # type: ignore[attr-defined]
        done, _ = plan_progress(plan, fresh.get(member_id, []))
        out[member_id] = (len(plan.items), len(done), p.pace_target, p.unique_before)
    return out
