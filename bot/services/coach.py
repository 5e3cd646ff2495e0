"""The coach's database side: a member's history for ``/next``, ``/plan`` and ``/patterns``,
forecasts for ``/milestones`` and ``/progress``, stored plans, and the weekly recap's extras.

A member's own views read that member's rows (one query for their entries); the weekly
recap's extras (:func:`recap_coaching`) run a fixed number of aggregate queries whatever the
cohort's size, like :mod:`bot.services.stats`.
"""

from __future__ import annotations

from collections import Counter, OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from tortoise.connection import get_connection
from tortoise.transactions import in_transaction

from bot.coaching.models import CoachPlan
from bot.core.calendar import CohortCalendar, local_date
from bot.core.coach import (
    MAX_ACTIONS,
    Action,
    DueReview,
    History,
    Plan,
    plan_progress,
    rank_actions,
    top_problem,
)
from bot.core.forecast import (
    MilestoneForecast,
    PastCounts,
    forecast_milestone,
    needed_kinds,
    past_stats,
    upcoming,
    window,
)
from bot.core.patterns import (
    GroupPattern,
    OopsRecord,
    PatternData,
    PatternReport,
    canonical_pattern,
    diagnose,
    group_weakest,
)
from bot.core.plan import PlanResult, build_plan, plan_from_json, plan_to_json
from bot.core.roadmap import SolveRecord
from bot.core.stats import MemberStats
from bot.models import Cohort, Member, OopsReview, ReviewStatus
from bot.services.cohorts import cohort_calendar, post_times
from bot.services.progress import MemberContext
from bot.services.recap import CohortReport, item_categories
from bot.services.sql import as_date, query
from bot.services.stats import Needs, cohort_stats
from curriculum.loader import Curriculum
from curriculum.schema import Milestone

DUE = (ReviewStatus.SENT, ReviewStatus.INLINE, ReviewStatus.CLAIMED)
SOLVE_TIMES = (
    "SELECT e.pattern AS pattern, e.difficulty AS diff, e.minutes AS m, COUNT(*) AS n,"
    " SUM(CASE WHEN e.mode = 'guided' THEN 1 ELSE 0 END) AS guided"
    " FROM entry e {where} AND e.kind = 'solve' GROUP BY e.pattern, e.difficulty, e.minutes"
)
MEMBERS = "SELECT id FROM member WHERE cohort_id = {p} AND left_at IS NULL"


# -- one member ------------------------------------------------------------------------------
@dataclass(frozen=True)
class MemberRows:
    solves: tuple[SolveRecord, ...]
    oops: tuple[OopsRecord, ...]
    done_items: frozenset[str]
    active_days: frozenset[date]  # days with any log, from ``since`` on


class _Dates(dict[Any, date]):
    """Each distinct DATE value parsed once (a member's rows share a few dozen days)."""

    def __missing__(self, value: Any) -> date:
        parsed = as_date(value)
        self[value] = parsed
        return parsed


def _solve(r: dict[str, Any], dates: _Dates) -> SolveRecord:
    return SolveRecord(
        str(r["problem_key"]),
        dates[r["local_date"]],
        None if r["minutes"] is None else int(r["minutes"]),
        r["difficulty"],
        r["mode"],
        r["pattern"],
    )


async def member_rows(member_id: int, since: date) -> MemberRows:
    """A member's solves, Oops and ticked items, and the days they logged from ``since`` (the
    week's Monday: /next and /plan look no further back) — two queries."""
    rows = await query(
        "SELECT kind, local_date, problem_key, minutes, difficulty, mode, pattern,"
        " CASE WHEN kind = 'oops' THEN lesson END AS lesson, item_id FROM entry"
        " WHERE member_id = {p} AND kind IN ('solve', 'oops', 'done') ORDER BY local_date, id",
        member_id,
    )
    solves, oops, done = [], [], set()
    dates = _Dates()
    for r in rows:
        kind = r["kind"]
        if kind == "solve" and r["problem_key"] is not None:
            solves.append(_solve(r, dates))
        elif kind == "oops":
            oops.append(OopsRecord(r["pattern"], r["lesson"] or ""))
        elif kind == "done" and r["item_id"] is not None:
            done.add(str(r["item_id"]))
    days = await query(
        "SELECT DISTINCT local_date AS d FROM entry WHERE member_id = {p} AND local_date >= {p}",
        member_id,
        since,
    )
    active = frozenset(dates[r["d"]] for r in days)
    return MemberRows(tuple(solves), tuple(oops), frozenset(done), active)


def _monday(ctx: MemberContext) -> date:
    return ctx.today - timedelta(days=ctx.today.weekday())


async def due_reviews(member_id: int, now: datetime) -> tuple[DueReview, ...]:
    """Oops reviews delivered and unanswered, or due and about to be delivered."""
    rows = (
        await OopsReview.filter(member_id=member_id, due_at__lte=now)
        .filter(status__in=[*DUE, ReviewStatus.SCHEDULED])
        .order_by("due_at")
        .values_list("id", "due_at")
    )
    return tuple(DueReview(int(i), d) for i, d in rows)


