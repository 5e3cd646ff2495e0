"""Writing and reading a member's log entries (the database side of the logging commands)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from discord.utils import escape_markdown
from tortoise.exceptions import IntegrityError

from bot.core import entries as rules
from bot.core.calendar import CohortCalendar, InProgram, local_date
from bot.core.progress import SolveRow, SolveSummary, target_for
from bot.core.streaks import Streak, current_streak
from bot.errors import UserFacingError
from bot.models import Cohort, Entry, EntryKind, Member
from bot.services.cohorts import active_member, calendar_for, member_zone
from bot.services.sql import as_date, query
from curriculum.loader import Curriculum
from curriculum.week_schema import Deliverable

STREAK_WINDOW = timedelta(days=400)  # longer than the program plus its pauses


@dataclass
class MemberContext:
    """Who is logging, where, and what their local today is."""

    member: Member
    cohort: Cohort
    zone: ZoneInfo
    calendar: CohortCalendar
    now: datetime
    today: date

    def week_of(self, day: date) -> int:
        """The program week a log dated ``day`` counts towards (see ``counting_week``)."""
        return self.calendar.counting_week(day)

    @property
    def this_week(self) -> int | None:
        """The current program week, ``None`` before the start, in a pause or after the end."""
        pos = self.calendar.position(self.today)
        return pos.week if isinstance(pos, InProgram) else None


async def member_context(
    guild_id: int, user_id: int, curriculum: Curriculum, now: datetime
) -> MemberContext:
    member, cohort, pauses = await active_member(guild_id, user_id)
    zone = member_zone(member, cohort)
    calendar = calendar_for(cohort, curriculum, pauses)
    return MemberContext(member, cohort, zone, calendar, now, local_date(now, zone))


async def record(ctx: MemberContext, kind: EntryKind, day: date, **values: Any) -> Entry:
    """Insert one entry (a single INSERT: it lands whole or not at all)."""
    return await Entry.create(
        member=ctx.member,
        cohort=ctx.cohort,
        kind=kind.value,
        local_date=day,
        week=ctx.week_of(day),
        created_at=ctx.now,
        **values,
    )


# -- solves ------------------------------------------------------------------------------
async def solve_rows(member_id: int) -> list[SolveRow]:
    rows = await Entry.filter(member_id=member_id, kind=EntryKind.SOLVE).values_list(
        "problem_key", "local_date", "week"
    )
    return [SolveRow(str(k), d, w) for k, d, w in rows]


async def summary_for(
    ctx: MemberContext, curriculum: Curriculum, problem_key: str | None = None
) -> tuple[SolveSummary, int]:
    """Week and total unique problems against the targets, in one aggregate query.

    Also returns how many solve entries ``problem_key`` has (2 or more: a revisit).
    """
    week = ctx.this_week
    (row,) = await query(
        "SELECT COUNT(*) AS uniq, SUM(CASE WHEN fw = {p} THEN 1 ELSE 0 END) AS new_w,"
        " SUM(n_w) AS entries_w, MAX(CASE WHEN pk = {p} THEN n ELSE 0 END) AS this_one"
        " FROM (SELECT problem_key AS pk, MIN(week) AS fw, COUNT(*) AS n,"
        " SUM(CASE WHEN week = {p} THEN 1 ELSE 0 END) AS n_w FROM entry"
        " WHERE member_id = {p} AND kind = 'solve' GROUP BY problem_key) t",
        week if week is not None else -1,
        problem_key or "",
        week if week is not None else -1,
        ctx.member.id,
    )
    summary = SolveSummary(
        week=week,
        week_new=int(row["new_w"] or 0),
        week_entries=int(row["entries_w"] or 0),
        cumulative=int(row["uniq"] or 0),
        weekly_target=curriculum.targets.weekly_recap_solves,
        target=target_for(curriculum.targets, week),
    )
    return summary, int(row["this_one"] or 0)


async def active_days(member_id: int, since: date | None = None) -> list[date]:
    """The local days the member logged anything on or did a block (from ``since``)."""
    since = since or date.min
    rows = await query(
        "SELECT DISTINCT local_date AS d FROM entry WHERE member_id = {p} AND local_date >= {p}"
        " UNION SELECT local_date AS d FROM block_attendance WHERE member_id = {p}"
        " AND local_date >= {p} AND status = 'done'",
        member_id,
        since,
        member_id,
        since,
    )
    return sorted({as_date(r["d"]) for r in rows})


async def streak_for(ctx: MemberContext) -> Streak:
    """The current streak from the member's logged days of the last ``STREAK_WINDOW``."""
    days = await active_days(ctx.member.id, ctx.today - STREAK_WINDOW)
    return current_streak(days, ctx.today, ctx.cohort.rest_days_per_week)


