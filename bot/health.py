"""Per-cohort health checks, shared by ``coach doctor`` and ``/coach status``.

Each check is a :class:`Check` (ok / warn / fail with a one-line detail). The inputs are
discord.py objects, wherever they came from: the gateway cache (``/coach status``) or REST
(``coach doctor`` fetches the guild, the bot's member and the channels), so both show the same
verdicts for the same server.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import discord

from bot.core.text import echo
from bot.models import Cohort, Post, PostStatus

Status = Literal["ok", "warn", "fail"]
MARKS: dict[Status, str] = {"ok": "✅", "warn": "⚠️", "fail": "❌"}

# What posting needs (a missing one fails) and what threads need (a missing one warns).
POSTING = (
    ("view_channel", "View Channel"),
    ("send_messages", "Send Messages"),
    ("embed_links", "Embed Links"),
    ("attach_files", "Attach Files"),
)
THREADS = (
    ("create_public_threads", "Create Public Threads"),
    ("send_messages_in_threads", "Send Messages in Threads"),
)
STALE_CLAIM = timedelta(minutes=10)


@dataclass(frozen=True)
class Check:
    name: str
    status: Status
    detail: str

    @property
    def passed(self) -> bool:
        return self.status != "fail"

    def line(self) -> str:
        return f"{MARKS[self.status]} {self.name}: {self.detail}"


def missing(perms: discord.Permissions, wanted: Sequence[tuple[str, str]]) -> list[str]:
    return [label for attr, label in wanted if not getattr(perms, attr)]


def channel_check(cohort: Cohort, channel: object | None) -> Check:
    if channel is None:
        return Check(
            "Channel",
            "fail",
            f"channel {cohort.channel_id} is gone or hidden from me — run `/coach setup` "
            "with another channel",
        )
    if not isinstance(channel, discord.abc.Messageable):
        return Check("Channel", "fail", "the configured channel is not a text channel")
    name = getattr(channel, "name", str(cohort.channel_id))
    return Check("Channel", "ok", f"#{echo(str(name), 100)}")


def permission_checks(perms: discord.Permissions) -> list[Check]:
    lacking = missing(perms, POSTING)
    posting = (
        Check("Permissions", "fail", "missing " + ", ".join(lacking))
        if lacking
        else Check("Permissions", "ok", "view, send, embed links, attach files")
    )
    no_threads = missing(perms, THREADS)
    threads = (
        Check("Threads", "warn", "missing " + ", ".join(no_threads))
        if no_threads
        else Check("Threads", "ok", "can open and post in threads")
    )
    return [posting, threads]


def role_check(cohort: Cohort, guild: discord.Guild, perms: discord.Permissions) -> Check | None:
    """The role mentioned in posts: it exists, and a mention of it pings."""
    if cohort.role_id is None:
        return None
    role = guild.get_role(cohort.role_id)
    if role is None:
        return Check(
            "Role", "fail", "the role to mention was deleted — run `/coach setup` with another"
        )
    name = f"@{echo(role.name, 100)}"
    if not (role.mentionable or perms.mention_everyone):
        return Check(
            "Role",
            "fail",
            f"{name} is not mentionable and I lack Mention Everyone here, so posts won't ping",
        )
    return Check("Role", "ok", f"posts mention {name}")


def zone_check(cohort: Cohort) -> Check:
    try:
        ZoneInfo(cohort.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return Check(
            "Time zone", "fail", f"'{echo(cohort.timezone)}' is not a known IANA time zone"
        )
    return Check("Time zone", "ok", cohort.timezone)


def last_post_check(last: Post | None, now: datetime) -> Check:
    if last is None:
        return Check("Last post", "ok", "none yet")
    what = f"{last.slot} of {last.local_date.isoformat()}"
    if last.status == PostStatus.SENT:
        return Check("Last post", "ok", f"{what} sent")
    if last.status == PostStatus.FAILED:
        return Check("Last post", "fail", f"{what} failed: {echo(last.error or '?', 200)}")
    if last.status == PostStatus.MISSED:
        return Check("Last post", "warn", f"{what} missed while I was offline")
    if now - last.claimed_at > STALE_CLAIM:
        return Check("Last post", "warn", f"{what}: result unknown (retried at the next run)")
    return Check("Last post", "ok", f"{what} being sent")


def cohort_checks(
    cohort: Cohort,
    *,
    guild: discord.Guild | None,
    channel: object | None,
    me: discord.Member | None,
    last: Post | None,
    now: datetime,
) -> list[Check]:
    """Every check of one cohort, in the order both ``coach doctor`` and ``/coach status``
    show them."""
    if guild is None or me is None:
        checks = [Check("Server", "fail", "I'm not in this server any more (or can't see it)")]
        return [*checks, zone_check(cohort), last_post_check(last, now)]
    checks = [channel_check(cohort, channel)]
    if isinstance(channel, discord.abc.GuildChannel):
        perms = channel.permissions_for(me)
        checks += permission_checks(perms)
        role = role_check(cohort, guild, perms)
        if role is not None:
            checks.append(role)
    return [*checks, zone_check(cohort), last_post_check(last, now)]


def checks_text(checks: Sequence[Check]) -> str:
    return "\n".join(c.line() for c in checks)


# -- reward roles (the coach's /coach roles) -------------------------------------------------
def role_problem(guild: discord.Guild, me: discord.Member | None, role_id: int) -> str | None:
    """Why the bot can't give ``role_id`` to members (``None``: it can)."""
    role = guild.get_role(role_id)
    if role is None:
        return f"role {role_id} was deleted"
    if me is None:
        return "I'm not in this server"
    if not me.guild_permissions.manage_roles:
        return "I lack the Manage Roles permission"
    name = f"@{echo(role.name, 100)}"
    if role.managed or role.is_default():
        return f"{name} is managed by Discord or an integration and can't be given"
    if role >= me.top_role:
        return f"{name} is above my highest role (move my role above it in Server Settings → Roles)"
    return None


def reward_role_checks(
    guild: discord.Guild | None, me: discord.Member | None, roles: Sequence[tuple[str, int]]
) -> list[Check]:
    """One check for a cohort's reward roles (``roles``: (reward label, role id) pairs)."""
    if not roles or guild is None:
        return []
    problems = [p for _, role_id in roles if (p := role_problem(guild, me, role_id)) is not None]
    if problems:
        shown = "; ".join(dict.fromkeys(problems))
        return [Check("Reward roles", "fail", f"can't grant them: {shown} (`/coach roles`)")]
    return [Check("Reward roles", "ok", f"{len(roles)} mapped, all grantable")]