async def active_plan(member_id: int, week: int) -> tuple[CoachPlan, Plan] | None:
    row = (
        await CoachPlan.filter(member_id=member_id, week=week, active=True).order_by("-id").first()
    )
    if row is None:
        return None
    return row, plan_from_json(row.items, row.week, row.starts_on, row.ends_on)


async def history_for(ctx: MemberContext, rows: MemberRows | None = None) -> History:
    rows = rows or await member_rows(ctx.member.id, _monday(ctx))
    week = max(1, ctx.calendar.counting_week(ctx.today))
    stored = await active_plan(ctx.member.id, week)
    return History(
        calendar=ctx.calendar,
        times=post_times(ctx.cohort),
        solves=rows.solves,
        done_items=rows.done_items,
        active_days=rows.active_days,
        due_reviews=await due_reviews(ctx.member.id, ctx.now),
        plan=stored[1] if stored else None,
    )


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
TIMES_TTL = timedelta(minutes=10)  # how long a cohort's solve times are reused
_TIMES_KEPT = 512  # cohorts whose solve times are kept
TimesRow = tuple[str | None, str | None, int | None, int, int]  # pattern, diff, minutes, n, guided
_TIMES: OrderedDict[int, tuple[object, datetime, tuple[TimesRow, ...]]] = OrderedDict()


async def solve_times(cohort_id: int, now: datetime | None) -> tuple[TimesRow, ...]:
    """The cohort's solves per logged pattern, difficulty and minutes, with how many were
    guided: one aggregate that reads every solve row of the cohort, so it is reused for
    :data:`TIMES_TTL` per cohort (group medians move slowly); ``now`` ``None``: always fresh."""
    conn = get_connection("default")
    hit = _TIMES.get(cohort_id)
    if (
        now is not None
        and hit is not None
        and hit[0] is conn
        and hit[1] <= now < hit[1] + TIMES_TTL
    ):
        return hit[2]
    rows = await query(SOLVE_TIMES.format(where=f"WHERE e.member_id IN ({MEMBERS})"), cohort_id)
    value = tuple(
        (
            r["pattern"],
            None if r["diff"] is None else str(r["diff"]),
            None if r["m"] is None else int(r["m"]),
            int(r["n"]),
            int(r["guided"] or 0),
        )
        for r in rows
    )
    if now is not None:
        _TIMES[cohort_id] = (conn, now, value)
        _TIMES.move_to_end(cohort_id)
        while len(_TIMES) > _TIMES_KEPT:
            _TIMES.popitem(last=False)
    return value


def forget_solve_times() -> None:
    """Drop every kept :func:`solve_times` (the benchmark measures the first call)."""
    _TIMES.clear()


def _times_data(
    rows: Sequence[TimesRow], curriculum: Curriculum
) -> tuple[dict[str, dict[str, Counter[int]]], dict[str, PatternData]]:
    """(minutes per catalogue pattern and difficulty, solves and guided per pattern)."""
    minutes: dict[str, dict[str, Counter[int]]] = {}
    data: dict[str, PatternData] = {}
    names: dict[str | None, str | None] = {}
    for name, diff, m, n, guided in rows:
        if name not in names:
            names[name] = canonical_pattern(name, curriculum)
        pattern = names[name]
        if pattern is None:
            continue
        d = data.get(pattern)
        if d is None:
            d = data[pattern] = PatternData()
        d.solves += n
        d.guided += guided
        if m is not None and diff is not None:
            d.add_minutes(diff, m, n)
            per = minutes.get(pattern)
            if per is None:
                per = minutes[pattern] = {}
            hist = per.get(diff)
            if hist is None:
                hist = per[diff] = Counter()
            hist[m] += n
    return minutes, data


async def patterns_for(ctx: MemberContext, curriculum: Curriculum) -> PatternReport:
    rows = await member_rows(ctx.member.id, _monday(ctx))
    week = max(1, ctx.calendar.counting_week(ctx.today))
    group, _ = _times_data(await solve_times(ctx.cohort.id, ctx.now), curriculum)
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
    week = max(1, calendar.counting_week(today))
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
    rows = await member_rows(ctx.member.id, _monday(ctx))
    history = await history_for(ctx, rows)
    week = max(1, ctx.calendar.counting_week(ctx.today))
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


# -- the weekly recap ------------------------------------------------------------------------
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
            forecast = forecast_milestone(
                milestone, s, past, win, curriculum=curriculum, categories=categories
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
        minutes, data = _times_data(await solve_times(cohort_id, now), curriculum)
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
    dates = _Dates()
    for r in rows:
        member = int(r["member_id"])
        if r["kind"] == "solve" and r["problem_key"] is not None:
            solves.setdefault(member, []).append(_solve(r, dates))
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
    dates = _Dates()
    for r in rows:
        fresh.setdefault(int(r["member_id"]), []).append(SolveRecord(str(r["k"]), dates[r["d"]]))
    out = {}
    for p in plans:
        plan = plan_from_json(p.items, p.week, p.starts_on, p.ends_on)
        member_id: int = p.member_id  # type: ignore[attr-defined]
        done, _ = plan_progress(plan, fresh.get(member_id, []))
        out[member_id] = (len(plan.items), len(done), p.pace_target, p.unique_before)
    return out
