"""Reward roles on Discord: grant a role once when earned, take it back when the entry that
earned it is removed, announce it in the cohort's channel (if the member allows public lines).

Roles go through the REST API (``PUT``/``DELETE /guilds/…/members/…/roles/…``), never the
member cache (the bot has no members intent), and only when the bot can: it has Manage
Roles and the role sits below its own top role. Otherwise the grant stays recorded as owed
and is given at a later check; ``/coach status`` says why (:func:`bot.health.reward_role_checks`).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import discord

from bot.coaching.models import RoleGrant
from bot.core.rewards import reward_by_key
from bot.health import role_problem
from bot.models import Cohort, Member
from bot.render.entries import safe
from bot.render.fit import CONTENT_MAX, shorten
from bot.runtime.host import Host
from bot.services import rewards as svc
from curriculum.loader import Curriculum

log = logging.getLogger(__name__)
NO_MENTIONS = discord.AllowedMentions.none()
SWEEP_WINDOW = timedelta(minutes=20)  # the periodic check looks at members who logged since
SWEEP_LIMIT = 500  # members per periodic check


async def reconcile(
    client: discord.Client,
    member: Member,
    cohort: Cohort,
    guild_id: int,
    curriculum: Curriculum,
    now: datetime,
    *,
    removed: bool = False,
) -> list[str]:
    """Grant what the member earned and (``removed``: an entry was deleted) take back what
    they no longer have. Returns what changed, e.g. ``["granted milestone:eow-2"]``."""
    mapping = await svc.role_map(cohort.id)
    if not mapping:
        return []
    grants = await svc.grants_of(member.id)
    keys = set(mapping)
    if not removed:  # a grant stays once given: only what is not given yet is checked
        keys = {k for k in keys if not _given(grants.get(k), mapping[k])}
    if not keys:
        return []
    earned = await svc.earned(member, cohort, curriculum, now, keys)
    guild = client.get_guild(guild_id)
    changes: list[str] = []
    for key in sorted(keys):
        role_id = mapping[key]
        grant = grants.get(key)
        if key in earned:
            grant = grant or await svc.record_earned(member.id, key, role_id, now)
            if not _given(grant, role_id) and await _add(client, guild, member, role_id):
                await svc.mark_granted(grant, role_id, now)
                changes.append(f"granted {key}")
                if member.public_lines and await svc.claim_announcement(grant):
                    await _announce(client, cohort, member, key, role_id, curriculum)
        elif removed and grant is not None:
            if grant.status == svc.GRANTED and not await _remove(client, guild, member, grant):
                continue  # try again at the next removal check
            await svc.forget_grant(grant)
            changes.append(f"removed {key}")
    return changes


def _given(grant: RoleGrant | None, role_id: int) -> bool:
    """The reward's role (as mapped now: ``/coach roles`` may have changed it) was given."""
    return grant is not None and grant.status == svc.GRANTED and grant.role_id == role_id


async def _add(
    client: discord.Client, guild: discord.Guild | None, member: Member, role_id: int
) -> bool:
    if guild is None or role_problem(guild, guild.me, role_id) is not None:
        return False
    try:
        await client.http.add_role(guild.id, member.user_id, role_id, reason="StudyCoach reward")
    except discord.HTTPException as exc:
        log.warning("could not grant role %s in guild %s: %s", role_id, guild.id, exc)
        return False
    return True


async def _remove(
    client: discord.Client, guild: discord.Guild | None, member: Member, grant: RoleGrant
) -> bool:
    role_id = grant.role_id
    if guild is None:
        return False
    if guild.get_role(role_id) is None:
        return True  # the role is gone: nothing to take back
    if role_problem(guild, guild.me, role_id) is not None:
        return False
    try:
        await client.http.remove_role(
            guild.id, member.user_id, role_id, reason="StudyCoach reward no longer earned"
        )
    except discord.NotFound:
        return True  # the member left the server
    except discord.HTTPException as exc:
        log.warning("could not remove role %s in guild %s: %s", role_id, guild.id, exc)
        return False
    return True


async def _announce(
    client: discord.Client,
    cohort: Cohort,
    member: Member,
    key: str,
    role_id: int,
    curriculum: Curriculum,
) -> None:
    channel = client.get_channel(cohort.channel_id)
    if not isinstance(channel, discord.abc.Messageable):
        return
    reward = reward_by_key(curriculum, key)
    why = reward.why if reward else key
    name = safe(member.display_name or str(member.user_id), 60)
    text = f"🏅 **{name}** {safe(why, 120)} and earned <@&{role_id}> — congratulations!"
    try:
        await channel.send(shorten(text, CONTENT_MAX), allowed_mentions=NO_MENTIONS)
    except discord.HTTPException:
        log.warning("could not announce a reward in channel %s", cohort.channel_id)


async def reconcile_member_id(
    client: discord.Client, curriculum: Curriculum, member_id: int, now: datetime, *, removed: bool
) -> list[str]:
    """:func:`reconcile` for a member row id (their cohort and guild looked up)."""
    member = await Member.get_or_none(id=member_id).select_related("cohort", "guild")
    if member is None or member.cohort is None or member.left_at is not None:
        return []
    return await reconcile(
        client, member, member.cohort, member.guild.guild_id, curriculum, now, removed=removed
    )


async def take_back_all(client: discord.Client, guild_id: int, user_id: int) -> int:
    """Remove every reward role the bot gave this user in this server (``/forget-me``: the
    record of the grant is about to be deleted, so the role must not outlive it). Returns how
    many were removed; one the bot can't remove any more is left (and logged)."""
    member = await Member.filter(guild__guild_id=guild_id, user_id=user_id).first()
    if member is None:
        return 0
    guild = client.get_guild(guild_id)
    removed = 0
    for grant in (await svc.grants_of(member.id)).values():
        if grant.status == svc.GRANTED and await _remove(client, guild, member, grant):
            removed += 1
    return removed


async def sweep(client: discord.Client, curriculum: Curriculum, now: datetime) -> int:
    """The periodic check: members who logged lately (LeetCode imports too) or are owed a
    role; only in servers this process sees. Returns the number of roles granted."""
    granted = 0
    ids = await svc.members_to_check(now, SWEEP_WINDOW, SWEEP_LIMIT)
    if not ids:
        return 0
    members = await Member.filter(id__in=ids).select_related("cohort", "guild").order_by("id")
    for member in members:  # one statement for the rows; each member's check after
        if member.cohort is None:
            continue
        if client.get_guild(member.guild.guild_id) is None:
            continue  # another shard's server (or one the bot left)
        changes = await reconcile(
            client, member, member.cohort, member.guild.guild_id, curriculum, now
        )
        granted += sum(1 for c in changes if c.startswith("granted"))
    return granted


class RewardRunner:
    """The periodic reward check as a background job (``bot.runtime.background``)."""

    def __init__(self, host: Host) -> None:
        self.host = host

    async def run_due(self) -> int:
        return await sweep(self.host, self.host.curriculum, self.host.clock())
