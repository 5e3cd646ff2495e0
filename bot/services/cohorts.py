"""Cohorts, members and their calendars."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from bot.core.calendar import CohortCalendar, Pause
from bot.core.schedule import PostTimes
from bot.errors import NotAMember
from bot.models import Cohort, GuildConfig, Member
from bot.services.sql import as_date, query
from curriculum.loader import Curriculum


async def guild_config(guild_id: int) -> GuildConfig:
    config, _ = await GuildConfig.get_or_create(guild_id=guild_id)
    return config


async def active_member(
    guild_id: int, user_id: int
) -> tuple[Member, Cohort, list[tuple[date, date]]]:
    """The active member, their cohort and its pauses (the hot path of every command).

    Plain statements turned into model instances (building an ORM query costs more than
    running it here); raises :class:`NotAMember` with how to join.
    """
    rows = await query(
        "SELECT m.* FROM member m JOIN guild_config g ON g.id = m.guild_id"
        " WHERE g.guild_id = {p} AND m.user_id = {p} AND m.left_at IS NULL",
        guild_id,
        user_id,
    )
    if not rows or rows[0]["cohort_id"] is None:
        raise NotAMember()
    member = Member._init_from_db(**rows[0])
    cohorts = await query("SELECT * FROM cohort WHERE id = {p}", rows[0]["cohort_id"])
    if not cohorts:
        raise NotAMember()
    cohort = Cohort._init_from_db(**cohorts[0])
    member.cohort = cohort
    pauses = await query(
        "SELECT start_date, end_date FROM cohort_pause WHERE cohort_id = {p}", cohort.id
    )
    return member, cohort, [(as_date(p["start_date"]), as_date(p["end_date"])) for p in pauses]


def member_zone(member: Member, cohort: Cohort) -> ZoneInfo:
    return ZoneInfo(member.timezone or cohort.timezone)


async def cohort_calendar(cohort: Cohort, curriculum: Curriculum) -> CohortCalendar:
    pauses = await cohort.pauses.all()
    return calendar_for(cohort, curriculum, [(p.start_date, p.end_date) for p in pauses])


def calendar_for(
    cohort: Cohort, curriculum: Curriculum, pauses: list[tuple[date, date]]
) -> CohortCalendar:
    return CohortCalendar(
        start=cohort.start_date,
        zone=ZoneInfo(cohort.timezone),
        weeks=curriculum.week_count,
        pauses=tuple(Pause(a, b) for a, b in pauses),
        phases={n: w.phase for n, w in curriculum.weeks.items()},
    )


def post_times(cohort: Cohort) -> PostTimes:
    """The cohort's local post times."""
    return PostTimes.parse(
        cohort.block_a_time,
        cohort.block_b_time,
        cohort.weekend_time,
        cohort.recap_weekday,
        cohort.recap_time,
    )