# -- deliverables (/done) ----------------------------------------------------------------
@dataclass(frozen=True)
class Item:
    week: int
    deliverable: Deliverable


def all_items(curriculum: Curriculum) -> dict[str, Item]:
    return {
        d.id: Item(n, d) for n in sorted(curriculum.weeks) for d in curriculum.weeks[n].deliverables
    }


def item_titles(curriculum: Curriculum) -> dict[str, str]:
    """Deliverable id → title, for showing /done entries."""
    return {key: item.deliverable.title for key, item in all_items(curriculum).items()}


def item_choices(query: str, curriculum: Curriculum, week: int | None) -> list[tuple[str, str]]:
    """Up to 25 deliverables matching ``query``: this week's first, then nearest weeks."""
    q = query.strip().lower()
    items = [
        i
        for i in all_items(curriculum).values()
        if q in i.deliverable.title.lower() or q in i.deliverable.id
    ]
    items.sort(key=lambda i: (abs(i.week - (week or 1)), i.week > (week or 1), i.week))
    return [(f"W{i.week} · {i.deliverable.title}"[:100], i.deliverable.id) for i in items[:25]]


def resolve_item(value: str, curriculum: Curriculum) -> Item:
    items = all_items(curriculum)
    key = value.strip().lower()
    if key in items:
        return items[key]
    for item in items.values():
        if item.deliverable.title.lower() == key:
            return item
    raise UserFacingError(
        "`item` must be one of the roadmap's deliverables — pick one from the list as you type."
    )


MAX_QUANTITY = 1000  # one /done of a countable item adds at most this many


async def mark_done(ctx: MemberContext, item: Item, quantity: int | None = None) -> Entry | None:
    """Tick an item; ``None`` when this member had already ticked it.

    A countable item (applications sent, experiments tracked) is logged again and again:
    each call adds ``quantity`` (default 1, stored as null) and never returns ``None``. Any
    other item is ticked once (its ``dedupe_key`` is unique per member) and takes no
    quantity above 1.
    """
    d = item.deliverable
    if not d.countable:
        if quantity not in (None, 1):
            raise UserFacingError(
                f"**{escape_markdown(d.title)}** is ticked once, so it takes no `quantity` — "
                "a quantity is for items you log again and again, like applications sent."
            )
        try:
            return await record(
                ctx, EntryKind.DONE, ctx.today, item_id=d.id, dedupe_key=f"done:{d.id}"
            )
        except IntegrityError:
            return None
    if quantity is not None:
        rules.in_range("quantity", quantity, 1, MAX_QUANTITY)
    return await record(
        ctx,
        EntryKind.DONE,
        ctx.today,
        item_id=d.id,
        quantity=None if quantity in (None, 1) else quantity,
    )


async def item_count(member_id: int, item_id: str) -> int:
    """How many a member has logged of an item (a tick counts 1; null quantity means 1)."""
    (row,) = await query(
        "SELECT SUM(COALESCE(quantity, 1)) AS n FROM entry"
        " WHERE member_id = {p} AND kind = 'done' AND item_id = {p}",
        member_id,
        item_id,
    )
    return int(row["n"] or 0)


# -- reading and removing ----------------------------------------------------------------
async def entries_page(
    member_id: int, kind: str | None, offset: int, limit: int
) -> tuple[list[Entry], int]:
    query = Entry.filter(member_id=member_id)
    if kind:
        query = query.filter(kind=kind)
    total = await query.count()
    rows = await query.order_by("-local_date", "-id").offset(offset).limit(limit)
    return rows, total


async def last_entry(member_id: int) -> Entry | None:
    return await Entry.filter(member_id=member_id).order_by("-id").first()


async def own_entry(member_id: int, entry_id: int) -> Entry:
    entry = await Entry.get_or_none(id=entry_id, member_id=member_id)
    if entry is None:
        raise UserFacingError(f"You have no entry #{entry_id} — `/log` lists yours.")
    return entry


async def guild_entry(guild_id: int, entry_id: int) -> Entry:
    entry = (
        await Entry.filter(id=entry_id, member__guild__guild_id=guild_id)
        .select_related("member")
        .first()
    )
    if entry is None:
        raise UserFacingError(f"There is no entry #{entry_id} in this server.")
    return entry


async def delete_entry(entry: Entry) -> bool:
    """Delete by id; False when it was already gone (a double click, a parallel /undo)."""
    return await Entry.filter(id=entry.id).delete() > 0


async def find_member(guild_id: int, user_id: int) -> Member | None:
    return await Member.filter(guild__guild_id=guild_id, user_id=user_id).first()
