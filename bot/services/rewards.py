"""Reward roles in the database: which role each reward maps to, what a member earned, and
the grants recorded so that each role is given (and announced) once."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from tortoise.exceptions import IntegrityError

from bot.coaching.models import RewardRole, RoleGrant
from bot.core.calendar import local_date
from bot.core.rewards import is_earned, reward_by_key
from bot.core.stats import evaluate
from bot.core.streaks import longest_streak
from bot.models import Cohort, Member
from bot.services.cohorts import cohort_calendar
from bot.services.progress import active_days
from bot.services.recap import item_categories
from bot.services.sql import query
from bot.services.stats import Needs, cohort_stats
from curriculum.loader import Curriculum

OWED = "owed"  # earned, the role not given yet (the bot couldn't, or is about to)
GRANTED = "granted"


async def role_map(cohort_id: int) -> dict[str, int]:
    """Reward key → role id for a cohort."""
    rows = await RewardRole.filter(cohort_id=cohort_id).values_list("reward", "role_id")
    return {str(k): int(r) for k, r in rows}


async def set_reward_role(
    cohort: Cohort, reward: str, role_id: int | None, user_id: int, now: datetime
) -> None:
    """Map ``reward`` to ``role_id`` (``None``: remove the mapping)."""
    if role_id is None:
        await RewardRole.filter(cohort_id=cohort.id, reward=reward).delete()
        return
    updated = await RewardRole.filter(cohort_id=cohort.id, reward=reward).update(
        role_id=role_id, set_by=user_id, updated_at=now
    )
    if not updated:
        try:
            await RewardRole.create(
                cohort=cohort, reward=reward, role_id=role_id, set_by=user_id, updated_at=now
            )
        except IntegrityError:  # set at the same moment elsewhere: the last word wins
            await RewardRole.filter(cohort_id=cohort.id, reward=reward).update(
                role_id=role_id, set_by=user_id, updated_at=now
            )


async def grants_of(member_id: int) -> dict[str, RoleGrant]:
    return {g.reward: g for g in await RoleGrant.filter(member_id=member_id)}


async def earned(
    member: Member,
    cohort: Cohort,
    curriculum: Curriculum,
    now: datetime,
    keys: Iterable[str],
) -> set[str]:
    """Which of ``keys`` the member has earned now (see :mod:`bot.core.rewards`)."""
    wanted = [r for r in (reward_by_key(curriculum, k) for k in keys) if r is not None]
    if not wanted:
        return set()
    calendar = await cohort_calendar(cohort, curriculum)
    week = calendar.counting_week(local_date(now, calendar.zone))
    reached: dict[str, bool] = {}
    milestones = {m.id: m for m in curriculum.targets.milestones}
    categories = item_categories(curriculum)
    for reward in wanted:
        m = milestones.get(reward.milestone or "")
        if m is None or m.week > week or m.id in reached:
            continue
        stats = (await cohort_stats(cohort, m.week, Needs.for_milestones([m]), [member]))[member.id]
        reached[m.id] = evaluate(m, stats, categories).reached
    longest = 0
    if any(r.days is not None for r in wanted):
        days = await active_days(member.id)
        longest = longest_streak(days, cohort.rest_days_per_week).length
    return {r.key for r in wanted if is_earned(r, reached=reached, longest_streak=longest)}


async def record_earned(member_id: int, reward: str, role_id: int, now: datetime) -> RoleGrant:
    """The member's grant of ``reward`` (created owed the first time; never twice)."""
    found = await RoleGrant.get_or_none(member_id=member_id, reward=reward)
    if found is not None:
        return found
    try:
        return await RoleGrant.create(
            member_id=member_id, reward=reward, role_id=role_id, status=OWED, earned_at=now
        )
    except IntegrityError:  # recorded at the same moment by another event
        return await RoleGrant.get(member_id=member_id, reward=reward)


async def mark_granted(grant: RoleGrant, role_id: int, now: datetime) -> None:
    await RoleGrant.filter(id=grant.id).update(status=GRANTED, role_id=role_id, granted_at=now)


async def claim_announcement(grant: RoleGrant) -> bool:
    """True once per grant: whoever flips ``announced`` announces."""
    return await RoleGrant.filter(id=grant.id, announced=False).update(announced=True) > 0


async def forget_grant(grant: RoleGrant) -> None:
    await RoleGrant.filter(id=grant.id).delete()


async def members_to_check(now: datetime, since: timedelta, limit: int) -> list[int]:
    """Members of cohorts with reward roles who logged lately or are owed a role."""
    rows = await query(
        "SELECT m.id AS id FROM member m WHERE m.left_at IS NULL AND m.cohort_id IN"
        " (SELECT cohort_id FROM reward_role) AND (EXISTS (SELECT 1 FROM role_grant g"
        " WHERE g.member_id = m.id AND g.status = {p}) OR EXISTS (SELECT 1 FROM entry e"
        " WHERE e.member_id = m.id AND e.created_at >= {p})) ORDER BY m.id LIMIT {p}",
        OWED,
        now - since,
        limit,
    )
    return [int(r["id"]) for r in rows]


async def guilds_with_rewards() -> set[int]:
    """Discord ids of the servers with at least one reward role (the hot path's filter)."""
    rows = await query(
        "SELECT DISTINCT g.guild_id AS g FROM reward_role r JOIN cohort c ON c.id = r.cohort_id"
        " JOIN guild_config g ON g.id = c.guild_id"
    )
    return {int(r["g"]) for r in rows}


async def member_id_of(guild_id: int, user_id: int) -> int | None:
    rows = await query(
        "SELECT m.id AS id FROM member m JOIN guild_config g ON g.id = m.guild_id"
        " WHERE g.guild_id = {p} AND m.user_id = {p} AND m.left_at IS NULL",
        guild_id,
        user_id,
    )
    return int(rows[0]["id"]) if rows else None
