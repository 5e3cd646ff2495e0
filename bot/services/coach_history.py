"""What the coach reads: a member's rows and history (their solves, Oops, ticked items,
active days, due reviews and this week's stored plan) and a cohort's solve times per pattern.

A member's rows are one query for their entries (plus one for the days they logged); the
cohort's solve times are one aggregate over its solve rows, kept for :data:`TIMES_TTL`. The
member views (:mod:`bot.services.coach`) and the weekly recap's extras
(:mod:`bot.services.coach_recap`) build on these.
"""

from __future__ import annotations

from collections import Counter, OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from tortoise.connection import get_connection

from bot.coaching.models import CoachPlan
from bot.core.catchup import Plan
from bot.core.history import DueReview, History
from bot.core.pattern_data import OopsRecord, PatternData
from bot.core.pattern_names import canonical_pattern
from bot.core.plan import plan_from_json
from bot.core.roadmap import SolveRecord
from bot.models import OopsReview, ReviewStatus
from bot.services.cohorts import post_times
from bot.services.progress import MemberContext
from bot.services.sql import as_date, query
from curriculum.loader import Curriculum

DUE = (ReviewStatus.SENT, ReviewStatus.INLINE, ReviewStatus.CLAIMED)
SOLVE_TIMES = (
    "SELECT e.pattern AS pattern, e.difficulty AS diff, e.minutes AS m, COUNT(*) AS n,"
    " SUM(CASE WHEN e.mode = 'guided' THEN 1 ELSE 0 END) AS guided"
    " FROM entry e {where} AND e.kind = 'solve' GROUP BY e.pattern, e.difficulty, e.minutes"
)
MEMBERS = "SELECT id FROM member WHERE cohort_id = {p} AND left_at IS NULL"


# -- one member's rows -----------------------------------------------------------------------
@dataclass(frozen=True)
class MemberRows:
    solves: tuple[SolveRecord, ...]
    oops: tuple[OopsRecord, ...]
    done_items: frozenset[str]
    active_days: frozenset[date]  # days with any log, from ``since`` on


class Dates(dict[Any, date]):
    """Each distinct DATE value parsed once (a member's rows share a few dozen days)."""

    def __missing__(self, value: Any) -> date:
        parsed = as_date(value)
        self[value] = parsed
        return parsed


def solve_record(r: dict[str, Any], dates: Dates) -> SolveRecord:
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
    dates = Dates()
    for r in rows:
        kind = r["kind"]
        if kind == "solve" and r["problem_key"] is not None:
            solves.append(solve_record(r, dates))
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


def monday_of(ctx: MemberContext) -> date:
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
    rows = rows or await member_rows(ctx.member.id, monday_of(ctx))
    week = ctx.calendar.current_week(ctx.today)
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


# -- a cohort's solve times ------------------------------------------------------------------
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


def times_data(
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
