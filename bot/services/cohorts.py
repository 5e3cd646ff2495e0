"""Cohorts, members and their calendars."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from bot.core.calendar import CohortCalendar, Pause
from bot.core.schedule import PostTimes
from bot.errors import NotAMember
from bot.models import Cohort, GuildConfig, Member
from curriculum.loader import Curriculum


async def guild_config(guild_id: int) -> GuildConfig:
    config, _ = await GuildConfig.get_or_create(guild_id=guild_id)
    return config


async def active_member(guild_id: int, user_id: int) -> tuple[Member, Cohort]:
    """The member and their cohort; raises :class:`NotAMember` with how to join."""
    member = (
        await Member.filter(guild__guild_id=guild_id, user_id=user_id, left_at=None)
        .select_related("cohort")
        .first()
    )
    if member is None or member.cohort is None:
        raise NotAMember()
    return member, member.cohort


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
