"""The progress pages' numbers from the database, reusing the bot's reports.

A cohort page reads a fixed number of statements whatever the cohort's size: its pauses, its
members, :func:`bot.services.stats.cohort_stats` (the recap's aggregates), one aggregate for
the heatmap (solve entries and blocks done per member and day), one for the pattern grid
(roadmap problems each member solved) and one for the forecasts
(:func:`bot.services.coach.past_counts`). Only members who share their progress are read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from tortoise.connection import get_connection

from bot.core.calendar import local_date
from bot.core.forecast_window import needed_kinds, window
from bot.core.roadmap import roadmap_problems
from bot.models import Cohort, Member
from bot.services.coach import member_outlook, past_counts, patterns_for
from bot.services.cohorts import calendar_for, cohort_calendar, member_zone
from bot.services.progress import MemberContext
from bot.services.sql import as_date, query
from bot.services.standings import member_milestones
from bot.services.stats import Needs, cohort_stats
from bot.web.cohort_view import CohortNumbers
from bot.web.member_view import MAX_OOPS, MemberNumbers, MilestoneNumbers, OopsItem
from bot.web.parts import board_milestone
from curriculum.loader import Curriculum

_AGG = {  # a comma-joined aggregate per dialect: (SQLite, PostgreSQL)
    "{days}": (
        "GROUP_CONCAT(u.t || u.d || ':' || u.n)",
        "STRING_AGG(u.t || CAST(u.d AS TEXT) || ':' || CAST(u.n AS TEXT), ',')",
    ),
    "{keys}": ("GROUP_CONCAT(DISTINCT e.problem_key)", "STRING_AGG(DISTINCT e.problem_key, ',')"),
}


def _dialect(sql: str) -> str:
    postgres = get_connection("default").capabilities.dialect == "postgres"
    for name, (sqlite, pg) in _AGG.items():
        sql = sql.replace(name, pg if postgres else sqlite)
    return sql


def _marks(n: int) -> str:
    return ", ".join(["{p}"] * n)


async def daily_counts(
    member_ids: Sequence[int], since: date
) -> dict[int, dict[date, tuple[int, int]]]:
    """(solve entries, blocks done) per member and local day from ``since`` — one statement,
    one row per member: ``s2021-01-04:3,b2021-01-04:1,…`` (solves and blocks per day, tagged;
    merged here rather than by a second grouping in SQL, which cost a third of the time)."""
    if not member_ids:
        return {}
    ids = _marks(len(member_ids))
    rows = await query(
        _dialect(
            "SELECT u.m AS member_id, {days} AS days FROM ("
            "  SELECT e.member_id AS m, 's' AS t, e.local_date AS d, COUNT(*) AS n FROM entry e"
            f"  WHERE e.member_id IN ({ids}) AND e.kind = 'solve' AND e.local_date >= {{p}}"
            "  GROUP BY e.member_id, e.local_date"
            "  UNION ALL"
            "  SELECT a.member_id AS m, 'b' AS t, a.local_date AS d, COUNT(*) AS n"
            f"  FROM block_attendance a WHERE a.member_id IN ({ids}) AND a.status = 'done'"
            "  AND a.local_date >= {p} GROUP BY a.member_id, a.local_date"
            " ) u GROUP BY u.m"
        ),
        *member_ids,
        since,
        *member_ids,
        since,
    )
    out: dict[int, dict[date, tuple[int, int]]] = {}
    parsed: dict[str, date] = {}
    for r in rows:
        days: dict[date, tuple[int, int]] = {}
        for part in str(r["days"] or "").split(","):
            if not part:
                continue
            d, n = part[1:].rsplit(":", 1)
            day = parsed.get(d)
            if day is None:
                day = parsed[d] = date.fromisoformat(d[:10])
            solves, blocks = days.get(day, (0, 0))
            if part[0] == "s":
                days[day] = (solves + int(n), blocks)
            else:
                days[day] = (solves, blocks + int(n))
        out[int(r["member_id"])] = days
    return out


async def solved_keys(member_ids: Sequence[int], keys: Sequence[str]) -> dict[int, set[str]]:
    """Which of the problem ``keys`` each member solved — one statement, a row per member."""
    if not member_ids or not keys:
        return {}
    rows = await query(
        _dialect(
            "SELECT e.member_id AS member_id, {keys} AS keys FROM entry e"
            f" WHERE e.member_id IN ({_marks(len(member_ids))}) AND e.kind = 'solve'"
            f" AND e.problem_key IN ({_marks(len(keys))}) GROUP BY e.member_id"
        ),
        *member_ids,
        *keys,
    )
    return {int(r["member_id"]): set(str(r["keys"] or "").split(",")) - {""} for r in rows}


MAX_PAGE_MEMBERS = 500  # members on one cohort page (the page's work and size are bounded)


@dataclass(frozen=True)
class Roster:
    shown: list[Member]  # who shares their progress, by name (at most MAX_PAGE_MEMBERS)
    hidden: int  # who keeps it private
    over: int = 0  # who shares it but is beyond the bound (A–Z)


async def roster(cohort_id: int) -> Roster:
    members = await Member.filter(cohort_id=cohort_id, left_at=None).order_by("id")
    shown = [m for m in members if m.share_progress]
    shown.sort(key=lambda m: ((m.display_name or str(m.user_id)).casefold(), m.id))
    over = max(0, len(shown) - MAX_PAGE_MEMBERS)
    return Roster(shown[:MAX_PAGE_MEMBERS], len(members) - len(shown), over)


async def cohort_numbers(cohort: Cohort, curriculum: Curriculum, now: datetime) -> CohortNumbers:
    """Everything the cohort page shows, for the members who share their progress."""
    calendar = await cohort_calendar(cohort, curriculum)
    today = local_date(now, calendar.zone)
    week = calendar.current_week(today)
    people = await roster(cohort.id)
    ids = [m.id for m in people.shown]
    milestone = board_milestone(curriculum, week, today >= calendar.date_of(week, "sun"))
    needs = Needs.for_milestones([milestone] if milestone else [])
    stats = await cohort_stats(cohort, week, needs, people.shown) if ids else {}
    ordered = {i: stats[i] for i in ids if i in stats}
    daily = await daily_counts(ids, calendar.program_start)
    keys = [str(n) for n in roadmap_problems(curriculum, week)]
    solved = await solved_keys(ids, keys)
    past = {}
    if milestone is not None and ids:
        win = window(calendar, today, milestone.week)
        past = await past_counts(ids, win.past_week, needed_kinds([milestone]))
    return CohortNumbers(
        name=cohort.name,
        rest_days=cohort.rest_days_per_week,
        calendar=calendar,
        stats=ordered,
        daily=daily,
        solved=solved,
        past=past,
        hidden=people.hidden,
        over=people.over,
    )


async def member_numbers(
    member: Member, cohort: Cohort, curriculum: Curriculum, now: datetime
) -> MemberNumbers:
    """Everything a member's own page shows (their notes and Oops lessons included)."""
    outlook = await member_outlook(member, cohort, curriculum, now)
    views = await member_milestones(member, cohort, curriculum, now)
    calendar = outlook.calendar
    pauses = [(p.start, p.end) for p in calendar.pauses]
    zone = member_zone(member, cohort)
    ctx = MemberContext(
        member, cohort, zone, calendar_for(cohort, curriculum, pauses), now, local_date(now, zone)
    )
    patterns = await patterns_for(ctx, curriculum)
    daily = (await daily_counts([member.id], calendar.program_start)).get(member.id, {})
    rows = await query(
        "SELECT kind, local_date, mock_kind, rating, platform, text, lesson, pattern,"
        " problem_key FROM entry WHERE member_id = {p} AND kind IN ('mock', 'oops')"
        " ORDER BY local_date DESC, id DESC",
        member.id,
    )
    mocks = []
    oops: list[OopsItem] = []
    total = 0
    for r in rows:
        day = as_date(r["local_date"])
        if r["kind"] == "mock":
            mocks.append((day, str(r["mock_kind"] or ""), str(r["rating"] or ""), r["platform"]))
            continue
        total += 1
        if len(oops) < MAX_OOPS:
            oops.append(
                OopsItem(day, r["text"] or "", r["lesson"] or "", r["pattern"], r["problem_key"])
            )
    return MemberNumbers(
        name=member.display_name or str(member.user_id),
        cohort=cohort.name,
        rest_days=cohort.rest_days_per_week,
        calendar=calendar,
        stats=outlook.stats,
        past=outlook.past,
        forecasts=tuple(outlook.forecasts),
        milestones=tuple(MilestoneNumbers(v.milestone, v.result, v.upcoming, v.due) for v in views),
        patterns=patterns,
        daily=daily,
        mocks=tuple(mocks),
        oops=tuple(oops),
        oops_total=total,
    )
